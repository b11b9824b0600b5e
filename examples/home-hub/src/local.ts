/**
 * The bridge for local runs (`skillship directive`), named by `code.local` in `examples/home-hub/skillship.json`.
 *
 * With `HOME_HUB_URL` set (or `local.settings.hubUrl`), directives go to that hub — a team's own, on its
 * network — with the token given to `skillship directive --token`. Without either, a fake hub starts in this
 * process (`testkit/fakes/home-hub.ts`: a Z-Wave switch, an RFY shutter and a dimmer of the user
 * `hub-token-alice`), so the sample answers directives with no hardware and no cloud. Login with Amazon and the
 * event gateway are local fakes too, unless `LWA_TOKEN_URL` (with `ALEXA_SKILL_CLIENT_ID` and
 * `ALEXA_SKILL_CLIENT_SECRET`) and `ALEXA_EVENT_GATEWAY_URL` name real ones; users' Alexa tokens stay in memory.
 */
import { startFakeEventGateway } from "../../../testkit/fakes/alexa-event-gateway";
import { HUB_ALICE, startFakeHomeHub, type FakeHomeHub, type HubMode } from "../../../testkit/fakes/home-hub";
import { FAKE_SKILL_CREDENTIALS, startFakeLwa, type FakeLwa } from "../../../testkit/fakes/lwa";
import { createEventGatewayClient } from "./gateway";
import { createLwaClient } from "./lwa";
import type { DirectiveEvent } from "./messages";
import { createHomeHubSkill } from "./skill";
import { memoryTokenStore } from "./tokens";

/** What `skillship` hands a local factory (see `LocalSkillContext` of the platform). */
export interface LocalContext {
  env: Readonly<Record<string, string | undefined>>;
  settings: Readonly<Record<string, unknown>>;
  log(entry: Record<string, unknown>): void;
}

/** A step's conditions in a directive file, set up on the fake hub. */
export interface Given {
  hub?: HubMode;
  offline?: string[];
}

/** Builds the bridge for a local run, on the fakes where no real service is named. */
export async function createLocalSkill(context: LocalContext) {
  const env = (name: string) => context.env[name]?.trim() || undefined;
  const configuredHub = env("HOME_HUB_URL") ?? (context.settings.hubUrl as string | undefined);
  const hub: FakeHomeHub | undefined = configuredHub === undefined ? await startFakeHomeHub() : undefined;
  const lwaUrl = env("LWA_TOKEN_URL");
  const lwa: FakeLwa | undefined = lwaUrl === undefined ? await startFakeLwa() : undefined;
  const gatewayUrl = env("ALEXA_EVENT_GATEWAY_URL");
  const gateway =
    gatewayUrl === undefined
      ? await startFakeEventGateway({ tokenValid: (token) => lwa?.tokenValid(token) ?? true })
      : undefined;
  const skill = createHomeHubSkill({
    hubUrl: configuredHub ?? (hub as FakeHomeHub).url,
    tokenStore: memoryTokenStore(),
    lwa: createLwaClient(
      lwa === undefined
        ? {
            clientId: env("ALEXA_SKILL_CLIENT_ID") ?? "",
            clientSecret: env("ALEXA_SKILL_CLIENT_SECRET") ?? "",
            tokenUrl: lwaUrl as string,
          }
        : { ...FAKE_SKILL_CREDENTIALS, tokenUrl: lwa.tokenUrl },
    ),
    eventGateway: createEventGatewayClient({ url: gatewayUrl ?? (gateway as { url: string }).url }),
    log: context.log,
  });
  return {
    invoke: (event: DirectiveEvent) => skill.directive(event),
    ...(hub === undefined ? {} : { accessToken: HUB_ALICE.token }),
    variable: (name: string) => (name === "grantCode" ? lwa?.issueGrantCode() : undefined),
    ...(hub === undefined
      ? {}
      : {
          async given(given: Given) {
            hub.setMode(given.hub ?? "up");
            for (const id of given.offline ?? []) hub.setOnline(id, false);
            return () => {
              hub.setMode("up");
              for (const id of given.offline ?? []) hub.setOnline(id, true);
            };
          },
        }),
    async close() {
      await Promise.all([hub?.close(), lwa?.close(), gateway?.close()]);
    },
  };
}
