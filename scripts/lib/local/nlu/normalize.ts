/**
 * Text normalisation shared by utterances, sample utterances, invocation names and phrase lists, so that they
 * compare the way Alexa's recogniser hears them: case, accents, punctuation and hyphens do not matter.
 */

/**
 * Lower case, diacritics removed ("öffne" → "offne", "boîte" → "boite"), hyphens as spaces, punctuation dropped
 * (apostrophes kept: "qu'est", "what's"), whitespace collapsed.
 */
export function normalizeText(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLocaleLowerCase("en-US")
    .replace(/[’‘`´]/g, "'")
    .replace(/[-‐–—_/]/g, " ")
    .replace(/[^\p{L}\p{N}' ]/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** Escapes a string for use inside a RegExp. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
