/**
 * The rules about calls of reusable workflows, on the workflow files as written: which triggers a caller of each
 * reusable workflow must have, what a calling job passes (inputs, secrets, permissions) and references, and what a
 * reusable workflow declares and refers to. GitHub's documented semantics behind them: in a called workflow the
 * github context, the variables and the environments are the caller's; an environment secret reaches it only when
 * the caller passes it (by name, or `secrets: inherit`, which works within one organization and passes every
 * secret); the calling job's permissions cap the called jobs'; a concurrency group the caller and the called
 * workflow share cancels or blocks the caller's run.
 */
import { skillLock } from "./rules";
import {
  callInterfaceOf,
  calledFileOf,
  callsOf,
  isReusable,
  permissionsOf,
  projectPath,
  repoRoot,
  type Call,
  type Job,
  type LoadedWorkflow,
} from "./workflows";
import { existsSync } from "node:fs";
import { join } from "node:path";

/**
 * The secrets a reusable workflow may take without requiring them: the account linking client secret, which only a
 * skill with account linking has (without it, the upload names the missing variable and changes nothing).
 */
export const optionalSecrets: readonly string[] = ["ASK_ACCOUNT_LINKING_CLIENT_SECRET"];

/** The triggers a caller of each reusable workflow has, and nothing else. */
export const calledTriggers: Readonly<Record<string, readonly string[]>> = {
  "reusable-ci.yml": ["pull_request", "push"],
  "reusable-beta.yml": ["push"],
  "reusable-release.yml": ["push"],
  "reusable-certification.yml": ["schedule", "workflow_dispatch"],
  "reusable-rollback.yml": ["workflow_dispatch"],
  "reusable-drift.yml": ["schedule", "workflow_dispatch"],
};

/** How callers name reusable workflows: this repository's by path, another repository's pinned to a commit. */
export type CallStyle = "local" | "pinned";

function where(call: Call): string {
  return `${call.caller.file} job ${call.jobId}`;
}

/**
 * Every workflow file sets `permissions: {}` at the top, so each job states its own; a reusable workflow is
 * triggered by `workflow_call` alone, sets no workflow-level concurrency (its github.workflow is the caller's, so a
 * group named after it is the caller's group) and runs every job in the caller's project folder.
 */
export function workflowFileProblems(workflows: readonly LoadedWorkflow[]): string[] {
  const problems: string[] = [];
  for (const w of workflows) {
    const top = w.doc.permissions;
    if (top === undefined || typeof top === "string" || Object.keys(top).length > 0) {
      problems.push(`${w.file} must set permissions: {} at the top, so every job states its own`);
    }
    if (!isReusable(w)) continue;
    const triggers = Object.keys(w.doc.on ?? {});
    if (triggers.join() !== "workflow_call") {
      problems.push(
        `${w.file} is reusable and must be triggered by workflow_call alone, not ${triggers.join(", ")}`,
      );
    }
    if (w.doc.concurrency !== undefined) {
      problems.push(`${w.file} sets a workflow-level concurrency group, which would be its caller's`);
    }
    for (const [id, job] of Object.entries(w.doc.jobs)) {
      if (job.defaults?.run?.["working-directory"] !== `${projectPath}/\${{ inputs.working-directory }}`) {
        problems.push(`${w.file} job ${id} must run in ${projectPath}/\${{ inputs.working-directory }}`);
      }
    }
  }
  return problems;
}

/**
 * A reusable workflow refers only to the inputs and secrets it declares; every secret it reads is declared and
 * required (an environment secret the caller does not pass arrives empty, silently), but {@link optionalSecrets}; the
 * inputs every Skillship workflow shares are declared; Pulumi steps take the stack, folder and policy pack from
 * the inputs.
 */
