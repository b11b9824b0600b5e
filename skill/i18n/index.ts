import rosetta from "rosetta";
import { deDE } from "./locales/de-DE";
import { enGB } from "./locales/en-GB";
import { enUS } from "./locales/en-US";
import { esES } from "./locales/es-ES";
import { frFR } from "./locales/fr-FR";
import type { MessageKey, Messages } from "./messages";

export type { MessageKey, Messages } from "./messages";

/** The locales Jokebox speaks, the first being the fallback. */
export const SUPPORTED_LOCALES = ["en-US", "en-GB", "de-DE", "fr-FR", "es-ES"] as const;

/** One of {@link SUPPORTED_LOCALES}. */
export type SupportedLocale = (typeof SUPPORTED_LOCALES)[number];

/** The strings of every locale, for tests and tools that check the translations. */
export const MESSAGES: Readonly<Record<SupportedLocale, Messages>> = {
  "en-US": enUS,
  "en-GB": enGB,
  "de-DE": deDE,
  "fr-FR": frFR,
  "es-ES": esES,
};

// rosetta (300 bytes) rather than i18next: the same `{{name}}` placeholders, without i18next's 43 KB, which a
// cold start parses and initialises for five languages (about 5 ms of a fresh process).
const i18n = rosetta<Messages>({ ...MESSAGES });

const XML_ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
};

/** A value for an SSML message: `&`, `<`, `>` and quotes would break the speech markup. */
function escapeForSsml(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (c) => XML_ESCAPES[c]);
}

/**
 * The supported locale closest to the request's: the same locale, else one of the same language (`en-AU` →
 * `en-US`, `de-AT` → `de-DE`), else en-US.
 */
export function resolveLocale(locale: string | undefined): SupportedLocale {
  if (locale === undefined) return SUPPORTED_LOCALES[0];
  const exact = SUPPORTED_LOCALES.find((supported) => supported.toLowerCase() === locale.toLowerCase());
  if (exact !== undefined) return exact;
  const language = locale.split("-")[0].toLowerCase();
  return SUPPORTED_LOCALES.find((supported) => supported.startsWith(`${language}-`)) ?? SUPPORTED_LOCALES[0];
}

/** Translates a message key, interpolating `{{name}}` placeholders. */
export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

/** A translator bound to the locale closest to `locale`. */
export function translatorFor(locale: string | undefined): Translate {
  const language = resolveLocale(locale);
  return (key, values) => {
    const escaped = Object.fromEntries(
      Object.entries(values ?? {}).map(([name, v]) => [name, escapeForSsml(v)]),
    );
    return i18n.t(key, escaped, language);
  };
}
