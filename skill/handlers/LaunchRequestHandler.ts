import { requestContext } from "../context";
import { play } from "../playback";
import { isRequestType } from "./match";
import type { JokeboxHandler } from "./types";

const requestTypes = ["LaunchRequest"] as const;

/** "Open joke box": a short welcome in the user's language, then a clip. */
export const LaunchRequestHandler: JokeboxHandler = {
  requestTypes,
  canHandle: (input) => isRequestType(input, requestTypes),
  handle: (input) => play(input, { speech: requestContext(input).t("welcome") }),
};
