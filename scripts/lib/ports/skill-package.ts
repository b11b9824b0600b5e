/**
 * The skill package as the Skill Management API takes it whole: an upload URL, the zip put there, the import of
 * that zip into a skill (guarded by the skill's ETag) and the import's status, resource by resource; and the
 * files the service hosts for a skill (the icons a manifest names by URL once imported).
 * `adapters/smapi` implements it over `ask-smapi-sdk` and plain HTTPS.
 */

/** Where to put a package: a presigned URL, valid until `expiresAt`. */
export interface UploadTarget {
  /** A bearer URL: whoever holds it can write there until it expires. Never printed. */
  url: string;
  /** ISO-8601, when the service says. */
  expiresAt?: string;
}

/** The status of an import and of each resource it imports, as the Skill Management API reports them. */
export type ImportStatus =
  "IN_PROGRESS" | "SUCCEEDED" | "FAILED" | "ROLLBACK_SUCCEEDED" | "ROLLBACK_FAILED" | "SKIPPED";

/** One error or warning of an import: what, and where in which file of the package. */
export interface ImportProblem {
  code?: string;
  message: string;
  /** The JSON path inside the resource's file, e.g. `$.manifest.publishingInformation.locales.en-US.smallIconUri`. */
  path?: string;
}

/** One resource of the skill an import touches: the manifest, or one locale's interaction model. */
export interface ImportedResource {
  /** As the service names it: `Manifest`, `InteractionModel.en-US`, … */
  name: string;
  /** The package file it comes from: `skill.json`, `interactionModels/custom/en-US.json`, or the name itself. */
  file: string;
  /** The locale, for an interaction model. */
  locale?: string;
  status: ImportStatus;
  errors: ImportProblem[];
  warnings: ImportProblem[];
}

/** Where an import stands. */
export interface PackageImport {
  id: string;
  status: ImportStatus;
  /** The skill's ETag once the import has applied. */
  skillEtag?: string;
  resources: ImportedResource[];
  /** Errors and warnings about the package as a whole. */
  errors: ImportProblem[];
  warnings: ImportProblem[];
}

/** The calls that put a skill package up whole. */
export interface SkillPackagePort {
  /** A new presigned URL to put one package. */
  createUploadUrl(): Promise<UploadTarget>;
  /** Puts the zip at the URL (HTTP PUT). A refusal (403: expired or not ours) is an error naming the URL's host. */
  upload(target: UploadTarget, zip: Uint8Array): Promise<void>;
  /**
   * Starts importing the package at `location` into the skill's development stage; returns the import's id.
   * Refused (412) when `ifMatch` is not the skill's current ETag, (409) while the stage is locked.
   */
  importPackage(skillId: string, location: string, ifMatch?: string): Promise<string>;
  getImport(importId: string): Promise<PackageImport>;
  /**
   * The bytes of a file the service hosts for a skill (an icon URL of an imported manifest); undefined when it
   * cannot be read, for whatever reason: callers then treat it as different from anything they hold.
   */
  readHostedFile(url: string): Promise<Uint8Array | undefined>;
}
