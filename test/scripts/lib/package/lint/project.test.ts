/**
 * Lint as the project configures it: handler declarations from code.handlers (or the handlers rule skipped with
 * one info line), and rules switched off with their reason, in `skillship lint` and in the gate before uploads.
 */
import { cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { ConfigError, OperationError } from "../../../../../scripts/lib/core/errors";
import { passLintGate } from "../../../../../scripts/lib/package/gate";
import { formatRuleNotes, lintProject } from "../../../../../scripts/lib/package/lint/project";
import { readSkillPackage } from "../../../../../scripts/lib/package/skill-package";
import { readProject } from "../../../../../scripts/lib/project";
import { plainEnv, runCli } from "../../../commands/cli-harness";

const repoRoot = path.resolve(__dirname, "..", "..", "..", "..", "..");

/** A project holding a copy of the repository's package, with this skillship.json and these files. */
async function project(
  settings: Record<string, unknown>,
  files: Record<string, string> = {},
): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "skillship-lint-project-"));
  await cp(path.join(repoRoot, "skill-package"), path.join(dir, "skill-package"), { recursive: true });
  await writeFile(path.join(dir, "skillship.json"), JSON.stringify(settings));
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return dir;
}

async function lint(dir: string) {
  const found = readProject({ cwd: dir });
  return lintProject(await readSkillPackage(found.paths.skillPackage), found);
}

/** Every intent of the repository's models, as handlers declaring them would list them. */
async function modelIntents(): Promise<string[]> {
  const model = JSON.parse(
    await readFile(path.join(repoRoot, "skill-package", "interactionModels", "custom", "en-US.json"), "utf8"),
  ) as { interactionModel: { languageModel: { intents: { name: string }[] } } };
  return model.interactionModel.languageModel.intents.map((intent) => intent.name);
}

describe("lintProject", () => {
  it("skips the handlers rule with one reason when the project names no handler declarations", async () => {
    const report = await lint(await project({}));
    expect(report.problems.filter((problem) => problem.rule === "handlers")).toEqual([]);
    expect(report.skipped).toEqual([
      { rule: "handlers", reason: expect.stringContaining("names no code.handlers module") },
    ]);
    expect(formatRuleNotes(report)).toMatch(
      /^info: rule handlers skipped: the project names no code\.handlers/,
    );
    expect(formatRuleNotes(report).split("\n")).toHaveLength(2);
  });

  it("skips it too when the handlers declare nothing (plain canHandle handlers)", async () => {
    const dir = await project(
      { code: { handlers: "handlers.js" } },
      { "handlers.js": "exports.requestHandlers = [{ canHandle: () => true, handle: () => undefined }];\n" },
    );
    const report = await lint(dir);
    expect(report.skipped).toEqual([
      {
        rule: "handlers",
        reason: expect.stringMatching(/^no handler in .*handlers\.js declares its intents/),
      },
    ]);
  });

  it("matches the declared intents against the models, pointing at the declaring module", async () => {
    const declared = (await modelIntents()).filter((name) => name !== "AMAZON.RepeatIntent");
    const dir = await project(
      { code: { handlers: "handlers.js" } },
      {
        "handlers.js": `exports.requestHandlers = [{ intents: ${JSON.stringify([...declared, "OrderPizzaIntent"])} }];\n`,
      },
    );
    const report = await lint(dir);
    expect(report.skipped).toEqual([]);
    const handlers = report.problems.filter((problem) => problem.rule === "handlers");
    expect(handlers.map((problem) => problem.message)).toEqual([
      expect.stringContaining("no request handler answers AMAZON.RepeatIntent"),
      expect.stringContaining(
        "a request handler answers OrderPizzaIntent, but no interaction model declares it",
      ),
    ]);
    expect(handlers[1].file).toMatch(/handlers\.js$/);
  });

  it("refuses declarations it cannot read, naming the module", async () => {
    const notArray = await project(
      { code: { handlers: "handlers.js" } },
      { "handlers.js": "exports.requestHandlers = 3;\n" },
    );
    await expect(lint(notArray)).rejects.toThrow(ConfigError);
    await expect(lint(notArray)).rejects.toThrow(/exports no requestHandlers array/);
    const badIntents = await project(
      { code: { handlers: "handlers.js" } },
      { "handlers.js": 'exports.requestHandlers = [{ intents: "StopIntent" }];\n' },
    );
    await expect(lint(badIntents)).rejects.toThrow(
      /requestHandlers\[0\]\.intents in .* must be a list of intent names/,
    );
  });

  it("leaves out the problems of a rule switched off, and says so with the reason", async () => {
    const dir = await project({
      lint: { rules: { icons: { off: true, reason: "the icons come from the console" } } },
    });
    await writeFile(path.join(dir, "skill-package", "assets", "images", "icon-108.png"), "not a png");
    const on = await lint(await project({}));
    expect(on.problems.some((problem) => problem.rule === "icons")).toBe(false);
    const report = await lint(dir);
    expect(report.problems.some((problem) => problem.rule === "icons")).toBe(false);
    expect(report.off).toEqual([{ rule: "icons", reason: "the icons come from the console" }]);
    expect(formatRuleNotes(report)).toContain(
      "info: rule icons is off in the project file: the icons come from the console",
    );

    // The same file with the rule on fails, in lint and in the gate before any upload.
    await writeFile(path.join(dir, "skillship.json"), "{}");
    const found = readProject({ cwd: dir });
    const pkg = await readSkillPackage(found.paths.skillPackage);
    expect((await lintProject(pkg, found)).problems.some((problem) => problem.rule === "icons")).toBe(true);
    await expect(passLintGate(pkg, found, "deployed")).rejects.toThrow(OperationError);
  });
});

describe("skillship lint in a project", () => {
  it("prints the notes, exits 0 when the only errors are of rules switched off, and lists them in --json", async () => {
    const dir = await project({
      lint: { rules: { "duplicate-utterance": { off: true, reason: "kept while the model is reworked" } } },
    });
    const modelFile = path.join(dir, "skill-package", "interactionModels", "custom", "en-US.json");
    const model = JSON.parse(await readFile(modelFile, "utf8"));
    const [intent] = model.interactionModel.languageModel.intents;
    intent.samples.push(intent.samples[0]);
    await writeFile(modelFile, JSON.stringify(model));

    const text = await runCli(["lint"], plainEnv, { cwd: dir });
    expect(text.stderr).toBe("");
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("info: rule handlers skipped:");
    expect(text.stdout).toContain(
      "info: rule duplicate-utterance is off in the project file: kept while the model is reworked",
    );

    const json = await runCli(["lint", "--json"], plainEnv, { cwd: dir });
    expect(JSON.parse(json.stdout)).toMatchObject({
      errors: 0,
      off: [{ rule: "duplicate-utterance", reason: "kept while the model is reworked" }],
      skipped: [{ rule: "handlers" }],
    });

    await writeFile(path.join(dir, "skillship.json"), "{}");
    const failing = await runCli(["lint"], plainEnv, { cwd: dir });
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain("(duplicate-utterance)");
  });
});
