/**
 * The release's last look before it submits: the development stage must still hold exactly what the release put
 * there, the repository's manifest with the candidate's endpoint and every locale's model. Another writer of the
 * stage (a beta deployment, `skillship dev --link`, the developer console) could otherwise slip its endpoint or
 * models into the certification submission while the release waited for its builds.
 */
import { OperationError } from "../core/errors";
import { endpointOf } from "../package/endpoint";
import { diffPackages, modelPath, readStagePackage, type PackageContent } from "../package/diff";
import type { SkillsPort } from "../ports";

/** What differs between the development stage and what the release expects it to hold; empty when nothing. */
export async function developmentStageChanges(
  skills: Pick<SkillsPort, "getManifest" | "getInteractionModel">,
  skillId: string,
  pkg: PackageContent,
  endpoint: string,
): Promise<string[]> {
  const stage = await readStagePackage(skills, skillId, "development", Object.keys(pkg.models));
  if (stage === undefined) return ["the development stage has no manifest any more"];
  const changes: string[] = [];
  const actual = endpointOf(stage.manifest);
  if (actual !== endpoint) changes.push(`its endpoint is ${actual ?? "gone"} instead of ${endpoint}`);
  const diff = diffPackages(pkg, stage, "development");
  if (diff.manifest.kind !== "unchanged") changes.push("its manifest differs from skill-package/skill.json");
  for (const [locale, change] of Object.entries(diff.locales)) {
    if (change.kind === "changed") changes.push(`its model for ${locale} differs from ${modelPath(locale)}`);
    if (change.kind === "added") changes.push(`it has no model for ${locale} any more`);
    if (change.kind === "removed")
      changes.push(`it has a model for ${locale} that the repository does not have`);
  }
  return changes;
}

/**
 * Throws an {@link OperationError} (exit 1) naming every change when the development stage no longer holds the
 * release's candidate; nothing has been submitted then.
 */
export async function assertDevelopmentStageUnchanged(
  skills: Pick<SkillsPort, "getManifest" | "getInteractionModel">,
  skillId: string,
  pkg: PackageContent,
  endpoint: string,
): Promise<void> {
  const changes = await developmentStageChanges(skills, skillId, pkg, endpoint);
  if (changes.length === 0) return;
  throw new OperationError(
    `The development stage of skill ${skillId} changed while the release waited, so it was not submitted: ` +
      `${changes.join("; ")}. Another job wrote the stage (a beta deployment, \`skillship dev --link\`, the ` +
      "developer console); once it is done, run the release again: it uploads the candidate again and submits.",
  );
}
