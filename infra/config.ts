// Over 350 lines on purpose: one schema for every key of an app stack, checked together so that a wrong stack
// file gets every problem at once, each naming its key; the cross-key rules need all of them in one place.
/**
 * The configuration of the app stacks (dev, prod), read once from `pulumi.Config("skillship")` and validated in
 * one place. Every problem is reported at once, each naming its key (`skillship:skillId`) and what is expected,
 * before any resource is declared. The app stacks hold no secret at all: a `secure:` value is refused, naming the
 * key and where it belongs, because every pull request previews these stacks. The administrator-only stack has
 * its own configuration (`admin-config.ts`); `stackKindOf` tells which one a stack is.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import {
  AWS_REGION_OF,
  alexaRegionsOfLocales,
  parseAlexaRegions,
  type AlexaRegion,
} from "../contracts/alexa-regions";
import { CANARY_LIMITS, DEFAULT_CANARY, parseCanarySteps, type CanarySettings } from "../contracts/canary";
import type { AlarmSettings } from "./components/Alarms";
import { StackConfigError } from "./errors";
import { parseFunctionSettings, type FunctionSettings } from "./function-environment";
import { readPackageLocales, SkillLocalesError } from "./skill-locales";

/**
 * The configuration namespace: keys are `skillship:<key>` in every Pulumi project using these stacks, and the
 * default project name (the one of this repository).
 */
export const projectName = "skillship";

/**
 * The folder the language host runs the program in, the folder of Pulumi.yaml's `main` (the root, where this
 * repository's `stacks.ts` and the `stacks.js` of `skillship init` sit): relative paths in the config
 * (`mediaFolder`, `bundleDir`) start here, and so does the search for the project's skill package.
 */
export const projectRoot: string = process.cwd();

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
const lambdaArnPattern =
  /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(?::[A-Za-z0-9$_-]+)?$/;
const snsArnPattern = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]+$/;
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The stack file of a stack, for messages. */
export const stackFile = (stack: string): string => `Pulumi.${stack}.yaml`;

/** The administrator-only stack: the delivery pipeline and every secret it needs (see `admin-config.ts`). */
export const adminStackName = "admin";

/** `admin` for the administrator-only stack (named admin, or `skillship:stage: admin`), `app` otherwise. */
export function stackKindOf(values: Partial<Record<string, string>>, stackName: string): "app" | "admin" {
  const stage = values.stage;
  return stage === "admin" || (stage === undefined && stackName === adminStackName) ? "admin" : "app";
}

