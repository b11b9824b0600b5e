/** Turns a response envelope into the {@link TurnResult} a person (or a dialog file) checks. */
import type { ResponseEnvelope, ui } from "ask-sdk-model";
import type { TurnDirective, TurnResult } from "./runner";

const entities: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** The text Alexa would say: SSML tags removed, entities decoded, whitespace collapsed. */
export function speechText(speech: ui.OutputSpeech | undefined): string | undefined {
  if (speech === undefined) return undefined;
  const text =
    speech.type === "SSML"
      ? (speech.ssml ?? "")
          .replace(/<[^>]*>/g, " ")
          .replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => entities[name])
      : (speech.text ?? "");
  return text.replace(/\s+/g, " ").trim();
}

/** The card's title and text (a Simple card's `content` is its text). */
export function cardOf(card: ui.Card | undefined): TurnResult["card"] {
  if (card === undefined) return undefined;
  if (card.type === "Simple") return { title: card.title, text: card.content };
  if (card.type === "Standard") return { title: card.title, text: card.text };
  return { title: card.type };
}

/** The directives with the fields people look at: stream URL, token and play behaviour. */
export function directivesOf(envelope: ResponseEnvelope): TurnDirective[] {
  return (envelope.response.directives ?? []).map((directive) => {
    const play = directive as {
      playBehavior?: string;
      audioItem?: { stream?: { url?: string; token?: string } };
    };
    const result: TurnDirective = { type: directive.type };
    if (play.audioItem?.stream?.url !== undefined) result.url = play.audioItem.stream.url;
    if (play.audioItem?.stream?.token !== undefined) result.token = play.audioItem.stream.token;
    if (play.playBehavior !== undefined) result.playBehavior = play.playBehavior;
    return result;
  });
}

/** The turn's result from the request sent and the envelope received. */
export function turnResultOf(
  request: { type: string; intent?: string },
  envelope: ResponseEnvelope,
): TurnResult {
  const result: TurnResult = {
    requestType: request.type,
    directives: directivesOf(envelope),
    sessionEnded: envelope.response.shouldEndSession !== false,
    raw: envelope,
  };
  if (request.intent !== undefined) result.intent = request.intent;
  const speech = speechText(envelope.response.outputSpeech);
  if (speech !== undefined) result.speech = speech;
  const card = cardOf(envelope.response.card);
  if (card !== undefined) result.card = card;
  return result;
}
