/**
 * The Skill Management API adapter: {@link SkillsPort} and {@link SimulationPort} over `ask-smapi-sdk`.
 *
 * - Credentials come from `ASK_LWA_CLIENT_ID`, `ASK_LWA_CLIENT_SECRET`, `ASK_REFRESH_TOKEN`, endpoints from
 *   `ASK_SMAPI_SERVER_BASE_URL` and `ASK_LWA_TOKEN_HOST`; missing ones fail before any call.
 * - Reads and idempotent writes (the manifest, model and account-linking PUTs) retry 429 and 5xx within a
 *   bound; submission, withdrawal, publishing, rollback and simulation are never retried: callers read state
 *   again instead.
 * - A 404 on a read is `undefined`; a 412 is a {@link ConcurrentChangeError} naming what changed; a 409 on a
 *   development-stage write is a {@link StageLockedError}; refused credentials name the variables to check.
 *   No message ever carries a secret value.
 * - Documents travel as the API (and the skill package) holds them: the manifest as `{ manifest }`, a model as
 *   `{ interactionModel }`, account linking as its flat payload (wrapped in `accountLinkingRequest` on the way out).
 */
import { isDeepStrictEqual } from "node:util";
import { CustomSmapiClientBuilder } from "ask-smapi-sdk";
import type { services, v1 } from "ask-smapi-model";
import { askCredentials, lwaTokenHost, smapiBaseUrl, type AskCredentials } from "../../core/env";
import { ConfigError, OperationError } from "../../core/errors";
import type {
  BuildError,
  BuildStatus,
  Certification,
  CertificationStatus,
  Publication,
  PublicationMethod,
  Simulation,
  SimulationInput,
  SimulationPort,
  SkillStage,
  SkillStatus,
  SkillsPort,
  SkillVersion,
  UpdateState,
  Versioned,
} from "../../ports";
import { withdrawalReasons } from "../../ports";
import { defaultRetryPolicy, isTransient, withRetries, type RetryPolicy } from "../../core/retry";

type SmapiClient = services.skillManagement.SkillManagementServiceClient;
type Json = Record<string, unknown>;

/** The shape of the SDK's errors (`ServiceError`): HTTP status, headers and parsed body. */
interface SdkError {
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

/** A call the Skill Management API answered with an error. Keeps the HTTP status for callers that branch on it. */
export class SmapiError extends OperationError {
  /** The HTTP status, when the API answered. */
  readonly statusCode?: number;
  /** What was being done, e.g. "updating the manifest of skill … (development stage)". */
  readonly operation: string;

