/**
 * The applier: carries out a plan's steps in order through the ports. Every write is guarded (RevisionId, ETag)
 * or checked against state read again: submission, withdrawal, publishing and rollback are never retried
 * blindly (`apply-checked.ts`); after a failure the state is read first, and a call that in fact went through is
 * not made again.
 * When a step fails after the plan exposed beta testers to a candidate, the plan's restore steps put the
 * development stage back before the failure is reported (a timeout excepted: the re-run resumes).
 */
import { endpointOf, manifestEndpoint, parseEndpoint, withEndpoint } from "../package/endpoint";
import { OperationError, StillWaitingError } from "../core/errors";
import type { FunctionsPort, MetricsPort, SkillsPort } from "../ports";
import type { RetryPolicy } from "../core/retry";
import { describeStep, type MoveAliasStep, type Plan, type SetEndpointStep, type Step } from "./steps";
import type { WaitOptions } from "../core/wait";
import { waitForManifestUpdate } from "../package/stage-waits";
import { publishSkill, rollbackSkill, submit, withdraw } from "./apply-checked";
import { applyCanaryStep } from "./canary/apply";
import {
  alignReplicas,
  moveEverywhere,
  moveOne,
  publishInReplicas,
  type ReplicaContext,
  type ReplicaResult,
} from "./apply-regions";
import type { CanaryRun } from "./canary/run";

/** What the applier works through. */
export interface ApplyContext extends ReplicaContext {
  skills: SkillsPort;
  functions: FunctionsPort;
  skillId: string;
  functionName: string;
  /** Uploads the repository's package to the development stage with this endpoint and waits for the builds. */
  deployModel(endpoint: string): Promise<void>;
  /**
   * Runs Alexa's validations on the development stage for these locales; resolves to what to show of the run
   * (the RECOMMENDED failures among it), throws when a REQUIRED validation failed.
   */
  validate(locales: readonly string[]): Promise<string>;
  wait: WaitOptions;
  /**
   * Called right before a submission: throws when the development stage no longer holds the candidate, so that
   * nothing else is ever submitted for certification in its name.
   */
  beforeSubmit?(): Promise<void>;
  /** Bound of the re-read-then-retry loops around submission, withdrawal, publishing and rollback. */
  retry?: RetryPolicy;
  /** Told before and after each step (and each restore step), for people and for the `--json` document. */
  onStep?(event: StepEvent): void;
  /** ISO-8601 now. */
  now?: () => string;
  /** Reads the versions' health signals during a canary's bake. */
  metrics?: MetricsPort;
  /** Told the canary's state after each change of it and each read of its signals. */
  onCanary?(canary: CanaryRun): void;
  /**
   * The regional endpoints that go with an endpoint the development stage is pointed at, by Alexa region (a
   * stack with regional endpoints); without it, or empty, every region of the manifest gets the endpoint itself.
   */
  regionalEndpoints?(endpoint: string): Partial<Record<string, string>>;
}

/** One step starting, done or failed; `restoring` marks the steps that put things back after a failure. */
export interface StepEvent {
  index: number;
  step: Step;
  text: string;
  phase: "start" | "done" | "failed";
  /** What came of the step, or why it failed. */
  detail?: string;
  restoring?: boolean;
}

/** What applying did. */
export interface ApplyResult extends ReplicaResult {
  /** The version published or reused by the plan, when it had one. */
  version?: string;
  /** The certification submitted, when the plan submitted. */
  certificationId?: string;
  /** Each step with what came of it. */
  steps: { step: Step; text: string; detail?: string }[];
  /** The canary this run drove, when the plan had one. */
  canary?: CanaryRun;
}

/**
 * Applies the plan. Throws the typed error of the first step that fails; earlier steps stay done, and when the
 * failure comes once the plan's restore applies, the restore steps run first (their own failure is reported
 * through `onStep` and never hides the first one).
 */
export async function applyPlan(plan: Plan, context: ApplyContext): Promise<ApplyResult> {
  const result: ApplyResult = { steps: [] };
  for (const [index, step] of plan.steps.entries()) {
    const text = describeStep(step, context.functionName);
    context.onStep?.({ index, step, text, phase: "start" });
    let detail: string | undefined;
    try {
      detail = await applyStep(step, context, result);
    } catch (error) {
      context.onStep?.({ index, step, text, phase: "failed", detail: firstLine(error) });
      if (
        plan.restore !== undefined &&
        index >= plan.restore.fromStep &&
        !(error instanceof StillWaitingError)
      ) {
        await restore(plan.restore.steps, context, result);
      }
      throw error;
    }
    context.onStep?.({ index, step, text, phase: "done", ...(detail === undefined ? {} : { detail }) });
    result.steps.push({ step, text, ...(detail === undefined ? {} : { detail }) });
  }
  return result;
}

