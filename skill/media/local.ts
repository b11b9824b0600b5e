import type { Dirent } from "node:fs";
import { readdir } from "node:fs/promises";
import * as path from "node:path";
import { MediaError } from "../errors";
import { MEDIA_ROUTE, signMediaKey } from "./signing";
import { encodeKeyPath, isAudioKey, type MediaLibrary } from "./types";

/** The repository's sample clips, served by the local endpoint when no other folder is configured. */
export const DEFAULT_MEDIA_DIR = path.resolve(__dirname, "..", "..", "media");

/** Options of {@link createLocalMediaLibrary}. */
export interface LocalMediaOptions {
  /** Folder holding the clips, in language subfolders (`en/`, `de/`, …). */
  readonly dir: string;
  /**
   * Origin the endpoint is reached at (`http://127.0.0.1:3000`, or the tunnel's https URL): read for every URL,
   * since it changes when a tunnel opens.
   */
  readonly baseUrl: () => string;
  /** HMAC secret shared with the endpoint that serves the files. */
  readonly secret: string | Buffer;
  /** Lifetime of each URL. */
  readonly urlTtlSeconds: number;
  /** Current time in milliseconds (injectable for tests). */
  readonly now?: () => number;
}

/**
 * Clips in a local folder, listed afresh on every request (files change while developing), with URLs
 * `<baseUrl>/media/<key>?expires=<unix s>&sig=<hex hmac>` that the local endpoint verifies with `signing.ts`.
 */
export function createLocalMediaLibrary(options: LocalMediaOptions): MediaLibrary {
  const now = options.now ?? Date.now;
  return {
    async listClips() {
      let entries: Dirent[];
      try {
        entries = await readdir(options.dir, { recursive: true, withFileTypes: true });
      } catch (error) {
        throw new MediaError(`Cannot list media folder ${options.dir}: set MEDIA_DIR to a folder of clips`, {
          cause: error,
        });
      }
      return entries
        .filter((entry) => entry.isFile())
        .map((entry) => path.relative(options.dir, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"))
        .filter(isAudioKey)
        .sort();
    },
    async urlFor(key) {
      const expires = Math.floor(now() / 1000) + options.urlTtlSeconds;
      const { sig } = signMediaKey(key, expires, options.secret);
      const base = options.baseUrl().replace(/\/+$/, "");
      return `${base}${MEDIA_ROUTE}${encodeKeyPath(key)}?expires=${expires}&sig=${sig}`;
    },
  };
}
