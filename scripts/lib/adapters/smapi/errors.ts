/**
 * How the Skill Management API's failures reach people: typed errors that name the operation and the resource,
 * say what to do, and never carry a secret. A 412 is the ports' {@link ConcurrentChangeError}, a 409 on the
 * development stage the ports' {@link StageLockedError}: the domain branches on those meanings, not on statuses.
 */
import { ConfigError, OperationError } from "../../core/errors";
import { isTransient, retryAfterOf } from "../../core/retry";
import { LwaTokenError } from "../lwa";
import { ConcurrentChangeError, StageLockedError, type SkillStage } from "../../ports";

/** A call the Skill Management API answered with an error. Keeps the HTTP status for callers that branch on it. */
export class SmapiError extends OperationError {
  /** The HTTP status, when the API answered. */
  readonly statusCode?: number;
  /** What was being done, e.g. "updating the manifest of skill … (development stage)". */
  readonly operation: string;

  constructor(
    message: string,
    operation: string,
    options: { statusCode?: number; cause?: unknown; resource?: string },
  ) {
    super(message, { cause: options.cause, resource: options.resource ?? operation });
    this.statusCode = options.statusCode;
    this.operation = operation;
  }
}

/** Login with Amazon or the Skill Management API refused the credentials. Exit 2, like a missing variable. */
export class CredentialsRefusedError extends ConfigError {}

/** The shape of the SDK's errors (`ServiceError`): HTTP status, headers and parsed body. */
export interface SdkError {
  name?: string;
  message?: string;
  statusCode?: number;
  response?: {
    message?: string;
    code?: string;
    error?: string;
    error_description?: string;
    violations?: { code?: string; message?: string }[];
  };
}

const oauthErrors = new Set([
  "invalid_grant",
  "invalid_client",
  "unauthorized_client",
  "invalid_request",
  "invalid_scope",
]);

/** What a failed call was doing, for the message. */
export interface FailedCall {
  operation: string;
  /** The document a guarded write targeted: "the manifest of skill … (development stage)". */
  resource?: string;
  stage?: SkillStage;
  /** The base URLs of the API and of Login with Amazon, named when one could not be reached. */
  endpoints: { api: string; lwa: string };
  /** True when the call was retried before giving up. */
  retried: boolean;
  /** Removes secret values from text quoted from the network. */
  redact(text: string): string;
}

/** Turns an error of the SDK into the typed error that says what happened and what to do. */
export function translateSmapiError(error: unknown, call: FailedCall): Error {
  const { operation, resource, stage, redact } = call;
  const e = (typeof error === "object" && error !== null ? error : {}) as SdkError;
  const status = e.statusCode;
  const body = e.response;
  if (body?.error !== undefined && oauthErrors.has(body.error)) {
    return new CredentialsRefusedError(
      redact(
        `Login with Amazon refused the credentials while ${operation} (${body.error}` +
          `${body.error_description === undefined ? "" : `: ${body.error_description}`}): ` +
          (body.error === "invalid_grant"
            ? "check ASK_REFRESH_TOKEN (mint a new one with `skillship lwa login`) and that it was minted for ASK_LWA_CLIENT_ID"
            : "check ASK_LWA_CLIENT_ID and ASK_LWA_CLIENT_SECRET (the team's security profile)"),
      ),
      { cause: error },
    );
  }
  const detail = redact(
    [body?.message, ...(body?.violations ?? []).map((violation) => violation.message)]
      .filter((part): part is string => part !== undefined && part !== "")
      .join("; ") ||
      e.message ||
      "no detail",
  );
  if (error instanceof LwaTokenError) {
    return new SmapiError(
      status === undefined
        ? `Could not reach Login with Amazon at ${call.endpoints.lwa} for an access token while ${operation} ` +
            "(check ASK_LWA_TOKEN_HOST and the network)"
        : `Login with Amazon kept failing (${status}${body?.error === undefined ? "" : ` ${body.error}`}) when asked ` +
            `for an access token while ${operation}${waitHint(error)}: try again later`,
      operation,
      { ...(status === undefined ? {} : { statusCode: status }), cause: error },
    );
  }
  if (status === undefined) {
    return new SmapiError(
      `Could not reach the Skill Management API at ${call.endpoints.api} while ${operation}: ${detail}` +
        " (check ASK_SMAPI_SERVER_BASE_URL and the network)",
      operation,
      { cause: error },
    );
  }
  if (status === 401) {
    return new CredentialsRefusedError(
      `The Skill Management API refused the access token while ${operation} (401: ${detail}): check that ` +
        "ASK_REFRESH_TOKEN was minted with the scopes alexa::ask:skills:readwrite alexa::ask:models:readwrite " +
        "alexa::ask:skills:test for the account that owns the skill, and ASK_LWA_CLIENT_ID",
    );
  }
  if (status === 412) {
    const what = resource ?? "the resource";
    return new ConcurrentChangeError(
      `${capitalize(what)} changed since it was read (its ETag no longer matches): someone else wrote it ` +
        `meanwhile, and nothing was overwritten. Run the command again to work from the new state.`,
      what,
      { statusCode: status, cause: error },
    );
  }
  if (status === 409 && stage === "development") {
    return new StageLockedError(
      `The development stage is locked while the skill is in certification, so ${operation} was refused (${detail}): ` +
        "wait for the certification (skillship release watch) or withdraw it (skillship withdraw)",
      { statusCode: status, cause: error },
    );
  }
  if (status === 403) {
    return new SmapiError(
      `The Skill Management API does not allow ${operation} (403: ${detail}): check that the account behind ` +
        "ASK_REFRESH_TOKEN owns the skill and that the stage accepts the change",
      operation,
      { statusCode: status, cause: error },
    );
  }
  if (isTransient(error)) {
    return new SmapiError(
      `The Skill Management API kept failing (${status}: ${detail}) while ${operation}` +
        `${call.retried ? ` (gave up after the retry bound)` : ""}${waitHint(error)}: try again later`,
      operation,
      { statusCode: status, cause: error },
    );
  }
  return new SmapiError(`The Skill Management API refused ${operation} (${status}: ${detail})`, operation, {
    statusCode: status,
    cause: error,
  });
}

/** What the service last asked for, when it asked to wait: a reason the retries ended. */
function waitHint(error: unknown): string {
  const asked = retryAfterOf(error);
  return asked === undefined ? "" : `; it last asked to wait ${Math.ceil(asked / 1000)}s`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
