/**
 * What the local endpoint checks before a request reaches the skill: always that the body is an Alexa request
 * envelope; when the endpoint is reachable from outside (a tunnel, a public `--host`), also the checks Alexa
 * requires of an HTTPS endpoint, done by ask-sdk-express-adapter's verifiers: the request's timestamp (150 s) and
 * its signature, and the skill id it is addressed to.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { RequestEnvelope } from "ask-sdk-model";

/** A request the skill may answer, or why it may not (for the log) and the status to answer with. */
export type Acceptance = { ok: true; envelope: RequestEnvelope } | { ok: false; status: 400; reason: string };

/** How old a request's timestamp may be, as Alexa requires of HTTPS endpoints. */
export const TIMESTAMP_TOLERANCE_MS = 150_000;

// The fields every skill relies on, each a non-empty string.
const REQUIRED_FIELDS = [
  ["version"],
  ["request", "type"],
  ["request", "requestId"],
  ["request", "timestamp"],
  ["context", "System", "application", "applicationId"],
] as const;

/** The body as a request envelope, or the first field it lacks. */
export function parseEnvelope(body: Buffer | string): Acceptance {
  let value: unknown;
  try {
    value = JSON.parse(typeof body === "string" ? body : body.toString("utf8"));
  } catch (error) {
    return { ok: false, status: 400, reason: `malformed JSON: ${(error as Error).message}` };
  }
  for (const field of REQUIRED_FIELDS) {
    let current = value;
    for (const key of field) {
      current =
        typeof current === "object" && current !== null
          ? (current as Record<string, unknown>)[key]
          : undefined;
    }
    if (typeof current !== "string" || current === "") {
      return { ok: false, status: 400, reason: `not an Alexa request: ${field.join(".")} is missing` };
    }
  }
  return { ok: true, envelope: value as RequestEnvelope };
}

/** Checks a raw request as Alexa requires of a skill hosted as a web service. */
export interface RequestVerifier {
  verify(body: Buffer, headers: IncomingHttpHeaders): Promise<Acceptance>;
}

/** Options of {@link createRequestVerifier}. */
export interface RequestVerifierOptions {
  /** When set, requests addressed to another skill are refused. */
  skillId?: string;
  /** Certificate chains (PEM) trusted as they are, by `SignatureCertChainUrl` (tests sign with their own). */
  trustedCertificates?: ReadonlyMap<string, string>;
}

type Verifiers = typeof import("ask-sdk-express-adapter/dist/verifier/index.js");

/** The verifier of a reachable local endpoint. One per endpoint: it caches downloaded certificate chains. */
export function createRequestVerifier(options: RequestVerifierOptions = {}): RequestVerifier {
  let checks:
    | Promise<{
        signature: { verify(body: string, headers: IncomingHttpHeaders): Promise<unknown> };
        timestamp: { verify(body: string): Promise<unknown> };
      }>
    | undefined;
  const load = async () => {
    // node-forge comes with the signature verifier: loaded on the first request, not when the CLI starts.
    const { SkillRequestSignatureVerifier, TimestampVerifier }: Verifiers =
      await import("ask-sdk-express-adapter/dist/verifier/index.js");
    const signature = new SkillRequestSignatureVerifier();
    // The verifier keeps chains in a protected cache; filling it is how a chain is trusted without a download.
    const cache = (signature as unknown as { certCache: Map<string, string> }).certCache;
    for (const [url, pem] of options.trustedCertificates ?? []) cache.set(url, pem);
    return { signature, timestamp: new TimestampVerifier(TIMESTAMP_TOLERANCE_MS) };
  };
  return {
    async verify(body, headers) {
      const parsed = parseEnvelope(body);
      if (!parsed.ok) return parsed;
      const addressee = parsed.envelope.context.System.application.applicationId;
      if (options.skillId !== undefined && addressee !== options.skillId) {
        return { ok: false, status: 400, reason: `request addressed to skill ${addressee}` };
      }
      checks ??= load();
      const { signature, timestamp } = await checks;
      const text = body.toString("utf8");
      for (const [what, check] of [
        ["timestamp", () => timestamp.verify(text)],
        ["signature", () => signature.verify(text, headers)],
      ] as const) {
        try {
          await check();
        } catch (error) {
          return {
            ok: false,
            status: 400,
            reason: `${what} check failed: ${error instanceof Error ? error.message : String(error)}`,
          };
        }
      }
      return parsed;
    },
  };
}
