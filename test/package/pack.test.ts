/**
 * The npm package on its own: `npm pack` of this repository, installed into a temporary project with npm's
 * offline resolution, runs from its built JavaScript (no tsx, no TypeScript there) and serves a skill that shares
 * nothing with Jokebox: `skillship --version`, `lint`, `build`, and `init --sample` from the templates it ships.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { writeSecondSkill } from "../scripts/support/second-skill";
import { installOffline } from "./offline-install";

const run = promisify(execFile);
const repoRoot = path.resolve(__dirname, "..", "..");

/**
 * Building, packing and installing take about half a minute here, more with both cores busy: the guard stops a
 * hang and measures nothing.
 */
const GUARD_MS = 240_000;

let project: string;
let files: string[];

/** The installed CLI in the temporary project, run as `npx skillship` would. */
async function skillship(
  args: string[],
  cwd = project,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [path.join(project, "node_modules", ".bin", "skillship"), ...args],
      {
        cwd,
        env: { ...process.env, CI: "true", NO_COLOR: "1" },
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

beforeAll(async () => {
  project = await mkdtemp(path.join(tmpdir(), "skillship-adopter-"));
  // The package as `prepack` builds it (strictly), then packed without running the build again.
  await run(process.execPath, [path.join(repoRoot, "bin", "build-package.js")], { cwd: repoRoot });
  const { stdout } = await run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", project], {
    cwd: repoRoot,
  });
  const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  files = packed.files.map((file) => file.path);
  await installOffline(project, packed.filename, ["ask-sdk-core"]);
  await writeSecondSkill(project, { linkNodeModules: false });
}, GUARD_MS);

