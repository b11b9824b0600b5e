/**
 * Deploys the skill package to the development stage as the Alexa tools do: the whole folder as one
 * deterministic zip (the manifest naming the stage's endpoint, every locale's model, the icons and every other
 * file), put at an upload URL and imported with `If-Match` on the skill's ETag, then the import followed until
 * every locale's model is built (one status read covers them all; the first failure ends the wait with every
 * resource's errors, file and JSON path). A smart-home package has no model: its import ends with nothing to build. A package the stage already holds is recognised and not imported again.
 * Account linking, which the Skill Package API does not carry, is written on its own afterwards.
 * While the skill is in certification the development stage is locked: that is a distinct outcome, reported,
 * never an error swallowed.
 */
import { join } from "node:path";
import { ConfigError, UsageError } from "../core/errors";
import type { WaitOptions } from "../core/wait";
import type { SkillPackagePort, SkillStage, SkillsPort } from "../ports";
import { prepareAccountLinking } from "./account-linking";
import { buildPackageArchive } from "./archive";
import { canonicalJson } from "./canonical";
import { canonicalModel, withStageIcons } from "./diff";
import { hasNoInteractionModels, type ManifestEndpoint, withEndpoint } from "./endpoint";
import { fileIcons } from "./icons";
import { isCertificationLock, pendingCertification, startImport, waitForImport } from "./import";
import { hasFiles, stageHoldsFiles } from "./stage-files";

export { ModelBuildError } from "./stage-waits";
export { isCertificationLock } from "./import";

type Json = Record<string, unknown>;

/** The package parts deployed; `SkillPackage` from `skill-package.ts` fits. */
export interface DeployablePackage {
  /** The package folder (for error messages). */
  root?: string;
  manifest: Json;
  models: Record<string, Json>;
  accountLinking?: Json;
  /** Every other file of the package (icons, …): `/`-separated path → bytes. */
  files?: Record<string, Uint8Array>;
}

/** Input of {@link deployModel}; the waits default to polling every 5 s for up to 15 minutes. */
export interface DeployModelInput extends WaitOptions {
  skillId: string;
  stage?: SkillStage;
  pkg: DeployablePackage;
  /** The endpoint the manifest must name (see `endpoint.ts`). */
  endpoint: ManifestEndpoint;
  /** The regional endpoints that go with it, by Alexa region (a stack with regional endpoints). */
  regionalEndpoints?: Partial<Record<string, string>>;
  /** Deploy `pkg.accountLinking` when present. Default true. */
  accountLinking?: boolean;
  /** Reads the variable holding the account linking client secret (the environment's `variable`). */
  readSecret: (name: string) => string | undefined;
  /** Import even when the stage already holds the package. */
  force?: boolean;
}

/** The ports a deployment works through. */
export interface DeployPorts {
  skills: SkillsPort;
  packages: SkillPackagePort;
}

/** What happened to one part: it differed from the stage (and was imported), or it did not. */
export type PartOutcome = "updated" | "unchanged";

/** The archive that went up (or would have). */
export interface DeployedArchive {
  /** Hex sha256 of the deterministic zip: equal for equal packages (and endpoints). */
  sha256: string;
  bytes: number;
  /** The files in it. */
  files: number;
  /** `imported`, or `skipped` because the stage already held this package. */
  import: "imported" | "skipped";
  importId?: string;
}

/** The outcome of {@link deployModel}. */
export type DeployModelResult =
  | {
      outcome: "deployed";
      skillId: string;
      stage: SkillStage;
      endpoint: ManifestEndpoint;
      manifest: PartOutcome;
      /** The `file://` icons, when the manifest has any. */
      icons?: PartOutcome;
      accountLinking?: PartOutcome;
      /** Per locale: `updated` (imported and built) or `unchanged` (already there, built). */
      locales: Record<string, PartOutcome>;
      package: DeployedArchive;
    }
  | {
      outcome: "locked";
      skillId: string;
      stage: SkillStage;
      /** The submission holding the lock, when the service names it. */
      certificationId?: string;
      message: string;
    };

/**
 * Deploys `pkg` to the development stage and waits for the import (every locale's build included). Returns
 * `outcome: "locked"` (nothing changed) while a certification is pending; throws `ModelBuildError` when the import
 * fails (each resource's errors, and what took effect), a `StillWaitingError` when the timeout runs out, the
 * ports' `ConcurrentChangeError` when someone changed the skill since it was read (412: nothing imported).
 */
