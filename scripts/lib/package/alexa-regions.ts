/**
 * Alexa's three regions: which one serves each locale, and the AWS region a smart-home skill's Lambda function
 * must live in for each (Amazon, "Deploy your Lambda function to multiple regions" of the smart-home
 * documentation). A user's requests go to the endpoint of the region their locale belongs to: a manifest that
 * publishes a locale without an endpoint for its region is never called for those users.
 */

/** The regions a manifest may give endpoints for (`apis.<api>.regions.<region>`). */
export const ALEXA_REGIONS = ["NA", "EU", "FE"] as const;

/** One of Alexa's regions. */
export type AlexaRegion = (typeof ALEXA_REGIONS)[number];

/** The AWS region Alexa invokes a smart-home skill's function in, per Alexa region. */
export const SMART_HOME_AWS_REGION: Readonly<Record<AlexaRegion, string>> = {
  NA: "us-east-1",
  EU: "eu-west-1",
  FE: "us-west-2",
};

/** The Alexa region of each locale Alexa supports. */
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
export function alexaRegionOf(locale: string): AlexaRegion | undefined {
  return ALEXA_REGION_OF_LOCALE[locale];
}
