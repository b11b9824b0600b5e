/**
 * AWS Signature Version 4 for the two S3 requests the skill makes: a presigned GET URL per clip (query
 * authentication) and a ListObjectsV2 page (header authentication). Hashes come from ./sha256.ts (WebAssembly).
 *
 * Deliberately neither the AWS SDK's signer nor aws4: on a cold start each costs several milliseconds before the
 * first signature (node:crypto and its streams, URL and query-string parsing, header normalisation for every AWS
 * service), a third of the skill's whole start-up budget, for two request shapes that fit on a page. The tests hold
 * this code to AWS's published S3 examples and to @smithy/signature-v4, which the fake S3 uses to check every
 * request.
 */
import { hmacSha256 as hmac, sha256 as hash } from "./sha256";

/** Credentials as Lambda provides them. */
export interface SigV4Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** One request to sign. */
export interface SigV4Request {
  readonly method: string;
  /** Host header value: hostname, and port when not the default. */
  readonly host: string;
  /** The path, already URI-encoded (each segment once, as S3 wants it). */
  readonly path: string;
  /** Query parameters, not encoded. */
  readonly query?: Readonly<Record<string, string>>;
  readonly region: string;
  readonly service: string;
  /** Signing time in milliseconds since the epoch. */
  readonly time: number;
}

const ALGORITHM = "AWS4-HMAC-SHA256";
/** sha256 of the empty body, the payload hash of a GET. */
const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

const utf8 = (text: string): Uint8Array => Buffer.from(text, "utf8");
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");

/** RFC 3986 encoding, as SigV4 wants it: unreserved characters kept, everything else percent-encoded. */
export function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** SigV4's timestamp format: 20260101T120000Z. */
function amzDate(milliseconds: number): string {
  return new Date(milliseconds).toISOString().replace(/[:-]|\.\d{3}/g, "");
}

/** A query in SigV4's canonical form (encoded, sorted), which is also what goes into the request's URL. */
export function canonicalQuery(query: Readonly<Record<string, string>>): string {
  return Object.entries(query)
    .map(([name, value]) => [uriEncode(name), uriEncode(value)])
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join("&");
}

// The signing key depends only on the secret, the day, the region and the service: four HMACs saved per
// signature for the rest of the day.
let signingKeyCache: { readonly id: string; readonly key: Uint8Array } | undefined;

function signingKey(secret: string, day: string, region: string, service: string): Uint8Array {
  const id = `${day}/${region}/${service}/${secret}`;
  if (signingKeyCache?.id !== id) {
    let key = hmac(utf8(`AWS4${secret}`), utf8(day));
    for (const part of [region, service, "aws4_request"]) key = hmac(key, utf8(part));
    signingKeyCache = { id, key };
  }
  return signingKeyCache.key;
}

/** The signing time in SigV4's format and the credential scope of a request, computed once per signature. */
interface Stamp {
  readonly date: string;
  readonly scope: string;
}

function stampOf(request: SigV4Request): Stamp {
  const date = amzDate(request.time);
  return { date, scope: `${date.slice(0, 8)}/${request.region}/${request.service}/aws4_request` };
}

/** The signature of the canonical request made of `query`, `headers` and `payloadHash`. */
function sign(
  request: SigV4Request,
  stamp: Stamp,
  credentials: SigV4Credentials,
  query: Readonly<Record<string, string>>,
  headers: Readonly<Record<string, string>>,
  payloadHash: string,
): string {
  const names = Object.keys(headers).sort();
  const canonical = [
    request.method,
    request.path,
    canonicalQuery(query),
    ...names.map((name) => `${name}:${headers[name].trim().replace(/\s+/g, " ")}`),
    "",
    names.join(";"),
    payloadHash,
  ].join("\n");
  const stringToSign = [ALGORITHM, stamp.date, stamp.scope, hex(hash(utf8(canonical)))].join("\n");
  const key = signingKey(credentials.secretAccessKey, stamp.date.slice(0, 8), request.region, request.service);
  return hex(hmac(key, utf8(stringToSign)));
}

/**
 * The query string of a presigned URL (without `?`): the request's parameters, the X-Amz-* ones and the
 * signature, valid for `expiresSeconds` from `request.time`. Only the host header is signed and the payload is
 * unsigned, as S3 presigned GETs are.
 */
export function presignQuery(request: SigV4Request, credentials: SigV4Credentials, expiresSeconds: number): string {
  const stamp = stampOf(request);
  const query: Record<string, string> = {
    ...request.query,
    "X-Amz-Algorithm": ALGORITHM,
    "X-Amz-Credential": `${credentials.accessKeyId}/${stamp.scope}`,
    "X-Amz-Date": stamp.date,
    "X-Amz-Expires": String(expiresSeconds),
    "X-Amz-SignedHeaders": "host",
  };
  if (credentials.sessionToken !== undefined) query["X-Amz-Security-Token"] = credentials.sessionToken;
  const signature = sign(request, stamp, credentials, query, { host: request.host }, "UNSIGNED-PAYLOAD");
  return `${canonicalQuery(query)}&X-Amz-Signature=${signature}`;
}

/**
 * The headers that authenticate a request without a body: host, x-amz-date, x-amz-content-sha256, the session
 * token when there is one, and authorization.
 */
export function signedHeaders(request: SigV4Request, credentials: SigV4Credentials): Record<string, string> {
  const stamp = stampOf(request);
  const headers: Record<string, string> = {
    host: request.host,
    "x-amz-content-sha256": EMPTY_SHA256,
    "x-amz-date": stamp.date,
  };
  if (credentials.sessionToken !== undefined) headers["x-amz-security-token"] = credentials.sessionToken;
  const signature = sign(request, stamp, credentials, request.query ?? {}, headers, EMPTY_SHA256);
  return {
    ...headers,
    authorization:
      `${ALGORITHM} Credential=${credentials.accessKeyId}/${stamp.scope}, ` +
      `SignedHeaders=${Object.keys(headers).sort().join(";")}, Signature=${signature}`,
  };
}
