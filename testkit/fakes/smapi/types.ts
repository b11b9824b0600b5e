/**
 * The public shapes of the fake Skill Management API: how a test seeds it, the knobs it turns, the calls it
 * reads back and the running fake itself.
 */
import type { FakeCredentials, FakeLwaState } from "../lwa";
import type { SmapiRouteName } from "./routes";
import type { FakeError, FakeReviewFinding, FakeSkill, FakeStage } from "./state";
import type { FakeImport } from "./resources/package-import";
import type { FakeUploads } from "./uploads";

/** One stage's content to seed a skill with. */
export interface FakeStageSeed {
  /** The manifest envelope `{ manifest: { … } }`, as `skill-package/skill.json` holds it. */
  manifest?: Record<string, unknown>;
  /** Locale → `{ interactionModel: { languageModel: … } }`. */
  models?: Record<string, Record<string, unknown>>;
  accountLinking?: Record<string, unknown>;
  /**
   * The package's files (`assets/images/icon-108.png` → bytes): the manifest's `file://` icons among them are
   * hosted and the manifest names their URLs, as an import leaves a stage.
   */
  files?: Record<string, Uint8Array>;
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
  /** Status reads a package export takes to complete. Default 2. */
  exportPolls: number;
  /** How the next exports end. Default SUCCEEDED. */
  exportOutcome: "SUCCEEDED" | "FAILED";
  /** The zip an export serves instead of the stage's package (a test's broken or hostile archive). */
  exportZip?: (skill: FakeSkill, stage: FakeStage) => Uint8Array;
  /** Reads of an import's status before it applies the package (its model builds follow). Default 1. */
  importPolls: number;
  /** Errors the next imports fail with, per resource (`Manifest`, `InteractionModel.en-US`), nothing applied. */
  failingImport?: FakeImportFailure[];
  /** How long an upload URL stays valid, in ms of the service's clock. Default one hour. */
  uploadUrlTtlMs: number;
  /** Reads of a validation run before it reports its results. Default 2. */
  validationPolls: number;
  /** The validations that fail in the next runs (in every requested locale unless one is named). */
  validationFailures: FakeValidationFinding[];
  /** How many testers a beta test takes in all. Default 500 (Alexa's documented limit). */
  betaTestCapacity: number;
}

/** A resource an import fails on, with the errors it reports (file by resource, JSON path by `propertyPath`). */
export interface FakeImportFailure {
  resource: string;
  errors: { code?: string; message: string; propertyPath?: string }[];
}

/** A validation that fails, as the validations API reports it. */
export interface FakeValidationFinding {
  title: string;
  description: string;
  importance: "REQUIRED" | "RECOMMENDED";
  /** Only in this locale (default: every locale validated). */
  locale?: string;
  category?: string;
}

/** Options of `startFakeSmapi`. */
export interface FakeSmapiOptions extends Partial<FakeSmapiKnobs> {
  /** The security profile and refresh token the fake accepts. Default `FAKE_CREDENTIALS`. */
  credentials?: FakeCredentials;
  vendorId?: string;
  /** Default: one skill, `FAKE_SKILL_ID`, with a minimal development manifest. */
  skills?: FakeSkillSeed[];
  simulate?: SimulateFunction;
  /** Lifetime of issued access tokens. Default 3600. */
  accessTokenTtlSeconds?: number;
  /**
   * The service's clock, in ms since the epoch: its timestamps (submissions, versions, rollbacks), the `Date`
   * header of every answer and the time a scheduled publication (`publishesAtDate`) goes live by. Default
   * `Date.now`.
   */
  now?: () => number;
  /** How far the service's clock is ahead of the runner's (negative: behind), in ms. Default 0. */
  clockSkewMs?: number;
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
  /** A name of `SMAPI_ROUTES` or a `METHOD /template` route of the OpenAPI document. */
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
  /** The object storage behind the short-lived URLs (exported packages); the paths requested from it. */
  storage: { url: string; requests: string[] };
  credentials: FakeCredentials;
  vendorId: string;
  /** Environment variables that point the CLI at this fake with valid credentials. */
  env: Record<string, string>;
  state: { skills: Map<string, FakeSkill>; lwa: FakeLwaState; imports: Map<string, FakeImport> };
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
  /**
   * The next `count` calls (SMAPI by default, or Login with Amazon's) are answered 429 with `Retry-After`
   * (default "1" second; a function of the service's clock gives an HTTP date).
   */
  throttle(
    count: number,
    options?: { service?: "smapi" | "lwa"; retryAfter?: string | ((now: number) => string) },
  ): void;
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
  /** The SMAPI calls so far to a route (a name of `SMAPI_ROUTES` or `METHOD /template`). */
  callsTo(call: SmapiRouteName | string): FakeCall[];
  /** A one-time authorization code for a redirect URI, as LWA's consent page would issue. */
  issueAuthorizationCode(redirectUri: string, scope?: string): string;
  /** Makes every access token issued so far expire. */
  expireAccessTokens(): void;
  /** The upload target and the hosted files (icons of imported packages), on a loopback port of their own. */
  uploads: FakeUploads;
  /** Stops every server; rejects listing the violations if there were any. */
  close(): Promise<void>;
}