  constructor(message: string, operation: string, options: { statusCode?: number; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.statusCode = options.statusCode;
    this.operation = operation;
  }
}

/** 412: the resource changed since it was read (its ETag no longer matches); nothing was overwritten. */
export class ConcurrentChangeError extends SmapiError {}

/** 409 on a development-stage write: the skill is in certification and its development stage is locked. */
export class StageLockedError extends SmapiError {}

/** Login with Amazon or the Skill Management API refused the credentials. Exit 2, like a missing variable. */
export class CredentialsRefusedError extends ConfigError {}

/** Options of {@link createSkillsPort}. Tests pass `env` and a fast `retryPolicy`. */
export interface SkillsPortOptions {
  env?: Record<string, string | undefined>;
  retryPolicy?: RetryPolicy;
}

/** Locale the publication calls need in `Accept-Language` (it only selects the language of messages). */
const MESSAGE_LOCALE = "en-US";

const oauthErrors = new Set([
  "invalid_grant",
  "invalid_client",
  "unauthorized_client",
  "invalid_request",
  "invalid_scope",
]);

/**
 * Creates the Skill Management API adapter. Reads the credentials and endpoints now, so a missing variable is
 * a {@link ConfigError} before any call.
 */
export function createSkillsPort(options: SkillsPortOptions = {}): SkillsPort & SimulationPort {
  const env = options.env ?? process.env;
  const credentials = askCredentials(env);
  const apiEndpoint = smapiBaseUrl(env);
  const client = buildClient(credentials, apiEndpoint, lwaTokenHost(env));
  return new SmapiAdapter(client, credentials, options.retryPolicy ?? defaultRetryPolicy, apiEndpoint);
}

/** A vendor (developer account) the credentials can act for: its id is what `ASK_VENDOR_ID` holds. */
export interface Vendor {
  id: string;
  name?: string;
}

/**
 * The vendors the given credentials can act for (`GET /v1/vendors`): proves a freshly minted refresh token works
 * and tells the team its vendor id. Endpoints come from `env`, credentials from the caller.
 */
export async function listVendors(
  credentials: AskCredentials,
  options: SkillsPortOptions = {},
): Promise<Vendor[]> {
  const env = options.env ?? process.env;
  const apiEndpoint = smapiBaseUrl(env);
  const client = buildClient(credentials, apiEndpoint, lwaTokenHost(env));
  const adapter = new SmapiAdapter(
    client,
    credentials,
    options.retryPolicy ?? defaultRetryPolicy,
    apiEndpoint,
  );
  return adapter.listVendors();
}

function buildClient(credentials: AskCredentials, apiEndpoint: string, authEndpoint: string): SmapiClient {
  return (
    new CustomSmapiClientBuilder()
      .withApiEndpoint(apiEndpoint)
      .withAuthEndpoint(authEndpoint)
      // The SDK writes these into the token request's form body without encoding them: encode them here.
      .withRefreshTokenConfig({
        clientId: encodeURIComponent(credentials.clientId),
        clientSecret: encodeURIComponent(credentials.clientSecret),
        refreshToken: encodeURIComponent(credentials.refreshToken),
      })
      .withCustomUserAgent("skillship")
      .client()
  );
}

function header(response: { headers: { key: string; value: string }[] }, name: string): string | undefined {
  return response.headers.find((entry) => entry.key.toLowerCase() === name)?.value;
}

function stageName(stage: SkillStage): string {
  return `${stage} stage`;
}

function buildErrors(errors: v1.skill.StandardizedError[] | undefined): BuildError[] {
  return (errors ?? []).map((error) => ({ code: error.code, message: error.message }));
}

function updateState(
  request: { status?: string; errors?: v1.skill.StandardizedError[] } | undefined,
): UpdateState | undefined {
  if (request?.status === undefined) {
    return undefined;
  }
  return { status: request.status as BuildStatus, errors: buildErrors(request.errors) };
}

class SmapiAdapter implements SkillsPort, SimulationPort {
  constructor(
    private readonly client: SmapiClient,
    private readonly credentials: AskCredentials,
    private readonly policy: RetryPolicy,
    private readonly apiEndpoint: string,
  ) {}

  async getManifest(skillId: string, stage: SkillStage): Promise<Versioned<Json> | undefined> {
    return this.readVersioned(`reading the manifest of skill ${skillId} (${stageName(stage)})`, () =>
      this.client.callGetSkillManifestV1(skillId, stage),
    );
  }

  async updateManifest(
    skillId: string,
    stage: SkillStage,
    manifest: Json,
    ifMatch?: string,
  ): Promise<{ etag?: string }> {
    const what = `the manifest of skill ${skillId} (${stageName(stage)})`;
    const response = await this.idempotentWrite(
      `updating ${what}`,
      what,
      stage,
      () =>
        this.client.callUpdateSkillManifestV1(
          skillId,
          stage,
          manifest as v1.skill.Manifest.SkillManifestEnvelope,
          ifMatch,
        ),
      async () => (await this.getManifest(skillId, stage))?.value,
      manifest,
    );
    return { etag: header(response, "etag") };
  }

  async getInteractionModel(
    skillId: string,
    stage: SkillStage,
    locale: string,
  ): Promise<Versioned<Json> | undefined> {
    return this.readVersioned(
      `reading the ${locale} interaction model of skill ${skillId} (${stageName(stage)})`,
      () => this.client.callGetInteractionModelV1(skillId, stage, locale),
    );
  }

