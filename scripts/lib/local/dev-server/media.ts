/**
 * The local endpoint's media route: `GET /media/<key>?expires=…&sig=…` serves a clip from the media folder when
 * the URL was signed by this endpoint and has not expired (403 otherwise), never a file outside the folder, with
 * its audio content type and byte ranges (players seek and resume with Range requests).
 */
import { createReadStream } from "node:fs";
import { realpath, stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import * as path from "node:path";
import { verifyMediaUrl } from "../media-urls";

/** Content types of the audio files Alexa's AudioPlayer streams. */
export const AUDIO_CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".mp3": "audio/mpeg",
  ".aac": "audio/aac",
  ".m4a": "audio/mp4",
  ".mp4": "audio/mp4",
  ".m3u8": "application/vnd.apple.mpegurl",
};

/** Where clips are served from and how their URLs are checked. */
export interface MediaRouteOptions {
  /** The media folder. */
  dir: string;
  /** The HMAC secret the media library signs URLs with. */
  secret: string | Buffer;
  /** Milliseconds clock (injectable for tests). */
  now?: () => number;
}

/** What the route answered, for the request log. */
export interface MediaOutcome {
  status: number;
  reason?: string;
  key?: string;
}

/** Answers one media request (GET or HEAD). */
export async function serveMedia(
  request: IncomingMessage,
  response: ServerResponse,
  options: MediaRouteOptions,
): Promise<MediaOutcome> {
  const nowSeconds = (options.now ?? Date.now)() / 1000;
  const check = verifyMediaUrl(request.url ?? "/", options.secret, nowSeconds);
  if (check.result !== "ok" || check.key === undefined) {
    const reason =
      check.result === "expired" ? "the media URL has expired" : "the media URL is not signed by this server";
    return refuse(response, 403, reason, check.key);
  }
  const key = check.key;
  const file = await containedFile(options.dir, key);
  if (file === undefined) return refuse(response, 403, "the path leaves the media folder", key);
  const contentType = AUDIO_CONTENT_TYPES[path.extname(key).toLowerCase()];
  if (contentType === undefined) return refuse(response, 404, "not an audio file", key);
  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) return refuse(response, 404, "no such clip", key);
    size = info.size;
  } catch {
    return refuse(response, 404, "no such clip", key);
  }
  const headers: Record<string, string | number> = {
    "Content-Type": contentType,
    "Accept-Ranges": "bytes",
    "Cache-Control": "private, max-age=60",
  };
  const range = parseRange(request.headers.range, size);
  if (range === "unsatisfiable") {
    response.writeHead(416, { "Content-Range": `bytes */${size}` }).end();
    return { status: 416, reason: "range not satisfiable", key };
  }
  const [start, end] = range ?? [0, size - 1];
  const status = range === undefined ? 200 : 206;
  if (range !== undefined) headers["Content-Range"] = `bytes ${start}-${end}/${size}`;
  headers["Content-Length"] = size === 0 ? 0 : end - start + 1;
  response.writeHead(status, headers);
  if (request.method === "HEAD" || size === 0) {
    response.end();
    return { status, key };
  }
  await new Promise<void>((resolve) => {
    const stream = createReadStream(file, { start, end });
    stream.on("error", () => {
      response.destroy();
      resolve();
    });
    response.on("close", () => {
      stream.destroy();
      resolve();
    });
    stream.pipe(response);
  });
  return { status, key };
}

/**
 * The file for `key` when it lies inside `dir` once symlinks are resolved; undefined when it would leave it.
 * A missing file resolves to its would-be path (the caller answers 404).
 */
async function containedFile(dir: string, key: string): Promise<string | undefined> {
  const root = await realpath(dir).catch(() => path.resolve(dir));
  const candidate = path.resolve(root, ...key.split("/"));
  if (!isInside(root, candidate)) return undefined;
  const real = await realpath(candidate).catch(() => candidate);
  return isInside(root, real) ? real : undefined;
}

function isInside(root: string, file: string): boolean {
  const relative = path.relative(root, file);
  return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative);
}

/**
 * One `bytes=` range: `[start, end]` inclusive, undefined when there is no (usable) Range header, "unsatisfiable"
 * when it starts past the end. Hand-written: a dozen lines, and multi-range answers are not needed by any player.
 */
export function parseRange(
  header: string | undefined,
  size: number,
): [number, number] | "unsatisfiable" | undefined {
  const match = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (match === null || (match[1] === "" && match[2] === "")) return undefined;
  if (match[1] === "") {
    const suffix = Number(match[2]);
    if (suffix === 0) return "unsatisfiable";
    return [Math.max(0, size - suffix), size - 1];
  }
  const start = Number(match[1]);
  const end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size || end < start) return "unsatisfiable";
  return [start, end];
}

function refuse(response: ServerResponse, status: number, reason: string, key?: string): MediaOutcome {
  response.writeHead(status, { "Content-Type": "text/plain; charset=utf-8" }).end(`${reason}\n`);
  return { status, reason, key };
}
