import { getRequestType } from "../sdk";
import { requestContext } from "../context";
import type { JokeboxHandler } from "./types";

/**
 * `AMAZON.FallbackIntent`, and any intent no other handler answers (it is registered last): says what Jokebox
 * can do and keeps the session open.
 */
export const FallbackIntentHandler: JokeboxHandler = {
  intents: ["AMAZON.FallbackIntent"],
  canHandle: (input) => getRequestType(input.requestEnvelope) === "IntentRequest",
  handle(input) {
    const { t } = requestContext(input);
    return input.responseBuilder.speak(t("fallback")).reprompt(t("fallbackReprompt")).getResponse();
  },
};
