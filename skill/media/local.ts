import type { Dirent } from "node:fs";
import { readdir } from "node:fs/promises";
import * as path from "node:path";
import { MediaError } from "../errors";
import { isAudioKey, type MediaLibrary } from "./types";

/** The repository's sample clips, served by the local endpoint when no other folder is configured. */
export const DEFAULT_MEDIA_DIR = path.resolve(__dirname, "..", "..", "media");

/** Options of {@link createLocalMediaLibrary}. */
export interface LocalMediaOptions {
  /** Folder holding the clips, in language subfolders (`en/`, `de/`, …). */
  readonly dir: string;
  /**
   * A URL for a clip, as the local endpoint serving the folder makes them (signed and expiring, on the origin
   * it is reached at now: it changes when a tunnel opens).
   */
  readonly urlFor: (key: string) => string;
}

/** Clips in a local folder, listed afresh on every request (files change while developing). */
export function createLocalMediaLibrary(options: LocalMediaOptions): MediaLibrary {
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
      return options.urlFor(key);
    },
  };
}