describe("the packed skillship package", () => {
  it("holds the built CLI, the exports with their declarations and the templates, and no TypeScript source", async () => {
    const manifest = JSON.parse(await readFile(path.join(repoRoot, "package.json"), "utf8")) as {
      bin: Record<string, string>;
      exports: Record<string, string | { types: string; default: string }>;
    };
    const targets = Object.values(manifest.exports).flatMap((target) =>
      typeof target === "string" ? [target] : [target.types, target.default],
    );
    for (const target of [...targets, ...Object.values(manifest.bin)]) {
      expect(files).toContain(target.replace(/^\.\//, ""));
    }
    expect(files).toContain("templates/sample/lambda/index.js");
    expect(files.filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"))).toEqual([]);
  });

  it("installs without tsx or TypeScript and runs skillship --version from built JavaScript", async () => {
    expect(existsSync(path.join(project, "node_modules", "tsx"))).toBe(false);
    expect(existsSync(path.join(project, "node_modules", "typescript"))).toBe(false);
    const { version } = JSON.parse(await readFile(path.join(repoRoot, "package.json"), "utf8")) as {
      version: string;
    };
    const result = await skillship(["--version"]);
    expect(result).toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  it("lints and builds a skill of plain ask-sdk-core handlers in the project", async () => {
    const lint = await skillship(["lint"]);
    expect(lint.stderr).toBe("");
    expect(lint.code).toBe(0);
    expect(lint.stdout).toContain("Skill package OK: no problems found.");
    const build = await skillship(["build", "--json"]);
    expect(build.code).toBe(0);
    expect(JSON.parse(build.stdout)).toMatchObject({
      codeSha256: expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/),
    });
    expect(existsSync(path.join(project, "dist", "skill", "skill.zip"))).toBe(true);
  });

  it("lays out the sample from the templates it ships", async () => {
    const sample = path.join(project, "sample");
    await mkdir(sample);
    const init = await skillship(["init", "--sample"], sample);
    expect(init.code).toBe(0);
    expect(existsSync(path.join(sample, "lambda", "index.js"))).toBe(true);
    const lint = await skillship(["lint"], sample);
    expect(lint.stdout).toBe("Skill package OK: no problems found.\n");
  });

  it("loads a project's TypeScript itself (no tsx), keeping what it transpiled for the next run", async () => {
    const typed = path.join(project, "typed");
    await mkdir(typed);
    await writeFile(
      path.join(typed, "skillship.json"),
      JSON.stringify({
        skillPackage: "../skill-package",
        code: { local: "local.ts" },
        local: { settings: { word: "heads" } },
      }),
    );
    await writeFile(
      path.join(typed, "local.ts"),
      [
        'import * as Alexa from "ask-sdk-core";',
        "",
        "interface Context {",
        "  settings: Record<string, unknown>;",
        "}",
        "",
        "export function createLocalSkill(context: Context) {",
        "  const answer: Alexa.RequestHandler = {",
        "    canHandle: () => true,",
        "    handle: (input) => input.responseBuilder.speak(`typed ${String(context.settings.word)}`).getResponse(),",
        "  };",
        "  return Alexa.SkillBuilders.custom().addRequestHandlers(answer).create();",
        "}",
        "",
      ].join("\n"),
    );
    for (const run of ["first", "cached"]) {
      const say = await skillship(["say", "open coin flipper"], typed);
      expect({ run, code: say.code, stderr: say.stderr }).toEqual({ run, code: 0, stderr: "" });
      expect(say.stdout).toContain("typed heads");
    }
    expect(existsSync(path.join(typed, "node_modules", ".cache", "skillship", "ts"))).toBe(true);
  });

  it("exports the Pulumi components as skillship/infra, for another Pulumi program", async () => {
    // The Pulumi packages are peers the program's project installs; this repository's stand in for them.
    await symlink(
      path.join(repoRoot, "node_modules", "@pulumi"),
      path.join(project, "node_modules", "@pulumi"),
    );
    const program = [
      'const pulumi = require("@pulumi/pulumi");',
      "pulumi.runtime.setMocks(",
      "  {",
      "    newResource: (args) => ({",
      "      id: `${args.name}-id`,",
      "      state: { ...args.inputs, arn: `arn:aws:lambda:us-east-1:123456789012:function:${args.inputs.name}` },",
      "    }),",
      "    call: () => ({}),",
      "  },",
      '  "adopter",',
      '  "dev",',
      ");",
      'const infra = require("skillship/infra");',
      'const fn = new infra.SkillFunction("adopter-dev-skill", {',
      '  functionName: "adopter-dev-skill",',
      '  bundle: { zipPath: "dist/skill/skill.zip", codeSha256: "x" },',
      '  handler: "index.handler",',
      '  skillId: "amzn1.ask.skill.00000000-0000-4000-8000-000000000001",',
      '  skillKind: "custom",',
      "  memorySize: 512,",
      "  timeout: 8,",
      '  architecture: "arm64",',
      "  logRetentionDays: 14,",
      '  mediaBucketName: "media",',
      '  mediaBucketArn: "arn:aws:s3:::media",',
      "  alexaInvokesLatest: true,",
      "});",
      "fn.functionArn.apply((arn) => console.log(JSON.stringify({ arn, exports: Object.keys(infra).sort() })));",
    ].join("\n");
    const { stdout } = await run(process.execPath, ["-e", program], { cwd: project });
    const printed = JSON.parse(stdout.trim().split("\n").pop()!) as { arn: string; exports: string[] };
    expect(printed.arn).toBe("arn:aws:lambda:us-east-1:123456789012:function:adopter-dev-skill");
    expect(printed.exports).toEqual(
      expect.arrayContaining([
        "SkillFunction",
        "ReleaseAliases",
        "MediaBucket",
        "skillshipStack",
        "loadStackConfig",
      ]),
    );
  });

  it("exports the request verifier as skillship/runtime, for a skill hosted as a web service", async () => {
    const check = [
      'const runtime = require("skillship/runtime");',
      "const body = JSON.stringify({ version: '1.0' });",
      "runtime.createRequestVerifier().verify(body, {}).then((result) =>",
      "  console.log(JSON.stringify({ ok: result.ok, status: result.status, exports: Object.keys(runtime).sort() })),",
      ");",
    ].join("\n");
    const { stdout } = await run(process.execPath, ["-e", check], { cwd: project });
    const printed = JSON.parse(stdout.trim()) as { ok: boolean; status: number; exports: string[] };
    expect(printed).toMatchObject({ ok: false, status: 400 });
    expect(printed.exports).toEqual(expect.arrayContaining(["createRequestVerifier", "envelopeProblem"]));
  });

  it("exports withFunctionSecrets, with the contract it reads shipped beside it", async () => {
    const check = [
      'const { withFunctionSecrets } = require("skillship/runtime");',
      "(async () => {",
      "  const plain = await withFunctionSecrets({ A: '1' });",
      "  const refused = await withFunctionSecrets({ SKILLSHIP_SECRETS: '{' }).catch((error) => error.message);",
      "  console.log(JSON.stringify({ plain, refused }));",
      "})();",
    ].join("\n");
    const { stdout } = await run(process.execPath, ["-e", check], { cwd: project });
    expect(JSON.parse(stdout.trim())).toEqual({
      plain: { A: "1" },
      refused: expect.stringMatching(
        /^SKILLSHIP_SECRETS is not JSON: the stack sets it from skillship:functionSecrets/,
      ),
    });
  });
});
