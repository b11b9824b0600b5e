/**
 * A team's own settings for its skill function: `skillship:functionEnvironment` (plain variables, such as the
 * home-hub sample's `HOME_HUB_URL`) and `skillship:functionSecrets` (variables whose value is a SecureString
 * parameter of Parameter Store, read by the function when it starts: `runtime/secrets.ts`). App stacks are
 * previewed by every pull request, so neither holds a secret's value: a variable whose name says it is a secret
 * is refused in `functionEnvironment`, with where it belongs. Each problem names the key and the variable.
 */
import {
  FUNCTION_SECRETS_VARIABLE,
  PARAMETER_NAME,
  VARIABLE_NAME,
  type FunctionSecrets,
} from "../contracts/function-secrets";

/**
 * Variables a team may not set: those Lambda reserves (its runtime sets them) and those the stack sets itself.
 * `AWS_ENDPOINT_URL_*` and other `AWS_` variables the SDK reads stay allowed.
 */
export const RESERVED_VARIABLES: readonly string[] = [
  "_HANDLER",
  "_X_AMZN_TRACE_ID",
  "AWS_ACCESS_KEY",
  "AWS_ACCESS_KEY_ID",
  "AWS_DEFAULT_REGION",
  "AWS_EXECUTION_ENV",
  "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
  "AWS_LAMBDA_FUNCTION_NAME",
  "AWS_LAMBDA_FUNCTION_VERSION",
  "AWS_LAMBDA_INITIALIZATION_TYPE",
  "AWS_LAMBDA_LOG_GROUP_NAME",
  "AWS_LAMBDA_LOG_STREAM_NAME",
  "AWS_LAMBDA_RUNTIME_API",
  "AWS_REGION",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "LAMBDA_RUNTIME_DIR",
  "LAMBDA_TASK_ROOT",
  "SKILL_ID",
  "MEDIA_BUCKET",
  "MEDIA_PREFIX",
  "MEDIA_CLIPS",
  "TOKEN_TABLE",
  FUNCTION_SECRETS_VARIABLE,
];

/** A name that says its value is a secret: it belongs in `functionSecrets`, never in a stack file. */
const SECRET_NAME = /SECRET|PASSWORD|PASSWD|PRIVATE_KEY|API_KEY|(?:^|_)TOKEN$/i;

/**
 * Lambda allows 4 KB of variables in all; MEDIA_CLIPS may take 2 KB and the stack's own variables some more, so a
 * team's variables and the secrets' names may take this much together.
 */
export const FUNCTION_ENVIRONMENT_MAX_BYTES = 1536;

/** The longest Parameter Store name. */
const PARAMETER_NAME_MAX = 1011;

/** The team's variables and secrets, checked. */
export interface FunctionSettings {
  environment: Record<string, string>;
  /** Variable name → parameter name; empty: no `SKILLSHIP_SECRETS`. */
  secrets: Record<string, string>;
}

type Problems = string[];

function checkName(key: string, variable: string, problems: Problems): boolean {
  if (!VARIABLE_NAME.test(variable)) {
    problems.push(
      `${key}: "${variable}" is not a variable name Lambda accepts (a letter, then letters, digits, _)`,
    );
    return false;
  }
  if (RESERVED_VARIABLES.includes(variable)) {
    problems.push(`${key}: ${variable} is set by Lambda or by the stack itself; choose another name`);
    return false;
  }
  return true;
}

/**
 * Checks `functionEnvironment` and `functionSecrets` (objects, as the stack schema parsed them; under their
 * qualified keys `keys`) together: names, values, a variable in both, secret-looking names among the plain ones,
 * and the size Lambda allows.
 */
export function parseFunctionSettings(
  raw: { environment?: Record<string, unknown>; secrets?: Record<string, unknown> },
  keys: { environment: string; secrets: string },
  problems: Problems,
): FunctionSettings {
  const environment: Record<string, string> = {};
  for (const [variable, value] of Object.entries(raw.environment ?? {})) {
    if (!checkName(keys.environment, variable, problems)) continue;
    if (SECRET_NAME.test(variable)) {
      problems.push(
        `${keys.environment}: ${variable} looks like a secret, and every pull request previews this stack: put ` +
          `the value in a SecureString parameter (aws ssm put-parameter --type SecureString) and name it in ` +
          `${keys.secrets} instead`,
      );
    } else if (typeof value !== "string") {
      problems.push(
        `${keys.environment}: ${variable} must be a string (got ${JSON.stringify(value)}): quote it`,
      );
    } else {
      environment[variable] = value;
    }
  }
  const secrets: Record<string, string> = {};
  for (const [variable, name] of Object.entries(raw.secrets ?? {})) {
    if (!checkName(keys.secrets, variable, problems)) continue;
    if (variable in environment) {
      problems.push(`${keys.secrets}: ${variable} is also in ${keys.environment}; keep it in one of them`);
    } else if (typeof name !== "string" || !PARAMETER_NAME.test(name) || name.length > PARAMETER_NAME_MAX) {
      problems.push(
        `${keys.secrets}: ${variable} must name a Parameter Store parameter, e.g. "/home-hub/prod/client-secret" ` +
          `(got ${JSON.stringify(name)})`,
      );
    } else {
      secrets[variable] = name;
    }
  }
  const bytes =
    Object.entries(environment).reduce((sum, [name, value]) => sum + Buffer.byteLength(name + value), 0) +
    Buffer.byteLength(JSON.stringify(secrets));
  if (bytes > FUNCTION_ENVIRONMENT_MAX_BYTES) {
    problems.push(
      `${keys.environment}, ${keys.secrets}: ${bytes} bytes of variables, over the ${FUNCTION_ENVIRONMENT_MAX_BYTES} ` +
        "bytes Lambda's 4 KB leave beside the stack's own variables: keep long values in Parameter Store and " +
        `name them in ${keys.secrets}`,
    );
  }
  return { environment, secrets };
}

/** The value of `SKILLSHIP_SECRETS` for `secrets` in `region`. */
export function functionSecretsVariable(secrets: Record<string, string>, region: string): string {
  const value: FunctionSecrets = { region, parameters: secrets };
  return JSON.stringify(value);
}
