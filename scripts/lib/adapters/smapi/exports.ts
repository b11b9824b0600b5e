/**
 * The skill package export of the Skill Management API, for `skillship import`: the request (`202` with the
 * export's URL in `Location`), its status, and the download of the zip from the short-lived URL the status names.
 */
import type { BuildStatus, PackageExport, SkillStage } from "../../ports";
import { header, stageName, type SmapiCalls } from "./calls";
import { SmapiError } from "./errors";

/** Largest package accepted from a download: far above what a skill package holds, icons included. */
export const MAX_PACKAGE_BYTES = 256 * 1024 * 1024;

/** Starts the export of a stage's package; returns the export id the `Location` header names. */
export async function requestExport(calls: SmapiCalls, skillId: string, stage: SkillStage): Promise<string> {
  const operation = `exporting the skill package of skill ${skillId} (${stageName(stage)})`;
  const response = await calls.once(operation, () =>
    calls.client.callCreateExportRequestForSkillV1(skillId, stage),
  );
  const location = header(response, "location");
  const exportId = location?.split("/").filter(Boolean).pop();
  if (exportId === undefined) {
    throw new SmapiError(
      `The Skill Management API accepted ${operation} but named no export to follow (no Location header)`,
      operation,
      {},
    );
  }
  return decodeURIComponent(exportId);
}

/** The state of an export. */
export async function readExport(calls: SmapiCalls, exportId: string): Promise<PackageExport> {
  const response = await calls.read(`reading export ${exportId}`, () =>
    calls.client.getStatusOfExportRequestV1(exportId),
  );
  const status: BuildStatus =
    response.status === "SUCCEEDED" || response.status === "FAILED" ? response.status : "IN_PROGRESS";
  return {
    status,
    ...(response.skill?.location === undefined ? {} : { location: response.skill.location }),
    ...(response.skill?.expiresAt === undefined ? {} : { expiresAt: response.skill.expiresAt }),
  };
}

/**
 * Downloads the package. The URL is presigned: only its host appears in messages, never its query.
 */
export async function downloadExport(calls: SmapiCalls, location: string): Promise<Uint8Array> {
  const host = hostOf(location);
  return calls.read(`downloading the exported skill package from ${host}`, async () => {
    const response = await fetch(location);
    if (!response.ok) {
      throw Object.assign(new Error(`HTTP ${response.status} from ${host}`), { statusCode: response.status });
    }
    const declared = Number(response.headers.get("content-length"));
    if (Number.isFinite(declared) && declared > MAX_PACKAGE_BYTES) {
      throw new SmapiError(
        `The exported skill package is ${declared} bytes, over the ${MAX_PACKAGE_BYTES} bytes accepted`,
        "downloading the exported skill package",
        {},
      );
    }
    return new Uint8Array(await response.arrayBuffer());
  });
}

function hostOf(location: string): string {
  try {
    return new URL(location).host;
  } catch {
    return "(an invalid URL)";
  }
}
