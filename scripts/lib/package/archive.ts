/**
 * The skill package as it goes up: one deterministic zip of the whole folder (`skill.json` with the stage's
 * endpoint, every locale's model, every other file such as the icons), so the same package gives the same bytes
 * and the same sha256 on every machine. Account linking is not in it: the Skill Package API does not carry it
 * (it is written on its own, with the client secret from the environment, see `account-linking.ts`).
 */
import { join } from "node:path";
import { ConfigError } from "../core/errors";
import { deterministicZip, sha256 } from "../core/zip";
import { canonicalJson } from "./canonical";
import { modelPath } from "./diff";
import { fileIcons, iconJsonPath } from "./icons";

type Json = Record<string, unknown>;

/**
 * The largest package the platform uploads. The Skill Management API answers a larger import with 413
 * ("Payload too large") without publishing its exact bound; a skill package is JSON and a few icons, far below.
 */
export const PACKAGE_SIZE_LIMIT_BYTES = 50 * 1024 * 1024;

/** What a package's archive is made from. */
export interface ArchiveSource {
  /** The package folder, for messages. */
  root?: string;
  /** The manifest document to put in `skill.json` (endpoint already set). */
  manifest: Json;
  models: Record<string, Json>;
  /** The package's other files, `/`-separated path → bytes. */
  files?: Record<string, Uint8Array>;
}

/** A built archive. */
export interface PackageArchive {
  zip: Uint8Array;
  /** Hex sha256 of `zip`: equal for equal packages. */
  sha256: string;
  /** The entries, sorted. */
  entries: string[];
}

/**
 * Builds the archive. Throws a {@link ConfigError} naming `skill.json`'s JSON path when a `file://` icon is not a
 * file of the package, and naming the largest files when the zip is over {@link PACKAGE_SIZE_LIMIT_BYTES}:
 * both before anything is uploaded.
 */
export function buildPackageArchive(
  source: ArchiveSource,
  limitBytes = PACKAGE_SIZE_LIMIT_BYTES,
): PackageArchive {
  const root = source.root ?? "skill-package";
  const files = source.files ?? {};
  const missing = fileIcons(source.manifest)
    .filter((icon) => icon.path === undefined || files[icon.path] === undefined)
    .map(
      (icon) =>
        `${iconJsonPath(icon)}: ${icon.uri} ${icon.path === undefined ? "points outside the package" : `is not a file of the package (${join(root, icon.path)})`}`,
    );
  if (missing.length > 0) {
    throw new ConfigError(
      `${join(root, "skill.json")}: ${missing.join("; ")}. Icons go up inside the package: put them under ` +
        `${root} (e.g. assets/images/) and name them file://assets/images/NAME.png`,
      { resource: join(root, "skill.json") },
    );
  }
  const text = (value: unknown) => new TextEncoder().encode(canonicalJson(value));
  const entries: Record<string, Uint8Array> = { "skill.json": text(source.manifest) };
  for (const [locale, model] of Object.entries(source.models)) {
    entries[modelPath(locale)] = text(model);
  }
  for (const [path, bytes] of Object.entries(files)) {
    entries[path] = bytes;
  }
  const zip = deterministicZip(entries);
  if (zip.byteLength > limitBytes) {
    const largest = Object.entries(entries)
      .sort(([, a], [, b]) => b.byteLength - a.byteLength)
      .slice(0, 3)
      .map(([path, bytes]) => `${join(root, path)} (${megabytes(bytes.byteLength)})`);
    throw new ConfigError(
      `${root} zips to ${megabytes(zip.byteLength)}, over the ${megabytes(limitBytes)} a skill package may be: ` +
        `the largest files are ${largest.join(", ")}. Keep media out of the skill package (the skill streams ` +
        "it from its media bucket); nothing was uploaded.",
      { resource: root },
    );
  }
  return { zip, sha256: sha256(zip), entries: Object.keys(entries).sort() };
}

function megabytes(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} KB` : `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
