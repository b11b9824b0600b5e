import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { watchFolders } from "../../../../scripts/lib/dev-server/reload";

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "..", "..", "..", "..");

// jest replaces Node's require (and its cache) with its own registry, so the reloader runs in a real Node process.
describe("createModuleReloader", () => {
  it("loads a module from cache until invalidated, then afresh", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "skillship-reload-"));
    const file = path.join(dir, "answer.js");
    await writeFile(file, "module.exports = { answer: 1 };");
    const script = `
      require("tsx/cjs");
      const { writeFileSync } = require("node:fs");
      const { createModuleReloader } = require(${JSON.stringify(path.join(ROOT, "scripts/lib/dev-server/reload.ts"))});
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
  it("reports a burst of changes once", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "skillship-watch-"));
    const batches: string[][] = [];
    const stop = watchFolders([dir], (changed) => batches.push(changed));
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      await writeFile(path.join(dir, "a.ts"), "1");
      await writeFile(path.join(dir, "b.ts"), "2");
      const deadline = Date.now() + 5000;
      while (batches.length === 0 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 50));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(batches).toHaveLength(1);
      expect(batches[0].map((file) => path.basename(file)).sort()).toEqual(
        expect.arrayContaining(["a.ts", "b.ts"]),
      );
    } finally {
      await stop();
    }
  });
});
