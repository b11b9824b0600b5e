/**
 * Deploys the skill package to the development stage: the manifest with the right endpoint, account linking when
 * the package has it, every locale's interaction model (each write guarded by the ETag just read), then waits for
 * every locale's build at once and fails fast with the failed builds' errors. While the skill is in certification
 * the development stage is locked: that is a distinct outcome, reported, never an error swallowed.
 */
import { join } from "node:path";
import { accountLinkingClientSecret } from "../core/env";
import { ConfigError, OperationError, StillWaitingError, UsageError } from "../core/errors";
import { type ManifestEndpoint, withEndpoint } from "./endpoint";
import { canonicalJson, canonicalModel, modelPath, withStageIcons } from "./diff";
import { StageLockedError } from "../adapters/smapi";
import type { BuildError, SkillStage, SkillStatus, SkillsPort, UpdateState } from "../ports";
import type { Progress } from "../core/output";

type Json = Record<string, unknown>;

/** The package parts deployed; `SkillPackage` from `skill-package.ts` fits. */
export interface DeployablePackage {
  /** The package folder (for error messages). */
  root?: string;
  manifest: Json;
  models: Record<string, Json>;
  accountLinking?: Json;
}

/** Timing of the waits; tests shrink it, the defaults suit the real service (builds take 30 s to minutes). */
export interface WaitOptions {
  pollIntervalMs?: number;
  /** Give up (exit 3) after this long; running again resumes. Default 15 minutes. */
  timeoutMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Input of {@link deployModel}. */
export interface DeployModelInput extends WaitOptions {
  skillId: string;
  stage?: SkillStage;
  pkg: DeployablePackage;
  /** The endpoint the manifest must name (see `endpoint.ts`). */
  endpoint: ManifestEndpoint;
  /** Deploy `pkg.accountLinking` when present. Default true. */
  accountLinking?: boolean;
  /** Shows a wait; default: silent. */
  progress?: (label: string) => Progress;
  /** Reads the account linking client secret; default: the environment (see `env.ts`). */
  readSecret?: (variable?: string) => string | undefined;
}

/** What happened to one part. */
export type PartOutcome = "updated" | "unchanged";

/** The outcome of {@link deployModel}. */
export type DeployModelResult =
  | {
      outcome: "deployed";
      skillId: string;
      stage: SkillStage;
      endpoint: ManifestEndpoint;
      manifest: PartOutcome;
      accountLinking?: PartOutcome;
      /** Per locale: `updated` (uploaded and built) or `unchanged` (already there, built). */
      locales: Record<string, PartOutcome>;
    }
  | {
      outcome: "locked";
      skillId: string;
      stage: SkillStage;
      /** The submission holding the lock, when the service names it. */
      certificationId?: string;
      message: string;
    };

/** One or more locales' builds (or the manifest update) failed; each failure's errors are listed. */
export class ModelBuildError extends OperationError {
  readonly failures: Record<string, BuildError[]>;

