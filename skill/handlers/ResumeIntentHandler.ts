import { resume } from "../playback";
import { isIntent } from "./match";
import type { JokeboxHandler } from "./types";

const intents = ["AMAZON.ResumeIntent"] as const;

/** "Resume": the clip named by the current stream token, at the offset Alexa reports. */
export const ResumeIntentHandler: JokeboxHandler = {
  intents,
  canHandle: (input) => isIntent(input, intents),
  handle: (input) => resume(input),
};
