// Over 350 lines on purpose: the five operations (watch among them) share one dependency set and one runner.
/**
 * The release engine's operations, each `snapshot → plan → apply` over injected ports: `release`, `watch`,
 * `publish`, `rollback` and `withdraw`. The CLI commands are thin shells over these; tests call them with the
 * real adapters pointed at the local fakes.
 */
import { join } from "node:path";
import { prepareAccountLinking } from "../package/account-linking";
import { hasNoInteractionModels, manifestEndpoint, parseEndpoint } from "../package/endpoint";
import { OperationError, UsageError } from "../core/errors";
import { deployModel } from "../package/deploy";
import { interactionModelHash, shortHash } from "../package/diff";
import type { CanaryStep as CanaryStepSetting } from "../../../contracts/canary";
import { describeValidation, publishedLocales, runValidations } from "../package/validate";
import type {
  Certification,
  FunctionsPort,
  MetricsPort,
  PublicationMethod,
  SkillPackagePort,
  SkillsPort,
  SkillValidationPort,
} from "../ports";
import type { RetryPolicy } from "../core/retry";
import type { SkillPackage } from "../package/skill-package";
import { canarySettingsOf, regionalEndpointsOf, type StackOutputs } from "../stack/outputs";
import { assertManifestRegions } from "../package/regions";
import { withReplicas, type Replica } from "./regions";
import { applyPlan, type ApplyContext, type ApplyResult } from "./apply";
import { planPublish, planWithdraw, restoreDevelopmentSteps, unreleasedCandidate } from "./plan-publish";
import { planRelease } from "./plan-release";
import { planRollback } from "./plan-rollback";
import { readSnapshot, type Colour, type ReleaseSnapshot } from "./snapshot";
import { assertDevelopmentStageUnchanged } from "./stage-check";
import type { Plan } from "./steps";
import { waitUntil, type WaitOptions } from "../core/wait";

/** What every operation works with. */
export interface EngineDeps {
  skills: SkillsPort;
  functions: FunctionsPort;
  /** The function in each other AWS region of a stack with regional endpoints, with its region's port. */
  replicas?: readonly Replica[];
  /** The health signals a canary is judged by; only a release with a canary needs it. */
  metrics?: MetricsPort;
  outputs: StackOutputs;
  /** The package import and the hosted icons; `release` needs it to put the package up and to read the stage. */
  packages?: SkillPackagePort;
  /** Alexa's validations; `release` runs them before submitting. */
  validations?: SkillValidationPort;
  /** The repository's skill package; only `release` needs it. */
  pkg?: SkillPackage;
  /** Reads the variable holding the account linking client secret, for the package's upload. */
  readSecret?: (name: string) => string | undefined;
  wait?: WaitOptions;
  retry?: RetryPolicy;
  onStep?: ApplyContext["onStep"];
  /** Told the canary's state as it goes (each change, each read of its signals). */
  onCanary?: ApplyContext["onCanary"];
  /** Told the plan once it is computed, before anything is applied. */
  onPlan?(plan: Plan, dryRun: boolean): void;
  /** The runner's clock; tests fix it. Records are written in the service's (see {@link serviceNow}). */
  now?: () => Date;
}

/**
 * Now on the Skill Management API's clock: the runner's, corrected by the offset measured from the service's
 * answers (read after the snapshot, which has asked it). What the engine records is compared with the service's
 * timestamps, so a runner whose clock is off cannot mistake whose submission is whose.
 */
export function serviceNow(deps: EngineDeps): string {
  const runner = (deps.now?.() ?? new Date()).getTime();
  return new Date(runner + (deps.skills.clockOffsetMs?.() ?? 0)).toISOString();
}

/** The outcome of a planned operation. */
export interface OperationResult {
  plan: Plan;
  /** False for `--dry-run` and for a plan with nothing to do. */
  applied: boolean;
  result?: ApplyResult;
  /** The snapshot the plan was computed from (for `--json`). */
  snapshot: ReleaseSnapshot;
}

