/**
 * The skill package differ: the repository's package against a stage's, part by part (the manifest without its
 * endpoints, each locale's interaction model), as readable unified diffs over a canonical JSON form (sorted keys,
 * two-space indent). It also gives the interaction-model hash the release engine records in a Lambda version.
 */
import { FILE_HEADERS_ONLY, formatPatch, structuredPatch } from "diff";
import { comparableAccountLinking } from "./account-linking";
import { canonicalJson } from "./canonical";
import { sha256 } from "../core/zip";
import { hasNoInteractionModels, manifestBody, withoutEndpoints } from "./endpoint";
import type { SkillStage, SkillsPort } from "../ports";

type Json = Record<string, unknown>;

/** The parts of a skill package the differ compares. `SkillPackage` from `skill-package.ts` fits. */
export interface PackageContent {
  /** `{ manifest }` as in skill.json; undefined when the stage has no manifest yet. */
  manifest?: Json;
  /** Each locale's `{ interactionModel }`. */
  models: Record<string, Json>;
  /** The package's other files (icons, …) as bytes; a stage read through the API has none. */
  files?: Record<string, Uint8Array>;
  /** `accountLinking.json` as the repository holds it. */
  accountLinking?: Json;
  /**
   * A stage's account linking as the Skill Management API reads it back, when it was read: `null` when the stage
   * has none. Read only for a repository with `accountLinking.json`; without it, account linking is not compared.
   */
  stageAccountLinking?: Json | null;
}

/** How one part differs. `added`: only in the repository; `removed`: only on the stage. */
export type ChangeKind = "unchanged" | "changed" | "added" | "removed";

/** One part's difference. */
export interface Change {
  kind: ChangeKind;
  /** Lines added and removed by going from the stage to the repository. */
  additions: number;
  deletions: number;
  /** A unified diff from the stage to the repository; empty when unchanged. */
  patch: string;
}

/** The difference between the repository's package and a stage's. */
export interface PackageDiff {
  /** The stage compared against (for headings). */
  stage: string;
  manifest: Change;
  /** Every locale of either side, sorted. */
  locales: Record<string, Change>;
  /** `accountLinking.json` (the client secret aside), when the repository has one and the stage's was read. */
  accountLinking?: Change;
  identical: boolean;
}

/** The manifest as compared: `{ manifest }` without any endpoint. */
export function canonicalManifest(document: Json): Json {
  return { manifest: manifestBody(withoutEndpoints(document)) };
}

/**
 * The model as compared: `{ interactionModel }` only (the Skill Management API adds `version` and `description`
 * around it when reading).
 */
export function canonicalModel(document: Json): Json {
  return document.interactionModel === undefined ? document : { interactionModel: document.interactionModel };
}

function partChange(
  oldName: string,
  newName: string,
  before: Json | undefined,
  after: Json | undefined,
): Change {
  const oldText = before === undefined ? "" : canonicalJson(before);
  const newText = after === undefined ? "" : canonicalJson(after);
  if (oldText === newText) {
    return { kind: "unchanged", additions: 0, deletions: 0, patch: "" };
  }
  const structured = structuredPatch(oldName, newName, oldText, newText, undefined, undefined, {
    context: 3,
  });
  let additions = 0;
  let deletions = 0;
  for (const hunk of structured.hunks) {
    for (const line of hunk.lines) {
      if (line.startsWith("+")) additions += 1;
      else if (line.startsWith("-")) deletions += 1;
    }
  }
  const kind: ChangeKind = before === undefined ? "added" : after === undefined ? "removed" : "changed";
  return { kind, additions, deletions, patch: formatPatch(structured, FILE_HEADERS_ONLY) };
}

const ICON_FIELDS = ["smallIconUri", "largeIconUri"] as const;

/**
 * A copy of the repository's manifest whose `file://` icon URIs are replaced by the stage's hosted ones. The
 * Skill Management API stores icons at URLs of its own, so a local path and the stage's URL say nothing about a
 * difference; comparing or uploading them as they are would report (or cause) a change on every run.
 */
export function withStageIcons(repoManifest: Json, stageManifest: Json | undefined): Json {
  const copy = structuredClone(repoManifest);
  const repoLocales = (
    manifestBody(copy).publishingInformation as { locales?: Record<string, Json> } | undefined
  )?.locales;
  const stageLocales = (
    stageManifest === undefined
      ? undefined
      : (manifestBody(stageManifest).publishingInformation as { locales?: Record<string, Json> } | undefined)
  )?.locales;
  for (const [locale, info] of Object.entries(repoLocales ?? {})) {
    for (const field of ICON_FIELDS) {
      const hosted = stageLocales?.[locale]?.[field];
      if (
        typeof info[field] === "string" &&
        info[field].startsWith("file://") &&
        typeof hosted === "string"
      ) {
        info[field] = hosted;
      }
    }
  }
  return copy;
}

/** The path a locale's model has in the package (also the diff's file name). */
export function modelPath(locale: string): string {
  return `interactionModels/custom/${locale}.json`;
}

/**
 * Compares the repository's package (`repo`) with a stage's (`stage`; undefined when the stage has nothing yet).
 * Endpoints never count as a difference: they differ between stages by design.
 */
