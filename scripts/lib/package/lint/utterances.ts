/**
 * Rules on what people say: "samples" (well-formed, present where needed), "duplicate-utterance" (within an intent
 * and across intents, compared case- and space-insensitively), "slots" (used but not declared, declared but unused,
 * unknown types) and "example-phrases" (each starts with "Alexa, " and matches a real sample utterance).
 */
import type { ManifestFacts } from "./manifest";
import type { IntentView, ModelView } from "./model";
import { jsonPath, type Problem } from "./types";

const SLOT_REFERENCE = /\{([^{}]*)\}/g;

/** Compares utterances the way Alexa does: case and spacing do not matter. */
export function normaliseUtterance(text: string): string {
  return text.toLowerCase().replace(/\s+/g, " ").trim();
}

/** The slot names a sample refers to, in order. */
export function slotReferences(sample: string): string[] {
  return [...sample.matchAll(SLOT_REFERENCE)].map((match) => match[1]);
}

/** Checks samples and slots of every intent of one locale's model. */
export function lintUtterances(model: ModelView, problems: Problem[]): void {
  const report = (
    rule: string,
    steps: (string | number)[],
    message: string,
    severity: Problem["severity"] = "error",
  ) => problems.push({ severity, rule, file: model.file, path: jsonPath(steps), message });

  const seen = new Map<string, { intent: IntentView; index: number }>();
  for (const intent of model.intents) {
    if (!intent.name.startsWith("AMAZON.") && intent.samples.length === 0) {
      report(
        "samples",
        [...intent.path, "samples"],
        `${intent.name} has no sample utterances: Alexa cannot reach it`,
      );
    }
    const declared = new Map(intent.slots.map((slot) => [slot.name, slot]));
    const used = new Set<string>();
    intent.samples.forEach((sample, index) => {
      const text = sample.text;
      if (text.trim() === "") {
        report("samples", sample.path, `an empty sample utterance in ${intent.name}`);
        return;
      }
      if (/\d/.test(text.replace(SLOT_REFERENCE, ""))) {
        report("samples", sample.path, `"${text}": spell numbers out as words, Alexa hears words`);
      }
      if (text.replace(SLOT_REFERENCE, "").includes("{") || text.replace(SLOT_REFERENCE, "").includes("}")) {
        report("samples", sample.path, `"${text}" has an unbalanced brace: slots are written {slotName}`);
      }
      for (const reference of slotReferences(text)) {
        used.add(reference);
        if (!declared.has(reference)) {
          report(
            "slots",
            sample.path,
            `"${text}" uses slot {${reference}}, which ${intent.name} does not declare: add it to the intent's slots or fix the name`,
          );
        }
      }
      const key = normaliseUtterance(text);
      const first = seen.get(key);
      if (first === undefined) {
        seen.set(key, { intent, index });
      } else if (first.intent === intent) {
        report(
          "duplicate-utterance",
          sample.path,
          `"${text}" repeats samples[${first.index}] of ${intent.name}: remove one`,
        );
      } else {
        report(
          "duplicate-utterance",
          sample.path,
          `"${text}" is also a sample of ${first.intent.name} (samples[${first.index}]): Alexa cannot tell the two intents apart`,
        );
      }
    });
    for (const slot of intent.slots) {
      if (!used.has(slot.name) && !slot.hasSamples) {
        report(
          "slots",
          slot.path,
          `slot ${slot.name} of ${intent.name} is declared but no sample uses it`,
          "warning",
        );
      }
      if (!slot.type.startsWith("AMAZON.") && !model.types.includes(slot.type)) {
        report(
          "slots",
          [...slot.path, "type"],
          `slot ${slot.name} has type ${slot.type}, which is neither built in (AMAZON.*) nor declared in languageModel.types`,
        );
      }
    }
  }
}

/**
 * Checks the manifest's example phrases of one locale against its model: each starts with "Alexa, ", the first
 * names the invocation name, and whatever follows the invocation name is one of the model's samples.
 */
export function lintExamplePhrases(facts: ManifestFacts, model: ModelView, problems: Problem[]): void {
  const phrases = facts.examplePhrases[model.locale] ?? [];
  const samples = model.intents.flatMap((intent) =>
    intent.samples.map((sample) => sampleMatcher(sample.text)),
  );
  const invocation = model.invocationName ? normaliseUtterance(model.invocationName) : undefined;
  phrases.forEach((phrase, index) => {
    const steps = ["manifest", "publishingInformation", "locales", model.locale, "examplePhrases", index];
    const report = (message: string) =>
      problems.push({
        severity: "error",
        rule: "example-phrases",
        file: facts.file,
        path: jsonPath(steps),
        message: `"${phrase}" ${message}`,
      });
    if (!phrase.startsWith("Alexa, ")) {
      report('must start with "Alexa, " (the wake word, a comma and a space)');
      return;
    }
    const spoken = words(phrase.slice("Alexa, ".length));
    const at = invocation === undefined ? -1 : ` ${spoken} `.indexOf(` ${invocation} `);
    if (at < 0) {
      if (index === 0) report(`must name the invocation name "${model.invocationName ?? ""}"`);
      else if (!samples.some((matches) => matches(spoken)))
        report("matches no sample utterance of the model");
      return;
    }
    const request = spoken.slice(at + (invocation?.length ?? 0)).trim();
    if (request === "") return;
    const candidates = [request, request.replace(/^\S+\s+/, ""), request.replace(/^\S+'/, "")];
    if (!candidates.some((candidate) => samples.some((matches) => matches(candidate)))) {
      report(
        `asks for "${request}", which matches no sample utterance of the model: example phrases must come from the samples`,
      );
    }
  });
}

/** Lowercase words without punctuation, the way a transcript reads. */
function words(text: string): string {
  return normaliseUtterance(text.replace(/[,!?;:¿¡"«»]/g, " ").replace(/\.(\s|$)/g, "$1"));
}

function sampleMatcher(sample: string): (spoken: string) => boolean {
  const pattern = normaliseUtterance(sample)
    .split(SLOT_REFERENCE)
    .map((part, i) => (i % 2 === 1 ? ".+" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
  const regex = new RegExp(`^${pattern}$`, "u");
  return (spoken) => regex.test(spoken);
}
