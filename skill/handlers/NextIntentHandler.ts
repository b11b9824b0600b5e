import { next } from "../playback";
import { isIntent } from "./match";
import type { JokeboxHandler } from "./types";

const intents = ["AMAZON.NextIntent"] as const;

/** "Next": another clip, never the current one when the library has two or more. */
export const NextIntentHandler: JokeboxHandler = {
  intents,
  canHandle: (input) => isIntent(input, intents),
  handle: (input) => next(input),
};
