/**
 * The skill package differ: the repository's package against a stage's, part by part (the manifest without its
 * endpoints, each locale's interaction model), as readable unified diffs over a canonical JSON form (sorted keys,
 * two-space indent). It also gives the interaction-model hash the release engine records in a Lambda version.
 */
import { FILE_HEADERS_ONLY, canonicalize, formatPatch, structuredPatch } from "diff";
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
  /** `accountLinking.json` as the repository holds it (the release compares it with each stage's). */
  accountLinking?: Json;
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
  identical: boolean;
}

/** Output formats of {@link formatDiff}. */
export type DiffFormat = "text" | "markdown" | "json";

/** JSON with sorted keys and a two-space indent, so equal documents give equal text whatever their key order. */
export function canonicalJson(value: unknown): string {
  return `${JSON.stringify(
    canonicalize(value, null, null, (_key: string, v: unknown) => v),
    null,
    2,
  )}\n`;
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
  const identical =
    manifest.kind === "unchanged" && Object.values(locales).every((change) => change.kind === "unchanged");
  return { stage: stageName, manifest, locales, identical };
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

interface Part {
  name: string;
  change: Change;
}

function parts(diff: PackageDiff): Part[] {
  return [
    { name: "manifest", change: diff.manifest },
    ...Object.entries(diff.locales).map(([locale, change]) => ({ name: locale, change })),
  ];
}

const kindWords: Record<ChangeKind, string> = {
  unchanged: "unchanged",
  changed: "changed",
  added: "new (not on the stage yet)",
  removed: "only on the stage",
};

/** GitHub refuses comments over 65,536 characters; the markdown form stays under this by shortening patches. */
export const MARKDOWN_LIMIT = 60_000;

/**
 * Renders a diff for people (`text`), a pull request (`markdown`, at most `maxChars` characters: long patches
 * are cut with a note saying how to see them whole) or machines (`json`).
 */
export function formatDiff(
  diff: PackageDiff,
  format: DiffFormat,
  options: { maxChars?: number } = {},
): string {
  if (format === "json") {
    return `${JSON.stringify(diff, null, 2)}\n`;
  }
  if (format === "text") {
    return text(diff);
  }
  const limit = options.maxChars ?? MARKDOWN_LIMIT;
  let rendered = markdown(diff, Number.POSITIVE_INFINITY);
  // Halve the lines shown per patch until the comment fits; the table always shows every part.
  for (let maxLines = 400; rendered.length > limit && maxLines >= 1; maxLines = Math.floor(maxLines / 2)) {
    rendered = markdown(diff, maxLines);
  }
  return rendered;
}

function cut(patch: string, maxLines: number): string {
  const lines = patch.trimEnd().split("\n");
  if (lines.length <= maxLines) {
    return lines.join("\n");
  }
  return `${lines.slice(0, maxLines).join("\n")}\n… ${lines.length - maxLines} more lines (run \`skillship diff\` to see them all)`;
}

function counts(change: Change): string {
  return change.kind === "unchanged" ? "" : `+${change.additions} −${change.deletions}`;
}

function text(diff: PackageDiff): string {
  if (diff.identical) {
    return `The skill package is identical to the ${diff.stage} stage (endpoints excluded).\n`;
  }
  const lines = [`The skill package differs from the ${diff.stage} stage (endpoints excluded):`];
  const all = parts(diff);
  const width = Math.max(...all.map((part) => part.name.length));
  for (const part of all) {
    lines.push(
      `  ${part.name.padEnd(width)}  ${kindWords[part.change.kind]} ${counts(part.change)}`.trimEnd(),
    );
  }
  lines.push("");
  for (const part of all) {
    if (part.change.patch !== "") {
      lines.push(part.change.patch.trimEnd(), "");
    }
  }
  return `${lines.join("\n")}\n`;
}

function markdown(diff: PackageDiff, maxLines: number): string {
  const lines = [`### Skill package against the ${diff.stage} stage`, ""];
  if (diff.identical) {
    lines.push(
      "No difference: the manifest (endpoints excluded) and every locale's interaction model match.",
    );
    return `${lines.join("\n")}\n`;
  }
  lines.push("| part | change | lines |", "| --- | --- | --- |");
  for (const part of parts(diff)) {
    lines.push(`| ${part.name} | ${kindWords[part.change.kind]} | ${counts(part.change)} |`);
  }
  lines.push("");
  for (const part of parts(diff)) {
    if (part.change.patch === "") continue;
    // A longer fence than any backtick run in the patch keeps the block intact whatever the model contains.
    const patch = cut(part.change.patch, maxLines);
    const fence = "`".repeat(Math.max(3, longestBacktickRun(patch) + 1));
    lines.push(
      "<details>",
      `<summary>${part.name}: ${kindWords[part.change.kind]}, ${counts(part.change)}</summary>`,
      "",
      `${fence}diff`,
      patch,
      fence,
      "",
      "</details>",
      "",
    );
  }
  return `${lines.join("\n")}\n`;
}

function longestBacktickRun(text: string): number {
  return Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
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
