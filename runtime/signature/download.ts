/**
 * The certificate chain download: one HTTPS GET of the normalised URL, capped in size (a declared length over the
 * cap is refused before the body, a streamed body is cut off at the cap) and in time (one deadline for connecting
 * and reading, so a slow drip cannot hold a request open).
 */
import { request } from "node:https";

/** Where to download from instead of the URL's own host: a loopback server in tests. */
export interface DownloadSource {
  /** The address to connect to; the TLS name checked stays the URL's host. */
  readonly host: string;
  readonly port: number;
  /** Certificate authorities trusted for that connection's TLS (PEM). */
  readonly ca?: string | readonly string[];
}

/** Limits of one download. */
export interface DownloadLimits {
  readonly maxBytes: number;
  readonly timeoutMs: number;
  readonly source?: DownloadSource;
}

/** The body, or why there is none; `bytes` is how much was read into memory either way. */
export type DownloadResult = { ok: true; body: Buffer } | { ok: false; reason: string; bytes: number };

/** Downloads `url` within `limits`. Never rejects. */
export function downloadChain(url: URL, limits: DownloadLimits): Promise<DownloadResult> {
  return new Promise((resolve) => {
    let bytes = 0;
    let settled = false;
    const chunks: Buffer[] = [];
    const finish = (result: DownloadResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve(result);
    };
    const fail = (reason: string): void => {
      finish({ ok: false, reason: `downloading ${url.href}: ${reason}`, bytes });
      outgoing.destroy();
    };
    const outgoing = request(
      {
        host: limits.source?.host ?? url.hostname,
        port: limits.source?.port ?? 443,
        servername: url.hostname,
        path: url.pathname,
        method: "GET",
        headers: { host: url.host, accept: "application/x-pem-file, */*" },
        ...(limits.source?.ca === undefined ? {} : { ca: limits.source.ca as string | string[] }),
        // One connection per download: nothing of a refused download is left in a pool.
        agent: false,
      },
      (response) => {
        if (response.statusCode !== 200) {
          fail(`answered ${response.statusCode}`);
          return;
        }
        const declared = Number(response.headers["content-length"]);
        if (Number.isFinite(declared) && declared > limits.maxBytes) {
          fail(`declares ${declared} bytes, over the ${limits.maxBytes}-byte cap`);
          return;
        }
        response.on("data", (chunk: Buffer) => {
          if (settled) return;
          bytes += chunk.length;
          if (bytes > limits.maxBytes) {
            fail(`more than the ${limits.maxBytes}-byte cap (stopped after ${bytes} bytes)`);
            return;
          }
          chunks.push(chunk);
        });
        response.on("end", () => finish({ ok: true, body: Buffer.concat(chunks) }));
        response.on("error", (error) => fail(error.message));
      },
    );
    const deadline = setTimeout(
      () => fail(`no complete answer within ${limits.timeoutMs} ms`),
      limits.timeoutMs,
    );
    outgoing.on("error", (error) => fail(error.message));
    outgoing.end();
  });
}
