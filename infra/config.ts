// Over 350 lines on purpose: one schema and its cross-key checks, so every config problem is reported in one pass.
/**
 * The stack configuration, read once from `pulumi.Config("skillship")` and validated in one place. Every problem
 * is reported at once, each naming its key (`skillship:skillId`) and what is expected, before any resource is
 * declared. Secret keys are read as secret outputs and never printed.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { CANARY_LIMITS, DEFAULT_CANARY, parseCanarySteps, type CanarySettings } from "../contracts/canary";
import type { AlarmSettings } from "./components/Alarms";
import { StackConfigError } from "./errors";

/** The Pulumi project name; config keys live in its namespace (`skillship:<key>`). */
export const projectName = "skillship";

/** The root of the repository: relative paths in the config (`mediaFolder`, `bundleDir`) start here. */
export const projectRoot = path.resolve(__dirname, "..");

/** The branch whose pushes the beta role deploys, and the GitHub environment the release role requires. */
export const betaBranch = "develop";
export const releaseEnvironment = "production";
/** The default branch: scheduled workflows, the publish job and rollbacks run from it. */
export const defaultBranch = "main";
/** GitHub environments: the certification watch's (the watch role trusts it) and the pull requests'. */
export const watchEnvironment = "beta";
export const previewEnvironment = "preview";

/** CloudWatch Logs accepts only these retention periods. */
const logRetentionValues = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const uuid = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const skillIdPattern = new RegExp(`^amzn1\\.ask\\.skill\\.${uuid}$`);
const repositoryPattern = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;
const lambdaArnPattern =
  /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(?::[A-Za-z0-9$_-]+)?$/;
const iamOidcArnPattern =
  /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/;
const kmsKeyArnPattern = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(?:key|alias)\/[A-Za-z0-9/_-]+$/;
const snsArnPattern = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]+$/;

