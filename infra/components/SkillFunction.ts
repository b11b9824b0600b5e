import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { FUNCTION_SECRETS_VARIABLE } from "../../contracts/function-secrets";
import type { SkillBundle } from "../bundle";
import { functionRolePolicy, lambdaAssumeRolePolicy } from "../iam/documents";
import { TokenTable, type TokenTableArgs } from "./TokenTable";

/** The Alexa service principal that invokes the function, by skill kind. */
export const alexaPrincipals = {
  custom: "alexa-appkit.amazon.com",
  smartHome: "alexa-connectedhome.amazon.com",
} as const;

/** Arguments of {@link SkillFunction}. */
export interface SkillFunctionArgs {
  /** Physical name of the function (`<project>-<stage>-skill`), also naming its log group. */
  functionName: string;
  bundle: SkillBundle;
  /** `index.handler` (Alexa invokes Lambda) or `index.httpsHandler` (API Gateway in front). */
  handler: "index.handler" | "index.httpsHandler";
  skillId: string;
  skillKind: keyof typeof alexaPrincipals;
  memorySize: number;
  timeout: number;
  architecture: "arm64" | "x86_64";
  logRetentionDays: number;
  mediaBucketName: pulumi.Input<string>;
  mediaBucketArn: pulumi.Input<string>;
  mediaPrefix?: string;
  /**
   * The clips the stack uploads, by key relative to the prefix: given to the function as MEDIA_CLIPS, its first
   * listing, so that a cold start answers without an S3 round trip. Left out when they would crowd the function's
   * environment (see {@link MAX_MEDIA_CLIPS_BYTES}); the function then lists the bucket on its first request.
   */
  mediaClips?: readonly string[];
  /** Grant Alexa the unqualified invoke permission (the development stage points at `$LATEST`). */
  alexaInvokesLatest: boolean;
  /**
   * Concurrent executions reserved for the function: a floor other functions of the account cannot take, and a
   * ceiling a flood of requests cannot exceed. Undefined: the account's unreserved pool.
   */
  reservedConcurrency?: number;
  /**
   * The table of users' Alexa tokens to create beside the function (in its region, through the same provider),
   * given to it as `TOKEN_TABLE`; undefined: no table.
   */
  tokenTable?: TokenTableArgs;
  /** The team's own variables (`skillship:functionEnvironment`), beside the stack's. */
  environment?: Record<string, string>;
  /**
   * The variables the function reads from Parameter Store when it starts: `SKILLSHIP_SECRETS` as the stack sets
   * it, and the ARNs of the parameters, which the role may read (`ssm:GetParameters`) and nothing else.
   */
  secrets?: { variable: string; parameterArns: pulumi.Input<string[]> };
}

/**
 * Lambda allows 4 KB of environment variables in all; MEDIA_CLIPS may take half, the rest is left to the other
 * variables and to whatever a team adds.
 */
export const MAX_MEDIA_CLIPS_BYTES = 2048;

/** MEDIA_CLIPS for `clips`, or undefined (with a warning saying why) when it would not fit. */
export function mediaClipsVariable(clips: readonly string[], functionName: string): string | undefined {
  const value = JSON.stringify(clips);
  const bytes = Buffer.byteLength(value);
  if (bytes <= MAX_MEDIA_CLIPS_BYTES) return value;
  pulumi.log.warn(
    `${functionName}: the ${clips.length} clips of the media folder take ${bytes} bytes as ` +
      `MEDIA_CLIPS, over the ${MAX_MEDIA_CLIPS_BYTES} the function's environment can spare; the function lists ` +
      "the bucket on its first request instead (a slower cold start)",
  );
  return undefined;
}

/**
 * The skill's Lambda function (`nodejs22.x`, the bundle from `dist/skill`), its log group with retention, its
 * least-privilege role (its own log group; read and list on the media bucket only; get, put and delete items of
 * its token table only), the token table when asked, and, when the development stage points at `$LATEST`, the
 * Alexa invoke permission without qualifier bound to the skill id. The team's variables and the names of the
 * Parameter Store parameters it reads at start (which its role may read, no others) join the stack's own.
 */
