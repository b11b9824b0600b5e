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

/** The interface that carries the skill's endpoint: `apis.custom`, else `apis.smartHome`. */
export function endpointApi(document: Json): { name: "custom" | "smartHome"; api: Json } | undefined {
  const apis = manifestBody(document).apis;
  if (!isRecord(apis)) return undefined;
  if (isRecord(apis.custom)) return { name: "custom", api: apis.custom };
  if (isRecord(apis.smartHome)) return { name: "smartHome", api: apis.smartHome };
  return undefined;
}

/** The default endpoint URI of the skill's interface, or undefined when the manifest has none. */
export function endpointOf(document: Json | undefined): string | undefined {
  if (document === undefined) return undefined;
  const endpoint = endpointApi(document)?.api.endpoint;
  return isRecord(endpoint) && typeof endpoint.uri === "string" ? endpoint.uri : undefined;
}

/**
 * A copy of the manifest document (envelope kept) whose interface (`custom`, else `smartHome`) uses `endpoint`, and each of its
 * regions (`regions.<NA|EU|FE>`) the regional endpoint `regional` gives for it, else `endpoint` too. A regional
 * endpoint for a region the manifest does not list adds that region. Throws when the manifest declares neither
 * interface.
 */
export function withEndpoint(
  document: Json,
  endpoint: ManifestEndpoint,
  file = "skill.json",
  regional: Partial<Record<string, string>> = {},
): Json {
  const copy = structuredClone(document);
  const custom = endpointApi(copy)?.api;
  if (custom === undefined) {
    throw new UsageError(
      `${file}: manifest.apis.custom (or apis.smartHome) is missing: declare the skill's interface in the manifest`,
    );
  }
  custom.endpoint = { ...endpoint };
  const named = Object.entries(regional).filter((entry): entry is [string, string] => entry[1] !== undefined);
  if (named.length > 0 && !isRecord(custom.regions)) custom.regions = {};
  if (isRecord(custom.regions)) {
    const regions = custom.regions;
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
