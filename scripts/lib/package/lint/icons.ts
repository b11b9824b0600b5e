/**
 * Rule "icons": icons shipped in the package (`file://` URIs) exist, are PNG, and have the sizes the store shows
 * (108x108 small, 512x512 large). Remote (`https://`) icons are not fetched: lint stays offline.
 */
import { open } from "node:fs/promises";
import { join } from "node:path";
import { fileIcons, iconJsonPath, ICON_SIZES } from "../icons";
import type { SkillPackage } from "../skill-package";
import type { Problem } from "./types";

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Checks every `file://` icon of every publishing locale; each file is read once. */
export async function lintIcons(pkg: SkillPackage): Promise<Problem[]> {
  const problems: Problem[] = [];
  const file = join(pkg.root, "skill.json");
  const sizes = new Map<string, Promise<IconSize | string>>();
  for (const icon of fileIcons(pkg.manifest)) {
    const report = (message: string) =>
      problems.push({ severity: "error", rule: "icons", file, path: iconJsonPath(icon), message });
    if (icon.path === undefined) {
      report(
        `${icon.uri} points outside the skill package: icons live in the package, e.g. file://assets/images/icon.png`,
      );
      continue;
    }
    const path = join(pkg.root, icon.path);
    const pending = sizes.get(path) ?? pngSize(path);
    sizes.set(path, pending);
    const size = await pending;
    const expected = ICON_SIZES[icon.field];
    if (typeof size === "string") report(`${icon.uri}: ${size}`);
    else if (size.width !== expected || size.height !== expected) {
      report(
        `${icon.uri} is ${size.width}x${size.height}: the ${icon.field} must be ${expected}x${expected} pixels`,
      );
    }
  }
  return problems;
}

interface IconSize {
  width: number;
  height: number;
}

// A PNG's size is two integers at a fixed offset of its IHDR chunk: no image library needed to read them.
async function pngSize(path: string): Promise<IconSize | string> {
  let handle;
  try {
    handle = await open(path, "r");
  } catch {
    return `${path} does not exist`;
  }
  try {
    const header = Buffer.alloc(24);
    const { bytesRead } = await handle.read(header, 0, 24, 0);
    if (
      bytesRead < 24 ||
      !header.subarray(0, 8).equals(PNG_SIGNATURE) ||
      header.toString("ascii", 12, 16) !== "IHDR"
    ) {
      return `${path} is not a PNG image`;
    }
    return { width: header.readUInt32BE(16), height: header.readUInt32BE(20) };
  } finally {
    await handle.close();
  }
}
