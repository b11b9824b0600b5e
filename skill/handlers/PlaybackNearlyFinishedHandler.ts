import { getRequest } from "../sdk";
import type { interfaces } from "ask-sdk-model";
import { clipOfToken, play } from "../playback";
import { isRequestType } from "./match";
import type { JokeboxHandler } from "./types";

const requestTypes = ["AudioPlayer.PlaybackNearlyFinished"] as const;

/** The clip is nearly over: enqueue another one after it, so playback runs on without a gap. */
export const PlaybackNearlyFinishedHandler: JokeboxHandler = {
  requestTypes,
  canHandle: (input) => isRequestType(input, requestTypes),
  handle(input) {
    const { token } = getRequest<interfaces.audioplayer.PlaybackNearlyFinishedRequest>(input.requestEnvelope);
    if (token === undefined) return input.responseBuilder.getResponse();
    return play(input, { avoid: clipOfToken(token), enqueueAfter: token });
  },
};