export class SkillFunction extends pulumi.ComponentResource {
  public readonly function: aws.lambda.Function;
  public readonly role: aws.iam.Role;
  public readonly logGroup: aws.cloudwatch.LogGroup;
  public readonly functionName: pulumi.Output<string>;
  public readonly functionArn: pulumi.Output<string>;
  public readonly latestPermission?: aws.lambda.Permission;
  /** The table of users' Alexa tokens, in the function's region (with `tokenTable`). */
  public readonly tokenTable?: TokenTable;

  constructor(name: string, args: SkillFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("skillship:index:SkillFunction", name, {}, opts);

    // Created before the function so Lambda never creates it implicitly without retention.
    this.logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { name: `/aws/lambda/${args.functionName}`, retentionInDays: args.logRetentionDays },
      { parent: this },
    );

    if (args.tokenTable !== undefined) {
      this.tokenTable = new TokenTable(`${name}-tokens`, args.tokenTable, { parent: this });
    }

    this.role = new aws.iam.Role(
      `${name}-role`,
      {
        description: `Runs ${args.functionName}: its own log group, read-only media`,
        assumeRolePolicy: JSON.stringify(lambdaAssumeRolePolicy()),
      },
      { parent: this },
    );
    const rolePolicy = new aws.iam.RolePolicy(
      `${name}-role-policy`,
      {
        role: this.role.id,
        policy: pulumi
          .all([
            this.logGroup.arn,
            args.mediaBucketArn,
            this.tokenTable?.tableArn,
            args.secrets?.parameterArns,
          ])
          .apply(([logGroupArn, bucketArn, tokenTableArn, secretParameterArns]) =>
            JSON.stringify(
              functionRolePolicy({
                logGroupArn,
                bucketArn,
                mediaPrefix: args.mediaPrefix,
                tokenTableArn,
                secretParameterArns,
              }),
            ),
          ),
      },
      { parent: this },
    );

    const environment: Record<string, pulumi.Input<string>> = {
      ...args.environment,
      ...(args.secrets === undefined ? {} : { [FUNCTION_SECRETS_VARIABLE]: args.secrets.variable }),
      SKILL_ID: args.skillId,
      MEDIA_BUCKET: args.mediaBucketName,
    };
    if (args.mediaPrefix !== undefined) environment.MEDIA_PREFIX = args.mediaPrefix;
    if (this.tokenTable !== undefined) environment.TOKEN_TABLE = this.tokenTable.tableName;
    const clips = args.mediaClips && mediaClipsVariable(args.mediaClips, args.functionName);
    if (clips !== undefined) environment.MEDIA_CLIPS = clips;

    this.function = new aws.lambda.Function(
      `${name}-function`,
      {
        name: args.functionName,
        description: "Alexa skill endpoint (managed by Pulumi; versions and aliases by skillship release)",
        runtime: aws.lambda.Runtime.NodeJS22dX,
        architectures: [args.architecture],
        handler: args.handler,
        code: new pulumi.asset.FileArchive(args.bundle.zipPath),
        sourceCodeHash: args.bundle.codeSha256,
        memorySize: args.memorySize,
        timeout: args.timeout,
        role: this.role.arn,
        publish: false,
        environment: { variables: environment },
        loggingConfig: { logFormat: "JSON", logGroup: this.logGroup.name },
        ...(args.reservedConcurrency === undefined
          ? {}
          : { reservedConcurrentExecutions: args.reservedConcurrency }),
      },
      { parent: this, dependsOn: [this.logGroup, rolePolicy] },
    );
    this.functionName = this.function.name;
    this.functionArn = this.function.arn;

    if (args.alexaInvokesLatest) {
      this.latestPermission = new aws.lambda.Permission(
        `${name}-alexa`,
        {
          function: this.function.name,
          action: "lambda:InvokeFunction",
          principal: alexaPrincipals[args.skillKind],
          eventSourceToken: args.skillId,
        },
        { parent: this },
      );
    }

    this.registerOutputs({ functionName: this.functionName, functionArn: this.functionArn });
  }
}
