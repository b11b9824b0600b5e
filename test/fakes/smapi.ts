/**
 * A local fake of the Skill Management API and of Login with Amazon, on 127.0.0.1, for tests and benchmarks.
 *
 * - Every SMAPI request is checked against the paths and methods of `ask-smapi-model/spec.json`: an unknown
 *   one (or one the fake does not model, or one lacking a required parameter) is a violation, answered with
 *   an error and reported again by `close()`, so the test fails loudly.
 * - Stateful: skills with development/certified/live stages (manifest, models, account linking, ETags that
 *   change on every write, `If-Match` → 412), model builds and manifest updates that take a number of status
 *   polls, certifications that pass or fail as scripted, the development stage locked (409) while a
 *   certification is in progress, publishing, skill versions and rollback, the v2 simulation API answered by
 *   the test's own `simulate` function.
 * - Knobs: latency per call, a storm of 429s, failure injection at a named call, calls held until several
 *   arrive together (to prove a client sends them at once), the clock scheduled publications go by, a call log.
 *
 * No jest globals in here: `bench/` uses it too.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  accessTokenValid,
  FAKE_CREDENTIALS,
  handleAuthorizeRequest,
  handleTokenRequest,
  issueAuthorizationCode,
  type FakeCredentials,
  type FakeLwaState,
  type FakeReply,
} from "./lwa";
import { matchSpecRoute, missingRequiredParameters, type SpecRoute } from "./smapi-spec";
import {
  cloneStage,
  inCertification,
  newEtag,
  newJob,
  pollCertifications,
  pollJob,
  pollPublication,
  pollRollback,
  type FakeDocument,
  type FakeError,
  type FakeReviewFinding,
  type FakeSimulation,
  type FakeSkill,
  type FakeStage,
} from "./smapi-state";

export { FAKE_CREDENTIALS, type FakeCredentials } from "./lwa";
export type * from "./smapi-state";

/** The skill id the fake holds when no skills are given. */
export const FAKE_SKILL_ID = "amzn1.ask.skill.00000000-0000-4000-8000-000000000001";
/** The vendor id the fake answers to. */
export const FAKE_VENDOR_ID = "M1FAKEVENDOR";

/**
 * The routes of the calls the `SkillsPort` and the simulation use, by name, as `failAt` and the call log
 * name them (`METHOD /template` of the OpenAPI document).
 */
export const SMAPI_ROUTES = {
  getManifest: "GET /v1/skills/{skillId}/stages/{stageV2}/manifest",
  updateManifest: "PUT /v1/skills/{skillId}/stages/{stageV2}/manifest",
  getInteractionModel: "GET /v1/skills/{skillId}/stages/{stageV2}/interactionModel/locales/{locale}",
  setInteractionModel: "PUT /v1/skills/{skillId}/stages/{stageV2}/interactionModel/locales/{locale}",
  getSkillStatus: "GET /v1/skills/{skillId}/status",
  getAccountLinking: "GET /v1/skills/{skillId}/stages/{stageV2}/accountLinkingClient",
  updateAccountLinking: "PUT /v1/skills/{skillId}/stages/{stageV2}/accountLinkingClient",
  submitForCertification: "POST /v1/skills/{skillId}/submit",
  withdrawFromCertification: "POST /v1/skills/{skillId}/withdraw",
  listCertifications: "GET /v1/skills/{skillId}/certifications",
  getCertification: "GET /v1/skills/{skillId}/certifications/{certificationId}",
  publish: "POST /v1/skills/{skillId}/publications",
  getPublication: "GET /v1/skills/{skillId}/publications/~latest",
  listSkillVersions: "GET /v1/skills/{skillId}/versions",
  rollbackSkill: "POST /v1/skills/{skillId}/rollbacks",
  getRollback: "GET /v1/skills/{skillId}/rollbacks/{rollbackRequestId}",
  simulateSkill: "POST /v2/skills/{skillId}/stages/{stage}/simulations",
  getSimulation: "GET /v2/skills/{skillId}/stages/{stage}/simulations/{simulationId}",
  getVendorList: "GET /v1/vendors",
} as const;

/** A route's name in {@link SMAPI_ROUTES}. */
export type SmapiRouteName = keyof typeof SMAPI_ROUTES;

/** One stage's content to seed a skill with. */
export interface FakeStageSeed {
  /** The manifest envelope `{ manifest: { … } }`, as `skill-package/skill.json` holds it. */
  manifest?: Record<string, unknown>;
  /** Locale → `{ interactionModel: { languageModel: … } }`. */
  models?: Record<string, Record<string, unknown>>;
  accountLinking?: Record<string, unknown>;
}

/** A skill to seed the fake with. A `live` stage becomes version "1", live. */
export interface FakeSkillSeed {
  skillId: string;
  /** Defaults to a minimal manifest with one en-US locale and no models. */
  development?: FakeStageSeed;
  live?: FakeStageSeed;
}

/** What a simulated turn asks of the test: the utterance, and whether it opens a new session. */
export interface SimulateInput {
  skillId: string;
  stage: string;
  locale: string;
  utterance: string;
  newSession: boolean;
}

/** What the test's `simulate` function answers for one turn. */
export interface SimulatedTurn {
  /** The intents Alexa considered (for `consideredIntents`). */
  consideredIntents?: { name: string; slots?: Record<string, { name: string; value?: string }> }[];
  /** The request the skill received and its response envelope; absent when Alexa did not call the skill. */
  invocation?: { request: Record<string, unknown>; response: Record<string, unknown> };
  /** A simulation failure (status FAILED with this message). */
  error?: string;
}

/** Answers a simulated turn; in tests it resolves the utterance and invokes the local skill. */
export type SimulateFunction = (input: SimulateInput) => Promise<SimulatedTurn>;

