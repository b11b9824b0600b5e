/**
 * Waiting for the development stage to take a manifest update (an endpoint moved on its own), and the error that
 * lists what failed, part by part: a manifest update, the builds of several locales, or a package import's
 * resources (with file and JSON path). Every wait in the platform that watches `getSkillStatus` goes through here.
 */
import { OperationError } from "../core/errors";
import { waitUntil, type WaitOptions } from "../core/wait";
import type { BuildError, SkillsPort } from "../ports";

/** One or more locales' builds (or the manifest update) failed; each failure's errors are listed. */
export class ModelBuildError extends OperationError {
  readonly failures: Record<string, BuildError[]>;

  constructor(failures: Record<string, BuildError[]>, title?: string, note?: string) {
    const lines = Object.entries(failures).map(([part, errors]) => {
      const file = errors.find((e) => e.file !== undefined)?.file;
      return `  ${part}${file === undefined ? "" : ` (${file})`}:\n${(errors.length > 0
        ? errors
        : [{ message: "failed without an error message" } as BuildError]
      )
        .map(
          (e) =>
            `    - ${e.path === undefined ? "" : `${e.path}: `}${e.code === undefined ? "" : `${e.code}: `}${e.message}`,
        )
        .join("\n")}`;
    });
    const locales = Object.keys(failures).filter((part) => part !== "manifest");
    const heading =
      title ??
      (locales.length === 0
        ? "The manifest update failed"
        : `The interaction model build failed for ${locales.join(", ")}`);
    super(`${heading}:\n${lines.join("\n")}${note === undefined ? "" : `\n${note}`}`, {
      resource: `the development stage (${Object.keys(failures).join(", ")})`,
    });
    this.failures = failures;
  }
}

/** What to resume with when a wait times out: the command the person ran. */
const RESUME = "run the command again to resume waiting";

/**
 * Waits until the development stage's latest manifest update has succeeded, shown as `label`. A failed update
 * is a {@link ModelBuildError} headed `failure` (default "The manifest update failed").
 */
export async function waitForManifestUpdate(
  skills: SkillsPort,
  skillId: string,
  wait: WaitOptions,
  shown: { label: string; failure?: string },
): Promise<void> {
  await waitUntil(
    shown.label,
    () => skills.getSkillStatus(skillId),
    (status) => {
      const state = status.manifest;
      if (state?.status === "FAILED") {
        throw new ModelBuildError({ manifest: state.errors }, shown.failure);
      }
      return {
        done: state === undefined || state.status === "SUCCEEDED",
        text: state === undefined || state.status === "SUCCEEDED" ? "updated" : "in progress",
      };
    },
    wait,
    RESUME,
  );
}
