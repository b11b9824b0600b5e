/**
 * Deploys the skill package to the development stage: the manifest with the right endpoint, account linking when
 * the package has it, every locale's interaction model (each write guarded by the ETag just read), then waits for
 * every locale's build at once and fails fast with the failed builds' errors. While the skill is in certification
 * the development stage is locked: that is a distinct outcome, reported, never an error swallowed.
 */
import { join } from "node:path";
import { ConfigError, UsageError } from "../core/errors";
import type { WaitOptions } from "../core/wait";
import { StageLockedError, type SkillStage, type SkillsPort } from "../ports";
import { prepareAccountLinking } from "./account-linking";
import { canonicalJson, canonicalModel, withStageIcons } from "./diff";
import { type ManifestEndpoint, withEndpoint } from "./endpoint";
import { waitForManifestUpdate, waitForModelBuilds } from "./stage-waits";

export { ModelBuildError } from "./stage-waits";

type Json = Record<string, unknown>;

/** The package parts deployed; `SkillPackage` from `skill-package.ts` fits. */
export interface DeployablePackage {
  /** The package folder (for error messages). */
  root?: string;
  manifest: Json;
  models: Record<string, Json>;
  accountLinking?: Json;
}

/** Input of {@link deployModel}; the waits default to polling every 5 s for up to 15 minutes. */
export interface DeployModelInput extends WaitOptions {
  skillId: string;
  stage?: SkillStage;
  pkg: DeployablePackage;
  /** The endpoint the manifest must name (see `endpoint.ts`). */
  endpoint: ManifestEndpoint;
  /** Deploy `pkg.accountLinking` when present. Default true. */
  accountLinking?: boolean;
  /** Reads the variable holding the account linking client secret (the environment's `variable`). */
  readSecret: (name: string) => string | undefined;
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
 * changed) while a certification is pending; throws `ModelBuildError` on a failed build, a `StillWaitingError`
 * when the timeout runs out, the ports' `ConcurrentChangeError` when someone changed a part meanwhile.
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
    const manifestOutcome = await deployManifest(skills, skillId, manifest, input);
    let accountLinking: PartOutcome | undefined;
    if (linking !== undefined) {
      const current = await skills.getAccountLinking(skillId, stage);
      await skills.updateAccountLinking(skillId, stage, linking, current?.etag);
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
        await skills.setInteractionModel(skillId, stage, locale, wanted, current?.etag);
        outcomes[locale] = "updated";
        toBuild.push(locale);
      }),
    );
    if (toBuild.length > 0) {
      await waitForModelBuilds(skills, skillId, toBuild.sort(), input);
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
  manifest: Json,
  wait: WaitOptions,
): Promise<PartOutcome> {
  const current = await skills.getManifest(skillId, "development");
  const wanted = withStageIcons(manifest, current?.value);
  if (current !== undefined && canonicalJson(current.value) === canonicalJson(wanted)) {
    return "unchanged";
  }
  await skills.updateManifest(skillId, "development", wanted, current?.etag);
  await waitForManifestUpdate(skills, skillId, wait, { label: "Updating the manifest" });
  return "updated";
}
