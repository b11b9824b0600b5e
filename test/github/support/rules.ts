// Over 350 lines on purpose: every rule of the pipeline, each a small function, kept where the tests find them.
/**
 * The delivery pipeline's rules, each a function from the workflows as they run (`resolveCalls`: every call of a
 * reusable workflow replaced by the jobs it runs, with the caller's triggers and inputs) to the list of every
 * problem found (empty when the rule holds). Tests assert the real workflows give no problem, and that a copy
 * broken on purpose gives the expected one, so no rule can pass vacuously. The rules about the calls themselves
 * (triggers, what a caller passes, the reusable workflows' interface) are in `calls.ts`.
 */
import { validateAction, validateWorkflow, type ValidationError } from "@action-validator/core";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { verifiedPins } from "./pins";
import { checkRunCommand, type RunCheck, type RunContext } from "./run-commands";
import { simpleCommands, UnsupportedShellError } from "./shell";
import {
  awsRoleOf,
  calledFileOf,
  environmentOf,
  isTrue,
  permissionsOf,
  projectPath,
  repoRoot,
  setupActionRef,
  stacksDeployedBy,
  stepsUsing,
  type Job,
  type LoadedWorkflow,
  type SetupAction,
  type Step,
} from "./workflows";

/** The Login with Amazon credentials: secrets of the environment that owns them. */
export const lwaSecrets = ["ASK_LWA_CLIENT_ID", "ASK_LWA_CLIENT_SECRET", "ASK_REFRESH_TOKEN"];

/** Variables holding the OIDC roles the prod stack's DeliveryPipeline creates. */
export const roleVariables = {
  preview: "SKILLSHIP_PREVIEW_ROLE_ARN",
  beta: "SKILLSHIP_BETA_ROLE_ARN",
  release: "SKILLSHIP_RELEASE_ROLE_ARN",
  watch: "SKILLSHIP_WATCH_ROLE_ARN",
} as const;

/**
 * Environments that own Login with Amazon secrets, and the `skillship` commands a job in each may run. Only
 * production may change the live stage; beta (unattended: develop and the schedule) touches the development stage;
 * preview (pull requests, a read-only token) only reads.
 */
export const environmentCommands: Readonly<Record<string, readonly string[] | "any">> = {
  production: "any",
  beta: ["deploy-model", "dialog", "validate", "beta-test", "release watch"],
  preview: ["diff", "drift"],
};

/** `skillship` commands that reach no service (they read and write local files only): allowed in any job. */
export const localCommands: readonly string[] = ["build", "lint"];

/** `skillship` commands that change a stage, with the stack whose concurrency group must serialise them. */
export const deployingCommands: Readonly<Record<string, "dev" | "prod">> = {
  "deploy-model": "dev",
  release: "prod",
  publish: "prod",
  rollback: "prod",
  withdraw: "prod",
};

/** `skillship` commands that write a skill stage (the development stage, the live stage, or both). */
export const stageWritingCommands: readonly string[] = [
  "deploy-model",
  "release",
  "release watch",
  "publish",
  "rollback",
  "withdraw",
];

/**
 * The one lock every job that writes a skill stage holds. It covers the prod stack too: only a release changes
 * prod, and a release writes the stages.
 */
export const skillLock = "skillship-skill";

/** The concurrency group of a stack. */
export function stackGroup(stack: string): string {
  return `skillship-stack-${stack}`;
}

/** The app stacks: the only stacks a workflow may preview, deploy or read. */
export const appStacks: readonly string[] = ["dev", "prod"];

/** Condition that keeps a job away from pull requests opened from forks. */
export const sameRepositoryCondition = "github.event.pull_request.head.repo.full_name == github.repository";

const SECRET_ENV_NAMES = [
  "ASK_LWA_CLIENT_SECRET",
  "ASK_REFRESH_TOKEN",
  "ASK_LWA_CLIENT_ID",
  "PULUMI_ACCESS_TOKEN",
];

/** Every command of every run step of a job, checked against package.json and the skillship program. */
export function runChecksOf(job: Job, context: RunContext): { step: Step; check: RunCheck }[] {
  return (job.steps ?? []).flatMap((step) =>
    runChecksOfStep(step, context).map((check) => ({ step, check })),
  );
}

/** The checks of one step's run script (an unsupported script is one problem). */
export function runChecksOfStep(step: Step, context: RunContext): RunCheck[] {
  if (step.run === undefined) return [];
  try {
    return simpleCommands(step.run).map((command) => checkRunCommand(command, context));
  } catch (error) {
    if (error instanceof UnsupportedShellError) return [{ kind: step.run, problems: [error.message] }];
    throw error;
  }
}

