// Over 350 lines on purpose: every pipeline role's policy side by side, so what each may reach reads in one place.
/**
 * The delivery pipeline's IAM: what each role may do, as plain functions over resolved ARNs (see `documents.ts`);
 * who may assume each role is in `github.ts`, the state backend's part in `state.ts`.
 */
import { document, type AccountContext, type PolicyDocument, type PolicyStatement } from "./documents";
import { stateBackendStatements, type StateBackend } from "./state";
import { tokenTableStatements } from "./token-tables";

export type { StateBackend } from "./state";
export { TOKEN_TABLE_PIPELINE_ACTIONS } from "./token-tables";
export { githubIssuerHost, githubSubjects, githubTrustPolicy } from "./github";
export type { PipelineRole, SubjectNames, SubjectSource } from "./github";

/**
 * An ARN in the stack's own region and in each other AWS region its functions serve (regional endpoints): one
 * string when there is only the own region, as before.
 */
function inRegions(
  ctx: AccountContext,
  regions: readonly string[] | undefined,
  arns: (region: string) => string[],
): string[] {
  return [...new Set([ctx.region, ...(regions ?? [])])].flatMap(arns);
}

/** One resource as a string, several as a list. */
const resource = (arns: string[]): string | string[] => (arns.length === 1 ? arns[0] : arns);

/**
 * Read-only access to what the project's app stacks declare (functions, log groups, media buckets, roles, alarms,
 * alert topics, HTTP APIs), enough for `pulumi preview --refresh`. Scoped to names starting with the project name,
 * in the stacks' own region and each other AWS region `regions` their functions serve.
 */
