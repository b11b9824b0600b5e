import { getRequest } from "../sdk";
import type { interfaces } from "ask-sdk-model";
import { addLogFields } from "../context";
import { clipOfToken, play } from "../playback";
import { isRequestType } from "./match";
import type { JokeboxHandler } from "./types";

const requestTypes = ["AudioPlayer.PlaybackFailed"] as const;

/** A clip could not be played: log why and recover with another clip. */
export const PlaybackFailedHandler: JokeboxHandler = {
  requestTypes,
  canHandle: (input) => isRequestType(input, requestTypes),
  handle(input) {
    const request = getRequest<interfaces.audioplayer.PlaybackFailedRequest>(input.requestEnvelope);
    const failedClip = clipOfToken(request.token);
    addLogFields(input.requestEnvelope, {
      level: "error",
      playbackError: { clip: failedClip, type: request.error?.type, message: request.error?.message },
    });
    return play(input, { avoid: failedClip });
  },
};
