/**
 * In a checkout of Skillship, `npm ci` (prepare) links node_modules/.bin/skillship to bin/skillship.js, as npm
 * links the bin of a package a project installs: the reusable workflows put node_modules/.bin on PATH and run
 * `skillship`, which must be this checkout's CLI here as it is the installed one in a team's repository.
 */
import { execFile } from "node:child_process";
import { readFileSync, realpathSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";

const repoRoot = path.resolve(__dirname, "..", "..");

describe("the checkout's own skillship on PATH", () => {
  it("is bin/skillship.js, linked by npm ci, and runs", async () => {
    const link = path.join(repoRoot, "node_modules", ".bin", "skillship");
    expect(realpathSync(link)).toBe(realpathSync(path.join(repoRoot, "bin", "skillship.js")));
    const { version } = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as {
      version: string;
    };
    const { stdout } = await promisify(execFile)(link, ["--version"], {
      env: { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH}` },
    });
    expect(stdout.trim()).toBe(version);
  });
});