  constructor(failures: Record<string, BuildError[]>) {
    const lines = Object.entries(failures).map(
      ([part, errors]) =>
        `  ${part}:\n${(errors.length > 0 ? errors : [{ message: "failed without an error message" }])
          .map((e) => `    - ${e.code === undefined ? "" : `${e.code}: `}${e.message}`)
          .join("\n")}`,
    );
    const locales = Object.keys(failures).filter((part) => part !== "manifest");
    const title =
      locales.length === 0
        ? "The manifest update failed"
        : `The interaction model build failed for ${locales.join(", ")}`;
    super(`${title}:\n${lines.join("\n")}`);
    this.failures = failures;
  }
}

const DEFAULT_POLL_MS = 5000;
const DEFAULT_TIMEOUT_MS = 15 * 60 * 1000;

const silentProgress = (): Progress => ({ update() {}, succeed() {}, fail() {} });

/** The field of `accountLinking.json` that names the environment variable holding the client secret. */
export const CLIENT_SECRET_ENV_FIELD = "clientSecretEnv";

/**
 * Checks `accountLinking.json` and returns the request body to send, with the client secret filled in from the
 * environment. Every URL must be HTTPS on port 443 (Alexa refuses anything else); the secret never sits in the
 * file. Throws a {@link ConfigError} naming the file and field; never includes the secret in a message.
 */
export function prepareAccountLinking(
  document: Json,
  file: string,
  readSecret: (variable?: string) => string | undefined = accountLinkingClientSecret,
): Json {
  const request = document.accountLinkingRequest;
  if (request === null || typeof request !== "object" || Array.isArray(request)) {
    throw new ConfigError(
      `${file}: accountLinkingRequest must be an object (the Skill Management API's body)`,
    );
  }
  const payload = { ...(request as Json) };
  const problems: string[] = [];
  const checkUrl = (field: string, value: unknown): void => {
    if (value === undefined) return;
    if (typeof value !== "string") {
      problems.push(`accountLinkingRequest.${field} must be a URL string`);
      return;
    }
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      url = undefined;
    }
    if (url?.protocol !== "https:" || (url.port !== "" && url.port !== "443")) {
      problems.push(`accountLinkingRequest.${field} must be an HTTPS URL on port 443, got "${value}"`);
    }
  };
  for (const field of ["authorizationUrl", "accessTokenUrl", "reciprocalAccessTokenUrl"]) {
    checkUrl(field, payload[field]);
  }
  if (Array.isArray(payload.authorizationUrlsByPlatform)) {
    payload.authorizationUrlsByPlatform.forEach((entry: unknown, i: number) =>
      checkUrl(
        `authorizationUrlsByPlatform[${i}].platformAuthorizationUrl`,
        (entry as Json | null)?.platformAuthorizationUrl,
      ),
    );
  }
  if (payload.clientSecret !== undefined) {
    problems.push(
      `accountLinkingRequest.clientSecret must not be in the repository: remove it and set ` +
        `ASK_ACCOUNT_LINKING_CLIENT_SECRET (or the variable named by "${CLIENT_SECRET_ENV_FIELD}")`,
    );
  }
  const variableField = document[CLIENT_SECRET_ENV_FIELD];
  if (variableField !== undefined && (typeof variableField !== "string" || variableField.trim() === "")) {
    problems.push(`${CLIENT_SECRET_ENV_FIELD} must name an environment variable`);
  }
  if (problems.length > 0) {
    throw new ConfigError(`${file}: ${problems.join("; ")}`);
  }
  const variable = typeof variableField === "string" ? variableField.trim() : undefined;
  if (payload.type !== "IMPLICIT") {
    const secret = readSecret(variable);
    if (secret === undefined) {
      throw new ConfigError(
        `Environment variable ${variable ?? "ASK_ACCOUNT_LINKING_CLIENT_SECRET"} is required: it holds the ` +
          `account linking client secret for ${file} (store it as a GitHub environment secret)`,
      );
    }
    payload.clientSecret = secret;
  }
  return { accountLinkingRequest: payload };
}

/** True when a refused write says the skill is locked by a pending certification. */
export function isCertificationLock(error: unknown): boolean {
  if (error instanceof StageLockedError) return true;
  const e = error as { statusCode?: number; message?: string; response?: { message?: string } } | null;
  if (e === null || typeof e !== "object") return false;
  const status = e.statusCode;
  const message = `${e.message ?? ""} ${e.response?.message ?? ""}`;
  return (status === 403 || status === 409) && /certification/i.test(message);
}

/**
 * Deploys `pkg` to the development stage and waits for every build. Returns `outcome: "locked"` (nothing
 * changed) while a certification is pending; throws {@link ModelBuildError} on a failed build, a
 * {@link StillWaitingError} when the timeout runs out, {@link OperationError} on a refused (concurrent) write.
 */
