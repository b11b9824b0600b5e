import type { IncomingHttpHeaders } from "node:http";
import type { RequestEnvelope } from "ask-sdk-model";
import { applicationIdOf, envelopeProblem } from "./envelope";

/** Largest request body accepted, in bytes; Alexa's requests are a few KB, anything far larger is refused (413). */
export const MAX_REQUEST_BYTES = 128 * 1024;

/** How old a request's timestamp may be, as Alexa requires of HTTPS endpoints. */
export const TIMESTAMP_TOLERANCE_MS = 150_000;

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
  /**
   * Certificate chains (PEM) already trusted, by their `SignatureCertChainUrl`: they are used as they are, neither
   * downloaded nor validated again. For tests and for pinning; Alexa's own chains are downloaded and validated.
   */
  readonly trustedCertificates?: ReadonlyMap<string, string>;
  /** Check the request signature (default true). Only a loopback-only local endpoint may turn it off. */
  readonly checkSignature?: boolean;
  /** Body size limit in bytes (default {@link MAX_REQUEST_BYTES}). */
  readonly maxBytes?: number;
}

/** Verifies raw HTTPS requests as Alexa requires of skills hosted as a web service. */
export interface RequestVerifier {
  /** Checks size, JSON, envelope shape, skill id, timestamp (150 s) and signature, in that order. */
  verify(body: string | Buffer, headers: IncomingHttpHeaders): Promise<VerificationResult>;
}

type Adapter = typeof import("ask-sdk-express-adapter/dist/verifier/index.js");
let adapterModule: Promise<Adapter> | undefined;

// The verifiers pull in node-forge, heavy to load: only the HTTPS path pays for it, on its first request. The
// verifier module is imported directly because the package index also loads Express's body parser.
function loadAdapter(): Promise<Adapter> {
  adapterModule ??= import("ask-sdk-express-adapter/dist/verifier/index.js");
  return adapterModule;
}

interface Verifiers {
  readonly signature: { verify(body: string, headers: IncomingHttpHeaders): Promise<unknown> };
  readonly timestamp: { verify(body: string): Promise<unknown> };
}

async function createVerifiers(trusted: ReadonlyMap<string, string>): Promise<Verifiers> {
  const { SkillRequestSignatureVerifier, TimestampVerifier } = await loadAdapter();
  // The verifier keeps downloaded chains in a protected cache; pre-filling it is how a chain is trusted as is.
  class PrefilledSignatureVerifier extends SkillRequestSignatureVerifier {
    constructor() {
      super();
      for (const [url, pem] of trusted) this.certCache.set(url, pem);
    }
  }
  return {
    signature: new PrefilledSignatureVerifier(),
    timestamp: new TimestampVerifier(TIMESTAMP_TOLERANCE_MS),
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Creates a request verifier. One per process: the signature verifier caches the certificate chains it downloads.
 */
export function createRequestVerifier(options: RequestVerifierOptions = {}): RequestVerifier {
  const maxBytes = options.maxBytes ?? MAX_REQUEST_BYTES;
  const checkSignature = options.checkSignature ?? true;
  let verifiers: Promise<Verifiers> | undefined;

  return {
    async verify(body, headers) {
      const size = typeof body === "string" ? Buffer.byteLength(body) : body.length;
      if (size > maxBytes) {
        return { ok: false, status: 413, reason: `request body of ${size} bytes exceeds ${maxBytes} bytes` };
      }
      const text = typeof body === "string" ? body : body.toString("utf8");
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        return { ok: false, status: 400, reason: `malformed JSON: ${messageOf(error)}` };
      }
      const problem = envelopeProblem(parsed);
      if (problem !== undefined)
        return { ok: false, status: 400, reason: `not an Alexa request: ${problem}` };
      const envelope = parsed as RequestEnvelope;
      if (options.skillId !== undefined && applicationIdOf(envelope) !== options.skillId) {
        return { ok: false, status: 400, reason: `request addressed to skill ${applicationIdOf(envelope)}` };
      }
      verifiers ??= createVerifiers(options.trustedCertificates ?? new Map());
      const { signature, timestamp } = await verifiers;
      try {
        await timestamp.verify(text);
      } catch (error) {
        return { ok: false, status: 400, reason: `timestamp check failed: ${messageOf(error)}` };
      }
      if (checkSignature) {
        try {
          await signature.verify(text, headers);
        } catch (error) {
          return { ok: false, status: 400, reason: `signature check failed: ${messageOf(error)}` };
        }
      }
      return { ok: true, envelope };
    },
  };
}
