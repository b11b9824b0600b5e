/* eslint-disable @typescript-eslint/no-explicit-any -- reads the package's JSON as data */
import { lintSkillPackageFiles } from "../../scripts/lib/package/lint";
import {
  invocationName,
  packageLocales,
  readSkillPackage,
  type SkillPackage,
} from "../../scripts/lib/package/skill-package";
import { requestHandlers } from "../../skill/handlers";

const BUILT_INS = [
  "AMAZON.PauseIntent",
  "AMAZON.ResumeIntent",
  "AMAZON.StopIntent",
  "AMAZON.CancelIntent",
  "AMAZON.NextIntent",
  "AMAZON.PreviousIntent",
  "AMAZON.StartOverIntent",
  "AMAZON.RepeatIntent",
  "AMAZON.LoopOnIntent",
  "AMAZON.LoopOffIntent",
  "AMAZON.ShuffleOnIntent",
  "AMAZON.ShuffleOffIntent",
  "AMAZON.HelpIntent",
  "AMAZON.FallbackIntent",
  "AMAZON.NavigateHomeIntent",
];

// "tell me a joke", "play something" and "play clip {number}" in each language.
const MUST_UNDERSTAND: Record<string, string[]> = {
  "en-US": ["tell me a joke", "play something", "play clip {number}"],
  "en-GB": ["tell me a joke", "play something", "play clip {number}"],
  "de-DE": ["erzähl mir einen witz", "spiel etwas", "spiel clip {number}"],
  "fr-FR": ["raconte moi une blague", "joue quelque chose", "joue l'extrait {number}"],
  "es-ES": ["cuéntame un chiste", "pon algo", "pon el clip {number}"],
};

let pkg: SkillPackage;
const languageModel = (locale: string): any => (pkg.models[locale] as any).interactionModel.languageModel;

beforeAll(async () => {
  pkg = await readSkillPackage("skill-package");
});

describe("the Jokebox skill package", () => {
  it("has the five locales with their invocation names, in the manifest and as models", () => {
    expect(packageLocales(pkg)).toEqual(["de-DE", "en-GB", "en-US", "es-ES", "fr-FR"]);
    expect(Object.keys((pkg.manifest as any).manifest.publishingInformation.locales).sort()).toEqual(
      packageLocales(pkg),
    );
    expect(packageLocales(pkg).map((locale) => invocationName(pkg, locale))).toEqual([
      "witze kiste",
      "joke box",
      "joke box",
      "caja de chistes",
      "boîte à blagues",
    ]);
  });

  it.each(Object.keys(MUST_UNDERSTAND))(
    "%s: PlayClipIntent takes an optional number and rich samples",
    (locale) => {
      const play = languageModel(locale).intents.find((intent: any) => intent.name === "PlayClipIntent");
      expect(play.slots).toEqual([{ name: "number", type: "AMAZON.NUMBER" }]);
      expect(play.samples.length).toBeGreaterThanOrEqual(15);
      expect(play.samples).toEqual(expect.arrayContaining(MUST_UNDERSTAND[locale]));
      expect(play.samples.some((sample: string) => !sample.includes("{number}"))).toBe(true);
    },
  );

  it.each(Object.keys(MUST_UNDERSTAND))("%s: declares every built-in intent the skill handles", (locale) => {
    const names = languageModel(locale).intents.map((intent: any) => intent.name);
    expect(names.sort()).toEqual(["PlayClipIntent", ...BUILT_INS].sort());
  });

  it("declares the AudioPlayer interface and leaves the endpoint to deployment", () => {
    const manifest = (pkg.manifest as any).manifest;
    expect(manifest.apis.custom.interfaces).toEqual([{ type: "AUDIO_PLAYER" }]);
    expect(manifest.apis.custom.endpoint).toBeUndefined();
    for (const locale of packageLocales(pkg)) {
      expect(manifest.privacyAndCompliance.locales[locale].privacyPolicyUrl).toMatch(/^https:\/\//);
      expect(manifest.publishingInformation.locales[locale].examplePhrases[0]).toMatch(
        new RegExp(`^Alexa, \\S+ ${invocationName(pkg, locale)}$`),
      );
    }
  });

  it("passes skillship lint against the skill's own handlers", async () => {
    const handlerIntents = requestHandlers.flatMap((handler) => handler.intents ?? []);
    expect(await lintSkillPackageFiles(pkg, { handlerIntents })).toEqual([]);
  });
});
