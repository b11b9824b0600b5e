import { isRequestType } from "./match";
import type { JokeboxHandler } from "./types";

const requestTypes = [
  "AudioPlayer.PlaybackStarted",
  "AudioPlayer.PlaybackFinished",
  "AudioPlayer.PlaybackStopped",
] as const;

/**
 * Playback started, finished or stopped: nothing to do (the token already names the clip) and, for
 * PlaybackStopped, nothing Alexa would accept: an empty response.
 */
export const PlaybackEventHandler: JokeboxHandler = {
  requestTypes,
  canHandle: (input) => isRequestType(input, requestTypes),
  handle: (input) => input.responseBuilder.getResponse(),
};