/** Pulumi config values arrive as strings; structured ones (lists) as JSON text. */
export function fromJson(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** An optional whole number within bounds, from the string Pulumi config holds. */
export function integer(min: number, max: number): z.ZodOptional<z.ZodCoercedNumber<unknown>> {
  return z.coerce
    .number({ error: "expected a whole number" })
    .int({ error: "expected a whole number" })
    .min(min, { error: `expected at least ${min}` })
    .max(max, { error: `expected at most ${max}` })
    .optional();
}

/** An optional boolean, from "true" or "false". */
export const flag: z.ZodOptional<z.ZodCodec<z.ZodString, z.ZodBoolean>> = z
  .stringbool({ error: 'expected "true" or "false"' })
  .optional();

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

/** `alexaRegions`: every problem of the list, each its own issue. */
const alexaRegions = z
  .string()
  .superRefine((value, context) => {
    for (const message of parseAlexaRegions(value).problems) context.addIssue({ code: "custom", message });
  })
  .optional();

/** An object of variables (structured in the stack file, or JSON text). */
const variablesObject = z
  .preprocess(
    fromJson,
    z.record(z.string(), z.unknown(), {
      error: 'expected an object of variables, e.g. { "HOME_HUB_URL": "https://hub.example.com" }',
    }),
  )
  .optional();

/** Raw keys as stored in `Pulumi.<stack>.yaml`, before defaults. Secret keys are read separately. */
const rawSchema = z.object({
  skillId: z
    .string({ error: 'is required: "amzn1.ask.skill." followed by a UUID (the id in the developer console)' })
    .regex(skillIdPattern, { error: 'expected "amzn1.ask.skill." followed by a UUID' }),
  stage: z.enum(["dev", "prod"], { error: 'expected "dev" or "prod"' }).optional(),
  skillKind: z.enum(["custom", "smartHome"], { error: 'expected "custom" or "smartHome"' }).optional(),
  alexaRegions,
  tokenTable: flag,
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
  reservedConcurrency: integer(1, 100_000),
  alarmApi5xx: integer(1, 1_000_000),
  alarmEmails: z
    .preprocess(
      fromJson,
      z.array(z.string().regex(emailPattern, { error: "expected an email address" }), {
        error: "expected a list of email addresses",
      }),
    )
    .optional(),
  // Objects of variables; their names and values are checked together by parseFunctionSettings.
  functionEnvironment: variablesObject,
  functionSecrets: variablesObject,
});

type RawKey = keyof typeof rawSchema.shape;

/** Every key this program reads in an app stack; anything else under `skillship:` is reported. */
export const knownKeys: readonly string[] = Object.keys(rawSchema.shape);

/**
 * Keys that configure the delivery pipeline: they belong to the administrator-only stack now, and an app stack
 * that still sets one is told where to move it.
 */
export const adminOnlyKeys: readonly string[] = [
  "pipeline",
  "githubRepository",
  "githubSubjectFormat",
  "githubOwnerId",
  "githubRepositoryId",
  "oidcProviderArn",
  "stateBucket",
  "stateKmsKeyArn",
  "githubReviewers",
  "githubToken",
  "askClientId",
  "askClientSecret",
  "askRefreshToken",
];

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
  /** Email addresses subscribed to the stack's alert topic (each confirms by mail). */
  alertEmails: string[];
  /** Concurrent executions reserved for the function; undefined leaves it on the account's pool. */
  reservedConcurrency?: number;
  media: { folder?: string; prefix?: string };
  https: { throttleBurst: number; throttleRate: number };
  /** How a code-only release reaches users (stacks with release aliases only). */
  canary?: CanarySettings;
  /**
   * The Alexa regions the stack serves with regional endpoints (`skillship:alexaRegions`; for a smartHome skill
   * without it, the regions of the package's locales), each with the AWS region of its function; undefined: one
   * endpoint for every region, the stack's own function (a custom skill's default).
   */
  alexaRegions?: { alexaRegion: AlexaRegion; awsRegion: string }[];
  /**
   * Create the DynamoDB table of users' Alexa tokens (`skillship:tokenTable`), one per region beside each function,
   * and give its name to the function as `TOKEN_TABLE`. Default: on for smartHome skills, off for custom ones.
   */
  tokenTable: boolean;
  /** The stack's own AWS region (`aws:region`), where the home function, the media bucket and the alert topic live. */
  awsRegion?: string;
  /**
   * The team's variables for the function (`skillship:functionEnvironment`), and the variables it reads from
   * Parameter Store when it starts, by parameter name (`skillship:functionSecrets`, parameters of `awsRegion`).
   */
  functionSettings: FunctionSettings;
}

/** What {@link parseStackConfig} reads: raw values by key, the stack name, and which keys hold `secure:` values. */
export interface RawStackConfig {
  values: Partial<Record<string, string>>;
  stackName: string;
  /** Fully qualified keys (`skillship:githubToken`, `aws:secretKey`) whose values are secrets. */
  secretKeys?: readonly string[];
  /** The Pulumi project's name, which prefixes every physical name; default {@link projectName}. */
  project?: string;
  /** `aws:region`: the stack's own AWS region. */
  awsRegion?: string;
  /** The folder relative paths start from and the project is found from; default {@link projectRoot}. */
  root?: string;
}

export const qualified = (key: string) => `${projectName}:${key}`;