/** Pulumi config values arrive as strings; structured ones (lists) as JSON text. */
function fromJson(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function integer(min: number, max: number) {
  return z.coerce
    .number({ error: "expected a whole number" })
    .int({ error: "expected a whole number" })
    .min(min, { error: `expected at least ${min}` })
    .max(max, { error: `expected at most ${max}` })
    .optional();
}

const flag = z.stringbool({ error: 'expected "true" or "false"' }).optional();

const percent = z.coerce
  .number({ error: "expected a number of percent" })
  .min(0, { error: "expected at least 0 (percent)" })
  .max(100, { error: "expected at most 100 (percent)" })
  .optional();

/** `canarySteps`: every problem of every step, each its own issue. */
const canarySteps = z
  .string()
  .superRefine((value, context) => {
    for (const message of parseCanarySteps(value).problems) context.addIssue({ code: "custom", message });
  })
  .optional();

/** Raw keys as stored in `Pulumi.<stack>.yaml`, before defaults. Secret keys are read separately. */
const rawSchema = z.object({
  skillId: z
    .string({ error: 'is required: "amzn1.ask.skill." followed by a UUID (the id in the developer console)' })
    .regex(skillIdPattern, { error: 'expected "amzn1.ask.skill." followed by a UUID' }),
  stage: z.enum(["dev", "prod"], { error: 'expected "dev" or "prod"' }).optional(),
  skillKind: z.enum(["custom", "smartHome"], { error: 'expected "custom" or "smartHome"' }).optional(),
  endpointKind: z.enum(["lambda", "https"], { error: 'expected "lambda" or "https"' }).optional(),
  releaseAliases: flag,
  developmentEndpoint: z
    .string()
    .refine((value) => lambdaArnPattern.test(value) || /^https:\/\/[^\s]+$/.test(value), {
      error: "expected a Lambda function ARN or an https:// URL (the dev stack's developmentEndpoint output)",
    })
    .optional(),
  bundleDir: z.string().min(1, { error: "expected a folder path" }).optional(),
  memorySize: integer(128, 10240),
  timeout: integer(1, 900),
  architecture: z.enum(["arm64", "x86_64"], { error: 'expected "arm64" or "x86_64"' }).optional(),
  logRetentionDays: z.coerce
    .number()
    .refine((value) => (logRetentionValues as readonly number[]).includes(value), {
      error: `expected one of ${logRetentionValues.join(", ")} (the values CloudWatch Logs accepts)`,
    })
    .optional(),
  alarmErrors: integer(1, 1_000_000),
  alarmThrottles: integer(1, 1_000_000),
  alarmP99DurationMs: integer(100, 900_000),
  alarmPeriodSeconds: z.coerce
    .number()
    .refine((value) => Number.isInteger(value) && value >= 60 && value % 60 === 0, {
      error: "expected a multiple of 60 seconds",
    })
    .optional(),
  alarmEvaluationPeriods: integer(1, 100),
  alarmActions: z
    .preprocess(
      fromJson,
      z.array(z.string().regex(snsArnPattern, { error: "expected an SNS topic ARN" }), {
        error: "expected a list of SNS topic ARNs",
      }),
    )
    .optional(),
  mediaFolder: z.string().min(1, { error: "expected a folder path" }).optional(),
  mediaPrefix: z
    .string()
    .regex(/^[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*\/?$/, {
      error: 'expected a key prefix such as "jokebox/" (no leading slash)',
    })
    .optional(),
  canarySteps,
  canaryMinRequests: integer(0, CANARY_LIMITS.maxMinRequests),
  canaryMaxErrorRate: percent,
  canaryMaxErrorRateIncrease: percent,
  canaryMaxLatencyMs: integer(1, CANARY_LIMITS.maxLatencyMs),
  canaryPollSeconds: integer(CANARY_LIMITS.pollSeconds.min, CANARY_LIMITS.pollSeconds.max),
  httpsThrottleBurst: integer(1, 10_000),
  httpsThrottleRate: integer(1, 10_000),
  pipeline: flag,
  githubRepository: z
    .string()
    .regex(repositoryPattern, { error: 'expected "owner/name", as in github.com/owner/name' })
    .optional(),
  githubSubjectFormat: z.enum(["repo", "id"], { error: 'expected "repo" or "id"' }).optional(),
  githubOwnerId: z.string().regex(/^\d+$/, { error: "expected the numeric owner id" }).optional(),
  githubRepositoryId: z.string().regex(/^\d+$/, { error: "expected the numeric repository id" }).optional(),
  oidcProviderArn: z
    .string()
    .regex(iamOidcArnPattern, { error: "expected the ARN of the IAM OIDC provider for GitHub Actions" })
    .optional(),
  stateBucket: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, {
      error: "expected the S3 bucket name of the Pulumi backend",
    })
    .optional(),
  stateKmsKeyArn: z.string().regex(kmsKeyArnPattern, { error: "expected a KMS key or alias ARN" }).optional(),
  githubReviewers: z
    .preprocess(
      fromJson,
      z.array(z.coerce.number().int().positive(), { error: "expected a list of numeric GitHub user ids" }),
    )
    .optional(),
});

type RawKey = keyof typeof rawSchema.shape;

/** Keys read with `getSecret`: their values are never validated into plain strings nor printed. */
export const secretKeys = ["githubToken", "askClientId", "askClientSecret", "askRefreshToken"] as const;
type SecretKey = (typeof secretKeys)[number];

/** Every key this program reads; anything else under `skillship:` is reported as a likely typo. */
export const knownKeys: readonly string[] = [...Object.keys(rawSchema.shape), ...secretKeys];

/** The GitHub side of the delivery pipeline. */
export interface PipelineConfig {
  /** `owner` and `name` of the repository whose workflows may assume the roles. */
  owner: string;
  name: string;
  /** `repo` (`repo:OWNER/REPO:…`, GitHub's default) or `id` (`repository_owner_id:…:repository_id:…`). */
  subjectFormat: "repo" | "id";
  ownerId?: string;
  repositoryId?: string;
  /** An existing GitHub OIDC provider to trust instead of creating one (one per account). */
  oidcProviderArn?: string;
  /** The Pulumi state backend the roles read (and beta/release write). */
  stateBucket: string;
  stateKmsKeyArn?: string;
  /** With a token, the repository's environments, variables and environment secrets are managed too. */
  github?: {
    token: pulumi.Output<string>;
    reviewers: number[];
    secrets: Partial<
      Record<"ASK_LWA_CLIENT_ID" | "ASK_LWA_CLIENT_SECRET" | "ASK_REFRESH_TOKEN", pulumi.Output<string>>
    >;
  };
}

/** The validated stack configuration, defaults applied. */
export interface StackConfig {
  project: string;
  stage: "dev" | "prod";
  /** Prefix of every physical name this stack chooses (`skillship-dev`), so roles can be scoped by name. */
  prefix: string;
  skillId: string;
  skillKind: "custom" | "smartHome";
  endpointKind: "lambda" | "https";
  releaseAliases: boolean;
  developmentEndpoint?: string;
  bundleDir: string;
  memorySize: number;
  timeout: number;
  architecture: "arm64" | "x86_64";
  logRetentionDays: number;
  alarms: AlarmSettings;
  media: { folder?: string; prefix?: string };
  https: { throttleBurst: number; throttleRate: number };
  /** How a code-only release reaches users (stacks with release aliases only). */
  canary?: CanarySettings;
  pipeline?: PipelineConfig;
}

/** What {@link parseStackConfig} reads: raw string values by key, secrets as outputs, and the stack name. */
export interface RawStackConfig {
  values: Partial<Record<string, string>>;
  secrets?: Partial<Record<SecretKey, pulumi.Output<string>>>;
  stackName: string;
}

const qualified = (key: string) => `${projectName}:${key}`;

/**
 * Validates raw config values and applies defaults. Pure (apart from checking that `mediaFolder` exists), so
 * tests call it directly. Throws a {@link StackConfigError} listing every problem, each naming its key.
 */
export function parseStackConfig(raw: RawStackConfig): StackConfig {
  const problems: string[] = [];
  for (const key of Object.keys(raw.values)) {
    if (!knownKeys.includes(key)) {
      problems.push(
        `${qualified(key)} is not a key this program reads (known keys: ${knownKeys.join(", ")})`,
      );
    }
  }
  const parsed = rawSchema.safeParse(raw.values);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? "") as RawKey;
      const value = raw.values[key];
      const got = value === undefined ? "" : ` (got ${JSON.stringify(value)})`;
      problems.push(`${qualified(key)}: ${issue.message}${got}`);
    }
    throw new StackConfigError(problems, { cause: parsed.error });
  }
  const v = parsed.data;
  const secrets = raw.secrets ?? {};

  let stage = v.stage;
  if (stage === undefined) {
    if (raw.stackName === "dev" || raw.stackName === "prod") {
      stage = raw.stackName;
    } else {
      problems.push(
        `${qualified("stage")}: is required when the stack is not named dev or prod (stack "${raw.stackName}"): ` +
          'set it to "dev" or "prod"',
      );
      stage = "dev";
    }
  }
  const skillKind = v.skillKind ?? "custom";
  const endpointKind = v.endpointKind ?? "lambda";
  if (skillKind === "smartHome" && endpointKind === "https") {
    problems.push(`${qualified("endpointKind")}: a smartHome skill is served by Lambda only: use "lambda"`);
  }
  const releaseAliases = v.releaseAliases ?? stage === "prod";
  if (v.developmentEndpoint !== undefined && !releaseAliases) {
    problems.push(
      `${qualified("developmentEndpoint")}: only a stack with release aliases (prod) points the development ` +
        "stage elsewhere; remove it from this stack",
    );
  }
  const timeout = v.timeout ?? 8;
  const p99DurationMs = v.alarmP99DurationMs ?? Math.min(7000, timeout * 1000);
  if (p99DurationMs > timeout * 1000) {
    problems.push(
      `${qualified("alarmP99DurationMs")}: ${p99DurationMs} ms is beyond the function timeout ` +
        `(${qualified("timeout")} = ${timeout} s); choose a value below it`,
    );
  }
  const canary = releaseAliases ? canarySettings(v, timeout, problems) : undefined;
  if (!releaseAliases) {
    for (const key of canaryKeys.filter((name) => v[name] !== undefined)) {
      problems.push(
        `${qualified(key)}: only a stack with release aliases (prod) runs canaries; remove it from this stack`,
      );
    }
  }
  if (v.mediaFolder !== undefined) {
    const folder = path.resolve(projectRoot, v.mediaFolder);
    if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory()) {
      problems.push(
        `${qualified("mediaFolder")}: folder ${folder} does not exist: create it or unset the key`,
      );
    }
    if (v.mediaPrefix !== undefined) {
      problems.push(
        `${qualified("mediaPrefix")}: the media folder is uploaded to the bucket root, so a prefix would hide it; ` +
          `unset ${qualified("mediaPrefix")} or ${qualified("mediaFolder")}`,
      );
    }
  }

  let pipeline: PipelineConfig | undefined;
  if (v.pipeline ?? stage === "prod") {
    const subjectFormat = v.githubSubjectFormat ?? "repo";
    if (v.githubRepository === undefined) {
      problems.push(`${qualified("githubRepository")}: is required for the delivery pipeline: "owner/name"`);
    }
    if (v.stateBucket === undefined) {
      problems.push(
        `${qualified("stateBucket")}: is required for the delivery pipeline: the S3 bucket of the Pulumi backend`,
      );
    }
    if (subjectFormat === "id") {
      for (const key of ["githubOwnerId", "githubRepositoryId"] as const) {
        if (v[key] === undefined) {
          problems.push(`${qualified(key)}: is required when ${qualified("githubSubjectFormat")} is "id"`);
        }
      }
    }
    let github: PipelineConfig["github"];
    if (secrets.githubToken !== undefined) {
      if (v.githubReviewers === undefined || v.githubReviewers.length === 0) {
        problems.push(
          `${qualified("githubReviewers")}: the production environment needs required reviewers: ` +
            "a list of numeric GitHub user ids",
        );
      }
      github = {
        token: secrets.githubToken,
        reviewers: v.githubReviewers ?? [],
        secrets: {
          ASK_LWA_CLIENT_ID: secrets.askClientId,
          ASK_LWA_CLIENT_SECRET: secrets.askClientSecret,
          ASK_REFRESH_TOKEN: secrets.askRefreshToken,
        },
      };
    }
    if (github === undefined) {
      for (const key of ["askClientId", "askClientSecret", "askRefreshToken"] as const) {
        if (secrets[key] !== undefined) {
          problems.push(
            `${qualified(key)}: is written to the repository only with ${qualified("githubToken")}; set it or remove ${qualified(key)}`,
          );
        }
      }
    }
    const [owner = "", name = ""] = (v.githubRepository ?? "").split("/");
    pipeline = {
      owner,
      name,
      subjectFormat,
      ownerId: v.githubOwnerId,
      repositoryId: v.githubRepositoryId,
      oidcProviderArn: v.oidcProviderArn,
      stateBucket: v.stateBucket ?? "",
      stateKmsKeyArn: v.stateKmsKeyArn,
      github,
    };
  }

  if (problems.length > 0) throw new StackConfigError(problems);

  const project = projectName;
  return {
    project,
    stage,
    prefix: `${project}-${stage}`,
    skillId: v.skillId,
    skillKind,
    endpointKind,
    releaseAliases,
    developmentEndpoint: v.developmentEndpoint,
    bundleDir: path.resolve(projectRoot, v.bundleDir ?? "dist/skill"),
    memorySize: v.memorySize ?? 512,
    timeout,
    architecture: v.architecture ?? "arm64",
    logRetentionDays: v.logRetentionDays ?? 30,
    alarms: {
      errors: v.alarmErrors ?? 1,
      throttles: v.alarmThrottles ?? 1,
      p99DurationMs,
      periodSeconds: v.alarmPeriodSeconds ?? 60,
      evaluationPeriods: v.alarmEvaluationPeriods ?? 1,
      actions: v.alarmActions ?? [],
    },
    media: {
      folder: v.mediaFolder === undefined ? undefined : path.resolve(projectRoot, v.mediaFolder),
      prefix: v.mediaPrefix === undefined ? undefined : v.mediaPrefix.replace(/\/?$/, "/"),
    },
    https: { throttleBurst: v.httpsThrottleBurst ?? 100, throttleRate: v.httpsThrottleRate ?? 50 },
    canary,
    pipeline,
  };
}

