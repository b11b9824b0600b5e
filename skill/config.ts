import type { MetricSource } from "../contracts/skill-metrics";
import { SkillConfigError } from "./errors";
import { isAudioKey } from "./media/types";

/** Clips in an S3 bucket (the Lambda path). */
export interface S3MediaSettings {
  readonly kind: "s3";
  readonly bucket: string;
  /** Key prefix of the library, empty or ending in `/`; clip keys are relative to it. */
  readonly prefix: string;
  readonly region: string;
  /** Endpoint override (`AWS_ENDPOINT_URL_S3`, then `AWS_ENDPOINT_URL`); path-style addressing then. */
  readonly endpoint?: string;
  /** Lifetime of presigned GET URLs. */
  readonly urlTtlSeconds: number;
  /** How long a listing is reused by this container; 0 lists on every request. */
  readonly listTtlSeconds: number;
  /**
   * Clip keys known when the function was deployed (`MEDIA_CLIPS`), sorted, audio only: the container's first
   * listing, so a cold start answers without an S3 round trip; listed from S3 once `listTtlSeconds` have passed.
   */
  readonly knownClips?: readonly string[];
}

/** Clips in a local folder (the local endpoint). */
export interface LocalMediaSettings {
  readonly kind: "local";
  readonly dir: string;
  /** Lifetime of signed media URLs. */
  readonly urlTtlSeconds: number;
}

/** The skill's settings, read once from the environment. */
export interface SkillConfig {
  /** When set, requests for any other skill are rejected. */
  readonly skillId?: string;
  readonly media: S3MediaSettings | LocalMediaSettings;
  /**
   * The Lambda function and version running the skill (`AWS_LAMBDA_FUNCTION_NAME`, `AWS_LAMBDA_FUNCTION_VERSION`,
   * which Lambda sets): each log line then carries the request's health signals for that version. Undefined off
   * Lambda.
   */
  readonly metricSource?: MetricSource;
}

/** AWS credentials as Lambda provides them in the environment. */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** Default lifetime of media URLs: long enough to outlive the start of playback of any clip. */
export const DEFAULT_URL_TTL_SECONDS = 3600;
/** Default lifetime of a cached S3 listing. */
export const DEFAULT_LIST_TTL_SECONDS = 300;
// SigV4 presigned URLs cannot live longer than seven days.
const MAX_URL_TTL_SECONDS = 7 * 24 * 3600;
// Alexa may fetch the stream a few seconds after the directive; shorter lifetimes would break playback.
const MIN_URL_TTL_SECONDS = 60;

type Env = Readonly<Record<string, string | undefined>>;

function nonEmpty(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === "" ? undefined : value;
}

function integerSetting(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = nonEmpty(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new SkillConfigError(
      name,
      `Environment variable ${name} must be a whole number of seconds from ${min} to ${max}, got "${raw}".`,
    );
  }
  return value;
}

function endpointSetting(env: Env): string | undefined {
  for (const name of ["AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"]) {
    const raw = nonEmpty(env, name);
    if (raw === undefined) continue;
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new SkillConfigError(name, `Environment variable ${name} is not a URL: "${raw}".`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new SkillConfigError(name, `Environment variable ${name} must be an http(s) URL, got "${raw}".`);
    }
    return raw.replace(/\/+$/, "");
  }
  return undefined;
}

/**
 * `MEDIA_CLIPS`: a JSON array of clip keys relative to `MEDIA_PREFIX`, as the infrastructure writes it from the
 * media folder it uploads. Non-audio keys are dropped, as a listing drops them.
 */
