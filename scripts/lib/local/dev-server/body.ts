/** Reading a request body with a size limit, so a huge or endless upload cannot exhaust memory. */
import type { IncomingMessage } from "node:http";

/** Largest Alexa request body the local endpoint reads: 1 MB (Alexa's requests are a few KB). */
export const MAX_BODY_BYTES = 1024 * 1024;

/** The body, or `tooLarge` once more than `limit` bytes arrived (the rest is drained, not kept). */
export type BodyResult = { ok: true; body: Buffer } | { ok: false; tooLarge: true; bytes: number };

/** Reads the whole body up to `limit` bytes; a declared Content-Length over the limit is refused at once. */
export function readBody(request: IncomingMessage, limit = MAX_BODY_BYTES): Promise<BodyResult> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers["content-length"]);
    if (Number.isFinite(declared) && declared > limit) {
      request.resume();
      resolve({ ok: false, tooLarge: true, bytes: declared });
      return;
    }
    const chunks: Buffer[] = [];
    let bytes = 0;
    let settled = false;
    request.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
      if (settled) return;
      if (bytes > limit) {
        settled = true;
        chunks.length = 0;
        resolve({ ok: false, tooLarge: true, bytes });
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => {
      if (!settled) resolve({ ok: true, body: Buffer.concat(chunks) });
    });
    request.on("error", (error) => {
      if (!settled) reject(error);
    });
  });
}