export function readOnlyStatements(
  ctx: AccountContext,
  project: string,
  regions: readonly string[] = [],
): PolicyStatement[] {
  const { partition, region, accountId } = ctx;
  const fn = (at: string) => `arn:${partition}:lambda:${at}:${accountId}:function:${project}-*`;
  const logGroup = (at: string) => `arn:${partition}:logs:${at}:${accountId}:log-group`;
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
      Resource: inRegions(ctx, regions, (at) => [fn(at), `${fn(at)}:*`]),
    },
    {
      Sid: "ListLogGroups",
      Effect: "Allow",
      Action: "logs:DescribeLogGroups",
      Resource: resource(inRegions(ctx, regions, (at) => [`${logGroup(at)}:*`])),
    },
    {
      Sid: "ReadLogGroups",
      Effect: "Allow",
      Action: ["logs:ListTagsForResource", "logs:ListTagsLogGroup"],
      Resource: inRegions(ctx, regions, (at) => [
        `${logGroup(at)}:/aws/lambda/${project}-*`,
        `${logGroup(at)}:/aws/apigateway/${project}-*`,
      ]),
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
      // The app stacks' function roles; not the pipeline's own roles, which no app stack declares.
      Resource: [
        `arn:${partition}:iam::${accountId}:role/${project}-dev-*`,
        `arn:${partition}:iam::${accountId}:role/${project}-prod-*`,
      ],
    },
    {
      Sid: "ReadAlertTopics",
      Effect: "Allow",
      Action: [
        "sns:GetTopicAttributes",
        "sns:ListTagsForResource",
        "sns:ListSubscriptionsByTopic",
        "sns:GetSubscriptionAttributes",
      ],
      Resource: resource(
        inRegions(ctx, regions, (at) => [`arn:${partition}:sns:${at}:${accountId}:${project}-*`]),
      ),
    },
    {
      Sid: "ReadAlarms",
      Effect: "Allow",
      Action: ["cloudwatch:DescribeAlarms", "cloudwatch:ListTagsForResource"],
      Resource: resource(
        inRegions(ctx, regions, (at) => [
          `arn:${partition}:cloudwatch:${at}:${accountId}:alarm:${project}-*`,
        ]),
      ),
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

/**
 * What the preview role may do: read the app stacks (their token tables' settings among them, `tokenTableArns`)
 * and their state; nothing of the admin stack.
 */
export function previewPolicy(
  ctx: AccountContext,
  backend: StateBackend | undefined,
  project: string,
  regions: readonly string[] = [],
  tokenTableArns: readonly string[] = [],
): PolicyDocument {
  return document(
    ...readOnlyStatements(ctx, project, regions),
    ...stateBackendStatements(ctx, backend, project, { read: ["dev", "prod"], write: [] }),
    ...tokenTableStatements("ReadTokenTables", tokenTableArns, false),
  );
}

/**
 * `lambda:AddPermission` and `RemovePermission` held to the service principals the stack's own permissions name
 * (the `lambda:Principal` condition key): a role can recreate the stack's invoke permissions but never grant
 * invoke to any other principal, an account or `*`.
 */
function permissionStatement(sid: string, resources: string[], principals: string[]): PolicyStatement[] {
  if (principals.length === 0) return [];
  return [
    {
      Sid: sid,
      Effect: "Allow",
      Action: ["lambda:AddPermission", "lambda:RemovePermission"],
      Resource: resources,
      Condition: { StringEquals: { "lambda:Principal": principals } },
    },
  ];
}

/** What a deploying role knows of the app stack it deploys (read from that stack's outputs). */
export interface StackTargets {
  /** The service principals the stack's invoke permissions name (`invokePrincipals` output). */
  invokePrincipals: string[];
  /** The stack's alert topic, which the role may publish a run's outcome to. */
  alertsTopicArn?: string;
  /** The AWS regions of the stack's functions (`alexaRegions` output), when it serves regional endpoints. */
  regions?: string[];
  /** The stack's tables of users' Alexa tokens, one per region (`tokenTableArns` output), when it has them. */
  tokenTableArns?: string[];
}

/**
 * What the beta role may do: deploy the dev stack's code, configuration, media, log retention and alarms
 * (names `<project>-dev-*`), recreate its invoke permissions for its own principals only, create and configure
 * its token tables (never their items, never delete one). Access guards (roles, bucket policies, public access
 * blocks, the alert topic's subscriptions) change only in an administrator's run, so this role cannot widen its
 * own reach.
 */
export function betaPolicy(
  ctx: AccountContext,
  backend: StateBackend | undefined,
  project: string,
  dev: StackTargets,
): PolicyDocument {
  const { partition, accountId } = ctx;
  const prefix = `${project}-dev`;
  const fns = inRegions(ctx, dev.regions, (at) => {
    const fn = `arn:${partition}:lambda:${at}:${accountId}:function:${prefix}-*`;
    return [fn, `${fn}:*`];
  });
  const media = `arn:${partition}:s3:::${prefix}-media-*`;
  return document(
    ...readOnlyStatements(ctx, project, dev.regions),
    ...stateBackendStatements(ctx, backend, project, { read: ["dev"], write: ["dev"] }),
    {
      Sid: "DeployDevFunction",
      Effect: "Allow",
      Action: [
        "lambda:UpdateFunctionCode",
        "lambda:UpdateFunctionConfiguration",
        "lambda:PutFunctionConcurrency",
        "lambda:DeleteFunctionConcurrency",
        "lambda:TagResource",
        "lambda:UntagResource",
      ],
      Resource: fns,
    },
    ...permissionStatement("DevInvokePermissions", fns, dev.invokePrincipals),
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
      Resource: inRegions(ctx, dev.regions, (at) => {
        const logGroup = `arn:${partition}:logs:${at}:${accountId}:log-group`;
        return [`${logGroup}:/aws/lambda/${prefix}-*`, `${logGroup}:/aws/apigateway/${prefix}-*`];
      }),
    },
    {
      Sid: "DevAlarms",
      Effect: "Allow",
      Action: ["cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms", "cloudwatch:TagResource"],
      Resource: resource(
        inRegions(ctx, dev.regions, (at) => [
          `arn:${partition}:cloudwatch:${at}:${accountId}:alarm:${prefix}-*`,
        ]),
      ),
    },
    ...tokenTableStatements("DevTokenTables", dev.tokenTableArns, true),
  );
}