/** Settings that tests may also change while the fake runs (`fake.knobs`). */
export interface FakeSmapiKnobs {
  /** Added to every call (SMAPI and LWA), in ms. Default 0; the benchmark uses 50. */
  latencyMs: number;
  /** Status polls a manifest update or a model build takes to complete (the last one reports it). Default 2. */
  buildPolls: number;
  /** Locale → the errors its next model builds fail with. */
  failingLocales: Record<string, FakeError[]>;
  /** When set, the next manifest updates fail with these errors. */
  failingManifest?: FakeError[];
  /** Reads of the certification (list or one) a submission takes to complete. Default 2. */
  certificationPolls: number;
  /** Outcomes of the next submissions, consumed in order; when empty, certifications succeed. */
  certificationOutcomes: ("SUCCEEDED" | "FAILED")[];
  /** The findings of a failed certification. */
  certificationReview: FakeReviewFinding[];
  /** Reads of `~latest` a publication takes to go live. Default 2. */
  publicationPolls: number;
  /** Reads a rollback takes to complete. Default 2. */
  rollbackPolls: number;
  /** Reads a simulation takes to complete (once the `simulate` function has answered). Default 1. */
  simulationPolls: number;
}

/** Options of {@link startFakeSmapi}. */
export interface FakeSmapiOptions extends Partial<FakeSmapiKnobs> {
  /** The security profile and refresh token the fake accepts. Default {@link FAKE_CREDENTIALS}. */
  credentials?: FakeCredentials;
  vendorId?: string;
  /** Default: one skill, {@link FAKE_SKILL_ID}, with a minimal development manifest. */
  skills?: FakeSkillSeed[];
  simulate?: SimulateFunction;
  /** Lifetime of issued access tokens. Default 3600. */
  accessTokenTtlSeconds?: number;
  /** The clock a scheduled publication (`publishesAtDate`) goes live by, in ms since the epoch. Default `Date.now`. */
  now?: () => number;
}

/** One call the fake received. */
export interface FakeCall {
  service: "smapi" | "lwa";
  method: string;
  /** Path and query string as received. */
  path: string;
  /** The OpenAPI route (`METHOD /template`) for SMAPI calls the document knows. */
  route?: string;
  /** The parsed JSON body of a SMAPI call (LWA bodies hold secrets and are not kept). */
  body?: unknown;
  headers: Record<string, string | string[] | undefined>;
  status: number;
  /** `performance.now()` when the request arrived and when it was answered. */
  startedAt: number;
  endedAt: number;
}

/** A failure to inject at a named call. */
export interface FailureInjection {
  /** A name of {@link SMAPI_ROUTES} or a `METHOD /template` route of the OpenAPI document. */
  call: SmapiRouteName | string;
  /** Which matching call fails first, counted from now (1 = the next one). Default 1. */
  nth?: number;
  /** How many matching calls fail from then on. Default 1. */
  times?: number;
  /**
   * `before`: the call fails and changes nothing. `after`: the change is made and then the answer is an
   * error (the caller cannot tell it happened). Default `before`.
   */
  when?: "before" | "after";
  /** The status answered. Default 500. */
  status?: number;
  /** Instead of answering, drop the connection (the client sees a socket hang-up). */
  drop?: boolean;
}

/** A running fake. */
export interface FakeSmapi {
  /** Base URL for `ASK_SMAPI_SERVER_BASE_URL`. */
  smapiUrl: string;
  /** Base URL for `ASK_LWA_TOKEN_HOST` (token endpoint `/auth/o2/token`, consent page `/ap/oa`). */
  lwaUrl: string;
  credentials: FakeCredentials;
  vendorId: string;
  /** Environment variables that point the CLI at this fake with valid credentials. */
  env: Record<string, string>;
  state: { skills: Map<string, FakeSkill>; lwa: FakeLwaState };
  knobs: FakeSmapiKnobs;
  /** Every call, in arrival order. */
  calls: FakeCall[];
  /** Requests the OpenAPI document does not allow (or the fake does not model). */
  violations: string[];
  /** The highest number of SMAPI calls in flight at once. */
  maxConcurrentCalls: number;
  /** The skill, or an error naming the id. */
  skill(skillId?: string): FakeSkill;
  /** Adds (or replaces) a skill. */
  addSkill(seed: FakeSkillSeed): FakeSkill;
  /** The next `count` SMAPI calls are answered 429. */
  throttle(count: number): void;
  /** Injects a failure at a named call; returns a handle counting how often it fired. */
  failAt(injection: FailureInjection): { fired: number };
  /**
   * Holds the next `count` calls to a route unanswered until all of them have arrived, then answers them: they
   * are in flight together, so a client that sends them concurrently passes however slow the machine, and one
   * that waits for each answer before the next call stalls. After `guardMs` (a guard against that stall, not a
   * measurement) the held calls are answered and a violation says how many came together.
   */
  holdUntilConcurrent(call: SmapiRouteName | string, count: number, guardMs?: number): void;
  /** Removes every injected failure and pending 429. */
  clearFailures(): void;
  /** The SMAPI calls so far to a route (a name of {@link SMAPI_ROUTES} or `METHOD /template`). */
  callsTo(call: SmapiRouteName | string): FakeCall[];
  /** A one-time authorization code for a redirect URI, as LWA's consent page would issue. */
  issueAuthorizationCode(redirectUri: string, scope?: string): string;
  /** Makes every access token issued so far expire. */
  expireAccessTokens(): void;
  /** Stops both servers; rejects listing the violations if there were any. */
  close(): Promise<void>;
}

/** A minimal development manifest: one en-US locale, a Lambda endpoint. */
export function minimalManifest(): Record<string, unknown> {
  return {
    manifest: {
      manifestVersion: "1.0",
      publishingInformation: { locales: { "en-US": { name: "Fake skill" } } },
      apis: { custom: { endpoint: { uri: "arn:aws:lambda:us-east-1:123456789012:function:fake" } } },
    },
  };
}

