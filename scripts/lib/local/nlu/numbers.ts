/**
 * Number words for the AMAZON.NUMBER slot in the four languages of the skill, 0 to 100.
 * Hand-written: no npm package converts number words of English, German, French and Spanish offline.
 */
import { normalizeText } from "./normalize";

type Speller = (n: number) => string[];

const en: Speller = (n) => {
  const ones =
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split(
      " ",
    );
  const tens = ",,twenty,thirty,forty,fifty,sixty,seventy,eighty,ninety".split(",");
  if (n < 20) return [ones[n]];
  if (n === 100) return ["one hundred", "a hundred", "hundred"];
  return [n % 10 === 0 ? tens[n / 10] : `${tens[Math.floor(n / 10)]} ${ones[n % 10]}`];
};

const de: Speller = (n) => {
  const ones =
    "null eins zwei drei vier fünf sechs sieben acht neun zehn elf zwölf dreizehn vierzehn fünfzehn sechzehn siebzehn achtzehn neunzehn".split(
      " ",
    );
  const tens = ",,zwanzig,dreißig,vierzig,fünfzig,sechzig,siebzig,achtzig,neunzig".split(",");
  if (n === 1) return ["eins", "ein", "eine", "einen", "einem", "einer"];
  if (n === 2) return ["zwei", "zwo"];
  if (n < 20) return [ones[n]];
  if (n === 100) return ["hundert", "einhundert"];
  const unit = n % 10 === 1 ? "ein" : ones[n % 10];
  return [n % 10 === 0 ? tens[n / 10] : `${unit}und${tens[Math.floor(n / 10)]}`];
};

const fr: Speller = (n) => {
  const ones =
    "zéro un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize dix-sept dix-huit dix-neuf".split(
      " ",
    );
  const tens = ",,vingt,trente,quarante,cinquante,soixante".split(",");
  if (n === 1) return ["un", "une"];
  if (n < 20) return [ones[n]];
  if (n === 100) return ["cent"];
  if (n >= 80) return n === 80 ? ["quatre-vingts", "quatre-vingt"] : [`quatre-vingt-${ones[n - 80]}`];
  if (n >= 60) {
    const rest = n - 60;
    if (rest === 0) return ["soixante"];
    return [rest === 11 ? "soixante et onze" : rest === 1 ? "soixante et un" : `soixante-${ones[rest]}`];
  }
  const ten = tens[Math.floor(n / 10)];
  const unit = n % 10;
  if (unit === 0) return [ten];
  return unit === 1 ? [`${ten} et un`, `${ten} et une`] : [`${ten}-${ones[unit]}`];
};

const es: Speller = (n) => {
  const ones =
    "cero uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince dieciséis diecisiete dieciocho diecinueve".split(
      " ",
    );
  const twenties =
    "veinte veintiuno veintidós veintitrés veinticuatro veinticinco veintiséis veintisiete veintiocho veintinueve".split(
      " ",
    );
  const tens = ",,,treinta,cuarenta,cincuenta,sesenta,setenta,ochenta,noventa".split(",");
  if (n === 1) return ["uno", "un", "una"];
  if (n < 20) return [ones[n]];
  if (n === 21) return ["veintiuno", "veintiún", "veintiuna"];
  if (n < 30) return [twenties[n - 20]];
  if (n === 100) return ["cien"];
  const ten = tens[Math.floor(n / 10)];
  const unit = n % 10;
  if (unit === 0) return [ten];
  return unit === 1 ? [`${ten} y uno`, `${ten} y un`, `${ten} y una`] : [`${ten} y ${ones[unit]}`];
};

const spellers: Record<string, Speller | undefined> = { en, de, fr, es };
const tables = new Map<string, Map<string, number>>();

function tableFor(language: string): Map<string, number> {
  let table = tables.get(language);
  if (!table) {
    table = new Map();
    const speller = spellers[language];
    if (speller) {
      for (let n = 0; n <= 100; n += 1) {
        for (const word of speller(n)) table.set(normalizeText(word), n);
      }
    }
    tables.set(language, table);
  }
  return table;
}

/**
 * The number a slot value says, as Alexa fills AMAZON.NUMBER: digits ("12") or number words of the language
 * ("twelve", "zwölf", "douze", "doce"); undefined when it is not a number.
 */
export function parseNumber(text: string, language: string): number | undefined {
  const normalized = normalizeText(text);
  if (/^\d+$/.test(normalized)) return Number(normalized);
  return tableFor(language).get(normalized);
}

/** The words for `n` (0 to 100) in the language, the first being the usual one; empty for an unknown language. */
export function numberWords(n: number, language: string): string[] {
  const speller = spellers[language];
  return speller && Number.isInteger(n) && n >= 0 && n <= 100 ? speller(n) : [];
}
