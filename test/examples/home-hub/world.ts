/**
 * The home-hub bridge with everything around it on loopback: the fake hub, Login with Amazon with the skill's
 * credentials, the event gateway (which accepts LWA's tokens only), an in-memory token store, a fixed clock
 * that tests can move, and a log that keeps every entry. Every answer and every event the skill sends is
 * checked against Amazon's message schema; `schemaProblems` collects what was wrong.
 */
import { createEventGatewayClient } from "../../../examples/home-hub/src/gateway";
import { createLwaClient } from "../../../examples/home-hub/src/lwa";
import type { AlexaMessage } from "../../../examples/home-hub/src/messages";
import type { ReportResult, HubEvent } from "../../../examples/home-hub/src/reporter";
import { createHomeHubSkill, type HomeHubSkill } from "../../../examples/home-hub/src/skill";
import { memoryTokenStore } from "../../../examples/home-hub/src/tokens";
import { startFakeEventGateway, type FakeEventGateway } from "../../../testkit/fakes/alexa-event-gateway";
import { HUB_ALICE, startFakeHomeHub, type FakeHomeHub } from "../../../testkit/fakes/home-hub";
import { FAKE_SKILL_CREDENTIALS, startFakeLwa, type FakeLwa } from "../../../testkit/fakes/lwa";
import { directive, type DirectiveOptions } from "../../../scripts/lib/local/smart-home/directives";
import { smartHomeValidator } from "../../../testkit/smart-home/message-schema";

/** Everything a home-hub test works with. */
export interface HomeHubWorld {
  hub: FakeHomeHub;
  lwa: FakeLwa;
  gateway: FakeEventGateway;
  tokens: ReturnType<typeof memoryTokenStore>;
  skill: HomeHubSkill;
  logs: Array<Record<string, unknown>>;
  /** The skill's clock; move it with `clock.now = …`. */
  clock: { now: Date };
  /** Sends a directive (Alice's hub token unless `token` says otherwise) and returns the schema-checked answer. */
  send(qualified: string, options?: DirectiveOptions): Promise<AlexaMessage>;
  /** Passes a hub notice to the skill. */
  notify(event: HubEvent): Promise<ReportResult>;
  /** Every schema problem of every answer and of every event the gateway received, with what it was. */
  schemaProblems(): string[];
  close(): Promise<void>;
}

/** Starts a world; `hubTimeoutMs` shortens the hub deadline for tests of a hung hub. */
export async function startHomeHubWorld(options: { hubTimeoutMs?: number } = {}): Promise<HomeHubWorld> {
  const validator = smartHomeValidator();
  const [hub, lwa] = await Promise.all([startFakeHomeHub(), startFakeLwa()]);
  const gateway = await startFakeEventGateway({ tokenValid: lwa.tokenValid });
  const tokens = memoryTokenStore();
  const logs: Array<Record<string, unknown>> = [];
  const clock = { now: new Date("2026-05-04T09:30:00.000Z") };
  const problems: string[] = [];
  const built = createHomeHubSkill({
    hubUrl: hub.url,
    ...(options.hubTimeoutMs === undefined ? {} : { hubTimeoutMs: options.hubTimeoutMs }),
    tokenStore: tokens,
    lwa: createLwaClient({ ...FAKE_SKILL_CREDENTIALS, tokenUrl: lwa.tokenUrl }),
    eventGateway: createEventGatewayClient({ url: gateway.url }),
    now: () => clock.now,
    log: (entry) => logs.push(entry),
  });
  const checked = <T>(what: string, answer: T): T => {
    for (const problem of validator.problems(answer)) problems.push(`${what}: ${problem}`);
    return answer;
  };
  // The skill as tests call it: every directive's answer goes through the schema check.
  const skill = (async (event: unknown) => {
    const answer = await built(event);
    return "hubEvent" in (event as object) ? answer : checked("answer", answer);
  }) as HomeHubSkill;
  skill.directive = async (event) =>
    checked(
      `answer to ${event.directive?.header?.namespace}.${event.directive?.header?.name}`,
      await built.directive(event),
    );
  skill.hubEvent = (event) => built.hubEvent(event);
  return {
    hub,
    lwa,
    gateway,
    tokens,
    skill,
    logs,
    clock,
    send: (qualified, directiveOptions = {}) =>
      skill.directive(directive(qualified, { token: HUB_ALICE.token, ...directiveOptions })),
    notify: (event) => skill.hubEvent(event),
    schemaProblems: () => [
      ...problems,
      ...gateway.events.flatMap((event) =>
        validator.problems(event.body).map((problem) => `event sent to the gateway: ${problem}`),
      ),
    ],
    close: async () => {
      await Promise.all([hub.close(), lwa.close(), gateway.close()]);
    },
  };
}

/** The value of a context property of an answer. */
export function propertyOf(answer: AlexaMessage, namespace: string, name: string): unknown {
  return answer.context?.properties.find(
    (property) => property.namespace === namespace && property.name === name,
  )?.value;
}

/** The Lambda entry module freshly loaded, as a new Lambda container would load it. */
export function freshHomeHubEntry(): typeof import("../../../examples/home-hub/src") {
  let entry: typeof import("../../../examples/home-hub/src") | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh copy per call, loaded in isolation
    entry = require("../../../examples/home-hub/src");
  });
  return entry!;
}
