/**
 * Writes the planned files into the folder. A file that exists is kept unless `force` says to replace it, and
 * the check is the write itself (`wx`), so nothing is overwritten by a race either.
 */
import { mkdir, writeFile } from "node:fs/promises";
import * as path from "node:path";
import type { PlannedFile } from "./plan";

/** What happened to one file. */
export interface FileOutcome {
  path: string;
  outcome: "written" | "replaced" | "kept";
}

/** Writes each file under `dir`; returns what happened to each, in order. */
export async function writePlannedFiles(
  dir: string,
  files: readonly PlannedFile[],
  force: boolean,
): Promise<FileOutcome[]> {
  const outcomes: FileOutcome[] = [];
  for (const file of files) {
    const target = path.join(dir, ...file.path.split("/"));
    await mkdir(path.dirname(target), { recursive: true });
    try {
      await writeFile(target, file.text, { flag: "wx" });
      outcomes.push({ path: file.path, outcome: "written" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      if (force) {
        await writeFile(target, file.text);
        outcomes.push({ path: file.path, outcome: "replaced" });
      } else {
        outcomes.push({ path: file.path, outcome: "kept" });
      }
    }
  }
  return outcomes;
}
