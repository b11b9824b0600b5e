/**
 * Waiting for the development stage to take a change: a manifest update, or the interaction-model builds of
 * several locales at once (one status read covers them all, and the first failure ends the wait with the errors
 * of every build that failed by then). Every wait in the platform that watches `getSkillStatus` goes through here.
 */
import { OperationError } from "../core/errors";
import { waitUntil, type WaitOptions } from "../core/wait";
import type { BuildError, SkillsPort, UpdateState } from "../ports";

/** One or more locales' builds (or the manifest update) failed; each failure's errors are listed. */
export class ModelBuildError extends OperationError {
  readonly failures: Record<string, BuildError[]>;

  constructor(failures: Record<string, BuildError[]>, title?: string) {
    const lines = Object.entries(failures).map(
      ([part, errors]) =>
        `  ${part}:\n${(errors.length > 0 ? errors : [{ message: "failed without an error message" }])
          .map((e) => `    - ${e.code === undefined ? "" : `${e.code}: `}${e.message}`)
          .join("\n")}`,
    );
    const locales = Object.keys(failures).filter((part) => part !== "manifest");
    const heading =
      title ??
      (locales.length === 0
        ? "The manifest update failed"
        : `The interaction model build failed for ${locales.join(", ")}`);
    super(`${heading}:\n${lines.join("\n")}`, {
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

/** Waits for the builds of `locales` together and returns each one's last state. */
export async function waitForModelBuilds(
  skills: SkillsPort,
  skillId: string,
  locales: readonly string[],
  wait: WaitOptions,
): Promise<Record<string, UpdateState>> {
  let last: Record<string, UpdateState> = {};
  await waitUntil(
    `Building the interaction model (${locales.join(", ")})`,
    () => skills.getSkillStatus(skillId),
    (status) => {
      last = {};
      const failures: Record<string, BuildError[]> = {};
      const building: string[] = [];
      for (const locale of locales) {
        const state = status.interactionModel[locale] ?? { status: "IN_PROGRESS", errors: [] };
        last[locale] = state;
        if (state.status === "FAILED") failures[locale] = state.errors;
        else if (state.status === "IN_PROGRESS") building.push(locale);
      }
      if (Object.keys(failures).length > 0) throw new ModelBuildError(failures);
      return building.length === 0
        ? { done: true, text: `${locales.length} built` }
        : {
            done: false,
            text: `${locales.length - building.length}/${locales.length} built, waiting for ${building.join(", ")}`,
          };
    },
    wait,
    RESUME,
  );
  return last;
}
