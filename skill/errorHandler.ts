import { getRequestType, ResponseFactory, type ErrorHandler } from "./sdk";
import { addLogFields } from "./context";
import { describeError } from "./errors";
import { translatorFor } from "./i18n";
import { isAudioRequest } from "./rules";

/**
 * Every error ends here: it goes to the request's log line, and the user hears an apology in their language where
 * speech is allowed (an empty response for AudioPlayer, PlaybackController and session-end requests). It reads the
 * locale from the request itself, so it answers right even when the failure came before the context was built.
 */
export const errorHandler: ErrorHandler = {
  canHandle: () => true,
  handle(input, error) {
    addLogFields(input.requestEnvelope, { level: "error", error: describeError(error) });
    const type = getRequestType(input.requestEnvelope);
    // A fresh builder: the failed handler may have left directives or speech in the shared one.
    const builder = ResponseFactory.init();
    if (isAudioRequest(type) || type === "SessionEndedRequest" || type === "System.ExceptionEncountered") {
      return builder.getResponse();
    }
    const t = translatorFor(input.requestEnvelope.request.locale);
    return builder.speak(t("error")).withShouldEndSession(true).getResponse();
  },
};
