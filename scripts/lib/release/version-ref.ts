/** The version a plan's step works with, named before the plan is applied. */

/** A known version, or the one the plan's publish step produces. */
export type VersionRef = { kind: "existing"; version: string } | { kind: "published" };

/** The version a reference names, for people. */
export function describeVersionRef(ref: VersionRef): string {
  return ref.kind === "existing" ? `version ${ref.version}` : "the version published above";
}