function documentOf(value: Record<string, unknown>): FakeDocument {
  return { value: structuredClone(value), etag: newEtag() };
}

function stageFromSeed(seed: FakeStageSeed): FakeStage {
  const models: Record<string, FakeDocument> = {};
  for (const [locale, model] of Object.entries(seed.models ?? {})) {
    models[locale] = documentOf(model);
  }
  return {
    manifest: seed.manifest === undefined ? undefined : documentOf(seed.manifest),
    models,
    accountLinking: seed.accountLinking === undefined ? undefined : documentOf(seed.accountLinking),
  };
}

function skillFromSeed(seed: FakeSkillSeed): FakeSkill {
  const development = stageFromSeed(seed.development ?? { manifest: minimalManifest() });
  const skill: FakeSkill = {
    skillId: seed.skillId,
    stages: { development },
    modelBuilds: {},
    certifications: [],
    versions: [],
    rollbacks: {},
    simulations: {},
    sessionOpen: {},
  };
  for (const locale of Object.keys(development.models)) {
    skill.modelBuilds[locale] = { status: "SUCCEEDED", pollsLeft: 0, outcome: "SUCCEEDED", errors: [] };
  }
  if (development.manifest !== undefined) {
    skill.manifestUpdate = { status: "SUCCEEDED", pollsLeft: 0, outcome: "SUCCEEDED", errors: [] };
  }
  if (seed.live !== undefined) {
    const live = stageFromSeed(seed.live);
    skill.versions.push({
      version: "1",
      message: "seeded live version",
      creationTime: new Date(0).toISOString(),
      status: "LIVE",
      wasLive: true,
      snapshot: cloneStage(live),
    });
    skill.stages.live = live;
    skill.liveVersion = "1";
  }
  return skill;
}

function error(status: number, message: string, code?: string): FakeReply {
  return { status, body: code === undefined ? { message } : { code, message } };
}

