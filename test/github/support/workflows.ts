/**
 * Loads the repository's workflows and the setup action as parsed YAML, with the few accessors the rules need.
 * The shapes are the parts of GitHub's workflow syntax these files use; the schema itself is checked by
 * `@action-validator/core`.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "yaml";

/** The repository root. */
export const repoRoot = resolve(__dirname, "..", "..", "..");

export interface Step {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  shell?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}

export interface Job {
  name?: string;
  needs?: string | string[];
  if?: string;
  "runs-on"?: string;
  "timeout-minutes"?: number;
  environment?: string | { name: string; url?: string };
  permissions?: string | Record<string, string>;
  concurrency?: string | { group: string; "cancel-in-progress"?: boolean | string };
  env?: Record<string, unknown>;
  outputs?: Record<string, string>;
  steps?: Step[];
}

export interface Workflow {
  name?: string;
  "run-name"?: string;
  on: Record<string, unknown>;
  permissions?: string | Record<string, string>;
  jobs: Record<string, Job>;
}

export interface LoadedWorkflow {
  /** File name, e.g. "ci.yml". */
  readonly file: string;
  readonly text: string;
  readonly doc: Workflow;
}

export interface SetupAction {
  readonly text: string;
  readonly doc: {
    inputs: Record<string, { required?: boolean; default?: string }>;
    runs: { using: string; steps: Step[] };
  };
}

/** Path of the composite setup action, as workflows reference it. */
export const setupActionRef = "./.github/actions/setup";

/** Every workflow in `.github/workflows/`, parsed. */
export function loadWorkflows(root: string = repoRoot): LoadedWorkflow[] {
  const folder = join(root, ".github", "workflows");
  return readdirSync(folder)
    .filter((file) => /\.ya?ml$/.test(file))
    .sort()
    .map((file) => {
      const text = readFileSync(join(folder, file), "utf8");
      return { file, text, doc: parse(text) as Workflow };
    });
}

/** The composite setup action, parsed. */
export function loadSetupAction(root: string = repoRoot): SetupAction {
  const text = readFileSync(join(root, setupActionRef, "action.yml"), "utf8");
  return { text, doc: parse(text) as SetupAction["doc"] };
}

/** A deep copy to mutate in a test. */
export function cloneWorkflows(workflows: readonly LoadedWorkflow[]): LoadedWorkflow[] {
  return workflows.map((w) => ({ ...w, doc: structuredClone(w.doc) }));
}

/** The job's environment name, if it runs in one. */
export function environmentOf(job: Job): string | undefined {
  return typeof job.environment === "string" ? job.environment : job.environment?.name;
}

/** The job's permissions as a map (a string form such as "read-all" is returned as `{ "*": value }`). */
export function permissionsOf(job: Job): Record<string, string> | undefined {
  if (job.permissions === undefined) return undefined;
  return typeof job.permissions === "string" ? { "*": job.permissions } : job.permissions;
}

/** Steps of the job that use the given action (owner/name, any version). */
export function stepsUsing(job: Job, action: string): Step[] {
  return (job.steps ?? []).filter((s) => s.uses !== undefined && s.uses.split("@")[0] === action);
}

/** The IAM role expression the job hands to the setup action (e.g. "${{ vars.AWS_RELEASE_ROLE_ARN }}"). */
export function awsRoleOf(job: Job): string | undefined {
  const value = stepsUsing(job, setupActionRef)[0]?.with?.["aws-role-arn"];
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

/** Stacks the job deploys with `pulumi up` through pulumi/actions. */
export function stacksDeployedBy(job: Job): string[] {
  return stepsUsing(job, "pulumi/actions")
    .filter((s) => s.with?.command === "up" || s.with?.command === "update")
    .map((s) => String(s.with?.["stack-name"]));
}

/** True when a YAML value is `true` or the string "true" (inputs of actions are strings). */
export function isTrue(value: unknown): boolean {
  return value === true || value === "true";
}
