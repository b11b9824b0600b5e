/**
 * Which of Alexa's three regions serves each locale. A user's requests go to the endpoint of the region their
 * locale belongs to: a manifest that publishes a locale without an endpoint for its region is never called for
 * those users. The regions themselves and the AWS region each one's function lives in are the contract
 * `contracts/alexa-regions.ts` shares with the stack; they are re-exported here for the lint rules.
 */

import type { AlexaRegion } from "../../../contracts/alexa-regions";

export { ALEXA_REGIONS, AWS_REGION_OF, type AlexaRegion } from "../../../contracts/alexa-regions";

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
export function alexaRegionOfLocale(locale: string): AlexaRegion | undefined {
  return ALEXA_REGION_OF_LOCALE[locale];
}