async function snapshotOf(deps: EngineDeps, scope: "full" | "rollback" = "full"): Promise<ReleaseSnapshot> {
  return readSnapshot({
    skills: deps.skills,
    functions: deps.functions,
    outputs: deps.outputs,
    pkg: deps.pkg,
    ...(deps.packages === undefined ? {} : { packages: deps.packages }),
    ...(deps.replicas === undefined ? {} : { replicas: deps.replicas }),
    scope,
  });
}

async function run(
  deps: EngineDeps,
  plan: Plan,
  snapshot: ReleaseSnapshot,
  dryRun: boolean,
  beforeSubmit?: () => Promise<void>,
): Promise<OperationResult> {
  // Every alias move in every region, after whatever puts regions back in line ("release watch" moves none).
  plan = plan.operation === "release watch" ? plan : withReplicas(plan, snapshot);
  deps.onPlan?.(plan, dryRun);
  if (dryRun || plan.steps.length === 0) {
    return { plan, applied: false, snapshot };
  }
  assertSecretsAvailable(deps, plan);
  const wait = deps.wait ?? {};
  const result = await applyPlan(plan, {
    skills: deps.skills,
    functions: deps.functions,
    skillId: deps.outputs.skillId,
    functionName: deps.outputs.functionName,
    wait,
    ...(deps.retry === undefined ? {} : { retry: deps.retry }),
    ...(deps.onStep === undefined ? {} : { onStep: deps.onStep }),
    ...(beforeSubmit === undefined ? {} : { beforeSubmit }),
    ...(deps.metrics === undefined ? {} : { metrics: deps.metrics }),
    ...(deps.onCanary === undefined ? {} : { onCanary: deps.onCanary }),
    now: () => serviceNow(deps),
    replicas: Object.fromEntries(
      (deps.replicas ?? []).map((replica) => [replica.awsRegion, replica.functions]),
    ),
    regionalEndpoints: (endpoint) => regionalEndpointsOf(deps.outputs, endpoint),
    async deployModel(endpoint) {
      if (deps.pkg === undefined || deps.packages === undefined) {
        throw new OperationError(
          "Internal error: deploying the package needs the repository's skill package and the package import",
        );
      }
      const outcome = await deployModel(
        { skills: deps.skills, packages: deps.packages },
        {
          skillId: deps.outputs.skillId,
          stage: "development",
          pkg: deps.pkg,
          endpoint: manifestEndpoint(parseEndpoint(endpoint, "developmentEndpoint")),
          regionalEndpoints: regionalEndpointsOf(deps.outputs, endpoint),
          readSecret: deps.readSecret ?? (() => undefined),
          ...wait,
        },
      );
      if (outcome.outcome === "locked") {
        throw new OperationError(outcome.message);
      }
    },
    async validate(locales) {
      if (deps.validations === undefined) {
        throw new OperationError("Internal error: validating needs the validations port");
      }
      const report = await runValidations(deps.validations, {
        skillId: deps.outputs.skillId,
        stage: "development",
        locales,
        ...wait,
        resumeWith: () =>
          "run the release again: it resumes with the development stage on the candidate and validates again",
      });
      return report.warnings.length === 0
        ? `${report.passed} validations passed`
        : `${report.passed} passed; ${report.warnings.length} RECOMMENDED failed (not blocking):\n` +
            report.warnings.map(describeValidation).join("\n");
    },
  });
  return { plan, applied: true, result, snapshot };
}

/**
 * A plan that puts the package up needs the account linking client secret (a smart-home skill always links
 * accounts): a missing one stops the operation before its first change, not halfway, after the aliases moved.
 */
function assertSecretsAvailable(deps: EngineDeps, plan: Plan): void {
  const pkg = deps.pkg;
  if (pkg?.accountLinking === undefined || !plan.steps.some((step) => step.kind === "deploy-model")) {
    return;
  }
  prepareAccountLinking(
    pkg.accountLinking,
    join(pkg.root, "accountLinking.json"),
    deps.readSecret ?? (() => undefined),
  );
}

/** Inputs of {@link release}. */
export interface ReleaseInput {
  bundleSha256: string;
  tag: string;
  commit: string;
  message: string;
  publicationMethod: PublicationMethod;
  dryRun: boolean;
  /** `--all-at-once`: no canary (and a canary in progress finishes now). */
  allAtOnce?: boolean;
  /** `--canary-steps`: this release's steps instead of the stack's. */
  canarySteps?: readonly CanaryStepSetting[];
}

