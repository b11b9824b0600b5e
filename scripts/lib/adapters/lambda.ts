/**
 * {@link FunctionsPort} over the AWS SDK v3 Lambda client: the only Lambda calls the release engine makes.
 * Reads retry on throttling, 5xx and `ResourceConflictException` within {@link defaultRetryPolicy}; writes are
 * guarded (`PublishVersion` by `CodeSha256` and `RevisionId`, `UpdateAlias` by `RevisionId`), so retrying them is
 * safe, and a stale guard becomes a {@link ConcurrentChangeError} that says what changed.
 *
 * Endpoints: the SDK itself honours `AWS_ENDPOINT_URL_LAMBDA` and `AWS_ENDPOINT_URL` (tested), so nothing here
 * reads them. Credentials and region come from the SDK's own chain; {@link createCheckedFunctionsPort} resolves
 * them once before any call, so that having none is a configuration error naming what to set.
 */
import {
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  LambdaClient,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
  type AliasConfiguration,
  type FunctionConfiguration,
} from "@aws-sdk/client-lambda";
import type { CliEnvironment } from "../core/env";
import { ConfigError, OperationError } from "../core/errors";
import { defaultRetryPolicy, withRetries, type RetryPolicy } from "../core/retry";
import {
  ConcurrentChangeError,
  type FunctionAlias,
  type FunctionsPort,
  type FunctionVersion,
} from "../ports";

/** Options of {@link createFunctionsPort}. */
export interface FunctionsPortOptions {
  /** The client to use; by default one with the SDK's own configuration chain (region, credentials, endpoint). */
  client?: LambdaClient;
  /** The retry bound for reads and guarded writes. */
  retry?: RetryPolicy;
  /** The AWS region of the function (a replica of a stack with regional endpoints); default the SDK's own. */
  region?: string;
}

/** Creates the Lambda port. */
export function createFunctionsPort(options: FunctionsPortOptions = {}): FunctionsPort {
  // One retry bound for the whole CLI: the SDK's own retries would multiply ours.
  const client = options.client ?? newClient(options.region);
  const policy = options.retry ?? defaultRetryPolicy;
  const retried = <T>(call: () => Promise<T>): Promise<T> => withRetries(call, policy);

  const getAlias = async (functionName: string, alias: string): Promise<FunctionAlias | undefined> => {
    try {
      const out = await retried(() =>
        client.send(new GetAliasCommand({ FunctionName: functionName, Name: alias })),
      );
      return toAlias(out, alias);
    } catch (error) {
      if (errorName(error) === "ResourceNotFoundException") {
        return undefined;
      }
      throw lambdaError(`reading alias ${functionName}:${alias}`, error);
    }
  };

  const getLatest = async (functionName: string): Promise<{ codeSha256: string; revisionId: string }> => {
    let out: FunctionConfiguration;
    try {
      out = await retried(() =>
        client.send(
          new GetFunctionConfigurationCommand({ FunctionName: functionName, Qualifier: "$LATEST" }),
        ),
      );
    } catch (error) {
      throw lambdaError(`reading ${functionName}:$LATEST`, error);
    }
    return { codeSha256: out.CodeSha256 ?? "", revisionId: out.RevisionId ?? "" };
  };

  const listVersions = async (functionName: string): Promise<FunctionVersion[]> => {
    const versions: FunctionVersion[] = [];
    let marker: string | undefined;
    // Page by page so that each page, not the whole listing, is retried.
    do {
      const page = await retried(() =>
        client.send(new ListVersionsByFunctionCommand({ FunctionName: functionName, Marker: marker })),
      ).catch((error: unknown) => {
        throw lambdaError(`listing the versions of ${functionName}`, error);
      });
      for (const configuration of page.Versions ?? []) {
        if (configuration.Version !== undefined && configuration.Version !== "$LATEST") {
          versions.push(toVersion(configuration));
        }
      }
      marker = page.NextMarker;
    } while (marker !== undefined && marker !== "");
    return versions.sort((a, b) => Number(a.version) - Number(b.version));
  };

  return {
    getLatest,

    async publishVersion(functionName, input) {
      let out: FunctionConfiguration;
      try {
        out = await retried(() =>
          client.send(
            new PublishVersionCommand({
              FunctionName: functionName,
              CodeSha256: input.codeSha256,
              Description: input.description,
              RevisionId: input.revisionId,
            }),
          ),
        );
      } catch (error) {
        if (isGuardRefusal(error)) {
          // A retry after a publish whose answer was lost is refused; the version it made is ours.
          const mine = (await listVersions(functionName).catch(() => [])).find(
            (version) => version.codeSha256 === input.codeSha256 && version.description === input.description,
          );
          if (mine !== undefined) {
            return mine;
          }
          const now = await getLatest(functionName).catch(() => undefined);
          throw new ConcurrentChangeError(
            `${functionName}:$LATEST changed since it was read: expected code ${input.codeSha256}` +
              (input.revisionId === undefined ? "" : ` at revision ${input.revisionId}`) +
              (now === undefined ? "" : `, found code ${now.codeSha256} at revision ${now.revisionId}`) +
              `. Nothing was published; build and deploy the stack again, then re-run the release.`,
            `${functionName}:$LATEST`,
            { cause: error },
          );
        }
        throw lambdaError(`publishing a version of ${functionName}`, error);
      }
      return toVersion(out);
    },

    listVersions,

    getAlias,

    async updateAlias(functionName, alias, input) {
      try {
        const out = await retried(() =>
          client.send(
            new UpdateAliasCommand({
              FunctionName: functionName,
              Name: alias,
              FunctionVersion: input.functionVersion,
              Description: input.description,
              RevisionId: input.revisionId,
              // Always sent: without weights it clears any left behind, which would keep traffic elsewhere.
              RoutingConfig: { AdditionalVersionWeights: { ...input.additionalVersionWeights } },
            }),
          ),
        );
        return toAlias(out, alias);
      } catch (error) {
        if (isGuardRefusal(error)) {
          const now = await getAlias(functionName, alias).catch(() => undefined);
          // A retry after a move whose answer was lost is refused; the alias already shows our change.
          if (
            now?.functionVersion === input.functionVersion &&
            now.description === input.description &&
            sameWeights(now.additionalVersionWeights, input.additionalVersionWeights)
          ) {
            return now;
          }
          throw new ConcurrentChangeError(
            `Alias ${functionName}:${alias} changed since it was read (revision ${input.revisionId})` +
              (now === undefined
                ? ""
                : `: it now points at version ${now.functionVersion} (revision ${now.revisionId}, "${now.description}")`) +
              `. It was not moved to version ${input.functionVersion}; check who changed it, then re-run.`,
            `alias ${functionName}:${alias}`,
            { cause: error },
          );
        }
        throw lambdaError(`moving alias ${functionName}:${alias} to version ${input.functionVersion}`, error);
      }
    },
  };
}

