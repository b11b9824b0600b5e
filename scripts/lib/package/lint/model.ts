/**
 * A checked view of one locale's interaction model: its structure is validated (zod) and reported as problems,
 * and whatever is well-formed is handed to the other rules, so one broken intent does not hide the rest.
 */
import { join } from "node:path";
import { z } from "zod";
import { MODELS_DIR, type SkillPackage } from "../skill-package";
import { fromZodIssues } from "./zod-problems";
import type { PathStep, Problem } from "./types";

/** A sample utterance and where it sits. */
export interface SampleView {
  text: string;
  path: PathStep[];
}

/** A declared slot and where it sits. */
export interface SlotView {
  name: string;
  type: string;
  /** The slot's own samples (dialog elicitation), which count as using it. */
  hasSamples: boolean;
  path: PathStep[];
}

/** One intent of a model. */
export interface IntentView {
  name: string;
  path: PathStep[];
  samples: SampleView[];
  slots: SlotView[];
}

/** One locale's model as the rules see it. */
export interface ModelView {
  locale: string;
  /** The model file, under the package root. */
  file: string;
  invocationName?: string;
  intents: IntentView[];
  /** Names of the custom slot types the model declares. */
  types: string[];
}

const INVOCATION_PATH: PathStep[] = ["interactionModel", "languageModel", "invocationName"];
const LANGUAGE_MODEL: PathStep[] = ["interactionModel", "languageModel"];

const slotSchema = z.object({
  name: z.string().min(1, "a slot needs a name"),
  type: z.string().min(1, "a slot needs a type, e.g. AMAZON.NUMBER"),
  samples: z.array(z.string()).optional(),
});
const intentSchema = z.object({
  name: z.string().min(1, "an intent needs a name"),
  samples: z.array(z.string()).optional(),
  slots: z.array(slotSchema).optional(),
});
const modelSchema = z.object({
  interactionModel: z.object({
    languageModel: z.object({
      invocationName: z.string(),
      intents: z.array(intentSchema).min(1, "a custom skill's model declares at least one intent"),
      types: z.array(z.object({ name: z.string().min(1, "a slot type needs a name") })).optional(),
    }),
  }),
});

/** The model file of a locale, as the problems name it. */
export function modelFile(pkg: SkillPackage, locale: string): string {
  return join(pkg.root, MODELS_DIR, `${locale}.json`);
}

/** Validates the structure of the locale's model and returns its well-formed parts. */
export function readModel(pkg: SkillPackage, locale: string, problems: Problem[]): ModelView {
  const file = modelFile(pkg, locale);
  const raw = pkg.models[locale];
  const parsed = modelSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) problems.push(...fromZodIssues(parsed.error.issues, file, "model"));

  const view: ModelView = { locale, file, intents: [], types: [] };
  const languageModel = (raw?.interactionModel as Record<string, unknown> | undefined)?.languageModel as
    Record<string, unknown> | undefined;
  if (typeof languageModel?.invocationName === "string") view.invocationName = languageModel.invocationName;
  const intents = Array.isArray(languageModel?.intents) ? (languageModel.intents as unknown[]) : [];
  intents.forEach((intent, i) => {
    const checked = intentSchema.safeParse(intent);
    if (!checked.success) return;
    const path: PathStep[] = [...LANGUAGE_MODEL, "intents", i];
    view.intents.push({
      name: checked.data.name,
      path,
      samples: (checked.data.samples ?? []).map((text, j) => ({ text, path: [...path, "samples", j] })),
      slots: (checked.data.slots ?? []).map((slot, j) => ({
        name: slot.name,
        type: slot.type,
        hasSamples: (slot.samples ?? []).length > 0,
        path: [...path, "slots", j],
      })),
    });
  });
  const types = Array.isArray(languageModel?.types) ? (languageModel.types as unknown[]) : [];
  for (const type of types) {
    const name = (type as { name?: unknown } | null)?.name;
    if (typeof name === "string") view.types.push(name);
  }
  return view;
}

/** Where the invocation name sits in a model file. */
export const invocationNamePath: readonly PathStep[] = INVOCATION_PATH;
