/**
 * Whether a stage holds the package's files, not only its JSON: the Skill Management API reads back the manifest
 * and the models, but an imported icon only as the URL it is hosted at. A stage holds the package's icons when
 * each `file://` icon's hosted counterpart has the same bytes as the repository's file. Only a positive proof
 * counts: an icon that cannot be read, or a package file nothing reads back (in-skill products, …), means "not
 * proven", and the package is imported again (slower, never wrong).
 */
import type { SkillPackagePort } from "../ports";
import { interactionModelHash, shortHash } from "./diff";
import { manifestBody } from "./endpoint";
import { fileIcons } from "./icons";
import { isRecord } from "./skill-package";

type Json = Record<string, unknown>;

/** What reads the files a stage hosts. */
export type HostedFiles = Pick<SkillPackagePort, "readHostedFile">;

/** The package's side: its manifest (with `file://` icons) and its other files. */
export interface PackageFiles {
  manifest: Json;
  files?: Record<string, Uint8Array>;
}

/** True when the package has files besides its JSON (whose presence on a stage must be proven). */
export function hasFiles(pkg: Pick<PackageFiles, "files">): boolean {
  return Object.keys(pkg.files ?? {}).length > 0;
}

/**
 * True when the stage whose manifest is `stageManifest` hosts every file of the package with the same bytes
 * (trivially true for a package without files). Each hosted URL is read once, all at once.
 */
export async function stageHoldsFiles(
  packages: HostedFiles,
  pkg: PackageFiles,
  stageManifest: Json | undefined,
): Promise<boolean> {
  const files = pkg.files ?? {};
  if (Object.keys(files).length === 0) return true;
  if (stageManifest === undefined) return false;
  const icons = fileIcons(pkg.manifest);
  const iconPaths = new Set(icons.map((icon) => icon.path));
  // A file no icon names cannot be read back from the stage.
  if (Object.keys(files).some((path) => !iconPaths.has(path))) return false;
  const publishing = manifestBody(stageManifest).publishingInformation;
  const stageLocales = isRecord(publishing) && isRecord(publishing.locales) ? publishing.locales : {};
  const expected = new Map<string, Uint8Array>();
  for (const icon of icons) {
    const entry = stageLocales[icon.locale];
    const hosted = isRecord(entry) ? entry[icon.field] : undefined;
    const local = icon.path === undefined ? undefined : files[icon.path];
    if (typeof hosted !== "string" || !/^https?:\/\//.test(hosted) || local === undefined) return false;
    const other = expected.get(hosted);
    if (other !== undefined && !sameBytes(other, local)) return false;
    expected.set(hosted, local);
  }
  const read = await Promise.all(
    [...expected.entries()].map(async ([url, local]) => {
      const bytes = await packages.readHostedFile(url);
      return bytes !== undefined && sameBytes(bytes, local);
    }),
  );
  return read.every(Boolean);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  );
}

/**
 * For a development stage whose JSON matches the package: true when it also holds the package's files, proven
 * by the icons it hosts; never without a reader of hosted files.
 */
export async function developmentHoldsFiles(
  packages: HostedFiles | undefined,
  pkg: { manifest?: Json; files?: Record<string, Uint8Array> },
  stageManifest: Json,
): Promise<boolean> {
  if (!hasFiles(pkg)) return true;
  return (
    packages !== undefined &&
    pkg.manifest !== undefined &&
    stageHoldsFiles(packages, { manifest: pkg.manifest, files: pkg.files }, stageManifest)
  );
}

/**
 * For a live stage whose JSON matches the package: true when it also holds the package's files. The live stage
 * reads back its icons only as hosted URLs, so the proof is the live colour's release record: the package hash it
 * went out with counts every file.
 */
export function liveHoldsFiles(
  pkg: { manifest?: Json; models: Record<string, Json>; files?: Record<string, Uint8Array> },
  recordedModel: string | undefined,
): boolean {
  return !hasFiles(pkg) || recordedModel === shortHash(interactionModelHash(pkg));
}
