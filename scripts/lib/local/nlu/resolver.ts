/**
 * Resolves an utterance the way Alexa would for this skill, offline: through the locale's interaction model
 * (invocation name, sample utterances with their slots, custom slot types), the built-in intents' common phrases
 * and, when nothing matches, `AMAZON.FallbackIntent`. Matching is exact after normalisation, not statistical:
 * it answers "which intent does this sample say", which is what offline dialogs and tests need.
 */
import { ConfigError } from "../../core/errors";
import { getPath, isRecord, packageLocales, type SkillPackage } from "../../package/skill-package";
import { phrasesFor, type LanguagePhrases } from "./languages";
import { escapeRegExp, normalizeText } from "./normalize";
import { parseNumber } from "./numbers";

/** A slot as Alexa fills it. */
export interface ResolvedSlot {
  name: string;
  /** The value as heard (digits for AMAZON.NUMBER); absent when the utterance did not fill the slot. */
  value?: string;
  /** For a custom slot type: the canonical value and id the spoken value or synonym maps to. */
  resolved?: { id?: string; name: string };
  /** The slot type, e.g. AMAZON.NUMBER. */
  type: string;
}

/** What an utterance resolves to. */
export type Resolution =
  | { requestType: "LaunchRequest"; invoked: true }
  | {
      requestType: "IntentRequest";
      intent: string;
      /** Every slot the intent declares, filled or not. */
      slots: Record<string, ResolvedSlot>;
      /** True when the utterance named the skill ("ask joke box to …"): a new session starts. */
      invoked: boolean;
      /** How the intent was found: a sample utterance, a built-in phrase, or nothing (the fallback). */
      matchedBy: "sample" | "built-in" | "fallback";
      /** The sample utterance or phrase that matched. */
      matched?: string;
    };

/** Resolves utterances of one locale. */
export interface UtteranceResolver {
  readonly locale: string;
  readonly invocationName: string;
  resolve(utterance: string): Resolution;
}

interface SlotDefinition {
  name: string;
  type: string;
}

interface Candidate {
  intent: string;
  source: "sample" | "built-in";
  text: string;
  pattern: RegExp;
  /** Slot names in capture-group order. */
  slotNames: string[];
  /** Literal characters of the sample: more literal text is a more specific match. */
  literalLength: number;
}

interface SlotTypeValue {
  id?: string;
  name: string;
  spoken: Set<string>;
}

const FALLBACK = "AMAZON.FallbackIntent";

/**
 * Builds the resolver of `locale` from the skill package. Throws a {@link ConfigError} listing the locales there
 * are when the package has no model for it, or naming the model file when its language model is unusable.
 */
export function createResolver(pkg: SkillPackage, locale: string): UtteranceResolver {
  const locales = packageLocales(pkg);
  const model = pkg.models[locale];
  if (model === undefined) {
    throw new ConfigError(
      `Unknown locale ${locale}: the skill package ${pkg.root} has interaction models for ${locales.join(", ") || "no locale"}; pass one of them with --locale`,
    );
  }
  const file = `${pkg.root}/interactionModels/custom/${locale}.json`;
  const languageModel = getPath(model, ["interactionModel", "languageModel"]);
  const invocationName = getPath(languageModel, ["invocationName"]);
  const intents = getPath(languageModel, ["intents"]);
  if (typeof invocationName !== "string" || invocationName.trim() === "" || !Array.isArray(intents)) {
    throw new ConfigError(
      `${file}: interactionModel.languageModel needs an invocationName and an intents list to resolve utterances`,
    );
  }
  const phrases = phrasesFor(locale);
  if (phrases === undefined) {
    throw new ConfigError(
      `Locale ${locale} (${file}) is in a language the offline resolver does not know; it knows en, de, fr and es`,
    );
  }
  const language = locale.slice(0, 2);
  const slotTypes = readSlotTypes(getPath(languageModel, ["types"]));
  const declared = new Map<string, SlotDefinition[]>();
  const candidates: Candidate[] = [];
  for (const intent of intents) {
    if (!isRecord(intent) || typeof intent.name !== "string") continue;
    const slots: SlotDefinition[] = (Array.isArray(intent.slots) ? intent.slots : [])
      .filter(isRecord)
      .map((slot) => ({ name: String(slot.name), type: String(slot.type) }));
    declared.set(intent.name, slots);
    if (intent.name === FALLBACK) continue;
    const samples = Array.isArray(intent.samples) ? intent.samples.filter((s) => typeof s === "string") : [];
    for (const sample of samples) candidates.push(compile(intent.name, "sample", sample));
  }
  for (const [intent, list] of Object.entries(phrases.builtIns)) {
    if (!declared.has(intent)) continue;
    for (const phrase of list) candidates.push(compile(intent, "built-in", phrase));
  }
  const invocations = compileInvocations(phrases, invocationName);

  const slotsOf = (
    intent: string,
    filled: Record<string, ResolvedSlot> = {},
  ): Record<string, ResolvedSlot> => {
    const slots: Record<string, ResolvedSlot> = {};
    for (const slot of declared.get(intent) ?? []) {
      slots[slot.name] = filled[slot.name] ?? { name: slot.name, type: slot.type };
    }
    return slots;
  };

  // "a joke please" may be a sample as it is; "help please" is "help" said politely: try both.
  const resolveRequest = (text: string, invoked: boolean): Resolution => {
    const first = matchRequest(text, invoked);
    const polite = stripPoliteness(text, phrases);
    return first.requestType === "IntentRequest" && first.matchedBy === "fallback" && polite !== text
      ? matchRequest(polite, invoked)
      : first;
  };

  const matchRequest = (text: string, invoked: boolean): Resolution => {
    let best: { candidate: Candidate; slots: Record<string, ResolvedSlot> } | undefined;
    for (const candidate of candidates) {
      if (best && candidate.literalLength <= best.candidate.literalLength) continue;
      const match = candidate.pattern.exec(text);
      if (!match) continue;
      const filled = fillSlots(candidate, match, declared.get(candidate.intent) ?? [], slotTypes, language);
      if (filled) best = { candidate, slots: filled };
    }
    if (!best) {
      return {
        requestType: "IntentRequest",
        intent: FALLBACK,
        slots: slotsOf(FALLBACK),
        invoked,
        matchedBy: "fallback",
      };
    }
    return {
      requestType: "IntentRequest",
      intent: best.candidate.intent,
      slots: slotsOf(best.candidate.intent, best.slots),
      invoked,
      matchedBy: best.candidate.source,
      matched: best.candidate.text,
    };
  };

  return {
    locale,
    invocationName,
    resolve(utterance: string): Resolution {
      const text = normalizeText(utterance).replace(/^alexa /, "");
      // Several phrases may match ("frag witze kiste nach einem witz" with and without "nach"): the first whose
      // request resolves wins, else the first match's fallback.
      let fallback: Resolution | undefined;
      const polite = stripPoliteness(text, phrases);
      for (const invocation of invocations) {
        const match = invocation.exec(text) ?? invocation.exec(polite);
        if (!match) continue;
        const rest = match.groups?.rest;
        if (rest === undefined) return fallback ?? { requestType: "LaunchRequest", invoked: true };
        const resolution = resolveRequest(rest, true);
        if (resolution.requestType === "IntentRequest" && resolution.matchedBy !== "fallback")
          return resolution;
        fallback ??= resolution;
      }
      return fallback ?? resolveRequest(text, false);
    },
  };
}

