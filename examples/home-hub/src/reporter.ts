/**
 * Asynchronous state reporting: when a device changes outside Alexa (someone pressed the wall switch, the hub
 * ran a rule), the hub tells the bridge, and the bridge sends an `Alexa.ChangeReport` to the event gateway of
 * its region with the user's Alexa access token from AcceptGrant, refreshed with Login with Amazon when it has
 * expired (or when the gateway says it has). A user who disabled the skill or revoked the grant is forgotten.
 */
import { controllersOf, propertiesOf, type StateField } from "./devices";
import type { EventGatewayClient } from "./gateway";
import type { HubDevice } from "./hub";
import { LwaError, type LwaClient } from "./lwa";
import { changeReport, type ChangeCause } from "./messages";
import type { Logger } from "./handlers";
import type { AlexaTokens, TokenStore } from "./tokens";

/** What the hub sends the bridge when a device changed (the Lambda event `{ hubEvent }`). */
export interface HubNotice {
  type: "DeviceStateChanged";
  /** The hub's id of the device's owner (as `GET /api/v1/me` names them). */
  userId: string;
  /** The device after the change. */
  device: HubDevice;
  /** The state fields that changed (`on`, `level`, `position`, `online`); default: all of them. */
  changed?: StateField[];
  /** Default PHYSICAL_INTERACTION. */
  cause?: ChangeCause;
  /** When it changed (ISO time); default: now. */
  at?: string;
}

/** The Lambda event the hub invokes the function with. */
export interface HubEvent {
  hubEvent: HubNotice;
}

/** What became of a notice. */
export type ReportOutcome =
  /** The gateway accepted the ChangeReport (202). */
  | "sent"
  /** No tokens for this user: they never linked with asynchronous reporting, or were forgotten. */
  | "not-linked"
  /** The device is not one the bridge exposes, or nothing Alexa knows of changed. */
  | "nothing-to-report"
  /** The gateway says the user disabled the skill: their tokens were deleted. */
  | "skill-disabled"
  /** Login with Amazon refused the refresh token (grant revoked): the tokens were deleted. */
  | "authorization-revoked";

/** The report the bridge gives back to the hub. */
export interface ReportResult {
  outcome: ReportOutcome;
  endpointId: string;
}

/** The gateway refused the event in a way a retry will not fix by itself, or is failing (429, 5xx). */
export class ChangeReportError extends Error {
  override readonly name = "ChangeReportError";
  constructor(
    message: string,
    /** True for answers a later retry may get past (429, 5xx). */
    readonly transient: boolean,
  ) {
    super(message);
  }
}

/** What the reporter works with. */
export interface ReporterDeps {
  tokens: TokenStore;
  lwa: LwaClient;
  gateway: EventGatewayClient;
  now: () => Date;
  log: Logger;
}

/** Refresh this long before the access token expires, so that it cannot expire in flight. */
const EXPIRY_MARGIN_MS = 60_000;
const FORGET_CODES = new Set(["SKILL_DISABLED_EXCEPTION", "SKILL_NEVER_ENABLED_EXCEPTION"]);

/** Sends the ChangeReport of one hub notice. */
export async function reportChange(notice: HubNotice, deps: ReporterDeps): Promise<ReportResult> {
  const endpointId = notice.device.id;
  const result = (outcome: ReportOutcome): ReportResult => {
    deps.log({
      level: outcome === "sent" ? "info" : "warn",
      message: `ChangeReport ${outcome}`,
      endpointId,
      userId: notice.userId,
    });
    return { outcome, endpointId };
  };
  const time = notice.at === undefined ? deps.now() : new Date(notice.at);
  const changedFields = new Set<StateField>(notice.changed ?? ["on", "level", "position", "online"]);
  const properties = controllersOf(notice.device).length === 0 ? [] : propertiesOf(notice.device, time);
  const changed = properties.filter((entry) => changedFields.has(entry.field)).map((entry) => entry.property);
  const unchanged = properties
    .filter((entry) => !changedFields.has(entry.field))
    .map((entry) => entry.property);
  if (changed.length === 0) return result("nothing-to-report");

  let tokens = await deps.tokens.get(notice.userId);
  if (tokens === undefined) return result("not-linked");
  let refreshed = false;
  const refresh = async (current: AlexaTokens): Promise<AlexaTokens | undefined> => {
    refreshed = true;
    try {
      const granted = await deps.lwa.refresh(current.refreshToken);
      const next = {
        userId: current.userId,
        accessToken: granted.accessToken,
        refreshToken: granted.refreshToken,
        expiresAt: deps.now().getTime() + granted.expiresInSeconds * 1000,
      };
      await deps.tokens.put(next);
      return next;
    } catch (error) {
      if (error instanceof LwaError && error.code === "invalid_grant") {
        await deps.tokens.delete(current.userId);
        return undefined;
      }
      throw error;
    }
  };
  if (tokens.expiresAt - deps.now().getTime() < EXPIRY_MARGIN_MS) {
    tokens = await refresh(tokens);
    if (tokens === undefined) return result("authorization-revoked");
  }
  const cause = notice.cause ?? "PHYSICAL_INTERACTION";
  let answer = await deps.gateway.send(
    changeReport(endpointId, tokens.accessToken, cause, changed, unchanged),
    tokens.accessToken,
  );
  if (answer.status === 401 && !refreshed) {
    tokens = await refresh(tokens);
    if (tokens === undefined) return result("authorization-revoked");
    answer = await deps.gateway.send(
      changeReport(endpointId, tokens.accessToken, cause, changed, unchanged),
      tokens.accessToken,
    );
  }
  if (answer.status === 202) return result("sent");
  if (answer.status === 403 && answer.code !== undefined && FORGET_CODES.has(answer.code)) {
    await deps.tokens.delete(notice.userId);
    return result("skill-disabled");
  }
  const said = `${answer.status}${answer.code === undefined ? "" : ` ${answer.code}`}${answer.description === undefined ? "" : `: ${answer.description}`}`;
  const hint =
    answer.code === "INSUFFICIENT_PERMISSION_EXCEPTION"
      ? " (the skill's manifest needs the permission alexa::async_event:write)"
      : "";
  throw new ChangeReportError(
    `The Alexa event gateway at ${deps.gateway.url} refused the ChangeReport for ${endpointId}: ${said}${hint}`,
    answer.status === 429 || answer.status >= 500,
  );
}