  async setInteractionModel(
    skillId: string,
    stage: SkillStage,
    locale: string,
    model: Json,
    ifMatch?: string,
  ): Promise<{ etag?: string }> {
    const what = `the ${locale} interaction model of skill ${skillId} (${stageName(stage)})`;
    const response = await this.idempotentWrite(
      `updating ${what}`,
      what,
      stage,
      () =>
        this.client.callSetInteractionModelV1(
          skillId,
          stage,
          locale,
          model as unknown as v1.skill.interactionModel.InteractionModelData,
          ifMatch,
        ),
      async () => (await this.getInteractionModel(skillId, stage, locale))?.value,
      model,
    );
    return { etag: header(response, "etag") };
  }

  async getSkillStatus(skillId: string): Promise<SkillStatus> {
    const status = await this.read(`reading the build status of skill ${skillId}`, () =>
      this.client.getSkillStatusV1(skillId),
    );
    const interactionModel: Record<string, UpdateState> = {};
    for (const [locale, model] of Object.entries(status.interactionModel ?? {})) {
      const state = updateState(model.lastUpdateRequest);
      if (state !== undefined) {
        interactionModel[locale] = state;
      }
    }
    return { manifest: updateState(status.manifest?.lastUpdateRequest), interactionModel };
  }

  async getAccountLinking(skillId: string, stage: SkillStage): Promise<Versioned<Json> | undefined> {
    const read = await this.readVersioned(
      `reading the account linking of skill ${skillId} (${stageName(stage)})`,
      () => this.client.callGetAccountLinkingInfoV1(skillId, stage),
    );
    if (read === undefined) {
      return undefined;
    }
    // The service has answered both flat and wrapped in `accountLinkingResponse`; callers get the flat form.
    const wrapped = read.value.accountLinkingResponse;
    return typeof wrapped === "object" && wrapped !== null
      ? { value: wrapped as Json, etag: read.etag }
      : read;
  }

  async updateAccountLinking(
    skillId: string,
    stage: SkillStage,
    accountLinking: Json,
    ifMatch?: string,
  ): Promise<void> {
    const body = (
      "accountLinkingRequest" in accountLinking ? accountLinking : { accountLinkingRequest: accountLinking }
    ) as v1.skill.accountLinking.AccountLinkingRequest;
    const what = `the account linking of skill ${skillId} (${stageName(stage)})`;
    await this.idempotentWrite(
      `updating ${what}`,
      what,
      stage,
      () => this.client.callUpdateAccountLinkingInfoV1(skillId, stage, body, ifMatch),
      // The service never returns the client secret, so a lost answer cannot be confirmed by reading back.
      async () => undefined,
      body.accountLinkingRequest as Json,
    );
  }

  async submitForCertification(
    skillId: string,
    publicationMethod: PublicationMethod,
    versionMessage?: string,
  ): Promise<void> {
    const request: v1.skill.SubmitSkillForCertificationRequest =
      versionMessage === undefined ? { publicationMethod } : { publicationMethod, versionMessage };
    await this.once(`submitting skill ${skillId} for certification`, () =>
      this.client.submitSkillForCertificationV1(skillId, request),
    );
  }

  async withdrawFromCertification(skillId: string, reason: string, message?: string): Promise<void> {
    // The API takes a fixed reason; anything else is sent as OTHER with the text as the message.
    const known = (withdrawalReasons as readonly string[]).includes(reason);
    const request: v1.skill.WithdrawRequest = known
      ? { reason: reason as v1.skill.Reason, message }
      : { reason: "OTHER", message: message === undefined ? reason : `${reason}: ${message}` };
    await this.once(`withdrawing skill ${skillId} from certification`, () =>
      this.client.withdrawSkillFromCertificationV1(skillId, request),
    );
  }

  async listCertifications(skillId: string): Promise<Certification[]> {
    const certifications: Certification[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.read(`listing the certifications of skill ${skillId}`, () =>
        this.client.getCertificationsListV1(skillId, nextToken),
      );
      for (const item of page.items ?? []) {
        certifications.push({
          id: item.id ?? "",
          status: (item.status ?? "IN_PROGRESS") as CertificationStatus,
          submittedAt: item.skillSubmissionTimestamp,
        });
      }
      nextToken = page.isTruncated === true ? page.nextToken : undefined;
    } while (nextToken !== undefined);
    return certifications;
  }

