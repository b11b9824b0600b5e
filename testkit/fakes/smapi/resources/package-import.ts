/**
 * The skill package import: an upload URL (the fake's upload target, `uploads.ts`), the import of the zip put
 * there into a skill's development stage (`If-Match` on the manifest's ETag → 412; 409 while the stage is locked
 * by a certification or busy with another import) and its status. After `importPolls` reads the import checks
 * the zip as the service does (skill.json, each model, each `file://` icon: in the zip, a PNG of the right size)
 * and either fails with each resource's errors and JSON path, applying nothing, or applies the manifest (icons
 * now hosted), the models (locales not in the package removed) and starts each locale's build; the import ends
 * when the builds do, failing with the errors of a failed build (the manifest then took effect, as it says).
 */
import { unzipSync } from "fflate";
import {
  errorReply,
  isObject,
  lockedReply,
  type FakeContext,
  type SkillRoutes,
  type VendorRoutes,
} from "../context";
import { documentOf, inCertification, newJob, pollJob, type FakeSkill } from "../state";
import type { FakeUploads } from "../uploads";
import { smartHomeViolations } from "./manifest";

type ImportStatus = "IN_PROGRESS" | "SUCCEEDED" | "FAILED" | "SKIPPED";

interface ImportError {
  code?: string;
  message: string;
  validationDetails?: { originalInstance: { propertyPath: string; dataType: string; value?: string } };
}

interface ImportResource {
  name: string;
  action: "UPDATE";
  status: ImportStatus;
  errors: ImportError[];
  warnings: ImportError[];
}

/** An import of a package into a skill. */
export interface FakeImport {
  id: string;
  skillId: string;
  location: string;
  status: ImportStatus;
  pollsLeft: number;
  applied: boolean;
  /** The locales whose builds the import waits for, once applied. */
  locales: string[];
  resources: ImportResource[];
  errors: ImportError[];
  warnings: ImportError[];
  eTag?: string;
}

const ICON_SIZES: Record<string, number> = { smallIconUri: 108, largeIconUri: 512 };
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const MODEL_FILE = /^interactionModels\/custom\/([a-z]{2}-[A-Z]{2})\.json$/;

function at(code: string, message: string, propertyPath: string, value?: string): ImportError {
  return {
    code,
    message,
    validationDetails: {
      originalInstance: { propertyPath, dataType: "string", ...(value === undefined ? {} : { value }) },
    },
  };
}

function pngSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  if (bytes.byteLength < 24 || PNG_SIGNATURE.some((byte, i) => bytes[i] !== byte)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

function parseJson(bytes: Uint8Array | undefined): unknown {
  if (bytes === undefined) return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
  } catch {
    return null;
  }
}