export function interfaceProblems(workflows: readonly LoadedWorkflow[]): string[] {
  const problems: string[] = [];
  for (const w of workflows.filter(isReusable)) {
    const { inputs, secrets } = callInterfaceOf(w);
    const jobsText = JSON.stringify(w.doc.jobs);
    for (const [, name] of jobsText.matchAll(/\binputs\.([\w-]+)/g)) {
      if (!(name! in inputs)) problems.push(`${w.file} refers to inputs.${name}, which it does not declare`);
    }
    for (const [, name] of jobsText.matchAll(/\bsecrets\.([\w-]+)/g)) {
      if (!(name! in secrets))
        problems.push(`${w.file} refers to secrets.${name}, which it does not declare`);
    }
    for (const [name, secret] of Object.entries(secrets)) {
      if (secret.required !== true && !optionalSecrets.includes(name))
        problems.push(`${w.file} must require its secret ${name}`);
    }
    for (const name of ["working-directory", "node-version-file"]) {
      if (inputs[name]?.type !== "string") problems.push(`${w.file} must take the string input ${name}`);
    }
    for (const [id, job] of Object.entries(w.doc.jobs)) {
      for (const step of job.steps ?? []) {
        if (step.uses?.split("@")[0] !== "pulumi/actions" || step.with?.command === undefined) continue;
        const stack = String(step.with["stack-name"]);
        if (!/^\$\{\{ inputs\.(dev|prod)-stack \}\}$/.test(stack)) {
          problems.push(
            `${w.file} job ${id} names the stack ${stack}: take it from the dev-stack or prod-stack input`,
          );
        }
        if (step.with["work-dir"] !== `${projectPath}/\${{ inputs.working-directory }}`) {
          problems.push(`${w.file} job ${id} runs Pulumi outside the project's folder`);
        }
        if (step.with.policyPacks !== "${{ inputs.policy-pack }}") {
          problems.push(`${w.file} job ${id} runs Pulumi without the policy pack its caller names`);
        }
      }
    }
  }
  return problems;
}

/** Each caller of a reusable workflow triggers as that workflow needs, and on nothing that runs a fork's code. */
export function triggerProblems(workflows: readonly LoadedWorkflow[]): string[] {
  const problems: string[] = [];
  const callers = workflows.filter((w) => !isReusable(w));
  const calls = callsOf(callers, workflows.filter(isReusable));
  for (const w of callers) {
    for (const forbidden of ["pull_request_target", "workflow_run"]) {
      if (forbidden in (w.doc.on ?? {})) problems.push(`${w.file} triggers on ${forbidden}`);
    }
  }
  for (const [called, triggers] of Object.entries(calledTriggers)) {
    const callersOf = calls.filter((call) => call.called?.file === called);
    if (callersOf.length === 0) problems.push(`no workflow calls ${called}`);
    for (const call of callersOf) {
      const on = (call.caller.doc.on ?? {}) as Record<string, Record<string, unknown> | null>;
      const actual = Object.keys(on).sort();
      if (JSON.stringify(actual) !== JSON.stringify([...triggers].sort())) {
        problems.push(
          `${call.caller.file} calls ${called} on ${actual.join(", ")}, expected ${triggers.join(", ")}`,
        );
      }
      const push = on.push ?? {};
      if (called === "reusable-beta.yml" && JSON.stringify(push.branches) !== '["develop"]') {
        problems.push(`${call.caller.file} must run on pushes to develop only`);
      }
      if (called === "reusable-release.yml" && (JSON.stringify(push.tags) !== '["v*"]' || push.branches)) {
        problems.push(`${call.caller.file} must run on tags v* only`);
      }
      if (triggers.includes("schedule") && (!Array.isArray(on.schedule) || on.schedule.length === 0)) {
        problems.push(`${call.caller.file} needs a schedule`);
      }
      if (called === "reusable-rollback.yml") {
        const inputs = ((on.workflow_dispatch ?? {}).inputs ?? {}) as Record<string, { required?: boolean }>;
        if (!inputs.version || inputs.version.required === true) {
          problems.push(`${call.caller.file} needs an optional input version`);
        }
        if (inputs.reason?.required !== true)
          problems.push(`${call.caller.file} needs a required input reason`);
      }
    }
  }
  return problems;
}

function stringPermissions(job: Job): string {
  return JSON.stringify(Object.entries(permissionsOf(job) ?? {}).sort());
}

/**
 * What a calling job passes and how it names the workflow. The path: this repository's reusable workflow
 * (`local`), or another repository's pinned to a commit with the release as a comment (`pinned`, the callers
 * `skillship init` writes). Secrets: exactly the ones the called workflow declares, each by its own name, never
 * `inherit`. Inputs: only declared ones, every required one. Permissions: exactly the union of what the called
 * jobs state (more would be unused; less would cap them). No concurrency group of the called jobs' (a shared group
 * deadlocks), and nothing that cancels a run in progress when the called workflow writes a stage.
 */
