import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** The partition key of the token table: the user's id (string), as the smart-home sample keys its items. */
export const TOKEN_TABLE_KEY = "userId";

/** Arguments of {@link TokenTable}. */
export interface TokenTableArgs {
  /** Physical name of the table: the function's name followed by `-tokens`, the same in every region. */
  tableName: string;
  /** Refuse `DeleteTable` (prod): users' tokens cannot be obtained again without each user linking again. */
  deletionProtection: boolean;
}

/**
 * The DynamoDB table of users' Alexa tokens (what `Alexa.Authorization` `AcceptGrant` yields), in the region of
 * the function that received the grant: partition key `userId` (string), on-demand capacity, encrypted at rest
 * with the account's AWS-managed key for DynamoDB, point-in-time recovery, and deletion protection when asked.
 */
export class TokenTable extends pulumi.ComponentResource {
  public readonly table: aws.dynamodb.Table;
  public readonly tableName: pulumi.Output<string>;
  public readonly tableArn: pulumi.Output<string>;

  constructor(name: string, args: TokenTableArgs, opts?: pulumi.ComponentResourceOptions) {
    super("skillship:index:TokenTable", name, {}, opts);
    this.table = new aws.dynamodb.Table(
      `${name}-table`,
      {
        name: args.tableName,
        billingMode: "PAY_PER_REQUEST",
        hashKey: TOKEN_TABLE_KEY,
        attributes: [{ name: TOKEN_TABLE_KEY, type: "S" }],
        serverSideEncryption: { enabled: true },
        pointInTimeRecovery: { enabled: true },
        deletionProtectionEnabled: args.deletionProtection,
      },
      { parent: this },
    );
    this.tableName = this.table.name;
    this.tableArn = this.table.arn;
    this.registerOutputs({ tableName: this.tableName, tableArn: this.tableArn });
  }
}
