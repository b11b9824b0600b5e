import { stop } from "../playback";
import { isIntent } from "./match";
import type { JokeboxHandler } from "./types";

const intents = ["AMAZON.NavigateHomeIntent"] as const;

/** "Go home": leave the skill quietly, stopping any clip. */
export const NavigateHomeIntentHandler: JokeboxHandler = {
  intents,
  canHandle: (input) => isIntent(input, intents),
  handle: (input) => stop(input),
};
