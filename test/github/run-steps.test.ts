/**
 * Every `run:` step of the workflows and the setup action calls a command that exists: an npm script of
 * package.json, or a `skillship` command with flags the real program (`buildProgram()`) accepts, or one of a short
 * list of other tools. The checker itself is tested on lines built to fail, and on the real program with a command
 * renamed and a flag removed.
 */
import { Command, Option } from "commander";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { buildProgram } from "../../scripts/cli";
import { withdrawalReasons } from "../../scripts/lib/ports";
import { checkRunCommand, type RunContext } from "./support/run-commands";
import { runChecksOf, runChecksOfStep } from "./support/rules";
import { simpleCommands, UnsupportedShellError, type SimpleCommand } from "./support/shell";
import { loadSetupAction, loadWorkflows, repoRoot, type LoadedWorkflow } from "./support/workflows";

const scripts = (
  JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { scripts: Record<string, string> }
).scripts;
const workflows = loadWorkflows();
const action = loadSetupAction();

function everyProblem(context: RunContext, files: readonly LoadedWorkflow[] = workflows): string[] {
  const problems: string[] = [];
  for (const w of files) {
    for (const [id, job] of Object.entries(w.doc.jobs)) {
      for (const { step, check } of runChecksOf(job, context)) {
        problems.push(
          ...check.problems.map((p) => `${w.file} job ${id} step "${step.name ?? step.run}": ${p}`),
        );
      }
    }
  }
  for (const step of action.doc.runs.steps) {
    for (const check of runChecksOfStep(step, context)) {
      problems.push(...check.problems.map((p) => `setup action step "${step.name}": ${p}`));
    }
  }
  return problems;
}

/** The `skillship` command lines of one workflow, as "path --flag --flag". */
function skillshipLines(file: string, context: RunContext): string[] {
  const workflow = workflows.find((w) => w.file === file)!;
  return Object.values(workflow.doc.jobs).flatMap((job) =>
    (job.steps ?? []).flatMap((step) =>
      step.run === undefined
        ? []
        : simpleCommands(step.run).flatMap((command) => {
            const check = checkRunCommand(command, context);
            if (check.skillship === undefined) return [];
            const flags = command.words.filter(
              (w) => w.text.startsWith("--") && w.text !== "--" && w.text !== "--silent",
            );
            return [[check.skillship, ...flags.map((w) => w.text)].join(" ")];
          }),
    ),
  );
}

