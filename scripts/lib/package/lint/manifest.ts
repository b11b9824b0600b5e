/**
 * Rule "manifest": the fields of `skill.json` that the Skill Management API and certification need, with the limits
 * the Skill Management API's own OpenAPI document (ask-smapi-model `spec.json`) gives them.
 */
import { join } from "node:path";
import type { v1 } from "ask-smapi-model";
import { z } from "zod";
import { skillKind, type SkillKind } from "../../project/kinds";
import { isRecord, type SkillPackage } from "../skill-package";
import { DISTRIBUTION_COUNTRIES } from "./countries";
import { jsonPath, type Problem } from "./types";
import { fromZodIssues } from "./zod-problems";

/** Publishing categories of the Alexa skill store (`publishingInformation.category`). */
export const CATEGORIES = [
  "ALARMS_AND_CLOCKS",
  "ASTROLOGY",
  "BUSINESS_AND_FINANCE",
  "CALCULATORS",
  "CALENDARS_AND_REMINDERS",
  "CHILDRENS_EDUCATION_AND_REFERENCE",
  "CHILDRENS_GAMES",
  "CHILDRENS_MUSIC_AND_AUDIO",
  "CHILDRENS_NOVELTY_AND_HUMOR",
  "COMMUNICATION",
  "CONNECTED_CAR",
  "COOKING_AND_RECIPE",
  "CURRENCY_GUIDES_AND_CONVERTERS",
  "DATING",
  "DELIVERY_AND_TAKEOUT",
  "DEVICE_TRACKING",
  "EDUCATION_AND_REFERENCE",
  "EVENT_FINDERS",
  "EXERCISE_AND_WORKOUT",
  "FASHION_AND_STYLE",
  "FLIGHT_FINDERS",
  "FRIENDS_AND_FAMILY",
  "GAME_INFO_AND_ACCESSORY",
  "GAMES",
  "HEALTH_AND_FITNESS",
  "HOTEL_FINDERS",
  "KNOWLEDGE_AND_TRIVIA",
  "MOVIE_AND_TV_KNOWLEDGE_AND_TRIVIA",
  "MOVIE_INFO_AND_REVIEWS",
  "MOVIE_SHOWTIMES",
  "MUSIC_AND_AUDIO_ACCESSORIES",
  "MUSIC_AND_AUDIO_KNOWLEDGE_AND_TRIVIA",
  "MUSIC_INFO_REVIEWS_AND_RECOGNITION_SERVICE",
  "NAVIGATION_AND_TRIP_PLANNER",
  "NEWS",
  "NOVELTY",
  "ORGANIZERS_AND_ASSISTANTS",
  "PETS_AND_ANIMAL",
  "PODCAST",
  "PUBLIC_TRANSPORTATION",
  "RELIGION_AND_SPIRITUALITY",
  "RESTAURANT_BOOKING_INFO_AND_REVIEW",
  "SCHOOLS",
  "SCORE_KEEPING",
  "SELF_IMPROVEMENT",
  "SHOPPING",
  "SMART_HOME",
  "SOCIAL_NETWORKING",
  "SPORTS_GAMES",
  "SPORTS_NEWS",
  "STREAMING_SERVICE",
  "TAXI_AND_RIDESHARING",
  "TO_DO_LISTS_AND_NOTES",
  "TRANSLATORS",
  "TV_GUIDES",
  "UNIT_CONVERTERS",
  "WEATHER",
  "WINE_AND_BEVERAGE",
  "ZIP_CODE_LOOKUP",
] as const;

