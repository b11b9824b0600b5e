import type { Response } from "ask-sdk-model";

/** Longest speech Alexa accepts (outputSpeech and reprompt each), in characters. */
export const MAX_SPEECH_CHARACTERS = 8000;
/** Alexa refuses responses of 24 KB or more. */
export const MAX_RESPONSE_BYTES = 24 * 1024;
/** Longest stream token Alexa accepts. */
export const MAX_TOKEN_CHARACTERS = 1024;

// Only the local endpoint without a tunnel produces http media URLs, and only on these hosts.
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** Requests whose response may hold AudioPlayer directives only: no speech, card, reprompt or session flag. */
export function isAudioRequest(requestType: string): boolean {
  return requestType.startsWith("AudioPlayer.") || requestType.startsWith("PlaybackController.");
}

/** Requests Alexa accepts no response content for at all. */
function isSilentRequest(requestType: string): boolean {
  return requestType === "SessionEndedRequest" || requestType === "System.ExceptionEncountered";
}

function speechLength(speech: { ssml?: string; text?: string } | undefined): number {
  return (speech?.ssml ?? speech?.text ?? "").length;
}

function streamUrlProblem(url: unknown): string | undefined {
  if (typeof url !== "string") return "has no stream URL";
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `has an invalid stream URL`;
  }
  if (parsed.protocol === "https:") return undefined;
  if (parsed.protocol === "http:" && LOOPBACK_HOSTS.has(parsed.hostname)) return undefined;
  return `streams from ${parsed.protocol}//${parsed.host}, but Alexa streams only over HTTPS`;
}

/**
 * Every way the response breaks Alexa's rules for this request type, each as a sentence naming the field; empty
 * when it is valid. Pure, for the response interceptor and for tests of any response.
 */
export function responseViolations(requestType: string, response: Response | undefined): string[] {
  const problems: string[] = [];
  if (response === undefined) return problems;
  if (isAudioRequest(requestType) || isSilentRequest(requestType)) {
    for (const field of ["outputSpeech", "card", "reprompt", "shouldEndSession"] as const) {
      if (response[field] !== undefined)
        problems.push(`response.${field} is not allowed in reply to ${requestType}`);
    }
  }
  if (isSilentRequest(requestType) && (response.directives ?? []).length > 0) {
    problems.push(`response.directives are not allowed in reply to ${requestType}`);
  }
  if (speechLength(response.outputSpeech) > MAX_SPEECH_CHARACTERS) {
    problems.push(`response.outputSpeech is longer than ${MAX_SPEECH_CHARACTERS} characters`);
  }
  if (speechLength(response.reprompt?.outputSpeech) > MAX_SPEECH_CHARACTERS) {
    problems.push(`response.reprompt.outputSpeech is longer than ${MAX_SPEECH_CHARACTERS} characters`);
  }
  (response.directives ?? []).forEach((directive, index) => {
    const path = `response.directives[${index}]`;
    if (isAudioRequest(requestType) && !directive.type.startsWith("AudioPlayer.")) {
      problems.push(`${path} is ${directive.type}, but ${requestType} allows AudioPlayer directives only`);
    }
    if (directive.type !== "AudioPlayer.Play") return;
    const stream = directive.audioItem?.stream;
    const urlProblem = streamUrlProblem(stream?.url);
    if (urlProblem !== undefined) problems.push(`${path} ${urlProblem}`);
    const token = stream?.token ?? "";
    if (token.length === 0 || token.length > MAX_TOKEN_CHARACTERS) {
      problems.push(`${path}.audioItem.stream.token must be 1 to ${MAX_TOKEN_CHARACTERS} characters`);
    }
    const offset = stream?.offsetInMilliseconds;
    if (offset === undefined || !Number.isInteger(offset) || offset < 0) {
      problems.push(`${path}.audioItem.stream.offsetInMilliseconds must be a whole number of 0 or more`);
    }
    if (directive.playBehavior === "ENQUEUE" && !stream?.expectedPreviousToken) {
      problems.push(`${path} enqueues without audioItem.stream.expectedPreviousToken`);
    }
    if (directive.playBehavior !== "ENQUEUE" && stream?.expectedPreviousToken !== undefined) {
      problems.push(`${path} sets expectedPreviousToken, which only ENQUEUE allows`);
    }
  });
  const bytes = Buffer.byteLength(JSON.stringify({ version: "1.0", response }));
  if (bytes >= MAX_RESPONSE_BYTES) problems.push(`the response is ${bytes} bytes, Alexa's limit is 24 KB`);
  return problems;
}
