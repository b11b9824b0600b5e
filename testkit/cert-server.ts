/**
 * A loopback HTTPS server standing in for s3.amazonaws.com, where Alexa's certificate chains are downloaded from:
 * its TLS certificate names s3.amazonaws.com (issued by a CA only its clients trust), and each path answers what
 * the test says: a chain, a status, an endless or oversized body, or nothing at all. It records every request and
 * how many bytes each answer managed to send, so a test sees what a verifier downloaded.
 */
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import type { ServerResponse } from "node:http";
import type { CertificateOptions } from "../runtime/verify";
import { createTlsIdentity, type TestSigningChain } from "./certificates";

/** What a path answers. */
export type CertificateAnswer =
  | { kind: "pem"; pem: string }
  | { kind: "status"; status: number }
  /** `bytes` of filler, with or without a Content-Length header, written as fast as the client reads. */
  | { kind: "large"; bytes: number; declareLength: boolean }
  /** Headers, then silence: the connection stays open until the client gives up. */
  | { kind: "silent" };

/** One request the server received and how its answer went. */
export interface CertificateRequest {
  path: string;
  /** Bytes of body written before the answer ended or the client went away. */
  sent: number;
  /** True when the whole answer was written. */
  completed: boolean;
}

/** A running server. */
export interface CertificateServer {
  /**
   * Options that make a verifier download from this server and trust `chain`'s root, with a download deadline
   * long enough for a loopback handshake on a busy machine (tests of the deadline set their own).
   */
  options(chain?: TestSigningChain): CertificateOptions;
  /** Sets what `path` (e.g. `/echo.api/echo-api-cert-test.pem`) answers; unknown paths answer 404. */
  serve(path: string, answer: CertificateAnswer): void;
  readonly requests: CertificateRequest[];
  /** Resolves once `count` requests have arrived in all. */
  arrived(count: number): Promise<void>;
  close(): Promise<void>;
}

const CHUNK = Buffer.alloc(64 * 1024, 0x41);

function writeLarge(response: ServerResponse, record: CertificateRequest, bytes: number): void {
  const pump = (): void => {
    while (record.sent < bytes) {
      const piece = CHUNK.subarray(0, Math.min(CHUNK.length, bytes - record.sent));
      record.sent += piece.length;
      if (!response.write(piece)) {
        response.once("drain", pump);
        return;
      }
    }
    record.completed = true;
    response.end();
  };
  pump();
}

/** Starts the server on 127.0.0.1 with a fresh TLS identity for s3.amazonaws.com. */
export async function startCertificateServer(): Promise<CertificateServer> {
  const tls = createTlsIdentity("s3.amazonaws.com");
  const answers = new Map<string, CertificateAnswer>();
  const requests: CertificateRequest[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const server: Server = createServer({ cert: tls.cert, key: tls.key }, (request, response) => {
    const record: CertificateRequest = { path: request.url ?? "/", sent: 0, completed: false };
    requests.push(record);
    for (const waiter of waiters.filter((w) => requests.length >= w.count)) waiter.resolve();
    const answer = answers.get(record.path);
    switch (answer?.kind) {
      case undefined:
        response.writeHead(404).end();
        record.completed = true;
        return;
      case "status":
        response.writeHead(answer.status).end();
        record.completed = true;
        return;
      case "pem":
        response.writeHead(200, { "content-type": "application/x-pem-file" }).end(answer.pem);
        record.sent = Buffer.byteLength(answer.pem);
        record.completed = true;
        return;
      case "large":
        response.writeHead(200, answer.declareLength ? { "content-length": answer.bytes } : {});
        writeLarge(response, record, answer.bytes);
        return;
      case "silent":
        response.writeHead(200, { "content-type": "application/x-pem-file" });
        response.flushHeaders();
        return;
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    options: (chain) => ({
      source: { host: "127.0.0.1", port, ca: tls.caPem },
      timeoutMs: 30_000,
      ...(chain === undefined ? {} : { trustedRoots: [chain.rootPem] }),
    }),
    serve: (path, answer) => void answers.set(path, answer),
    requests,
    arrived: (count) =>
      requests.length >= count
        ? Promise.resolve()
        : new Promise((resolve) => waiters.push({ count, resolve })),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