function compile(intent: string, source: Candidate["source"], text: string): Candidate {
  const slotNames: string[] = [];
  let literalLength = 0;
  const parts = text.split(/\{([^}]+)\}/);
  const pattern = parts
    .map((part, index) => {
      if (index % 2 === 1) {
        slotNames.push(part.trim());
        return `(.+?)`;
      }
      const literal = normalizeText(part);
      literalLength += literal.length;
      return literal === "" ? "" : escapeRegExp(literal);
    })
    .filter((piece) => piece !== "")
    .join(" ");
  return { intent, source, text, pattern: new RegExp(`^${pattern}$`), slotNames, literalLength };
}

function compileInvocations(phrases: LanguagePhrases, invocationName: string): RegExp[] {
  const name = escapeRegExp(normalizeText(invocationName));
  return phrases.invocations.map((phrase) => {
    const pieces = phrase
      .split(/(\{name\}|\{rest\})/)
      .map((part) => {
        if (part === "{name}") return name;
        if (part === "{rest}") return "(?<rest>.+)";
        return escapeRegExp(normalizeText(part));
      })
      .filter((piece) => piece !== "");
    // An elided article ("d'{rest}") joins the next word without a space.
    const body = pieces.reduce((joined, piece) =>
      joined.endsWith("'") ? joined + piece : `${joined} ${piece}`,
    );
    return new RegExp(`^(?:alexa )?${body}$`);
  });
}

function stripPoliteness(text: string, phrases: LanguagePhrases): string {
  let result = text;
  for (const word of phrases.politeness.map(normalizeText)) {
    if (result.startsWith(`${word} `)) result = result.slice(word.length + 1);
    if (result.endsWith(` ${word}`)) result = result.slice(0, -word.length - 1);
  }
  return result.trim();
}

function fillSlots(
  candidate: Candidate,
  match: RegExpExecArray,
  definitions: SlotDefinition[],
  slotTypes: Map<string, SlotTypeValue[]>,
  language: string,
): Record<string, ResolvedSlot> | undefined {
  const slots: Record<string, ResolvedSlot> = {};
  for (const [index, name] of candidate.slotNames.entries()) {
    const spoken = match[index + 1];
    const type = definitions.find((slot) => slot.name === name)?.type ?? "AMAZON.SearchQuery";
    if (type === "AMAZON.NUMBER") {
      const number = parseNumber(spoken, language);
      if (number === undefined) return undefined;
      slots[name] = { name, type, value: String(number) };
      continue;
    }
    const values = slotTypes.get(type);
    if (values) {
      const value = values.find((candidateValue) => candidateValue.spoken.has(spoken));
      if (!value) return undefined;
      slots[name] = { name, type, value: spoken, resolved: { id: value.id, name: value.name } };
      continue;
    }
    slots[name] = { name, type, value: spoken };
  }
  return slots;
}

function readSlotTypes(types: unknown): Map<string, SlotTypeValue[]> {
  const result = new Map<string, SlotTypeValue[]>();
  if (!Array.isArray(types)) return result;
  for (const type of types.filter(isRecord)) {
    if (typeof type.name !== "string" || !Array.isArray(type.values)) continue;
    const values: SlotTypeValue[] = [];
    for (const entry of type.values.filter(isRecord)) {
      const name = getPath(entry, ["name", "value"]);
      if (typeof name !== "string") continue;
      const synonyms = getPath(entry, ["name", "synonyms"]);
      const spoken = new Set(
        [name, ...(Array.isArray(synonyms) ? synonyms.map(String) : [])].map(normalizeText),
      );
      values.push({ id: typeof entry.id === "string" ? entry.id : undefined, name, spoken });
    }
    result.set(type.name, values);
  }
  return result;
}