/** `skillship release`. */
export async function release(deps: EngineDeps, input: ReleaseInput): Promise<OperationResult> {
  const pkg = deps.pkg;
  if (pkg === undefined) {
    throw new OperationError("Internal error: release needs the repository's skill package");
  }
  assertManifestRegions(pkg.manifest, deps.outputs, pkg.root);
  const snapshot = await snapshotOf(deps);
  const { steps, ...judgement } = canarySettingsOf(deps.outputs);
  // A canary watches one function's signals: a stack with regional endpoints moves every region at once.
  const regional = (deps.replicas ?? []).length > 0;
  if (regional && input.canarySteps !== undefined && input.canarySteps.length > 0) {
    throw new UsageError(
      "--canary-steps: this stack serves several regions, and a release moves every region's live alias at once; " +
        "leave out --canary-steps (or give --all-at-once). Nothing was changed.",
    );
  }
  const plan = planRelease(snapshot, {
    bundleSha256: input.bundleSha256,
    modelHash: shortHash(interactionModelHash(pkg)),
    tag: input.tag,
    commit: input.commit,
    message: input.message,
    publicationMethod: input.publicationMethod,
    now: serviceNow(deps),
    rollout: {
      steps: input.allAtOnce === true || regional ? [] : (input.canarySteps ?? steps),
      judgement,
    },
    locales: publishedLocales(pkg.manifest),
    interactionModels: !hasNoInteractionModels(pkg.manifest),
  });
  if (!input.dryRun && deps.metrics === undefined && plan.steps.some((step) => step.kind === "canary-bake")) {
    throw new OperationError(
      "Internal error: a canary needs the metrics port to watch its bake; nothing was changed",
    );
  }
  // The candidate's endpoint: the one this run points the stage at, or the one the stage already names.
  const pointed = plan.steps.find((step) => step.kind === "set-development-endpoint" && !step.back);
  const developmentColour = snapshot.development.colour;
  const candidate =
    pointed?.kind === "set-development-endpoint"
      ? pointed.endpoint
      : developmentColour === undefined
        ? undefined
        : snapshot.aliasEndpoints[developmentColour];
  const beforeSubmit =
    candidate === undefined
      ? undefined
      : () => assertDevelopmentStageUnchanged(deps.skills, deps.outputs.skillId, pkg, candidate);
  return run(deps, plan, snapshot, input.dryRun, beforeSubmit);
}

/** `skillship publish`. */
export async function publish(
  deps: EngineDeps,
  input: { publishesAt?: string; dryRun: boolean },
): Promise<OperationResult> {
  const snapshot = await snapshotOf(deps);
  const plan = planPublish(
    snapshot,
    input.publishesAt === undefined ? {} : { publishesAt: input.publishesAt },
  );
  return run(deps, plan, snapshot, input.dryRun);
}

/** `skillship rollback`. */
export async function rollback(
  deps: EngineDeps,
  input: { to?: string; force: boolean; dryRun: boolean },
): Promise<OperationResult> {
  const snapshot = await snapshotOf(deps, "rollback");
  const plan = planRollback(snapshot, {
    ...(input.to === undefined ? {} : { to: input.to }),
    force: input.force,
    now: serviceNow(deps),
  });
  return run(deps, plan, snapshot, input.dryRun);
}

/** `skillship withdraw`. */
export async function withdraw(
  deps: EngineDeps,
  input: { reason: string; message?: string; dryRun: boolean },
): Promise<OperationResult> {
  const snapshot = await snapshotOf(deps);
  const plan = planWithdraw(snapshot, {
    reason: input.reason,
    ...(input.message === undefined ? {} : { message: input.message }),
  });
  return run(deps, plan, snapshot, input.dryRun);
}

/** Where a watched certification ended. */
export interface WatchResult {
  certification?: Certification;
  /** `none`: nothing submitted; the others are the certification's end. */
  outcome: "none" | "certified" | "live" | "failed" | "withdrawn";
  /** True when the skill is certified and waits for `skillship publish` (what CI's publish job keys on). */
  readyToPublish: boolean;
  /** The candidate colour, when one is set up. */
  colour?: Colour;
  /** True when this run put the development stage back on the dev stack. */
  restoredDevelopment: boolean;
  /** One sentence for people. */
  message: string;
}

