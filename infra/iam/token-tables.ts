/**
 * What the delivery pipeline's roles may do with the app stacks' tables of users' Alexa tokens (`TokenTable`),
 * by the tables' ARNs (the `tokenTableArns` outputs): their settings, never their items.
 */
import type { PolicyStatement } from "./documents";

/** What a pipeline role may do with the app stacks' tables of users' Alexa tokens: never read or write an item. */
export const TOKEN_TABLE_PIPELINE_ACTIONS = {
  /** What `pulumi preview --refresh` reads of a table. */
  read: [
    "dynamodb:DescribeTable",
    "dynamodb:DescribeContinuousBackups",
    "dynamodb:DescribeTimeToLive",
    "dynamodb:ListTagsOfResource",
  ],
  /**
   * What `pulumi up` needs to create the table and keep its settings (capacity mode, encryption, point-in-time
   * recovery, deletion protection, tags). Not `DeleteTable`: losing the table loses every user's link.
   */
  deploy: [
    "dynamodb:CreateTable",
    "dynamodb:UpdateTable",
    "dynamodb:UpdateContinuousBackups",
    "dynamodb:TagResource",
    "dynamodb:UntagResource",
  ],
} as const;

/** The statement over a stack's token tables (none when it has none). */
export function tokenTableStatements(
  sid: string,
  arns: readonly string[] | undefined,
  deploy: boolean,
): PolicyStatement[] {
  if (arns === undefined || arns.length === 0) return [];
  const actions = [
    ...TOKEN_TABLE_PIPELINE_ACTIONS.read,
    ...(deploy ? TOKEN_TABLE_PIPELINE_ACTIONS.deploy : []),
  ];
  return [{ Sid: sid, Effect: "Allow", Action: actions, Resource: arns.length === 1 ? arns[0] : [...arns] }];
}
