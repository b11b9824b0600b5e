/**
 * A second custom skill that shares nothing with Jokebox: an ASK CLI project (ask-resources.json and
 * .ask/ask-states.json, code in lambda/, the package in skill-package/ with one locale, no media), written into a
 * folder from plain ask-sdk-core handlers that declare nothing about their intents.
 */
import { mkdir, symlink, writeFile } from "node:fs/promises";
import * as path from "node:path";

/** The skill id the ASK CLI "deployed" it as. */
export const SECOND_SKILL_ID = "amzn1.ask.skill.00000000-0000-4000-8000-00000000c01f";

const repoRoot = path.resolve(__dirname, "..", "..", "..");

const handlers = `const Alexa = require("ask-sdk-core");

const type = (input) => Alexa.getRequestType(input.requestEnvelope);
const intent = (input) => type(input) === "IntentRequest" && Alexa.getIntentName(input.requestEnvelope);

const Launch = {
  canHandle: (input) => type(input) === "LaunchRequest",
  handle: (input) => input.responseBuilder.speak("Coin flip here. Say flip.").reprompt("Say flip.").getResponse(),
};
const Flip = {
  canHandle: (input) => intent(input) === "FlipCoinIntent",
  handle: (input) => input.responseBuilder.speak("It landed on heads.").withShouldEndSession(true).getResponse(),
};
const Help = {
  canHandle: (input) => intent(input) === "AMAZON.HelpIntent",
  handle: (input) => input.responseBuilder.speak("Say flip and I flip a coin.").reprompt("Say flip.").getResponse(),
};
const Bye = {
  canHandle: (input) => ["AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.NavigateHomeIntent"].includes(intent(input)),
  handle: (input) => input.responseBuilder.speak("Bye.").withShouldEndSession(true).getResponse(),
};
const Other = {
  canHandle: () => true,
  handle: (input) => input.responseBuilder.speak("Say flip.").reprompt("Say flip.").getResponse(),
};

exports.handler = Alexa.SkillBuilders.custom().addRequestHandlers(Launch, Flip, Help, Bye, Other).lambda();
`;

const manifest = {
  manifest: {
    manifestVersion: "1.0",
    publishingInformation: {
      locales: {
        "en-US": {
          name: "Coin Flip",
          summary: "Flips a coin for you.",
          description: "Say flip and the skill flips a coin and tells you how it landed.",
          examplePhrases: ["Alexa, open coin flipper", "Alexa, ask coin flipper to flip"],
          keywords: ["coin", "flip"],
          smallIconUri: "https://example.com/coin-108.png",
          largeIconUri: "https://example.com/coin-512.png",
        },
      },
      isAvailableWorldwide: false,
      distributionCountries: ["US"],
      category: "GAMES",
      testingInstructions: "Open the skill and say flip.",
    },
    privacyAndCompliance: {
      allowsPurchases: false,
      usesPersonalInfo: false,
      isChildDirected: false,
      isExportCompliant: true,
      containsAds: false,
      usesHealthInfo: false,
      locales: { "en-US": { privacyPolicyUrl: "https://example.com/privacy.html" } },
    },
    apis: { custom: {} },
  },
};

const model = {
  interactionModel: {
    languageModel: {
      invocationName: "coin flipper",
      intents: [
        { name: "FlipCoinIntent", samples: ["flip", "flip a coin", "toss the coin"] },
        ...["HelpIntent", "CancelIntent", "StopIntent", "NavigateHomeIntent", "FallbackIntent"].map(
          (name) => ({
            name: `AMAZON.${name}`,
            samples: [],
          }),
        ),
      ],
      types: [],
    },
  },
};

const dialog = `locale: en-US
description: Coin flip - launch, then flip
turns:
  - say: open coin flipper
    expect:
      intent: LaunchRequest
      speech: Coin flip here
      sessionEnded: false
  - say: flip a coin
    expect:
      intent: FlipCoinIntent
      speech: heads
      sessionEnded: true
`;

/** The skill package as the second skill's folder holds it (for seeding the fake Skill Management API). */
export const secondSkillPackage = { manifest, models: { "en-US": model } };

/**
 * Writes the second skill into `dir`, with this repository's node_modules standing in for `npm install` unless
 * `options.linkNodeModules` is false (the folder is then inside a project that has its own).
 */
export async function writeSecondSkill(
  dir: string,
  options: { linkNodeModules?: boolean } = {},
): Promise<void> {
  const files: Record<string, string> = {
    "ask-resources.json": JSON.stringify({
      askcliResourcesVersion: "2020-03-31",
      profiles: {
        default: {
          skillMetadata: { src: "./skill-package" },
          code: { default: { src: "./lambda" } },
          skillInfrastructure: { type: "@ask-cli/lambda-deployer", userConfig: { handler: "index.handler" } },
        },
      },
    }),
    ".ask/ask-states.json": JSON.stringify({ profiles: { default: { skillId: SECOND_SKILL_ID } } }),
    "lambda/index.js": handlers,
    "skill-package/skill.json": JSON.stringify(manifest, null, 2),
    "skill-package/interactionModels/custom/en-US.json": JSON.stringify(model, null, 2),
    "dialogs/en-US.yaml": dialog,
  };
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  if (options.linkNodeModules !== false) {
    await symlink(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"));
  }
}
