import { phrasesFor } from "../../../../../scripts/lib/local/nlu/languages";
import { numberWords, parseNumber } from "../../../../../scripts/lib/local/nlu/numbers";
import { createResolver, type Resolution } from "../../../../../scripts/lib/local/nlu/resolver";
import {
  getPath,
  packageLocales,
  readSkillPackage,
  type SkillPackage,
} from "../../../../../scripts/lib/package/skill-package";

let pkg: SkillPackage;
beforeAll(async () => {
  pkg = await readSkillPackage("skill-package");
});

interface Intent {
  name: string;
  samples?: string[];
  slots?: { name: string; type: string }[];
}

function intentsOf(locale: string): Intent[] {
  return getPath(pkg.models[locale], ["interactionModel", "languageModel", "intents"]) as Intent[];
}

function intentOf(resolution: Resolution): string {
  return resolution.requestType === "IntentRequest" ? resolution.intent : resolution.requestType;
}

const locales = ["en-US", "en-GB", "de-DE", "fr-FR", "es-ES"];

describe("the resolver on the skill's own interaction models", () => {
  it("covers every locale of the package", () => {
    expect(packageLocales(pkg)).toEqual([...locales].sort());
  });

  describe.each(locales)("%s", (locale) => {
    it("resolves every sample utterance to its own intent, number slots as digits and as words", () => {
      const resolver = createResolver(pkg, locale);
      const language = locale.slice(0, 2);
      let checked = 0;
      for (const intent of intentsOf(locale)) {
        for (const sample of intent.samples ?? []) {
          const variants = /\{number\}/.test(sample)
            ? [sample.replace("{number}", "3"), sample.replace("{number}", numberWords(3, language)[0])]
            : [sample];
          for (const utterance of variants) {
            const resolution = resolver.resolve(utterance);
            expect({ utterance, intent: intentOf(resolution) }).toEqual({ utterance, intent: intent.name });
            if (variants.length > 1 && resolution.requestType === "IntentRequest") {
              expect(resolution.slots.number.value).toBe("3");
            }
            checked += 1;
          }
        }
      }
      expect(checked).toBeGreaterThan(10);
    });

    it("resolves the common phrases of every built-in intent the model declares", () => {
      const resolver = createResolver(pkg, locale);
      const declared = new Set(intentsOf(locale).map((intent) => intent.name));
      const builtIns = Object.entries(phrasesFor(locale)?.builtIns ?? {}).filter(([name]) =>
        declared.has(name),
      );
      expect(builtIns.map(([name]) => name)).toEqual(
        expect.arrayContaining(["AMAZON.PauseIntent", "AMAZON.ResumeIntent", "AMAZON.HelpIntent"]),
      );
      for (const [name, phrases] of builtIns) {
        for (const phrase of phrases) {
          expect({ phrase, intent: intentOf(resolver.resolve(phrase)) }).toEqual({ phrase, intent: name });
        }
      }
    });

    it("sends utterances that match nothing to AMAZON.FallbackIntent", () => {
      const resolver = createResolver(pkg, locale);
      for (const utterance of ["what's the weather in paris", "xyzzy plugh", "play clip banana", "", "?!"]) {
        const resolution = resolver.resolve(utterance);
        expect({ utterance, intent: intentOf(resolution) }).toEqual({
          utterance,
          intent: "AMAZON.FallbackIntent",
        });
      }
    });
  });
});

describe("invocation phrases", () => {
  const cases: [string, string, string][] = [
    ["en-US", "open joke box", "LaunchRequest"],
    ["en-US", "please open joke box", "LaunchRequest"],
    ["de-DE", "bitte öffne witze kiste", "LaunchRequest"],
    ["en-US", "Alexa, start Joke Box.", "LaunchRequest"],
    ["en-US", "ask joke box to tell me a joke", "PlayClipIntent"],
    ["en-GB", "ask joke box for help", "AMAZON.HelpIntent"],
    ["en-US", "tell me a joke using joke box", "PlayClipIntent"],
    ["en-US", "ask joke box to sing opera", "AMAZON.FallbackIntent"],
    ["de-DE", "öffne witze kiste", "LaunchRequest"],
    ["de-DE", "Alexa, starte Witze Kiste", "LaunchRequest"],
    ["de-DE", "frage witze kiste nach einem witz", "PlayClipIntent"],
    ["de-DE", "frag witze kiste nach clip zwölf", "PlayClipIntent"],
    ["fr-FR", "ouvre boîte à blagues", "LaunchRequest"],
    ["fr-FR", "ouvre boite a blagues", "LaunchRequest"],
    ["fr-FR", "demande à boîte à blagues de me raconter une blague", "PlayClipIntent"],
    ["es-ES", "abre caja de chistes", "LaunchRequest"],
    ["es-ES", "pide a caja de chistes que me cuente un chiste", "PlayClipIntent"],
  ];

  it.each(cases)("%s: %s → %s", async (locale, utterance, expected) => {
    const resolution = createResolver(pkg, locale).resolve(utterance);
    expect(intentOf(resolution)).toBe(expected);
    expect(resolution.invoked).toBe(true);
  });

  it("fills the number slot of a one-shot request", () => {
    const resolution = createResolver(pkg, "de-DE").resolve("frag witze kiste nach clip zwölf");
    expect(resolution).toMatchObject({
      slots: { number: { name: "number", value: "12", type: "AMAZON.NUMBER" } },
    });
  });

  it("declares unfilled slots without a value", () => {
    const resolution = createResolver(pkg, "en-US").resolve("tell me a joke");
    expect(resolution).toMatchObject({ invoked: false, slots: { number: { name: "number" } } });
    expect(resolution.requestType === "IntentRequest" && resolution.slots.number.value).toBeUndefined();
  });
});

describe("bad input", () => {
  it("lists the locales there are for an unknown locale", () => {
    expect(() => createResolver(pkg, "it-IT")).toThrow(
      "Unknown locale it-IT: the skill package skill-package has interaction models for de-DE, en-GB, en-US, es-ES, fr-FR",
    );
  });

  it("resolves custom slot types through values and synonyms", () => {
    const custom: SkillPackage = {
      root: "pkg",
      manifest: {},
      models: {
        "en-US": {
          interactionModel: {
            languageModel: {
              invocationName: "zoo",
              intents: [
                {
                  name: "AnimalIntent",
                  slots: [{ name: "animal", type: "Animal" }],
                  samples: ["show me the {animal}"],
                },
              ],
              types: [
                { name: "Animal", values: [{ id: "CAT", name: { value: "cat", synonyms: ["kitty"] } }] },
              ],
            },
          },
        },
      },
    };
    const resolver = createResolver(custom, "en-US");
    expect(resolver.resolve("show me the kitty")).toMatchObject({
      intent: "AnimalIntent",
      slots: { animal: { value: "kitty", resolved: { id: "CAT", name: "cat" } } },
    });
    expect(intentOf(resolver.resolve("show me the dog"))).toBe("AMAZON.FallbackIntent");
  });
});

describe("number words", () => {
  it.each([
    ["en", "twenty one", 21],
    ["en", "twenty-one", 21],
    ["de", "einundzwanzig", 21],
    ["de", "zwölf", 12],
    ["fr", "soixante et onze", 71],
    ["fr", "quatre-vingt-dix-neuf", 99],
    ["es", "veintitrés", 23],
    ["es", "treinta y uno", 31],
    ["en", "42", 42],
  ])("%s %s = %i", (language, words, n) => {
    expect(parseNumber(words, language)).toBe(n);
  });

  it("refuses what is not a number", () => {
    expect(parseNumber("banana", "en")).toBeUndefined();
  });
});
