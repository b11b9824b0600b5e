/**
 * The skill manifest's endpoint: which backend a stage talks to. A Lambda ARN becomes `{ uri }`; an HTTPS URL
 * becomes `{ uri, sslCertificateType }` (Trusted for API Gateway, Wildcard for a tunnel). Endpoints are the one
 * part of the manifest that differs between stages by design, so the differ leaves them out.
 */
import { UsageError } from "../core/errors";

/** The manifest's endpoint object, as the Skill Management API takes it. */
export interface ManifestEndpoint {
  uri: string;
  sslCertificateType?: "Trusted" | "Wildcard" | "SelfSigned";
}

/** A validated endpoint target. */
export interface EndpointTarget {
  kind: "lambda" | "https";
  uri: string;
}

const LAMBDA_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?$/;

/**
 * Validates an endpoint given by `source` (a flag or output name, used in the error): a Lambda function ARN
 * (optionally qualified by an alias) or an `https://` URL.
 */
export function parseEndpoint(value: string, source = "--endpoint"): EndpointTarget {
  const trimmed = value.trim();
  if (LAMBDA_ARN.test(trimmed)) {
    return { kind: "lambda", uri: trimmed };
  }
  let url: URL | undefined;
  try {
    url = new URL(trimmed);
  } catch {
    url = undefined;
  }
  if (url?.protocol === "https:") {
    return { kind: "https", uri: trimmed };
  }
  throw new UsageError(
    `${source} must be a Lambda function ARN (arn:aws:lambda:REGION:ACCOUNT:function:NAME[:ALIAS]) ` +
      `or an https:// URL, got "${value}"`,
  );
}

/** The manifest endpoint for a target. HTTPS endpoints default to a trusted certificate (API Gateway). */
export function manifestEndpoint(
  target: EndpointTarget,
  sslCertificateType: ManifestEndpoint["sslCertificateType"] = "Trusted",
): ManifestEndpoint {
  return target.kind === "lambda" ? { uri: target.uri } : { uri: target.uri, sslCertificateType };
}

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The manifest inside `{ manifest }` (skill.json and the Skill Management API both use that envelope). */
export function manifestBody(document: Json): Json {
  return isRecord(document.manifest) ? document.manifest : document;
}

/**
 * The interfaces whose endpoint the platform writes, in the order it looks for them: a custom skill's, or a
 * smart-home skill's (which has no interaction model and takes a Lambda ARN only).
 */
export const ENDPOINT_INTERFACES = ["custom", "smartHome"] as const;

/** The interface of a manifest whose endpoint the platform writes. */
export type EndpointInterface = (typeof ENDPOINT_INTERFACES)[number];

/** The manifest's custom or smart-home interface (the first declared), or undefined when it has neither. */
export function skillInterface(document: Json): { name: EndpointInterface; api: Json } | undefined {
  const apis = manifestBody(document).apis;
  if (!isRecord(apis)) return undefined;
  for (const name of ENDPOINT_INTERFACES) {
    const api = apis[name];
    if (isRecord(api)) return { name, api };
  }
  return undefined;
}

/** True for a manifest whose skill has no interaction model: a smart-home skill's (`apis.smartHome`). */
export function hasNoInteractionModels(document: Json): boolean {
  return skillInterface(document)?.name === "smartHome";
}

/** The default endpoint URI of the custom (or smart-home) interface, or undefined when the manifest has none. */
export function endpointOf(document: Json | undefined): string | undefined {
  if (document === undefined) return undefined;
  const endpoint = skillInterface(document)?.api.endpoint;
  return isRecord(endpoint) && typeof endpoint.uri === "string" ? endpoint.uri : undefined;
}

/**
 * A copy of the manifest document (envelope kept) whose custom (or smart-home) interface uses `endpoint`, and each
 * of its regions (`regions.<NA|EU|FE>`) the regional endpoint `regional` gives for it, else `endpoint` too. A
 * regional endpoint for a region the manifest does not list adds that region. Throws when the manifest declares
 * neither interface, or gives a smart-home skill an HTTPS endpoint (Alexa calls smart-home skills through Lambda
 * only).
 */
export function withEndpoint(
  document: Json,
  endpoint: ManifestEndpoint,
  file = "skill.json",
  regional: Partial<Record<string, string>> = {},
): Json {
  const copy = structuredClone(document);
  const found = skillInterface(copy);
  if (found === undefined) {
    throw new UsageError(
      `${file}: the manifest declares neither apis.custom nor apis.smartHome: Skillship deploys custom and ` +
        "smart-home skills; declare the skill's interface in manifest.apis",
    );
  }
  if (found.name === "smartHome" && !LAMBDA_ARN.test(endpoint.uri)) {
    throw new UsageError(
      `${file}: manifest.apis.smartHome needs a Lambda function ARN as its endpoint, got "${endpoint.uri}": ` +
        'Alexa calls smart-home skills through AWS Lambda only; deploy the stack with endpointKind "lambda"',
    );
  }
  const api = found.api;
  api.endpoint = { ...endpoint };
  const named = Object.entries(regional).filter((entry): entry is [string, string] => entry[1] !== undefined);
  if (named.length > 0 && !isRecord(api.regions)) api.regions = {};
  if (isRecord(api.regions)) {
    const regions = api.regions;
    for (const [name, uri] of named) {
      if (!isRecord(regions[name])) regions[name] = {};
      (regions[name] as Json).endpoint = { ...endpoint, uri };
    }
    for (const [name, region] of Object.entries(regions)) {
      if (isRecord(region) && regional[name] === undefined) {
        region.endpoint = { ...endpoint };
      }
    }
  }
  return copy;
}

/** A copy of the manifest document without any endpoint (`apis.*.endpoint`, `apis.*.regions.*.endpoint`). */
export function withoutEndpoints(document: Json): Json {
  const copy = structuredClone(document);
  const apis = manifestBody(copy).apis;
  if (!isRecord(apis)) return copy;
  for (const api of Object.values(apis)) {
    if (!isRecord(api)) continue;
    delete api.endpoint;
    if (isRecord(api.regions)) {
      for (const [name, region] of Object.entries(api.regions)) {
        if (!isRecord(region)) continue;
        delete region.endpoint;
        if (Object.keys(region).length === 0) delete api.regions[name];
      }
      if (Object.keys(api.regions).length === 0) delete api.regions;
    }
  }
  return copy;
}