describe("run steps of the real workflows", () => {
  const context: RunContext = { scripts, program: buildProgram() };

  it("call only npm scripts that exist, skillship commands with accepted flags, and the allowed tools", () => {
    expect(everyProblem(context)).toEqual([]);
  });

  it("call the skillship commands the pipeline is made of", () => {
    expect(skillshipLines("reusable-ci.yml", context)).toEqual([
      "lint",
      "build",
      "diff --stage --format --outputs",
    ]);
    expect(skillshipLines("reusable-beta.yml", context)).toEqual([
      "build",
      "deploy-model --stage --outputs --json",
      "dialog --remote --stage --replay --outputs",
      "beta-test --if-listed --outputs",
      "validate --stage --outputs",
    ]);
    expect(skillshipLines("reusable-release.yml", context)).toEqual([
      "build",
      "release --version-message --outputs --timeout",
      "status --outputs",
    ]);
    expect(skillshipLines("reusable-certification.yml", context)).toEqual([
      "release watch --timeout --outputs --json",
      "publish --outputs",
      "status --outputs",
    ]);
    expect(skillshipLines("reusable-rollback.yml", context)).toEqual([
      "rollback --outputs --to --force",
      "withdraw --reason --message --outputs",
      "status --outputs",
    ]);
    expect(skillshipLines("reusable-drift.yml", context)).toEqual([
      "build",
      "drift --stage --timeout --outputs",
      "build",
      "drift --stage --timeout --outputs",
    ]);
    // The callers run nothing themselves.
    for (const caller of [
      "ci.yml",
      "beta.yml",
      "release.yml",
      "certification.yml",
      "rollback.yml",
      "drift.yml",
    ]) {
      expect(skillshipLines(caller, context)).toEqual([]);
    }
  });

  it("give the beta's smoke test dialog files to run", () => {
    const beta = workflows.find((w) => w.file === "reusable-beta.yml")!;
    expect(beta.text).toContain("for dialog in $DIALOGS; do");
    const inputs = (beta.doc.on.workflow_call as { inputs: Record<string, { default?: string }> }).inputs;
    expect(inputs.dialogs?.default).toBe("test/dialogs/*.yaml");
    const dialogs = readdirSync(join(repoRoot, "test", "dialogs")).filter((f) => f.endsWith(".yaml"));
    expect(dialogs.length).toBeGreaterThan(0);
  });

  it("offer exactly the withdrawal reasons the release engine accepts", () => {
    const rollback = workflows.find((w) => w.file === "rollback.yml")!;
    const inputs = (rollback.doc.on.workflow_dispatch as { inputs: Record<string, { options?: string[] }> })
      .inputs;
    expect([...(inputs["withdraw-reason"]?.options ?? [])].sort()).toEqual([...withdrawalReasons].sort());
    const called = workflows.find((w) => w.file === "reusable-rollback.yml")!;
    const calledInputs = (called.doc.on.workflow_call as { inputs: Record<string, { default?: string }> })
      .inputs;
    expect(withdrawalReasons).toContain(calledInputs["withdraw-reason"]?.default);
  });

  it("parse with commander itself, every action replaced by a no-op", async () => {
    const parsed: string[] = [];
    // A fresh program per line: commander keeps option values between parses.
    const silentProgram = (): Command => {
      const program = buildProgram();
      const silence = (command: Command): void => {
        command.action(() => {
          parsed.push(command.name());
        });
        command.configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
        command.commands.forEach(silence);
      };
      program.configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
      program.commands.forEach(silence);
      return program;
    };
    const context: RunContext = { scripts, program: buildProgram() };
    // The argv skillship receives; values only known at run time get a plausible stand-in.
    const argvOf = (command: SimpleCommand): string[] => {
      const words = command.words.map((word) => (word.dynamic ? "v1.0.0" : word.text));
      if (words[0] === "skillship") return words.slice(1);
      if (words[0] !== "npm") return words.slice(2);
      const script = scripts[words.filter((w) => w !== "--silent" && w !== "-s")[2]!]!;
      const fixed = script.split(/\s+/).slice(2);
      return words.includes("--") ? [...fixed, ...words.slice(words.indexOf("--") + 1)] : fixed;
    };
    const lines = workflows.flatMap((w) =>
      Object.values(w.doc.jobs).flatMap((job) =>
        (job.steps ?? []).flatMap((step) =>
          step.run === undefined
            ? []
            : simpleCommands(step.run).filter((c) => checkRunCommand(c, context).skillship !== undefined),
        ),
      ),
    );
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) {
      await expect(silentProgram().parseAsync(argvOf(line), { from: "user" })).resolves.toBeDefined();
    }
    expect(parsed).toHaveLength(lines.length);
    await expect(silentProgram().parseAsync(["release", "--no-such-flag"], { from: "user" })).rejects.toThrow(
      "unknown option",
    );
  });

  it("break when a command they call is renamed", () => {
    const program = buildProgram();
    program.commands.find((c) => c.name() === "withdraw")!.name("withdraw-certification");
    expect(everyProblem({ scripts, program })).toEqual([
      expect.stringContaining(
        'reusable-rollback.yml job rollback step "skillship withdraw": "withdraw" is not a command of skillship',
      ),
    ]);
  });

  it("break when a flag they pass is removed", () => {
    const program = buildProgram();
    const release = program.commands.find((c) => c.name() === "release")!;
    const options = release.options as Option[];
    options.splice(
      options.findIndex((o) => o.long === "--version-message"),
      1,
    );
    expect(everyProblem({ scripts, program })).toEqual([
      expect.stringContaining("`skillship release` has no option --version-message"),
      expect.stringContaining("`skillship release` takes 0 argument(s), got 1: $VERSION_MESSAGE"),
    ]);
  });

  it("break when an npm script they run is missing", () => {
    const { test: _test, ...withoutTest } = scripts;
    expect(everyProblem({ scripts: withoutTest, program: buildProgram() })).toEqual(
      expect.arrayContaining([expect.stringContaining('package.json has no script "test"')]),
    );
  });
});

