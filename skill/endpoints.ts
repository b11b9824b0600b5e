import type { IncomingHttpHeaders } from "node:http";
import type { RequestEnvelope, ResponseEnvelope } from "ask-sdk-model";
import { awsCredentialsFromEnv, readSkillConfig } from "./config";
import { elapsedMs } from "./context";
import { assertEnvelope } from "../runtime/envelope";
import { describeError, SkillConfigError } from "./errors";
import { createSkill } from ".";
import { logJsonLine, type SkillLog } from "./log";
import { createS3MediaLibrary } from "./media/s3";
import type { MediaLibrary } from "./media/types";
import { withSignals } from "./metrics";
import { withReadableStack } from "./stack";
import { createRequestVerifier, MAX_REQUEST_BYTES, type CertificateOptions } from "../runtime/verify";

/** The part of an API Gateway HTTP API (payload format 2.0) event the HTTPS handler reads. */
export interface HttpApiEvent {
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
  /** Header names in lower case, as API Gateway delivers them. */
  readonly headers?: Readonly<Record<string, string | undefined>>;
}

/** An API Gateway HTTP API (payload format 2.0) result. */
export interface HttpApiResult {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Alexa invoking the function directly (endpoint kind `lambda`). */
export type DirectHandler = (event: unknown, context?: unknown) => Promise<ResponseEnvelope>;
/** API Gateway forwarding Alexa's HTTPS request (endpoint kind `https`). */
export type HttpsHandler = (event: HttpApiEvent) => Promise<HttpApiResult>;

/** Options of {@link createLambdaHandlers}. */
export interface LambdaHandlerOptions {
  /** The environment to read the configuration from (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Media library to use instead of the configured bucket (tests). */
  readonly media?: MediaLibrary;
  /** Where certificate chains come from and which roots they must lead to (tests serve their own on loopback). */
  readonly certificates?: CertificateOptions;
  readonly log?: SkillLog;
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: "Bad Request",
  413: "Payload Too Large",
};

function answer(statusCode: number, body: unknown): HttpApiResult {
  return {
    statusCode,
    headers: { "content-type": "application/json;charset=UTF-8" },
    body: JSON.stringify(body),
  };
}

/**
 * Builds both entry points over one skill, reading and validating the configuration now: a missing media setting
 * fails here, naming the variable. The skill is built once and reused for the life of the container.
 */
export function createLambdaHandlers(options: LambdaHandlerOptions = {}): {
  handler: DirectHandler;
  httpsHandler: HttpsHandler;
} {
  const env = options.env ?? process.env;
  const config = readSkillConfig(env);
  const log: SkillLog = options.log ?? logJsonLine;
  let media = options.media;
  if (media === undefined) {
    if (config.media.kind !== "s3") {
      throw new SkillConfigError(
        "MEDIA_BUCKET",
        "Environment variable MEDIA_BUCKET is required on Lambda: MEDIA_DIR is served only by the local endpoint.",
      );
    }
    media = createS3MediaLibrary({
      ...config.media,
      credentials: () => awsCredentialsFromEnv(env),
      onRefresh: (result) => {
        if ("error" in result)
          log({ level: "warn", mediaRefresh: "failed", error: describeError(result.error) });
      },
    });
    // Start listing during init: the S3 round trip overlaps the rest of the cold start instead of delaying the
    // first answer. A failure is not kept (see s3.ts): the first request lists again and reports it.
    media.listClips().catch(() => undefined);
  }
  const metricSource = config.metricSource;
  const skill = createSkill({ media, skillId: config.skillId, log, metricSource });
  // A refused request counts as a request of this version too: a version that refuses Alexa must show it.
  const logRefusal = (entry: Record<string, unknown>) =>
    log(withSignals(entry, metricSource, { refused: true }));
  const verifier = createRequestVerifier({
    skillId: config.skillId,
    ...(options.certificates === undefined ? {} : { certificates: options.certificates }),
  });

  const handler: DirectHandler = async (event, context) => {
    try {
      assertEnvelope(event);
    } catch (error) {
      logRefusal({ level: "warn", refused: "event", reason: (error as Error).message });
      throw withReadableStack(error);
    }
    return skill.invoke(event, context);
  };

  const httpsHandler: HttpsHandler = async (event) => {
    const started = process.hrtime.bigint();
    const raw = event.body ?? "";
    // Refuse an oversized base64 body before decoding it.
    const size = event.isBase64Encoded ? Math.floor((raw.length * 3) / 4) : Buffer.byteLength(raw);
    const result =
      size > MAX_REQUEST_BYTES + 2
        ? ({ ok: false, status: 413, reason: `request body of about ${size} bytes is too large` } as const)
        : await verifier.verify(
            event.isBase64Encoded ? Buffer.from(raw, "base64") : raw,
            (event.headers ?? {}) as IncomingHttpHeaders,
          );
    if (!result.ok) {
      logRefusal({
        level: "warn",
        refused: result.status,
        reason: result.reason,
        latencyMs: elapsedMs(started),
      });
      return answer(result.status, { error: STATUS_TEXT[result.status] });
    }
    const envelope: RequestEnvelope = result.envelope;
    return answer(200, await skill.invoke(envelope));
  };

  return { handler, httpsHandler };
}
