import { restart } from "../playback";
import { isIntent } from "./match";
import type { JokeboxHandler } from "./types";

const intents = ["AMAZON.PreviousIntent", "AMAZON.StartOverIntent", "AMAZON.RepeatIntent"] as const;

/** "Previous", "start over", "repeat": the current clip from the start (clips are random, there is no history). */
export const StartOverIntentHandler: JokeboxHandler = {
  intents,
  canHandle: (input) => isIntent(input, intents),
  handle: (input) => restart(input),
};
