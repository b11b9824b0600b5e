import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { watchFolders } from "../../../../../scripts/lib/local/dev-server/reload";

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
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it("reports a burst of changes once", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "skillship-watch-"));
    const batches: string[][] = [];
    const stop = watchFolders([dir], (changed) => batches.push(changed));
    try {
      // The watcher gets ready in the background: write until it reports, however slow the machine.
      for (let attempt = 0; batches.length === 0 && attempt < 20; attempt += 1) {
        await writeFile(path.join(dir, "warm-up.ts"), String(attempt));
        await pause(250);
      }
      expect(batches.length).toBeGreaterThan(0);
      batches.length = 0;
      await writeFile(path.join(dir, "a.ts"), "1");
      await writeFile(path.join(dir, "b.ts"), "2");
      await pause(600);
      expect(batches).toHaveLength(1);
      expect(batches[0].map((file) => path.basename(file))).toEqual(expect.arrayContaining(["a.ts", "b.ts"]));
    } finally {
      await stop();
    }
  });
});
