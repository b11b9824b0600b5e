/**
 * The secret local media URLs are signed with. Kept in a file under `node_modules/.cache` (never committed) so
 * `npm start`, `say` and `dialog` sign alike: a URL printed by `say` plays from the running endpoint.
 */
import { randomBytes } from "node:crypto";
import { link, mkdir, readFile, unlink, writeFile } from "node:fs/promises";
import * as path from "node:path";

/** The cache file, relative to the project root. */
export const SECRET_FILE = path.join("node_modules", ".cache", "skillship", "media-url-secret");

/**
 * Reads the project's media URL secret, creating it on first use; a random one when the file cannot be written.
 * Processes starting together (parallel test workers, `npm start` beside `say`) all end up with the first one
 * written: each writes a temporary file and hard-links it into place, which fails when the file already exists.
 */
export async function localMediaSecret(root: string): Promise<Buffer> {
  const file = path.join(root, SECRET_FILE);
  const existing = await readSecret(file);
  if (existing !== undefined) return existing;
  const secret = randomBytes(32);
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
  try {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(temporary, secret, { mode: 0o600 });
    await link(temporary, file).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "EEXIST") throw error;
    });
  } catch {
    // A read-only checkout still works: URLs are then valid only for this process.
    return secret;
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
  return (await readSecret(file)) ?? secret;
}

async function readSecret(file: string): Promise<Buffer | undefined> {
  const content = await readFile(file).catch(() => undefined);
  return content !== undefined && content.length >= 32 ? content : undefined;
}
