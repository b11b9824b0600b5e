import { getIntentName, getRequestType, type HandlerInput } from "../sdk";

/** True when the request is one of `types` (LaunchRequest, AudioPlayer.PlaybackStarted, …). */
export function isRequestType(input: HandlerInput, types: readonly string[]): boolean {
  return types.includes(getRequestType(input.requestEnvelope));
}

/** True when the request is an IntentRequest for one of `intents`. */
export function isIntent(input: HandlerInput, intents: readonly string[]): boolean {
  return (
    getRequestType(input.requestEnvelope) === "IntentRequest" &&
    intents.includes(getIntentName(input.requestEnvelope))
  );
}
