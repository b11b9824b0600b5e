/**
 * The caller workflows `skillship init` writes: small files under the repository's `.github/workflows/` (named
 * `skillship-*.yml`, beside any workflow the team has) that run Skillship's reusable workflows (`on:
 * workflow_call`), pinned to one commit of Skillship's repository, with the team's triggers, the inputs that differ
 * from the defaults (the project's folder when it is not the repository's root, the dialog files) and the three
 * Login with Amazon secrets passed by name. The called workflows run the skillship of the project's own lockfile.
 */
import { existsSync, readdirSync, realpathSync } from "node:fs";
import * as path from "node:path";
import { UsageError } from "../core/errors";
import type { Layout } from "./layout";
import type { PlannedFile } from "./plan";

/** The Node major a project without .nvmrc gets: the one Skillship runs on (test/node-version.test.ts). */
export const NODE_MAJOR = "22";

/** Where Skillship's reusable workflows are: `owner/name` of the repository and the commit the callers pin. */
export interface WorkflowsSource {
  repository: string;
  commit: string;
}

/** Placeholders written when the source is not known, marked for the team to replace. */
const UNKNOWN_SOURCE: WorkflowsSource = { repository: "REPLACE-OWNER/skillship", commit: "REPLACE-COMMIT" };

/** Parses `--workflows OWNER/NAME@COMMIT`: a repository and a full commit SHA, never a tag or a branch. */
export function parseWorkflowsSource(value: string): WorkflowsSource {
  const match = /^([A-Za-z0-9-]+\/[A-Za-z0-9._-]+)@([0-9a-f]{40})$/.exec(value.trim());
  if (match === null) {
    throw new UsageError(
      `--workflows "${value}" must be OWNER/NAME@COMMIT: the GitHub repository holding Skillship's workflows and ` +
        "the full 40-character commit SHA to pin (a tag or a branch can be moved under you)",
    );
  }
  return { repository: match[1]!, commit: match[2]! };
}

/** The secrets every called workflow takes, passed by name: an environment secret arrives only when passed. */
const SECRETS = ["ASK_LWA_CLIENT_ID", "ASK_LWA_CLIENT_SECRET", "ASK_REFRESH_TOKEN"];

/** The workflows that upload the skill package take the account linking client secret too (unset: none). */
const PACKAGE_UPLOADERS: ReadonlySet<string> = new Set(["beta", "release"]);

/** The `secrets:` lines of a caller of `name`. */
function secretLines(name: string): string {
  return [...SECRETS, ...(PACKAGE_UPLOADERS.has(name) ? ["ASK_ACCOUNT_LINKING_CLIENT_SECRET"] : [])]
    .map((secret) => `      ${secret}: \${{ secrets.${secret} }}`)
    .join("\n");
}

/** One caller: its file, what it says, when it runs, the workflow it calls and what that needs. */
interface CallerSpec {
  name: string;
  about: string;
  on: string;
  runName?: string;
  permissions: string[];
  with?: Record<string, string>;
}

const ROLLBACK_INPUTS = `  workflow_dispatch:
    inputs:
      operation:
        description: rollback the live skill, or withdraw a pending certification
        type: choice
        options: [rollback, withdraw]
        default: rollback
      version:
        description: Lambda version to roll back to (empty = the version the live alias replaced)
        type: string
        required: false
      reason:
        description: Why (recorded in the run's name and summary; for withdraw, the withdrawal's message)
        type: string
        required: true
      withdraw-reason:
        description: The reason the Skill Management API records for a withdrawal (withdraw only)
        type: choice
        options:
          - DISCOVERED_ISSUE
          - MORE_FEATURES
          - TEST_SKILL
          - NOT_RECEIVED_CERTIFICATION_FEEDBACK
          - NOT_INTEND_TO_PUBLISH
          - OTHER
        default: DISCOVERED_ISSUE
      force:
        description: Roll back even to code built for another interaction model
        type: boolean
        default: false`;

const CALLERS: readonly CallerSpec[] = [
  {
    name: "ci",
    about:
      "pull requests and pushes to main: tests, lint, build, previews of both stacks, the skill package diff",
    on: "  pull_request:\n  push:\n    branches: [main]",
    permissions: ["contents: read", "id-token: write", "pull-requests: write"],
  },
  {
    name: "beta",
    about: "pushes to develop: the dev stack, the development stage, the dialog smoke tests",
    on: "  push:\n    branches: [develop]",
    permissions: ["contents: read", "id-token: write"],
  },
  {
    name: "release",
    about: "a tag v*: the gated production release (environment production)",
    on: '  push:\n    tags: ["v*"]',
    permissions: ["contents: read", "id-token: write"],
  },
  {
    name: "certification",
    about: "every 30 minutes and by hand: follows a certification, publishes once certified",
    on: '  schedule:\n    - cron: "17,47 * * * *"\n  workflow_dispatch:',
    permissions: ["contents: read", "id-token: write"],
  },
  {
    name: "rollback",
    about: "by hand: roll the live skill back, or withdraw a pending certification (environment production)",
    on: ROLLBACK_INPUTS,
    runName: '"${{ inputs.operation }}: ${{ inputs.reason }}"',
    permissions: ["contents: read", "id-token: write"],
    with: {
      operation: "${{ inputs.operation }}",
      version: "${{ inputs.version }}",
      reason: "${{ inputs.reason }}",
      "withdraw-reason": "${{ inputs.withdraw-reason }}",
      force: "${{ inputs.force }}",
    },
  },
  {
    name: "drift",
    about: "every morning and by hand: was anything changed outside the pipeline? (changes nothing)",
    on: '  schedule:\n    - cron: "23 6 * * *"\n  workflow_dispatch:',
    permissions: ["contents: read", "id-token: write"],
  },
];

