/**
 * Wires the components of one stack from its validated configuration and returns the stack outputs, the
 * contract the `skillship` CLI reads with `pulumi stack output --json`.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { CanarySettings } from "../contracts/canary";
import type { SkillBundle } from "./bundle";
import {
  type StackConfig,
  betaBranch,
  defaultBranch,
  previewEnvironment,
  releaseEnvironment,
  watchEnvironment,
} from "./config";
import { Alarms } from "./components/Alarms";
import { DeliveryPipeline } from "./components/DeliveryPipeline";
import { HttpsEndpoint, type HttpsRoute } from "./components/HttpsEndpoint";
import { MediaBucket } from "./components/MediaBucket";
import { ReleaseAliases, colours } from "./components/ReleaseAliases";
import { RepositorySettings } from "./components/RepositorySettings";
import { SkillFunction } from "./components/SkillFunction";

/** The stack outputs (docs/infrastructure.md, section outputs, says what each holds). */
export interface StackOutputs {
  skillId: string;
  stack: "dev" | "prod";
  endpointKind: "lambda" | "https";
  functionName: pulumi.Output<string>;
  functionArn: pulumi.Output<string>;
  developmentEndpoint: pulumi.Output<string>;
  aliasEndpoints?: pulumi.Output<{ blue: string; green: string }>;
  /** How `skillship release` runs a code-only release's canary (stacks with release aliases). */
  canary?: CanarySettings;
  mediaBucket: pulumi.Output<string>;
  previewRoleArn?: pulumi.Output<string>;
  betaRoleArn?: pulumi.Output<string>;
  releaseRoleArn?: pulumi.Output<string>;
  watchRoleArn?: pulumi.Output<string>;
}

/** Declares every resource of the stack described by `config`, with the function code from `bundle`. */
export function defineStack(config: StackConfig, bundle: SkillBundle): StackOutputs {
  const { prefix } = config;
  // The development stage points at this stack's $LATEST unless prod is told to point it elsewhere.
  const developmentStagePointsHere = !config.releaseAliases || config.developmentEndpoint === undefined;

  const media = new MediaBucket(`${prefix}-media`, { folder: config.media.folder });

  const skill = new SkillFunction(`${prefix}-skill`, {
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
  });

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

  new Alarms(
    `${prefix}-alarm`,
    {
      functionName: `${prefix}-skill`,
      aliases: aliases === undefined ? [] : [...colours],
      settings: config.alarms,
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

  let pipeline: DeliveryPipeline | undefined;
  if (config.pipeline !== undefined) {
    const source = config.pipeline;
    const backend = { bucket: source.stateBucket, kmsKeyArn: source.stateKmsKeyArn };
    const logGroupArns = [skill.logGroup.arn];
    if (https !== undefined) logGroupArns.push(https.accessLogs.arn);
    pipeline = new DeliveryPipeline(`${prefix}-pipeline`, {
      project: config.project,
      prefix,
      source,
      oidcProviderArn: source.oidcProviderArn,
      backend,
      names: { betaBranch, releaseEnvironment, watchEnvironment },
      release: {
        functionArn: skill.functionArn,
        functionRoleArn: skill.role.arn,
        bucketArn: media.bucketArn,
        logGroupArns,
        apiId: https?.api.id,
      },
    });
    if (source.github !== undefined) {
      new RepositorySettings(`${prefix}-repository`, {
        owner: source.owner,
        repository: source.name,
        token: source.github.token,
        environments: [
          // Release tags deploy; the scheduled publish and rollbacks run from the default branch.
          {
            name: releaseEnvironment,
            reviewers: source.github.reviewers,
            branches: [defaultBranch],
            tags: ["v*"],
            lwaSecrets: true,
          },
          // beta.yml runs on develop; the scheduled certification watch runs on the default branch.
          { name: watchEnvironment, branches: [betaBranch, defaultBranch], lwaSecrets: true },
          // Pull requests (refs/pull/N/merge) reach it; its read-only Login with Amazon token is set by hand.
          { name: previewEnvironment, lwaSecrets: false },
        ],
        variables: {
          AWS_REGION: aws.getRegionOutput().region,
          PULUMI_BACKEND_URL: `s3://${source.stateBucket}`,
          SKILLSHIP_PREVIEW_ROLE_ARN: pipeline.previewRoleArn,
          SKILLSHIP_BETA_ROLE_ARN: pipeline.betaRoleArn,
          SKILLSHIP_RELEASE_ROLE_ARN: pipeline.releaseRoleArn,
          SKILLSHIP_WATCH_ROLE_ARN: pipeline.watchRoleArn,
        },
        secrets: source.github.secrets,
        idSubjects: source.subjectFormat === "id",
      });
    }
  }

  return {
    skillId: config.skillId,
    stack: config.stage,
    endpointKind: config.endpointKind,
    functionName: skill.functionName,
    functionArn: skill.functionArn,
    developmentEndpoint,
    aliasEndpoints,
    canary: config.canary,
    mediaBucket: media.bucketName,
    previewRoleArn: pipeline?.previewRoleArn,
    betaRoleArn: pipeline?.betaRoleArn,
    releaseRoleArn: pipeline?.releaseRoleArn,
    watchRoleArn: pipeline?.watchRoleArn,
  };
}
