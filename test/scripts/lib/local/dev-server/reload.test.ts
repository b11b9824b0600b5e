import { EventEmitter, on } from "node:events";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { watchFolders, type StopWatching } from "../../../../../scripts/lib/local/dev-server/reload";

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "..", "..", "..", "..", "..");

// jest replaces Node's require (and its cache) with its own registry, so the reloader runs in a real Node process.
describe("createModuleReloader", () => {
  it("loads a module from cache until invalidated, then afresh", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "skillship-reload-"));
    const file = path.join(dir, "answer.js");
    await writeFile(file, "module.exports = { answer: 1 };");
    const script = `
      require("tsx/cjs");
      const { writeFileSync } = require("node:fs");
      const { createModuleReloader } = require(${JSON.stringify(path.join(ROOT, "scripts/lib/local/dev-server/reload.ts"))});
      const file = ${JSON.stringify(file)};
      const reloader = createModuleReloader([${JSON.stringify(dir)}]);
      const seen = [reloader.load(file).answer];
      writeFileSync(file, "module.exports = { answer: 2 };");
      seen.push(reloader.load(file).answer, reloader.invalidate(), reloader.load(file).answer);
      process.stdout.write(JSON.stringify(seen));
    `;
    const { stdout } = await run(process.execPath, ["-e", script], { cwd: ROOT });
    // cached, still cached after the edit, one module dropped, fresh
    expect(JSON.parse(stdout)).toEqual([1, 1, 1, 2]);
  });
});

describe("watchFolders", () => {
  it("reports a burst of changes once, naming each file in it", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "skillship-watch-"));
    const changes = new EventEmitter();
    const batches = on(changes, "batch");
    const nextBatch = async (): Promise<string[]> => {
      const [changed] = (await batches.next()).value as [string[]];
      return [...new Set(changed.map((file) => path.basename(file)))].sort();
    };
    let stop: StopWatching = async () => undefined;
    // A write before the initial scan ends may go unseen: the test writes once the watcher says it is ready.
    await new Promise<void>((resolve) => {
      stop = watchFolders([dir], (changed) => changes.emit("batch", changed), {
        onReady: resolve,
        // A burst is writes closer together than this; the test's two writes are back to back, but on a
        // starved CPU their events can come a few hundred ms apart.
        debounceMs: 1000,
      });
    });
    try {
      await writeFile(path.join(dir, "a.ts"), "1");
      await writeFile(path.join(dir, "b.ts"), "2");
      expect(await nextBatch()).toEqual(["a.ts", "b.ts"]);
      // Nothing of that burst is reported again: the next batch holds the next change alone.
      await writeFile(path.join(dir, "c.ts"), "3");
      expect(await nextBatch()).toEqual(["c.ts"]);
    } finally {
      await stop();
    }
  });
});