export function diffPackages(
  repo: PackageContent,
  stage: PackageContent | undefined,
  stageName = "stage",
): PackageDiff {
  const manifest = partChange(
    `${stageName}/skill.json`,
    "repository/skill.json",
    stage?.manifest === undefined ? undefined : canonicalManifest(stage.manifest),
    repo.manifest === undefined
      ? undefined
      : canonicalManifest(
          stage?.manifest === undefined ? repo.manifest : withStageIcons(repo.manifest, stage.manifest),
        ),
  );
  const localeNames = [...new Set([...Object.keys(repo.models), ...Object.keys(stage?.models ?? {})])].sort();
  const locales: Record<string, Change> = {};
  for (const locale of localeNames) {
    const before = stage?.models[locale];
    const after = repo.models[locale];
    locales[locale] = partChange(
      `${stageName}/${modelPath(locale)}`,
      `repository/${modelPath(locale)}`,
      before === undefined ? undefined : canonicalModel(before),
      after === undefined ? undefined : canonicalModel(after),
    );
  }
  const accountLinking = accountLinkingChange(repo, stage, stageName);
  const identical =
    manifest.kind === "unchanged" &&
    Object.values(locales).every((change) => change.kind === "unchanged") &&
    (accountLinking === undefined || accountLinking.kind === "unchanged");
  return {
    stage: stageName,
    manifest,
    locales,
    ...(accountLinking === undefined ? {} : { accountLinking }),
    identical,
  };
}

/**
 * How the repository's account linking differs from the stage's, when there is something to compare: the
 * repository has `accountLinking.json` and the stage's was read (a stage that does not exist has none either).
 */
function accountLinkingChange(
  repo: PackageContent,
  stage: PackageContent | undefined,
  stageName: string,
): Change | undefined {
  if (repo.accountLinking === undefined) return undefined;
  if (stage !== undefined && stage.stageAccountLinking === undefined) return undefined;
  const compared = comparableAccountLinking(repo.accountLinking, stage?.stageAccountLinking ?? undefined);
  return partChange(
    `${stageName}/accountLinking.json`,
    "repository/accountLinking.json",
    compared.stage,
    compared.repository,
  );
}

/**
 * The sha256 (hex) of the canonical package: manifest without endpoints, every locale's model and the sha256 of
 * every other file (icons, …). Equal packages give equal hashes whatever their key order or endpoints; a package
 * without other files hashes as it did before files were counted.
 */
export function interactionModelHash(pkg: PackageContent): string {
  const models: Record<string, Json> = {};
  for (const locale of Object.keys(pkg.models).sort()) {
    models[locale] = canonicalModel(pkg.models[locale]);
  }
  const files: Record<string, string> = {};
  const own = pkg.files ?? {};
  for (const path of Object.keys(own).sort()) {
    files[path] = sha256(own[path]);
  }
  const canonical = {
    manifest: pkg.manifest === undefined ? null : canonicalManifest(pkg.manifest),
    models,
    ...(Object.keys(files).length === 0 ? {} : { files }),
  };
  return sha256(canonicalJson(canonical));
}

/** The short form of a hash (12 hex digits), small enough for a Lambda version description. */
export function shortHash(hash: string): string {
  return hash.slice(0, 12);
}

/**
 * Reads a stage's package through the Skill Management API: its manifest and the model of every locale that the
 * repository has or the stage's manifest publishes (a smart-home manifest: none). The repository's locales are read together with the manifest
 * (one round trip, not two); a locale only the stage's manifest names is read once the manifest says so.
 * Undefined when the stage has no manifest (e.g. a skill never published has no live stage).
 */
export async function readStagePackage(
  skills: Pick<SkillsPort, "getManifest" | "getInteractionModel">,
  skillId: string,
  stage: SkillStage,
  repoLocales: readonly string[],
): Promise<PackageContent | undefined> {
  const readModels = (locales: readonly string[]) =>
    Promise.all(locales.map((locale) => skills.getInteractionModel(skillId, stage, locale)));
  const [manifest, repoModels] = await Promise.all([
    skills.getManifest(skillId, stage),
    readModels(repoLocales),
  ]);
  if (manifest === undefined) {
    return undefined;
  }
  const published = manifestBody(manifest.value).publishingInformation as { locales?: object } | undefined;
  // A smart-home skill's locales have no interaction model to read (the API has none for it).
  const stageOnly = hasNoInteractionModels(manifest.value)
    ? []
    : Object.keys(published?.locales ?? {}).filter((locale) => !repoLocales.includes(locale));
  const locales = [...repoLocales, ...stageOnly];
  const read = [...repoModels, ...(await readModels(stageOnly))];
  const models: Record<string, Json> = {};
  for (const locale of [...locales].sort()) {
    const model = read[locales.indexOf(locale)];
    if (model !== undefined) models[locale] = model.value;
  }
  return { manifest: manifest.value, models };
}

/**
 * The stage's package to compare with the repository's `repo`: {@link readStagePackage} for `repo`'s locales, and,
 * when `repo` has `accountLinking.json`, the stage's account linking read beside it (`null` when it has none).
 */
export async function readStageToCompare(
  skills: Pick<SkillsPort, "getManifest" | "getInteractionModel" | "getAccountLinking">,
  skillId: string,
  stage: SkillStage,
  repo: PackageContent,
): Promise<PackageContent | undefined> {
  const [content, linking] = await Promise.all([
    readStagePackage(skills, skillId, stage, Object.keys(repo.models)),
    repo.accountLinking === undefined ? undefined : skills.getAccountLinking(skillId, stage),
  ]);
  if (content === undefined || repo.accountLinking === undefined) return content;
  return { ...content, stageAccountLinking: linking?.value ?? null };
}
