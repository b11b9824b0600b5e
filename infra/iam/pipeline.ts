/**
 * The delivery pipeline's IAM: the GitHub OIDC trust of each role (exact subjects) and what each role may do,
 * as plain functions over resolved ARNs (see `documents.ts`).
 */
import { document, type AccountContext, type PolicyDocument, type PolicyStatement } from "./documents";

/** GitHub's OIDC issuer, as IAM names its claims (`token.actions.githubusercontent.com:sub`). */
export const githubIssuerHost = "token.actions.githubusercontent.com";

/** The four pipeline roles and the workflows that may assume each. */
export type PipelineRole = "preview" | "beta" | "release" | "watch";

/** The branch and the environments the roles' subjects name. */
export interface SubjectNames {
  betaBranch: string;
  releaseEnvironment: string;
  watchEnvironment: string;
}

/** The repository and the subject claim format its tokens carry. */
export interface SubjectSource {
  owner: string;
  name: string;
  subjectFormat: "repo" | "id";
  ownerId?: string;
  repositoryId?: string;
}

/**
 * The exact `sub` claims a role accepts: pull requests for preview, pushes to `develop` for beta, jobs in the
 * `production` environment for release, jobs in the `beta` environment for watch. `repo` is GitHub's default
 * format; `id` is the immutable one GitHub issues once the repository's subject template includes
 * `repository_owner_id`, `repository_id`, `context`.
 */
export function githubSubjects(source: SubjectSource, role: PipelineRole, names: SubjectNames): string[] {
  const context = {
    preview: "pull_request",
    beta: `ref:refs/heads/${names.betaBranch}`,
    release: `environment:${names.releaseEnvironment}`,
    watch: `environment:${names.watchEnvironment}`,
  }[role];
  const subject =
    source.subjectFormat === "id"
      ? `repository_owner_id:${source.ownerId}:repository_id:${source.repositoryId}`
      : `repo:${source.owner}/${source.name}`;
  return [`${subject}:${context}`];
}

/** Trust policy of a pipeline role: GitHub's OIDC tokens whose audience and subject match exactly. */
export function githubTrustPolicy(providerArn: string, subjects: string[]): PolicyDocument {
  return document({
    Effect: "Allow",
    Principal: { Federated: providerArn },
    Action: "sts:AssumeRoleWithWebIdentity",
    Condition: {
      StringEquals: {
        [`${githubIssuerHost}:aud`]: "sts.amazonaws.com",
        [`${githubIssuerHost}:sub`]: subjects,
      },
    },
  });
}

/** The Pulumi state backend (an S3 bucket, optionally a KMS key for secrets) and what a role may do there. */
export interface StateBackend {
  bucket: string;
  kmsKeyArn?: string;
}

/**
 * State backend access: read every stack's state; write only the lock files (preview) or the files of the named
 * stacks (deploying roles). Paths follow the project-scoped layout of Pulumi's S3 backend.
 */
export function stateBackendStatements(
  ctx: AccountContext,
  backend: StateBackend,
  project: string,
  writableStacks: string[],
): PolicyStatement[] {
  const bucketArn = `arn:${ctx.partition}:s3:::${backend.bucket}`;
  const writable =
    writableStacks.length === 0
      ? [`${bucketArn}/.pulumi/locks/*`]
      : writableStacks.flatMap((stack) => [
          `${bucketArn}/.pulumi/stacks/${project}/${stack}.json*`,
          `${bucketArn}/.pulumi/history/${project}/${stack}/*`,
          `${bucketArn}/.pulumi/backups/${project}/${stack}/*`,
          `${bucketArn}/.pulumi/locks/${project}/${stack}/*`,
        ]);
  const statements: PolicyStatement[] = [
    { Sid: "ListState", Effect: "Allow", Action: "s3:ListBucket", Resource: bucketArn },
    { Sid: "ReadState", Effect: "Allow", Action: "s3:GetObject", Resource: `${bucketArn}/.pulumi/*` },
    { Sid: "WriteState", Effect: "Allow", Action: ["s3:PutObject", "s3:DeleteObject"], Resource: writable },
  ];
  if (backend.kmsKeyArn !== undefined) {
    statements.push({
      Sid: "StateSecrets",
      Effect: "Allow",
      Action:
        writableStacks.length === 0 ? ["kms:Decrypt"] : ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
      Resource: backend.kmsKeyArn,
    });
  }
  return statements;
}

/**
 * Read-only access to what the project's stacks declare (functions, log groups, media buckets, roles, alarms,
 * HTTP APIs), enough for `pulumi preview --refresh`. Scoped to names starting with the project name.
 */
