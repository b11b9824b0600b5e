import { MESSAGES, resolveLocale, SUPPORTED_LOCALES, translatorFor } from "../../skill/i18n";

describe("translations", () => {
  const keys = Object.keys(MESSAGES["en-US"]).sort();

  it.each(SUPPORTED_LOCALES)("%s has every string, none empty", (locale) => {
    expect(Object.keys(MESSAGES[locale]).sort()).toEqual(keys);
    for (const key of keys)
      expect(MESSAGES[locale][key as keyof (typeof MESSAGES)["en-US"]].trim()).not.toBe("");
  });

  it.each(["de-DE", "fr-FR", "es-ES"] as const)("%s is translated, not copied from English", (locale) => {
    for (const key of keys) {
      const k = key as keyof (typeof MESSAGES)["en-US"];
      expect(MESSAGES[locale][k]).not.toBe(MESSAGES["en-US"][k]);
    }
  });

  it("keeps placeholders in every translation", () => {
    for (const locale of SUPPORTED_LOCALES) expect(MESSAGES[locale].clipNotFound).toContain("{{number}}");
  });

  it("escapes interpolated values, which land in SSML", () => {
    expect(translatorFor("en-US")("clipNotFound", { number: "<7&>" })).toBe(
      "There's no clip number &lt;7&amp;&gt;, so here's a random one.",
    );
  });

  it("resolves a locale to the closest supported one", () => {
    expect(resolveLocale("fr-FR")).toBe("fr-FR");
    expect(resolveLocale("fr-CA")).toBe("fr-FR");
    expect(resolveLocale("es-MX")).toBe("es-ES");
    expect(resolveLocale("ja-JP")).toBe("en-US");
    expect(resolveLocale(undefined)).toBe("en-US");
  });
});
