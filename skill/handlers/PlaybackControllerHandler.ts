import { getRequestType, type HandlerInput } from "../sdk";
import type { Response } from "ask-sdk-model";
import { next, restart, resume, stop } from "../playback";
import type { JokeboxHandler } from "./types";

const commands: Readonly<Record<string, (input: HandlerInput) => Response | Promise<Response>>> = {
  "PlaybackController.PlayCommandIssued": resume,
  "PlaybackController.PauseCommandIssued": stop,
  "PlaybackController.NextCommandIssued": next,
  "PlaybackController.PreviousCommandIssued": restart,
};
const requestTypes = Object.keys(commands);

/**
 * The device's buttons (play, pause, next, previous): the same as the spoken intents, answered with AudioPlayer
 * directives only.
 */
export const PlaybackControllerHandler: JokeboxHandler = {
  requestTypes,
  canHandle: (input) => requestTypes.includes(getRequestType(input.requestEnvelope)),
  handle: (input) => commands[getRequestType(input.requestEnvelope)](input),
};