  async getCertification(skillId: string, certificationId: string): Promise<Certification> {
    const response = await this.read(`reading certification ${certificationId} of skill ${skillId}`, () =>
      this.client.getCertificationReviewV1(skillId, certificationId, MESSAGE_LOCALE),
    );
    const status = (response.status ?? "IN_PROGRESS") as CertificationStatus;
    const failures = response.result?.distributionInfo?.publicationFailures ?? [];
    const published = response.result?.distributionInfo?.publishedCountries ?? [];
    return {
      id: response.id ?? certificationId,
      status,
      submittedAt: response.skillSubmissionTimestamp,
      review:
        status === "IN_PROGRESS"
          ? undefined
          : {
              summary:
                status === "SUCCEEDED"
                  ? `Certified${published.length > 0 ? ` for ${published.join(", ")}` : ""}`
                  : status === "FAILED"
                    ? `Certification failed with ${failures.length} finding(s)`
                    : "Withdrawn from certification",
              findings: failures.map((failure) => ({
                title: failure.reason ?? "(no reason given)",
                detail:
                  failure.countries === undefined || failure.countries.length === 0
                    ? undefined
                    : `countries: ${failure.countries.join(", ")}`,
              })),
            },
    };
  }

  async publish(skillId: string, publishesAtDate?: string): Promise<Publication> {
    const response = await this.once(`publishing skill ${skillId}`, () =>
      this.client.publishSkillV1(
        skillId,
        MESSAGE_LOCALE,
        publishesAtDate === undefined ? undefined : { publishesAtDate },
      ),
    );
    return publication(response);
  }

  async getPublication(skillId: string): Promise<Publication | undefined> {
    const response = await this.readOrMissing(`reading the latest publication of skill ${skillId}`, () =>
      this.client.getSkillPublicationsV1(skillId, MESSAGE_LOCALE),
    );
    return response === undefined ? undefined : publication(response);
  }

  async listSkillVersions(skillId: string): Promise<SkillVersion[]> {
    const versions: SkillVersion[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.read(`listing the versions of skill ${skillId}`, () =>
        this.client.listVersionsForSkillV1(skillId, nextToken),
      );
      for (const version of page.skillVersions ?? []) {
        const status = newestSubmission(version.submissions)?.status;
        versions.push({
          version: version.version ?? "",
          message: version.message,
          creationTime: version.creationTime,
          ...(status === undefined ? {} : { status }),
        });
      }
      nextToken = page.isTruncated === true ? page.nextToken : undefined;
    } while (nextToken !== undefined);
    return versions;
  }

  async rollbackSkill(skillId: string, targetVersion: string): Promise<string> {
    const response = await this.once(`rolling skill ${skillId} back to version ${targetVersion}`, () =>
      this.client.rollbackSkillV1(skillId, { targetVersion }),
    );
    if (response.rollbackRequestId === undefined) {
      throw new SmapiError(
        `The Skill Management API accepted the rollback of skill ${skillId} but returned no rollback request id`,
        "rolling back",
        {},
      );
    }
    return response.rollbackRequestId;
  }

  async getRollback(
    skillId: string,
    rollbackRequestId: string,
  ): Promise<{ status: BuildStatus; errors: BuildError[] }> {
    const response = await this.read(`reading rollback ${rollbackRequestId} of skill ${skillId}`, () =>
      this.client.getRollbackForSkillV1(skillId, rollbackRequestId),
    );
    const errors = buildErrors(response.errors);
    if (response.status === "INELIGIBLE") {
      return {
        status: "FAILED",
        errors:
          errors.length > 0
            ? errors
            : [{ code: "INELIGIBLE", message: "The target version is not eligible" }],
      };
    }
    return { status: (response.status ?? "IN_PROGRESS") as BuildStatus, errors };
  }

  async startSimulation(skillId: string, stage: SkillStage, input: SimulationInput): Promise<string> {
    const response = await this.once(
      `simulating "${input.utterance}" on skill ${skillId} (${stageName(stage)})`,
      () =>
        this.client.simulateSkillV2(skillId, stage, {
          input: { content: input.utterance },
          device: { locale: input.locale },
          session: { mode: input.newSession === true ? "FORCE_NEW_SESSION" : "DEFAULT" },
        }),
    );
    if (response.id === undefined) {
      throw new SmapiError(`The simulation of skill ${skillId} started without an id`, "simulating", {});
    }
    return response.id;
  }

