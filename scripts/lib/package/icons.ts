/**
 * The icons a manifest ships inside the package: `file://` URIs of `publishingInformation.locales.*`, relative to
 * the package folder. Lint checks them, the archive carries them, and a stage proves it hosts them.
 */
import { posix } from "node:path";
import { manifestBody } from "./endpoint";
import { jsonPath } from "./lint/types";
import { isRecord } from "./skill-package";

/** The icon fields of a publishing locale, with the size the store shows each at. */
export const ICON_SIZES = { smallIconUri: 108, largeIconUri: 512 } as const;

/** One `file://` icon of the manifest. */
export interface FileIcon {
  locale: string;
  field: keyof typeof ICON_SIZES;
  uri: string;
  /** The file's path inside the package (`/`-separated); undefined when the URI points outside it. */
  path?: string;
}

/** Every `file://` icon of every publishing locale of the manifest document (`{ manifest }` or bare). */
export function fileIcons(document: Record<string, unknown>): FileIcon[] {
  const publishing = manifestBody(document).publishingInformation;
  const locales = isRecord(publishing) && isRecord(publishing.locales) ? publishing.locales : {};
  const icons: FileIcon[] = [];
  for (const [locale, entry] of Object.entries(locales)) {
    if (!isRecord(entry)) continue;
    for (const field of Object.keys(ICON_SIZES) as (keyof typeof ICON_SIZES)[]) {
      const uri = entry[field];
      if (typeof uri !== "string" || !uri.startsWith("file://")) continue;
      const path = posix.normalize(uri.slice("file://".length).replace(/\\/g, "/"));
      const escapes = path === ".." || path.startsWith("../") || path.startsWith("/");
      icons.push({ locale, field, uri, ...(escapes ? {} : { path }) });
    }
  }
  return icons;
}

/** The JSON path of an icon field in skill.json, e.g. `$.manifest.publishingInformation.locales["en-US"].smallIconUri`. */
export function iconJsonPath(icon: Pick<FileIcon, "locale" | "field">): string {
  return jsonPath(["manifest", "publishingInformation", "locales", icon.locale, icon.field]);
}
