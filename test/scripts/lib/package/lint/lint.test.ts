// Over 350 lines on purpose: one test per lint rule, each on a copy of the package broken on purpose.
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  countProblems,
  formatProblems,
  lintSkillPackage,
  lintSkillPackageFiles,
} from "../../../../../scripts/lib/package/lint";
import type { Problem } from "../../../../../scripts/lib/package/lint";
import { readSkillPackage, type SkillPackage } from "../../../../../scripts/lib/package/skill-package";

/* eslint-disable @typescript-eslint/no-explicit-any -- the tests edit parsed JSON freely */

const LOCALES = ["de-DE", "en-GB", "en-US", "es-ES", "fr-FR"];
const MODEL = (locale: string) => join("interactionModels", "custom", `${locale}.json`);
const INTENTS = (model: any): any[] => model.interactionModel.languageModel.intents;
const intent = (model: any, name: string): any => INTENTS(model).find((i) => i.name === name);

let workdir: string;
let allIntents: string[];

beforeAll(async () => {
  workdir = await mkdtemp(join(tmpdir(), "skillship-lint-"));
  const pkg = await readSkillPackage("skill-package");
  allIntents = INTENTS(pkg.models["en-US"]).map((i) => i.name);
});
afterAll(async () => {
  await rm(workdir, { recursive: true, force: true });
});

/** A copy of the real package in a temp dir, edited by `edit`, read back from disk. */
async function brokenCopy(edit: (files: Files) => Promise<void>): Promise<SkillPackage> {
  const root = await mkdtemp(join(workdir, "pkg-"));
  await cp("skill-package", root, { recursive: true });
  await edit(new Files(root));
  return readSkillPackage(root);
}

class Files {
  constructor(readonly root: string) {}
  async json(path: string, edit: (value: any) => void): Promise<void> {
    const file = join(this.root, path);
    const value = JSON.parse(await readFile(file, "utf8"));
    edit(value);
    await writeFile(file, JSON.stringify(value, null, 2));
  }
  manifest(edit: (manifest: any) => void): Promise<void> {
    return this.json("skill.json", (value) => edit(value.manifest));
  }
  async models(edit: (model: any, locale: string) => void, locales = LOCALES): Promise<void> {
    for (const locale of locales) await this.json(MODEL(locale), (value) => edit(value, locale));
  }
}

const lint = (pkg: SkillPackage, handlerIntents = allIntents) => lintSkillPackage(pkg, { handlerIntents });
const at = (pkg: SkillPackage, path: string) => join(pkg.root, path);
const rules = (problems: Problem[]) => [...new Set(problems.map((p) => p.rule))];

describe("lintSkillPackage on the real package", () => {
  it("finds nothing, icons included", async () => {
    const pkg = await readSkillPackage("skill-package");
    const problems = await lintSkillPackageFiles(pkg, { handlerIntents: allIntents });
    expect(problems).toEqual([]);
    expect(formatProblems(problems)).toContain("no problems found");
  });
});

