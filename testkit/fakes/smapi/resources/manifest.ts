/**
 * The skill manifest and the skill's status: a manifest write starts an update job, and each status read
 * moves that job and the model builds on by one poll, as the CLI's polling loop sees them. A manifest naming a
 * `file://` icon is refused (INVALID_URL_FORMAT), as the API refuses it: such icons go up in a package import.
 */
import {
  badRequest,
  errorReply,
  isObject,
  isRefusal,
  readableStage,
  stageForWrite,
  type FakeContext,
  type SkillRoutes,
} from "../context";
import { documentOf, newJob, pollJob, type FakeError } from "../state";

/** An INVALID_URL_FORMAT violation for every `file://` icon, worded as the Skill Management API words it. */
function fileIconViolations(manifest: Record<string, unknown>): FakeError[] {
  const locales = (manifest.publishingInformation as { locales?: Record<string, Record<string, unknown>> })
    ?.locales;
  const violations: FakeError[] = [];
  for (const [locale, entry] of Object.entries(locales ?? {})) {
    for (const field of ["smallIconUri", "largeIconUri"]) {
      const value = entry?.[field];
      if (typeof value === "string" && value.startsWith("file://")) {
        violations.push({
          code: "INVALID_URL_FORMAT",
          message:
            `String instance with value "${value}" at property path ` +
            `"$.manifest.publishingInformation.locales.${locale}.${field}" is not a valid URL.`,
        });
      }
    }
  }
  return violations;
}

/**
 * The violations of a manifest's smart-home interface, each naming its property path, as the API's schema has
 * them: `protocolVersion` is required, and every endpoint is a Lambda ARN (`LambdaEndpoint` takes `^(arn)` URIs
 * only: Alexa calls smart-home skills through Lambda alone).
 */
export function smartHomeViolations(
  manifest: Record<string, unknown>,
): { code: string; message: string; path: string }[] {
  const smartHome = (manifest.apis as { smartHome?: unknown } | undefined)?.smartHome;
  if (!isObject(smartHome)) return [];
  const missing =
    smartHome.protocolVersion === undefined
      ? [
          {
            code: "MISSING_REQUIRED_PROPERTY",
            message:
              'Object instance at property path "$.manifest.apis.smartHome" is missing property protocolVersion.',
            path: "$.manifest.apis.smartHome.protocolVersion",
          },
        ]
      : [];
  const endpoints: [string, unknown][] = [["$.manifest.apis.smartHome.endpoint.uri", smartHome.endpoint]];
  for (const [region, entry] of Object.entries(isObject(smartHome.regions) ? smartHome.regions : {})) {
    endpoints.push([
      `$.manifest.apis.smartHome.regions.${region}.endpoint.uri`,
      isObject(entry) ? entry.endpoint : undefined,
    ]);
  }
  return [
    ...missing,
    ...endpoints.flatMap(([path, endpoint]) => {
      const uri = isObject(endpoint) ? endpoint.uri : undefined;
      return uri === undefined || (typeof uri === "string" && uri.startsWith("arn"))
        ? []
        : [
            {
              code: "STRING_PATTERN_MISMATCH",
              message: `String instance with value "${String(uri)}" at property path "${path}" does not match the pattern "^(arn)".`,
              path,
            },
          ];
    }),
  ];
}

/** Handlers for reading and updating the manifest, and for the status that reports updates and builds. */
export function manifestRoutes({
  knobs,
}: FakeContext): SkillRoutes<"getManifest" | "updateManifest" | "getSkillStatus"> {
  return {
    getManifest: (request, skill) => {
      const document = readableStage(skill, request.params.stageV2)?.manifest;
      if (document === undefined) {
        return errorReply(404, `Skill ${skill.skillId} has no ${request.params.stageV2} stage.`);
      }
      return { status: 200, body: document.value, headers: { etag: document.etag } };
    },
    updateManifest: (request, skill) => {
      const stage = stageForWrite(request, skill, (development) => development.manifest);
      if (isRefusal(stage)) return stage;
      const body = request.body;
      if (!isObject(body) || !isObject(body.manifest)) {
        return badRequest("The request body must be a manifest envelope { manifest: { … } }.", [
          {
            code: "MISSING_REQUIRED_PROPERTY",
            message: "Object instance at path $ is missing property manifest",
          },
        ]);
      }
      const endpoint = (body.manifest as { apis?: { custom?: { endpoint?: Record<string, unknown> } } }).apis
        ?.custom?.endpoint;
      if (
        endpoint !== undefined &&
        typeof endpoint.uri === "string" &&
        endpoint.uri.startsWith("https://") &&
        !["Wildcard", "SelfSigned", "Trusted"].includes(String(endpoint.sslCertificateType))
      ) {
        return badRequest("An HTTPS endpoint needs sslCertificateType Wildcard, SelfSigned or Trusted.");
      }
      // A manifest update takes URLs only: a package's `file://` icon goes up inside a package import.
      const violations = [
        ...fileIconViolations(body.manifest),
        ...smartHomeViolations(body.manifest).map(({ code, message }) => ({ code, message })),
      ];
      if (violations.length > 0) {
        return badRequest("Skill manifest is not valid.", violations);
      }
      stage.manifest = documentOf(body);
      const failure = knobs.failingManifest;
      skill.manifestUpdate = newJob(
        knobs.buildPolls,
        failure === undefined ? "SUCCEEDED" : "FAILED",
        failure,
      );
      return {
        status: 202,
        headers: {
          location: `/v1/skills/${skill.skillId}/status?resource=manifest`,
        },
      };
    },
    getSkillStatus: (request, skill) => {
      const resource = request.query.get("resource");
      const body: Record<string, unknown> = {};
      if (resource === null || resource === "manifest") {
        if (skill.manifestUpdate !== undefined) {
          pollJob(skill.manifestUpdate);
          body.manifest = {
            lastUpdateRequest: { status: skill.manifestUpdate.status, errors: skill.manifestUpdate.errors },
            eTag: skill.stages.development.manifest?.etag,
          };
        }
      }
      // A skill without interaction models (a smart-home skill) has no `interactionModel` in its status at all.
      const hasModels = Object.keys(skill.modelBuilds).length > 0;
      if ((resource === null && hasModels) || resource === "interactionModel") {
        const models: Record<string, unknown> = {};
        for (const [locale, job] of Object.entries(skill.modelBuilds)) {
          pollJob(job);
          models[locale] = {
            lastUpdateRequest: { status: job.status, errors: job.status === "FAILED" ? job.errors : [] },
            eTag: skill.stages.development.models[locale]?.etag,
          };
        }
        body.interactionModel = models;
      }
      return { status: 200, body };
    },
  };
}