/** Handlers for upload URLs, imports and their status; `imports` is shared with the test through the fake. */
export function packageImportRoutes(
  { knobs, nextId }: FakeContext,
  uploads: FakeUploads,
  skills: Map<string, FakeSkill>,
  imports: Map<string, FakeImport>,
): VendorRoutes<"createUploadUrl" | "getImportStatus"> &
  SkillRoutes<"importPackage"> & { advanceImports(skill: FakeSkill): void } {
  /** Checks the zip; applies it when nothing is wrong. */
  const apply = (job: FakeImport, skill: FakeSkill): void => {
    const read = uploads.read(job.location);
    let files: Record<string, Uint8Array> = {};
    if ("error" in read) {
      job.errors.push({ code: "INVALID_SKILL_PACKAGE", message: read.error });
    } else {
      try {
        files = unzipSync(read.bytes);
      } catch {
        job.errors.push({
          code: "INVALID_SKILL_PACKAGE",
          message: "The skill package is not a zip archive.",
        });
      }
    }
    if (job.errors.length > 0) {
      job.status = "FAILED";
      return;
    }
    if (files["accountLinking.json"] !== undefined) {
      job.warnings.push({
        code: "UNSUPPORTED_RESOURCE",
        message: "accountLinking.json was not imported: account linking is managed through its own API.",
      });
    }
    const manifestErrors: ImportError[] = [];
    const document = parseJson(files["skill.json"]);
    const manifest = isObject(document) && isObject(document.manifest) ? document.manifest : undefined;
    if (manifest === undefined) {
      manifestErrors.push(
        at(
          "INVALID_SKILL_MANIFEST",
          "skill.json is missing or holds no manifest envelope { manifest }.",
          "$.manifest",
        ),
      );
    }
    for (const violation of manifest === undefined ? [] : smartHomeViolations(manifest)) {
      manifestErrors.push(at(violation.code, violation.message, violation.path));
    }
    const hostedIcons: { locale: string; field: string; bytes: Uint8Array }[] = [];
    const publishing = isObject(manifest?.publishingInformation) ? manifest.publishingInformation : {};
    const locales = isObject(publishing.locales) ? publishing.locales : {};
    for (const [locale, entry] of Object.entries(locales)) {
      if (!isObject(entry)) continue;
      for (const [field, size] of Object.entries(ICON_SIZES)) {
        const uri = entry[field];
        if (typeof uri !== "string" || !uri.startsWith("file://")) continue;
        const path = `$.manifest.publishingInformation.locales.${locale}.${field}`;
        const bytes = files[uri.slice("file://".length)];
        const dimension = bytes === undefined ? undefined : pngSize(bytes);
        if (bytes === undefined) {
          manifestErrors.push(
            at("RESOURCE_NOT_FOUND", `The file ${uri} is not in the skill package.`, path, uri),
          );
        } else if (dimension === undefined) {
          manifestErrors.push(
            at(
              "INVALID_CONTENT_TYPE",
              `${uri} has an invalid content type. Allowed content types: ["image/png"].`,
              path,
              uri,
            ),
          );
        } else if (dimension.width !== size || dimension.height !== size) {
          manifestErrors.push(
            at(
              "INVALID_IMAGE_ATTRIBUTES",
              `${uri} is ${dimension.width}x${dimension.height} pixels; allowed: ${size}x${size}.`,
              path,
              uri,
            ),
          );
        } else {
          hostedIcons.push({ locale, field, bytes });
        }
      }
    }
    const models: Record<string, Record<string, unknown>> = {};
    const modelErrors: Record<string, ImportError[]> = {};
    for (const name of Object.keys(files).sort()) {
      const locale = MODEL_FILE.exec(name)?.[1];
      if (locale === undefined) continue;
      const model = parseJson(files[name]);
      const languageModel =
        isObject(model) && isObject(model.interactionModel)
          ? model.interactionModel.languageModel
          : undefined;
      modelErrors[locale] = [];
      if (!isObject(languageModel) || typeof languageModel.invocationName !== "string") {
        modelErrors[locale].push(
          at(
            "MISSING_REQUIRED_PROPERTY",
            "Object instance at path $.interactionModel.languageModel is missing property invocationName",
            "$.interactionModel.languageModel.invocationName",
          ),
        );
      } else {
        models[locale] = model as Record<string, unknown>;
      }
    }
    const resourceErrors: Record<string, ImportError[]> = { Manifest: manifestErrors };
    for (const [locale, errors] of Object.entries(modelErrors))
      resourceErrors[`InteractionModel.${locale}`] = errors;
    for (const failure of knobs.failingImport ?? []) {
      resourceErrors[failure.resource] = [
        ...(resourceErrors[failure.resource] ?? []),
        ...failure.errors.map((e) =>
          e.propertyPath === undefined
            ? { code: e.code, message: e.message }
            : at(e.code ?? "INVALID", e.message, e.propertyPath),
        ),
      ];
    }
    const failed = Object.values(resourceErrors).some((errors) => errors.length > 0);
    job.resources = Object.entries(resourceErrors).map(([name, errors]) => ({
      name,
      action: "UPDATE",
      status:
        errors.length > 0 ? "FAILED" : failed ? "SKIPPED" : name === "Manifest" ? "SUCCEEDED" : "IN_PROGRESS",
      errors,
      warnings: [],
    }));
    if (failed || manifest === undefined) {
      job.status = "FAILED";
      return;
    }
    const hostedManifest = structuredClone(document) as {
      manifest: { publishingInformation: { locales: Record<string, Record<string, unknown>> } };
    };
    for (const icon of hostedIcons) {
      hostedManifest.manifest.publishingInformation.locales[icon.locale][icon.field] = uploads.host(
        skill.skillId,
        `${icon.locale}_${icon.field}.png`,
        icon.bytes,
      );
    }
    const development = skill.stages.development;
    development.manifest = documentOf(hostedManifest);
    skill.manifestUpdate = { status: "SUCCEEDED", pollsLeft: 0, outcome: "SUCCEEDED", errors: [] };
    for (const locale of Object.keys(development.models)) {
      if (models[locale] === undefined) {
        delete development.models[locale];
        delete skill.modelBuilds[locale];
      }
    }
    for (const [locale, model] of Object.entries(models)) {
      development.models[locale] = documentOf(model);
      const failure = knobs.failingLocales[locale];
      skill.modelBuilds[locale] = newJob(
        knobs.buildPolls,
        failure === undefined ? "SUCCEEDED" : "FAILED",
        failure,
      );
    }
    job.locales = Object.keys(models).sort();
    job.applied = true;
    job.eTag = development.manifest.etag;
  };

  /** Moves the builds the import waits for on by one read, and the import with them. */
  const followBuilds = (job: FakeImport, skill: FakeSkill): void => {
    for (const locale of job.locales) {
      const build = skill.modelBuilds[locale];
      if (build === undefined) continue;
      pollJob(build);
      const resource = job.resources.find((r) => r.name === `InteractionModel.${locale}`);
      if (resource !== undefined) {
        resource.status = build.status;
        resource.errors = build.status === "FAILED" ? build.errors.map((e) => ({ ...e })) : [];
      }
    }
    if (job.resources.some((r) => r.status === "FAILED")) job.status = "FAILED";
    else if (job.resources.every((r) => r.status === "SUCCEEDED")) job.status = "SUCCEEDED";
  };

  /** One read's worth of progress: the package applied once it is due, then its builds. */
  const advance = (job: FakeImport, skill: FakeSkill): void => {
    if (job.status !== "IN_PROGRESS") return;
    if (!job.applied) {
      job.pollsLeft -= 1;
      if (job.pollsLeft > 0) return;
      apply(job, skill);
      if (!job.applied) return;
    }
    // The read that applies the package is the builds' first poll.
    followBuilds(job, skill);
  };

  const running = (skill: FakeSkill): FakeImport[] =>
    [...imports.values()].filter((job) => job.skillId === skill.skillId && job.status === "IN_PROGRESS");

  return {
    // An import goes on whether or not anyone reads its status: each call to its skill is time passing.
    advanceImports: (skill) => running(skill).forEach((job) => advance(job, skill)),
    createUploadUrl: () => {
      const issued = uploads.issue(knobs.uploadUrlTtlMs);
      return { status: 201, body: { uploadUrl: issued.url, expiresAt: issued.expiresAt } };
    },
    importPackage: (request, skill) => {
      if (inCertification(skill)) {
        return lockedReply();
      }
      // The server has moved the imports under way on before this call (`advanceImports`).
      if (running(skill).length > 0) {
        return errorReply(409, "Another import of this skill is in progress.", "CONFLICT");
      }
      const ifMatch = request.headers["if-match"];
      if (typeof ifMatch === "string" && ifMatch !== (skill.stages.development.manifest?.etag ?? "")) {
        return errorReply(412, "Precondition failed: the skill has changed since the given ETag was read.");
      }
      const location = isObject(request.body) ? request.body.location : undefined;
      if (typeof location !== "string") {
        return errorReply(400, "location is required: the URL the skill package was uploaded to.");
      }
      const id = nextId("import");
      imports.set(id, {
        id,
        skillId: skill.skillId,
        location,
        status: "IN_PROGRESS",
        pollsLeft: Math.max(1, knobs.importPolls),
        applied: false,
        locales: [],
        resources: [],
        errors: [],
        warnings: [],
      });
      return { status: 202, headers: { location: `/v1/skills/imports/${id}` } };
    },
    getImportStatus: (request) => {
      const job = imports.get(request.params.importId);
      const skill = job === undefined ? undefined : skills.get(job.skillId);
      if (job === undefined || skill === undefined) {
        return errorReply(404, `No import ${request.params.importId}.`);
      }
      advance(job, skill);
      return {
        status: 200,
        body: {
          status: job.status,
          errors: job.errors,
          warnings: job.warnings,
          skill: {
            skillId: job.skillId,
            ...(job.eTag === undefined ? {} : { eTag: job.eTag }),
            resources: job.resources,
          },
        },
      };
    },
  };
}
