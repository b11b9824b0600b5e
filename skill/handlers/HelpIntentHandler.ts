import { requestContext } from "../context";
import { isIntent } from "./match";
import type { JokeboxHandler } from "./types";

const intents = ["AMAZON.HelpIntent"] as const;

/** "Help": what Jokebox does and what to say, keeping the session open. */
export const HelpIntentHandler: JokeboxHandler = {
  intents,
  canHandle: (input) => isIntent(input, intents),
  handle(input) {
    const { t } = requestContext(input);
    return input.responseBuilder.speak(t("help")).reprompt(t("helpReprompt")).getResponse();
  },
};
