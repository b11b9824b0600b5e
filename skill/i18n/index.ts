import i18next from "i18next";
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

const i18n = i18next.createInstance();
void i18n.init({
  resources: Object.fromEntries(
    Object.entries(MESSAGES).map(([locale, messages]) => [locale, { translation: messages }]),
  ),
  lng: SUPPORTED_LOCALES[0],
  fallbackLng: SUPPORTED_LOCALES[0],
  supportedLngs: [...SUPPORTED_LOCALES],
  // Resources are inline, so initialising synchronously costs nothing and the translator is ready at import.
  initAsync: false,
  showSupportNotice: false,
  // Interpolated values land in SSML: escaping them keeps `&` and `<` from breaking the speech markup.
  interpolation: { escapeValue: true },
});

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
  const t = i18n.getFixedT(resolveLocale(locale));
  return (key, values) => t(key, values ?? {});
}