function badRequest(message: string, violations: FakeError[] = []): FakeReply {
  return { status: 400, body: { message, violations } };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Strips SSML tags, as the simulator's caption shows speech as text. */
function speechText(outputSpeech: unknown): string | undefined {
  if (!isObject(outputSpeech)) {
    return undefined;
  }
  if (typeof outputSpeech.text === "string") {
    return outputSpeech.text;
  }
  if (typeof outputSpeech.ssml === "string") {
    return outputSpeech.ssml
      .replace(/<[^>]+>/g, "")
      .replace(/\s+/g, " ")
      .trim();
  }
  return undefined;
}

function httpsUrlOn443(value: unknown): boolean {
  if (typeof value !== "string") {
    return false;
  }
  try {
    const url = new URL(value);
    return url.protocol === "https:" && (url.port === "" || url.port === "443");
  } catch {
    return false;
  }
}

interface RouteContext {
  route: SpecRoute;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

type Handler = (context: RouteContext, skill: FakeSkill) => FakeReply | Promise<FakeReply>;

/** Starts the fake on two loopback ports (SMAPI and LWA). */
export async function startFakeSmapi(options: FakeSmapiOptions = {}): Promise<FakeSmapi> {
  const credentials = options.credentials ?? FAKE_CREDENTIALS;
  const vendorId = options.vendorId ?? FAKE_VENDOR_ID;
  const knobs: FakeSmapiKnobs = {
    latencyMs: options.latencyMs ?? 0,
    buildPolls: options.buildPolls ?? 2,
    failingLocales: options.failingLocales ?? {},
    failingManifest: options.failingManifest,
    certificationPolls: options.certificationPolls ?? 2,
    certificationOutcomes: options.certificationOutcomes ?? [],
    certificationReview: options.certificationReview ?? [
      { reason: "The skill's response to the launch request did not match the example phrases." },
    ],
    publicationPolls: options.publicationPolls ?? 2,
    rollbackPolls: options.rollbackPolls ?? 2,
    simulationPolls: options.simulationPolls ?? 1,
  };
  const lwa: FakeLwaState = {
    credentials,
    refreshTokens: new Set([credentials.refreshToken]),
    accessTokens: new Map(),
    authorizationCodes: new Map(),
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3600,
  };
  const skills = new Map<string, FakeSkill>();
  for (const seed of options.skills ?? [{ skillId: FAKE_SKILL_ID }]) {
    skills.set(seed.skillId, skillFromSeed(seed));
  }
  const calls: FakeCall[] = [];
  const violations: string[] = [];
  let pendingThrottles = 0;
  let inFlight = 0;
  const injections: (Required<Omit<FailureInjection, "call">> & {
    route: string;
    seen: number;
    fired: number;
  })[] = [];
  const barriers: {
    route: string;
    call: string;
    count: number;
    arrived: number;
    open: boolean;
    released: Promise<void>;
    release: () => void;
  }[] = [];
  const clock = options.now ?? Date.now;
  let sequence = 0;
  const nextId = (prefix: string): string => `${prefix}-${++sequence}-${randomUUID().slice(0, 8)}`;

  const resolveRoute = (call: string): string => {
    const named = (SMAPI_ROUTES as Record<string, string>)[call];
    return named ?? call;
  };

  const locked = (skill: FakeSkill, stage: string): FakeReply | undefined => {
    if (stage === "development" && inCertification(skill)) {
      return error(
        409,
        "The skill is in certification: its development stage cannot be changed until the certification " +
          "completes or is withdrawn.",
        "CONFLICT",
      );
    }
    return undefined;
  };

  const writableStage = (skill: FakeSkill, stage: string): FakeStage | FakeReply => {
    if (stage !== "development") {
      return error(403, `The ${stage} stage is read-only: changes go to the development stage.`, "FORBIDDEN");
    }
    return locked(skill, stage) ?? skill.stages.development;
  };

  const readableStage = (skill: FakeSkill, stage: string): FakeStage | undefined =>
    stage === "development" || stage === "certified" || stage === "live"
      ? skill.stages[stage as "development" | "certified" | "live"]
      : undefined;

  const ifMatchStale = (context: RouteContext, document: FakeDocument | undefined): FakeReply | undefined => {
    const ifMatch = context.headers["if-match"];
    if (typeof ifMatch === "string" && ifMatch !== (document?.etag ?? "")) {
      return error(412, "Precondition failed: the resource has changed since the given ETag was read.");
    }
    return undefined;
  };

  const isStageReply = (value: FakeStage | FakeReply): value is FakeReply => "status" in value;

  const handlers: Record<string, Handler> = {
    [SMAPI_ROUTES.getManifest]: (context, skill) => {
      const document = readableStage(skill, context.params.stageV2)?.manifest;
      if (document === undefined) {
        return error(404, `Skill ${skill.skillId} has no ${context.params.stageV2} stage.`);
      }
      return { status: 200, body: document.value, headers: { etag: document.etag } };
    },
    [SMAPI_ROUTES.updateManifest]: (context, skill) => {
      const stage = writableStage(skill, context.params.stageV2);
      if (isStageReply(stage)) return stage;
      const stale = ifMatchStale(context, stage.manifest);
      if (stale !== undefined) return stale;
      const body = context.body;
      if (!isObject(body) || !isObject(body.manifest)) {
        return badRequest("The request body must be a manifest envelope { manifest: { … } }.", [
          {
            code: "MISSING_REQUIRED_PROPERTY",
            message: "Object instance at path $ is missing property manifest",
          },
        ]);
      }
      const endpoint = (body.manifest as { apis?: { custom?: { endpoint?: Record<string, unknown> } } }).apis
        ?.custom?.endpoint;
      if (
        endpoint !== undefined &&
        typeof endpoint.uri === "string" &&
        endpoint.uri.startsWith("https://") &&
        !["Wildcard", "SelfSigned", "Trusted"].includes(String(endpoint.sslCertificateType))
      ) {
        return badRequest("An HTTPS endpoint needs sslCertificateType Wildcard, SelfSigned or Trusted.");
      }
      stage.manifest = documentOf(body);
      skill.manifestUpdate =
        knobs.failingManifest === undefined
          ? newJob(knobs.buildPolls, "SUCCEEDED")
          : newJob(knobs.buildPolls, "FAILED", knobs.failingManifest);
      return {
        status: 202,
        headers: {
          location: `/v1/skills/${skill.skillId}/status?resource=manifest`,
        },
      };
    },
    [SMAPI_ROUTES.getInteractionModel]: (context, skill) => {
      const document = readableStage(skill, context.params.stageV2)?.models[context.params.locale];
      if (document === undefined) {
        return error(
          404,
          `No interaction model for ${context.params.locale} in the ${context.params.stageV2} stage.`,
        );
      }
      return { status: 200, body: document.value, headers: { etag: document.etag } };
    },
    [SMAPI_ROUTES.setInteractionModel]: (context, skill) => {
      const stage = writableStage(skill, context.params.stageV2);
      if (isStageReply(stage)) return stage;
      const locale = context.params.locale;
      const stale = ifMatchStale(context, stage.models[locale]);
      if (stale !== undefined) return stale;
      const body = context.body;
      const languageModel =
        isObject(body) && isObject(body.interactionModel) && body.interactionModel.languageModel;
      if (!isObject(languageModel) || typeof languageModel.invocationName !== "string") {
        return badRequest("The interaction model is invalid.", [
          {
            code: "MISSING_REQUIRED_PROPERTY",
            message:
              "Object instance at path $.interactionModel.languageModel is missing property invocationName",
          },
        ]);
      }
      stage.models[locale] = documentOf(body as Record<string, unknown>);
      const failure = knobs.failingLocales[locale];
      skill.modelBuilds[locale] =
        failure === undefined
          ? newJob(knobs.buildPolls, "SUCCEEDED")
          : newJob(knobs.buildPolls, "FAILED", failure);
      return {
        status: 202,
        headers: {
          location: `/v1/skills/${skill.skillId}/status?resource=interactionModel`,
        },
      };
    },
    [SMAPI_ROUTES.getSkillStatus]: (context, skill) => {
      const resource = context.query.get("resource");
      const body: Record<string, unknown> = {};
      if (resource === null || resource === "manifest") {
        if (skill.manifestUpdate !== undefined) {
          pollJob(skill.manifestUpdate);
          body.manifest = {
            lastUpdateRequest: { status: skill.manifestUpdate.status, errors: skill.manifestUpdate.errors },
            eTag: skill.stages.development.manifest?.etag,
          };
        }
      }
      if (resource === null || resource === "interactionModel") {
        const models: Record<string, unknown> = {};
        for (const [locale, job] of Object.entries(skill.modelBuilds)) {
          pollJob(job);
          models[locale] = {
            lastUpdateRequest: { status: job.status, errors: job.status === "FAILED" ? job.errors : [] },
            eTag: skill.stages.development.models[locale]?.etag,
          };
        }
        body.interactionModel = models;
      }
      return { status: 200, body };
    },
    [SMAPI_ROUTES.getAccountLinking]: (context, skill) => {
      const document = readableStage(skill, context.params.stageV2)?.accountLinking;
      if (document === undefined) {
        return error(
          404,
          `Skill ${skill.skillId} has no account linking in the ${context.params.stageV2} stage.`,
        );
      }
      const { clientSecret: _secret, ...visible } = document.value;
      return { status: 200, body: visible, headers: { etag: document.etag } };
    },
    [SMAPI_ROUTES.updateAccountLinking]: (context, skill) => {
      const stage = writableStage(skill, context.params.stageV2);
      if (isStageReply(stage)) return stage;
      const stale = ifMatchStale(context, stage.accountLinking);
      if (stale !== undefined) return stale;
      const payload = isObject(context.body) ? context.body.accountLinkingRequest : undefined;
      if (!isObject(payload)) {
        return badRequest("The request body must be { accountLinkingRequest: { … } }.");
      }
      if (!httpsUrlOn443(payload.authorizationUrl)) {
        return badRequest("Authorization Url is invalid: it must be an HTTPS URL on port 443.");
      }
      if (payload.type !== "IMPLICIT" && !httpsUrlOn443(payload.accessTokenUrl)) {
        return badRequest("Access Token Url is invalid: it must be an HTTPS URL on port 443.");
      }
      stage.accountLinking = documentOf(payload);
      return { status: 204, headers: { etag: stage.accountLinking.etag } };
    },
    [SMAPI_ROUTES.submitForCertification]: (context, skill) => {
      if (inCertification(skill)) {
        return badRequest("The skill is already in certification.");
      }
      const development = skill.stages.development;
      if (development.manifest === undefined) {
        return badRequest("The skill has no manifest in the development stage.");
      }
      const pending = [
        ...(skill.manifestUpdate === undefined ? [] : [["manifest", skill.manifestUpdate] as const]),
        ...Object.entries(skill.modelBuilds),
      ].filter(([, job]) => job.status !== "SUCCEEDED");
      if (pending.length > 0) {
        return badRequest(
          `The skill cannot be submitted while updates are not complete: ${pending
            .map(([name, job]) => `${name} ${job.status}`)
            .join(", ")}.`,
        );
      }
      const body = isObject(context.body) ? context.body : {};
      const publicationMethod =
        body.publicationMethod === "AUTO_PUBLISHING" ? "AUTO_PUBLISHING" : "MANUAL_PUBLISHING";
      const versionMessage = typeof body.versionMessage === "string" ? body.versionMessage : undefined;
      if (versionMessage !== undefined && (versionMessage.length < 1 || versionMessage.length > 300)) {
        return badRequest(
          `versionMessage must be 1 to 300 characters long; it has ${versionMessage.length}.`,
        );
      }
      const version = String(skill.versions.length + 1);
      const now = new Date().toISOString();
      skill.versions.push({
        version,
        message: versionMessage,
        creationTime: now,
        status: "IN_REVIEW",
        wasLive: false,
        snapshot: cloneStage(development),
      });
      const outcome = knobs.certificationOutcomes.shift() ?? "SUCCEEDED";
      const id = nextId("cert");
      skill.certifications.push({
        id,
        status: "IN_PROGRESS",
        submittedAt: now,
        publicationMethod,
        versionMessage,
        pollsLeft: Math.max(1, knobs.certificationPolls),
        outcome,
        review: outcome === "FAILED" ? structuredClone(knobs.certificationReview) : [],
        version,
      });
      return { status: 202, headers: { location: `/v1/skills/${skill.skillId}/certifications/${id}` } };
    },
    [SMAPI_ROUTES.withdrawFromCertification]: (context, skill) => {
      const reasons = [
        "TEST_SKILL",
        "MORE_FEATURES",
        "DISCOVERED_ISSUE",
        "NOT_RECEIVED_CERTIFICATION_FEEDBACK",
        "NOT_INTEND_TO_PUBLISH",
        "OTHER",
      ];
      const reason = isObject(context.body) ? context.body.reason : undefined;
      if (typeof reason !== "string" || !reasons.includes(reason)) {
        return badRequest(`The withdrawal reason must be one of ${reasons.join(", ")}.`);
      }
      const current = skill.certifications.find((certification) => certification.status === "IN_PROGRESS");
      if (current === undefined) {
        return badRequest("The skill is not in certification.");
      }
      current.status = "CANCELLED";
      current.completedAt = new Date().toISOString();
      const version = skill.versions.find((candidate) => candidate.version === current.version);
      if (version !== undefined) {
        version.status = "WITHDRAWN_FROM_CERTIFICATION";
      }
      return { status: 204 };
    },
    [SMAPI_ROUTES.listCertifications]: (_context, skill) => {
      pollCertifications(skill);
      const items = [...skill.certifications].reverse().map((certification) => ({
        id: certification.id,
        status: certification.status,
        skillSubmissionTimestamp: certification.submittedAt,
        reviewTrackingInfo: {
          actualCompletionTimestamp: certification.completedAt,
          lastUpdated: certification.completedAt ?? certification.submittedAt,
        },
      }));
      return {
        status: 200,
        body: {
          _links: { self: { href: `/v1/skills/${skill.skillId}/certifications` } },
          isTruncated: false,
          totalCount: items.length,
          items,
        },
      };
    },
    [SMAPI_ROUTES.getCertification]: (context, skill) => {
      pollCertifications(skill);
      const certification = skill.certifications.find(
        (candidate) => candidate.id === context.params.certificationId,
      );
      if (certification === undefined) {
        return error(404, `No certification ${context.params.certificationId} for skill ${skill.skillId}.`);
      }
      return {
        status: 200,
        body: {
          id: certification.id,
          status: certification.status,
          skillSubmissionTimestamp: certification.submittedAt,
          reviewTrackingInfo: {
            actualCompletionTimestamp: certification.completedAt,
            lastUpdated: certification.completedAt ?? certification.submittedAt,
            estimationUpdates: [],
          },
          result: {
            distributionInfo: {
              publishedCountries: certification.status === "SUCCEEDED" ? ["US", "GB", "DE", "FR", "ES"] : [],
              publicationFailures: certification.review,
            },
          },
        },
      };
    },
    [SMAPI_ROUTES.publish]: (context, skill) => {
      pollCertifications(skill);
      const certified = [...skill.versions]
        .reverse()
        .find((version) => version.status === "CERTIFIED" && !version.wasLive);
      if (certified === undefined) {
        return badRequest("The skill has no certified version waiting to be published.");
      }
      if (
        skill.publication !== undefined &&
        ["IN_PROGRESS", "SCHEDULED"].includes(skill.publication.status)
      ) {
        return badRequest("A publication of this skill is already in progress.");
      }
      const at = isObject(context.body) ? context.body.publishesAtDate : undefined;
      const scheduled = typeof at === "string" && Date.parse(at) > clock();
      skill.publication = {
        status: scheduled ? "SCHEDULED" : "IN_PROGRESS",
        publishesAtDate: typeof at === "string" ? at : undefined,
        pollsLeft: Math.max(1, knobs.publicationPolls),
        version: certified.version,
      };
      return {
        status: 202,
        body: { status: skill.publication.status, publishesAtDate: skill.publication.publishesAtDate },
      };
    },
    [SMAPI_ROUTES.getPublication]: (_context, skill) => {
      pollPublication(skill, clock());
      if (skill.publication === undefined) {
        return error(404, `Skill ${skill.skillId} has never been published.`);
      }
      return {
        status: 200,
        body: { status: skill.publication.status, publishesAtDate: skill.publication.publishesAtDate },
      };
    },
    [SMAPI_ROUTES.listSkillVersions]: (_context, skill) => ({
      status: 200,
      body: {
        _links: { self: { href: `/v1/skills/${skill.skillId}/versions` } },
        isTruncated: false,
        skillVersions: [...skill.versions].reverse().map((version) => ({
          version: version.version,
          message: version.message,
          creationTime: version.creationTime,
          submissions: [{ status: version.status, submissionTime: version.creationTime }],
        })),
      },
    }),
    [SMAPI_ROUTES.rollbackSkill]: (context, skill) => {
      if (Object.values(skill.rollbacks).some((rollback) => rollback.status === "IN_PROGRESS")) {
        return error(409, "A rollback of this skill is already in progress.", "CONFLICT");
      }
      const targetVersion = isObject(context.body) ? context.body.targetVersion : undefined;
      const target = skill.versions.find((version) => version.version === targetVersion);
      if (typeof targetVersion !== "string" || target === undefined) {
        return badRequest(`Skill ${skill.skillId} has no version ${String(targetVersion)}.`);
      }
      if (!target.wasLive) {
        return badRequest(`Version ${targetVersion} of skill ${skill.skillId} has never been live.`);
      }
      if (skill.liveVersion === targetVersion) {
        return badRequest(`Version ${targetVersion} of skill ${skill.skillId} is already live.`);
      }
      const id = nextId("rollback");
      skill.rollbacks[id] = {
        id,
        targetVersion,
        submissionTime: new Date().toISOString(),
        status: "IN_PROGRESS",
        pollsLeft: Math.max(1, knobs.rollbackPolls),
        errors: [],
      };
      return {
        status: 201,
        body: { rollbackRequestId: id },
        headers: { location: `/v1/skills/${skill.skillId}/rollbacks/${id}` },
      };
    },
    [SMAPI_ROUTES.getRollback]: (context, skill) => {
      const rollback = skill.rollbacks[context.params.rollbackRequestId];
      if (rollback === undefined) {
        return error(404, `No rollback ${context.params.rollbackRequestId} for skill ${skill.skillId}.`);
      }
      pollRollback(skill, rollback);
      return {
        status: 200,
        body: {
          id: rollback.id,
          targetVersion: rollback.targetVersion,
          submissionTime: rollback.submissionTime,
          status: rollback.status,
          errors: rollback.errors,
        },
      };
    },
    [SMAPI_ROUTES.simulateSkill]: (context, skill) => {
      const stageName = context.params.stage;
      if (stageName !== "development" && stageName !== "live") {
        return badRequest(`Simulation stage must be development or live, not ${stageName}.`);
      }
      const stage = skill.stages[stageName];
      if (stage === undefined) {
        return error(404, `Skill ${skill.skillId} has no ${stageName} stage.`);
      }
      if (Object.values(skill.simulations).some((simulation) => simulation.status === "IN_PROGRESS")) {
        return error(409, "Another simulation of this skill is still in progress.", "CONFLICT");
      }
      const simulate = options.simulate;
      if (simulate === undefined) {
        violations.push("POST simulations: the fake was started without a simulate function");
        return error(501, "skillship fake: start the fake with a simulate function to use simulations");
      }
      const body = context.body as {
        input?: { content?: string };
        device?: { locale?: string };
        session?: { mode?: string };
      };
      const utterance = body.input?.content;
      const locale = body.device?.locale;
      if (typeof utterance !== "string" || typeof locale !== "string") {
        return badRequest("input.content and device.locale are required.");
      }
      const newSession = body.session?.mode === "FORCE_NEW_SESSION" || skill.sessionOpen[stageName] !== true;
      const id = nextId("simulation");
      const simulation: FakeSimulation = {
        id,
        stage: stageName,
        status: "IN_PROGRESS",
        pollsLeft: Math.max(1, knobs.simulationPolls),
      };
      skill.simulations[id] = simulation;
      const endpoint =
        (stage.manifest?.value as { manifest?: { apis?: { custom?: { endpoint?: { uri?: string } } } } })
          ?.manifest?.apis?.custom?.endpoint?.uri ?? "";
      const started = performance.now();
      simulate({ skillId: skill.skillId, stage: stageName, locale, utterance, newSession }).then(
        (turn) => {
          if (turn.error !== undefined) {
            simulation.failed = true;
            simulation.result = { error: { code: "SIMULATION_FAILED", message: turn.error } };
            return;
          }
          const response = turn.invocation?.response as
            { response?: { outputSpeech?: unknown; shouldEndSession?: boolean } } | undefined;
          const caption = speechText(response?.response?.outputSpeech);
          skill.sessionOpen[stageName] =
            turn.invocation !== undefined && response?.response?.shouldEndSession !== true;
          simulation.result = {
            alexaExecutionInfo: {
              alexaResponses: caption === undefined ? [] : [{ type: "Speech", content: { caption } }],
              consideredIntents: (turn.consideredIntents ?? []).map((intent) => ({
                name: intent.name,
                confirmationStatus: "NONE",
                slots: intent.slots ?? {},
              })),
            },
            skillExecutionInfo: {
              invocations:
                turn.invocation === undefined
                  ? []
                  : [
                      {
                        invocationRequest: { endpoint, body: turn.invocation.request },
                        invocationResponse: { body: turn.invocation.response },
                        metrics: {
                          skillExecutionTimeInMilliseconds: Math.round(performance.now() - started),
                        },
                      },
                    ],
            },
          };
        },
        (cause: unknown) => {
          simulation.failed = true;
          simulation.result = {
            error: {
              code: "SKILL_INVOCATION_FAILED",
              message: cause instanceof Error ? cause.message : String(cause),
            },
          };
        },
      );
      return {
        status: 200,
        body: { id, status: "IN_PROGRESS" },
        headers: { location: `/v2/skills/${skill.skillId}/stages/${stageName}/simulations/${id}` },
      };
    },
    [SMAPI_ROUTES.getSimulation]: (context, skill) => {
      const simulation = skill.simulations[context.params.simulationId];
      if (simulation === undefined || simulation.stage !== context.params.stage) {
        return error(404, `No simulation ${context.params.simulationId} for skill ${skill.skillId}.`);
      }
      if (simulation.status === "IN_PROGRESS") {
        simulation.pollsLeft -= 1;
        if (simulation.pollsLeft <= 0 && simulation.result !== undefined) {
          simulation.status = simulation.failed === true ? "FAILED" : "SUCCESSFUL";
        }
      }
      return {
        status: 200,
        body: {
          id: simulation.id,
          status: simulation.status,
          ...(simulation.status === "IN_PROGRESS" ? {} : { result: simulation.result }),
        },
      };
    },
  };

  const smapiHandle = async (
    request: IncomingMessage,
    rawBody: string,
    url: URL,
    call: FakeCall,
  ): Promise<FakeReply | "drop"> => {
    const route = matchSpecRoute(request.method ?? "GET", url.pathname);
    if (route === undefined) {
      const message = `${request.method} ${url.pathname} is not a path and method of the Skill Management API`;
      violations.push(message);
      return error(404, `skillship fake: ${message}`);
    }
    call.route = route.key;
    let body: unknown;
    if (rawBody !== "") {
      try {
        body = JSON.parse(rawBody);
      } catch {
        return badRequest(`The request body of ${route.key} is not JSON.`);
      }
    }
    call.body = body;
    const missing = missingRequiredParameters(route, {
      query: url.searchParams,
      headers: request.headers,
      body,
    });
    if (missing.length > 0) {
      const message = `${route.key} lacks required parameters ${missing.join(", ")}`;
      violations.push(message);
      return badRequest(`skillship fake: ${message}`);
    }
    if (!accessTokenValid(lwa, request.headers.authorization)) {
      return {
        status: 401,
        body: { message: "The auth token is invalid/expired or doesn't have access to the resource." },
      };
    }
    if (pendingThrottles > 0) {
      pendingThrottles -= 1;
      return { status: 429, body: { message: "Rate exceeded" }, headers: { "retry-after": "1" } };
    }
    if (route.key === SMAPI_ROUTES.getVendorList) {
      return {
        status: 200,
        body: { vendors: [{ name: "Fake vendor", id: vendorId, roles: ["ROLE_ADMINISTRATOR"] }] },
      };
    }
    const handler = handlers[route.key];
    if (handler === undefined) {
      const message = `${route.key} is in the Skill Management API but not modelled by the fake`;
      violations.push(message);
      return error(501, `skillship fake: ${message}`);
    }
    const skill = skills.get(route.params.skillId);
    if (skill === undefined) {
      return error(404, `Skill ${route.params.skillId} not found.`);
    }
    const injection = injections.find((candidate) => {
      if (candidate.route !== route.key || candidate.fired >= candidate.times) return false;
      return true;
    });
    let firing: (typeof injections)[number] | undefined;
    if (injection !== undefined) {
      injection.seen += 1;
      if (injection.seen >= injection.nth) {
        injection.fired += 1;
        firing = injection;
      }
    }
    const context: RouteContext = {
      route,
      params: route.params,
      query: url.searchParams,
      headers: request.headers,
      body,
    };
    if (firing !== undefined && firing.when === "before") {
      return firing.drop ? "drop" : error(firing.status, `Injected failure at ${route.key}`);
    }
    const barrier = barriers.find((candidate) => candidate.route === route.key && !candidate.open);
    if (barrier !== undefined) {
      barrier.arrived += 1;
      if (barrier.arrived === barrier.count) barrier.release();
      await barrier.released;
    }
    const reply = await handler(context, skill);
    if (firing !== undefined) {
      return firing.drop
        ? "drop"
        : error(firing.status, `Injected failure at ${route.key} (after the change)`);
    }
    return reply;
  };

  const lwaHandle = (request: IncomingMessage, rawBody: string, url: URL): FakeReply => {
    const path = url.pathname.toLowerCase();
    if (request.method === "POST" && path === "/auth/o2/token") {
      return handleTokenRequest(lwa, new URLSearchParams(rawBody), request.headers.authorization);
    }
    if (request.method === "GET" && path === "/ap/oa") {
      return handleAuthorizeRequest(lwa, url.searchParams);
    }
    const message = `${request.method} ${url.pathname} is not a Login with Amazon endpoint the fake serves`;
    violations.push(message);
    return error(404, `skillship fake: ${message}`);
  };

  const serve =
    (service: "smapi" | "lwa") =>
    (request: IncomingMessage, response: ServerResponse): void => {
      const startedAt = performance.now();
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        void (async () => {
          const rawBody = Buffer.concat(chunks).toString("utf8");
          const url = new URL(request.url ?? "/", "http://127.0.0.1");
          const call: FakeCall = {
            service,
            method: request.method ?? "GET",
            path: request.url ?? "/",
            headers: service === "smapi" ? { ...request.headers, authorization: undefined } : {},
            status: 0,
            startedAt,
            endedAt: 0,
          };
          calls.push(call);
          if (service === "smapi") {
            inFlight += 1;
            fake.maxConcurrentCalls = Math.max(fake.maxConcurrentCalls, inFlight);
          }
          try {
            if (knobs.latencyMs > 0) {
              await new Promise((resolve) => setTimeout(resolve, knobs.latencyMs));
            }
            const reply =
              service === "smapi"
                ? await smapiHandle(request, rawBody, url, call)
                : lwaHandle(request, rawBody, url);
            call.endedAt = performance.now();
            if (reply === "drop") {
              call.status = 0;
              request.socket.destroy();
              return;
            }
            call.status = reply.status;
            const payload = reply.body === undefined ? "" : JSON.stringify(reply.body);
            response.writeHead(reply.status, {
              ...(payload === "" ? {} : { "content-type": "application/json" }),
              ...reply.headers,
            });
            response.end(payload);
          } catch (cause) {
            const message = `the fake failed on ${call.method} ${call.path}: ${cause instanceof Error ? cause.stack : String(cause)}`;
            violations.push(message);
            call.status = 500;
            call.endedAt = performance.now();
            response.writeHead(500, { "content-type": "application/json" });
            response.end(JSON.stringify({ message: `skillship fake: ${message}` }));
          } finally {
            if (service === "smapi") {
              inFlight -= 1;
            }
          }
        })();
      });
    };

  const listen = async (server: Server): Promise<string> => {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
  const smapiServer = createServer(serve("smapi"));
  const lwaServer = createServer(serve("lwa"));
  const [smapiUrl, lwaUrl] = await Promise.all([listen(smapiServer), listen(lwaServer)]);

  const stop = (server: Server): Promise<void> =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });

  const fake: FakeSmapi = {
    smapiUrl,
    lwaUrl,
    credentials,
    vendorId,
    env: {
      ASK_SMAPI_SERVER_BASE_URL: smapiUrl,
      ASK_LWA_TOKEN_HOST: lwaUrl,
      ASK_LWA_CLIENT_ID: credentials.clientId,
      ASK_LWA_CLIENT_SECRET: credentials.clientSecret,
      ASK_REFRESH_TOKEN: credentials.refreshToken,
      ASK_VENDOR_ID: vendorId,
    },
    state: { skills, lwa },
    knobs,
    calls,
    violations,
    maxConcurrentCalls: 0,
    skill(skillId = FAKE_SKILL_ID) {
      const skill = skills.get(skillId);
      if (skill === undefined) {
        throw new Error(
          `fake SMAPI: no skill ${skillId}; seed it with startFakeSmapi({ skills }) or addSkill`,
        );
      }
      return skill;
    },
    addSkill(seed) {
      const skill = skillFromSeed(seed);
      skills.set(seed.skillId, skill);
      return skill;
    },
    throttle(count) {
      pendingThrottles += count;
    },
    failAt(injection) {
      const entry = {
        route: resolveRoute(injection.call),
        nth: injection.nth ?? 1,
        times: injection.times ?? 1,
        when: injection.when ?? "before",
        status: injection.status ?? 500,
        drop: injection.drop ?? false,
        seen: 0,
        fired: 0,
      };
      if (!Object.values(SMAPI_ROUTES).includes(entry.route as (typeof SMAPI_ROUTES)[SmapiRouteName])) {
        throw new Error(`fake SMAPI: failAt names an unknown call ${injection.call}`);
      }
      injections.push(entry);
      return {
        get fired() {
          return entry.fired;
        },
      };
    },
    holdUntilConcurrent(call, count, guardMs = 10_000) {
      const route = resolveRoute(call);
      if (!Object.values(SMAPI_ROUTES).includes(route as (typeof SMAPI_ROUTES)[SmapiRouteName])) {
        throw new Error(`fake SMAPI: holdUntilConcurrent names an unknown call ${call}`);
      }
      let answer!: () => void;
      const released = new Promise<void>((resolve) => (answer = resolve));
      const barrier = { route, call, count, arrived: 0, open: false, released, release: () => undefined };
      const guard = setTimeout(() => {
        violations.push(
          `${call}: only ${barrier.arrived} of ${count} calls were in flight together; the client waits for ` +
            "each answer before the next call",
        );
        barrier.release();
      }, guardMs);
      guard.unref();
      barrier.release = () => {
        clearTimeout(guard);
        barrier.open = true;
        answer();
      };
      barriers.push(barrier);
    },
    clearFailures() {
      injections.length = 0;
      pendingThrottles = 0;
    },
    callsTo(call) {
      const route = resolveRoute(call);
      return calls.filter((candidate) => candidate.route === route);
    },
    issueAuthorizationCode(redirectUri, scope = "") {
      return issueAuthorizationCode(lwa, redirectUri, scope);
    },
    expireAccessTokens() {
      for (const token of lwa.accessTokens.keys()) {
        lwa.accessTokens.set(token, 0);
      }
    },
    async close() {
      for (const barrier of barriers.filter((candidate) => !candidate.open)) {
        violations.push(`${barrier.call}: only ${barrier.arrived} of ${barrier.count} held calls arrived`);
        barrier.release();
      }
      await Promise.all([stop(smapiServer), stop(lwaServer)]);
      if (violations.length > 0) {
        throw new Error(
          `The fake Skill Management API saw requests it does not allow:\n- ${violations.join("\n- ")}`,
        );
      }
    },
  };
  return fake;
}
