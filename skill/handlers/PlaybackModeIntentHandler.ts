import { getIntentName } from "../sdk";
import { requestContext } from "../context";
import type { MessageKey } from "../i18n";
import { isIntent } from "./match";
import type { JokeboxHandler } from "./types";

const answers: Readonly<Record<string, MessageKey>> = {
  "AMAZON.LoopOnIntent": "loopUnsupported",
  "AMAZON.LoopOffIntent": "loopUnsupported",
  "AMAZON.ShuffleOnIntent": "shuffleOn",
  "AMAZON.ShuffleOffIntent": "shuffleOff",
};
const intents = Object.keys(answers);

/** Loop and shuffle: Jokebox plays clips once, at random, so it says so instead of failing. */
export const PlaybackModeIntentHandler: JokeboxHandler = {
  intents,
  canHandle: (input) => isIntent(input, intents),
  handle(input) {
    const { t } = requestContext(input);
    return input.responseBuilder
      .speak(t(answers[getIntentName(input.requestEnvelope)]))
      .withShouldEndSession(true)
      .getResponse();
  },
};