export async function deployModel(ports: DeployPorts, input: DeployModelInput): Promise<DeployModelResult> {
  const { skills, packages } = ports;
  const { skillId, pkg } = input;
  const stage = input.stage ?? "development";
  if (stage !== "development") {
    throw new UsageError(
      `--stage ${stage}: only the development stage can be written; the live stage changes through certification (skillship release)`,
    );
  }
  const root = pkg.root ?? "skill-package";

  // Everything that can be checked locally is checked before the first remote call.
  const manifest = withEndpoint(
    pkg.manifest,
    input.endpoint,
    join(root, "skill.json"),
    input.regionalEndpoints,
  );
  const linking =
    input.accountLinking !== false && pkg.accountLinking !== undefined
      ? prepareAccountLinking(pkg.accountLinking, join(root, "accountLinking.json"), input.readSecret)
      : undefined;
  const locales = Object.keys(pkg.models).sort();
  // A smart-home package has no interaction model (nothing to build); a custom skill cannot do without one.
  if (locales.length === 0 && !hasNoInteractionModels(manifest)) {
    throw new ConfigError(`${join(root, "interactionModels", "custom")} has no interaction model to deploy`);
  }
  const archive = buildPackageArchive({ root, manifest, models: pkg.models, files: pkg.files });

  const pending = await pendingCertification(skills, skillId);
  if (pending !== undefined) {
    return lockedResult(skillId, stage, pending);
  }

  try {
    const compare = () => compareWithStage(ports, skillId, { ...pkg, manifest }, locales);
    const first = await compare();
    const done = (comparison: StageComparison) => isUnchanged(comparison) && input.force !== true;
    const started = done(first)
      ? { comparison: first }
      : await startImport(ports, { skillId, zip: archive.zip, first, compare, done }, input);
    const current = started.comparison;
    if (started.importId !== undefined) {
      await waitForImport(packages, started.importId, locales, input);
    }
    let accountLinking: PartOutcome | undefined;
    if (linking !== undefined) {
      const existing = await skills.getAccountLinking(skillId, stage);
      await skills.updateAccountLinking(skillId, stage, linking, existing?.etag);
      accountLinking = "updated";
    }
    return {
      outcome: "deployed",
      skillId,
      stage,
      endpoint: input.endpoint,
      manifest: current.manifest,
      ...(current.icons === undefined ? {} : { icons: current.icons }),
      ...(accountLinking === undefined ? {} : { accountLinking }),
      locales: current.locales,
      package: {
        sha256: archive.sha256,
        bytes: archive.zip.byteLength,
        files: archive.entries.length,
        import: started.importId === undefined ? "skipped" : "imported",
        ...(started.importId === undefined ? {} : { importId: started.importId }),
      },
    };
  } catch (error) {
    if (isCertificationLock(error)) {
      // The submission started between our check and the import: the same lock, reported the same way.
      return lockedResult(skillId, stage, await pendingCertification(skills, skillId));
    }
    throw error;
  }
}

function isUnchanged(comparison: StageComparison): boolean {
  return (
    comparison.manifest === "unchanged" &&
    comparison.icons !== "updated" &&
    comparison.filesProven &&
    Object.values(comparison.locales).every((outcome) => outcome === "unchanged")
  );
}

/** How the repository's package (with the stage's endpoint) compares with the development stage. */
interface StageComparison {
  /** The manifest's ETag as read: the import's `If-Match`. */
  etag?: string;
  manifest: PartOutcome;
  icons?: PartOutcome;
  /** True when every file of the package is proven to be on the stage. */
  filesProven: boolean;
  locales: Record<string, PartOutcome>;
}

async function compareWithStage(
  ports: DeployPorts,
  skillId: string,
  pkg: DeployablePackage & { manifest: Json },
  locales: readonly string[],
): Promise<StageComparison> {
  const { skills, packages } = ports;
  const [current, status, models] = await Promise.all([
    skills.getManifest(skillId, "development"),
    skills.getSkillStatus(skillId),
    Promise.all(locales.map((locale) => skills.getInteractionModel(skillId, "development", locale))),
  ]);
  const manifestBuilt = status.manifest === undefined || status.manifest.status === "SUCCEEDED";
  const manifest: PartOutcome =
    current !== undefined &&
    manifestBuilt &&
    canonicalJson(current.value) === canonicalJson(withStageIcons(pkg.manifest, current.value))
      ? "unchanged"
      : "updated";
  const filesProven = await stageHoldsFiles(packages, pkg, current?.value);
  const outcomes: Record<string, PartOutcome> = {};
  locales.forEach((locale, i) => {
    const stageModel = models[i];
    const built = status.interactionModel[locale]?.status === "SUCCEEDED";
    outcomes[locale] =
      stageModel !== undefined &&
      built &&
      canonicalJson(canonicalModel(stageModel.value)) === canonicalJson(canonicalModel(pkg.models[locale]))
        ? "unchanged"
        : "updated";
  });
  return {
    ...(current?.etag === undefined ? {} : { etag: current.etag }),
    manifest,
    ...(fileIcons(pkg.manifest).length === 0 && !hasFiles(pkg)
      ? {}
      : { icons: filesProven ? "unchanged" : "updated" }),
    filesProven,
    locales: outcomes,
  };
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
      `The skill is in certification${which}, so its development stage is locked: the skill package ` +
      `update waits until the certification ends (skillship release watch) or is withdrawn (skillship withdraw).`,
  };
}
