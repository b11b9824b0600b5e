/**
 * Runs `skillship` commands in-process through `run([...])` of `scripts/cli.ts`, with a temporary environment,
 * capturing what they print. Used by the command tests of status, diff and deploy-model.
 */
import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "../../../scripts/cli";

/** What one run printed, and its exit code. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI with `env` merged into `process.env` (variables set to undefined are removed) for the duration of
 * the run, in `options.cwd` (default the process's); stdout and stderr are captured, not shown.
 */
export async function runCli(
  args: string[],
  env: Record<string, string | undefined> = {},
  options: { cwd?: string } = {},
): Promise<CliRun> {
  const saved: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(env)) {
    saved[name] = process.env[name];
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  const out: string[] = [];
  const err: string[] = [];
  const stdout = jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
  const stderr = jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    err.push(String(chunk));
    return true;
  });
  try {
    const code = await run(args, process.env, options);
    return { code, stdout: out.join(""), stderr: err.join("") };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/** A temporary folder for one test. */
export function tempDir(prefix = "skillship-cli-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A copy of the repository's skill package in a temporary folder (tests change it freely). */
export function copySkillPackage(): string {
  const dir = join(tempDir(), "skill-package");
  cpSync(join(__dirname, "..", "..", "..", "skill-package"), dir, { recursive: true });
  return dir;
}

/** Writes stack outputs as `pulumi stack output --json` would and returns the file. */
export function writeOutputs(outputs: Record<string, unknown>): string {
  const file = join(tempDir("skillship-outputs-"), "outputs.json");
  writeFileSync(file, JSON.stringify(outputs, null, 2));
  return file;
}

/** Environment that keeps output plain and off GitHub Actions unless a test sets it. */
export const plainEnv = { CI: "true", GITHUB_ACTIONS: undefined, GITHUB_STEP_SUMMARY: undefined };
