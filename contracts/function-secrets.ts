/**
 * A function's own settings and secrets: the contract between the stack configuration (`skillship:functionEnvironment`
 * and `skillship:functionSecrets`, validated by `infra/config.ts`), the function's environment the stack sets
 * (`infra/components/SkillFunction.ts`) and the skill at run time, which fills its secrets in from Parameter Store
 * before it reads its configuration (`runtime/secrets.ts`). App stacks hold no secret (every pull request previews
 * them): a secret lives in a SecureString parameter of the stack's own region, and the function gets the
 * parameter's name, never its value. It imports nothing.
 */

/** The variable holding, as JSON, the {@link FunctionSecrets} to read. */
export const FUNCTION_SECRETS_VARIABLE = "SKILLSHIP_SECRETS";

/** What the function reads at start: each variable's parameter name, all in one AWS region. */
export interface FunctionSecrets {
  /** The AWS region of the parameters (the stack's own: every region's function reads the same ones). */
  region: string;
  /** Variable name → parameter name (`/home-hub/prod/alexa-client-secret`). */
  parameters: Record<string, string>;
}

/** A variable name Lambda accepts: a letter, then letters, digits and underscores. */
export const VARIABLE_NAME: RegExp = /^[A-Za-z][A-Za-z0-9_]*$/;

/**
 * A Parameter Store name: letters, digits and `_ . -`, with `/` between the levels of a hierarchy, which then
 * starts with `/` (Parameter Store's own rule); at most 1011 characters.
 */
export const PARAMETER_NAME: RegExp = /^(?:\/[A-Za-z0-9_.-]+)+$|^[A-Za-z0-9_.-]+$/;

/** The ARN of parameter `name` in `region` of `account` (a hierarchical name loses its leading slash). */
export function parameterArn(partition: string, region: string, account: string, name: string): string {
  return `arn:${partition}:ssm:${region}:${account}:parameter/${name.replace(/^\//, "")}`;
}

/**
 * Reads the value of {@link FUNCTION_SECRETS_VARIABLE}. Returns every problem instead of throwing, each naming
 * the variable at fault; never a value (there is none here, only names).
 */
export function parseFunctionSecrets(value: string): { secrets?: FunctionSecrets; problems: string[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return { problems: [`${FUNCTION_SECRETS_VARIABLE} is not JSON`] };
  }
  const record = (candidate: unknown): candidate is Record<string, unknown> =>
    candidate !== null && typeof candidate === "object" && !Array.isArray(candidate);
  if (!record(parsed) || typeof parsed.region !== "string" || !record(parsed.parameters)) {
    return { problems: [`${FUNCTION_SECRETS_VARIABLE} is not { "region": "…", "parameters": { … } }`] };
  }
  const parameters: Record<string, string> = {};
  const problems: string[] = [];
  for (const [variable, name] of Object.entries(parsed.parameters)) {
    if (!VARIABLE_NAME.test(variable)) {
      problems.push(`${FUNCTION_SECRETS_VARIABLE}: "${variable}" is not a variable name`);
    } else if (typeof name !== "string" || !PARAMETER_NAME.test(name)) {
      problems.push(`${FUNCTION_SECRETS_VARIABLE}: ${variable} does not name a Parameter Store parameter`);
    } else {
      parameters[variable] = name;
    }
  }
  return { secrets: { region: parsed.region, parameters }, problems };
}
