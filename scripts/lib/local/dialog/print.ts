/** How a turn reads for a person: what was heard, what the skill said and showed, and what it played. */
import type { LocalTurn } from "./local";

/** The turn as a few indented lines. */
export function formatTurn(turn: LocalTurn): string {
  const { resolution, result, request } = turn;
  const lines: string[] = [];
  const heard =
    resolution.requestType === "LaunchRequest"
      ? "LaunchRequest"
      : `IntentRequest ${resolution.intent}${slotsText(resolution.slots)}` +
        (resolution.matchedBy === "fallback"
          ? " (nothing in the model matched)"
          : ` (${resolution.matchedBy} "${resolution.matched}")`);
  lines.push(`  → ${heard}${request.session?.new ? ", new session" : ""}`);
  lines.push(`  speech:    ${result.speech ?? "(none)"}`);
  const reprompt = repromptOf(result.raw);
  if (reprompt !== undefined) lines.push(`  reprompt:  ${reprompt}`);
  if (result.card !== undefined) {
    lines.push(`  card:      ${[result.card.title, result.card.text].filter(Boolean).join(" — ")}`);
  }
  for (const directive of result.directives) {
    lines.push(`  directive: ${directive.type}${directive.playBehavior ? ` ${directive.playBehavior}` : ""}`);
    if (directive.url !== undefined) lines.push(`             url   ${directive.url}`);
    if (directive.token !== undefined) lines.push(`             token ${directive.token}`);
  }
  lines.push(`  session:   ${result.sessionEnded ? "ended" : "open, listening"}`);
  return lines.join("\n");
}

function slotsText(slots: Record<string, { value?: string }>): string {
  const filled = Object.entries(slots).filter(([, slot]) => slot.value !== undefined);
  return filled.length === 0 ? "" : ` {${filled.map(([name, slot]) => `${name}: ${slot.value}`).join(", ")}}`;
}

function repromptOf(raw: unknown): string | undefined {
  const speech = (raw as { response?: { reprompt?: { outputSpeech?: { ssml?: string; text?: string } } } })
    .response?.reprompt?.outputSpeech;
  const text = speech?.ssml ?? speech?.text;
  return text === undefined
    ? undefined
    : text
        .replace(/<[^>]*>/g, " ")
        .replace(/\s+/g, " ")
        .trim();
}
