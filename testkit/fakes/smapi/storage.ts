/**
 * The fake's object storage, standing in for the S3 buckets behind the Skill Management API's short-lived URLs:
 * an HTTP server on 127.0.0.1 that serves what the fake stored under a presigned-looking URL (an exported
 * package). A request for anything it does not hold is a violation: the client used a URL it was never given.
 */
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** The storage server. */
export interface FakeStorage {
  readonly url: string;
  /** Stores `bytes` and returns the URL that serves them, signature query included. */
  put(bytes: Uint8Array, name: string): string;
  /** Paths requested so far, query excluded. */
  readonly requests: string[];
  close(): Promise<void>;
}

/** Starts the storage server on a loopback port. */
export async function startFakeStorage(violations: string[]): Promise<FakeStorage> {
  const objects = new Map<string, Uint8Array>();
  const requests: string[] = [];
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    requests.push(url.pathname);
    const object = objects.get(url.pathname);
    if (
      request.method !== "GET" ||
      object === undefined ||
      url.searchParams.get("X-Amz-Signature") === null
    ) {
      violations.push(`storage: ${request.method} ${url.pathname} names nothing the fake handed out`);
      response
        .writeHead(403, { "content-type": "application/xml" })
        .end("<Error><Code>AccessDenied</Code></Error>");
      return;
    }
    response.writeHead(200, { "content-type": "application/zip", "content-length": object.byteLength });
    response.end(Buffer.from(object));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    put(bytes, name) {
      const key = `/exports/${randomBytes(8).toString("hex")}/${name}`;
      objects.set(key, bytes);
      return `${url}${key}?X-Amz-Expires=3600&X-Amz-Signature=${randomBytes(32).toString("hex")}`;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
