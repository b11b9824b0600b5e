/**
 * The fake's stand-in for the two kinds of URL the Skill Management API hands out beside its own: presigned
 * upload URLs (the S3 bucket a package is PUT to, as `createUploadUrlV1` returns) and the URLs imported icons
 * are hosted at. One loopback HTTP server answers both: a PUT to an issued URL stores the zip while the URL is
 * valid and its signature intact (403 with S3's error document otherwise, or whatever `refuseUploads` asks), and
 * a GET of a hosted file returns its bytes.
 */
import { createHmac, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One PUT the upload target received. */
export interface FakeUploadPut {
  id: string;
  status: number;
  bytes: number;
}

/** What the fake's resources and the tests use of the upload target. */
export interface FakeUploads {
  /** Base URL of the loopback server. */
  readonly url: string;
  /** Every PUT, in order. */
  readonly puts: FakeUploadPut[];
  /** Every GET of a hosted file, by URL. */
  readonly hostedReads: string[];
  /**
   * Answer the next `count` PUTs with this status and S3's error document (default 403 AccessDenied), as an
   * upload URL whose bucket policy or signature refuses the write does.
   */
  refuseUploads(count: number, status?: number): void;
  /** A new presigned URL, valid for `ttlMs` of the service's clock. */
  issue(ttlMs: number): { url: string; expiresAt: string };
  /** The zip put at an issued URL, or why there is none. */
  read(location: string): { bytes: Uint8Array } | { error: string };
  /** Hosts a file for a skill; returns its URL (a new URL for new bytes, as a CDN-backed host gives). */
  host(skillId: string, name: string, bytes: Uint8Array): string;
  close(): Promise<void>;
}

interface Slot {
  expiresAt: number;
  bytes?: Uint8Array;
}

/** Starts the upload target on a loopback port; `now` is the service's clock. */
export async function startFakeUploads(now: () => number): Promise<FakeUploads> {
  const key = randomBytes(16);
  const slots = new Map<string, Slot>();
  const hosted = new Map<string, Uint8Array>();
  const puts: FakeUploadPut[] = [];
  const hostedReads: string[] = [];
  const refusals: number[] = [];
  let sequence = 0;
  const sign = (id: string, expires: number): string =>
    createHmac("sha256", key).update(`${id}:${expires}`).digest("hex");

  const s3Error = (response: ServerResponse, status: number, code: string, message: string): void => {
    response.writeHead(status, { "content-type": "application/xml" });
    response.end(
      `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`,
    );
  };

  const handle = (request: IncomingMessage, body: Buffer, response: ServerResponse): void => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const upload = /^\/uploads\/([^/]+)$/.exec(url.pathname);
    if (request.method === "PUT" && upload !== null) {
      const id = upload[1];
      const slot = slots.get(id);
      const expires = Number(url.searchParams.get("X-Amz-Expires-At"));
      const record = (status: number) => puts.push({ id, status, bytes: body.byteLength });
      const refusal = refusals.shift();
      if (refusal !== undefined) {
        record(refusal);
        s3Error(response, refusal, refusal === 403 ? "AccessDenied" : "InternalError", "Access Denied");
        return;
      }
      if (slot === undefined || url.searchParams.get("X-Amz-Signature") !== sign(id, expires)) {
        record(403);
        s3Error(response, 403, "SignatureDoesNotMatch", "The request signature we calculated does not match");
        return;
      }
      if (now() > slot.expiresAt) {
        record(403);
        s3Error(response, 403, "AccessDenied", "Request has expired");
        return;
      }
      slot.bytes = new Uint8Array(body);
      record(200);
      response.writeHead(200, { etag: `"${id}"` });
      response.end();
      return;
    }
    if (request.method === "GET" && hosted.has(url.pathname)) {
      hostedReads.push(`${uploads.url}${url.pathname}`);
      const bytes = hosted.get(url.pathname) as Uint8Array;
      response.writeHead(200, { "content-type": "image/png", "content-length": String(bytes.byteLength) });
      response.end(bytes);
      return;
    }
    s3Error(response, 404, "NoSuchKey", "The specified key does not exist.");
  };

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => handle(request, Buffer.concat(chunks), response));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const uploads: FakeUploads = {
    url: base,
    puts,
    hostedReads,
    refuseUploads(count, status = 403) {
      for (let i = 0; i < count; i += 1) refusals.push(status);
    },
    issue(ttlMs) {
      sequence += 1;
      const id = `upload-${sequence}-${randomBytes(4).toString("hex")}`;
      const expiresAt = now() + ttlMs;
      slots.set(id, { expiresAt });
      return {
        url: `${base}/uploads/${id}?X-Amz-Expires-At=${expiresAt}&X-Amz-Signature=${sign(id, expiresAt)}`,
        expiresAt: new Date(expiresAt).toISOString(),
      };
    },
    read(location) {
      let url: URL;
      try {
        url = new URL(location);
      } catch {
        return { error: `The location ${location} is not a URL.` };
      }
      const id = /^\/uploads\/([^/]+)$/.exec(url.pathname)?.[1];
      const bytes = id === undefined || url.origin !== base ? undefined : slots.get(id)?.bytes;
      return bytes === undefined
        ? {
            error:
              "The skill package could not be downloaded from the given location: nothing was uploaded there.",
          }
        : { bytes };
    },
    host(skillId, name, bytes) {
      const path = `/hosted/${encodeURIComponent(skillId)}/${createHmac("sha256", "content").update(bytes).digest("hex").slice(0, 16)}/${name}`;
      hosted.set(path, bytes);
      return `${base}${path}`;
    },
    close() {
      return new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
  return uploads;
}