export async function deployModel(
  ports: { skills: SkillsPort },
  input: DeployModelInput,
): Promise<DeployModelResult> {
  const { skills } = ports;
  const { skillId, pkg } = input;
  const stage = input.stage ?? "development";
  if (stage !== "development") {
    throw new UsageError(
      `--stage ${stage}: only the development stage can be written; the live stage changes through certification (skillship release)`,
    );
  }
  const root = pkg.root ?? "skill-package";
  const progress = input.progress ?? silentProgress;

  // Everything that can be checked locally is checked before the first remote call.
  const manifest = withEndpoint(pkg.manifest, input.endpoint, join(root, "skill.json"));
  const linking =
    input.accountLinking !== false && pkg.accountLinking !== undefined
      ? prepareAccountLinking(pkg.accountLinking, join(root, "accountLinking.json"), input.readSecret)
      : undefined;
  const locales = Object.keys(pkg.models).sort();
  if (locales.length === 0) {
    throw new ConfigError(`${join(root, "interactionModels", "custom")} has no interaction model to deploy`);
  }

  const pending = await pendingCertification(skills, skillId);
  if (pending !== undefined) {
    return lockedResult(skillId, stage, pending);
  }

  try {
    const manifestOutcome = await deployManifest(
      skills,
      skillId,
      stage,
      manifest,
      progress,
      input,
      join(root, "skill.json"),
    );
    let accountLinking: PartOutcome | undefined;
    if (linking !== undefined) {
      const current = await skills.getAccountLinking(skillId, stage);
      await guarded(`${root}/accountLinking.json`, () =>
        skills.updateAccountLinking(skillId, stage, linking, current?.etag),
      );
      accountLinking = "updated";
    }
    const status = await skills.getSkillStatus(skillId);
    const outcomes: Record<string, PartOutcome> = {};
    const toBuild: string[] = [];
    await Promise.all(
      locales.map(async (locale) => {
        const current = await skills.getInteractionModel(skillId, stage, locale);
        const wanted = canonicalModel(pkg.models[locale]);
        const built = status.interactionModel[locale]?.status === "SUCCEEDED";
        if (
          current !== undefined &&
          built &&
          canonicalJson(canonicalModel(current.value)) === canonicalJson(wanted)
        ) {
          outcomes[locale] = "unchanged";
          return;
        }
        await guarded(join(root, modelPath(locale)), () =>
          skills.setInteractionModel(skillId, stage, locale, wanted, current?.etag),
        );
        outcomes[locale] = "updated";
        toBuild.push(locale);
      }),
    );
    if (toBuild.length > 0) {
      await waitForBuilds(skills, skillId, toBuild.sort(), { ...input, progress });
    }
    const sorted: Record<string, PartOutcome> = {};
    for (const locale of locales) sorted[locale] = outcomes[locale];
    return {
      outcome: "deployed",
      skillId,
      stage,
      endpoint: input.endpoint,
      manifest: manifestOutcome,
      ...(accountLinking === undefined ? {} : { accountLinking }),
      locales: sorted,
    };
  } catch (error) {
    if (isCertificationLock(error)) {
      // The submission started between our check and the write: the same lock, reported the same way.
      return lockedResult(skillId, stage, await pendingCertification(skills, skillId));
    }
    throw error;
  }
}

async function pendingCertification(
  skills: SkillsPort,
  skillId: string,
): Promise<{ id?: string } | undefined> {
  const certifications = await skills.listCertifications(skillId);
  const newest = certifications[0];
  return newest?.status === "IN_PROGRESS" ? { id: newest.id } : undefined;
}

function lockedResult(
  skillId: string,
  stage: SkillStage,
  pending: { id?: string } | undefined,
): DeployModelResult {
  const which = pending?.id === undefined ? "" : ` (certification ${pending.id})`;
  return {
    outcome: "locked",
    skillId,
    stage,
    ...(pending?.id === undefined ? {} : { certificationId: pending.id }),
    message:
      `The skill is in certification${which}, so its development stage is locked: the interaction model ` +
      `update waits until the certification ends (skillship release watch) or is withdrawn (skillship withdraw).`,
  };
}

