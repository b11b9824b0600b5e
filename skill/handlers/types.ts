import type { RequestHandler } from "ask-sdk-core";

/**
 * A Jokebox request handler: an ask-sdk `RequestHandler` that also declares what it answers, so that
 * `skillship lint` can match the interaction models against the handlers without running them.
 */
export interface JokeboxHandler extends RequestHandler {
  /** Request types answered, other than IntentRequest (e.g. "LaunchRequest", "AudioPlayer.PlaybackStarted"). */
  readonly requestTypes?: readonly string[];
  /** Intent names answered (IntentRequest), e.g. "PlayClipIntent", "AMAZON.PauseIntent". */
  readonly intents?: readonly string[];
}