describe("rule manifest", () => {
  it("reports every invalid or missing field at once, with its JSON path", async () => {
    const pkg = await brokenCopy((files) =>
      files.manifest((manifest) => {
        delete manifest.publishingInformation.locales["en-US"].summary;
        manifest.publishingInformation.locales["de-DE"].name = "W";
        manifest.publishingInformation.category = "JOKES";
        manifest.publishingInformation.distributionCountries = ["US", "XX"];
        manifest.privacyAndCompliance.containsAds = "no";
        manifest.privacyAndCompliance.locales["fr-FR"].privacyPolicyUrl =
          "http://jokebox.example.com/privacy";
        delete manifest.privacyAndCompliance.locales["es-ES"];
        manifest.manifestVersion = "2.0";
      }),
    );
    const problems = lint(pkg);
    const file = at(pkg, "skill.json");
    expect(problems.every((p) => p.rule === "manifest" && p.file === file && p.severity === "error")).toBe(
      true,
    );
    const byPath = Object.fromEntries(problems.map((p) => [p.path, p.message]));
    expect(byPath).toEqual({
      "$.manifest.manifestVersion": 'must be "1.0"',
      '$.manifest.publishingInformation.locales["en-US"].summary': "is required (expected string)",
      '$.manifest.publishingInformation.locales["de-DE"].name': "must be 2 to 50 characters",
      "$.manifest.publishingInformation.distributionCountries[1]":
        expect.stringContaining("ISO 3166 country code"),
      "$.manifest.publishingInformation.category": expect.stringContaining("skill store categories"),
      "$.manifest.privacyAndCompliance.containsAds": 'must be a boolean, found string "no"',
      '$.manifest.privacyAndCompliance.locales["fr-FR"].privacyPolicyUrl': "must be an https:// URL",
      '$.manifest.privacyAndCompliance.locales["es-ES"].privacyPolicyUrl': expect.stringContaining(
        "needs a privacy policy URL for es-ES",
      ),
    });
  });

  it("warns about an endpoint in the file and unknown interfaces, which do not stop a release", async () => {
    const pkg = await brokenCopy((files) =>
      files.manifest((manifest) => {
        manifest.apis.custom.endpoint = { uri: "arn:aws:lambda:eu-west-1:123456789012:function:jokebox" };
        manifest.apis.custom.interfaces.push({ type: "HOLOGRAM" });
      }),
    );
    const problems = lint(pkg);
    expect(problems).toEqual([
      expect.objectContaining({ severity: "warning", path: "$.manifest.apis.custom.interfaces[1].type" }),
      expect.objectContaining({
        severity: "warning",
        path: "$.manifest.apis.custom.endpoint",
        message: expect.stringContaining("filled at deploy time"),
      }),
    ]);
    expect(countProblems(problems)).toEqual({ errors: 0, warnings: 2 });
  });
});

describe("rule locales", () => {
  it("reports a published locale without a model and a model without publishing information", async () => {
    const pkg = await brokenCopy(async (files) => {
      await rm(join(files.root, MODEL("es-ES")));
      await cp(join(files.root, MODEL("fr-FR")), join(files.root, MODEL("fr-CA")));
    });
    const problems = lint(pkg).filter((p) => p.rule === "locales");
    expect(problems).toEqual([
      {
        severity: "error",
        rule: "locales",
        file: at(pkg, "skill.json"),
        path: '$.manifest.publishingInformation.locales["es-ES"]',
        message: expect.stringContaining("es-ES is published but has no interaction model"),
      },
      {
        severity: "error",
        rule: "locales",
        file: at(pkg, MODEL("fr-CA")),
        path: "$",
        message: expect.stringContaining("fr-CA has an interaction model but no publishing information"),
      },
    ]);
  });
});

describe("rule intents-differ", () => {
  it("reports an intent missing from one locale and an intent whose slots differ", async () => {
    const pkg = await brokenCopy(async (files) => {
      await files.models(
        (model) => {
          model.interactionModel.languageModel.intents = INTENTS(model).filter(
            (i) => i.name !== "AMAZON.ShuffleOnIntent",
          );
        },
        ["de-DE"],
      );
      await files.models(
        (model) => {
          intent(model, "PlayClipIntent").slots[0].type = "AMAZON.FOUR_DIGIT_NUMBER";
        },
        ["fr-FR"],
      );
    });
    const problems = lint(pkg, allIntents);
    expect(rules(problems).sort()).toEqual(["intents-differ", "required-intents"]);
    const differ = problems.filter((p) => p.rule === "intents-differ");
    expect(differ).toHaveLength(2);
    expect(differ).toEqual(
      expect.arrayContaining([
        {
          severity: "error",
          rule: "intents-differ",
          file: at(pkg, MODEL("de-DE")),
          path: "$.interactionModel.languageModel.intents",
          message: expect.stringMatching(
            /^AMAZON\.ShuffleOnIntent is missing here but declared in en-GB, en-US/,
          ),
        },
        {
          severity: "error",
          rule: "intents-differ",
          file: at(pkg, MODEL("fr-FR")),
          path: "$.interactionModel.languageModel.intents[0].slots",
          message: expect.stringContaining(
            "[number:AMAZON.FOUR_DIGIT_NUMBER] here but [number:AMAZON.NUMBER] in",
          ),
        },
      ]),
    );
  });
});

