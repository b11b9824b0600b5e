import { createHash, createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { SignatureV4 } from "@smithy/signature-v4";

/** Credentials the fake accepts (and the code under test must sign with). */
export interface FakeS3Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** Options of {@link startFakeS3}. */
export interface FakeS3Options {
  readonly bucket: string;
  readonly region: string;
  readonly credentials: FakeS3Credentials;
  /** Object keys in the bucket (any order). */
  readonly keys: readonly string[];
  /** Keys per ListObjectsV2 page (S3's default and maximum: 1000). */
  readonly pageSize?: number;
  /** Serve HTTPS with this certificate and key (PEM), as real S3 does; plain HTTP otherwise. */
  readonly tls?: { readonly cert: string; readonly key: string };
}

/** A request the fake received, with the outcome of its signature check. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly signatureValid: boolean;
}

/** A running fake S3 on 127.0.0.1. */
export interface FakeS3 {
  /** `http://127.0.0.1:<port>` (`https://` with `tls`), for `AWS_ENDPOINT_URL_S3` (path-style). */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Resolves once the fake has received `count` requests in all (recorded, signature checked). */
  received(count: number): Promise<void>;
  /** Replaces the bucket's content. */
  setKeys(keys: readonly string[]): void;
  /**
   * Holds every listing from now on (a slow S3): each is received and recorded, and answered only when the returned
   * function is called, with the bucket's content at that moment.
   */
  holdListings(): () => void;
  /** Recomputes a presigned URL's signature independently; also says whether it has expired at `now`. */
  checkPresignedUrl(url: string, now?: Date): Promise<{ signatureValid: boolean; expired: boolean }>;
  close(): Promise<void>;
}

// The Checksum interface @smithy/signature-v4 expects, over node:crypto.
class Sha256 {
  private hash;
  constructor(private readonly secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = this.fresh();
  }
  private fresh() {
    if (this.secret === undefined) return createHash("sha256");
    const key = typeof this.secret === "string" ? this.secret : Buffer.from(this.secret as ArrayBuffer);
    return createHmac("sha256", key);
  }
  reset(): void {
    this.hash = this.fresh();
  }
  update(data: Uint8Array): void {
    this.hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

function xmlEscape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function parseAmzDate(value: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (m === null) throw new Error(`bad X-Amz-Date ${value}`);
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
}

function errorXml(response: ServerResponse, status: number, code: string): void {
  response.writeHead(status, { "content-type": "application/xml" });
  response.end(
    `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${code}</Message></Error>`,
  );
}

/**
 * Starts a fake S3 bucket on 127.0.0.1 that serves path-style ListObjectsV2 (with paging) and GET of objects through
 * presigned URLs, and refuses any request whose SigV4 signature, recomputed with `@smithy/signature-v4` (the AWS
 * SDK's signer, independent of the code under test), does not match.
 */
export async function startFakeS3(options: FakeS3Options): Promise<FakeS3> {
  let keys = [...options.keys].sort();
  let held: Promise<void> | undefined;
  const pageSize = options.pageSize ?? 1000;
  const requests: RecordedRequest[] = [];
  const waiting: { count: number; resolve: () => void }[] = [];
  const record = (request: RecordedRequest): void => {
    requests.push(request);
    for (const waiter of waiting.filter((candidate) => candidate.count <= requests.length)) {
      waiting.splice(waiting.indexOf(waiter), 1);
      waiter.resolve();
    }
  };
  const signer = new SignatureV4({
    credentials: options.credentials,
    region: options.region,
    service: "s3",
    sha256: Sha256,
    uriEscapePath: false,
  });

  async function headerSignatureValid(request: IncomingMessage, url: URL): Promise<boolean> {
    const authorization = request.headers.authorization ?? "";
    const signedHeaders = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(";") ?? [];
    const date = request.headers["x-amz-date"];
    if (signedHeaders.length === 0 || typeof date !== "string") return false;
    const headers = Object.fromEntries(
      signedHeaders.map((name) => [name, String(request.headers[name] ?? "")]),
    );
    const signed = await signer.sign(
      {
        method: request.method ?? "GET",
        protocol: "http:",
        hostname: url.hostname,
        port: Number(url.port),
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers,
      },
      { signingDate: parseAmzDate(date) },
    );
    return signed.headers.authorization === authorization;
  }

  async function checkPresignedUrl(raw: string, now = new Date()) {
    const url = new URL(raw);
    const query = Object.fromEntries(url.searchParams);
    const signature = query["X-Amz-Signature"];
    const date = query["X-Amz-Date"];
    const expires = Number(query["X-Amz-Expires"]);
    if (signature === undefined || date === undefined || !Number.isInteger(expires)) {
      return { signatureValid: false, expired: false };
    }
    const signedAt = parseAmzDate(date);
    const unsigned = Object.fromEntries(Object.entries(query).filter(([name]) => !name.startsWith("X-Amz-")));
    const presigned = await signer.presign(
      {
        method: "GET",
        protocol: url.protocol,
        hostname: url.hostname,
        port: Number(url.port),
        path: url.pathname,
        query: unsigned,
        headers: { host: url.host, "x-amz-content-sha256": "UNSIGNED-PAYLOAD" },
      },
      {
        signingDate: signedAt,
        expiresIn: expires,
        unsignableHeaders: new Set(["x-amz-content-sha256"]),
        unhoistableHeaders: new Set(["x-amz-content-sha256"]),
      },
    );
    return {
      signatureValid: presigned.query?.["X-Amz-Signature"] === signature,
      expired: now.getTime() > signedAt.getTime() + expires * 1000,
    };
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", `http://${request.headers.host}`);
    const query = Object.fromEntries(url.searchParams);
    const bucketPath = `/${options.bucket}`;
    const presigned = "X-Amz-Signature" in query;
    const check = presigned ? await checkPresignedUrl(url.href) : undefined;
    const signatureValid = presigned
      ? check?.signatureValid === true
      : await headerSignatureValid(request, url);
    record({ method: request.method ?? "GET", path: url.pathname, query, signatureValid });
    if (!signatureValid) return errorXml(response, 403, "SignatureDoesNotMatch");
    if (check?.expired) return errorXml(response, 403, "AccessDenied");
    if (url.pathname === bucketPath || url.pathname === `${bucketPath}/`) {
      if (query["list-type"] !== "2") return errorXml(response, 400, "InvalidArgument");
      if (held !== undefined) await held;
      const prefix = query.prefix ?? "";
      const matching = keys.filter((key) => key.startsWith(prefix));
      const start = query["continuation-token"] === undefined ? 0 : Number(query["continuation-token"]);
      const page = matching.slice(start, start + pageSize);
      const truncated = start + pageSize < matching.length;
      response.writeHead(200, { "content-type": "application/xml" });
      response.end(
        `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` +
          `<Name>${options.bucket}</Name><Prefix>${xmlEscape(prefix)}</Prefix><KeyCount>${page.length}</KeyCount>` +
          `<MaxKeys>${pageSize}</MaxKeys><IsTruncated>${truncated}</IsTruncated>` +
          page
            .map(
              (key) =>
                `<Contents><Key>${xmlEscape(key)}</Key><Size>5</Size><StorageClass>STANDARD</StorageClass></Contents>`,
            )
            .join("") +
          (truncated ? `<NextContinuationToken>${start + pageSize}</NextContinuationToken>` : "") +
          `</ListBucketResult>`,
      );
      return;
    }
    if (url.pathname.startsWith(`${bucketPath}/`)) {
      const key = decodeURIComponent(url.pathname.slice(bucketPath.length + 1));
      if (!keys.includes(key)) return errorXml(response, 404, "NoSuchKey");
      response.writeHead(200, { "content-type": "audio/mpeg" });
      response.end(`audio:${key}`);
      return;
    }
    errorXml(response, 404, "NoSuchBucket");
  }

  const listener = (request: IncomingMessage, response: ServerResponse) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500);
      response.end(String(error));
    });
  };
  const server: Server =
    options.tls === undefined
      ? createServer(listener)
      : createTlsServer({ cert: options.tls.cert, key: options.tls.key }, listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls === undefined ? "http" : "https"}://127.0.0.1:${port}`,
    requests,
    received: (count) =>
      count <= requests.length
        ? Promise.resolve()
        : new Promise<void>((resolve) => waiting.push({ count, resolve })),
    setKeys(next) {
      keys = [...next].sort();
    },
    holdListings() {
      let release = (): void => undefined;
      held = new Promise<void>((resolve) => (release = resolve));
      return () => {
        held = undefined;
        release();
      };
    },
    checkPresignedUrl,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