export function readOnlyStatements(ctx: AccountContext, project: string): PolicyStatement[] {
  const { partition, region, accountId } = ctx;
  const fn = `arn:${partition}:lambda:${region}:${accountId}:function:${project}-*`;
  const logGroup = `arn:${partition}:logs:${region}:${accountId}:log-group`;
  const media = `arn:${partition}:s3:::${project}-*-media-*`;
  return [
    {
      Sid: "ReadFunctions",
      Effect: "Allow",
      Action: [
        "lambda:GetFunction",
        "lambda:GetFunctionConfiguration",
        "lambda:GetFunctionCodeSigningConfig",
        "lambda:GetFunctionConcurrency",
        "lambda:GetFunctionRecursionConfig",
        "lambda:GetRuntimeManagementConfig",
        "lambda:GetAlias",
        "lambda:GetPolicy",
        "lambda:ListAliases",
        "lambda:ListVersionsByFunction",
        "lambda:ListTags",
      ],
      Resource: [fn, `${fn}:*`],
    },
    { Sid: "ListLogGroups", Effect: "Allow", Action: "logs:DescribeLogGroups", Resource: `${logGroup}:*` },
    {
      Sid: "ReadLogGroups",
      Effect: "Allow",
      Action: ["logs:ListTagsForResource", "logs:ListTagsLogGroup"],
      Resource: [`${logGroup}:/aws/lambda/${project}-*`, `${logGroup}:/aws/apigateway/${project}-*`],
    },
    {
      Sid: "ReadMediaBuckets",
      Effect: "Allow",
      Action: [
        "s3:GetBucket*",
        "s3:GetEncryptionConfiguration",
        "s3:GetLifecycleConfiguration",
        "s3:GetReplicationConfiguration",
        "s3:GetAccelerateConfiguration",
        "s3:ListBucket",
        "s3:GetObject",
        "s3:GetObjectAcl",
        "s3:GetObjectTagging",
      ],
      Resource: [media, `${media}/*`],
    },
    {
      Sid: "ReadRoles",
      Effect: "Allow",
      Action: ["iam:GetRole", "iam:GetRolePolicy", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies"],
      Resource: `arn:${partition}:iam::${accountId}:role/${project}-*`,
    },
    {
      Sid: "ReadOidcProvider",
      Effect: "Allow",
      Action: "iam:GetOpenIDConnectProvider",
      Resource: `arn:${partition}:iam::${accountId}:oidc-provider/${githubIssuerHost}`,
    },
    {
      Sid: "ReadAlarms",
      Effect: "Allow",
      Action: ["cloudwatch:DescribeAlarms", "cloudwatch:ListTagsForResource"],
      Resource: `arn:${partition}:cloudwatch:${region}:${accountId}:alarm:${project}-*`,
    },
    {
      Sid: "ReadHttpApis",
      Effect: "Allow",
      Action: "apigateway:GET",
      Resource: [
        `arn:${partition}:apigateway:${region}::/apis`,
        `arn:${partition}:apigateway:${region}::/apis/*`,
      ],
    },
  ];
}

/** What the preview role may do: read the stacks and their state. */
export function previewPolicy(ctx: AccountContext, backend: StateBackend, project: string): PolicyDocument {
  return document(...readOnlyStatements(ctx, project), ...stateBackendStatements(ctx, backend, project, []));
}

/**
 * What the beta role may do: deploy the dev stack's code, configuration, media, log retention and alarms
 * (names `<project>-dev-*`). Access guards (roles, bucket policies, public access blocks) change only in an
 * administrator's run, so this role cannot widen its own reach.
 */
export function betaPolicy(ctx: AccountContext, backend: StateBackend, project: string): PolicyDocument {
  const { partition, region, accountId } = ctx;
  const prefix = `${project}-dev`;
  const fn = `arn:${partition}:lambda:${region}:${accountId}:function:${prefix}-*`;
  const media = `arn:${partition}:s3:::${prefix}-media-*`;
  const logGroup = `arn:${partition}:logs:${region}:${accountId}:log-group`;
  return document(
    ...readOnlyStatements(ctx, project),
    ...stateBackendStatements(ctx, backend, project, ["dev"]),
    {
      Sid: "DeployDevFunction",
      Effect: "Allow",
      Action: [
        "lambda:UpdateFunctionCode",
        "lambda:UpdateFunctionConfiguration",
        "lambda:AddPermission",
        "lambda:RemovePermission",
        "lambda:TagResource",
        "lambda:UntagResource",
      ],
      Resource: [fn, `${fn}:*`],
    },
    {
      Sid: "PassDevFunctionRole",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: `arn:${partition}:iam::${accountId}:role/${prefix}-*`,
      Condition: { StringEquals: { "iam:PassedToService": "lambda.amazonaws.com" } },
    },
    {
      Sid: "SyncDevMedia",
      Effect: "Allow",
      Action: ["s3:PutObject", "s3:PutObjectAcl", "s3:DeleteObject", "s3:PutObjectTagging"],
      Resource: `${media}/*`,
    },
    {
      Sid: "DevLogRetention",
      Effect: "Allow",
      Action: ["logs:PutRetentionPolicy", "logs:TagResource", "logs:UntagResource"],
      Resource: [`${logGroup}:/aws/lambda/${prefix}-*`, `${logGroup}:/aws/apigateway/${prefix}-*`],
    },
    {
      Sid: "DevAlarms",
      Effect: "Allow",
      Action: ["cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms", "cloudwatch:TagResource"],
      Resource: `arn:${partition}:cloudwatch:${region}:${accountId}:alarm:${prefix}-*`,
    },
  );
}

/**
 * What the watch role may do (the unattended certification watch): read the state like the preview role, so
 * `pulumi stack output` works, and read this one function's configuration, versions and aliases. Nothing else:
 * no other function, no write of any kind to Lambda.
 */
export function watchPolicy(
  ctx: AccountContext,
  backend: StateBackend,
  project: string,
  functionArn: string,
): PolicyDocument {
  return document(...stateBackendStatements(ctx, backend, project, []), {
    Sid: "ReadReleasedFunction",
    Effect: "Allow",
    Action: [
      "lambda:GetFunctionConfiguration",
      "lambda:GetFunction",
      "lambda:ListVersionsByFunction",
      "lambda:GetAlias",
    ],
    Resource: [functionArn, `${functionArn}:*`],
  });
}

/** The prod stack's own resources the release role acts on. */
export interface ReleaseTargets {
  functionArn: string;
  functionRoleArn: string;
  bucketArn: string;
  logGroupArns: string[];
  apiId?: string;
}

/**
 * What the release role may do: deploy the prod stack's code and configuration and move its aliases (publish
 * versions, update aliases) of this one function only; sync its media; adjust its alarms and HTTP API; read the
 * metrics a canary is judged by.
 */
export function releasePolicy(
  ctx: AccountContext,
  backend: StateBackend,
  project: string,
  targets: ReleaseTargets,
): PolicyDocument {
  const { partition, region, accountId } = ctx;
  const statements: PolicyStatement[] = [
    ...readOnlyStatements(ctx, project),
    ...stateBackendStatements(ctx, backend, project, ["prod"]),
    {
      Sid: "ReleaseFunction",
      Effect: "Allow",
      Action: [
        "lambda:PublishVersion",
        "lambda:UpdateAlias",
        "lambda:UpdateFunctionCode",
        "lambda:UpdateFunctionConfiguration",
        "lambda:AddPermission",
        "lambda:RemovePermission",
        "lambda:TagResource",
        "lambda:UntagResource",
      ],
      Resource: [targets.functionArn, `${targets.functionArn}:*`],
    },
    {
      Sid: "PassFunctionRole",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: targets.functionRoleArn,
      Condition: { StringEquals: { "iam:PassedToService": "lambda.amazonaws.com" } },
    },
    {
      Sid: "SyncMedia",
      Effect: "Allow",
      Action: ["s3:PutObject", "s3:PutObjectAcl", "s3:DeleteObject", "s3:PutObjectTagging"],
      Resource: `${targets.bucketArn}/*`,
    },
    {
      Sid: "LogRetention",
      Effect: "Allow",
      Action: ["logs:PutRetentionPolicy", "logs:TagResource", "logs:UntagResource"],
      Resource: targets.logGroupArns,
    },
    {
      Sid: "Alarms",
      Effect: "Allow",
      Action: ["cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms", "cloudwatch:TagResource"],
      Resource: `arn:${partition}:cloudwatch:${region}:${accountId}:alarm:${project}-prod-*`,
    },
    {
      // A canary reads both versions' signals. Neither action has resource-level permissions: IAM takes "*" only.
      Sid: "ReadCanarySignals",
      Effect: "Allow",
      Action: ["cloudwatch:GetMetricData", "cloudwatch:ListMetrics"],
      Resource: "*",
    },
  ];
  if (targets.apiId !== undefined) {
    const api = `arn:${partition}:apigateway:${region}::/apis/${targets.apiId}`;
    statements.push({
      Sid: "HttpApi",
      Effect: "Allow",
      Action: ["apigateway:POST", "apigateway:PATCH", "apigateway:PUT", "apigateway:DELETE"],
      Resource: [api, `${api}/*`],
    });
  }
  return document(...statements);
}
