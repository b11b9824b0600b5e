/**
 * IAM policy documents as plain functions over resolved ARNs, so tests read them directly and evaluate them
 * against sample requests. Components call them inside `apply`. This file: the shapes, and the policies of the
 * skill's own function and media bucket; `pipeline.ts` has the delivery pipeline's roles.
 */

/** One IAM policy statement (the subset this project writes). */
export interface PolicyStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Principal?: "*" | Record<string, string | string[]>;
  Action: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

/** An IAM policy document. */
export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: PolicyStatement[];
}

/** Where the stack runs: the parts of every ARN the policies name. */
export interface AccountContext {
  partition: string;
  region: string;
  accountId: string;
}

export const document = (...statements: PolicyStatement[]): PolicyDocument => ({
  Version: "2012-10-17",
  Statement: statements,
});

/** Trust policy of the function role: only the Lambda service assumes it. */
export function lambdaAssumeRolePolicy(): PolicyDocument {
  return document({
    Effect: "Allow",
    Principal: { Service: "lambda.amazonaws.com" },
    Action: "sts:AssumeRole",
  });
}

/** What the function does with its token table's items (`examples/home-hub/src/tokens.ts`): nothing more. */
export const TOKEN_TABLE_ACTIONS = ["dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem"] as const;

/**
 * The function role's permissions: write its own log group, read (and list) the media bucket under the prefix,
 * and, with a token table, get, put and delete its items. Nothing else: no other bucket, log group or table.
 */
export function functionRolePolicy(args: {
  logGroupArn: string;
  bucketArn: string;
  mediaPrefix?: string;
  tokenTableArn?: string;
  /** The Parameter Store parameters the function reads at start (`skillship:functionSecrets`). */
  secretParameterArns?: string[];
}): PolicyDocument {
  const prefix = args.mediaPrefix ?? "";
  const list: PolicyStatement = {
    Sid: "ListMedia",
    Effect: "Allow",
    Action: "s3:ListBucket",
    Resource: args.bucketArn,
  };
  if (prefix !== "") list.Condition = { StringLike: { "s3:prefix": [`${prefix}*`] } };
  return document(
    {
      Sid: "WriteOwnLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: `${args.logGroupArn}:*`,
    },
    { Sid: "ReadMedia", Effect: "Allow", Action: "s3:GetObject", Resource: `${args.bucketArn}/${prefix}*` },
    list,
    ...(args.tokenTableArn === undefined
      ? []
      : [
          {
            Sid: "UserTokens",
            Effect: "Allow" as const,
            Action: [...TOKEN_TABLE_ACTIONS],
            Resource: args.tokenTableArn,
          },
        ]),
    ...(args.secretParameterArns === undefined || args.secretParameterArns.length === 0
      ? []
      : [
          {
            // Decrypting with the account's default key (alias/aws/ssm) needs no KMS permission of its own.
            Sid: "ReadSecrets",
            Effect: "Allow" as const,
            Action: "ssm:GetParameters",
            Resource: args.secretParameterArns,
          },
        ]),
  );
}

/** The policy that makes a bucket refuse every request that is not made over TLS. */
export function tlsOnlyBucketPolicy(bucketArn: string): PolicyDocument {
  return document({
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  });
}
