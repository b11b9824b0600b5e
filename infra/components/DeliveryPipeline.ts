import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AccountContext } from "../iam/documents";
import {
  type PipelineRole,
  type StateBackend,
  type SubjectNames,
  type SubjectSource,
  betaPolicy,
  githubIssuerHost,
  githubSubjects,
  githubTrustPolicy,
  previewPolicy,
  releasePolicy,
  watchPolicy,
} from "../iam/pipeline";

/** Arguments of {@link DeliveryPipeline}. */
export interface DeliveryPipelineArgs {
  project: string;
  /** Prefix of the role names (`<project>-<stage>`). */
  prefix: string;
  source: SubjectSource;
  /** Trust this existing provider instead of creating one (IAM allows one per issuer and account). */
  oidcProviderArn?: string;
  backend: StateBackend;
  names: SubjectNames;
  /**
   * What the release role deploys: this stack's function, its role, bucket, log groups and HTTP API. The watch
   * role reads the same function.
   */
  release: {
    functionArn: pulumi.Input<string>;
    functionRoleArn: pulumi.Input<string>;
    bucketArn: pulumi.Input<string>;
    logGroupArns: pulumi.Input<string>[];
    apiId?: pulumi.Input<string>;
  };
}

/**
 * The cloud side of the delivery pipeline: GitHub's OIDC provider (or an existing one) and four roles whose
 * trust accepts exactly one kind of workflow each, by `sub` claim with `StringEquals`: preview (pull requests,
 * read-only plus the state backend), beta (pushes to `develop`, deploys the dev stack), release (jobs in the
 * `production` environment, deploys prod and moves its aliases), watch (jobs in the `beta` environment, the
 * scheduled certification watch: reads the state and this stack's function, nothing else).
 */
export class DeliveryPipeline extends pulumi.ComponentResource {
  public readonly providerArn: pulumi.Output<string>;
  public readonly roles: Record<PipelineRole, aws.iam.Role>;
  public readonly previewRoleArn: pulumi.Output<string>;
  public readonly betaRoleArn: pulumi.Output<string>;
  public readonly releaseRoleArn: pulumi.Output<string>;
  public readonly watchRoleArn: pulumi.Output<string>;

  constructor(name: string, args: DeliveryPipelineArgs, opts?: pulumi.ComponentResourceOptions) {
    super("skillship:index:DeliveryPipeline", name, {}, opts);

    this.providerArn =
      args.oidcProviderArn !== undefined
        ? pulumi.output(args.oidcProviderArn)
        : new aws.iam.OpenIdConnectProvider(
            `${name}-github-oidc`,
            { url: `https://${githubIssuerHost}`, clientIdLists: ["sts.amazonaws.com"] },
            { parent: this },
          ).arn;

    const identity = aws.getCallerIdentityOutput({}, { parent: this });
    const region = aws.getRegionOutput({}, { parent: this });
    const partition = aws.getPartitionOutput({}, { parent: this });
    const context: pulumi.Output<AccountContext> = pulumi
      .all([partition.partition, region.region, identity.accountId])
      .apply(([partitionName, regionName, accountId]) => ({
        partition: partitionName,
        region: regionName,
        accountId,
      }));

    const policies: Record<PipelineRole, pulumi.Output<string>> = {
      preview: context.apply((ctx) => JSON.stringify(previewPolicy(ctx, args.backend, args.project))),
      beta: context.apply((ctx) => JSON.stringify(betaPolicy(ctx, args.backend, args.project))),
      release: pulumi
        .all([
          context,
          args.release.functionArn,
          args.release.functionRoleArn,
          args.release.bucketArn,
          pulumi.all(args.release.logGroupArns),
          args.release.apiId,
        ])
        .apply(([ctx, functionArn, functionRoleArn, bucketArn, logGroupArns, apiId]) =>
          JSON.stringify(
            releasePolicy(ctx, args.backend, args.project, {
              functionArn,
              functionRoleArn,
              bucketArn,
              logGroupArns,
              apiId,
            }),
          ),
        ),
      watch: pulumi
        .all([context, args.release.functionArn])
        .apply(([ctx, functionArn]) =>
          JSON.stringify(watchPolicy(ctx, args.backend, args.project, functionArn)),
        ),
    };
    const descriptions: Record<PipelineRole, string> = {
      preview: "GitHub pull requests: read-only preview of the stacks",
      beta: `GitHub pushes to ${args.names.betaBranch}: deploys the dev stack`,
      release: `GitHub environment ${args.names.releaseEnvironment}: deploys prod and moves its aliases`,
      watch: `GitHub environment ${args.names.watchEnvironment}: reads the state and the released function`,
    };

    const roles = {} as Record<PipelineRole, aws.iam.Role>;
    for (const role of ["preview", "beta", "release", "watch"] as const) {
      const subjects = githubSubjects(args.source, role, args.names);
      roles[role] = new aws.iam.Role(
        `${args.prefix}-${role}`,
        {
          description: descriptions[role],
          maxSessionDuration: 3600,
          assumeRolePolicy: this.providerArn.apply((arn) => JSON.stringify(githubTrustPolicy(arn, subjects))),
        },
        { parent: this },
      );
      new aws.iam.RolePolicy(
        `${args.prefix}-${role}-policy`,
        { role: roles[role].id, policy: policies[role] },
        { parent: this },
      );
    }
    this.roles = roles;
    this.previewRoleArn = roles.preview.arn;
    this.betaRoleArn = roles.beta.arn;
    this.releaseRoleArn = roles.release.arn;
    this.watchRoleArn = roles.watch.arn;

    this.registerOutputs({
      previewRoleArn: this.previewRoleArn,
      betaRoleArn: this.betaRoleArn,
      releaseRoleArn: this.releaseRoleArn,
      watchRoleArn: this.watchRoleArn,
    });
  }
}
