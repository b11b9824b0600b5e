import { stop } from "../playback";
import { isIntent } from "./match";
import type { JokeboxHandler } from "./types";

const intents = ["AMAZON.PauseIntent", "AMAZON.StopIntent", "AMAZON.CancelIntent"] as const;

/** Pause, stop and cancel all stop playback; resume picks the clip up again from the token Alexa keeps. */
export const StopIntentHandler: JokeboxHandler = {
  intents,
  canHandle: (input) => isIntent(input, intents),
  handle: (input) => stop(input),
};