describe("the shell subset", () => {
  const texts = (command: SimpleCommand): string[] => command.words.map((w) => w.text);

  it("splits on operators, drops redirections and assignments, and keeps quoted words whole", () => {
    const commands = simpleCommands(
      'status=0\nnpm run --silent skillship -- diff --format "mark down" > out.md 2>&1 || status=$?\necho "a|b" >> "$F"',
    );
    expect(commands.map(texts)).toEqual([
      ["npm", "run", "--silent", "skillship", "--", "diff", "--format", "mark down"],
      ["echo", "a|b"],
    ]);
  });

  it("checks the commands inside $(…) and the body of a for loop", () => {
    const commands = simpleCommands(
      'id="$(gh run list --json databaseId --jq \'.[0]\')"\nfor f in a/*.yaml; do\n  npx skillship dialog --replay "$f"\ndone',
    );
    expect(commands.map(texts)).toEqual([
      ["gh", "run", "list", "--json", "databaseId", "--jq", ".[0]"],
      ["npx", "skillship", "dialog", "--replay", "$f"],
    ]);
    expect(commands[1]!.words[4]!.dynamic).toBe(true);
  });

  it("expands ${VAR:+words} into the optional words, so the flags in it are checked", () => {
    expect(simpleCommands('x rollback ${TO:+--to "$TO"} ${FORCE:+--force}').map(texts)).toEqual([
      ["x", "rollback", "--to", "$TO", "--force"],
    ]);
  });

  it("refuses what it does not understand instead of checking it loosely", () => {
    for (const script of [
      "if true; then echo; fi",
      "echo `date`",
      "(cd x && ls)",
      "sleep 1 &",
      "echo ${X:-y}",
    ]) {
      expect(() => simpleCommands(script)).toThrow(UnsupportedShellError);
    }
  });
});

describe("the run command check", () => {
  const program = new Command("skillship");
  const release = program.command("release").option("--version-message <text>").option("--dry-run");
  release.command("watch").option("--timeout <duration>");
  program
    .command("diff")
    .addOption(new Option("--format <format>").choices(["text", "markdown"]))
    .addOption(new Option("--stage <stage>").makeOptionMandatory());
  const context: RunContext = {
    scripts: { test: "jest", skillship: "node bin/skillship.js", build: "node bin/skillship.js build" },
    program,
  };
  const problems = (line: string): string[] =>
    simpleCommands(line).flatMap((c) => checkRunCommand(c, context).problems);

  it("accepts existing commands, subcommands, flags and values", () => {
    expect(
      problems("npm ci --no-audit && npm test && npm run skillship -- release watch --timeout 5m"),
    ).toEqual([]);
    expect(problems('npx skillship release --version-message "$TAG" --dry-run')).toEqual([]);
    expect(problems("node bin/skillship.js diff --stage development --format=markdown")).toEqual([]);
    expect(problems("pulumi stack output --json --stack dev > o.json && jq -r .skillId o.json")).toEqual([]);
  });

  it("reports an unknown command, flag, script or tool, a missing value, a refused choice and a missing mandatory flag", () => {
    expect(problems("npm run skillship -- relase")).toEqual([
      expect.stringContaining('"relase" is not a command of skillship'),
    ]);
    expect(problems("npx skillship release --version")).toEqual([
      expect.stringContaining("`skillship release` has no option --version"),
    ]);
    expect(problems("npm run deploy")).toEqual([
      expect.stringContaining('package.json has no script "deploy"'),
    ]);
    expect(problems("curl https://example.invalid")).toEqual([
      expect.stringContaining('"curl" is not an allowed tool'),
    ]);
    expect(problems("npx skillship release --version-message")).toEqual([
      expect.stringContaining("needs a value"),
    ]);
    expect(problems("npx skillship diff --stage live --format html")).toEqual([
      expect.stringContaining("--format html is refused by `skillship diff`"),
    ]);
    expect(problems("npx skillship diff --format text")).toEqual(["`skillship diff` requires --stage"]);
    expect(problems("npx skillship release extra")).toEqual([
      expect.stringContaining("takes 0 argument(s), got 1"),
    ]);
    expect(problems("npm run build now")).toEqual([
      expect.stringContaining('arguments to an npm script go after "--"'),
    ]);
    expect(problems("npx cowsay hi")).toEqual([expect.stringContaining("npx may only run skillship")]);
    expect(problems("pulumi up --yes")).toEqual([
      expect.stringContaining("pulumi may only run login or stack output"),
    ]);
    expect(problems('"$TOOL" run')).toEqual([expect.stringContaining("only known at run time")]);
  });

  it("refuses a parent's option after the subcommand once positional options are on, as commander does", () => {
    expect(problems("npx skillship release watch --dry-run")).toEqual([]);
    program.enablePositionalOptions();
    release.enablePositionalOptions();
    try {
      expect(problems("npx skillship release watch --dry-run")).toEqual([
        expect.stringContaining("`skillship release watch` has no option --dry-run"),
      ]);
      expect(problems("npx skillship release --dry-run")).toEqual([]);
    } finally {
      program.enablePositionalOptions(false);
      release.enablePositionalOptions(false);
    }
  });

  it("validates the arguments of npm scripts that are the skillship CLI", () => {
    expect(problems("npm run build")).toEqual([
      expect.stringContaining('"build" is not a command of skillship'),
    ]);
  });
});
