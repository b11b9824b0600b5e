/**
 * Drift: whether a stage of the skill still holds what the repository says, or someone edited it in the developer
 * console. The stage's package comes from the Skill Management API's export (what the console itself would
 * download), and is compared with the repository's by the package differ (`diff.ts`), endpoints and hosted icons
 * aside: endpoints differ between stages by design, and the service hosts icons at URLs of its own.
 */
import { OperationError } from "../core/errors";
import { parseJson } from "../core/json";
import type { WaitOptions } from "../core/wait";
import type { SkillStage, SkillsPort } from "../ports";
import { diffPackages, modelPath, type PackageContent, type PackageDiff } from "./diff";
import { manifestBody } from "./endpoint";
import { exportStagePackage } from "./export";
import { isRecord } from "./skill-package";

type Json = Record<string, unknown>;

/** Options of {@link checkDrift}. */
export interface DriftOptions {
  skillId: string;
  stage: SkillStage;
  wait: WaitOptions;
  /** An export an earlier run started (`--export-id`): followed instead of a new one. */
  exportId?: string;
}

/** What a drift check found. */
export type DriftResult =
  /** The stage was exported and compared; `diff.identical` says whether it drifted. */
  | { kind: "compared"; skillId: string; stage: SkillStage; exportId: string; diff: PackageDiff }
  /** The stage does not exist (a live stage before the first publication): nothing can have drifted. */
  | { kind: "absent"; skillId: string; stage: SkillStage }
  /**
   * The development stage is locked by a certification in progress: it holds the candidate, and nobody can edit
   * it until the certification ends.
   */
  | { kind: "locked"; skillId: string; stage: SkillStage; certificationId: string };

const ICON_FIELDS = ["smallIconUri", "largeIconUri"] as const;

/** The package of an export: skill.json and every `interactionModels/custom/<locale>.json`. */
export function packageOfExport(files: ReadonlyMap<string, Uint8Array>, what: string): PackageContent {
  const read = (name: string): Json => {
    const parsed = parseJson(`${name} of ${what}`, new TextDecoder().decode(files.get(name)));
    if (!parsed.ok) throw new OperationError(parsed.message, { cause: parsed.error });
    if (!isRecord(parsed.value)) throw new OperationError(`${name} of ${what} is not a JSON object`);
    return parsed.value;
  };
  const models: Record<string, Json> = {};
  for (const name of [...files.keys()].sort()) {
    const locale = /^interactionModels\/custom\/([^/]+)\.json$/.exec(name)?.[1];
    if (locale !== undefined && name === modelPath(locale)) models[locale] = read(name);
  }
  return { manifest: read("skill.json"), models };
}

/**
 * A copy of the repository's manifest in which every icon the stage also has reads as the stage's: where an icon
 * is hosted says nothing about a console edit, and an icon only one side has is still a difference.
 */
export function withIconsAside(repoManifest: Json, stageManifest: Json): Json {
  const copy = structuredClone(repoManifest);
  const localesOf = (document: Json): Record<string, unknown> => {
    const publishing = manifestBody(document).publishingInformation;
    return isRecord(publishing) && isRecord(publishing.locales) ? publishing.locales : {};
  };
  const stageLocales = localesOf(stageManifest);
  for (const [locale, info] of Object.entries(localesOf(copy))) {
    const stageInfo = stageLocales[locale];
    if (!isRecord(info) || !isRecord(stageInfo)) continue;
    for (const field of ICON_FIELDS) {
      if (typeof info[field] === "string" && typeof stageInfo[field] === "string")
        info[field] = stageInfo[field];
    }
  }
  return copy;
}

/**
 * Compares a stage with the repository's package `repo`. Before exporting, it reads whether the stage exists (a
 * live stage before the first publication does not) and, for the development stage, whether a certification in
 * progress locks it; then it exports the stage (or follows `exportId`), downloads and unpacks it in memory, and
 * diffs it.
 */
export async function checkDrift(
  skills: SkillsPort,
  repo: PackageContent,
  options: DriftOptions,
): Promise<DriftResult> {
  const { skillId, stage } = options;
  if (options.exportId === undefined) {
    const manifest = await skills.getManifest(skillId, stage);
    if (manifest === undefined) {
      if (stage === "live") return { kind: "absent", skillId, stage };
      throw new OperationError(
        `The Skill Management API has no development stage for ${skillId}: check the skill id (--skill-id, ` +
          "or skillId of the stack outputs) and that the Login with Amazon credentials belong to its vendor",
        { resource: skillId },
      );
    }
    const pending = stage === "development" ? (await skills.listCertifications(skillId))[0] : undefined;
    if (pending?.status === "IN_PROGRESS") {
      return { kind: "locked", skillId, stage, certificationId: pending.id };
    }
  }
  const exported = await exportStagePackage(skills, {
    skillId,
    stage,
    wait: options.wait,
    command: "skillship drift",
    ...(options.exportId === undefined ? {} : { exportId: options.exportId }),
  });
  const stagePackage = packageOfExport(exported.files, `export ${exported.exportId}`);
  const compared =
    repo.manifest === undefined || stagePackage.manifest === undefined
      ? repo
      : { ...repo, manifest: withIconsAside(repo.manifest, stagePackage.manifest) };
  return {
    kind: "compared",
    skillId,
    stage,
    exportId: exported.exportId,
    diff: diffPackages(compared, stagePackage, stage),
  };
}
