/**
 * The import of a skill package, once its zip is built: put at a new upload URL, the import started with
 * `If-Match` (waiting, when an import an earlier run started is still under way, until the stage no longer needs
 * one or takes it) and followed until every locale is built; its failure told resource by resource, with file and
 * JSON path, and what took effect. And the certification lock every development-stage write meets.
 */
import { waitUntil, type WaitOptions } from "../core/wait";
import {
  StageLockedError,
  type BuildError,
  type PackageImport,
  type SkillPackagePort,
  type SkillsPort,
} from "../ports";
import { ModelBuildError } from "./stage-waits";

/** True when a refused write says the skill is locked by a pending certification. */
export function isCertificationLock(error: unknown): boolean {
  if (error instanceof StageLockedError) return true;
  const e = error as { statusCode?: number; message?: string; response?: { message?: string } } | null;
  if (e === null || typeof e !== "object") return false;
  const status = e.statusCode;
  const message = `${e.message ?? ""} ${e.response?.message ?? ""}`;
  return (status === 403 || status === 409) && /certification/i.test(message);
}

/**
 * Puts the zip at a new upload URL and starts its import, guarded by the ETag just read. While an import an
 * earlier run started is still under way (409 with no certification pending) it waits, reading the stage again:
 * once that import has brought the stage the package, there is nothing left to import.
 */
export async function startImport<Comparison extends { etag?: string }>(
  { skills, packages }: { skills: SkillsPort; packages: SkillPackagePort },
  attempt: {
    skillId: string;
    zip: Uint8Array;
    /** The stage as compared before: its ETag guards the import. */
    first: Comparison;
    compare: () => Promise<Comparison>;
    /** True when the stage, compared again, needs no import any more. */
    done: (comparison: Comparison) => boolean;
  },
  wait: WaitOptions,
): Promise<{ comparison: Comparison; importId?: string }> {
  const { skillId } = attempt;
  const target = await packages.createUploadUrl();
  await packages.upload(target, attempt.zip);
  let comparison = attempt.first;
  const outcome = await waitUntil<{ importId?: string; busy?: boolean }>(
    "Starting the import of the skill package",
    async () => {
      try {
        return { importId: await packages.importPackage(skillId, target.url, comparison.etag) };
      } catch (error) {
        if (!isCertificationLock(error) || (await pendingCertification(skills, skillId)) !== undefined) {
          throw error;
        }
        comparison = await attempt.compare();
        return attempt.done(comparison) ? {} : { busy: true };
      }
    },
    (state) =>
      state.busy === true
        ? { done: false, text: "waiting for an import an earlier run started" }
        : {
            done: true,
            text: state.importId === undefined ? "an earlier run's import brought it" : "started",
          },
    wait,
    `an import into skill ${skillId} (development stage), started by an earlier run, is still under way; ` +
      "run the command again once it has finished (it recognises the imported package and does not import twice)",
  );
  return { comparison, ...(outcome.importId === undefined ? {} : { importId: outcome.importId }) };
}

/** What to resume with when the import's wait times out. */
const RESUME =
  "run the command again to resume: it recognises the package once the import has finished and does not import twice";

/**
 * Follows the import until it has applied and every locale is built. The first failed resource ends the wait
 * with the errors of every resource failed by then, and says what took effect.
 */
export async function waitForImport(
  packages: SkillPackagePort,
  importId: string,
  locales: readonly string[],
  wait: WaitOptions,
): Promise<PackageImport> {
  return waitUntil(
    locales.length === 0
      ? `Importing the skill package (import ${importId}; no interaction model to build)`
      : `Importing the skill package (import ${importId}; building ${locales.join(", ")})`,
    () => packages.getImport(importId),
    (state) => {
      const failed = state.resources.filter((resource) => isFailure(resource.status));
      if (failed.length > 0 || isFailure(state.status)) {
        throw importFailure(state);
      }
      if (state.status === "SUCCEEDED") {
        return { done: true, text: locales.length === 0 ? "imported" : `imported, ${locales.length} built` };
      }
      const done = state.resources.filter((resource) => resource.status === "SUCCEEDED").length;
      const waiting = state.resources
        .filter((resource) => resource.status === "IN_PROGRESS")
        .map((resource) => resource.locale ?? resource.file);
      return {
        done: false,
        text:
          state.resources.length === 0
            ? "in progress"
            : `${done}/${state.resources.length} done${waiting.length === 0 ? "" : `, waiting for ${waiting.join(", ")}`}`,
      };
    },
    wait,
    RESUME,
  );
}

function isFailure(status: PackageImport["status"]): boolean {
  return status === "FAILED" || status === "ROLLBACK_FAILED" || status === "ROLLBACK_SUCCEEDED";
}

/** The import's failure: each failed resource's errors with file and JSON path, and what took effect. */
function importFailure(state: PackageImport): ModelBuildError {
  const failures: Record<string, BuildError[]> = {};
  if (state.errors.length > 0) {
    failures.package = state.errors.map((e) => ({ ...e }));
  }
  for (const resource of state.resources.filter((r) => isFailure(r.status))) {
    failures[resource.locale ?? (resource.file === "skill.json" ? "manifest" : resource.name)] = (
      resource.errors.length > 0
        ? resource.errors
        : [{ message: `${resource.status} without an error message` }]
    ).map((e) => ({ ...e, file: resource.file }));
  }
  if (Object.keys(failures).length === 0) {
    failures.package = [{ message: `the import ended ${state.status} without an error message` }];
  }
  const filesWith = (...statuses: PackageImport["status"][]) =>
    state.resources.filter((r) => statuses.includes(r.status)).map((r) => r.file);
  const tookEffect = filesWith("SUCCEEDED", "ROLLBACK_FAILED");
  const underWay = filesWith("IN_PROGRESS");
  const onlyBuilds = Object.keys(failures).every((part) => /^[a-z]{2}-[A-Z]{2}$/.test(part));
  const note =
    tookEffect.length === 0 && underWay.length === 0
      ? "Nothing of the package took effect: the development stage is as it was. Fix the package, then deploy again."
      : `The development stage is half-imported: ${tookEffect.join(", ") || "nothing"} took effect before the failure` +
        `${underWay.length === 0 ? "" : ` (${underWay.join(", ")} still being imported)`}. ` +
        "Fix the package, then deploy again to import it whole.";
  return new ModelBuildError(
    failures,
    onlyBuilds ? undefined : `The import of the skill package (import ${state.id}) failed`,
    note,
  );
}

export async function pendingCertification(
  skills: SkillsPort,
  skillId: string,
): Promise<{ id?: string } | undefined> {
  const certifications = await skills.listCertifications(skillId);
  const newest = certifications[0];
  return newest?.status === "IN_PROGRESS" ? { id: newest.id } : undefined;
}
