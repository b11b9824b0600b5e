import { getRequest } from "../sdk";
import type { SessionEndedRequest } from "ask-sdk-model";
import { addLogFields } from "../context";
import { isRequestType } from "./match";
import type { JokeboxHandler } from "./types";

const requestTypes = ["SessionEndedRequest"] as const;

/** The session ended: Alexa accepts no answer; the reason (and error, if any) goes to the log line. */
export const SessionEndedRequestHandler: JokeboxHandler = {
  requestTypes,
  canHandle: (input) => isRequestType(input, requestTypes),
  handle(input) {
    const request = getRequest<SessionEndedRequest>(input.requestEnvelope);
    addLogFields(input.requestEnvelope, { reason: request.reason, sessionError: request.error });
    return input.responseBuilder.getResponse();
  },
};
