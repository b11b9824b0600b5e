/**
 * Rule "invocation-name": the invocation name requirements of Alexa's documentation ("Choose the Invocation Name
 * for a Custom Skill"): lowercase letters of the skill's language, spaces, possessive apostrophes and periods of
 * abbreviations only; two words or more (a brand, or in German a compound word, may be one); no article or
 * preposition in a two-word name; no wake word, launch phrase or connecting word; not "skill" or "app".
 */
import { invocationNamePath, type ModelView } from "./model";
import { jsonPath, type Problem, type Severity } from "./types";

interface LanguageRules {
  /** Lowercase letters the language writes with, as a regular expression character class body. */
  letters: string;
  language: string;
  /** Words that make a two-word name too generic. */
  articles: readonly string[];
  /** Words Alexa treats as the start of an invocation ("open", "ask", …). */
  launchWords: readonly string[];
  /** Words Alexa treats as joining the name to a request; documented for English only. */
  connectingWords: readonly string[];
  /** Words that say "skill" or "app". */
  skillWords: readonly string[];
  /** True where a one-word compound is allowed (German). */
  compoundsAllowed: boolean;
}

const RULES: Record<string, LanguageRules> = {
  en: {
    language: "English",
    letters: "a-z",
    articles: ["the", "a", "an", "for", "to", "of", "about", "up", "by", "at", "off", "with", "my", "your"],
    launchWords: [
      "ask",
      "begin",
      "do",
      "enable",
      "launch",
      "load",
      "open",
      "play",
      "resume",
      "run",
      "start",
      "talk",
      "tell",
      "use",
    ],
    connectingWords: [
      "to",
      "from",
      "in",
      "using",
      "with",
      "about",
      "for",
      "that",
      "by",
      "if",
      "and",
      "whether",
    ],
    skillWords: ["skill", "skills", "app", "apps", "application"],
    compoundsAllowed: false,
  },
  de: {
    language: "German",
    letters: "a-zäöüß",
    articles: [
      "der",
      "die",
      "das",
      "den",
      "dem",
      "ein",
      "eine",
      "einen",
      "für",
      "zu",
      "von",
      "mit",
      "mein",
      "meine",
    ],
    launchWords: [
      "öffne",
      "starte",
      "frage",
      "frag",
      "sage",
      "beginne",
      "aktiviere",
      "lade",
      "spiele",
      "benutze",
    ],
    connectingWords: [],
    skillWords: ["skill", "skills", "app", "apps", "anwendung"],
    compoundsAllowed: true,
  },
  fr: {
    language: "French",
    letters: "a-zàâæçéèêëîïôœùûüÿ",
    articles: ["le", "la", "les", "un", "une", "des", "du", "de", "pour", "à", "au", "mon", "ma", "mes"],
    launchWords: [
      "ouvre",
      "lance",
      "démarre",
      "demande",
      "dis",
      "joue",
      "commence",
      "active",
      "utilise",
      "charge",
    ],
    connectingWords: [],
    skillWords: ["skill", "skills", "app", "apps", "application"],
    compoundsAllowed: false,
  },
  es: {
    language: "Spanish",
    letters: "a-záéíñóúü",
    articles: ["el", "la", "los", "las", "un", "una", "de", "del", "para", "a", "al", "con", "mi", "mis"],
    launchWords: [
      "abre",
      "inicia",
      "empieza",
      "lanza",
      "pregunta",
      "pide",
      "dile",
      "juega",
      "activa",
      "usa",
      "comienza",
    ],
    connectingWords: [],
    skillWords: ["skill", "skills", "app", "apps", "aplicación", "aplicacion"],
    compoundsAllowed: false,
  },
};

/** Wake words Alexa devices answer to: a name containing one would wake the device instead. */
const WAKE_WORDS = ["alexa", "amazon", "echo", "computer", "ziggy"];

/** Checks the invocation name of one locale's model. */
export function lintInvocationName(model: ModelView, problems: Problem[]): void {
  const name = model.invocationName;
  if (name === undefined) return; // the model rule already reported it
  const path = jsonPath(invocationNamePath);
  const report = (message: string, severity: Severity = "error") =>
    problems.push({
      severity,
      rule: "invocation-name",
      file: model.file,
      path,
      message: `"${name}" ${message}`,
    });

  const rules = RULES[model.locale.slice(0, 2)];
  if (name.trim() === "") {
    report("is empty: every custom skill needs an invocation name");
    return;
  }
  if (name !== name.trim() || /\s{2,}/.test(name) || /[^\S ]/.test(name)) {
    report("must be words separated by single spaces, without leading or trailing spaces");
  }
  if (name !== name.toLowerCase()) report("must be all lowercase");
  if (/\d/.test(name)) report('must spell numbers out (e.g. "twenty one", not "21")');

  const letters = rules ? `[${rules.letters}]` : "\\p{Ll}";
  const allowed = new RegExp(`^(?:${letters}|[ '’.])$`, "u");
  const strangers = [...new Set([...name.toLowerCase()].filter((c) => !/\d/.test(c) && !allowed.test(c)))];
  if (strangers.length > 0) {
    report(
      `contains ${strangers.map((c) => `"${c}"`).join(", ")}: only ${rules ? `${rules.language} ` : ""}letters, ` +
        "spaces, possessive apostrophes and periods of abbreviations are allowed",
    );
  }

  const words = name.toLowerCase().trim().split(/\s+/);
  const token = new RegExp(`^(?:${letters}+(?:['’]${letters}+)?|${letters}\\.)$`, "u");
  for (const word of words) {
    if (/['’.]/.test(word) && !token.test(word)) {
      report(
        `has "${word}": apostrophes belong inside a word ("sam's") and periods after a single letter of an abbreviation ("a. b. c.")`,
      );
    }
  }

  if (words.length === 1) {
    if (rules?.compoundsAllowed) {
      report("is one word: allowed only for a compound of two or more words, or a brand you own", "warning");
    } else {
      report("is one word: invocation names need two or more words unless the word is a brand you own");
    }
  }
  if (rules && words.length === 2) {
    const generic = words.filter((word) => rules.articles.includes(word));
    if (generic.length > 0) {
      report(
        `is two words and one is an article or preposition ("${generic.join('", "')}"): add a word or pick another`,
      );
    }
  }
  const wake = words.filter((word) => WAKE_WORDS.includes(word.replace(/['’]s$/, "")));
  if (wake.length > 0) report(`contains the wake word "${wake[0]}"`);
  if (rules) {
    const launch = words.filter((word) => rules.launchWords.includes(word));
    if (launch.length > 0)
      report(`contains the launch phrase "${launch[0]}", which Alexa reads as the start of a request`);
    const connecting = words.filter((word) => rules.connectingWords.includes(word));
    if (connecting.length > 0) {
      report(
        `contains the connecting word "${connecting[0]}", which Alexa reads as the start of the request`,
      );
    }
    const skill = words.filter((word) => rules.skillWords.includes(word));
    if (skill.length > 0) report(`contains "${skill[0]}": invocation names must not say "skill" or "app"`);
  }
}
