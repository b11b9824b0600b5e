/**
 * {@link SkillPackagePort} over `ask-smapi-sdk` and plain HTTPS: the upload URL, the PUT of the zip to it (an S3
 * presigned URL, so no token goes with it and it is never printed), the import guarded by `If-Match`, the import
 * status with each resource's errors mapped to the package file they come from, and the hosted icons.
 *
 * - The upload URL and the import status are reads (retried while transient); the PUT is idempotent (the same
 *   bytes to the same URL) and retried likewise; the import is never repeated blindly.
 */
import type { v1 } from "ask-smapi-model";
import { isTransient, withRetries } from "../../core/retry";
import type {
  ImportedResource,
  ImportProblem,
  ImportStatus,
  PackageImport,
  SkillPackagePort,
  UploadTarget,
} from "../../ports";
import { header, type SmapiCalls } from "./calls";
import { SmapiError } from "./errors";

/** How long one PUT of the package may take, and one read of a hosted file. */
const UPLOAD_TIMEOUT_MS = 120_000;
const HOSTED_FILE_TIMEOUT_MS = 15_000;
/** Hosted files are icons: anything larger is not one of ours. */
const HOSTED_FILE_LIMIT_BYTES = 10 * 1024 * 1024;

/** A failed PUT, with the status the retry rule reads. */
class UploadRefused extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(`HTTP ${status}${detail === "" ? "" : `: ${detail}`}`);
  }
}

/** The Skill Management API adapter of {@link SkillPackagePort}. */
export class SmapiSkillPackages implements SkillPackagePort {
  constructor(
    private readonly calls: SmapiCalls,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  async createUploadUrl(): Promise<UploadTarget> {
    const response = await this.calls.read("creating an upload URL for the skill package", () =>
      this.calls.client.createUploadUrlV1(),
    );
    if (response.uploadUrl === undefined) {
      throw new SmapiError(
        "The Skill Management API created an upload URL but did not return it",
        "creating an upload URL",
        {},
      );
    }
    return {
      url: response.uploadUrl,
      ...(response.expiresAt === undefined ? {} : { expiresAt: response.expiresAt }),
    };
  }

  async upload(target: UploadTarget, zip: Uint8Array): Promise<void> {
    // The URL carries its own signature: the host is all a message may show of it.
    const host = safeHost(target.url);
    try {
      await withRetries(
        () => this.put(target.url, zip),
        this.calls.policy,
        (error) => (error instanceof UploadRefused ? isTransient({ status: error.status }) : true),
      );
    } catch (error) {
      if (error instanceof UploadRefused) {
        const valid = target.expiresAt === undefined ? "" : ` (it was valid until ${target.expiresAt})`;
        throw new SmapiError(
          error.status === 403
            ? `The upload URL at ${host} refused the skill package (403${error.detail === "" ? "" : ` ${error.detail}`}): ` +
                `an upload URL is valid for a short time only${valid}. Nothing was imported; run the command ` +
                "again for a new URL."
            : `The upload URL at ${host} refused the skill package (${error.status}${error.detail === "" ? "" : ` ${error.detail}`}). ` +
                "Nothing was imported; run the command again.",
          "uploading the skill package",
          { statusCode: error.status, resource: `the upload URL at ${host}` },
        );
      }
      throw new SmapiError(
        `Could not reach the upload URL at ${host} to put the skill package (${(error as Error).message}). ` +
          "Nothing was imported; check the network and run the command again.",
        "uploading the skill package",
        { cause: error, resource: `the upload URL at ${host}` },
      );
    }
  }

  async importPackage(skillId: string, location: string, ifMatch?: string): Promise<string> {
    const what = `skill ${skillId} (development stage)`;
    const response = await this.calls.once(
      `importing the skill package into ${what}`,
      () => this.calls.client.callImportSkillPackageV1({ location }, skillId, ifMatch),
      { resource: what, stage: "development" },
    );
    // `Location` names the import: `/v1/skills/imports/{importId}`.
    const id = /\/imports\/([^/?#]+)/.exec(header(response, "location") ?? "")?.[1];
    if (id === undefined) {
      throw new SmapiError(
        `The Skill Management API accepted the import into ${what} but named no import to follow: ` +
          "run `skillship status`, then deploy again",
        "importing the skill package",
        {},
      );
    }
    return decodeURIComponent(id);
  }

  async getImport(importId: string): Promise<PackageImport> {
    const response = await this.calls.read(`reading the status of import ${importId}`, () =>
      this.calls.client.getImportStatusV1(importId),
    );
    return {
      id: importId,
      status: (response.status ?? "IN_PROGRESS") as ImportStatus,
      ...(response.skill?.eTag === undefined ? {} : { skillEtag: response.skill.eTag }),
      resources: (response.skill?.resources ?? []).map(resourceOf),
      errors: problems(response.errors),
      warnings: problems(response.warnings),
    };
  }

  async readHostedFile(url: string): Promise<Uint8Array | undefined> {
    try {
      const response = await this.fetchImpl(url, { signal: AbortSignal.timeout(HOSTED_FILE_TIMEOUT_MS) });
      if (!response.ok) return undefined;
      const length = Number(response.headers.get("content-length") ?? "0");
      if (length > HOSTED_FILE_LIMIT_BYTES) return undefined;
      const bytes = new Uint8Array(await response.arrayBuffer());
      return bytes.byteLength > HOSTED_FILE_LIMIT_BYTES ? undefined : bytes;
    } catch {
      return undefined;
    }
  }

  private async put(url: string, zip: Uint8Array): Promise<void> {
    const response = await this.fetchImpl(url, {
      method: "PUT",
      body: zip,
      signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS),
    });
    if (!response.ok) {
      throw new UploadRefused(response.status, s3ErrorOf(await response.text().catch(() => "")));
    }
  }
}

/** The host of a URL, or "(an invalid URL)": never the path's signature. */
function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "(an invalid URL)";
  }
}

/** `Code: Message` of an S3 error document, short; empty for anything else. */
function s3ErrorOf(body: string): string {
  const code = /<Code>([^<]{1,100})<\/Code>/.exec(body)?.[1];
  const message = /<Message>([^<]{1,300})<\/Message>/.exec(body)?.[1];
  return [code, message].filter((part) => part !== undefined).join(": ");
}

function problems(list: v1.skill.StandardizedError[] | undefined): ImportProblem[] {
  return (list ?? []).map((error) => {
    const path = error.validationDetails?.originalInstance?.propertyPath;
    return {
      ...(error.code === undefined ? {} : { code: error.code }),
      message: error.message ?? "(no message)",
      ...(path === undefined ? {} : { path }),
    };
  });
}

/** A resource of the import status, with the package file it comes from. */
function resourceOf(resource: v1.skill.ResourceImportStatus): ImportedResource {
  const name = resource.name ?? "(unnamed resource)";
  const locale = /^InteractionModel\.(.+)$/i.exec(name)?.[1]?.replace("_", "-");
  const file = /^manifest$/i.test(name)
    ? "skill.json"
    : locale !== undefined
      ? `interactionModels/custom/${locale}.json`
      : name;
  return {
    name,
    file,
    ...(locale === undefined ? {} : { locale }),
    status: (resource.status ?? "IN_PROGRESS") as ImportStatus,
    errors: problems(resource.errors),
    warnings: problems(resource.warnings),
  };
}