function skillshipCommandsOf(job: Job, context: RunContext): string[] {
  return runChecksOf(job, context)
    .map(({ check }) => check.skillship)
    .filter((path): path is string => path !== undefined);
}

function label(workflow: LoadedWorkflow, jobId: string): string {
  return `${workflow.file} job ${jobId}`;
}

function jobs(workflows: readonly LoadedWorkflow[]): [LoadedWorkflow, string, Job][] {
  return workflows.flatMap((w) =>
    Object.entries(w.doc.jobs).map(([id, job]) => [w, id, job] as [LoadedWorkflow, string, Job]),
  );
}

function usesLwaSecrets(job: Job): boolean {
  const text = JSON.stringify(job);
  return lwaSecrets.some((name) => text.includes(`secrets.${name}`));
}

function errorText(errors: ValidationError[]): string {
  return errors
    .map((e) => `${"path" in e ? e.path : ""} ${e.title}${e.detail ? `: ${e.detail}` : ""}`)
    .join("; ");
}

/** The workflow validates against GitHub's workflow schema. */
export function schemaProblems(workflows: readonly LoadedWorkflow[]): string[] {
  return workflows.flatMap((w) => {
    const { errors } = validateWorkflow(w.text);
    return errors.length > 0 ? [`${w.file} is not a valid workflow: ${errorText(errors)}`] : [];
  });
}

/** The setup action validates against GitHub's action schema. */
export function actionSchemaProblems(action: SetupAction): string[] {
  const { errors } = validateAction(action.text);
  return errors.length > 0 ? [`the setup action is not a valid action: ${errorText(errors)}`] : [];
}

/** Every job has a timeout. */
export function timeoutProblems(workflows: readonly LoadedWorkflow[]): string[] {
  return jobs(workflows).flatMap(([w, id, job]) => {
    const minutes = job["timeout-minutes"];
    return typeof minutes === "number" && minutes > 0 && minutes <= 90
      ? []
      : [`${label(w, id)} needs timeout-minutes between 1 and 90 (has ${String(minutes)})`];
  });
}

/**
 * Least permissions per job: `contents: read`, `id-token: write` exactly where an AWS role is assumed,
 * `pull-requests: write` exactly where a comment is posted; nothing else. (None at the workflow level, and a
 * calling job grants exactly what its called jobs need: `calls.ts`.)
 */
export function permissionProblems(workflows: readonly LoadedWorkflow[]): string[] {
  const problems: string[] = [];
  for (const [w, id, job] of jobs(workflows)) {
    const permissions = permissionsOf(job);
    if (!permissions) {
      problems.push(`${label(w, id)} has no permissions block`);
      continue;
    }
    const assumesRole = awsRoleOf(job) !== undefined;
    const comments =
      stepsUsing(job, "pulumi/actions").some((s) => isTrue(s.with?.["comment-on-pr"])) ||
      stepsUsing(job, "marocchino/sticky-pull-request-comment").length > 0;
    const expected: Record<string, string> = { contents: "read" };
    if (assumesRole) expected["id-token"] = "write";
    if (comments) expected["pull-requests"] = "write";
    const actual = JSON.stringify(Object.entries(permissions).sort());
    const wanted = JSON.stringify(Object.entries(expected).sort());
    if (actual !== wanted) problems.push(`${label(w, id)} has permissions ${actual}, expected ${wanted}`);
  }
  return problems;
}

/**
 * Who may hold what. The release role and every command that changes the live stage: environment production only.
 * Login with Amazon secrets: only in a job of an environment that owns them, running only the commands that
 * environment allows. The beta role: never in a job with an environment (its OIDC subject would be
 * environment:NAME, which the role does not trust), only in a workflow pushes to develop alone run. The read-only
 * preview role: in pull request jobs (no environment) or in jobs of environment preview (the scheduled drift
 * check), the two subjects it trusts. The read-only watch role: only in environment beta, the one it trusts.
 */