const canaryKeys = [
  "canarySteps",
  "canaryMinRequests",
  "canaryMaxErrorRate",
  "canaryMaxErrorRateIncrease",
  "canaryMaxLatencyMs",
  "canaryPollSeconds",
] as const satisfies readonly RawKey[];

/** The canary settings with defaults, checked against each other and the function's timeout. */
function canarySettings(v: z.infer<typeof rawSchema>, timeout: number, problems: string[]): CanarySettings {
  const settings: CanarySettings = {
    steps: v.canarySteps === undefined ? [...DEFAULT_CANARY.steps] : parseCanarySteps(v.canarySteps).steps,
    minRequests: v.canaryMinRequests ?? DEFAULT_CANARY.minRequests,
    maxErrorRate: v.canaryMaxErrorRate ?? DEFAULT_CANARY.maxErrorRate,
    maxErrorRateIncrease: v.canaryMaxErrorRateIncrease ?? DEFAULT_CANARY.maxErrorRateIncrease,
    maxLatencyMs: v.canaryMaxLatencyMs ?? Math.min(DEFAULT_CANARY.maxLatencyMs, timeout * 1000),
    pollSeconds: v.canaryPollSeconds ?? DEFAULT_CANARY.pollSeconds,
  };
  if (settings.maxLatencyMs > timeout * 1000) {
    problems.push(
      `${qualified("canaryMaxLatencyMs")}: ${settings.maxLatencyMs} ms is beyond the function timeout ` +
        `(${qualified("timeout")} = ${timeout} s), so no request could breach it; choose a value below it`,
    );
  }
  const shortest = Math.min(...settings.steps.map((step) => step.bakeMinutes * 60));
  if (settings.pollSeconds > shortest) {
    problems.push(
      `${qualified("canaryPollSeconds")}: ${settings.pollSeconds} s is longer than the shortest bake ` +
        `(${shortest / 60}m in ${qualified("canarySteps")}): the signals would not be read during it`,
    );
  }
  return settings;
}

/**
 * Reads the stack configuration through `pulumi.Config` (plain keys with `get`, secret keys with `getSecret`)
 * and validates it with {@link parseStackConfig}.
 */
export function loadStackConfig(): StackConfig {
  const config = new pulumi.Config(projectName);
  const values: Record<string, string> = {};
  const prefix = `${projectName}:`;
  for (const key of Object.keys(pulumi.runtime.allConfig())) {
    if (!key.startsWith(prefix)) continue;
    const name = key.slice(prefix.length);
    if ((secretKeys as readonly string[]).includes(name)) continue;
    const value = config.get(name);
    if (value !== undefined) values[name] = value;
  }
  const secrets: RawStackConfig["secrets"] = {};
  for (const key of secretKeys) {
    const value = config.getSecret(key);
    if (value !== undefined) secrets[key] = value;
  }
  return parseStackConfig({ values, secrets, stackName: pulumi.getStack() });
}
