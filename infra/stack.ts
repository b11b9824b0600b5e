/**
 * Wires the components of one app stack (dev, prod) from its validated configuration and returns the stack
 * outputs: the contract the `skillship` CLI reads with `pulumi stack output --json`, and the part the
 * administrator-only stack reads to scope the pipeline roles ({@link pipelineOutputKeys}).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AlexaRegion } from "../contracts/alexa-regions";
import { parameterArn } from "../contracts/function-secrets";
import type { CanarySettings } from "../contracts/canary";
import type { SkillBundle } from "./bundle";
import type { StackConfig } from "./config";
import { functionSecretsVariable } from "./function-environment";
import { AlertTopic } from "./components/AlertTopic";
import { Alarms } from "./components/Alarms";
import { HttpsEndpoint, type HttpsRoute } from "./components/HttpsEndpoint";
import { MediaBucket } from "./components/MediaBucket";
import { RegionalSkill } from "./components/RegionalSkill";
import { ReleaseAliases, colours } from "./components/ReleaseAliases";
import { SkillFunction, alexaPrincipals, type SkillFunctionArgs } from "./components/SkillFunction";

/** The service principal of API Gateway, which invokes the function with the `https` endpoint kind. */
export const apiGatewayPrincipal = "apigateway.amazonaws.com";

/** The outputs the administrator-only stack reads (beside `functionArn` and `mediaBucket`), not the CLI. */
export const pipelineOutputKeys = [
  "functionRoleArn",
  "logGroupArns",
  "httpApiId",
  "invokePrincipals",
  "alertsTopicArn",
  "tokenTableArns",
] as const;

/** One Alexa region's function, as the `alexaRegions` output gives it. */
export interface RegionOutput {
  /** The AWS region of the function. */
  awsRegion: string;
  functionName: string;
  functionArn: string;
  /** What the development stage's regional endpoint names: the dev stack's function in that region. */
  developmentEndpoint: string;
  /** The qualified ARN of each alias in that region (stacks with release aliases). */
  aliasEndpoints?: { blue: string; green: string };
}

/** The stack outputs (docs/infrastructure.md, section outputs, says what each holds). */
export interface StackOutputs {
  skillId: string;
  stack: "dev" | "prod";
  endpointKind: "lambda" | "https";
  functionName: pulumi.Output<string>;
  functionArn: pulumi.Output<string>;
  developmentEndpoint: pulumi.Output<string>;
  aliasEndpoints?: pulumi.Output<{ blue: string; green: string }>;
  /** Each Alexa region served with a regional endpoint (`skillship:alexaRegions`), and its function. */
  alexaRegions?: pulumi.Output<Partial<Record<AlexaRegion, RegionOutput>>>;
  /** How `skillship release` runs a code-only release's canary (stacks with release aliases). */
  canary?: CanarySettings;
  mediaBucket: pulumi.Output<string>;
  /** The topic every alarm notifies, and the workflows post their outcome to. */
  alertsTopicArn: pulumi.Output<string>;
  functionRoleArn: pulumi.Output<string>;
  logGroupArns: pulumi.Output<string[]>;
  httpApiId?: pulumi.Output<string>;
  /** The tables of users' Alexa tokens, one per AWS region of the stack's functions (`skillship:tokenTable`). */
  tokenTableArns?: pulumi.Output<string[]>;
  /** The service principals the stack's invoke permissions name: what a pipeline role may grant, no more. */
  invokePrincipals: string[];
}

