/**
 * What every resource handler is given: the request as matched against the OpenAPI document, the skill it
 * names, and a context shared by all handlers. Also the replies and stage rules the resources have in common.
 */
import type { FakeReply } from "../lwa";
import type { SmapiRouteName } from "./routes";
import type { SpecRoute } from "./spec";
import { inCertification, type FakeDocument, type FakeError, type FakeSkill, type FakeStage } from "./state";
import type { FakeSmapiKnobs, SimulateFunction } from "./types";

/** What the handlers of every resource share. */
export interface FakeContext {
  /** The same object as `fake.knobs`: tests change it while the fake runs, so read it on every call. */
  readonly knobs: FakeSmapiKnobs;
  readonly vendorId: string;
  /** Answers simulated turns; absent when the test did not give one. */
  readonly simulate?: SimulateFunction;
  /** Requests the fake refuses; `close()` reports them again so that the test fails. */
  readonly violations: string[];
  /** The service's clock (ms since the epoch): its timestamps, and when scheduled publications go live. */
  now(): number;
  /** A fresh id for a certification, a rollback or a simulation, e.g. `cert-3-1a2b3c4d`. */
  nextId(prefix: string): string;
}

/** A SMAPI request as its handler sees it, once it has passed the spec check, the token check and the knobs. */
export interface SmapiRequest {
  /** The path parameters of the matched route, e.g. `{ skillId, stageV2 }`. */
  params: SpecRoute["params"];
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body, if there was one. */
  body: unknown;
}

/** The routes whose path names no skill: the vendor account's, and the account's jobs (an export, an import). */
export type VendorRouteName = "getVendorList" | "getExport" | "createUploadUrl" | "getImportStatus";

/** The routes about one skill (the `{skillId}` of their path). */
export type SkillRouteName = Exclude<SmapiRouteName, VendorRouteName>;

/** Answers a call to one skill, which exists. */
export type SkillHandler = (request: SmapiRequest, skill: FakeSkill) => FakeReply | Promise<FakeReply>;

/** A resource's routes: route name → handler. */
export type SkillRoutes<Name extends SkillRouteName = SkillRouteName> = Record<Name, SkillHandler>;

/** The routes that name no skill: route name → handler. */
export type VendorRoutes<Name extends VendorRouteName = VendorRouteName> = Record<
  Name,
  (request: SmapiRequest) => FakeReply | Promise<FakeReply>
>;

/** An error reply as the Skill Management API words them: a message, and a code where it gives one. */
export function errorReply(status: number, message: string, code?: string): FakeReply {
  return { status, body: code === undefined ? { message } : { code, message } };
}

/** The 409 the API answers a write to the development stage while the skill is in certification. */
export function lockedReply(): FakeReply {
  return errorReply(
    409,
    "The skill is in certification: its development stage cannot be changed until the certification " +
      "completes or is withdrawn.",
    "CONFLICT",
  );
}

/** A 400 reply with the validation violations the API lists. */
export function badRequest(message: string, violations: FakeError[] = []): FakeReply {
  return { status: 400, body: { message, violations } };
}

/** True for a JSON object (not an array, not null). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The stage a read names, when it is one the skill has. */
export function readableStage(skill: FakeSkill, stage: string): FakeStage | undefined {
  return stage === "development" || stage === "certified" || stage === "live"
    ? skill.stages[stage]
    : undefined;
}

/**
 * The development stage, for a write to the document `documentIn` picks from it, or the reply refusing the
 * write as the API does: 403 for any other stage, 409 while a certification is in progress, 412 when
 * `If-Match` names another ETag than the document's (or names one for a document not yet written).
 */
export function stageForWrite(
  request: SmapiRequest,
  skill: FakeSkill,
  documentIn: (stage: FakeStage) => FakeDocument | undefined,
): FakeStage | FakeReply {
  const stage = request.params.stageV2;
  if (stage !== "development") {
    return errorReply(
      403,
      `The ${stage} stage is read-only: changes go to the development stage.`,
      "FORBIDDEN",
    );
  }
  if (inCertification(skill)) {
    return lockedReply();
  }
  const development = skill.stages.development;
  const ifMatch = request.headers["if-match"];
  if (typeof ifMatch === "string" && ifMatch !== (documentIn(development)?.etag ?? "")) {
    return errorReply(412, "Precondition failed: the resource has changed since the given ETag was read.");
  }
  return development;
}

/** True when {@link stageForWrite} refused the write. */
export function isRefusal(stage: FakeStage | FakeReply): stage is FakeReply {
  return "status" in stage;
}
