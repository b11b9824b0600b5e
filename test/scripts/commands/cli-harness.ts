/**
 * Runs `skillship` commands in-process through `run([...])` of `scripts/cli.ts`, with a temporary environment,
 * capturing what they print; and the world the release commands' tests start from.
 */
import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "../../../scripts/cli";
import { withEndpoint } from "../../../scripts/lib/package/endpoint";
import { readSkillPackage } from "../../../scripts/lib/package/skill-package";
import { createLambdaModel, type LambdaModel } from "../../../testkit/fakes/lambda";
import {
  FAKE_SKILL_ID,
  startFakeSmapi,
  type FakeSmapi,
  type FakeSmapiOptions,
} from "../../../testkit/fakes/smapi";
import { prodOutputs } from "../../../testkit/release-world";

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

/**
 * A copy of the repository's skill package (or of the package at `source`, relative to the repository) in a
 * temporary folder (tests change it freely).
 */
export function copySkillPackage(source = "skill-package"): string {
  const dir = join(tempDir(), "skill-package");
  cpSync(join(__dirname, "..", "..", "..", source), dir, { recursive: true });
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

/** What a release command test works with. */
export interface ReleaseCli {
  /** The fake Skill Management API: the repository's package on the development stage, on the dev endpoint. */
  fake: FakeSmapi;
  /** The in-memory Lambda behind every Lambda client, `$LATEST` holding the bundle. */
  lambda: LambdaModel;
  /** The CLI's environment: the fakes, plain output, AWS region and credentials. */
  env: Record<string, string | undefined>;
  /** The prod stack's outputs file, the build record file, a copy of the skill package. */
  outputs: string;
  build: string;
  pkg: string;
  /** Writes the build record of another bundle. */
  writeBuild(codeSha256: string): void;
}

/** `skillship release` of `tag` with the world's outputs, build record and package, then `more`. */
export function releaseCommand(
  cli: Pick<ReleaseCli, "outputs" | "build" | "pkg">,
  tag: string,
  ...more: string[]
): string[] {
  return [
    "release",
    "--version-message",
    tag,
    "--tag",
    tag,
    "--commit",
    "0123456789abcdef0123456789abcdef01234567",
    "--outputs",
    cli.outputs,
    "--build",
    cli.build,
    "--package",
    cli.pkg,
    ...more,
  ];
}

/** Starts the world of a release command test, with `bundle` built and on `$LATEST`. */
export async function startReleaseCli(
  bundle: string,
  smapi: Omit<FakeSmapiOptions, "skills"> = {},
  /** The package released, relative to the repository: Jokebox's by default. */
  packageRoot = "skill-package",
): Promise<ReleaseCli> {
  const repo = await readSkillPackage(packageRoot);
  const fake = await startFakeSmapi({
    ...smapi,
    skills: [
      {
        skillId: FAKE_SKILL_ID,
        development: {
          manifest: withEndpoint(repo.manifest, { uri: prodOutputs.developmentEndpoint }),
          models: structuredClone(repo.models),
          ...(repo.files === undefined ? {} : { files: repo.files }),
        },
      },
    ],
  });
  const lambda = createLambdaModel({ functionName: prodOutputs.functionName, allInstances: true });
  lambda.deploy(bundle);
  const build = join(tempDir(), "build.json");
  const writeBuild = (codeSha256: string) =>
    writeFileSync(build, JSON.stringify({ codeSha256, rawBytes: 1, gzipBytes: 1 }));
  writeBuild(bundle);
  return {
    fake,
    lambda,
    env: {
      ...fake.env,
      ...plainEnv,
      AWS_REGION: "eu-west-1",
      AWS_ACCESS_KEY_ID: "x",
      AWS_SECRET_ACCESS_KEY: "y",
    },
    outputs: writeOutputs(prodOutputs as unknown as Record<string, unknown>),
    build,
    pkg: copySkillPackage(packageRoot),
    writeBuild,
  };
}