describe("rule handlers", () => {
  it("reports an intent no handler answers, once, and a handled intent no model declares", async () => {
    const pkg = await readSkillPackage("skill-package");
    const handled = [...allIntents.filter((name) => name !== "AMAZON.RepeatIntent"), "OrderPizzaIntent"];
    const problems = lintSkillPackage(pkg, {
      handlerIntents: handled,
      handlersFile: "skill/handlers/index.ts",
    });
    expect(problems).toEqual([
      {
        severity: "error",
        rule: "handlers",
        file: join("skill-package", MODEL("de-DE")),
        path: expect.stringMatching(/^\$\.interactionModel\.languageModel\.intents\[\d+\]\.name$/),
        message: expect.stringContaining("no request handler answers AMAZON.RepeatIntent"),
      },
      {
        severity: "error",
        rule: "handlers",
        file: "skill/handlers/index.ts",
        path: "$",
        message: expect.stringContaining("answers OrderPizzaIntent, but no interaction model declares it"),
      },
    ]);
  });
});

describe("rule invocation-name", () => {
  const cases: [locale: string, name: string, expected: RegExp, severity: "error" | "warning"][] = [
    ["en-US", "Joke Box", /must be all lowercase/, "error"],
    ["en-US", "joke box 2", /must spell numbers out/, "error"],
    ["en-US", "joke box!", /contains "!": only English letters/, "error"],
    ["en-US", "böse box", /contains "ö": only English letters/, "error"],
    ["en-US", "jokebox", /is one word: invocation names need two or more words/, "error"],
    ["en-US", "the jokes", /two words and one is an article or preposition \("the"\)/, "error"],
    ["en-US", "alexa jokes", /contains the wake word "alexa"/, "error"],
    ["en-GB", "open joke box", /contains the launch phrase "open"/, "error"],
    ["en-US", "jokes for kids", /contains the connecting word "for"/, "error"],
    ["en-US", "joke box skill", /must not say "skill" or "app"/, "error"],
    ["en-US", "joke  box", /single spaces/, "error"],
    ["en-US", "joke box'", /apostrophes belong inside a word/, "error"],
    ["de-DE", "witzekiste", /only for a compound of two or more words/, "warning"],
    ["de-DE", "starte witze", /contains the launch phrase "starte"/, "error"],
    ["fr-FR", "boîte à blagues ñ", /contains "ñ": only French letters/, "error"],
    ["es-ES", "la caja", /article or preposition \("la"\)/, "error"],
    ["es-ES", "caja de chistes app", /must not say "skill" or "app"/, "error"],
  ];

  it.each(cases)("%s %j breaks a rule", async (locale, name, expected, severity) => {
    const pkg = await brokenCopy((files) =>
      files.models(
        (model) => {
          model.interactionModel.languageModel.invocationName = name;
        },
        [locale],
      ),
    );
    const problems = lint(pkg).filter((p) => p.rule === "invocation-name");
    expect(problems).toContainEqual({
      severity,
      rule: "invocation-name",
      file: at(pkg, MODEL(locale)),
      path: "$.interactionModel.languageModel.invocationName",
      message: expect.stringMatching(expected),
    });
  });

  it("accepts names written in the language's own letters, apostrophes and abbreviations", async () => {
    const names: Record<string, string> = {
      "en-US": "sam's j. b. jokes",
      "en-GB": "joke box",
      "de-DE": "lustige witze kiste",
      "fr-FR": "l'heure des blagues",
      "es-ES": "caja de chistes niño",
    };
    const pkg = await brokenCopy((files) =>
      files.models((model, locale) => {
        model.interactionModel.languageModel.invocationName = names[locale];
      }),
    );
    expect(lint(pkg).filter((p) => p.rule === "invocation-name")).toEqual([]);
  });
});

describe("rule duplicate-utterance", () => {
  it("reports a repeat within an intent and a sample shared by two intents, ignoring case and spacing", async () => {
    const pkg = await brokenCopy((files) =>
      files.models(
        (model) => {
          intent(model, "PlayClipIntent").samples.push("Tell  me a JOKE");
          intent(model, "AMAZON.HelpIntent").samples.push("play something");
        },
        ["en-US"],
      ),
    );
    const problems = lint(pkg);
    const samples = intent(pkg.models["en-US"], "PlayClipIntent").samples as string[];
    expect(problems).toEqual([
      {
        severity: "error",
        rule: "duplicate-utterance",
        file: at(pkg, MODEL("en-US")),
        path: `$.interactionModel.languageModel.intents[0].samples[${samples.length - 1}]`,
        message: `"Tell  me a JOKE" repeats samples[0] of PlayClipIntent: remove one`,
      },
      {
        severity: "error",
        rule: "duplicate-utterance",
        file: at(pkg, MODEL("en-US")),
        path: expect.stringMatching(/intents\[\d+\]\.samples\[0\]$/),
        message: expect.stringContaining(
          `"play something" is also a sample of PlayClipIntent (samples[${samples.indexOf("play something")}])`,
        ),
      },
    ]);
  });
});

