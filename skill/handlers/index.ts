import { ExceptionEncounteredHandler } from "./ExceptionEncounteredHandler";
import { FallbackIntentHandler } from "./FallbackIntentHandler";
import { HelpIntentHandler } from "./HelpIntentHandler";
import { LaunchRequestHandler } from "./LaunchRequestHandler";
import { NavigateHomeIntentHandler } from "./NavigateHomeIntentHandler";
import { NextIntentHandler } from "./NextIntentHandler";
import { PlayClipIntentHandler } from "./PlayClipIntentHandler";
import { PlaybackControllerHandler } from "./PlaybackControllerHandler";
import { PlaybackEventHandler } from "./PlaybackEventHandler";
import { PlaybackFailedHandler } from "./PlaybackFailedHandler";
import { PlaybackModeIntentHandler } from "./PlaybackModeIntentHandler";
import { PlaybackNearlyFinishedHandler } from "./PlaybackNearlyFinishedHandler";
import { ResumeIntentHandler } from "./ResumeIntentHandler";
import { SessionEndedRequestHandler } from "./SessionEndedRequestHandler";
import { StartOverIntentHandler } from "./StartOverIntentHandler";
import { StopIntentHandler } from "./StopIntentHandler";
import type { JokeboxHandler } from "./types";

export type { JokeboxHandler } from "./types";

/**
 * Every Jokebox handler, in the order ask-sdk tries them. The fallback answers any intent, so it comes last.
 * `skillship lint` reads their `intents` and `requestTypes` to match them against the interaction models.
 */
export const requestHandlers: JokeboxHandler[] = [
  LaunchRequestHandler,
  PlayClipIntentHandler,
  StopIntentHandler,
  ResumeIntentHandler,
  NextIntentHandler,
  StartOverIntentHandler,
  PlaybackModeIntentHandler,
  HelpIntentHandler,
  NavigateHomeIntentHandler,
  SessionEndedRequestHandler,
  PlaybackEventHandler,
  PlaybackNearlyFinishedHandler,
  PlaybackFailedHandler,
  PlaybackControllerHandler,
  ExceptionEncounteredHandler,
  FallbackIntentHandler,
];