function knownClipsSetting(env: Env): string[] | undefined {
  const raw = nonEmpty(env, "MEDIA_CLIPS");
  if (raw === undefined) return undefined;
  const invalid = (problem: string) =>
    new SkillConfigError(
      "MEDIA_CLIPS",
      `Environment variable MEDIA_CLIPS must be a JSON array of clip keys relative to MEDIA_PREFIX ` +
        `(["en/one.mp3", …]): ${problem}. Fix it or unset it to list the bucket instead.`,
    );
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    throw invalid(`it is not JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(value)) throw invalid("it is not an array");
  value.forEach((key, index) => {
    if (typeof key !== "string" || key === "" || key.startsWith("/")) {
      throw invalid(`item ${index} is not a key (a non-empty path without a leading /)`);
    }
  });
  return (value as string[]).filter(isAudioKey).sort();
}

/** The function and version Lambda runs, or undefined off Lambda. */
function metricSourceSetting(env: Env): MetricSource | undefined {
  const functionName = nonEmpty(env, "AWS_LAMBDA_FUNCTION_NAME");
  if (functionName === undefined) return undefined;
  return { functionName, functionVersion: nonEmpty(env, "AWS_LAMBDA_FUNCTION_VERSION") ?? "$LATEST" };
}

/** Options of {@link readSkillConfig}. */
export interface ReadSkillConfigOptions {
  /** Folder served when neither `MEDIA_BUCKET` nor `MEDIA_DIR` is set (the local endpoint's default). */
  readonly defaultMediaDir?: string;
}

/**
 * Reads and validates the skill's environment: `SKILL_ID`, `MEDIA_BUCKET` + `MEDIA_PREFIX` + `AWS_REGION` (+
 * `AWS_ENDPOINT_URL_S3`/`AWS_ENDPOINT_URL` + `MEDIA_CLIPS`) or `MEDIA_DIR`, `MEDIA_URL_TTL_SECONDS`,
 * `MEDIA_LIST_TTL_SECONDS`, and Lambda's `AWS_LAMBDA_FUNCTION_NAME` and `AWS_LAMBDA_FUNCTION_VERSION`.
 * Throws a {@link SkillConfigError} naming the variable at fault.
 */
export function readSkillConfig(env: Env = process.env, options: ReadSkillConfigOptions = {}): SkillConfig {
  const skillId = nonEmpty(env, "SKILL_ID");
  if (skillId !== undefined && !skillId.startsWith("amzn1.ask.skill.")) {
    throw new SkillConfigError(
      "SKILL_ID",
      `Environment variable SKILL_ID must be an Alexa skill id (amzn1.ask.skill.…), got "${skillId}".`,
    );
  }
  const urlTtlSeconds = integerSetting(
    env,
    "MEDIA_URL_TTL_SECONDS",
    DEFAULT_URL_TTL_SECONDS,
    MIN_URL_TTL_SECONDS,
    MAX_URL_TTL_SECONDS,
  );
  const bucket = nonEmpty(env, "MEDIA_BUCKET");
  const dir = nonEmpty(env, "MEDIA_DIR") ?? (bucket === undefined ? options.defaultMediaDir : undefined);
  if (bucket === undefined && dir === undefined) {
    throw new SkillConfigError(
      "MEDIA_BUCKET",
      "Environment variable MEDIA_BUCKET is required: the S3 bucket holding the clips " +
        "(or set MEDIA_DIR to a local folder of clips for a local run).",
    );
  }
  const metricSource = metricSourceSetting(env);
  if (bucket === undefined) {
    return { skillId, metricSource, media: { kind: "local", dir: dir as string, urlTtlSeconds } };
  }
  const region = nonEmpty(env, "AWS_REGION");
  if (region === undefined) {
    throw new SkillConfigError(
      "AWS_REGION",
      `Environment variable AWS_REGION is required to reach bucket ${bucket} (Lambda sets it; set it for local runs).`,
    );
  }
  let prefix = (nonEmpty(env, "MEDIA_PREFIX") ?? "").replace(/^\/+/, "");
  if (prefix !== "" && !prefix.endsWith("/")) prefix += "/";
  return {
    skillId,
    metricSource,
    media: {
      kind: "s3",
      bucket,
      prefix,
      region,
      endpoint: endpointSetting(env),
      urlTtlSeconds,
      listTtlSeconds: integerSetting(env, "MEDIA_LIST_TTL_SECONDS", DEFAULT_LIST_TTL_SECONDS, 0, 86_400),
      knownClips: knownClipsSetting(env),
    },
  };
}

/**
 * The AWS credentials of the environment (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`), read
 * when a request is signed. Throws a {@link SkillConfigError} naming the missing variable.
 */
export function awsCredentialsFromEnv(env: Env = process.env): AwsCredentials {
  const accessKeyId = nonEmpty(env, "AWS_ACCESS_KEY_ID");
  const secretAccessKey = nonEmpty(env, "AWS_SECRET_ACCESS_KEY");
  for (const [name, value] of [
    ["AWS_ACCESS_KEY_ID", accessKeyId],
    ["AWS_SECRET_ACCESS_KEY", secretAccessKey],
  ] as const) {
    if (value === undefined) {
      throw new SkillConfigError(
        name,
        `Environment variable ${name} is required to sign S3 requests (Lambda sets it from the function's role).`,
      );
    }
  }
  return {
    accessKeyId: accessKeyId as string,
    secretAccessKey: secretAccessKey as string,
    sessionToken: nonEmpty(env, "AWS_SESSION_TOKEN"),
  };
}