/**
 * `skillship release watch`: follows the newest certification until it ends (or the timeout, exit 3). On
 * success it says the skill is ready to publish (or, published automatically, puts the development stage back);
 * on failure it returns the review and puts the development stage back on the dev stack.
 */
export async function watch(deps: EngineDeps): Promise<WatchResult> {
  const { skills } = deps;
  const skillId = deps.outputs.skillId;
  let snapshot = await snapshotOf(deps);
  const newest = snapshot.certification;
  if (newest === undefined) {
    return {
      outcome: "none",
      readyToPublish: false,
      restoredDevelopment: false,
      message: "Nothing to watch: the skill has never been submitted for certification.",
    };
  }
  const candidate = unreleasedCandidate(snapshot) ?? snapshot.development.colour;
  const ended = await waitUntil(
    `Certification ${newest.id}`,
    () => skills.getCertification(skillId, newest.id),
    (certification) => ({ done: certification.status !== "IN_PROGRESS", text: certification.status }),
    deps.wait ?? {},
    "run `skillship release watch` again to keep following it",
  );
  const restore = async (): Promise<boolean> => {
    snapshot = await snapshotOf(deps);
    const steps = restoreDevelopmentSteps(snapshot);
    if (steps.length === 0) return false;
    await run(
      deps,
      {
        operation: "release watch",
        path: "restore",
        summary: `Certification ${newest.id} ended ${ended.status}: the development stage goes back to the dev stack.`,
        steps,
      },
      snapshot,
      false,
    );
    return true;
  };
  const base = { certification: ended, ...(candidate === undefined ? {} : { colour: candidate }) };
  switch (ended.status) {
    case "SUCCEEDED": {
      snapshot = await snapshotOf(deps);
      if (snapshot.live.colour !== candidate && snapshot.publication?.status === "IN_PROGRESS") {
        // Automatic publishing: certified, now going live.
        await run(
          deps,
          {
            operation: "release watch",
            path: "publishing",
            summary: `Certification ${ended.id} passed and the skill is being published automatically: wait until it is live.`,
            steps: [{ kind: "publish-skill", alreadyRequested: true }],
          },
          snapshot,
          false,
        );
        snapshot = await snapshotOf(deps);
      }
      if (candidate !== undefined && snapshot.live.colour === candidate) {
        const restoredDevelopment = await restore();
        return {
          ...base,
          outcome: "live",
          readyToPublish: false,
          restoredDevelopment,
          message: `Certification ${ended.id} passed and the skill is live on the ${candidate} alias; the development stage is back on the dev stack.`,
        };
      }
      return {
        ...base,
        outcome: "certified",
        readyToPublish: true,
        restoredDevelopment: false,
        message: `Certification ${ended.id} passed: the skill is ready to publish with \`skillship publish\`.`,
      };
    }
    case "FAILED": {
      const restoredDevelopment = await restore();
      return {
        ...base,
        outcome: "failed",
        readyToPublish: false,
        restoredDevelopment,
        message:
          `Certification ${ended.id} failed; the development stage is back on the dev stack, and the next release ` +
          `reuses the ${candidate ?? "idle"} alias.`,
      };
    }
    default: {
      const restoredDevelopment = await restore();
      return {
        ...base,
        outcome: "withdrawn",
        readyToPublish: false,
        restoredDevelopment,
        message: `Certification ${ended.id} was withdrawn; the development stage is back on the dev stack.`,
      };
    }
  }
}

/** The review of a certification as lines for people. */
export function reviewLines(certification: Certification | undefined): string[] {
  const review = certification?.review;
  if (review === undefined) return [];
  return [
    ...(review.summary === undefined ? [] : [review.summary]),
    ...review.findings.map(
      (finding) =>
        `- ${finding.title}${finding.detail === undefined ? "" : `: ${finding.detail}`}` +
        `${finding.locales === undefined || finding.locales.length === 0 ? "" : ` (${finding.locales.join(", ")})`}`,
    ),
  ];
}