/** Interface types a custom skill may declare; type-checked against ask-smapi-model so a typo cannot slip in. */
export const INTERFACE_TYPES = [
  "AUDIO_PLAYER",
  "VIDEO_APP",
  "RENDER_TEMPLATE",
  "GAME_ENGINE",
  "GADGET_CONTROLLER",
  "CAN_FULFILL_INTENT_REQUEST",
  "ALEXA_PRESENTATION_APL",
  "ALEXA_CAMERA_PHOTO_CAPTURE_CONTROLLER",
  "ALEXA_CAMERA_VIDEO_CAPTURE_CONTROLLER",
  "ALEXA_FILE_MANAGER_UPLOAD_CONTROLLER",
  "CUSTOM_INTERFACE",
  "ALEXA_AUGMENTATION_EFFECTS_CONTROLLER",
  "APP_LINKS",
  "ALEXA_EXTENSION",
  "APP_LINKS_V2",
  "ALEXA_SEARCH",
  "ALEXA_DATASTORE_PACKAGEMANAGER",
  "ALEXA_DATA_STORE",
] as const satisfies readonly v1.skill.Manifest.InterfaceType[];

/** The fields the rule reads, for other rules: the publishing locales and the declared interfaces. */
export interface ManifestFacts {
  file: string;
  locales: string[];
  interfaces: string[];
  /** `examplePhrases` per publishing locale (only the well-formed strings). */
  examplePhrases: Record<string, string[]>;
}

/** ISO country codes the Skill Management API accepts in `distributionCountries`. */
export function distributionCountries(): readonly string[] {
  return DISTRIBUTION_COUNTRIES;
}

const LOCALE = /^[a-z]{2}-[A-Z]{2}$/;
const https = z.url({ protocol: /^https$/, error: "must be an https:// URL" });
const iconUri = z
  .string()
  .regex(
    /^(https:\/\/|file:\/\/)\S+\.png$/i,
    "must be an https:// URL or a file:// path in the package, of a PNG",
  );

function manifestSchema(kind: SkillKind) {
  const localized = z.object({
    name: z.string().min(2, "must be 2 to 50 characters").max(50, "must be 2 to 50 characters"),
    summary: z.string().min(1, "must not be empty").max(160, "must be at most 160 characters"),
    description: z.string().min(1, "must not be empty").max(4000, "must be at most 4000 characters"),
    examplePhrases: z
      .array(z.string().max(200, "must be at most 200 characters"))
      .min(1, "needs at least one example phrase")
      .max(3, "certification accepts at most three example phrases"),
    keywords: z
      .array(z.string().min(1).max(150, "must be at most 150 characters"))
      .max(30, "at most 30 keywords"),
    smallIconUri: iconUri,
    largeIconUri: iconUri,
    updatesDescription: z.string().max(4000, "must be at most 4000 characters").optional(),
  });
  return z.object({
    manifest: z.object({
      manifestVersion: z.literal("1.0", { error: 'must be "1.0"' }),
      publishingInformation: z.object({
        locales: z.record(z.string().regex(LOCALE, "must be a locale such as en-US"), localized),
        isAvailableWorldwide: z.boolean(),
        distributionCountries: z.array(
          z.enum(distributionCountries() as [string, ...string[]], {
            error: "must be an ISO 3166 country code the Skill Management API knows, e.g. US",
          }),
        ),
        category: z.enum(CATEGORIES, { error: "must be one of the skill store categories, e.g. NOVELTY" }),
        testingInstructions: z
          .string()
          .min(1, "certification needs testing instructions")
          .max(4000, "must be at most 4000 characters"),
        distributionMode: z.enum(["PRIVATE", "PUBLIC"]).optional(),
      }),
      privacyAndCompliance: z.object({
        allowsPurchases: z.boolean(),
        usesPersonalInfo: z.boolean(),
        isChildDirected: z.boolean(),
        isExportCompliant: z.boolean(),
        containsAds: z.boolean(),
        usesHealthInfo: z.boolean().optional(),
        locales: z.record(
          z.string().regex(LOCALE, "must be a locale such as en-US"),
          z.object({ privacyPolicyUrl: https.optional(), termsOfUseUrl: https.optional() }),
        ),
      }),
      // The smart-home API's own fields are the "skill-kind" rule's (smart-home.ts).
      apis:
        kind.manifestApi === "custom"
          ? z.object({
              custom: z.object({
                interfaces: z.array(z.object({ type: z.string().min(1) })).optional(),
              }),
            })
          : z.object({}),
    }),
  });
}