describe("rule slots", () => {
  it("reports a slot used but not declared, a declared one unused, and an unknown slot type", async () => {
    const pkg = await brokenCopy((files) =>
      files.models(
        (model) => {
          const play = intent(model, "PlayClipIntent");
          play.samples.push("play {count} jokes");
          play.slots.push({ name: "topic", type: "JokeTopic" });
        },
        ["es-ES"],
      ),
    );
    const problems = lint(pkg);
    // The other locales now lack the slot: that is the intents-differ rule, tested above.
    expect(problems.filter((p) => p.rule === "slots")).toEqual([
      expect.objectContaining({
        severity: "error",
        file: at(pkg, MODEL("es-ES")),
        message: expect.stringContaining("uses slot {count}, which PlayClipIntent does not declare"),
      }),
      expect.objectContaining({
        severity: "warning",
        path: "$.interactionModel.languageModel.intents[0].slots[1]",
        message: "slot topic of PlayClipIntent is declared but no sample uses it",
      }),
      expect.objectContaining({
        severity: "error",
        path: "$.interactionModel.languageModel.intents[0].slots[1].type",
        message: expect.stringContaining("type JokeTopic, which is neither built in"),
      }),
    ]);
  });
});

describe("rule samples", () => {
  it("reports numerals, unbalanced braces and a custom intent nobody can reach", async () => {
    const pkg = await brokenCopy((files) =>
      files.models((model) => {
        intent(model, "PlayClipIntent").samples.push("play clip 5", "play clip {number");
        INTENTS(model).push({ name: "SilentIntent", samples: [] });
      }),
    );
    const problems = lint(pkg, [...allIntents, "SilentIntent"]).filter((p) => p.file.endsWith("en-GB.json"));
    expect(problems.map((p) => p.message)).toEqual([
      '"play clip 5": spell numbers out as words, Alexa hears words',
      '"play clip {number" has an unbalanced brace: slots are written {slotName}',
      "SilentIntent has no sample utterances: Alexa cannot reach it",
    ]);
  });
});

describe("rule required-intents", () => {
  it("requires the audio intents of an AUDIO_PLAYER skill and the built-ins of every skill", async () => {
    const dropped = ["AMAZON.PauseIntent", "AMAZON.LoopOnIntent", "AMAZON.HelpIntent"];
    const pkg = await brokenCopy((files) =>
      files.models((model) => {
        model.interactionModel.languageModel.intents = INTENTS(model).filter(
          (i) => !dropped.includes(i.name),
        );
      }),
    );
    const handled = allIntents.filter((name) => !dropped.includes(name));
    const problems = lint(pkg, handled);
    expect(rules(problems)).toEqual(["required-intents"]);
    expect(problems).toHaveLength(3 * LOCALES.length);
    expect(problems.filter((p) => p.file === at(pkg, MODEL("fr-FR"))).map((p) => p.message)).toEqual([
      "AMAZON.HelpIntent is missing: every custom skill must declare it",
      "AMAZON.PauseIntent is missing: the manifest declares the AUDIO_PLAYER interface",
      "AMAZON.LoopOnIntent is missing: the manifest declares the AUDIO_PLAYER interface",
    ]);
  });

  it("does not ask a skill without AudioPlayer for the audio intents", async () => {
    const pkg = await brokenCopy(async (files) => {
      await files.manifest((manifest) => {
        manifest.apis.custom.interfaces = [];
      });
      await files.models((model) => {
        model.interactionModel.languageModel.intents = INTENTS(model).filter(
          (i) => i.name !== "AMAZON.PauseIntent",
        );
      });
    });
    expect(
      lint(
        pkg,
        allIntents.filter((name) => name !== "AMAZON.PauseIntent"),
      ),
    ).toEqual([]);
  });
});