export function callProblems(
  workflows: readonly LoadedWorkflow[],
  style: CallStyle,
  context: { version?: string; texts?: Readonly<Record<string, string>> } = {},
): string[] {
  const problems: string[] = [];
  const callers = workflows.filter((w) => !isReusable(w));
  for (const call of callsOf(callers, workflows.filter(isReusable))) {
    const at = where(call);
    const uses = call.job.uses!;
    const file = calledFileOf(uses);
    if (call.called === undefined) {
      problems.push(`${at} calls ${uses}, which is no reusable workflow of this repository`);
      continue;
    }
    if (style === "local" && uses !== `./.github/workflows/${file}`) {
      problems.push(`${at} calls ${uses}: in this repository, call ./.github/workflows/${file}`);
    }
    if (style === "local" && !existsSync(join(repoRoot, ".github", "workflows", file!))) {
      problems.push(`${at} calls ${uses}, which does not exist`);
    }
    if (style === "pinned") {
      const line = (context.texts?.[call.caller.file] ?? call.caller.text)
        .split("\n")
        .find((l) => l.includes(`uses: ${uses}`));
      const comment = /#\s*(v\d+\.\d+\.\d+)\s*$/.exec(line ?? "")?.[1];
      if (!/@[0-9a-f]{40}$/.test(uses)) {
        problems.push(`${at} calls ${uses}: pin the commit SHA, its release as a comment`);
      } else if (context.version !== undefined && comment !== `v${context.version}`) {
        problems.push(
          `${at} calls ${uses} with comment ${JSON.stringify(comment ?? "")}: expected v${context.version}`,
        );
      }
    }
    const declared = callInterfaceOf(call.called);
    const passed = call.job.secrets;
    if (passed === "inherit") {
      problems.push(
        `${at} passes every secret (secrets: inherit): pass only ${Object.keys(declared.secrets).join(", ")}`,
      );
    } else {
      const names = Object.keys(passed ?? {}).sort();
      if (JSON.stringify(names) !== JSON.stringify(Object.keys(declared.secrets).sort())) {
        problems.push(
          `${at} passes the secrets ${names.join(", ") || "none"}, expected ${Object.keys(declared.secrets).sort().join(", ")}`,
        );
      }
      for (const [name, value] of Object.entries(passed ?? {})) {
        if (value !== `\${{ secrets.${name} }}`)
          problems.push(`${at} passes ${name} as ${value}: pass the secret of that name`);
      }
    }
    for (const name of Object.keys(call.job.with ?? {})) {
      if (!(name in declared.inputs)) problems.push(`${at} passes ${name}, which ${file} does not take`);
    }
    for (const [name, input] of Object.entries(declared.inputs)) {
      if (input.required === true && !(name in (call.job.with ?? {}))) {
        problems.push(`${at} does not pass ${file}'s required input ${name}`);
      }
    }
    const union: Record<string, string> = {};
    for (const job of Object.values(call.called.doc.jobs)) {
      for (const [scope, level] of Object.entries(permissionsOf(job) ?? {})) {
        if (union[scope] !== "write") union[scope] = level;
      }
    }
    const wanted = JSON.stringify(Object.entries(union).sort());
    if (stringPermissions(call.job) !== wanted) {
      problems.push(`${at} grants ${stringPermissions(call.job)}, expected what its jobs need: ${wanted}`);
    }
    const calledGroups = Object.values(call.called.doc.jobs).map((job) =>
      typeof job.concurrency === "string" ? job.concurrency : job.concurrency?.group,
    );
    const writes = calledGroups.includes(skillLock);
    for (const [level, concurrency] of [
      ["workflow", call.caller.doc.concurrency],
      ["job", call.job.concurrency],
    ] as const) {
      if (concurrency === undefined) continue;
      const group = typeof concurrency === "string" ? concurrency : concurrency.group;
      const cancels = typeof concurrency === "string" ? false : concurrency["cancel-in-progress"];
      if (group === skillLock || group.startsWith("skillship-stack-") || calledGroups.includes(group)) {
        problems.push(`${at} holds ${group} at the ${level} level, a group its called jobs hold: a deadlock`);
      }
      if (writes && cancels !== undefined && cancels !== false) {
        problems.push(
          `${at} may cancel ${file} in progress (${level}-level cancel-in-progress), which writes a stage`,
        );
      }
    }
  }
  return problems;
}
