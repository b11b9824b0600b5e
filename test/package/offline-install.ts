/**
 * Installing a packed tarball into a temporary project the way `npm install --offline` would, with no network:
 * the project's lockfile is written from this repository's (the tarball, and every package it and the project
 * need, at the versions this repository resolved), so `npm ci --offline` takes each package from npm's cache,
 * where this repository's own `npm ci` put them.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const repoRoot = path.resolve(__dirname, "..", "..");

interface LockEntry {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  dev?: boolean;
  devOptional?: boolean;
  peer?: boolean;
  [key: string]: unknown;
}

/** The lock entry path a package `name` required from `from` resolves to, as Node resolves it. */
function resolveIn(packages: Record<string, LockEntry>, from: string, name: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = `${dir === "" ? "" : `${dir}/`}node_modules/${name}`;
    if (packages[candidate] !== undefined) return candidate;
    if (dir === "") return undefined;
    const at = dir.lastIndexOf("/node_modules/");
    dir = at === -1 ? "" : dir.slice(0, at);
  }
}

/** The repository's lock entries for `roots` and everything they depend on, marked as production packages. */
function closure(packages: Record<string, LockEntry>, roots: readonly string[]): Record<string, LockEntry> {
  const chosen: Record<string, LockEntry> = {};
  const pending = roots.map((name) => `node_modules/${name}`);
  while (pending.length > 0) {
    const key = pending.pop()!;
    if (chosen[key] !== undefined) continue;
    const entry = packages[key];
    if (entry === undefined) throw new Error(`the repository's lockfile has no ${key}`);
    const { dev: _dev, devOptional: _devOptional, peer: _peer, ...production } = entry;
    chosen[key] = production;
    for (const name of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) {
      const resolved = resolveIn(packages, key, name);
      if (resolved !== undefined) pending.push(resolved);
    }
  }
  return chosen;
}

/**
 * Writes package.json and package-lock.json into `dir` for a project depending on `tarball` (a file in `dir`)
 * and on `extra` packages of this repository's lockfile, then runs `npm ci --offline` there.
 */
export async function installOffline(dir: string, tarball: string, extra: readonly string[]): Promise<void> {
  const lock = JSON.parse(await readFile(path.join(repoRoot, "package-lock.json"), "utf8")) as {
    packages: Record<string, LockEntry>;
  };
  const ours = JSON.parse(await readFile(path.join(repoRoot, "package.json"), "utf8")) as LockEntry & {
    name: string;
    license: string;
    bin: Record<string, string>;
    engines: Record<string, string>;
    peerDependencies: Record<string, string>;
    peerDependenciesMeta: Record<string, unknown>;
  };
  const bytes = await readFile(path.join(dir, tarball));
  const dependencies = {
    [ours.name]: `file:${tarball}`,
    ...Object.fromEntries(extra.map((name) => [name, lock.packages[`node_modules/${name}`]?.version ?? "*"])),
  };
  const packages: Record<string, LockEntry> = {
    "": { name: "adopter", version: "1.0.0", dependencies },
    ...closure(lock.packages, [...Object.keys(ours.dependencies ?? {}), ...extra]),
    [`node_modules/${ours.name}`]: {
      version: ours.version,
      resolved: `file:${tarball}`,
      integrity: `sha512-${createHash("sha512").update(bytes).digest("base64")}`,
      license: ours.license,
      dependencies: ours.dependencies,
      bin: ours.bin,
      engines: ours.engines,
      peerDependencies: ours.peerDependencies,
      peerDependenciesMeta: ours.peerDependenciesMeta,
    },
  };
  await writeFile(
    path.join(dir, "package.json"),
    JSON.stringify({ name: "adopter", version: "1.0.0", private: true, dependencies }, null, 2),
  );
  await writeFile(
    path.join(dir, "package-lock.json"),
    JSON.stringify(
      { name: "adopter", version: "1.0.0", lockfileVersion: 3, requires: true, packages },
      null,
      2,
    ),
  );
  try {
    await run("npm", ["ci", "--offline", "--ignore-scripts", "--no-audit", "--no-fund"], { cwd: dir });
  } catch (error) {
    throw new Error(
      "npm ci --offline failed in the temporary project; a package missing from npm's cache (ENOTCACHED) " +
        `means this repository's npm ci did not run on this machine:\n${(error as { stderr?: string }).stderr ?? error}`,
    );
  }
}
