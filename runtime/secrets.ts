/**
 * A skill function's secrets, read from Parameter Store when it starts. The stack never holds a secret's value (app
 * stacks are previewed by every pull request): `skillship:functionSecrets` names, for each variable, a SecureString
 * parameter of the stack's region, and the function gets those names in `SKILLSHIP_SECRETS`
 * (`contracts/function-secrets.ts`). {@link withFunctionSecrets} reads them in one call per ten and returns the
 * environment with each variable filled in, so the skill reads its configuration as it does locally. The AWS SDK's
 * Parameter Store client is loaded only when there is something to read. No value is ever logged or put in an error.
 */
import type { GetParametersCommandInput, GetParametersCommandOutput } from "@aws-sdk/client-ssm";
import { FUNCTION_SECRETS_VARIABLE, parseFunctionSecrets } from "../contracts/function-secrets";

/** An environment, as `process.env` is. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** The secrets could not be read: which variables, which parameters, and what to do. */
export class FunctionSecretsError extends Error {
  override name = "FunctionSecretsError";
}

/** What {@link withFunctionSecrets} sends its requests with: the SDK's `SSMClient` fits. */
export interface ParameterStoreClient {
  send(command: { readonly input: GetParametersCommandInput }): Promise<GetParametersCommandOutput>;
}

/** Options of {@link withFunctionSecrets}. */
export interface FunctionSecretsOptions {
  /** The client; default an `SSMClient` of the parameters' region (`AWS_ENDPOINT_URL_SSM` redirects it). */
  client?: ParameterStoreClient;
}

/** GetParameters takes at most ten names. */
const NAMES_PER_CALL = 10;

/**
 * `env` with every variable `SKILLSHIP_SECRETS` names set to its parameter's decrypted value; `env` itself is not
 * changed. Without `SKILLSHIP_SECRETS` (a local run, a stack without `functionSecrets`), a copy of `env`. Throws a
 * {@link FunctionSecretsError} naming each missing or unreadable parameter and its variable.
 */
export async function withFunctionSecrets(
  env: Environment = process.env,
  options: FunctionSecretsOptions = {},
): Promise<Record<string, string | undefined>> {
  const value = env[FUNCTION_SECRETS_VARIABLE];
  if (value === undefined || value.trim() === "") return { ...env };
  const { secrets, problems } = parseFunctionSecrets(value);
  if (secrets === undefined || problems.length > 0) {
    throw new FunctionSecretsError(
      `${problems.join("; ")}: the stack sets it from skillship:functionSecrets; run \`pulumi up\` again`,
    );
  }
  const wanted = Object.entries(secrets.parameters);
  if (wanted.length === 0) return { ...env };

  const client = options.client ?? (await defaultClient(secrets.region));
  const names = [...new Set(wanted.map(([, name]) => name))];
  const values = new Map<string, string>();
  const missing: string[] = [];
  for (let start = 0; start < names.length; start += NAMES_PER_CALL) {
    const batch = names.slice(start, start + NAMES_PER_CALL);
    const answer = await read(client, batch, secrets.region, wanted);
    for (const parameter of answer.Parameters ?? []) {
      if (parameter.Name !== undefined && parameter.Value !== undefined)
        values.set(parameter.Name, parameter.Value);
    }
    missing.push(...batch.filter((name) => !values.has(name)));
  }
  if (missing.length > 0) {
    const which = wanted.filter(([, name]) => missing.includes(name));
    throw new FunctionSecretsError(
      `Parameter Store in ${secrets.region} has no ${which.map(([variable, name]) => `${name} (for ${variable})`).join(", ")}: ` +
        `create ${missing.length === 1 ? "it" : "each"} with \`aws ssm put-parameter --region ${secrets.region} ` +
        "--type SecureString --name NAME --value file://FILE`, or change skillship:functionSecrets and run " +
        "`pulumi up`",
    );
  }
  const filled: Record<string, string | undefined> = { ...env };
  for (const [variable, name] of wanted) filled[variable] = values.get(name);
  return filled;
}

async function defaultClient(region: string): Promise<ParameterStoreClient> {
  const { SSMClient } = await import("@aws-sdk/client-ssm");
  return new SSMClient({ region });
}

/** One GetParameters call; a refusal names the parameters and the variables they are for. */
async function read(
  client: ParameterStoreClient,
  names: string[],
  region: string,
  wanted: [string, string][],
): Promise<GetParametersCommandOutput> {
  const { GetParametersCommand } = await import("@aws-sdk/client-ssm");
  try {
    return await client.send(new GetParametersCommand({ Names: names, WithDecryption: true }));
  } catch (error) {
    const which = wanted
      .filter(([, name]) => names.includes(name))
      .map(([variable, name]) => `${name} (for ${variable})`)
      .join(", ");
    const denied = (error as { name?: string }).name === "AccessDeniedException";
    throw new FunctionSecretsError(
      denied
        ? `The function may not read ${which} in ${region}: its role allows the parameters ` +
            "skillship:functionSecrets names, as of the last `pulumi up`; run it again, and keep the parameters " +
            "encrypted with the account's default key (alias/aws/ssm)"
        : `Reading ${which} from Parameter Store in ${region} failed: ${(error as Error).message}`,
      { cause: error },
    );
  }
}