export function environmentProblems(workflows: readonly LoadedWorkflow[], context: RunContext): string[] {
  const problems: string[] = [];
  for (const [w, id, job] of jobs(workflows)) {
    const environment = environmentOf(job);
    const role = awsRoleOf(job) ?? "";
    const commands = skillshipCommandsOf(job, context);
    if (role.includes(roleVariables.release) && environment !== "production") {
      problems.push(`${label(w, id)} assumes the release role outside environment production`);
    }
    if (role.includes(roleVariables.beta)) {
      if (environment !== undefined)
        problems.push(`${label(w, id)} assumes the beta role in environment ${environment}`);
      const on = w.doc.on ?? {};
      const push = on.push as { branches?: string[]; tags?: string[] } | undefined;
      if (
        Object.keys(on).join() !== "push" ||
        JSON.stringify(push?.branches) !== '["develop"]' ||
        push?.tags
      ) {
        problems.push(`${label(w, id)} assumes the beta role outside a workflow only pushes to develop run`);
      }
    }
    if (role.includes(roleVariables.preview)) {
      const pullRequest =
        environment === undefined && (job.if ?? "").includes("github.event_name == 'pull_request'");
      if (!pullRequest && environment !== "preview") {
        problems.push(
          `${label(w, id)} assumes the preview role outside pull requests and environment preview` +
            (environment === undefined ? "" : ` (in environment ${environment})`),
        );
      }
    }
    if (role.includes(roleVariables.watch) && environment !== "beta") {
      problems.push(`${label(w, id)} assumes the watch role outside environment beta`);
    }
    const live = commands.filter((c) => deployingCommands[c] === "prod");
    if (live.length > 0 && environment !== "production") {
      problems.push(`${label(w, id)} runs skillship ${live.join(", ")} outside environment production`);
    }
    if (usesLwaSecrets(job)) {
      const allowed = environment === undefined ? undefined : environmentCommands[environment];
      if (allowed === undefined) {
        problems.push(`${label(w, id)} uses Login with Amazon secrets outside an environment that owns them`);
      } else if (allowed !== "any") {
        const extra = commands.filter((c) => !allowed.includes(c) && !localCommands.includes(c));
        if (extra.length > 0)
          problems.push(`${label(w, id)} runs skillship ${extra.join(", ")} in environment ${environment}`);
      }
    }
  }
  return problems;
}

/**
 * Secrets stay where they are needed: Login with Amazon secrets only in the env of steps that run skillship (never
 * at job level, where `npm ci` and Pulumi programs would see them); no `${{ secrets.* }}`, `${{ inputs.* }}` or
 * `${{ github.event.* }}` pasted into a script (expression injection); no command word that expands a secret.
 */