describe("rule example-phrases", () => {
  it("requires the wake word, the invocation name first, and requests taken from the samples", async () => {
    const pkg = await brokenCopy((files) =>
      files.manifest((manifest) => {
        manifest.publishingInformation.locales["en-US"].examplePhrases = [
          "Alexa, open jokes",
          "ask joke box to tell me a joke",
          "Alexa, ask joke box to sing a song",
        ];
        manifest.publishingInformation.locales["de-DE"].examplePhrases = [
          "Alexa, öffne witze kiste",
          "Alexa, spiel clip neun",
        ];
      }),
    );
    const problems = lint(pkg);
    const file = at(pkg, "skill.json");
    expect(problems).toEqual([
      {
        severity: "error",
        rule: "example-phrases",
        file,
        path: '$.manifest.publishingInformation.locales["en-US"].examplePhrases[0]',
        message: '"Alexa, open jokes" must name the invocation name "joke box"',
      },
      expect.objectContaining({
        path: '$.manifest.publishingInformation.locales["en-US"].examplePhrases[1]',
        message: expect.stringContaining('must start with "Alexa, "'),
      }),
      expect.objectContaining({
        path: '$.manifest.publishingInformation.locales["en-US"].examplePhrases[2]',
        message: expect.stringContaining('asks for "to sing a song", which matches no sample utterance'),
      }),
    ]);
  });
});

describe("rule icons", () => {
  it("reports a missing icon, a wrong size and a file that is not a PNG", async () => {
    const pkg = await brokenCopy(async (files) => {
      await writeFile(join(files.root, "assets", "images", "fake.png"), "GIF89a not a png at all, really");
      await files.manifest((manifest) => {
        const locales = manifest.publishingInformation.locales;
        locales["en-US"].smallIconUri = "file://assets/images/missing.png";
        locales["de-DE"].smallIconUri = "file://assets/images/icon-512.png";
        locales["fr-FR"].largeIconUri = "file://assets/images/fake.png";
        locales["es-ES"].largeIconUri = "file://../outside.png";
      });
    });
    const problems = await lintSkillPackageFiles(pkg, { handlerIntents: allIntents });
    expect(problems.map((p) => [p.rule, p.path, p.message])).toEqual([
      [
        "icons",
        '$.manifest.publishingInformation.locales["en-US"].smallIconUri',
        expect.stringMatching(/missing\.png does not exist$/),
      ],
      [
        "icons",
        '$.manifest.publishingInformation.locales["de-DE"].smallIconUri',
        "file://assets/images/icon-512.png is 512x512: the smallIconUri must be 108x108 pixels",
      ],
      [
        "icons",
        '$.manifest.publishingInformation.locales["fr-FR"].largeIconUri',
        expect.stringMatching(/fake\.png is not a PNG image$/),
      ],
      [
        "icons",
        '$.manifest.publishingInformation.locales["es-ES"].largeIconUri',
        expect.stringContaining("points outside the skill package"),
      ],
    ]);
  });
});

describe("rule model", () => {
  it("reports a malformed model and still checks the well-formed intents", async () => {
    const pkg = await brokenCopy((files) =>
      files.models(
        (model) => {
          delete model.interactionModel.languageModel.invocationName;
          INTENTS(model)[1] = { samples: ["pause"] };
        },
        ["en-GB"],
      ),
    );
    const problems = lint(pkg);
    const own = problems.filter((p) => p.file === at(pkg, MODEL("en-GB")));
    expect(own.filter((p) => p.rule === "model").map((p) => [p.path, p.message])).toEqual([
      ["$.interactionModel.languageModel.invocationName", "is required (expected string)"],
      ["$.interactionModel.languageModel.intents[1].name", "is required (expected string)"],
    ]);
    expect(own).toContainEqual(
      expect.objectContaining({
        rule: "intents-differ",
        message: expect.stringContaining("AMAZON.PauseIntent"),
      }),
    );
  });
});

describe("formatProblems", () => {
  it("groups problems by file and ends with the counts", () => {
    const text = formatProblems([
      { severity: "error", rule: "slots", file: "a.json", path: "$.x", message: "broken" },
      { severity: "warning", rule: "manifest", file: "b.json", path: "$", message: "odd" },
    ]);
    expect(text).toBe(
      "a.json\n  error    $.x  broken  (slots)\n\nb.json\n  warning  $  odd  (manifest)\n\n1 error, 1 warning\n",
    );
  });
});
