// The AWS SDK's S3 client is deliberately not used: loading it triples the Lambda cold start. sigv4.ts signs,
// node:http(s) carries the listing (global fetch would load undici, nearly as heavy).
import type * as Http from "node:http";
import type { AwsCredentials, S3MediaSettings } from "../config";
import { MediaError } from "../errors";
import { parseListBucketResult, s3ErrorCode } from "./list-bucket-xml";
import { canonicalQuery, presignQuery, signedHeaders } from "./sigv4";
import { encodeKeyPath, isAudioKey, type MediaLibrary } from "./types";

/** Options of {@link createS3MediaLibrary}. */
export interface S3MediaOptions extends Omit<S3MediaSettings, "kind"> {
  /** Read for every signature, so rotated credentials are picked up. */
  readonly credentials: () => AwsCredentials;
  /** Current time in milliseconds (injectable for tests). */
  readonly now?: () => number;
  /** Give up on a listing page after this long (default 5000 ms). */
  readonly timeoutMs?: number;
  /**
   * Called when a background refresh of a stale listing ends: with the new clips, or with the error (the stale
   * listing is kept). The Lambda entry point logs the errors.
   */
  readonly onRefresh?: (result: { readonly clips: readonly string[] } | { readonly error: unknown }) => void;
}

interface Target {
  readonly protocol: "http:" | "https:";
  /** Host header: hostname, and port when not the default. */
  readonly host: string;
  readonly hostname: string;
  /** Empty for the protocol's default port. */
  readonly port: string;
  /** Path of the bucket (`/bucket` path-style, empty virtual-hosted). */
  readonly bucketPath: string;
}

function targetOf(options: S3MediaOptions): Target {
  if (options.endpoint !== undefined) {
    const url = new URL(options.endpoint);
    const base = url.pathname.replace(/\/+$/, "");
    return {
      protocol: url.protocol as Target["protocol"],
      host: url.host,
      hostname: url.hostname,
      port: url.port,
      bucketPath: `${base}/${options.bucket}`,
    };
  }
  // Dotted bucket names break the TLS wildcard of virtual-hosted addressing, so they go path-style.
  if (options.bucket.includes(".")) {
    const host = `s3.${options.region}.amazonaws.com`;
    return { protocol: "https:", host, hostname: host, port: "", bucketPath: `/${options.bucket}` };
  }
  const host = `${options.bucket}.s3.${options.region}.amazonaws.com`;
  return { protocol: "https:", host, hostname: host, port: "", bucketPath: "" };
}

interface Page {
  readonly keys: string[];
  readonly nextToken?: string;
}

/**
 * Only the transport in use is loaded: node:https brings TLS, which a loopback endpoint never needs. `require`, not
 * `import()`: a dynamic import of a built-in stays dynamic in the bundle and starts Node's ESM loader (cold start).
 */
function loadTransport(protocol: Target["protocol"]): Pick<typeof Http, "request"> {
  /* eslint-disable @typescript-eslint/no-require-imports -- lazy loading, see above */
  return protocol === "https:" ? require("node:https") : require("node:http");
  /* eslint-enable @typescript-eslint/no-require-imports */
}

async function get(
  target: Target,
  path: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<string> {
  const { hostname, port } = target;
  const transport = loadTransport(target.protocol);
  return new Promise((resolve, reject) => {
    const request = transport.request({ method: "GET", hostname, port: port || undefined, path, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("error", reject);
      response.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        if (response.statusCode === 200) return resolve(body);
        const code = s3ErrorCode(body);
        reject(new Error(`HTTP ${response.statusCode}${code === undefined ? "" : ` ${code}`}`));
      });
    });
    request.setTimeout(timeoutMs, () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on("error", reject);
    request.end();
  });
}