  async getSimulation(skillId: string, stage: SkillStage, simulationId: string): Promise<Simulation> {
    const response = await this.read(`reading simulation ${simulationId} of skill ${skillId}`, () =>
      this.client.getSkillSimulationV2(skillId, stage, simulationId),
    );
    const result = response.result;
    return {
      id: response.id ?? simulationId,
      status: response.status ?? "IN_PROGRESS",
      error: result?.error?.message,
      invocations: (result?.skillExecutionInfo?.invocations ?? []).map((invocation) => ({
        request: (invocation.invocationRequest?.body ?? {}) as Json,
        response: invocation.invocationResponse?.body as Json | undefined,
      })),
      alexaSpeech: (result?.alexaExecutionInfo?.alexaResponses ?? [])
        .map((response) => response.content?.caption)
        .filter((caption): caption is string => caption !== undefined),
      consideredIntents: (result?.alexaExecutionInfo?.consideredIntents ?? [])
        .map((intent) => intent.name)
        .filter((name): name is string => name !== undefined),
      raw: result,
    };
  }

  async listVendors(): Promise<Vendor[]> {
    const response = await this.read("listing the vendors of the account", () =>
      this.client.getVendorListV1(),
    );
    return (response.vendors ?? []).map((vendor) => ({ id: vendor.id ?? "", name: vendor.name }));
  }

  /** A read, retried while transient. */
  private read<T>(operation: string, call: () => Promise<T>): Promise<T> {
    return this.guard(operation, () => withRetries(call, this.policy, retryable));
  }

  /** A read where 404 means "there is none". */
  private async readOrMissing<T>(operation: string, call: () => Promise<T>): Promise<T | undefined> {
    try {
      return await this.read(operation, call);
    } catch (error) {
      if (error instanceof SmapiError && error.statusCode === 404) {
        return undefined;
      }
      throw error;
    }
  }

  private async readVersioned(
    operation: string,
    call: () => Promise<{ body?: unknown; headers: { key: string; value: string }[] }>,
  ): Promise<Versioned<Json> | undefined> {
    const response = await this.readOrMissing(operation, call);
    if (response === undefined) {
      return undefined;
    }
    return { value: (response.body ?? {}) as Json, etag: header(response, "etag") };
  }

  /**
   * A PUT of a whole document, retried while transient. If a retry is refused with 412 after an attempt whose
   * answer was lost, the document is read back: when it already holds what was written, the write succeeded.
   */
  private async idempotentWrite<T extends { headers: { key: string; value: string }[] }>(
    operation: string,
    what: string,
    stage: SkillStage,
    call: () => Promise<T>,
    readBack: () => Promise<Json | undefined>,
    written: Json,
  ): Promise<T | { headers: [] }> {
    let attempts = 0;
    try {
      return await this.guard(
        operation,
        () =>
          withRetries(
            () => {
              attempts += 1;
              return call();
            },
            this.policy,
            retryable,
          ),
        { resource: what, stage },
      );
    } catch (error) {
      if (
        error instanceof ConcurrentChangeError &&
        attempts > 1 &&
        isDeepStrictEqual(await readBack(), written)
      ) {
        return { headers: [] };
      }
      throw error;
    }
  }

  /** A call that must not be repeated blindly (submission, publishing, rollback, simulation): no retries. */
  private once<T>(operation: string, call: () => Promise<T>): Promise<T> {
    return this.guard(operation, call);
  }

  /** Runs a call and turns the SDK's errors into typed errors that name the resource and never a secret. */
  private async guard<T>(
    operation: string,
    call: () => Promise<T>,
    target: { resource?: string; stage?: SkillStage } = {},
  ): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw this.translate(error, operation, target);
    }
  }

