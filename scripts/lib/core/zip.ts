/**
 * Deterministic zip archives: the same files give the same bytes on every machine and in every timezone (fixed
 * timestamps and permissions, entries sorted by name), so an archive's sha256 names its content. The skill's
 * Lambda bundle and the skill package both go up this way.
 */
import { createHash } from "node:crypto";
import { zipSync, type Zippable } from "fflate";

// Zip timestamps are local DOS times; building the date from local fields keeps the bytes the same in any timezone.
const FIXED_MTIME = new Date(2000, 0, 1, 0, 0, 0);
const UNIX = 3;
const READABLE_FILE = 0o644 << 16;

/** A zip of `files` (entry name → bytes; `/`-separated names), compressed at level 9. */
export function deterministicZip(files: Readonly<Record<string, Uint8Array>>): Uint8Array {
  const entries: Zippable = {};
  for (const name of Object.keys(files).sort()) {
    entries[name] = [files[name], { mtime: FIXED_MTIME, os: UNIX, attrs: READABLE_FILE }];
  }
  return zipSync(entries, { level: 9 });
}

/** The sha256 of some bytes, hex (or base64, as Lambda reports `CodeSha256`). */
export function sha256(bytes: Uint8Array | string, encoding: "hex" | "base64" = "hex"): string {
  return createHash("sha256").update(bytes).digest(encoding);
}
