import type { RequestEnvelope } from "ask-sdk-model";

/** The skill id every factory addresses unless told otherwise. */
export const TEST_SKILL_ID = "amzn1.ask.skill.11111111-2222-3333-4444-555555555555";

/** The AudioPlayer state Alexa reports in `context.AudioPlayer`. */
export interface AudioPlayerContext {
  readonly token?: string;
  readonly offsetInMilliseconds?: number;
  readonly playerActivity?: "IDLE" | "PAUSED" | "PLAYING" | "BUFFER_UNDERRUN" | "FINISHED" | "STOPPED";
}

/** Options shared by every envelope factory. */
export interface EnvelopeOptions {
  readonly locale?: string;
  readonly skillId?: string;
  readonly audioPlayer?: AudioPlayerContext;
  /** Request timestamp (default now). */
  readonly timestamp?: Date;
  readonly requestId?: string;
  /** Include a session (Launch, intent and SessionEnded requests have one, AudioPlayer requests none). */
  readonly session?: boolean;
}

let counter = 0;

/**
 * A complete request envelope as Alexa sends it to a skill: version, session (optional), context with System and
 * AudioPlayer, and the request with requestId, timestamp and locale filled in.
 */
export function envelope(request: Record<string, unknown>, options: EnvelopeOptions = {}): RequestEnvelope {
  const skillId = options.skillId ?? TEST_SKILL_ID;
  const application = { applicationId: skillId };
  const user = { userId: "amzn1.ask.account.TESTUSER" };
  counter += 1;
  return {
    version: "1.0",
    ...(options.session
      ? {
          session: {
            new: true,
            sessionId: `amzn1.echo-api.session.test-${counter}`,
            application,
            user,
            attributes: {},
          },
        }
      : {}),
    context: {
      System: {
        application,
        user,
        device: {
          deviceId: "amzn1.ask.device.TESTDEVICE",
          supportedInterfaces: { AudioPlayer: {} },
        },
        apiEndpoint: "https://api.amazonalexa.com",
        apiAccessToken: "test-access-token",
      },
      ...(options.audioPlayer === undefined
        ? {}
        : { AudioPlayer: { playerActivity: "PAUSED", offsetInMilliseconds: 0, ...options.audioPlayer } }),
    },
    request: {
      requestId: options.requestId ?? `amzn1.echo-api.request.test-${counter}`,
      timestamp: (options.timestamp ?? new Date()).toISOString().replace(/\.\d{3}Z$/, "Z"),
      locale: options.locale ?? "en-US",
      ...request,
    },
  } as unknown as RequestEnvelope;
}

/** "Alexa, open joke box". */
export function launchRequest(options: EnvelopeOptions = {}): RequestEnvelope {
  return envelope({ type: "LaunchRequest" }, { session: true, ...options });
}

/** An intent with optional slot values (by slot name). */
export function intentRequest(
  name: string,
  slots: Readonly<Record<string, string>> = {},
  options: EnvelopeOptions = {},
): RequestEnvelope {
  const slotObjects = Object.fromEntries(
    Object.entries(slots).map(([slot, value]) => [slot, { name: slot, value, confirmationStatus: "NONE" }]),
  );
  return envelope(
    {
      type: "IntentRequest",
      dialogState: "COMPLETED",
      intent: { name, confirmationStatus: "NONE", slots: slotObjects },
    },
    { session: true, ...options },
  );
}

/** The AudioPlayer events Alexa sends while a stream plays. */
export type AudioPlayerEvent =
  "PlaybackStarted" | "PlaybackNearlyFinished" | "PlaybackFinished" | "PlaybackStopped" | "PlaybackFailed";

/** An `AudioPlayer.<event>` request about the stream with `token`; PlaybackFailed carries an error. */
export function audioPlayerEvent(
  event: AudioPlayerEvent,
  token: string,
  options: EnvelopeOptions & { offsetInMilliseconds?: number } = {},
): RequestEnvelope {
  const offsetInMilliseconds = options.offsetInMilliseconds ?? 0;
  const failure =
    event === "PlaybackFailed"
      ? {
          error: { type: "MEDIA_ERROR_SERVICE_UNAVAILABLE", message: "The stream could not be fetched" },
          currentPlaybackState: { token, offsetInMilliseconds, playerActivity: "PLAYING" },
        }
      : {};
  return envelope(
    { type: `AudioPlayer.${event}`, token, offsetInMilliseconds, ...failure },
    { audioPlayer: { token, offsetInMilliseconds, playerActivity: "PLAYING" }, ...options },
  );
}

/** The device's play, pause, next and previous buttons. */
export type PlaybackCommand = "Play" | "Pause" | "Next" | "Previous";

/** A `PlaybackController.<command>CommandIssued` request. */
export function playbackCommand(command: PlaybackCommand, options: EnvelopeOptions = {}): RequestEnvelope {
  return envelope({ type: `PlaybackController.${command}CommandIssued` }, options);
}

/** The session ended (by the user, by silence, or by an error Alexa reports). */
export function sessionEndedRequest(
  reason: "USER_INITIATED" | "ERROR" | "EXCEEDED_MAX_REPROMPTS" = "USER_INITIATED",
  options: EnvelopeOptions = {},
): RequestEnvelope {
  const error = reason === "ERROR" ? { error: { type: "INVALID_RESPONSE", message: "bad response" } } : {};
  return envelope({ type: "SessionEndedRequest", reason, ...error }, { session: true, ...options });
}

/** Alexa reporting that a previous response failed. */
export function exceptionEncountered(options: EnvelopeOptions = {}): RequestEnvelope {
  return envelope(
    {
      type: "System.ExceptionEncountered",
      error: { type: "INVALID_RESPONSE", message: "Invalid directive" },
      cause: { requestId: "amzn1.echo-api.request.previous" },
    },
    options,
  );
}