/** A YAML scalar for a `with:` value: plain when it can be (an expression too), quoted otherwise. */
function scalar(value: string): string {
  return /^[\w./-]+$/.test(value) || /^\$\{\{ [\w.-]+ \}\}$/.test(value) ? value : JSON.stringify(value);
}

/** Text as comment lines of at most 110 characters. */
function comment(text: string): string[] {
  const lines: string[] = [];
  let line = "#";
  for (const word of text.split(" ")) {
    if (line.length + word.length + 1 > 110) {
      lines.push(line);
      line = "#";
    }
    line += ` ${word}`;
  }
  return [...lines, line];
}

function callerText(
  spec: CallerSpec,
  source: WorkflowsSource | undefined,
  version: string,
  shared: Record<string, string>,
): string {
  const inputs: Record<string, string> = { ...shared, ...spec.with };
  if (spec.name !== "beta") delete inputs.dialogs;
  const withLines = Object.entries(inputs).map(([name, value]) => `      ${name}: ${scalar(value)}`);
  const { repository, commit } = source ?? UNKNOWN_SOURCE;
  const replace =
    source === undefined
      ? comment(
          "REPLACE the repository and the commit in uses: with where Skillship's workflows are (the release " +
            "your package.json's skillship is), or run skillship init --workflows OWNER/NAME@COMMIT --force.",
        )
      : [];
  return [
    ...comment(
      `Skillship's ${spec.name} workflow, called from this repository (written by skillship init): ${spec.about}. ` +
        "What it runs and the settings it needs: docs/adopting-existing.md#6-ci-workflows of Skillship.",
    ),
    ...replace,
    `name: skillship ${spec.name}`,
    ...(spec.runName === undefined ? [] : [`run-name: ${spec.runName}`]),
    "",
    "on:",
    spec.on,
    "",
    "permissions: {}",
    "",
    "jobs:",
    `  ${spec.name}:`,
    `    uses: ${repository}/.github/workflows/reusable-${spec.name}.yml@${commit} # v${version}`,
    "    permissions:",
    ...spec.permissions.map((line) => `      ${line}`),
    ...(withLines.length === 0 ? [] : ["    with:", ...withLines]),
    "    secrets:",
    secretLines(spec.name),
    "",
  ].join("\n");
}

/** The dialog files a beta replays: test/dialogs/ or dialogs/ of the project, when it has YAML files there. */
function dialogsOf(layout: Layout, sample: boolean): string {
  if (sample) return "test/dialogs/*.yaml";
  for (const folder of ["test/dialogs", "dialogs"]) {
    const dir = path.join(layout.dir, ...folder.split("/"));
    if (existsSync(dir) && readdirSync(dir).some((file) => /\.ya?ml$/.test(file))) return `${folder}/*.yaml`;
  }
  return "";
}

/** Options of {@link callerWorkflowFiles}. */
export interface CallerOptions {
  /** Where Skillship's reusable workflows are; unknown: placeholders marked REPLACE. */
  workflows?: WorkflowsSource;
  /** The version of skillship the project installs, the comment beside the pinned commit. */
  version: string;
  /** The sample skill is laid out too (its dialog file is the beta's smoke test). */
  sample: boolean;
}

/**
 * The caller workflows for the layout, at the repository's root (`.github/workflows/` is read there only, so a
 * project in a subfolder gets `../.github/…` paths and that folder as working-directory), and `.nvmrc` (Node 22)
 * when the project names no Node version.
 */
export function callerWorkflowFiles(layout: Layout, options: CallerOptions): PlannedFile[] {
  const dir = realpathSync(layout.dir);
  const root = layout.gitRoot ?? dir;
  const folder = path.relative(root, dir).split(path.sep).join("/");
  const toRoot = path.relative(dir, root).split(path.sep).join("/");
  const shared: Record<string, string> = {};
  if (folder !== "") shared["working-directory"] = folder;
  const dialogs = dialogsOf(layout, options.sample);
  if (dialogs !== "test/dialogs/*.yaml") shared.dialogs = dialogs;
  const files = CALLERS.map((spec) => ({
    path: [toRoot, ".github", "workflows", `skillship-${spec.name}.yml`]
      .filter((part) => part !== "")
      .join("/"),
    text: callerText(spec, options.workflows, options.version, shared),
  }));
  return existsSync(path.join(layout.dir, ".nvmrc"))
    ? files
    : [...files, { path: ".nvmrc", text: `${NODE_MAJOR}\n` }];
}