/** Declares every resource of the stack described by `config`, with the function code from `bundle`. */
export function defineStack(config: StackConfig, bundle: SkillBundle): StackOutputs {
  const { prefix } = config;
  // The development stage points at this stack's $LATEST unless prod is told to point it elsewhere.
  const developmentStagePointsHere = !config.releaseAliases || config.developmentEndpoint === undefined;

  const media = new MediaBucket(`${prefix}-media`, { folder: config.media.folder });

  const functionArgs: SkillFunctionArgs = {
    functionName: `${prefix}-skill`,
    bundle,
    handler: config.endpointKind === "lambda" ? "index.handler" : "index.httpsHandler",
    skillId: config.skillId,
    skillKind: config.skillKind,
    memorySize: config.memorySize,
    timeout: config.timeout,
    architecture: config.architecture,
    logRetentionDays: config.logRetentionDays,
    mediaBucketName: media.bucketName,
    mediaBucketArn: media.bucketArn,
    mediaPrefix: config.media.prefix,
    mediaClips: media.clipKeys,
    alexaInvokesLatest: config.endpointKind === "lambda" && developmentStagePointsHere,
    ...(config.reservedConcurrency === undefined ? {} : { reservedConcurrency: config.reservedConcurrency }),
    // Named after the function, the same in every region: each region's function keeps its users' tokens there.
    ...(config.tokenTable
      ? { tokenTable: { tableName: `${prefix}-skill-tokens`, deletionProtection: config.stage === "prod" } }
      : {}),
    environment: config.functionSettings.environment,
    ...functionSecrets(config),
  };
  const skill = new SkillFunction(`${prefix}-skill`, functionArgs);

  const aliases = config.releaseAliases
    ? new ReleaseAliases(`${prefix}-alias`, {
        functionName: skill.functionName,
        skillId: config.skillId,
        skillKind: config.skillKind,
        alexaInvokes: config.endpointKind === "lambda",
      })
    : undefined;

  let https: HttpsEndpoint | undefined;
  if (config.endpointKind === "https") {
    const routes: HttpsRoute[] = [];
    if (aliases !== undefined) {
      for (const colour of colours) routes.push({ path: colour, qualifier: aliases.aliases[colour].name });
    }
    if (developmentStagePointsHere) routes.push({ path: "latest" });
    https = new HttpsEndpoint(`${prefix}-https`, {
      apiName: `${prefix}-api`,
      functionName: skill.functionName,
      functionArn: skill.functionArn,
      routes,
      throttleBurst: config.https.throttleBurst,
      throttleRate: config.https.throttleRate,
      logRetentionDays: config.logRetentionDays,
    });
  }

  const alerts = new AlertTopic(`${prefix}-alerts`, {
    topicName: `${prefix}-alerts`,
    emails: config.alertEmails,
  });
  new Alarms(
    `${prefix}-alarm`,
    {
      functionName: `${prefix}-skill`,
      aliases: aliases === undefined ? [] : [...colours],
      settings: config.alarms,
      topicArn: alerts.arn,
      ...(https === undefined ? {} : { api: { apiId: https.api.id, apiName: `${prefix}-api` } }),
    },
    { dependsOn: aliases === undefined ? [skill] : [skill, aliases] },
  );

  const ownLatest = https === undefined ? skill.functionArn : https.urls.latest!;
  const developmentEndpoint =
    config.developmentEndpoint !== undefined ? pulumi.output(config.developmentEndpoint) : ownLatest;

  let aliasEndpoints: StackOutputs["aliasEndpoints"];
  if (aliases !== undefined) {
    aliasEndpoints =
      https === undefined
        ? pulumi.all([aliases.arns.blue, aliases.arns.green]).apply(([blue, green]) => ({ blue, green }))
        : pulumi.all([https.urls.blue!, https.urls.green!]).apply(([blue, green]) => ({ blue, green }));
  }

  const regional = config.alexaRegions?.map((entry) => {
    const region = { ...entry, home: entry.awsRegion === config.awsRegion };
    if (region.home) {
      return {
        ...region,
        functionArn: skill.functionArn,
        aliasArns: aliases?.arns,
        logGroupArn: skill.logGroup.arn,
        tokenTableArn: skill.tokenTable?.tableArn,
      };
    }
    const replica = new RegionalSkill(`${prefix}-${entry.alexaRegion.toLowerCase()}`, {
      awsRegion: entry.awsRegion,
      // Regional endpoints are Lambda functions (the configuration refuses https with alexaRegions).
      function: { ...functionArgs, handler: "index.handler", alexaInvokesLatest: developmentStagePointsHere },
      releaseAliases: config.releaseAliases,
      // The configured extra actions are topics of the stack's own region, which a regional alarm cannot notify.
      alarms: { ...config.alarms, actions: [] },
      topicName: `${prefix}-alerts`,
      alertEmails: config.alertEmails,
    });
    return {
      ...region,
      functionArn: replica.functionArn,
      aliasArns: replica.aliasArns,
      logGroupArn: replica.skill.logGroup.arn,
      tokenTableArn: replica.skill.tokenTable?.tableArn,
    };
  });
  const alexaRegions: StackOutputs["alexaRegions"] =
    regional === undefined
      ? undefined
      : pulumi
          .all(
            regional.map((region) =>
              pulumi
                .all([
                  region.functionArn,
                  region.aliasArns?.blue ?? "",
                  region.aliasArns?.green ?? "",
                  developmentEndpoint,
                ])
                .apply(([functionArn, blue, green, development]): [AlexaRegion, RegionOutput] => [
                  region.alexaRegion,
                  {
                    awsRegion: region.awsRegion,
                    functionName: `${prefix}-skill`,
                    functionArn,
                    developmentEndpoint:
                      config.developmentEndpoint === undefined
                        ? functionArn
                        : inRegion(development, region.awsRegion),
                    ...(region.aliasArns === undefined ? {} : { aliasEndpoints: { blue, green } }),
                  },
                ]),
            ),
          )
          .apply((entries) => Object.fromEntries(entries));

  const logGroupArns = [
    skill.logGroup.arn,
    ...(https === undefined ? [] : [https.accessLogs.arn]),
    ...(regional ?? []).filter((region) => !region.home).map((region) => region.logGroupArn),
  ];
  const tokenTableArns =
    skill.tokenTable === undefined
      ? undefined
      : pulumi.all([
          skill.tokenTable.tableArn,
          ...(regional ?? [])
            .filter((region) => !region.home)
            .flatMap((region) => (region.tokenTableArn === undefined ? [] : [region.tokenTableArn])),
        ]);
  return {
    skillId: config.skillId,
    stack: config.stage,
    endpointKind: config.endpointKind,
    functionName: skill.functionName,
    functionArn: skill.functionArn,
    developmentEndpoint,
    aliasEndpoints,
    alexaRegions,
    canary: config.canary,
    mediaBucket: media.bucketName,
    alertsTopicArn: alerts.arn,
    functionRoleArn: skill.role.arn,
    logGroupArns: pulumi.all(logGroupArns),
    httpApiId: https?.api.id,
    tokenTableArns,
    invokePrincipals: [
      config.endpointKind === "https" ? apiGatewayPrincipal : alexaPrincipals[config.skillKind],
    ],
  };
}

/** The same Lambda ARN in another AWS region: the dev stack names its function alike in every region. */
export function inRegion(lambdaArn: string, awsRegion: string): string {
  const parts = lambdaArn.split(":");
  parts[3] = awsRegion;
  return parts.join(":");
}

/**
 * The secrets every region's function reads at start, from the parameters of the stack's own region: the value
 * of `SKILLSHIP_SECRETS` and the parameters' ARNs for the roles. Nothing without `skillship:functionSecrets`.
 */
function functionSecrets(config: StackConfig): Pick<SkillFunctionArgs, "secrets"> {
  const secrets = config.functionSettings.secrets;
  const region = config.awsRegion;
  if (Object.keys(secrets).length === 0 || region === undefined) return {};
  const account = aws.getCallerIdentityOutput().accountId;
  const partition = aws.getPartitionOutput().partition;
  return {
    secrets: {
      variable: functionSecretsVariable(secrets, region),
      parameterArns: pulumi
        .all([partition, account])
        .apply(([part, id]) =>
          [...new Set(Object.values(secrets))].map((name) => parameterArn(part, region, id, name)),
        ),
    },
  };
}