/**
 * Creates the Lambda port after resolving the SDK's region and credential chain once (environment variables,
 * `AWS_PROFILE` and the shared files, SSO, a web identity role, container and instance roles): with none, a
 * {@link ConfigError} (exit 2) names what to set, before any call. The chain's answer is kept for the calls.
 */
export async function createCheckedFunctionsPort(
  env: CliEnvironment,
  options: FunctionsPortOptions = {},
): Promise<FunctionsPort> {
  const client = options.client ?? newClient(options.region);
  try {
    await client.config.region();
  } catch (cause) {
    throw new ConfigError(
      `No AWS region to find the function in: set AWS_REGION to the prod stack's region (e.g. eu-west-1)` +
        `${env.aws.profile === undefined ? "" : `, or a region in the profile AWS_PROFILE names (${env.aws.profile})`}`,
      { cause, resource: "AWS_REGION" },
    );
  }
  try {
    await client.config.credentials();
  } catch (cause) {
    throw missingAwsCredentials(env, cause);
  }
  return createFunctionsPort({ ...options, client });
}

// One retry bound for the whole CLI: the SDK's own retries would multiply ours.
function newClient(region: string | undefined): LambdaClient {
  return new LambdaClient({ maxAttempts: 1, ...(region === undefined ? {} : { region }) });
}

function missingAwsCredentials(env: CliEnvironment, cause: unknown): ConfigError {
  const { aws } = env;
  const said = cause instanceof Error ? cause.message.split("\n")[0] : String(cause);
  const tried =
    aws.profile !== undefined
      ? `AWS_PROFILE names the profile "${aws.profile}", which gives no credentials (is it in ~/.aws/config or ` +
        `~/.aws/credentials? for SSO, run \`aws sso login --profile ${aws.profile}\` first)`
      : aws.roleArn !== undefined || aws.webIdentityTokenFile !== undefined
        ? "AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE must both be set for a web identity role, the file readable"
        : aws.accessKeyId !== aws.secretAccessKey
          ? `${aws.accessKeyId ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID"} is missing beside ` +
            `${aws.accessKeyId ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY"}`
          : "none of AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE or a role is set";
  return new ConfigError(
    `No AWS credentials to read and move the prod function's versions and aliases: ${tried}. Set ` +
      "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary ones), or AWS_PROFILE; in " +
      "GitHub Actions, assume the release role with aws-actions/configure-aws-credentials (it sets them). " +
      `The AWS SDK said: ${said}`,
    { cause, resource: aws.profile === undefined ? "AWS credentials" : `AWS_PROFILE ${aws.profile}` },
  );
}

function toVersion(configuration: FunctionConfiguration): FunctionVersion {
  return {
    version: configuration.Version ?? "",
    codeSha256: configuration.CodeSha256 ?? "",
    description: configuration.Description ?? "",
  };
}

function toAlias(configuration: AliasConfiguration, name: string): FunctionAlias {
  const weights = configuration.RoutingConfig?.AdditionalVersionWeights ?? {};
  return {
    name: configuration.Name ?? name,
    functionVersion: configuration.FunctionVersion ?? "",
    description: configuration.Description ?? "",
    revisionId: configuration.RevisionId ?? "",
    ...(Object.keys(weights).length === 0 ? {} : { additionalVersionWeights: { ...weights } }),
  };
}

/** Two weighted routings are the same (absent and empty both meaning none). */
function sameWeights(
  a: Readonly<Record<string, number>> = {},
  b: Readonly<Record<string, number>> = {},
): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

function errorName(error: unknown): string | undefined {
  return typeof error === "object" && error !== null ? (error as { name?: string }).name : undefined;
}

// PublishVersion reports a stale CodeSha256 as InvalidParameterValueException, a stale RevisionId as 412.
function isGuardRefusal(error: unknown): boolean {
  const name = errorName(error);
  if (name === "PreconditionFailedException") {
    return true;
  }
  return (
    name === "InvalidParameterValueException" &&
    /CodeSha256|code sha|revision/i.test(String((error as Error).message))
  );
}

function lambdaError(doing: string, error: unknown): OperationError {
  const name = errorName(error) ?? "Error";
  const message = error instanceof Error ? error.message : String(error);
  const hint =
    name === "ResourceNotFoundException"
      ? " (does the function exist? deploy the stack and check the functionName stack output)"
      : name === "AccessDeniedException" || name === "UnrecognizedClientException"
        ? " (check the AWS credentials and the role's permissions)"
        : "";
  return new OperationError(`Lambda refused ${doing}: ${name}: ${message}${hint}`, {
    cause: error,
    resource: doing,
  });
}
