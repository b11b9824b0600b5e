/**
 * `accountLinking.json` as it is deployed: checked (every URL HTTPS on port 443, as Alexa requires; no client
 * secret in the repository) and completed with the client secret from the environment at upload time; and put
 * in the form the package differ compares with what a stage holds (`diff.ts`).
 */
import { ACCOUNT_LINKING_SECRET_ENV } from "../core/env";
import { ConfigError } from "../core/errors";

type Json = Record<string, unknown>;

/** The field of `accountLinking.json` that names the environment variable holding the client secret. */
export const CLIENT_SECRET_ENV_FIELD = "clientSecretEnv";

/** One thing wrong with `accountLinking.json`: the field (`accountLinkingRequest.authorizationUrl`) and what. */
export interface AccountLinkingProblem {
  /** The field's path as keys and indices, e.g. `["accountLinkingRequest", "authorizationUrl"]`. */
  steps: (string | number)[];
  /** The field written as people read it: `accountLinkingRequest.authorizationUrlsByPlatform[0].…`. */
  field: string;
  /** What is wrong, after the field's name: `must be an HTTPS URL on port 443, got "…"`. */
  problem: string;
}

/**
 * What Alexa and this repository's rules refuse in `accountLinking.json`, shared by the upload and by lint:
 * every URL HTTPS on port 443, no client secret in the file, `clientSecretEnv` naming a variable.
 */
export function accountLinkingProblems(document: Json): AccountLinkingProblem[] {
  const request = document.accountLinkingRequest;
  if (request === null || typeof request !== "object" || Array.isArray(request)) {
    return [
      {
        steps: ["accountLinkingRequest"],
        field: "accountLinkingRequest",
        problem: "must be an object (the Skill Management API's body)",
      },
    ];
  }
  const payload = request as Json;
  const problems: AccountLinkingProblem[] = [];
  const checkUrl = (steps: (string | number)[], value: unknown): void => {
    if (value === undefined) return;
    const field = steps
      .map((step, i) => (typeof step === "number" ? `[${step}]` : i === 0 ? step : `.${step}`))
      .join("");
    if (typeof value !== "string") {
      problems.push({ steps, field, problem: "must be a URL string" });
      return;
    }
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      url = undefined;
    }
    if (url?.protocol !== "https:" || (url.port !== "" && url.port !== "443")) {
      problems.push({ steps, field, problem: `must be an HTTPS URL on port 443, got "${value}"` });
    }
  };
  for (const field of ["authorizationUrl", "accessTokenUrl", "reciprocalAccessTokenUrl"]) {
    checkUrl(["accountLinkingRequest", field], payload[field]);
  }
  if (Array.isArray(payload.authorizationUrlsByPlatform)) {
    payload.authorizationUrlsByPlatform.forEach((entry: unknown, i: number) =>
      checkUrl(
        ["accountLinkingRequest", "authorizationUrlsByPlatform", i, "platformAuthorizationUrl"],
        (entry as Json | null)?.platformAuthorizationUrl,
      ),
    );
  }
  if (payload.clientSecret !== undefined) {
    problems.push({
      steps: ["accountLinkingRequest", "clientSecret"],
      field: "accountLinkingRequest.clientSecret",
      problem:
        `must not be in the repository: remove it and set ` +
        `${ACCOUNT_LINKING_SECRET_ENV} (or the variable named by "${CLIENT_SECRET_ENV_FIELD}")`,
    });
  }
  const variableField = document[CLIENT_SECRET_ENV_FIELD];
  if (variableField !== undefined && (typeof variableField !== "string" || variableField.trim() === "")) {
    problems.push({
      steps: [CLIENT_SECRET_ENV_FIELD],
      field: CLIENT_SECRET_ENV_FIELD,
      problem: "must name an environment variable",
    });
  }
  return problems;
}

/**
 * Checks `accountLinking.json` and returns the request body to send, with the client secret filled in by
 * `readVariable` (the environment). Throws a {@link ConfigError} naming the file and every wrong field, or the
 * missing variable; never includes the secret in a message.
 */
export function prepareAccountLinking(
  document: Json,
  file: string,
  readVariable: (name: string) => string | undefined,
): Json {
  const problems = accountLinkingProblems(document);
  if (problems.length > 0) {
    throw new ConfigError(`${file}: ${problems.map((p) => `${p.field} ${p.problem}`).join("; ")}`);
  }
  const payload = { ...(document.accountLinkingRequest as Json) };
  const variableField = document[CLIENT_SECRET_ENV_FIELD];
  const variable = typeof variableField === "string" ? variableField.trim() : ACCOUNT_LINKING_SECRET_ENV;
  if (payload.type !== "IMPLICIT") {
    // The variable the file names, else the default one: the one Skillship's workflows set, whatever the file says.
    const secret =
      readVariable(variable) ??
      (variable === ACCOUNT_LINKING_SECRET_ENV ? undefined : readVariable(ACCOUNT_LINKING_SECRET_ENV));
    if (secret === undefined) {
      const either = variable === ACCOUNT_LINKING_SECRET_ENV ? "" : ` (or ${ACCOUNT_LINKING_SECRET_ENV})`;
      throw new ConfigError(
        `Environment variable ${variable}${either} is required: it holds the account linking client secret for ` +
          `${file} (in CI, store it as the secret ${ACCOUNT_LINKING_SECRET_ENV} of the environments beta and ` +
          `production)`,
      );
    }
    payload.clientSecret = secret;
  }
  return { accountLinkingRequest: payload };
}

/**
 * The repository's `accountLinking.json` and a stage's account linking (as the Skill Management API reads it back,
 * undefined when the stage has none) in the form the package differ compares: `{ accountLinkingRequest }` with
 * only the fields the repository sets, the client secret aside. The service adds fields of its own
 * (`redirectUrls`, …) and never reads the secret back, so neither says anything about a difference. The
 * file without a request object (the lint and the upload refuse it) gives nothing to compare.
 */
export function comparableAccountLinking(
  document: Json,
  stage: Json | undefined,
): { repository: Json | undefined; stage: Json | undefined } {
  const request = document.accountLinkingRequest;
  if (request === null || typeof request !== "object" || Array.isArray(request)) {
    return { repository: undefined, stage: undefined };
  }
  const fields = Object.keys(request).filter((field) => field !== "clientSecret");
  const pick = (from: Json): Json =>
    Object.fromEntries(
      fields.filter((field) => from[field] !== undefined).map((field) => [field, from[field]]),
    );
  return {
    repository: { accountLinkingRequest: pick(request as Json) },
    stage: stage === undefined ? undefined : { accountLinkingRequest: pick(stage) },
  };
}
