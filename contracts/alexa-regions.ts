/**
 * Alexa's three regions: the contract between the stack configuration (`skillship:alexaRegions`, validated by
 * `infra/config.ts`), the stack's `alexaRegions` output (`infra/stack.ts`) and the CLI, which reads that output
 * (`scripts/lib/stack/outputs.ts`) to fill the manifest's regional endpoints and to release in every region. The
 * region of each locale is here too: the lint checks a manifest's endpoints against it, and a smart-home stack
 * without `alexaRegions` serves the regions of its package's locales. It imports nothing.
 *
 * Alexa sends a user's request to the endpoint of that user's region; a smart-home skill's Lambda function must
 * live in the AWS region Amazon pairs with it (developer.amazon.com, "Deploy your Lambda function to multiple
 * regions"): NA us-east-1, EU eu-west-1, FE us-west-2. Custom skills may use any AWS region; Skillship deploys
 * them to the same ones, the regions nearest to Alexa's own.
 */

/** The Alexa regions, in the order Amazon lists them. */
export const ALEXA_REGIONS = ["NA", "EU", "FE"] as const;

/** One of Alexa's regions: North America, Europe and India, Far East. */
export type AlexaRegion = (typeof ALEXA_REGIONS)[number];

/** The AWS region each Alexa region's function lives in. */
export const AWS_REGION_OF: Readonly<Record<AlexaRegion, string>> = {
  NA: "us-east-1",
  EU: "eu-west-1",
  FE: "us-west-2",
};

/** The Alexa region whose functions live in `awsRegion`, if any. */
export function alexaRegionOf(awsRegion: string | undefined): AlexaRegion | undefined {
  return ALEXA_REGIONS.find((region) => AWS_REGION_OF[region] === awsRegion);
}

/**
 * Parses a list of Alexa regions (`NA,EU,FE`, or a JSON list), in Amazon's order without repeats. Returns every
 * problem instead of throwing, so the stack configuration can report them with its other keys.
 */
export function parseAlexaRegions(value: string): { regions: AlexaRegion[]; problems: string[] } {
  let items: unknown;
  try {
    items = JSON.parse(value);
  } catch {
    items = value.split(",");
  }
  if (!Array.isArray(items)) {
    return { regions: [], problems: ['expected a list of Alexa regions such as "NA,EU,FE"'] };
  }
  const problems: string[] = [];
  const seen = new Set<AlexaRegion>();
  for (const item of items) {
    const name = String(item).trim();
    if ((ALEXA_REGIONS as readonly string[]).includes(name)) {
      seen.add(name as AlexaRegion);
    } else {
      problems.push(`"${name}" is not an Alexa region: expected NA, EU or FE`);
    }
  }
  if (problems.length === 0 && seen.size === 0) {
    problems.push('expected at least one Alexa region such as "NA,EU,FE"');
  }
  return { regions: ALEXA_REGIONS.filter((region) => seen.has(region)), problems };
}

/**
 * The Alexa region of each locale Alexa supports. A user's requests go to the endpoint of the region their locale
 * belongs to: a manifest that publishes a locale without an endpoint for its region is never called for those users.
 */
export const ALEXA_REGION_OF_LOCALE: Readonly<Record<string, AlexaRegion>> = {
  "en-US": "NA",
  "en-CA": "NA",
  "fr-CA": "NA",
  "es-US": "NA",
  "es-MX": "NA",
  "pt-BR": "NA",
  "en-GB": "EU",
  "en-IN": "EU",
  "hi-IN": "EU",
  "de-DE": "EU",
  "fr-FR": "EU",
  "es-ES": "EU",
  "it-IT": "EU",
  "nl-NL": "EU",
  "ar-SA": "EU",
  "en-AU": "FE",
  "ja-JP": "FE",
};

/** The region of `locale`, or undefined for a locale Alexa does not support. */
export function alexaRegionOfLocale(locale: string): AlexaRegion | undefined {
  return Object.hasOwn(ALEXA_REGION_OF_LOCALE, locale) ? ALEXA_REGION_OF_LOCALE[locale] : undefined;
}

/**
 * The regions that serve `locales`, in Amazon's order, each with the locales it serves; `unknown` lists the locales
 * no region serves (a new locale this table does not know yet, or a typing mistake).
 */
export function alexaRegionsOfLocales(locales: readonly string[]): {
  regions: { alexaRegion: AlexaRegion; locales: string[] }[];
  unknown: string[];
} {
  const unknown: string[] = [];
  const served = new Map<AlexaRegion, string[]>();
  for (const locale of locales) {
    const region = alexaRegionOfLocale(locale);
    if (region === undefined) unknown.push(locale);
    else served.set(region, [...(served.get(region) ?? []), locale]);
  }
  return {
    regions: ALEXA_REGIONS.filter((region) => served.has(region)).map((alexaRegion) => ({
      alexaRegion,
      locales: served.get(alexaRegion)!,
    })),
    unknown,
  };
}
