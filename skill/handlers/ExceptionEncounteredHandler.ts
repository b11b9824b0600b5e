import { getRequest } from "../sdk";
import type { interfaces } from "ask-sdk-model";
import { addLogFields } from "../context";
import { isRequestType } from "./match";
import type { JokeboxHandler } from "./types";

const requestTypes = ["System.ExceptionEncountered"] as const;

/** Alexa reports that a previous response failed: log what it says; Alexa accepts no answer. */
export const ExceptionEncounteredHandler: JokeboxHandler = {
  requestTypes,
  canHandle: (input) => isRequestType(input, requestTypes),
  handle(input) {
    const request = getRequest<interfaces.system.ExceptionEncounteredRequest>(input.requestEnvelope);
    addLogFields(input.requestEnvelope, {
      level: "error",
      exception: {
        type: request.error?.type,
        message: request.error?.message,
        cause: request.cause?.requestId,
      },
    });
    return input.responseBuilder.getResponse();
  },
};
