/**
 * Loads the repository's workflows and the setup action as parsed YAML, with the few accessors the rules need, and
 * resolves the calls of reusable workflows: a caller's job that `uses:` a reusable workflow runs the called jobs,
 * with the caller's triggers and the inputs it passes, and the rules judge what runs. The shapes are the parts of
 * GitHub's workflow syntax these files use; the schema itself is checked by `@action-validator/core`.
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
  "working-directory"?: string;
  "continue-on-error"?: boolean | string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}

export interface Job {
  name?: string;
  /** A job that calls a reusable workflow: its path (`./.github/workflows/x.yml` or `owner/repo/…/x.yml@ref`). */
  uses?: string;
  /** The inputs a calling job passes. */
  with?: Record<string, unknown>;
  /** The secrets a calling job passes. */
  secrets?: "inherit" | Record<string, string>;
  defaults?: { run?: { "working-directory"?: string; shell?: string } };
  "continue-on-error"?: boolean | string;
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
  concurrency?: string | { group: string; "cancel-in-progress"?: boolean | string };
  jobs: Record<string, Job>;
}

/** An input or a secret a reusable workflow declares (`on.workflow_call`). */
export interface CallParameter {
  description?: string;
  type?: "string" | "boolean" | "number";
  required?: boolean;
  default?: unknown;
}

/** What a reusable workflow takes. */
export interface CallInterface {
  inputs: Record<string, CallParameter>;
  secrets: Record<string, CallParameter>;
}

export interface LoadedWorkflow {
  /** File name, e.g. "ci.yml". */
  readonly file: string;
  readonly text: string;
  readonly doc: Workflow;
  /** For a call resolved into the jobs it runs (`resolveCalls`): the file name of the reusable workflow. */
  readonly called?: string;
}

export interface SetupAction {
  readonly text: string;
  readonly doc: {
    inputs: Record<string, { required?: boolean; default?: string }>;
    runs: { using: string; steps: Step[] };
  };
}

/** Path of the composite setup action, as workflows reference it (at the workspace root, Skillship's own). */
export const setupActionRef = "./.github/actions/setup";

/** Where the reusable workflows check out the caller's repository, below the workspace root. */
export const projectPath = "project";

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

/** True for a reusable workflow (`on: workflow_call`). */
export function isReusable(workflow: LoadedWorkflow): boolean {
  return "workflow_call" in (workflow.doc.on ?? {});
}

/** The inputs and secrets a reusable workflow declares. */
export function callInterfaceOf(workflow: LoadedWorkflow): CallInterface {
  const call = (workflow.doc.on.workflow_call ?? {}) as Partial<CallInterface> | null;
  return { inputs: call?.inputs ?? {}, secrets: call?.secrets ?? {} };
}

/**
 * The file name of the reusable workflow a `uses:` names: `./.github/workflows/x.yml` (this repository) or
 * `owner/repo/.github/workflows/x.yml@ref` (another one); undefined for anything else.
 */
export function calledFileOf(uses: string): string | undefined {
  return /^(?:\.\/|[\w.-]+\/[\w.-]+\/)\.github\/workflows\/([\w.-]+\.ya?ml)(?:@\S+)?$/.exec(uses)?.[1];
}

/** A caller's job that runs a reusable workflow, and that workflow. */
export interface Call {
  readonly caller: LoadedWorkflow;
  readonly jobId: string;
  readonly job: Job;
  /** Undefined when the path names no reusable workflow of this repository. */
  readonly called?: LoadedWorkflow;
}

/** Every job of `callers` that calls a reusable workflow, with the one of `reusable` it names. */
export function callsOf(callers: readonly LoadedWorkflow[], reusable: readonly LoadedWorkflow[]): Call[] {
  return callers.flatMap((caller) =>
    Object.entries(caller.doc.jobs)
      .filter(([, job]) => job.uses !== undefined)
      .map(([jobId, job]) => {
        const file = calledFileOf(job.uses!);
        const called = reusable.find((w) => w.file === file);
        return { caller, jobId, job, ...(called === undefined ? {} : { called }) };
      }),
  );
}

const WHOLE_INPUT = /^\$\{\{\s*inputs\.([\w-]+)\s*\}\}$/;
const INPUT = /\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g;

/**
 * `value` with every `${{ inputs.NAME }}` expression replaced by the input's value: a string that is only that
 * expression takes the value as it is (a boolean stays one), one that holds it among text takes its text.
 * Expressions that do more than name an input (`inputs.a || vars.B`, comparisons) are left as they are.
 */
export function withInputs<T>(value: T, inputs: Readonly<Record<string, unknown>>): T {
  if (typeof value === "string") {
    const whole = WHOLE_INPUT.exec(value)?.[1];
    if (whole !== undefined && whole in inputs) return inputs[whole] as T;
    return value.replace(INPUT, (expression, name: string) =>
      name in inputs ? String(inputs[name]) : expression,
    ) as T;
  }
  if (Array.isArray(value)) return value.map((item: unknown) => withInputs(item, inputs)) as T;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, withInputs(item as unknown, inputs)]),
    ) as T;
  }
  return value;
}

/** The inputs a call runs with: what the caller passes, else the declared default. */
export function inputsOf(call: Call): Record<string, unknown> {
  const declared = call.called === undefined ? {} : callInterfaceOf(call.called).inputs;
  const inputs: Record<string, unknown> = {};
  for (const [name, parameter] of Object.entries(declared)) {
    if (parameter.default !== undefined) inputs[name] = parameter.default;
  }
  return { ...inputs, ...(call.job.with ?? {}) };
}

/**
 * The workflows as they run: a caller's own jobs as they are, and each call replaced by the called jobs, with the
 * caller's triggers, the called workflow's top-level permissions and the inputs the caller passes. Named
 * `caller.yml → called.yml`. Reusable workflows are only seen through their callers.
 */
export function resolveCalls(workflows: readonly LoadedWorkflow[]): LoadedWorkflow[] {
  const reusable = workflows.filter(isReusable);
  const callers = workflows.filter((w) => !isReusable(w));
  const calls = callsOf(callers, reusable);
  const resolved: LoadedWorkflow[] = [];
  for (const caller of callers) {
    const own = Object.fromEntries(
      Object.entries(caller.doc.jobs).filter(([, job]) => job.uses === undefined),
    );
    if (Object.keys(own).length > 0) resolved.push({ ...caller, doc: { ...caller.doc, jobs: own } });
    for (const call of calls.filter((c) => c.caller === caller && c.called !== undefined)) {
      const called = call.called!;
      const inputs = inputsOf(call);
      const { concurrency: _concurrency, ...callerDoc } = caller.doc;
      resolved.push({
        file: `${caller.file} → ${called.file}`,
        called: called.file,
        text: called.text,
        doc: {
          ...callerDoc,
          permissions: called.doc.permissions,
          jobs: withInputs(structuredClone(called.doc.jobs), inputs),
        },
      });
    }
  }
  return resolved;
}