/** One problem per secret of an app stack, saying where it belongs instead. */
function secretProblems(secretKeys: readonly string[], stackName: string): string[] {
  return secretKeys.map((key) => {
    const bare = key.startsWith(`${projectName}:`) ? key.slice(projectName.length + 1) : undefined;
    const where =
      bare !== undefined && adminOnlyKeys.includes(bare)
        ? `it belongs to the administrator-only stack: set it there (pulumi config set --secret --stack ${adminStackName} ${key})`
        : "keep it as a secret of the GitHub environment that needs it, or in the administrator-only stack";
    return (
      `${key} is a secret (secure: in ${stackFile(stackName)}), and the app stacks hold none: every pull ` +
      `request previews them; remove it (pulumi config rm --stack ${stackName} ${key}); ${where}`
    );
  });
}

/**
 * Validates raw config values and applies defaults. Pure (apart from checking that `mediaFolder` exists), so
 * tests call it directly. Throws a {@link StackConfigError} listing every problem, each naming its key.
 */
export function parseStackConfig(raw: RawStackConfig): StackConfig {
  const problems: string[] = secretProblems(raw.secretKeys ?? [], raw.stackName);
  const root = raw.root ?? projectRoot;
  const secret = new Set(raw.secretKeys ?? []);
  for (const key of Object.keys(raw.values)) {
    if (secret.has(qualified(key))) continue;
    if (adminOnlyKeys.includes(key)) {
      problems.push(
        `${qualified(key)} configures the delivery pipeline, which the administrator-only stack declares: move ` +
          `it from ${stackFile(raw.stackName)} to ${stackFile(adminStackName)}`,
      );
    } else if (!knownKeys.includes(key)) {
      problems.push(
        `${qualified(key)} is not a key this program reads (known keys: ${knownKeys.join(", ")})`,
      );
    }
  }
  const values = Object.fromEntries(
    Object.entries(raw.values).filter(([key]) => knownKeys.includes(key) && !secret.has(qualified(key))),
  );
  const parsed = rawSchema.safeParse(values);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? "") as RawKey;
      const value = values[key];
      const got = value === undefined ? "" : ` (got ${JSON.stringify(value)})`;
      problems.push(`${qualified(key)}: ${issue.message}${got}`);
    }
    throw new StackConfigError(problems, { cause: parsed.error });
  }
  const v = parsed.data;

  let stage = v.stage;
  if (stage === undefined) {
    if (raw.stackName === "dev" || raw.stackName === "prod") {
      stage = raw.stackName;
    } else {
      problems.push(
        `${qualified("stage")}: is required when the stack is not named dev, prod or admin (stack "${raw.stackName}"): ` +
          'set it to "dev", "prod" or "admin"',
      );
      stage = "dev";
    }
  }
  const skillKind = v.skillKind ?? "custom";
  const endpointKind = v.endpointKind ?? "lambda";
  if (skillKind === "smartHome" && endpointKind === "https") {
    problems.push(`${qualified("endpointKind")}: a smartHome skill is served by Lambda only: use "lambda"`);
  }
  const tokenTable = v.tokenTable ?? skillKind === "smartHome";
  if (tokenTable && skillKind !== "smartHome") {
    problems.push(
      `${qualified("tokenTable")}: the token table keeps the Alexa tokens that Alexa.Authorization AcceptGrant ` +
        `gives, which only a smartHome skill receives: remove the key, or set ${qualified("skillKind")} to ` +
        '"smartHome"',
    );
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
    const folder = path.resolve(root, v.mediaFolder);
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

  const served =
    v.alexaRegions !== undefined
      ? { regions: parseAlexaRegions(v.alexaRegions).regions }
      : skillKind === "smartHome"
        ? regionsOfPackage(root, problems)
        : undefined;
  const regions =
    served === undefined
      ? undefined
      : regionalFunctions(served.regions, {
          skillKind,
          endpointKind,
          awsRegion: raw.awsRegion,
          developmentEndpoint: v.developmentEndpoint,
          problems,
          ...(served.from === undefined ? {} : { from: served.from }),
        });
  // Locales of one region are served by the default endpoint alone, as the lint expects of such a manifest;
  // regionalFunctions has checked that the stack's own function is in that region.
  const regional = served?.from !== undefined && served.regions.length === 1 ? undefined : regions;

  const functionSettings = parseFunctionSettings(
    { environment: v.functionEnvironment, secrets: v.functionSecrets },
    { environment: qualified("functionEnvironment"), secrets: qualified("functionSecrets") },
    problems,
  );
  if (Object.keys(functionSettings.secrets).length > 0 && raw.awsRegion === undefined) {
    problems.push(
      `${qualified("functionSecrets")}: the parameters are read in the stack's own region, which is not set: ` +
        "set aws:region (and create the parameters there)",
    );
  }

  if (problems.length > 0) throw new StackConfigError(problems);

  const project = raw.project ?? projectName;
  return {
    project,
    stage,
    prefix: `${project}-${stage}`,
    skillId: v.skillId,
    skillKind,
    endpointKind,
    tokenTable,
    releaseAliases,
    developmentEndpoint: v.developmentEndpoint,
    bundleDir: path.resolve(root, v.bundleDir ?? "dist/skill"),
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
      api5xx: v.alarmApi5xx ?? 1,
      actions: v.alarmActions ?? [],
    },
    alertEmails: v.alarmEmails ?? [],
    ...(v.reservedConcurrency === undefined ? {} : { reservedConcurrency: v.reservedConcurrency }),
    media: {
      folder: v.mediaFolder === undefined ? undefined : path.resolve(root, v.mediaFolder),
      prefix: v.mediaPrefix === undefined ? undefined : v.mediaPrefix.replace(/\/?$/, "/"),
    },
    https: { throttleBurst: v.httpsThrottleBurst ?? 100, throttleRate: v.httpsThrottleRate ?? 50 },
    canary,
    ...(regional === undefined ? {} : { alexaRegions: regional }),
    ...(raw.awsRegion === undefined ? {} : { awsRegion: raw.awsRegion }),
    functionSettings,
  };
}

