/**
 * `skillship init` through the CLI, in temporary folders: an ASK CLI project gets its project file and Pulumi
 * project without anything moved or overwritten, and `--sample` lays out a skill that lints, speaks and builds.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import YAML from "yaml";
import { parseAdminConfig } from "../../../infra/admin-config";
import { parseStackConfig } from "../../../infra/config";
import { SECOND_SKILL_ID as SKILL_ID, writeSecondSkill } from "../support/second-skill";
import { plainEnv, runCli } from "./cli-harness";

const repoRoot = path.resolve(__dirname, "..", "..", "..");

async function emptyFolder(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), "skillship-init-"));
}

/** The `skillship:` keys of a stack file, as parseStackConfig takes them. */
async function stackValues(file: string): Promise<Record<string, string>> {
  const { config } = YAML.parse(await readFile(file, "utf8")) as { config: Record<string, string> };
  return Object.fromEntries(
    Object.entries(config)
      .filter(([key]) => key.startsWith("skillship:"))
      .map(([key, value]) => [key.slice("skillship:".length), String(value)]),
  );
}

describe("skillship init in an ASK CLI project", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await emptyFolder();
    await writeSecondSkill(dir, { linkNodeModules: false });
  });

  it("writes the project file and the Pulumi project from what it finds, and says what is left", async () => {
    const result = await runCli(["init"], plainEnv, { cwd: dir });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("(an ASK CLI project, read as it is)");
    for (const file of [
      "skillship.json",
      "Pulumi.yaml",
      "Pulumi.dev.yaml",
      "Pulumi.prod.yaml",
      "Pulumi.admin.yaml",
      "stacks.js",
    ]) {
      expect(result.stdout).toMatch(new RegExp(`${file.replace(".", "\\.")}\\s+│ written`));
    }
    expect(JSON.parse(await readFile(path.join(dir, "skillship.json"), "utf8"))).toEqual({
      $schema: "./node_modules/skillship/skillship.schema.json",
      kind: "custom",
      skillPackage: "skill-package",
      code: { entry: "lambda/index.js" },
    });
    const project = YAML.parse(await readFile(path.join(dir, "Pulumi.yaml"), "utf8"));
    expect(project).toMatchObject({ name: path.basename(dir).toLowerCase(), main: "stacks.js" });
    expect(await readFile(path.join(dir, "stacks.js"), "utf8")).toContain(
      'require("skillship/infra").skillshipStack()',
    );

    // Both stacks validate as written; what only the team knows is marked, what init knew is filled in.
    const dev = await stackValues(path.join(dir, "Pulumi.dev.yaml"));
    const prod = await stackValues(path.join(dir, "Pulumi.prod.yaml"));
    expect(dev.skillId).toBe(SKILL_ID);
    expect(() => parseStackConfig({ values: dev, stackName: "dev" })).not.toThrow();
    expect(() => parseStackConfig({ values: prod, stackName: "prod" })).not.toThrow();
    const admin = await stackValues(path.join(dir, "Pulumi.admin.yaml"));
    expect(() => parseAdminConfig({ values: admin, stackName: "admin" })).not.toThrow();
    const prodText = await readFile(path.join(dir, "Pulumi.prod.yaml"), "utf8");
    expect(prodText.match(/# REPLACE/g)).toHaveLength(2);
    expect(prodText).not.toMatch(/REPLACE: the skill id/);
    expect(prodText).not.toMatch(/githubRepository|stateBucket/);

    expect(result.stdout).toContain("npm install --save-dev skillship @pulumi/pulumi");
    expect(result.stdout).toContain("declare the intents each request handler answers");
    expect(result.stdout).toContain("fill in every value marked REPLACE");

    // The ASK CLI's files are untouched, and the project now reads from skillship.json.
    const lint = await runCli(["lint"], plainEnv, { cwd: dir });
    expect(lint.code).toBe(0);
    expect(lint.stdout).toContain("info: rule handlers skipped");
  });

  it("never overwrites a file without --force", async () => {
    await writeFile(path.join(dir, "Pulumi.yaml"), "name: ours\n");
    const first = await runCli(["init", "--json"], plainEnv, { cwd: dir });
    expect(first.code).toBe(0);
    const document = JSON.parse(first.stdout) as {
      files: { path: string; outcome: string }[];
      steps: string[];
    };
    expect(document.files).toContainEqual({ path: "Pulumi.yaml", outcome: "kept" });
    expect(document.steps.join("\n")).toContain("files it kept (Pulumi.yaml)");
    expect(await readFile(path.join(dir, "Pulumi.yaml"), "utf8")).toBe("name: ours\n");

    const again = JSON.parse(
      (await runCli(["init", "--json"], plainEnv, { cwd: dir })).stdout,
    ) as typeof document;
    expect(again.files.every((file) => file.outcome === "kept")).toBe(true);

    const forced = JSON.parse(
      (await runCli(["init", "--json", "--force"], plainEnv, { cwd: dir })).stdout,
    ) as typeof document;
    expect(forced.files).toContainEqual({ path: "Pulumi.yaml", outcome: "replaced" });
    expect(await readFile(path.join(dir, "Pulumi.yaml"), "utf8")).toContain("main: stacks.js");
  });

  it("writes the caller workflows of Skillship's reusable ones, pinned with --workflows, beside the team's own", async () => {
    await mkdir(path.join(dir, ".github", "workflows"), { recursive: true });
    await writeFile(path.join(dir, ".github", "workflows", "ci.yml"), "name: ours\n");
    const commit = "0123456789abcdef0123456789abcdef01234567";
    const result = await runCli(["init", "--json", "--workflows", `acme/skillship@${commit}`], plainEnv, {
      cwd: dir,
    });
    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout) as {
      files: { path: string; outcome: string }[];
      steps: string[];
    };
    const workflows = document.files.filter((file) => file.path.startsWith(".github/"));
    expect(workflows.map((file) => file.path).sort()).toEqual(
      ["beta", "certification", "ci", "drift", "release", "rollback"].map(
        (name) => `.github/workflows/skillship-${name}.yml`,
      ),
    );
    expect(workflows.every((file) => file.outcome === "written")).toBe(true);
    expect(document.files).toContainEqual({ path: ".nvmrc", outcome: "written" });
    expect(await readFile(path.join(dir, ".github", "workflows", "ci.yml"), "utf8")).toBe("name: ours\n");
    const beta = YAML.parse(
      await readFile(path.join(dir, ".github", "workflows", "skillship-beta.yml"), "utf8"),
    );
    expect(beta.jobs.beta.uses).toBe(`acme/skillship/.github/workflows/reusable-beta.yml@${commit}`);
    expect(document.steps.join("\n")).not.toContain("REPLACE-OWNER");
    expect(document.steps.join("\n")).toContain("docs/adopting-existing.md#6-ci-workflows");

    const unpinned = await runCli(["init", "--json", "--force"], plainEnv, { cwd: dir });
    expect((JSON.parse(unpinned.stdout) as typeof document).steps.join("\n")).toContain(
      "skillship init --workflows OWNER/NAME@COMMIT --force",
    );
    expect(await readFile(path.join(dir, ".github", "workflows", "skillship-beta.yml"), "utf8")).toContain(
      "REPLACE-OWNER/skillship/.github/workflows/reusable-beta.yml@REPLACE-COMMIT",
    );
  });

  it("in a subfolder of a git repository, writes the callers at the repository's root to run in the subfolder", async () => {
    const root = await emptyFolder();
    await promisify(execFile)("git", ["init", "--quiet"], { cwd: root });
    const sub = path.join(root, "alexa");
    await mkdir(sub);
    await writeSecondSkill(sub, { linkNodeModules: false });
    const result = await runCli(["init", "--json"], plainEnv, { cwd: sub });
    expect(result.code).toBe(0);
    const { files } = JSON.parse(result.stdout) as { files: { path: string }[] };
    expect(files.map((file) => file.path)).toContain("../.github/workflows/skillship-beta.yml");
    const beta = YAML.parse(
      await readFile(path.join(root, ".github", "workflows", "skillship-beta.yml"), "utf8"),
    );
    expect(beta.jobs.beta.with).toMatchObject({ "working-directory": "alexa" });
    expect(existsSync(path.join(sub, ".github"))).toBe(false);
  });

  it("refuses --workflows that does not name a repository and a full commit (exit 2), writing nothing", async () => {
    const result = await runCli(["init", "--workflows", "acme/skillship@v1.4.0"], plainEnv, { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--workflows "acme/skillship@v1.4.0" must be OWNER/NAME@COMMIT');
    expect(existsSync(path.join(dir, "skillship.json"))).toBe(false);
  });
});

describe("skillship init --sample", () => {
  it("refuses a folder that holds files, naming them", async () => {
    const dir = await emptyFolder();
    await writeFile(path.join(dir, "notes.md"), "mine");
    const result = await runCli(["init", "--sample"], plainEnv, { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/init --sample lays out a skill in an empty folder, and .* has notes\.md/);
  });

  it("lays out a minimal custom skill that lints, answers offline, replays its dialog and builds", async () => {
    const dir = await emptyFolder();
    await mkdir(path.join(dir, ".git"));
    const init = await runCli(["init", "--sample", "--skill-id", SKILL_ID], plainEnv, { cwd: dir });
    expect(init.code).toBe(0);
    const packageJson = JSON.parse(await readFile(path.join(dir, "package.json"), "utf8"));
    expect(packageJson.dependencies).toEqual({ "ask-sdk-core": expect.any(String) });
    expect(packageJson.devDependencies.skillship).toMatch(/^\^\d+\.\d+\.\d+$/);
    expect(await readFile(path.join(dir, "Pulumi.dev.yaml"), "utf8")).toContain(
      `skillship:skillId: ${SKILL_ID}`,
    );
    // What `npm install` would give it, taken from this repository.
    await symlink(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"));

    const lint = await runCli(["lint"], plainEnv, { cwd: dir });
    expect(lint.stdout).toBe("Skill package OK: no problems found.\n");
    expect(lint.code).toBe(0);
    const say = await runCli(["say", "open hello sample", "--json"], plainEnv, { cwd: dir });
    expect(say.code).toBe(0);
    expect(JSON.stringify(JSON.parse(say.stdout).response.outputSpeech)).toContain("Welcome");
    const dialog = await runCli(
      ["dialog", "--replay", path.join(dir, "test", "dialogs", "en-US.yaml")],
      plainEnv,
      {
        cwd: dir,
      },
    );
    expect(dialog.stdout).toContain("PASS");
    expect(dialog.code).toBe(0);
    const build = await runCli(["build", "--json"], plainEnv, { cwd: dir });
    expect(build.code).toBe(0);
    expect(existsSync(path.join(dir, "dist", "skill", "skill.zip"))).toBe(true);
  }, 60_000);
});
