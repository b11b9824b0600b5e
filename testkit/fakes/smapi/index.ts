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
 * - A clock of its own (`now`, `clockSkewMs`): its timestamps and the `Date` header of every answer.
 * - Knobs: latency per call, a storm of 429s, failure injection at a named call, calls held until several
 *   arrive together (to prove a client sends them at once), the clock scheduled publications go by, a call log.
 *
 * Where things are: `server.ts` serves and dispatches, `resources/` answers each group of routes, `state.ts`
 * holds the skills and moves their jobs on, `types.ts` has the shapes a test sees.
 *
 * No jest globals in here: `bench/` uses it too.
 */
import { randomUUID } from "node:crypto";
import { FAKE_CREDENTIALS, issueAuthorizationCode, type FakeLwaState } from "../lwa";
import type { FakeContext } from "./context";
import { accountLinkingRoutes } from "./resources/account-linking";
import { betaTestRoutes } from "./resources/beta-test";
import { certificationRoutes } from "./resources/certification";
import { exportRoutes } from "./resources/exports";
import { interactionModelRoutes } from "./resources/interaction-models";
import { manifestRoutes } from "./resources/manifest";
import { packageImportRoutes, type FakeImport } from "./resources/package-import";
import { publicationRoutes } from "./resources/publication";
import { simulationRoutes } from "./resources/simulation";
import { validationRoutes } from "./resources/validations";
import { vendorRoutes } from "./resources/vendors";
import { versionRoutes } from "./resources/versions";
import { resolveRoute } from "./routes";
import { skillFromSeed } from "./seed";
import { startServers } from "./server";
import { startFakeStorage } from "./storage";
import type { FakeSkill } from "./state";
import { startFakeUploads } from "./uploads";
import type { FakeCall, FakeSmapi, FakeSmapiKnobs, FakeSmapiOptions } from "./types";

export { FAKE_CREDENTIALS, type FakeCredentials } from "../lwa";
export { SMAPI_ROUTES, type SmapiRouteName } from "./routes";
export { minimalManifest } from "./seed";
export { pendingCertification } from "./state";
export type * from "./state";
export type * from "./types";

/** The skill id the fake holds when no skills are given. */
export const FAKE_SKILL_ID = "amzn1.ask.skill.00000000-0000-4000-8000-000000000001";
/** The vendor id the fake answers to. */
export const FAKE_VENDOR_ID = "M1FAKEVENDOR";

function knobsFrom(options: FakeSmapiOptions): FakeSmapiKnobs {
  return {
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
    exportPolls: options.exportPolls ?? 2,
    exportOutcome: options.exportOutcome ?? "SUCCEEDED",
    exportZip: options.exportZip,
    importPolls: options.importPolls ?? 1,
    failingImport: options.failingImport,
    uploadUrlTtlMs: options.uploadUrlTtlMs ?? 3_600_000,
    validationPolls: options.validationPolls ?? 2,
    validationFailures: options.validationFailures ?? [],
    betaTestCapacity: options.betaTestCapacity ?? 500,
  };
}

/** Starts the fake on two loopback ports (SMAPI and LWA). */
export async function startFakeSmapi(options: FakeSmapiOptions = {}): Promise<FakeSmapi> {
  const credentials = options.credentials ?? FAKE_CREDENTIALS;
  const vendorId = options.vendorId ?? FAKE_VENDOR_ID;
  const knobs = knobsFrom(options);
  const lwa: FakeLwaState = {
    credentials,
    refreshTokens: new Set([credentials.refreshToken]),
    accessTokens: new Map(),
    authorizationCodes: new Map(),
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3600,
  };
  const calls: FakeCall[] = [];
  const violations: string[] = [];
  let sequence = 0;
  const clock = options.now ?? Date.now;
  const skew = options.clockSkewMs ?? 0;
  const serviceClock = (): number => clock() + skew;
  const uploads = await startFakeUploads(serviceClock);
  const skills = new Map<string, FakeSkill>();
  for (const seed of options.skills ?? [{ skillId: FAKE_SKILL_ID }]) {
    skills.set(seed.skillId, skillFromSeed(seed, uploads.host));
  }
  const context: FakeContext = {
    knobs,
    vendorId,
    simulate: options.simulate,
    violations,
    now: serviceClock,
    nextId: (prefix) => `${prefix}-${++sequence}-${randomUUID().slice(0, 8)}`,
  };

  const storage = await startFakeStorage(violations);
  const exports = exportRoutes(context, storage);
  const imports = new Map<string, FakeImport>();
  const packages = packageImportRoutes(context, uploads, skills, imports);
  const servers = await startServers({
    knobs,
    lwa,
    skills,
    calls,
    violations,
    now: serviceClock,
    skillRoutes: {
      ...manifestRoutes(context),
      ...interactionModelRoutes(context),
      ...accountLinkingRoutes(),
      ...certificationRoutes(context),
      ...publicationRoutes(context),
      ...versionRoutes(context),
      ...simulationRoutes(context),
      ...exports.skillRoutes,
      importPackage: packages.importPackage,
      ...validationRoutes(context),
      ...betaTestRoutes(context),
    },
    vendorRoutes: {
      ...vendorRoutes(context),
      ...exports.accountRoutes,
      createUploadUrl: packages.createUploadUrl,
      getImportStatus: packages.getImportStatus,
    },
    onSkillCall: packages.advanceImports,
  });

  return {
    smapiUrl: servers.smapiUrl,
    lwaUrl: servers.lwaUrl,
    storage: { url: storage.url, requests: storage.requests },
    credentials,
    vendorId,
    env: {
      ASK_SMAPI_SERVER_BASE_URL: servers.smapiUrl,
      ASK_LWA_TOKEN_HOST: servers.lwaUrl,
      ASK_LWA_CLIENT_ID: credentials.clientId,
      ASK_LWA_CLIENT_SECRET: credentials.clientSecret,
      ASK_REFRESH_TOKEN: credentials.refreshToken,
    },
    state: { skills, lwa, imports },
    uploads,
    knobs,
    calls,
    violations,
    get maxConcurrentCalls() {
      return servers.maxConcurrentCalls;
    },
    set maxConcurrentCalls(value) {
      servers.maxConcurrentCalls = value;
    },
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
      const skill = skillFromSeed(seed, uploads.host);
      skills.set(seed.skillId, skill);
      return skill;
    },
    throttle: servers.throttle,
    failAt: servers.failAt,
    holdUntilConcurrent: servers.holdUntilConcurrent,
    clearFailures: servers.clearFailures,
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
      await storage.close();
      await uploads.close();
      await servers.close();
    },
  };
}