/**
 * The regions a smartHome stack without `alexaRegions` serves: those of the locales its skill package publishes,
 * since Alexa sends each user's directives to the endpoint of their locale's region. `from` says so in messages.
 */
function regionsOfPackage(
  root: string,
  problems: string[],
): { regions: AlexaRegion[]; from?: string } | undefined {
  const key = qualified("alexaRegions");
  const fix = `or set ${key} to the regions to serve (e.g. "NA,EU,FE")`;
  let found;
  try {
    found = readPackageLocales(root);
  } catch (error) {
    if (!(error instanceof SkillLocalesError)) throw error;
    problems.push(
      `${key} is unset, so this smartHome stack serves the Alexa regions of its skill package's locales, but ` +
        `${error.message}: run Pulumi in the project's folder (where skillship.json is), ${fix}`,
    );
    return undefined;
  }
  const { regions, unknown } = alexaRegionsOfLocales(found.locales);
  if (unknown.length > 0) {
    problems.push(
      `${key} is unset, so this smartHome stack serves the Alexa regions of its skill package's locales, but ` +
        `no Alexa region serves ${unknown.join(", ")} (${found.file}): fix the locale, ${fix}`,
    );
    return undefined;
  }
  const list = regions.map((region) => `${region.alexaRegion} for ${region.locales.join(", ")}`).join("; ");
  return {
    regions: regions.map((region) => region.alexaRegion),
    from: `${key} is unset, so this smartHome stack serves the regions of the locales of ${found.file} (${list})`,
  };
}

/**
 * The function of each Alexa region served, checked against the rest of the configuration: the stack's own
 * region must be known (`aws:region`) and, for a smart-home skill, be one of the regions served (its function
 * answers the manifest's default endpoint, which Alexa also requires in a paired region); regional endpoints are
 * Lambda ARNs (an HTTPS endpoint per region would need an API per region). `from` says where regions derived
 * from the package came from.
 */