/**
 * Clips in an S3 bucket under a prefix: listed with ListObjectsV2 (every page), the listing reused by this container
 * for `listTtlSeconds`, and streamed through presigned GET URLs valid for `urlTtlSeconds`. With `knownClips`, the
 * container starts with those keys as its listing and first lists the bucket when they are `listTtlSeconds` old.
 *
 * A stale listing is refreshed in the background: the request that finds it stale is answered from it at once,
 * and a later request gets the new listing once S3 has answered. Only a container with no listing at all (no
 * `knownClips`, or a listing that failed) or `listTtlSeconds` 0 waits for S3. A failed refresh keeps the stale
 * listing; the next request tries again. One listing at a time.
 */
export function createS3MediaLibrary(options: S3MediaOptions): MediaLibrary {
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 5000;
  const target = targetOf(options);
  let cache: { readonly listedAt: number; readonly clips: Promise<readonly string[]> } | undefined;
  // The background listing under way, if any.
  let refresh: Promise<void> | undefined;
  // The keys the deployment knew stand for a listing made now: a cold start needs no S3 round trip.
  if (options.knownClips !== undefined && options.listTtlSeconds > 0) {
    cache = { listedAt: now(), clips: Promise.resolve(options.knownClips) };
  }

  async function listPage(continuationToken: string | undefined): Promise<Page> {
    const query: Record<string, string> = { "list-type": "2", prefix: options.prefix };
    if (continuationToken !== undefined) query["continuation-token"] = continuationToken;
    const path = `${target.bucketPath}/`;
    const headers = signedHeaders(
      { method: "GET", host: target.host, path, query, region: options.region, service: "s3", time: now() },
      options.credentials(),
    );
    const body = await get(target, `${path}?${canonicalQuery(query)}`, headers, timeoutMs);
    const page = parseListBucketResult(body);
    if (page.truncated && page.nextToken === undefined) {
      throw new Error("a truncated listing came without a continuation token");
    }
    return { keys: page.keys, nextToken: page.truncated ? page.nextToken : undefined };
  }

  async function listAll(): Promise<readonly string[]> {
    const clips: string[] = [];
    let token: string | undefined;
    do {
      let page: Page;
      try {
        page = await listPage(token);
      } catch (error) {
        const where = `s3://${options.bucket}/${options.prefix}`;
        throw new MediaError(
          `Listing clips in ${where} failed (${(error as Error).message}): check MEDIA_BUCKET, MEDIA_PREFIX and ` +
            "the function role's s3:ListBucket permission",
          { cause: error },
        );
      }
      for (const key of page.keys) {
        const clip = key.slice(options.prefix.length);
        if (key.startsWith(options.prefix) && isAudioKey(clip)) clips.push(clip);
      }
      token = page.nextToken;
    } while (token !== undefined);
    return clips.sort();
  }

  return {
    listClips() {
      const at = now();
      if (cache === undefined || options.listTtlSeconds === 0) {
        const clips = listAll();
        const entry = { listedAt: at, clips };
        cache = entry;
        // A failed listing is not reused: the next request tries again.
        clips.catch(() => {
          if (cache === entry) cache = undefined;
        });
        return clips;
      }
      if (refresh === undefined && at - cache.listedAt >= options.listTtlSeconds * 1000) {
        const stale = cache;
        // Settled before onRefresh hears of it, so a request made on that news may start the next refresh.
        refresh = stale.clips
          .then(() => listAll())
          .then(
            (clips) => {
              refresh = undefined;
              if (cache === stale) cache = { listedAt: at, clips: Promise.resolve(clips) };
              options.onRefresh?.({ clips });
            },
            (error: unknown) => {
              refresh = undefined;
              options.onRefresh?.({ error });
            },
          );
      }
      return cache.clips;
    },
    async urlFor(key) {
      const path = `${target.bucketPath}/${encodeKeyPath(options.prefix + key)}`;
      const query = presignQuery(
        { method: "GET", host: target.host, path, region: options.region, service: "s3", time: now() },
        options.credentials(),
        options.urlTtlSeconds,
      );
      return `${target.protocol}//${target.host}${path}?${query}`;
    },
  };
}
