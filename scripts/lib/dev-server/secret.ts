/**
 * The secret local media URLs are signed with. Kept in a file under `node_modules/.cache` (never committed) so
 * `npm start`, `say` and `dialog` sign alike: a URL printed by `say` plays from the running endpoint.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import * as path from "node:path";

/** The cache file, relative to the project root. */
export const SECRET_FILE = path.join("node_modules", ".cache", "skillship", "media-url-secret");

/** Reads the project's media URL secret, creating it on first use; a random one when the file cannot be written. */
export async function localMediaSecret(root: string): Promise<Buffer> {
  const file = path.join(root, SECRET_FILE);
  const existing = await readFile(file).catch(() => undefined);
  if (existing !== undefined && existing.length >= 32) return existing;
  const secret = randomBytes(32);
  try {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, secret, { mode: 0o600 });
  } catch {
    // A read-only checkout still works: URLs are then valid only for this process.
  }
  return secret;
}