/**
 * What the watch role may do (the unattended certification watch): read the prod stack's state, so
 * `pulumi stack output` works, read this one function's configuration, versions and aliases, and post the watch's
 * outcome to the prod alert topic. Nothing else: no other function, no write of any kind to Lambda.
 */
export function watchPolicy(
  ctx: AccountContext,
  backend: StateBackend | undefined,
  project: string,
  functionArn: string,
  prod: StackTargets,
): PolicyDocument {
  return document(
    ...stateBackendStatements(ctx, backend, project, { read: ["prod"], write: [] }),
    {
      Sid: "ReadReleasedFunction",
      Effect: "Allow",
      Action: [
        "lambda:GetFunctionConfiguration",
        "lambda:GetFunction",
        "lambda:ListVersionsByFunction",
        "lambda:GetAlias",
      ],
      Resource: regionalFunction(ctx, functionArn, prod.regions),
    },
    ...publishStatement(prod),
  );
}

/** The function's ARN and its qualified ARNs, in its own region and each other region it serves. */
function regionalFunction(ctx: AccountContext, functionArn: string, regions?: readonly string[]): string[] {
  const own = functionArn.split(":")[3] ?? ctx.region;
  return [...new Set([own, ...(regions ?? [])])].flatMap((at) => {
    const parts = functionArn.split(":");
    parts[3] = at;
    const arn = parts.join(":");
    return [arn, `${arn}:*`];
  });
}

function publishStatement(targets: StackTargets): PolicyStatement[] {
  return targets.alertsTopicArn === undefined
    ? []
    : [{ Sid: "PostOutcome", Effect: "Allow", Action: "sns:Publish", Resource: targets.alertsTopicArn }];
}

/** The prod stack's own resources the release role acts on. */
export interface ReleaseTargets extends StackTargets {
  functionArn: string;
  functionRoleArn: string;
  bucketArn: string;
  logGroupArns: string[];
  apiId?: string;
  /** The roles of the function's copies in other regions (name patterns), which the release may pass too. */
  replicaRoleArns?: string[];
}

/**
 * What the release role may do: deploy the prod stack's code and configuration and move its aliases (publish
 * versions, update aliases) of this one function only, recreate its invoke permissions for its own principals
 * only; sync its media; adjust its alarms and HTTP API; create and configure its token tables (never their items,
 * never delete one); read the metrics a canary is judged by; post the release's outcome to the prod alert topic.
 */
export function releasePolicy(
  ctx: AccountContext,
  backend: StateBackend | undefined,
  project: string,
  targets: ReleaseTargets,
): PolicyDocument {
  const { partition, region, accountId } = ctx;
  const functionResources = regionalFunction(ctx, targets.functionArn, targets.regions);
  const statements: PolicyStatement[] = [
    ...readOnlyStatements(ctx, project, targets.regions),
    ...stateBackendStatements(ctx, backend, project, { read: ["prod"], write: ["prod"] }),
    {
      Sid: "ReleaseFunction",
      Effect: "Allow",
      Action: [
        "lambda:PublishVersion",
        "lambda:UpdateAlias",
        "lambda:UpdateFunctionCode",
        "lambda:UpdateFunctionConfiguration",
        "lambda:PutFunctionConcurrency",
        "lambda:DeleteFunctionConcurrency",
        "lambda:TagResource",
        "lambda:UntagResource",
      ],
      Resource: functionResources,
    },
    ...permissionStatement("ReleaseInvokePermissions", functionResources, targets.invokePrincipals),
    {
      Sid: "PassFunctionRole",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: resource([targets.functionRoleArn, ...(targets.replicaRoleArns ?? [])]),
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
      Resource: resource(
        inRegions(ctx, targets.regions, (at) => [
          `arn:${partition}:cloudwatch:${at}:${accountId}:alarm:${project}-prod-*`,
        ]),
      ),
    },
    ...tokenTableStatements("TokenTables", targets.tokenTableArns, true),
    ...publishStatement(targets),
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