function regionalFunctions(
  regions: AlexaRegion[],
  context: {
    skillKind: "custom" | "smartHome";
    endpointKind: "lambda" | "https";
    awsRegion: string | undefined;
    developmentEndpoint: string | undefined;
    problems: string[];
    from?: string;
  },
): { alexaRegion: AlexaRegion; awsRegion: string }[] {
  const { problems, awsRegion } = context;
  const key = qualified("alexaRegions");
  const subject = context.from ?? key;
  const orSetKey = context.from === undefined ? "" : `, or set ${key} to the regions to serve`;
  const list = regions.join(",");
  if (awsRegion === undefined) {
    problems.push(
      `${subject}: the stack's own AWS region is not set: set aws:region (the region of its home function, e.g. ` +
        `${AWS_REGION_OF[regions[0] ?? "EU"]})`,
    );
  } else if (
    context.skillKind === "smartHome" &&
    !regions.some((region) => AWS_REGION_OF[region] === awsRegion)
  ) {
    const paired = regions.map((region) => `${AWS_REGION_OF[region]} (${region})`).join(", ");
    problems.push(
      `${subject}: a smartHome skill's functions must live in the AWS region paired with each Alexa region it ` +
        `serves, and the stack's own region (aws:region = ${awsRegion}) serves none of ${list}: set aws:region ` +
        `to one of ${paired}${orSetKey}`,
    );
  }
  // A smartHome skill over HTTPS is refused on its own; the key is not to blame when it is unset.
  if (context.endpointKind === "https" && context.from === undefined) {
    problems.push(
      `${key}: regional endpoints are Lambda functions: set ${qualified("endpointKind")} to "lambda" or ` +
        `remove ${key}`,
    );
  }
  if (context.developmentEndpoint !== undefined && !lambdaArnPattern.test(context.developmentEndpoint)) {
    problems.push(
      `${qualified("developmentEndpoint")}: with regional endpoints (${subject}), the development stage's ` +
        "regional endpoints are the dev stack's function in each region: give the dev stack's " +
        "developmentEndpoint output (a Lambda ARN)",
    );
  }
  return regions.map((alexaRegion) => ({ alexaRegion, awsRegion: AWS_REGION_OF[alexaRegion] }));
}

/** The configuration as Pulumi hands it to the program: `skillship:` values by key, and the secret keys. */
export function readRawConfig(): RawStackConfig {
  const all = pulumi.runtime.allConfig();
  const values: Record<string, string> = {};
  const prefix = `${projectName}:`;
  for (const [key, value] of Object.entries(all)) {
    if (key.startsWith(prefix)) values[key.slice(prefix.length)] = value;
  }
  const awsRegion = all["aws:region"];
  return {
    values,
    stackName: pulumi.getStack(),
    project: pulumi.getProject(),
    secretKeys: Object.keys(all).filter(isConfigSecret),
    ...(awsRegion === undefined ? {} : { awsRegion }),
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
 * Whether Pulumi holds `key` as a secret. The SDK's own check (exported by its runtime, marked internal) reads the
 * secret keys the language host passes with the configuration; the config tests prove it against the SDK in use.
 */
function isConfigSecret(key: string): boolean {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the SDK module that holds the check
  const runtime = require("@pulumi/pulumi/runtime/config") as { isConfigSecret?: (k: string) => boolean };
  if (runtime.isConfigSecret === undefined) {
    throw new Error(
      "@pulumi/pulumi no longer exports isConfigSecret: the app stacks' secret check needs another way",
    );
  }
  return runtime.isConfigSecret(key);
}

/** Reads the app stack's configuration and validates it with {@link parseStackConfig}. */
export function loadStackConfig(raw: RawStackConfig = readRawConfig()): StackConfig {
  return parseStackConfig(raw);
}
