/**
 * `skillship import`: a skill's package brought from a stage of the Skill Management API into the repository, the
 * way a skill built in the developer console gets into git. The export is requested, waited for and downloaded;
 * the zip is unpacked into a new folder beside the target (never following a path out of it, never creating a
 * link) and only then put in the target's place, so a failure at any point leaves the repository as it was.
 */
import { existsSync, readdirSync } from "node:fs";
import { mkdir, mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { unzipSync } from "fflate";
import { ConfigError, OperationError } from "../core/errors";
import { waitUntil, type WaitOptions } from "../core/wait";
import type { PackageExport, SkillStage, SkillsPort } from "../ports";

/** Most files and bytes an unpacked package may hold: far above any skill package, far below a zip bomb. */
export const UNPACK_LIMITS = { files: 5000, bytes: 512 * 1024 * 1024 };

/** Options of {@link importSkillPackage}. */
export interface ImportOptions {
  skillId: string;
  stage: SkillStage;
  /** The skill package folder to write (absolute). */
  target: string;
  /** Replace a folder that holds files. */
  force: boolean;
  wait: WaitOptions;
  /** An export an earlier run started (`--export-id`): followed instead of a new one. */
  exportId?: string;
}

/** What was imported. */
export interface ImportResult {
  skillId: string;
  stage: SkillStage;
  target: string;
  /** The files written, relative to the target, sorted. */
  files: string[];
  /** True when a folder with files was replaced (`force`). */
  replaced: boolean;
}

/**
 * Refuses a target that holds files unless `force` (before any remote call), then exports, downloads and unpacks
 * the package into `target`.
 */
export async function importSkillPackage(skills: SkillsPort, options: ImportOptions): Promise<ImportResult> {
  const { target, skillId, stage } = options;
  const occupied = existsSync(target) && readdirSync(target).length > 0;
  if (occupied && !options.force) {
    throw new ConfigError(
      `${target} already holds files: import writes the whole skill package, so pass --force to replace the ` +
        "folder (commit it first, so git shows what changed), or name another folder with --package",
    );
  }
  const { files } = await exportStagePackage(skills, {
    skillId,
    stage,
    wait: options.wait,
    command: "skillship import",
    ...(options.exportId === undefined ? {} : { exportId: options.exportId }),
  });
  await replaceFolder(target, files);
  return { skillId, stage, target, files: [...files.keys()].sort(), replaced: occupied };
}

/** Options of {@link exportStagePackage}. */
export interface ExportOptions {
  skillId: string;
  stage: SkillStage;
  wait: WaitOptions;
  /** The command that runs the export, for the advice in errors (`skillship import`). */
  command: string;
  /** An export an earlier run started: waited for instead of a new one. */
  exportId?: string;
}

/** A stage's package as the export gave it: its files by safe relative path. */
export interface ExportedPackage {
  exportId: string;
  files: Map<string, Uint8Array>;
}

/**
 * Exports the stage's package (or follows the export `exportId` an earlier run started), waits for it, downloads
 * it and unpacks it in memory, refusing an entry that would land outside the package folder. A wait that runs out
 * is exit 3, naming the export so that `--export-id` resumes it.
 */
export async function exportStagePackage(
  skills: SkillsPort,
  options: ExportOptions,
): Promise<ExportedPackage> {
  const { skillId, stage, command } = options;
  const exportId = options.exportId ?? (await skills.exportPackage(skillId, stage));
  const done = await waitUntil<PackageExport>(
    `Exporting the skill package of ${skillId} (${stage} stage)`,
    () => skills.getExport(exportId),
    (state) => {
      if (state.status === "FAILED") {
        throw new OperationError(
          `The Skill Management API could not export the skill package of ${skillId} (${stage} stage, export ` +
            `${exportId}): check that the stage exists, then run ${command} again`,
          { resource: exportId },
        );
      }
      return { done: state.status === "SUCCEEDED", text: state.status };
    },
    options.wait,
    `run ${command} --export-id ${exportId} to keep waiting for this export, or ${command} again to export anew`,
  );
  if (done.location === undefined) {
    throw new OperationError(
      `Export ${exportId} of ${skillId} succeeded but names no location to download from`,
      { resource: exportId },
    );
  }
  return {
    exportId,
    files: unpackSkillPackage(await skills.downloadPackage(done.location), `export ${exportId}`),
  };
}

/**
 * The files of a package zip by safe relative path. An entry whose name is absolute, climbs with `..`, or would
 * land outside the folder refuses the whole package, as does one over the limits or a package without skill.json.
 * A package whose files all sit in one top folder holding skill.json is read from that folder.
 */
export function unpackSkillPackage(zip: Uint8Array, what: string): Map<string, Uint8Array> {
  let count = 0;
  let bytes = 0;
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(zip, {
      filter(file) {
        count += 1;
        bytes += file.originalSize;
        if (count > UNPACK_LIMITS.files || bytes > UNPACK_LIMITS.bytes) {
          throw new OperationError(
            `${what} unpacks to more than ${UNPACK_LIMITS.files} files or ${UNPACK_LIMITS.bytes} bytes: refused`,
          );
        }
        return true;
      },
    });
  } catch (error) {
    if (error instanceof OperationError) throw error;
    throw new OperationError(`${what} is not a zip file: ${(error as Error).message}`, { cause: error });
  }
  const files = new Map<string, Uint8Array>();
  for (const [name, content] of Object.entries(entries)) {
    if (name.endsWith("/")) continue;
    files.set(safeRelativePath(name, what), content);
  }
  const tops = new Set([...files.keys()].map((name) => name.split("/")[0]));
  if (!files.has("skill.json") && tops.size === 1) {
    const [top] = tops;
    if (files.has(`${top}/skill.json`)) {
      return new Map([...files].map(([name, content]) => [name.slice(top.length + 1), content]));
    }
  }
  if (!files.has("skill.json")) {
    throw new OperationError(`${what} holds no skill.json: it is not a skill package`);
  }
  return files;
}

/** A zip entry's name as a path inside the folder, or an error naming the entry. */
function safeRelativePath(name: string, what: string): string {
  const normalized = name.replace(/\\/g, "/");
  const segments = normalized.split("/");
  const refuse = () =>
    new OperationError(
      `${what} has an entry outside the skill package folder (${JSON.stringify(name)}): refused`,
    );
  if (
    normalized.startsWith("/") ||
    /^[A-Za-z]:/.test(normalized) ||
    segments.some((segment) => segment === ".." || segment === "" || segment.includes("\0"))
  ) {
    throw refuse();
  }
  const inside = path.resolve("/package", ...segments);
  if (!inside.startsWith(`${path.resolve("/package")}${path.sep}`)) throw refuse();
  return segments.join("/");
}

/** Writes the files into a new folder beside `target`, then puts it in the target's place. */
async function replaceFolder(target: string, files: ReadonlyMap<string, Uint8Array>): Promise<void> {
  const parent = path.dirname(target);
  await mkdir(parent, { recursive: true });
  const staging = await mkdtemp(path.join(parent, `.${path.basename(target)}.import-`));
  try {
    for (const [name, content] of files) {
      const file = path.join(staging, ...name.split("/"));
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, content, { flag: "wx" });
    }
    if (existsSync(target)) {
      const previous = `${staging}.previous`;
      await rename(target, previous);
      try {
        await rename(staging, target);
      } catch (error) {
        await rename(previous, target);
        throw error;
      }
      await rm(previous, { recursive: true, force: true });
    } else {
      await rename(staging, target);
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