async function deployManifest(
  skills: SkillsPort,
  skillId: string,
  stage: SkillStage,
  manifest: Json,
  progress: (label: string) => Progress,
  wait: WaitOptions,
  file: string,
): Promise<PartOutcome> {
  const current = await skills.getManifest(skillId, stage);
  const wanted = withStageIcons(manifest, current?.value);
  if (current !== undefined && canonicalJson(current.value) === canonicalJson(wanted)) {
    return "unchanged";
  }
  await guarded(file, () => skills.updateManifest(skillId, stage, wanted, current?.etag));
  const shown = progress("Updating the manifest");
  await poll(skills, skillId, wait, shown, (status) => {
    const state = status.manifest;
    if (state === undefined || state.status === "IN_PROGRESS") return { done: false, text: "in progress" };
    if (state.status === "FAILED") throw new ModelBuildError({ manifest: state.errors });
    return { done: true, text: "updated" };
  });
  return "updated";
}

/**
 * Waits for the builds of `locales` together (one status read covers them all) and fails as soon as any has
 * failed, with the errors of every build that failed by then.
 */
export async function waitForBuilds(
  skills: SkillsPort,
  skillId: string,
  locales: string[],
  options: WaitOptions & { progress?: (label: string) => Progress } = {},
): Promise<Record<string, UpdateState>> {
  const shown = (options.progress ?? silentProgress)(
    `Building the interaction model (${locales.join(", ")})`,
  );
  let last: Record<string, UpdateState> = {};
  await poll(skills, skillId, options, shown, (status) => {
    last = {};
    const failures: Record<string, BuildError[]> = {};
    const building: string[] = [];
    for (const locale of locales) {
      const state = status.interactionModel[locale] ?? { status: "IN_PROGRESS", errors: [] };
      last[locale] = state;
      if (state.status === "FAILED") failures[locale] = state.errors;
      else if (state.status === "IN_PROGRESS") building.push(locale);
    }
    if (Object.keys(failures).length > 0) throw new ModelBuildError(failures);
    return building.length === 0
      ? { done: true, text: `${locales.length} built` }
      : {
          done: false,
          text: `${locales.length - building.length}/${locales.length} built, waiting for ${building.join(", ")}`,
        };
  });
  return last;
}

async function poll(
  skills: SkillsPort,
  skillId: string,
  options: WaitOptions,
  shown: Progress,
  check: (status: SkillStatus) => { done: boolean; text: string },
): Promise<void> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const interval = options.pollIntervalMs ?? DEFAULT_POLL_MS;
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deadline = now() + timeout;
  for (;;) {
    let verdict: { done: boolean; text: string };
    try {
      verdict = check(await skills.getSkillStatus(skillId));
    } catch (error) {
      shown.fail(error instanceof ModelBuildError ? "failed" : "could not read the build status");
      throw error;
    }
    if (verdict.done) {
      shown.succeed(verdict.text);
      return;
    }
    shown.update(verdict.text);
    if (now() + interval > deadline) {
      shown.fail(`still waiting: ${verdict.text}`);
      throw new StillWaitingError(
        `Timed out after ${Math.round(timeout / 1000)}s (${verdict.text}); run the command again to resume waiting`,
      );
    }
    await sleep(interval);
  }
}

/** Runs a guarded write; a stale ETag (412) becomes a refusal that says what changed and what to do. */
async function guarded<T>(what: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if ((error as { statusCode?: number } | null)?.statusCode === 412) {
      throw new OperationError(
        `${what} changed on the development stage while this deployment ran (ETag no longer matches); ` +
          `nothing was overwritten: run the command again to deploy over the new state`,
        { cause: error },
      );
    }
    throw error;
  }
}
