/**
 * Where each user's Alexa tokens (from AcceptGrant) are kept, so that later invocations can send events on
 * their behalf. In the cloud a DynamoDB table of the function's region (Alexa wants a user's tokens kept and
 * used in the region that received their AcceptGrant); in local runs and tests, memory.
 *
 * The table: partition key {@link TOKEN_TABLE_KEY} (string); attributes `accessToken`, `refreshToken` (strings),
 * `expiresAt` (number, epoch milliseconds), `updatedAt` (ISO time). The AWS SDK is loaded on first use only, so
 * directives that never touch tokens do not pay for it at cold start.
 */
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";

/** The partition key of the token table. */
export const TOKEN_TABLE_KEY = "userId";

/** One user's Alexa tokens. */
export interface AlexaTokens {
  /** The hub's id of the user (see `HubClient.whoIs`). */
  userId: string;
  accessToken: string;
  refreshToken: string;
  /** When the access token expires, epoch milliseconds. */
  expiresAt: number;
}

/** Reads and writes users' tokens. */
export interface TokenStore {
  get(userId: string): Promise<AlexaTokens | undefined>;
  put(tokens: AlexaTokens): Promise<void>;
  /** Forgets a user (skill disabled, authorisation revoked). */
  delete(userId: string): Promise<void>;
}

/** A {@link TokenStore} in memory, for local runs and tests. */
export function memoryTokenStore(): TokenStore & { readonly records: Map<string, AlexaTokens> } {
  const records = new Map<string, AlexaTokens>();
  return {
    records,
    get: async (userId) => {
      const found = records.get(userId);
      return found === undefined ? undefined : { ...found };
    },
    put: async (tokens) => {
      records.set(tokens.userId, { ...tokens });
    },
    delete: async (userId) => {
      records.delete(userId);
    },
  };
}

/** Options of {@link dynamoDbTokenStore}. */
export interface DynamoDbTokenStoreOptions {
  tableName: string;
  region: string;
  /** Endpoint override (a local DynamoDB); the SDK also reads `AWS_ENDPOINT_URL_DYNAMODB` itself. */
  endpoint?: string;
  /** Credentials override; by default the SDK's chain (the function's role on Lambda). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/** The error a store raises, naming the table and what to check. */
export class TokenStoreError extends Error {
  override readonly name = "TokenStoreError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A {@link TokenStore} over a DynamoDB table; the SDK client is created on first use. */
export function dynamoDbTokenStore(options: DynamoDbTokenStoreOptions): TokenStore {
  let client: Promise<{ sdk: typeof import("@aws-sdk/client-dynamodb"); db: DynamoDBClient }> | undefined;
  const connect = () =>
    (client ??= import("@aws-sdk/client-dynamodb").then((sdk) => ({
      sdk,
      db: new sdk.DynamoDBClient({
        region: options.region,
        ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
        ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
      }),
    })));
  const failed = (action: string, cause: unknown): TokenStoreError => {
    const name = (cause as { name?: string }).name;
    const hint =
      name === "ResourceNotFoundException"
        ? ` the table does not exist in ${options.region}: create it (partition key "${TOKEN_TABLE_KEY}", string) or fix TOKEN_TABLE`
        : ` ${cause instanceof Error ? cause.message : String(cause)}`;
    return new TokenStoreError(`Could not ${action} DynamoDB table ${options.tableName}:${hint}`, { cause });
  };
  const key = (userId: string) => ({ [TOKEN_TABLE_KEY]: { S: userId } });
  return {
    async get(userId) {
      const { sdk, db } = await connect();
      let item;
      try {
        ({ Item: item } = await db.send(
          new sdk.GetItemCommand({ TableName: options.tableName, Key: key(userId), ConsistentRead: true }),
        ));
      } catch (cause) {
        throw failed("read tokens from", cause);
      }
      if (item === undefined) return undefined;
      const accessToken = item.accessToken?.S;
      const refreshToken = item.refreshToken?.S;
      const expiresAt = Number(item.expiresAt?.N);
      if (accessToken === undefined || refreshToken === undefined || !Number.isFinite(expiresAt)) {
        throw new TokenStoreError(
          `DynamoDB table ${options.tableName} holds a malformed token record for user ${userId}: ` +
            "expected accessToken, refreshToken (strings) and expiresAt (number)",
        );
      }
      return { userId, accessToken, refreshToken, expiresAt };
    },
    async put(tokens) {
      const { sdk, db } = await connect();
      try {
        await db.send(
          new sdk.PutItemCommand({
            TableName: options.tableName,
            Item: {
              ...key(tokens.userId),
              accessToken: { S: tokens.accessToken },
              refreshToken: { S: tokens.refreshToken },
              expiresAt: { N: String(tokens.expiresAt) },
              updatedAt: { S: new Date().toISOString() },
            },
          }),
        );
      } catch (cause) {
        throw failed("write tokens to", cause);
      }
    },
    async delete(userId) {
      const { sdk, db } = await connect();
      try {
        await db.send(new sdk.DeleteItemCommand({ TableName: options.tableName, Key: key(userId) }));
      } catch (cause) {
        throw failed("delete tokens from", cause);
      }
    },
  };
}