  private translate(
    error: unknown,
    operation: string,
    { resource, stage }: { resource?: string; stage?: SkillStage },
  ): Error {
    const e = (typeof error === "object" && error !== null ? error : {}) as SdkError;
    const status = e.statusCode;
    const body = e.response;
    if (body?.error !== undefined && oauthErrors.has(body.error)) {
      return new CredentialsRefusedError(
        this.redact(
          `Login with Amazon refused the credentials while ${operation} (${body.error}` +
            `${body.error_description === undefined ? "" : `: ${body.error_description}`}): ` +
            (body.error === "invalid_grant"
              ? "check ASK_REFRESH_TOKEN (mint a new one with `skillship lwa login`) and that it was minted for ASK_LWA_CLIENT_ID"
              : "check ASK_LWA_CLIENT_ID and ASK_LWA_CLIENT_SECRET (the team's security profile)"),
        ),
        { cause: error },
      );
    }
    const detail = this.redact(
      [body?.message, ...(body?.violations ?? []).map((violation) => violation.message)]
        .filter((part): part is string => part !== undefined && part !== "")
        .join("; ") ||
        e.message ||
        "no detail",
    );
    if (status === undefined) {
      return new SmapiError(
        `Could not reach the Skill Management API at ${this.apiEndpoint} while ${operation}: ${detail}` +
          " (check ASK_SMAPI_SERVER_BASE_URL, ASK_LWA_TOKEN_HOST and the network)",
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
      return new ConcurrentChangeError(
        `${capitalize(resource ?? "The resource")} changed since it was read (its ETag no longer matches), so ` +
          `${operation} was refused and nothing was overwritten: read it again and re-run the command`,
        operation,
        { statusCode: status, cause: error },
      );
    }
    if (status === 409 && stage === "development") {
      return new StageLockedError(
        `The development stage is locked while the skill is in certification, so ${operation} was refused (${detail}): ` +
          "wait for the certification (skillship release watch) or withdraw it (skillship withdraw)",
        operation,
        { statusCode: status, cause: error },
      );
    }
    if (status === 403) {
      return new SmapiError(
        `The Skill Management API does not allow ${operation} (403: ${detail}): check that the account behind ` +
          "ASK_REFRESH_TOKEN owns the skill (ASK_VENDOR_ID) and that the stage accepts the change",
        operation,
        { statusCode: status, cause: error },
      );
    }
    if (isTransient(error)) {
      return new SmapiError(
        `The Skill Management API kept failing (${status}: ${detail}) while ${operation}` +
          `${this.policy.attempts > 1 ? ` (gave up after the retry bound)` : ""}: try again later`,
        operation,
        { statusCode: status, cause: error },
      );
    }
    return new SmapiError(`The Skill Management API refused ${operation} (${status}: ${detail})`, operation, {
      statusCode: status,
      cause: error,
    });
  }

  /** Removes the credential values from a message that quotes anything from the network. */
  private redact(message: string): string {
    let safe = message;
    for (const secret of [this.credentials.clientSecret, this.credentials.refreshToken]) {
      for (const form of new Set([secret, encodeURIComponent(secret)])) {
        safe = safe.split(form).join("***");
      }
    }
    return safe;
  }
}

/**
 * Transient for a read or an idempotent write: 429, 5xx, or a connection that failed or dropped before an answer
 * (the SDK's client reports those without a status).
 */
function retryable(error: unknown): boolean {
  if (isTransient(error)) {
    return true;
  }
  const e = error as SdkError | null;
  return (
    typeof e === "object" && e !== null && e.statusCode === undefined && /ApiClient Error$/.test(e.name ?? "")
  );
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A version's newest submission: the latest `submissionTime`, else the last listed. */
function newestSubmission(
  submissions: v1.skill.VersionSubmission[] | undefined,
): v1.skill.VersionSubmission | undefined {
  let newest: v1.skill.VersionSubmission | undefined;
  for (const submission of submissions ?? []) {
    const time = Date.parse(submission.submissionTime ?? "");
    const newestTime = Date.parse(newest?.submissionTime ?? "");
    if (newest === undefined || Number.isNaN(newestTime) || !(time < newestTime)) {
      newest = submission;
    }
  }
  return newest;
}

function publication(response: v1.skill.publication.SkillPublicationResponse): Publication {
  const status = response.status === "CANCELLED" ? "FAILED" : (response.status ?? "IN_PROGRESS");
  return { status, publishesAtDate: response.publishesAtDate };
}
