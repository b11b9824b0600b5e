/**
 * The caller workflows `skillship init` writes into a team's repository, run against this repository's reusable
 * workflows (what the pinned commit holds): they validate against GitHub's schema and pass every rule of the
 * pipeline that this repository's own callers pass, at the repository's root and in a subfolder.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { buildProgram } from "../../scripts/cli";
import type { Layout } from "../../scripts/lib/init/layout";
import { callerWorkflowFiles, parseWorkflowsSource } from "../../scripts/lib/init/workflows";
import { callProblems, interfaceProblems, triggerProblems, workflowFileProblems } from "./support/calls";
import type { RunContext } from "./support/run-commands";
import {
  actionRefProblems,
  adminStackProblems,
  concurrencyProblems,
  driftProblems,
  environmentProblems,
  forkProblems,
  notifyProblems,
  permissionProblems,
  pullRequestSecretProblems,
  referenceProblems,
  refreshProblems,
  schemaProblems,
  secretProblems,
  setupAndSummaryProblems,
  timeoutProblems,
} from "./support/rules";
import {
  isReusable,
  loadSetupAction,
  loadWorkflows,
  repoRoot,
  resolveCalls,
  type LoadedWorkflow,
  type Workflow,
} from "./support/workflows";

const reusable = loadWorkflows().filter(isReusable);
const action = loadSetupAction();
const context: RunContext = {
  scripts: (
    JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    }
  ).scripts,
  program: buildProgram(),
};
const version = "1.4.0";
const commit = "0123456789abcdef0123456789abcdef01234567";

function layoutIn(dir: string, gitRoot: string): Layout {
  return {
    dir,
    gitRoot,
    source: "ask-resources.json",
    skillPackage: { path: "skill-package", found: true },
    entry: { path: "lambda/index.js", found: true },
    name: "coin-flip",
    contents: [],
  };
}

/** The caller workflows init writes for the layout, as loaded workflow files, and the other files it plans. */
function callersFor(layout: Layout, workflows?: string): { callers: LoadedWorkflow[]; others: string[] } {
  const planned = callerWorkflowFiles(layout, {
    version,
    sample: false,
    ...(workflows === undefined ? {} : { workflows: parseWorkflowsSource(workflows) }),
  });
  const callers = planned
    .filter((file) => file.path.includes(".github/workflows/"))
    .map((file) => ({
      file: file.path.split("/").pop()!,
      text: file.text,
      doc: parse(file.text) as Workflow,
    }));
  return { callers, others: planned.filter((file) => !file.path.includes(".github/")).map((f) => f.path) };
}

/** Every rule this repository's callers are held to, on `files` (callers and the reusable workflows). */
function everyProblem(files: LoadedWorkflow[], callers: LoadedWorkflow[]): string[] {
  const run = resolveCalls(files);
  return [
    ...schemaProblems(callers),
    ...workflowFileProblems(callers),
    ...interfaceProblems(files),
    ...triggerProblems(files),
    ...callProblems(files, "pinned", { version }),
    ...actionRefProblems(callers, action),
    ...timeoutProblems(run),
    ...setupAndSummaryProblems(run, context),
    ...permissionProblems(run),
    ...environmentProblems(run, context),
    ...secretProblems(run, context),
    ...forkProblems(run),
    ...concurrencyProblems(run, context),
    ...adminStackProblems(run),
    ...pullRequestSecretProblems(run, action),
    ...driftProblems(run, context),
    ...notifyProblems(run, context),
    ...refreshProblems(run),
    ...referenceProblems(run),
  ];
}

