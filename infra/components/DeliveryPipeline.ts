import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AccountContext } from "../iam/documents";
import {
  type PipelineRole,
  type ReleaseTargets,
  type StackTargets,
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

/** What the roles learn of the prod stack from its outputs (the bucket by name; its ARN is built here). */
export type ProdTargets = Omit<ReleaseTargets, "bucketArn"> & { mediaBucket: string };

/** Arguments of {@link DeliveryPipeline}. */
export interface DeliveryPipelineArgs {
  project: string;
  /** Prefix of the role names (`<project>-pipeline`). */
  prefix: string;
  source: SubjectSource;
  /** Trust this existing provider instead of creating one (IAM allows one per issuer and account). */
  oidcProviderArn?: string;
  /** The S3 state backend; undefined with Pulumi Cloud. */
  backend?: StateBackend;
  names: SubjectNames;
  /** The dev stack's outputs the beta role is scoped by. */
  dev: pulumi.Input<StackTargets>;
  /** The prod stack's outputs the release and watch roles are scoped by. */
  prod: pulumi.Input<ProdTargets>;
}

/**
 * The cloud side of the delivery pipeline, in the administrator-only stack: GitHub's OIDC provider (or an existing
 * one) and four roles whose trust accepts exactly one kind of workflow each, by `sub` claim with `StringEquals`:
 * preview (pull requests and jobs of the `preview` environment such as the drift check, read-only, the app
 * stacks' state only), beta (pushes to `develop`, deploys the dev
 * stack), release (jobs in the `production` environment, deploys prod and moves its aliases), watch (jobs in the
 * `beta` environment, the scheduled certification watch: reads prod's state and function, nothing else). Each is
 * scoped by the app stacks' outputs, and every one is denied the admin stack's state and key.
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
    const prod = pulumi.output(args.prod);

    const policies: Record<PipelineRole, pulumi.Output<string>> = {
      preview: pulumi.all([context, pulumi.output(args.dev), prod]).apply(([ctx, dev, prodTargets]) =>
        JSON.stringify(
          // Both app stacks' functions, in every AWS region they serve.
          previewPolicy(
            ctx,
            args.backend,
            args.project,
            [...new Set([...(dev.regions ?? []), ...(prodTargets.regions ?? [])])],
            [...(dev.tokenTableArns ?? []), ...(prodTargets.tokenTableArns ?? [])],
          ),
        ),
      ),
      beta: pulumi
        .all([context, pulumi.output(args.dev)])
        .apply(([ctx, dev]) =>
          JSON.stringify(betaPolicy(ctx, args.backend, args.project, dev as StackTargets)),
        ),
      release: pulumi.all([context, prod]).apply(([ctx, targets]) => {
        const { mediaBucket, ...rest } = targets as ProdTargets;
        const bucketArn = `arn:${ctx.partition}:s3:::${mediaBucket}`;
        return JSON.stringify(releasePolicy(ctx, args.backend, args.project, { ...rest, bucketArn }));
      }),
      watch: pulumi
        .all([context, prod])
        .apply(([ctx, targets]) =>
          JSON.stringify(
            watchPolicy(ctx, args.backend, args.project, targets.functionArn, targets as ProdTargets),
          ),
        ),
    };
    const descriptions: Record<PipelineRole, string> = {
      preview: `GitHub pull requests and environment ${args.names.previewEnvironment}: read-only preview of the app stacks`,
      beta: `GitHub pushes to ${args.names.betaBranch}: deploys the dev stack`,
      release: `GitHub environment ${args.names.releaseEnvironment}: deploys prod and moves its aliases`,
      watch: `GitHub environment ${args.names.watchEnvironment}: reads prod's state and released function`,
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
