/**
 * The administrator-only stack: the delivery pipeline (GitHub's OIDC provider and the four roles, scoped by the
 * app stacks' outputs read through stack references) and the GitHub repository's environments, variables and
 * environment secrets. Deployed by an administrator from a workstation, never by a workflow; its state and key
 * are denied to every role it creates.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AdminStackConfig } from "./admin-config";
import {
  betaBranch,
  defaultBranch,
  previewEnvironment,
  releaseEnvironment,
  watchEnvironment,
} from "./config";
import { DeliveryPipeline, type ProdTargets } from "./components/DeliveryPipeline";
import { RepositorySettings } from "./components/RepositorySettings";
import type { StackTargets, StateBackend } from "./iam/pipeline";

/** The admin stack's outputs: the roles the workflows assume (also written as repository variables). */
export interface AdminOutputs {
  previewRoleArn: pulumi.Output<string>;
  betaRoleArn: pulumi.Output<string>;
  releaseRoleArn: pulumi.Output<string>;
  watchRoleArn: pulumi.Output<string>;
}

/** Declares the administrator-only stack's resources. */
export function defineAdminStack(config: AdminStackConfig): AdminOutputs {
  const dev = new pulumi.StackReference(config.stacks.dev);
  const prod = new pulumi.StackReference(config.stacks.prod);
  const devTargets: pulumi.Output<StackTargets> = pulumi
    .all([
      dev.requireOutput("invokePrincipals"),
      dev.requireOutput("alertsTopicArn"),
      dev.getOutput("alexaRegions"),
      dev.getOutput("tokenTableArns"),
    ])
    .apply(([invokePrincipals, alertsTopicArn, alexaRegions, tokenTableArns]) => ({
      invokePrincipals: invokePrincipals as string[],
      alertsTopicArn: alertsTopicArn as string,
      ...regionsOf(alexaRegions),
      ...tablesOf(tokenTableArns),
    }));
  const prodTargets: pulumi.Output<ProdTargets> = pulumi
    .all([
      prod.requireOutput("functionArn"),
      prod.requireOutput("functionRoleArn"),
      prod.requireOutput("mediaBucket"),
      prod.requireOutput("logGroupArns"),
      prod.getOutput("httpApiId"),
      prod.requireOutput("invokePrincipals"),
      prod.requireOutput("alertsTopicArn"),
      prod.getOutput("alexaRegions"),
      prod.getOutput("tokenTableArns"),
    ])
    .apply(
      ([
        functionArn,
        functionRoleArn,
        mediaBucket,
        logGroupArns,
        apiId,
        invokePrincipals,
        topic,
        regions,
        tokenTableArns,
      ]) => ({
        ...regionsOf(regions),
        ...tablesOf(tokenTableArns),
        ...replicaRolesOf(regions, functionArn as string, functionRoleArn as string),
        functionArn: functionArn as string,
        functionRoleArn: functionRoleArn as string,
        mediaBucket: mediaBucket as string,
        logGroupArns: logGroupArns as string[],
        ...(apiId === undefined ? {} : { apiId: apiId as string }),
        invokePrincipals: invokePrincipals as string[],
        alertsTopicArn: topic as string,
      }),
    );

  const backend: StateBackend | undefined =
    config.backend.kind === "s3"
      ? {
          bucket: config.backend.bucket,
          adminStack: config.stackName,
          ...(config.backend.appKeyArn === undefined ? {} : { kmsKeyArn: config.backend.appKeyArn }),
          ...(config.backend.adminKeyArn === undefined ? {} : { adminKmsKeyArn: config.backend.adminKeyArn }),
        }
      : undefined;
  const pipeline = new DeliveryPipeline(config.prefix, {
    project: config.project,
    prefix: config.prefix,
    source: config.source,
    ...(config.oidcProviderArn === undefined ? {} : { oidcProviderArn: config.oidcProviderArn }),
    ...(backend === undefined ? {} : { backend }),
    names: { betaBranch, releaseEnvironment, watchEnvironment, previewEnvironment },
    dev: devTargets,
    prod: prodTargets,
  });

  if (config.github !== undefined) {
    const backendVariables: Record<string, pulumi.Input<string>> = config.backend.kind === "s3"
      ? { PULUMI_BACKEND_URL: `s3://${config.backend.bucket}` }
      : { PULUMI_ORGANIZATION: config.backend.organization };
    new RepositorySettings(`${config.prefix}-repository`, {
      owner: config.source.owner,
      repository: config.source.name,
      token: config.github.token,
      environments: [
        // Release tags deploy; the scheduled publish and rollbacks run from the default branch.
        {
          name: releaseEnvironment,
          reviewers: config.github.reviewers,
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
        ...backendVariables,
        SKILLSHIP_PREVIEW_ROLE_ARN: pipeline.previewRoleArn,
        SKILLSHIP_BETA_ROLE_ARN: pipeline.betaRoleArn,
        SKILLSHIP_RELEASE_ROLE_ARN: pipeline.releaseRoleArn,
        SKILLSHIP_WATCH_ROLE_ARN: pipeline.watchRoleArn,
        SKILLSHIP_ALERTS_TOPIC_ARN: prodTargets.apply((targets) => targets.alertsTopicArn ?? ""),
      },
      secrets: config.github.secrets,
      idSubjects: config.source.subjectFormat === "id",
    });
  }

  return {
    previewRoleArn: pipeline.previewRoleArn,
    betaRoleArn: pipeline.betaRoleArn,
    releaseRoleArn: pipeline.releaseRoleArn,
    watchRoleArn: pipeline.watchRoleArn,
  };
}

/** The AWS regions of a stack's functions, from its `alexaRegions` output (absent: its own region only). */
function regionsOf(alexaRegions: unknown): { regions?: string[] } {
  if (alexaRegions === undefined || alexaRegions === null) return {};
  const regions = Object.values(alexaRegions as Record<string, { awsRegion: string }>).map(
    (r) => r.awsRegion,
  );
  return { regions: [...new Set(regions)] };
}

/** A stack's token tables, from its `tokenTableArns` output (absent: the stack has none). */
function tablesOf(tokenTableArns: unknown): { tokenTableArns?: string[] } {
  return Array.isArray(tokenTableArns) && tokenTableArns.length > 0
    ? { tokenTableArns: tokenTableArns as string[] }
    : {};
}

/**
 * The roles of prod's function copies in other regions (`RegionalSkill`, logical names
 * `<prefix>-<alexa region>-skill-role`, with Pulumi's random suffix), as ARN patterns beside its own role.
 */
function replicaRolesOf(
  alexaRegions: unknown,
  functionArn: string,
  functionRoleArn: string,
): { replicaRoleArns?: string[] } {
  if (alexaRegions === undefined || alexaRegions === null) return {};
  const home = functionArn.split(":")[3];
  const rolePrefix = functionRoleArn.slice(0, functionRoleArn.lastIndexOf("/") + 1);
  const prefix = functionArn.split(":")[6]?.replace(/-skill$/, "") ?? "";
  const arns = Object.entries(alexaRegions as Record<string, { awsRegion: string }>)
    .filter(([, region]) => region.awsRegion !== home)
    .map(([name]) => `${rolePrefix}${prefix}-${name.toLowerCase()}-skill-role-*`);
  return arns.length === 0 ? {} : { replicaRoleArns: arns };
}