/** Checks `skill.json` as the manifest of a `kind` skill and returns the facts other rules need. */
export function lintManifest(
  pkg: SkillPackage,
  problems: Problem[],
  kind: SkillKind = skillKind("custom"),
): ManifestFacts {
  const file = join(pkg.root, "skill.json");
  const at = (message: string, steps: (string | number)[], severity: Problem["severity"] = "error") =>
    problems.push({ severity, rule: "manifest", file, path: jsonPath(steps), message });

  const parsed = manifestSchema(kind).safeParse(pkg.manifest, { reportInput: true });
  if (!parsed.success) problems.push(...fromZodIssues(parsed.error.issues, file, "manifest"));

  const manifest = isRecord(pkg.manifest.manifest) ? pkg.manifest.manifest : {};
  const publishing = isRecord(manifest.publishingInformation) ? manifest.publishingInformation : {};
  const publishingLocales = isRecord(publishing.locales) ? publishing.locales : {};
  const locales = Object.keys(publishingLocales).sort();
  if (isRecord(publishing.locales) && locales.length === 0) {
    at("needs at least one locale", ["manifest", "publishingInformation", "locales"]);
  }
  if (
    publishing.isAvailableWorldwide === false &&
    Array.isArray(publishing.distributionCountries) &&
    publishing.distributionCountries.length === 0
  ) {
    at("must list at least one country when isAvailableWorldwide is false", [
      "manifest",
      "publishingInformation",
      "distributionCountries",
    ]);
  }

  const privacy = isRecord(manifest.privacyAndCompliance) ? manifest.privacyAndCompliance : {};
  if (privacy.isExportCompliant === false) {
    at("must be true: a skill that is not export compliant cannot be published", [
      "manifest",
      "privacyAndCompliance",
      "isExportCompliant",
    ]);
  }
  const privacyLocales = isRecord(privacy.locales) ? privacy.locales : {};
  for (const locale of locales) {
    const entry = privacyLocales[locale];
    if (!isRecord(entry) || entry.privacyPolicyUrl === undefined) {
      at(`needs a privacy policy URL for ${locale} (every published locale links to one)`, [
        "manifest",
        "privacyAndCompliance",
        "locales",
        locale,
        "privacyPolicyUrl",
      ]);
    }
  }

  const interfaces: string[] = [];
  const custom = isRecord(manifest.apis) && isRecord(manifest.apis.custom) ? manifest.apis.custom : {};
  if (Array.isArray(custom.interfaces)) {
    custom.interfaces.forEach((entry: unknown, i) => {
      const type = isRecord(entry) ? entry.type : undefined;
      if (typeof type !== "string") return;
      interfaces.push(type);
      if (!(INTERFACE_TYPES as readonly string[]).includes(type)) {
        at(
          `unknown interface type "${type}": the Skill Management API knows ${INTERFACE_TYPES.join(", ")}`,
          ["manifest", "apis", "custom", "interfaces", i, "type"],
          "warning",
        );
      }
    });
  }
  if (custom.endpoint !== undefined) {
    at(
      "the endpoint is filled at deploy time from the stack outputs; the one in the file is replaced",
      ["manifest", "apis", "custom", "endpoint"],
      "warning",
    );
  }

  const examplePhrases: Record<string, string[]> = {};
  for (const locale of locales) {
    const entry = publishingLocales[locale];
    const phrases = isRecord(entry) && Array.isArray(entry.examplePhrases) ? entry.examplePhrases : [];
    examplePhrases[locale] = phrases.filter((phrase): phrase is string => typeof phrase === "string");
    if (isRecord(entry) && Array.isArray(entry.keywords) && entry.keywords.length === 0) {
      at(
        "no keywords: customers find skills in the store through them",
        ["manifest", "publishingInformation", "locales", locale, "keywords"],
        "warning",
      );
    }
  }
  return { file, locales, interfaces, examplePhrases };
}
