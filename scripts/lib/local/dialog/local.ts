/**
 * The offline turn executor: resolves each utterance through the locale's interaction model, sends the envelope a
 * device would send to the skill in this process, and keeps the device's state for the next turn.
 */
import type { RequestEnvelope } from "ask-sdk-model";
import type { InvocableSkill } from "../skill";
import type { Resolution, UtteranceResolver } from "../nlu/resolver";
import { SimulatedDevice } from "./device";
import { turnResultOf } from "./result";
import type { TurnExecutor, TurnResult } from "./runner";

/** A turn with what led to it, for `say` and the interactive dialog. */
export interface LocalTurn {
  resolution: Resolution;
  request: RequestEnvelope;
  result: TurnResult;
}

/** The offline executor; {@link LocalExecutor.say} also returns the resolution and the request sent. */
export interface LocalExecutor extends TurnExecutor {
  readonly device: SimulatedDevice;
  say(utterance: string, locale: string): Promise<LocalTurn>;
}

/** Options of {@link createLocalExecutor}. */
export interface LocalExecutorOptions {
  skill: InvocableSkill;
  /** The resolver of a locale; throws (listing the locales there are) for one the package lacks. */
  resolverFor(locale: string): UtteranceResolver;
  device?: SimulatedDevice;
}

/** Creates an executor that talks to the in-process skill like one device would. */
export function createLocalExecutor(options: LocalExecutorOptions): LocalExecutor {
  const device = options.device ?? new SimulatedDevice();
  const say = async (utterance: string, locale: string): Promise<LocalTurn> => {
    const resolution = options.resolverFor(locale).resolve(utterance);
    const request = device.request(resolution, locale);
    const response = await options.skill.invoke(request);
    device.receive(response);
    const intent = resolution.requestType === "IntentRequest" ? resolution.intent : undefined;
    return { resolution, request, result: turnResultOf({ type: resolution.requestType, intent }, response) };
  };
  return {
    device,
    say,
    async turn(utterance, locale) {
      return (await say(utterance, locale)).result;
    },
  };
}
