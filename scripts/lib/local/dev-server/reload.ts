/**
 * Reloading the skill while the server keeps listening: the watched folders' modules are dropped from Node's
 * require cache and required again, and chokidar says when a file under them changed.
 */
import { createRequire } from "node:module";
import * as path from "node:path";
import { watch } from "chokidar";

/** Loads a module afresh after {@link ModuleReloader.invalidate}. */
export interface ModuleReloader {
  /** Requires `file` (absolute), from cache unless invalidated since. */
  load<T>(file: string): T;
  /** Drops every cached module under the watched folders (their node_modules excepted); returns how many. */
  invalidate(): number;
}

/**
 * A reloader for modules under `folders` (absolute). It uses Node's own require cache, the one the project's
 * modules are loaded into (TypeScript ones through tsx's hook).
 */
export function createModuleReloader(folders: readonly string[]): ModuleReloader {
  const nativeRequire = createRequire(__filename);
  const watched = folders.map((folder) => path.resolve(folder));
  return {
    load<T>(file: string): T {
      return nativeRequire(file) as T;
    },
    invalidate() {
      let dropped = 0;
      for (const key of Object.keys(nativeRequire.cache)) {
        // A watched path is a folder, or a module file at the project's root.
        const under = watched.find((entry) => key === entry || key.startsWith(entry + path.sep));
        if (under !== undefined && !key.slice(under.length).split(path.sep).includes("node_modules")) {
          delete nativeRequire.cache[key];
          dropped += 1;
        }
      }
      return dropped;
    },
  };
}

/** Stops a watch. */
export type StopWatching = () => Promise<void>;

/** Watches folders and calls back (debounced) with the changed paths; injectable so tests trigger it directly. */
export type WatchFolders = (
  folders: readonly string[],
  onChange: (changed: string[]) => void,
) => StopWatching;

/** Options of {@link watchFolders}. */
export interface WatchOptions {
  /** Quiet time that ends a burst, in ms. Default 150. */
  debounceMs?: number;
  /** Called once the initial scan is done: from then on every change is reported. */
  onReady?: () => void;
}

/** The chokidar watcher: one callback per burst of changes (an editor's save writes several times). */
export function watchFolders(
  folders: readonly string[],
  onChange: (changed: string[]) => void,
  options: WatchOptions = {},
): StopWatching {
  const debounceMs = options.debounceMs ?? 150;
  const watcher = watch([...folders], {
    ignoreInitial: true,
    ignored: (file) => /(^|[\\/])(\.|node_modules)/.test(path.basename(file)),
  });
  if (options.onReady !== undefined) watcher.once("ready", options.onReady);
  let pending: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  watcher.on("all", (_event, file) => {
    pending.push(file);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const changed = pending;
      pending = [];
      onChange(changed);
    }, debounceMs);
  });
  return async () => {
    clearTimeout(timer);
    await watcher.close();
  };
}
