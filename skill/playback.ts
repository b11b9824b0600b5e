import { getRequestType, type HandlerInput } from "./sdk";
import type { interfaces, Response } from "ask-sdk-model";
import { requestContext } from "./context";
import { clipsForLocale, pickClip } from "./media/select";

/** Longest stream token Alexa accepts. */
export const MAX_TOKEN_LENGTH = 1024;

const TOKEN_SEPARATOR = ":";

/**
 * A stream token naming the clip: `<nonce>:<clip key>`. The clip key lets resume and next work without a database;
 * the nonce keeps two plays of one clip distinct, as `expectedPreviousToken` needs.
 */
export function tokenFor(key: string, random: () => number): string {
  const nonce = Math.floor(random() * 36 ** 8)
    .toString(36)
    .padStart(8, "0");
  return `${nonce}${TOKEN_SEPARATOR}${key}`;
}

/** The clip key a stream token names, or undefined for a token Jokebox did not issue. */
export function clipOfToken(token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  const separator = token.indexOf(TOKEN_SEPARATOR);
  if (separator !== 8) return undefined;
  const key = token.slice(separator + 1);
  return key === "" ? undefined : key;
}

/** Requests that allow speech in the response (AudioPlayer and PlaybackController requests do not). */
export function canSpeak(input: HandlerInput): boolean {
  const type = getRequestType(input.requestEnvelope);
  return type === "LaunchRequest" || type === "IntentRequest";
}

/** The AudioPlayer state Alexa reports in the context: the current token and offset, when there is one. */
export function audioPlayerState(input: HandlerInput): interfaces.audioplayer.AudioPlayerState | undefined {
  return input.requestEnvelope.context.AudioPlayer;
}

/** Options of {@link play}. */
export interface PlayOptions {
  /** Spoken before the clip (Launch and intent requests only). */
  readonly speech?: string;
  /** A clip never to choose when another exists (the one playing, for next). */
  readonly avoid?: string;
  /** Play this clip when the library holds it. */
  readonly key?: string;
  /** Start offset, for resume. */
  readonly offsetInMilliseconds?: number;
  /** Token to keep, for resume of the same stream. */
  readonly token?: string;
  /** Enqueue after this token instead of replacing the queue. */
  readonly enqueueAfter?: string;
}

/**
 * Answers with a clip: the requested one when it exists in the library, else a random one of the user's language
 * (never `avoid` when there is another). An empty library gets a spoken apology where speech is allowed and an
 * empty response elsewhere, never a crash.
 */
export async function play(input: HandlerInput, options: PlayOptions = {}): Promise<Response> {
  const { media, t, locale, random } = requestContext(input);
  const builder = input.responseBuilder;
  const speaks = canSpeak(input);
  const all = await media.listClips();
  const key =
    options.key !== undefined && all.includes(options.key)
      ? options.key
      : pickClip(clipsForLocale(all, locale), random, options.avoid);
  if (key === undefined) {
    if (speaks) builder.speak(t("emptyLibrary")).withShouldEndSession(true);
    return builder.getResponse();
  }
  const url = await media.urlFor(key);
  const keepsToken = options.token !== undefined && key === options.key;
  const token = keepsToken ? (options.token as string) : tokenFor(key, random);
  const offset = keepsToken ? (options.offsetInMilliseconds ?? 0) : 0;
  if (options.enqueueAfter !== undefined) {
    builder.addAudioPlayerPlayDirective("ENQUEUE", url, token, 0, options.enqueueAfter);
  } else {
    builder.addAudioPlayerPlayDirective("REPLACE_ALL", url, token, offset);
  }
  if (speaks) {
    if (options.speech !== undefined) builder.speak(options.speech);
    builder.withShouldEndSession(true);
  }
  return builder.getResponse();
}

/** Resumes the clip Alexa reports as current, at the offset it reports; a new clip when there is none. */
export function resume(input: HandlerInput): Promise<Response> {
  const state = audioPlayerState(input);
  const key = clipOfToken(state?.token);
  return play(input, { key, token: state?.token, offsetInMilliseconds: state?.offsetInMilliseconds });
}

/** Plays the current clip again from the start; a new clip when there is none. */
export function restart(input: HandlerInput): Promise<Response> {
  return play(input, { key: clipOfToken(audioPlayerState(input)?.token) });
}

/** Plays another clip than the current one (when the library has two or more). */
export function next(input: HandlerInput): Promise<Response> {
  return play(input, { avoid: clipOfToken(audioPlayerState(input)?.token) });
}

/** Stops playback; ends the session where the request has one. */
export function stop(input: HandlerInput): Response {
  const builder = input.responseBuilder.addAudioPlayerStopDirective();
  if (canSpeak(input)) builder.withShouldEndSession(true);
  return builder.getResponse();
}