export function secretProblems(workflows: readonly LoadedWorkflow[], context: RunContext): string[] {
  const problems: string[] = [];
  for (const [w, id, job] of jobs(workflows)) {
    for (const name of lwaSecrets) {
      if (JSON.stringify(job.env ?? {}).includes(`secrets.${name}`)) {
        problems.push(
          `${label(w, id)} puts ${name} in the job's env: only the steps that run skillship may have it`,
        );
      }
    }
    for (const step of job.steps ?? []) {
      const where = `${label(w, id)} step "${step.name ?? step.uses ?? step.run}"`;
      const stepEnv = JSON.stringify(step.env ?? {});
      const withText = JSON.stringify(step.with ?? {});
      const hasLwa = lwaSecrets.some(
        (n) => stepEnv.includes(`secrets.${n}`) || withText.includes(`secrets.${n}`),
      );
      if (hasLwa && !runChecksOfStep(step, context).some((c) => c.skillship !== undefined)) {
        problems.push(`${where} gets Login with Amazon secrets but runs no skillship command`);
      }
      if (step.run !== undefined) {
        if (/\$\{\{\s*(secrets|inputs|github\.event|github\.head_ref)\b/.test(step.run)) {
          problems.push(`${where} pastes an expression into its script: pass it through env instead`);
        }
        try {
          for (const command of simpleCommands(step.run)) {
            const secretWord = command.words.find((word) =>
              SECRET_ENV_NAMES.some((n) => word.text.includes(n)),
            );
            if (secretWord) problems.push(`${where} expands a secret on a command line: ${secretWord.text}`);
          }
        } catch (error) {
          if (!(error instanceof UnsupportedShellError)) throw error;
        }
      }
    }
  }
  return problems;
}

/** In a workflow that pull requests trigger, a job that can reach a secret, a role or an environment skips forks. */
export function forkProblems(workflows: readonly LoadedWorkflow[]): string[] {
  const problems: string[] = [];
  for (const [w, id, job] of jobs(workflows)) {
    if (!("pull_request" in (w.doc.on ?? {}))) continue;
    const text = JSON.stringify(job);
    const reaches =
      /secrets\./.test(text) ||
      /vars\.(AWS_|SKILLSHIP_)/.test(text) ||
      environmentOf(job) !== undefined ||
      permissionsOf(job)?.["id-token"] === "write";
    if (!reaches) continue;
    const condition = job.if ?? "";
    if (!condition.includes(sameRepositoryCondition) || condition.includes("||")) {
      problems.push(
        `${label(w, id)} reaches secrets or the cloud but does not require ${sameRepositoryCondition}`,
      );
    }
  }
  return problems;
}

/**
 * One lock per kind of change, never cancelled while running: every job that writes a skill stage (or deploys
 * prod, which only a release does) holds {@link skillLock}; a job that deploys the dev stack alone holds that
 * stack's group. A job that does both would need two locks at once, which GitHub cannot give.
 */
export function concurrencyProblems(workflows: readonly LoadedWorkflow[], context: RunContext): string[] {
  const problems: string[] = [];
  for (const [w, id, job] of jobs(workflows)) {
    const stacks = stacksDeployedBy(job).map((stack) => stack.split("/").pop()!);
    const writers = skillshipCommandsOf(job, context).filter((c) => stageWritingCommands.includes(c));
    const concurrency = typeof job.concurrency === "string" ? { group: job.concurrency } : job.concurrency;
    const group = concurrency?.group ?? "";
    if (
      (group.startsWith("skillship-stack-") || group === skillLock) &&
      concurrency?.["cancel-in-progress"] !== false
    ) {
      problems.push(`${label(w, id)} is in ${group} and must set cancel-in-progress: false`);
    }
    const skill = writers.length > 0 || stacks.includes("prod");
    const others = stacks.filter((stack) => stack !== "prod");
    if (skill && others.length > 0) {
      problems.push(
        `${label(w, id)} deploys ${others.join(", ")} and writes a skill stage: one lock per job`,
      );
      continue;
    }
    if (new Set(others).size > 1) {
      problems.push(`${label(w, id)} deploys both ${others.join(" and ")}: one stack per job`);
      continue;
    }
    const expected = skill ? skillLock : others.length === 1 ? stackGroup(others[0]!) : undefined;
    if (expected === undefined) continue;
    const what = skill
      ? `writes a skill stage (${[...writers, ...stacks].join(", ")})`
      : `deploys ${others[0]}`;
    if (group !== expected) {
      problems.push(`${label(w, id)} ${what} outside concurrency group ${expected}`);
    }
  }
  return problems;
}

/** A word's value: `$NAME` or `${NAME}` of a variable the step's env sets is that value, anything else itself. */
function valueOf(word: string, step: Step): string {
  const name = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(word)?.[1];
  const value = name === undefined ? undefined : step.env?.[name];
  return typeof value === "string" ? value : word;
}

/** No workflow previews, deploys or reads the administrator-only stack: only the app stacks. */
export function adminStackProblems(workflows: readonly LoadedWorkflow[]): string[] {
  const problems: string[] = [];
  for (const [w, id, job] of jobs(workflows)) {
    for (const step of job.steps ?? []) {
      const stacks: string[] = [];
      if (step.uses?.split("@")[0] === "pulumi/actions" && step.with?.command !== undefined) {
        stacks.push(String(step.with["stack-name"] ?? "(the selected stack)"));
      }
      if (step.run !== undefined) {
        for (const command of simpleCommands(step.run)) {
          const words = command.words.map((word) => word.text);
          if (words[0] !== "pulumi" || words[1] === "login") continue;
          const flag = words.findIndex((word) => word === "--stack" || word === "-s");
          stacks.push(flag < 0 ? "(the selected stack)" : valueOf(words[flag + 1] ?? "", step));
        }
      }
      for (const stack of stacks) {
        if (!appStacks.includes(stack.split("/").pop()!)) {
          problems.push(`${label(w, id)} runs Pulumi on ${stack}: workflows touch the app stacks only`);
        }
      }
    }
  }
  return problems;
}

/**
 * No standing Pulumi Cloud token anywhere (jobs get a short-lived team token through OIDC), and a job a pull
 * request triggers sees no secret but the read-only Login with Amazon token of environment preview.
 */
export function pullRequestSecretProblems(
  workflows: readonly LoadedWorkflow[],
  action: SetupAction,
): string[] {
  const problems: string[] = [];
  if (
    action.text.includes("PULUMI_ACCESS_TOKEN") &&
    /secrets\.|inputs\.pulumi-access-token/.test(action.text)
  ) {
    problems.push("the setup action takes a standing Pulumi access token");
  }
  for (const [w, id, job] of jobs(workflows)) {
    const text = JSON.stringify(job);
    if (text.includes("secrets.PULUMI_ACCESS_TOKEN")) {
      problems.push(
        `${label(w, id)} uses a standing PULUMI_ACCESS_TOKEN secret: use the OIDC exchange instead`,
      );
    }
    if (!("pull_request" in (w.doc.on ?? {}))) continue;
    for (const [, name] of text.matchAll(/secrets\.([A-Za-z0-9_]+)/g)) {
      if (environmentOf(job) !== "preview" || !lwaSecrets.includes(name!)) {
        problems.push(
          `${label(w, id)} lets pull requests see secret ${name}: only environment preview's read-only ` +
            "Login with Amazon token may reach them",
        );
      }
    }
    const role = awsRoleOf(job);
    if (role !== undefined && !role.includes(roleVariables.preview)) {
      problems.push(`${label(w, id)} gives pull requests a role other than the read-only preview role`);
    }
    const team = stepsUsing(job, setupActionRef)[0]?.with?.["pulumi-team"];
    if (team !== undefined && team !== "skillship-preview") {
      problems.push(`${label(w, id)} gives pull requests the Pulumi Cloud team ${String(team)}`);
    }
  }
  return problems;
}

/**
 * The jobs that release, publish or watch a certification post their outcome to the prod alert topic, whatever
 * the outcome (`always()`), from the topic variable the admin stack writes.
 */
export function notifyProblems(workflows: readonly LoadedWorkflow[], context: RunContext): string[] {
  const problems: string[] = [];
  for (const [w, id, job] of jobs(workflows)) {
    const commands = skillshipCommandsOf(job, context);
    if (!commands.some((c) => ["release", "publish", "release watch"].includes(c))) continue;
    const notify = (job.steps ?? []).find((step) =>
      runChecksOfStep(step, context).some((check) => check.kind === "aws sns publish"),
    );
    if (notify === undefined) {
      problems.push(
        `${label(w, id)} runs skillship ${commands.join(", ")} but posts no outcome to the alert topic`,
      );
      continue;
    }
    if (!(notify.if ?? "").includes("always()")) {
      problems.push(`${label(w, id)} posts its outcome only on success: the step needs if: always()`);
    }
    if (!JSON.stringify(notify.env ?? {}).includes("vars.SKILLSHIP_ALERTS_TOPIC_ARN")) {
      problems.push(`${label(w, id)} posts its outcome elsewhere than vars.SKILLSHIP_ALERTS_TOPIC_ARN`);
    }
  }
  return problems;
}

/** `pulumi up` of prod runs with refresh, so an alias the release engine moved is read back and never undone. */
export function refreshProblems(workflows: readonly LoadedWorkflow[]): string[] {
  const problems: string[] = [];
  let prodUps = 0;
  for (const [w, id, job] of jobs(workflows)) {
    for (const step of stepsUsing(job, "pulumi/actions")) {
      if (step.with?.command !== "up" && step.with?.command !== "update") continue;
      if (String(step.with?.["stack-name"]).split("/").pop() !== "prod") continue;
      prodUps += 1;
      if (!isTrue(step.with?.refresh))
        problems.push(`${label(w, id)} runs pulumi up on prod without refresh: true`);
    }
  }
  if (prodUps === 0) problems.push("no workflow runs pulumi up on prod");
  return problems;
}

/** Every `steps.ID…` names a step of the job, every `needs.JOB.outputs.NAME` a job it needs and an output it has. */
export function referenceProblems(workflows: readonly LoadedWorkflow[]): string[] {
  const problems = new Set<string>();
  for (const [w, id, job] of jobs(workflows)) {
    const text = JSON.stringify(job);
    const stepIds = new Set((job.steps ?? []).map((s) => s.id).filter((x): x is string => x !== undefined));
    for (const [, stepId] of text.matchAll(/\bsteps\.([A-Za-z0-9_-]+)\./g)) {
      if (!stepIds.has(stepId!))
        problems.add(`${label(w, id)} refers to steps.${stepId}, which it does not have`);
    }
    const needs = new Set(typeof job.needs === "string" ? [job.needs] : (job.needs ?? []));
    for (const [, jobId, output] of text.matchAll(/\bneeds\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)/g)) {
      const needed = w.doc.jobs[jobId!];
      if (!needs.has(jobId!) || !needed) {
        problems.add(`${label(w, id)} refers to needs.${jobId} but does not need that job`);
      } else if (!(output! in (needed.outputs ?? {}))) {
        problems.add(
          `${label(w, id)} refers to needs.${jobId}.outputs.${output}, which that job does not declare`,
        );
      }
    }
  }
  return [...problems];
}

/** Every preview and every deployment runs the CrossGuard policy pack of `infra/policies` (this repository's). */
export function policyPackProblems(workflows: readonly LoadedWorkflow[]): string[] {
  const problems: string[] = [];
  if (!existsSync(join(repoRoot, "infra", "policies", "PulumiPolicy.yaml"))) {
    problems.push("infra/policies has no PulumiPolicy.yaml: there is no policy pack to run");
  }
  for (const [w, id, job] of jobs(workflows)) {
    for (const step of stepsUsing(job, "pulumi/actions")) {
      if (!["preview", "up", "update"].includes(String(step.with?.command))) continue;
      const packs = String(step.with?.policyPacks ?? "").split(/\s+/);
      if (!packs.includes("infra/policies")) {
        problems.push(
          `${label(w, id)} runs pulumi ${String(step.with?.command)} without the policy pack infra/policies`,
        );
      }
    }
  }
  return problems;
}

/**
 * Every action is pinned to a commit the team verified (`pins.ts`), with that commit's release as a comment on
 * the same line (`uses: owner/name@<sha> # vX.Y.Z`, which Dependabot keeps in step); local actions exist;
 * checkouts keep no token.
 */
export function actionRefProblems(workflows: readonly LoadedWorkflow[], action: SetupAction): string[] {
  const problems: string[] = [];
  const texts: [string, string][] = [
    ...workflows.map((w) => [w.file, w.text] as [string, string]),
    ["the setup action", action.text],
  ];
  for (const [where, text] of texts) {
    for (const line of text.split("\n")) {
      const uses = /^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/.exec(line);
      if (uses === null) continue;
      const [, reference, rest] = uses;
      // A job calling a reusable workflow: calls.ts checks those references.
      if (calledFileOf(reference!) !== undefined) continue;
      if (reference!.startsWith("./")) {
        if (!existsSync(join(repoRoot, reference!, "action.yml")))
          problems.push(`${where} uses ${reference}, which does not exist`);
        continue;
      }
      const [name, ref] = reference!.split("@");
      const comment = /^\s*#\s*(v\d+\.\d+\.\d+)\s*$/.exec(rest ?? "")?.[1];
      if (!/^[0-9a-f]{40}$/.test(ref ?? "")) {
        problems.push(`${where} uses ${reference}: pin the commit SHA, its release as a comment`);
      } else if (verifiedPins[name!]?.[ref!] === undefined) {
        problems.push(
          `${where} uses ${reference}: a commit not among the verified pins (test/github/support/pins.ts)`,
        );
      } else if (comment !== verifiedPins[name!]![ref!]) {
        problems.push(
          `${where} uses ${reference} with comment ${JSON.stringify(comment ?? "")}: that commit is ${verifiedPins[name!]![ref!]}`,
        );
      }
    }
  }
  const steps: [string, Step][] = [
    ...jobs(workflows).flatMap(([w, id, job]) =>
      (job.steps ?? []).map((s) => [label(w, id), s] as [string, Step]),
    ),
    ...action.doc.runs.steps.map((s) => ["the setup action", s] as [string, Step]),
  ];
  for (const [where, step] of steps) {
    if (step.uses?.startsWith("actions/checkout@") && step.with?.["persist-credentials"] !== false) {
      problems.push(`${where} checks out with persist-credentials left on`);
    }
  }
  return problems;
}

/** upload-artifact and download-artifact on the same major: an artifact of one major cannot be read by another. */
export function artifactMajorProblems(workflows: readonly LoadedWorkflow[]): string[] {
  const majors = new Set<string>();
  for (const w of workflows) {
    for (const [, major] of w.text.matchAll(
      /uses:\s*actions\/(?:upload|download)-artifact@\S+\s*#\s*(v\d+)\./g,
    )) {
      majors.add(major!);
    }
  }
  return majors.size > 1
    ? [`upload-artifact and download-artifact are on majors ${[...majors].sort().join(" and ")}`]
    : [];
}

/**
 * Every job starts the same way: Skillship's setup action checked out at the workspace root from the commit of the
 * workflow that runs (job.workflow_repository at job.workflow_sha, that folder only), the repository into
 * project/, and the setup action in the project's folder, where every run step runs too. The deploying jobs leave
 * a job summary.
 */
export function setupAndSummaryProblems(workflows: readonly LoadedWorkflow[], context: RunContext): string[] {
  const problems: string[] = [];
  for (const [w, id, job] of jobs(workflows)) {
    const steps = job.steps ?? [];
    const [own, project, setup] = steps;
    const folder = setup?.with?.["working-directory"];
    if (
      !own?.uses?.startsWith("actions/checkout@") ||
      own.with?.repository !== "${{ job.workflow_repository }}" ||
      own.with?.ref !== "${{ job.workflow_sha }}" ||
      own.with?.["sparse-checkout"] !== ".github/actions/" ||
      own.with?.["sparse-checkout-cone-mode"] !== false
    ) {
      problems.push(
        `${label(w, id)} must start by checking out Skillship's setup action (.github/actions/ only) from ` +
          "job.workflow_repository at job.workflow_sha",
      );
    } else if (
      !project?.uses?.startsWith("actions/checkout@") ||
      project.with?.path !== projectPath ||
      project.with?.repository !== undefined
    ) {
      problems.push(`${label(w, id)} must then check out the repository into ${projectPath}/`);
    } else if (setup?.uses !== setupActionRef) {
      problems.push(`${label(w, id)} must then run ${setupActionRef}`);
    } else if (
      typeof folder !== "string" ||
      !(folder === projectPath || folder.startsWith(`${projectPath}/`)) ||
      job.defaults?.run?.["working-directory"] !== folder
    ) {
      problems.push(
        `${label(w, id)} must set up and run in the project's folder under ${projectPath}/ ` +
          `(setup working-directory ${String(folder)}, defaults.run ${String(job.defaults?.run?.["working-directory"])})`,
      );
    }
    const deploys =
      stacksDeployedBy(job).length > 0 ||
      skillshipCommandsOf(job, context).some((c) => c in deployingCommands);
    if (!deploys) continue;
    const summary =
      steps.some((s) => (s.run ?? "").includes("GITHUB_STEP_SUMMARY")) ||
      stepsUsing(job, "pulumi/actions").some((s) => isTrue(s.with?.["comment-on-summary"])) ||
      skillshipCommandsOf(job, context).includes("status");
    if (!summary) problems.push(`${label(w, id)} deploys but leaves no job summary`);
  }
  return problems;
}

/**
 * The setup action: the Node the project names (`.nvmrc`; in this repository the one Node version, see
 * test/node-version.test.ts) with the npm cache of its lockfile, `npm ci` in the project's folder before any
 * credential exists, the project's own skillship on PATH (never one npx would fetch) (no dependency's install script ever sees AWS credentials), AWS only
 * through OIDC with the given role, the Pulumi CLI and a login to either backend: Pulumi Cloud only with a
 * short-lived token the OIDC exchange just obtained, never a standing one.
 */
export function setupActionProblems(action: SetupAction): string[] {
  const problems: string[] = [];
  const steps = action.doc.runs.steps;
  const uses = (name: string): number => steps.findIndex((s) => s.uses?.split("@")[0] === name);
  const node = steps[uses("actions/setup-node")];
  const folder = "${{ inputs.working-directory }}";
  if (
    !node ||
    node.with?.["node-version-file"] !== `${folder}/\${{ inputs.node-version-file }}` ||
    node.with?.cache !== "npm" ||
    node.with?.["cache-dependency-path"] !== `${folder}/package-lock.json`
  ) {
    problems.push(
      "the setup action must install the Node version the project names (working-directory/node-version-file) " +
        "with the npm cache of its lockfile",
    );
  }
  const npmCi = steps.findIndex((s) => (s.run ?? "").trim().startsWith("npm ci"));
  const aws = uses("aws-actions/configure-aws-credentials");
  if (npmCi < 0) problems.push("the setup action must run npm ci");
  else if (steps[npmCi]!["working-directory"] !== folder) {
    problems.push("the setup action must run npm ci in the project's folder");
  }
  const onPath = steps.findIndex(
    (s) =>
      s.run?.trim() === 'echo "$PWD/node_modules/.bin" >> "$GITHUB_PATH"' &&
      s["working-directory"] === folder,
  );
  const firstSkillship = steps.findIndex((s) => /(^|\s)skillship\s/.test(s.run ?? ""));
  if (onPath < 0 || (firstSkillship >= 0 && firstSkillship < onPath) || onPath < npmCi) {
    problems.push(
      "the setup action must put the project's node_modules/.bin (its skillship) on PATH before it runs skillship",
    );
  }
  if (aws < 0) {
    problems.push("the setup action must configure AWS credentials through OIDC");
  } else {
    const withAws = steps[aws]!.with ?? {};
    if (npmCi > aws) problems.push("the setup action must run npm ci before AWS credentials exist");
    if (withAws["role-to-assume"] !== "${{ inputs.aws-role-arn }}") {
      problems.push("the setup action must assume the role it is given (role-to-assume)");
    }
    if (Object.keys(withAws).some((k) => /access-key|secret/.test(k))) {
      problems.push("the setup action must not take long-lived AWS keys");
    }
  }
  if (uses("pulumi/actions") < 0) problems.push("the setup action must install the Pulumi CLI");
  const logins = steps.filter((s) => /^pulumi login\b/.test((s.run ?? "").trim()));
  if (!logins.some((s) => (s.if ?? "").includes("pulumi-backend-url != ''"))) {
    problems.push("the setup action must log in to a self-managed backend when one is given");
  }
  const cloudLogin = steps.findIndex(
    (s) => /^pulumi login\b/.test((s.run ?? "").trim()) && (s.if ?? "").includes("pulumi-backend-url == ''"),
  );
  const exchange = steps.findIndex(
    (s) =>
      /\bskillship(\.js)? pulumi-token\b/.test(s.run ?? "") &&
      (s.if ?? "").includes("pulumi-backend-url == ''"),
  );
  if (cloudLogin < 0 || exchange < 0 || exchange > cloudLogin) {
    problems.push(
      "the setup action must log in to Pulumi Cloud otherwise, with a token from skillship pulumi-token first",
    );
  }
  if ("pulumi-access-token" in action.doc.inputs || JSON.stringify(steps).includes("PULUMI_ACCESS_TOKEN")) {
    problems.push("the setup action must not take a Pulumi access token: the OIDC exchange provides one");
  }
  return problems;
}

/**
 * The drift check changes nothing (issue 14, part 4): its jobs assume the read-only preview role only, run Pulumi
 * only as a preview that expects no changes, run no skillship command that writes a stage (only `build`, which
 * writes dist/, and `drift`), post no comment and hold no lock; and between them they check both app stacks and
 * both stages.
 */
export function driftProblems(workflows: readonly LoadedWorkflow[], context: RunContext): string[] {
  const problems: string[] = [];
  const drift = workflows.filter((w) => w.called === "reusable-drift.yml");
  if (drift.length === 0) problems.push("no workflow runs reusable-drift.yml");
  for (const w of drift) {
    const previews: string[] = [];
    const stages: string[] = [];
    for (const [id, job] of Object.entries(w.doc.jobs)) {
      const where = label(w, id);
      const role = awsRoleOf(job);
      if (role !== undefined && !role.includes(roleVariables.preview)) {
        problems.push(`${where} assumes a role other than the read-only preview role`);
      }
      for (const step of stepsUsing(job, "pulumi/actions")) {
        if (step.with?.command === undefined) continue;
        if (step.with.command !== "preview" || !isTrue(step.with["expect-no-changes"])) {
          problems.push(
            `${where} runs pulumi ${String(step.with.command)}: drift only previews, expecting no changes`,
          );
        } else {
          previews.push(String(step.with["stack-name"]).split("/").pop()!);
        }
      }
      for (const { step, check } of runChecksOf(job, context)) {
        if (check.skillship !== undefined && !["drift", "build"].includes(check.skillship)) {
          problems.push(`${where} runs skillship ${check.skillship}: drift runs only drift and build`);
        }
        if (check.skillship === "drift") {
          const words = simpleCommands(step.run!).flatMap((c) => c.words.map((word) => word.text));
          stages.push(words[words.indexOf("--stage") + 1] ?? "development");
        }
        if (check.kind.startsWith("aws "))
          problems.push(`${where} runs ${check.kind}: drift changes nothing`);
      }
      if (permissionsOf(job)?.["pull-requests"] !== undefined || job.concurrency !== undefined) {
        problems.push(`${where} comments or holds a lock: drift only reads`);
      }
    }
    for (const stack of appStacks) {
      if (!previews.includes(stack)) problems.push(`${w.file} does not check the ${stack} stack for drift`);
    }
    for (const stage of ["development", "live"]) {
      if (!stages.includes(stage)) problems.push(`${w.file} does not check the ${stage} stage for drift`);
    }
  }
  return problems;
}
