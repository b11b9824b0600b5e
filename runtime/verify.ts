/**
 * The checks Alexa requires of a skill hosted as a web service, cheapest first: body size, JSON, envelope shape,
 * skill id, timestamp (150 s either way), then the request signature. The signature check (`./signature`) is
 * loaded on the first request that gets that far, so the Lambda entry point, which never verifies, never loads it.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { RequestEnvelope } from "ask-sdk-model";
import { applicationIdOf, envelopeProblem } from "./envelope";
import type { CertificateOptions, SignatureChecker } from "./signature";

type SignatureModule = typeof import("./signature");

/**
 * The signature check, required on first use: in the Lambda bundle it is a chunk of its own (see
 * `scripts/lib/build/bundle.ts`) that the direct-invocation entry point never loads.
 */
function loadSignatureModule(): SignatureModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a require, so that loading waits for first use
  return require("./signature") as SignatureModule;
}

export type { CertificateOptions } from "./signature";

/** Largest request body accepted, in bytes; Alexa's requests are a few KB, anything far larger is refused (413). */
export const MAX_REQUEST_BYTES: number = 128 * 1024;

/** How far a request's timestamp may be from now, either way, as Alexa requires of HTTPS endpoints. */
export const TIMESTAMP_TOLERANCE_MS = 150_000;

/**
 * Skill events (enablement, permission changes, account linking) may be delivered up to an hour late, as Alexa
 * documents; a timestamp in the future is held to {@link TIMESTAMP_TOLERANCE_MS} for them too.
 */
export const SKILL_EVENT_TOLERANCE_MS = 3_600_000;

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})$/;

/** A request that passed every check, with its parsed envelope. */
export interface AcceptedRequest {
  readonly ok: true;
  readonly envelope: RequestEnvelope;
}

/** A refused request: the HTTP status to answer and why (for the log, not for the caller). */
export interface RefusedRequest {
  readonly ok: false;
  readonly status: 400 | 413;
  readonly reason: string;
}

/** Outcome of {@link RequestVerifier.verify}. */
export type VerificationResult = AcceptedRequest | RefusedRequest;

/** Options of {@link createRequestVerifier}. */
export interface RequestVerifierOptions {
  /** When set, requests addressed to any other skill are refused. */
  readonly skillId?: string;
  /** How certificate chains are downloaded and validated (tests serve their own on loopback). */
  readonly certificates?: CertificateOptions;
  /** Check the request signature (default true). Only a loopback-only local endpoint may turn it off. */
  readonly checkSignature?: boolean;
  /** Body size limit in bytes (default {@link MAX_REQUEST_BYTES}). */
  readonly maxBytes?: number;
  /** Milliseconds clock for the timestamp check (and the certificates' validity). */
  readonly now?: () => number;
}

/** Verifies raw HTTPS requests as Alexa requires of skills hosted as a web service. */
export interface RequestVerifier {
  /** Checks size, JSON, envelope shape, skill id, timestamp (150 s either way) and signature, in that order. */
  verify(body: string | Buffer, headers: IncomingHttpHeaders): Promise<VerificationResult>;
}

/**
 * Why the request's timestamp is refused, or undefined when it is within the tolerance: it must be an ISO 8601
 * time, at most 150 s in the past (an hour for skill events) and at most 150 s in the future.
 */
export function timestampProblem(envelope: RequestEnvelope, now: number): string | undefined {
  const request = envelope.request as { type: string; timestamp?: unknown };
  const raw = request.timestamp;
  const at = typeof raw === "string" && ISO_TIMESTAMP.test(raw) ? Date.parse(raw) : Number.NaN;
  if (Number.isNaN(at)) return `request.timestamp ${JSON.stringify(raw)} is not an ISO 8601 time`;
  const age = now - at;
  const pastTolerance = request.type.startsWith("AlexaSkillEvent.")
    ? SKILL_EVENT_TOLERANCE_MS
    : TIMESTAMP_TOLERANCE_MS;
  if (age > pastTolerance) {
    return `request.timestamp ${raw} is ${Math.round(age / 1000)} s old (at most ${pastTolerance / 1000} s)`;
  }
  if (-age > TIMESTAMP_TOLERANCE_MS) {
    return `request.timestamp ${raw} is ${Math.round(-age / 1000)} s in the future (at most ${TIMESTAMP_TOLERANCE_MS / 1000} s)`;
  }
  return undefined;
}

/** Creates a request verifier. One per process: the signature check caches the certificate chains it validates. */
export function createRequestVerifier(options: RequestVerifierOptions = {}): RequestVerifier {
  const maxBytes = options.maxBytes ?? MAX_REQUEST_BYTES;
  const checkSignature = options.checkSignature ?? true;
  const now = options.now ?? Date.now;
  let signatures: SignatureChecker | undefined;

  return {
    async verify(body, headers) {
      const size = typeof body === "string" ? Buffer.byteLength(body) : body.length;
      if (size > maxBytes) {
        return { ok: false, status: 413, reason: `request body of ${size} bytes exceeds ${maxBytes} bytes` };
      }
      const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : body;
      let parsed: unknown;
      try {
        parsed = JSON.parse(bytes.toString("utf8"));
      } catch (error) {
        return { ok: false, status: 400, reason: `malformed JSON: ${(error as Error).message}` };
      }
      const problem = envelopeProblem(parsed);
      if (problem !== undefined)
        return { ok: false, status: 400, reason: `not an Alexa request: ${problem}` };
      const envelope = parsed as RequestEnvelope;
      if (options.skillId !== undefined && applicationIdOf(envelope) !== options.skillId) {
        return { ok: false, status: 400, reason: `request addressed to skill ${applicationIdOf(envelope)}` };
      }
      const late = timestampProblem(envelope, now());
      if (late !== undefined) return { ok: false, status: 400, reason: `timestamp check failed: ${late}` };
      if (checkSignature) {
        signatures ??= loadSignatureModule().createSignatureChecker({ now, ...options.certificates });
        const signed = await signatures.check(bytes, headers);
        if (!signed.ok) return { ok: false, status: 400, reason: `signature check failed: ${signed.reason}` };
      }
      return { ok: true, envelope };
    },
  };
}