async function restore(steps: readonly Step[], context: ApplyContext, result: ApplyResult): Promise<void> {
  for (const [index, step] of steps.entries()) {
    const text = describeStep(step, context.functionName);
    context.onStep?.({ index, step, text, phase: "start", restoring: true });
    try {
      const detail = await applyStep(step, context, result);
      context.onStep?.({ index, step, text, phase: "done", restoring: true, detail });
    } catch (error) {
      context.onStep?.({
        index,
        step,
        text,
        phase: "failed",
        restoring: true,
        detail: `could not put it back (${firstLine(error)}); run \`skillship status\` to see where it stands`,
      });
    }
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0];
}

async function applyStep(
  step: Step,
  context: ApplyContext,
  result: ApplyResult,
): Promise<string | undefined> {
  switch (step.kind) {
    case "publish-version": {
      const published = await context.functions.publishVersion(context.functionName, {
        codeSha256: step.codeSha256,
        description: step.description,
        revisionId: step.revisionId,
      });
      result.version = published.version;
      return published.description === step.description
        ? `published version ${published.version}`
        : `Lambda kept version ${published.version}: the code has not changed since it was published`;
    }
    case "publish-replica-versions":
      return publishInReplicas(step, context, result);
    case "align-replicas":
      return alignReplicas(step, context, result);
    case "move-alias":
      return step.replicas === undefined || step.replicas.length === 0
        ? moveAlias(step, context, result)
        : moveEverywhere(step, context, result, () => moveAlias(step, context, result, true));
    case "deploy-model":
      await context.deployModel(step.endpoint);
      return "built";
    case "set-development-endpoint":
      return setDevelopmentEndpoint(step, context);
    case "validate":
      return context.validate(step.locales);
    case "submit":
      return submit(step, context, result);
    case "withdraw":
      return withdraw(step, context);
    case "publish-skill":
      return publishSkill(step, context);
    case "rollback-skill":
      return rollbackSkill(step, context);
    case "canary-shift":
    case "canary-bake":
    case "canary-promote":
    case "canary-end":
      return applyCanaryStep(step, context, result);
  }
}

/** `readBack`: a failed call whose change went through (a timeout) counts as done, as for the replicas. */
async function moveAlias(
  step: MoveAliasStep,
  context: ApplyContext,
  result: ApplyResult,
  readBack = false,
): Promise<string> {
  const version = step.to.kind === "existing" ? step.to.version : result.version;
  if (version === undefined) {
    throw new OperationError(`Internal error: the plan moves ${step.colour} to a version no step published`);
  }
  result.version ??= version;
  const input = { functionVersion: version, description: step.description, revisionId: step.revisionId };
  if (readBack) {
    await moveOne(context.functions, context.functionName, step.colour, input);
    return `${step.colour} → version ${version}`;
  }
  const moved = await context.functions.updateAlias(context.functionName, step.colour, input);
  return `${step.colour} → version ${moved.functionVersion}`;
}

/** Changes only the development stage's endpoint, guarded by the manifest's ETag, and waits for the update. */
async function setDevelopmentEndpoint(step: SetEndpointStep, context: ApplyContext): Promise<string> {
  const { skills, skillId } = context;
  const current = await skills.getManifest(skillId, "development");
  if (current === undefined) {
    throw new OperationError(`Skill ${skillId} has no development manifest to set the endpoint of`);
  }
  const named = endpointOf(current.value);
  if (named === step.endpoint) {
    return "already there";
  }
  if (step.onlyFrom !== undefined && named !== step.onlyFrom) {
    return `left as it is: it names ${named ?? "no endpoint"}, not the candidate`;
  }
  const manifest = withEndpoint(
    current.value,
    manifestEndpoint(parseEndpoint(step.endpoint, "developmentEndpoint")),
    "the development stage's manifest",
    context.regionalEndpoints?.(step.endpoint),
  );
  await skills.updateManifest(skillId, "development", manifest, current.etag);
  await waitForManifestUpdate(skills, skillId, context.wait, {
    label: step.back
      ? "Putting the development stage back"
      : `Pointing the development stage at ${step.label}`,
    failure: `The development stage refused the endpoint ${step.endpoint}`,
  });
  return step.back ? `back on ${step.label}` : `on ${step.label}`;
}