describe("the caller workflows skillship init writes", () => {
  it("at the repository's root: six small callers, pinned to the commit given, that pass every rule", () => {
    const dir = mkdtempSync(join(tmpdir(), "skillship-callers-"));
    const { callers, others } = callersFor(layoutIn(dir, dir), `acme/skillship@${commit}`);
    expect(callers.map((w) => w.file).sort()).toEqual([
      "skillship-beta.yml",
      "skillship-certification.yml",
      "skillship-ci.yml",
      "skillship-drift.yml",
      "skillship-release.yml",
      "skillship-rollback.yml",
    ]);
    expect(others).toEqual([".nvmrc"]);
    expect(everyProblem([...callers, ...reusable], callers)).toEqual([]);

    const beta = callers.find((w) => w.file === "skillship-beta.yml")!;
    expect(beta.text).toContain(
      `    uses: acme/skillship/.github/workflows/reusable-beta.yml@${commit} # v${version}\n`,
    );
    // No dialog files in the project: the beta has none to replay; nothing else is passed.
    expect(beta.doc.jobs.beta!.with).toEqual({ dialogs: "" });
    expect(callers.find((w) => w.file === "skillship-ci.yml")!.doc.jobs.ci!.with).toBeUndefined();
    // The caller of the adoption doc: about fifteen lines of YAML besides its comments.
    const yamlLines = beta.text.split("\n").filter((line) => line.trim() !== "" && !line.startsWith("#"));
    expect(yamlLines.length).toBeLessThanOrEqual(18);
  });

  it("in a subfolder with dialog files: written at the repository's root, run in the subfolder, dialogs replayed", () => {
    const root = mkdtempSync(join(tmpdir(), "skillship-callers-"));
    const dir = join(root, "alexa", "coin-flip");
    mkdirSync(join(dir, "test", "dialogs"), { recursive: true });
    writeFileSync(join(dir, "test", "dialogs", "en-US.yaml"), "turns: []\n");
    writeFileSync(join(dir, ".nvmrc"), "22\n");
    const planned = callerWorkflowFiles(layoutIn(dir, root), {
      version,
      sample: false,
      workflows: parseWorkflowsSource(`acme/skillship@${commit}`),
    });
    expect(planned.map((file) => file.path)).toContain("../../.github/workflows/skillship-beta.yml");
    expect(planned.map((file) => file.path)).not.toContain(".nvmrc");
    const { callers } = callersFor(layoutIn(dir, root), `acme/skillship@${commit}`);
    expect(everyProblem([...callers, ...reusable], callers)).toEqual([]);
    const withOf = (file: string) => Object.values(callers.find((w) => w.file === file)!.doc.jobs)[0]!.with;
    expect(withOf("skillship-beta.yml")).toEqual({ "working-directory": "alexa/coin-flip" });
    expect(withOf("skillship-release.yml")).toEqual({ "working-directory": "alexa/coin-flip" });
    // As they run: every job sets up and runs in project/alexa/coin-flip.
    const run = resolveCalls([...callers, ...reusable]);
    const folders = new Set(
      run.flatMap((w) => Object.values(w.doc.jobs).map((j) => j.defaults?.run?.["working-directory"])),
    );
    expect([...folders]).toEqual(["project/alexa/coin-flip"]);
  });

  it("without --workflows: valid, but marked REPLACE, and the call rule says they are not pinned yet", () => {
    const dir = mkdtempSync(join(tmpdir(), "skillship-callers-"));
    const { callers } = callersFor(layoutIn(dir, dir));
    const ci = callers.find((w) => w.file === "skillship-ci.yml")!;
    expect(ci.text).toContain("# REPLACE the repository and the commit in uses:");
    expect(ci.text).toContain(
      "uses: REPLACE-OWNER/skillship/.github/workflows/reusable-ci.yml@REPLACE-COMMIT",
    );
    expect(schemaProblems(callers)).toEqual([]);
    expect(callProblems([...callers, ...reusable], "pinned", { version })).toEqual(
      callers.map((w) => expect.stringContaining(`${w.file} job`)),
    );
    expect(callProblems([ci, ...reusable], "pinned", { version })).toEqual([
      "skillship-ci.yml job ci calls REPLACE-OWNER/skillship/.github/workflows/reusable-ci.yml@REPLACE-COMMIT: pin the commit SHA, its release as a comment",
    ]);
  });

  it("--workflows takes a repository and a full commit, never a tag", () => {
    expect(parseWorkflowsSource(`acme/skillship@${commit}`)).toEqual({
      repository: "acme/skillship",
      commit,
    });
    for (const wrong of [
      "acme/skillship@v1.4.0",
      "acme/skillship",
      `skillship@${commit}`,
      `acme/skill ship@${commit}`,
    ]) {
      expect(() => parseWorkflowsSource(wrong)).toThrow(/--workflows .* must be OWNER\/NAME@COMMIT/);
    }
  });

  it("a caller with a tag, another version comment or every secret is reported", () => {
    const dir = mkdtempSync(join(tmpdir(), "skillship-callers-"));
    const { callers } = callersFor(layoutIn(dir, dir), `acme/skillship@${commit}`);
    const beta = callers.find((w) => w.file === "skillship-beta.yml")!;
    const text = beta.text.replace(`# v${version}`, "# v9.9.9");
    const doc = parse(text) as Workflow;
    doc.jobs.beta!.secrets = "inherit";
    const release = callers.find((w) => w.file === "skillship-release.yml")!;
    const tagged = release.text.replace(`@${commit}`, "@v1");
    expect(
      callProblems(
        [{ ...beta, text, doc }, { ...release, text: tagged, doc: parse(tagged) as Workflow }, ...reusable],
        "pinned",
        { version },
      ),
    ).toEqual([
      `skillship-beta.yml job beta calls acme/skillship/.github/workflows/reusable-beta.yml@${commit} with comment "v9.9.9": expected v${version}`,
      "skillship-beta.yml job beta passes every secret (secrets: inherit): pass only ASK_LWA_CLIENT_ID, ASK_LWA_CLIENT_SECRET, ASK_REFRESH_TOKEN, ASK_ACCOUNT_LINKING_CLIENT_SECRET",
      "skillship-release.yml job release calls acme/skillship/.github/workflows/reusable-release.yml@v1: pin the commit SHA, its release as a comment",
    ]);
  });
});
