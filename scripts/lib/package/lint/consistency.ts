/**
 * Rules across files and code: "locales" (manifest and models cover the same locales), "intents-differ" (every
 * locale declares the same intents with the same slots), "handlers" (every intent has a handler and every handled
 * intent is declared) and "required-intents" (what Alexa requires of every custom skill, and of audio skills).
 */
import type { SkillPackage } from "../skill-package";
import type { ManifestFacts } from "./manifest";
import { modelFile, type ModelView } from "./model";
import { jsonPath, type Problem } from "./types";

/** Built-in intents every custom interaction model must declare. */
export const ALWAYS_REQUIRED_INTENTS = [
  "AMAZON.CancelIntent",
  "AMAZON.HelpIntent",
  "AMAZON.StopIntent",
  "AMAZON.NavigateHomeIntent",
] as const;

/**
 * Built-in intents a skill with the AUDIO_PLAYER interface must declare: Pause and Resume by Alexa's rules, the
 * rest because users say them to any audio player and expect an answer rather than an error.
 */
export const AUDIO_REQUIRED_INTENTS = [
  "AMAZON.PauseIntent",
  "AMAZON.ResumeIntent",
  "AMAZON.NextIntent",
  "AMAZON.PreviousIntent",
  "AMAZON.StartOverIntent",
  "AMAZON.RepeatIntent",
  "AMAZON.LoopOnIntent",
  "AMAZON.LoopOffIntent",
  "AMAZON.ShuffleOnIntent",
  "AMAZON.ShuffleOffIntent",
  "AMAZON.FallbackIntent",
] as const;

/** A locale in the manifest without a model, or a model for a locale the manifest does not publish. */
export function lintLocales(pkg: SkillPackage, facts: ManifestFacts, problems: Problem[]): void {
  const modelLocales = Object.keys(pkg.models).sort();
  for (const locale of facts.locales.filter((l) => !modelLocales.includes(l))) {
    problems.push({
      severity: "error",
      rule: "locales",
      file: facts.file,
      path: jsonPath(["manifest", "publishingInformation", "locales", locale]),
      message: `${locale} is published but has no interaction model: add ${modelFile(pkg, locale)} or remove the locale`,
    });
  }
  for (const locale of modelLocales.filter((l) => !facts.locales.includes(l))) {
    problems.push({
      severity: "error",
      rule: "locales",
      file: modelFile(pkg, locale),
      path: "$",
      message: `${locale} has an interaction model but no publishing information in ${facts.file}: add the locale there or remove the model`,
    });
  }
}

/** Every locale declares the union of all locales' intents, each with the same slot names and types. */
export function lintIntentsAcrossLocales(models: readonly ModelView[], problems: Problem[]): void {
  if (models.length < 2) return;
  const declaredBy = new Map<string, ModelView[]>();
  for (const model of models) {
    for (const intent of model.intents)
      declaredBy.set(intent.name, [...(declaredBy.get(intent.name) ?? []), model]);
  }
  for (const [name, owners] of declaredBy) {
    for (const model of models.filter((m) => !owners.includes(m))) {
      problems.push({
        severity: "error",
        rule: "intents-differ",
        file: model.file,
        path: jsonPath(["interactionModel", "languageModel", "intents"]),
        message: `${name} is missing here but declared in ${owners.map((m) => m.locale).join(", ")}: every locale declares the same intents`,
      });
    }
    const signatures = owners.map((model) => {
      const intent = model.intents.find((i) => i.name === name);
      return {
        model,
        intent,
        slots: (intent?.slots ?? [])
          .map((slot) => `${slot.name}:${slot.type}`)
          .sort()
          .join(", "),
      };
    });
    const reference = signatures[0];
    for (const other of signatures.slice(1)) {
      if (other.slots !== reference.slots && other.intent) {
        problems.push({
          severity: "error",
          rule: "intents-differ",
          file: other.model.file,
          path: jsonPath([...other.intent.path, "slots"]),
          message: `${name} has slots [${other.slots}] here but [${reference.slots}] in ${reference.model.locale}: the same intent takes the same slots in every locale`,
        });
      }
    }
  }
}

/** Every declared intent has a handler; every intent a handler answers is declared by some model. */
export function lintHandlers(
  models: readonly ModelView[],
  handlerIntents: readonly string[],
  problems: Problem[],
  handlersFile: string,
): void {
  const handled = new Set(handlerIntents);
  const reported = new Set<string>();
  for (const model of models) {
    for (const intent of model.intents) {
      if (handled.has(intent.name) || reported.has(intent.name)) continue;
      reported.add(intent.name);
      problems.push({
        severity: "error",
        rule: "handlers",
        file: model.file,
        path: jsonPath([...intent.path, "name"]),
        message: `no request handler answers ${intent.name}: add one (declaring it in its intents) or remove the intent from every model`,
      });
    }
  }
  const declared = new Set(models.flatMap((model) => model.intents.map((intent) => intent.name)));
  for (const name of [...handled].filter((intent) => !declared.has(intent)).sort()) {
    problems.push({
      severity: "error",
      rule: "handlers",
      file: handlersFile,
      path: "$",
      message: `a request handler answers ${name}, but no interaction model declares it: declare it in every model or drop it from the handler`,
    });
  }
}

/** The built-in intents every model needs, and the audio ones when the manifest declares AUDIO_PLAYER. */
export function lintRequiredIntents(facts: ManifestFacts, model: ModelView, problems: Problem[]): void {
  const names = new Set(model.intents.map((intent) => intent.name));
  const audio = facts.interfaces.includes("AUDIO_PLAYER");
  const required: { name: string; why: string }[] = [
    ...ALWAYS_REQUIRED_INTENTS.map((name) => ({ name, why: "every custom skill must declare it" })),
    ...(audio
      ? AUDIO_REQUIRED_INTENTS.map((name) => ({
          name,
          why: "the manifest declares the AUDIO_PLAYER interface",
        }))
      : []),
  ];
  for (const { name, why } of required.filter((r) => !names.has(r.name))) {
    problems.push({
      severity: "error",
      rule: "required-intents",
      file: model.file,
      path: jsonPath(["interactionModel", "languageModel", "intents"]),
      message: `${name} is missing: ${why}`,
    });
  }
}
