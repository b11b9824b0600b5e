/**
 * Dialog files (`test/dialogs/*.yaml`): a locale and the turns of one conversation, each an utterance and what
 * the skill must answer. The format holds only what the Skill Management API's simulation reports too (intent,
 * speech, directive types, session end), so the same file runs offline and against a deployed skill.
 *
 * ```yaml
 * locale: de-DE
 * description: Start und Wiedergabe
 * turns:
 *   - say: "öffne witze kiste"
 *     expect: { intent: LaunchRequest, speech: "Willkommen", directives: [AudioPlayer.Play], sessionEnded: true }
 * ```
 */
import { readFile } from "node:fs/promises";
import { LineCounter, isNode, parseDocument, type Document } from "yaml";
import { z } from "zod";
import { ConfigError } from "../../core/errors";

/** What one turn expects; every field is optional. */
export interface TurnExpectation {
  /** The intent name, or the request type when there is no intent (e.g. "LaunchRequest"). */
  intent?: string;
  /** Case-insensitive substring of the output speech, or `/regex/flags`. */
  speech?: string;
  /** The directive types of the response, in order; `[]` means none. */
  directives?: string[];
  /** Whether the response ends the session. */
  sessionEnded?: boolean;
}

/** One turn of a dialog file. */
export interface DialogTurn {
  say: string;
  expect: TurnExpectation;
  /** 1-based line of the turn in its file, for reports. */
  line: number;
}

/** A parsed dialog file. */
export interface DialogFile {
  /** The path it was read from (as given), for reports. */
  file: string;
  locale: string;
  description?: string;
  turns: DialogTurn[];
}

const localePattern = /^[a-z]{2}-[A-Z]{2}$/;

const expectationSchema = z
  .object({
    intent: z.string().min(1).optional(),
    speech: z
      .string()
      .min(1)
      .refine((value) => regexError(value) === undefined, {
        error: (issue) => `not a valid /regex/flags: ${regexError(String(issue.input))}`,
      })
      .optional(),
    directives: z.array(z.string().min(1)).optional(),
    sessionEnded: z.boolean().optional(),
  })
  .strict();

const dialogSchema = z
  .object({
    locale: z.string().regex(localePattern, { error: "must be a locale such as en-US or de-DE" }),
    description: z.string().optional(),
    turns: z
      .array(
        z
          .object({
            say: z.string().trim().min(1, { error: "must be the utterance to say" }),
            expect: expectationSchema.optional(),
          })
          .strict(),
      )
      .min(1, { error: "must list at least one turn" }),
  })
  .strict();

/**
 * Parses the text of a dialog file. Throws a {@link ConfigError} listing every problem at once, each as
 * `file:line: field: what is wrong`.
 */
export function parseDialogFile(text: string, file: string): DialogFile {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: true });
  if (document.errors.length > 0) {
    const problems = document.errors.map(
      (error) => `${file}:${error.linePos?.[0].line ?? 1}: ${error.message.split("\n")[0]}`,
    );
    throw new ConfigError(`Dialog file ${file} is not valid YAML:\n  ${problems.join("\n  ")}`);
  }
  const parsed = dialogSchema.safeParse(document.toJS());
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const path = issue.path.map((key) => (typeof key === "symbol" ? String(key) : key));
      const keys = issue.code === "unrecognized_keys" ? issue.keys : [];
      const line = lineOf(document, lineCounter, keys.length > 0 ? [...path, keys[0]] : path);
      const field = formatPath(path) || "(top level)";
      const message = keys.length > 0 ? `unknown field(s) ${keys.join(", ")}` : issue.message;
      return `${file}:${line}: ${field}: ${message}`;
    });
    throw new ConfigError(
      `Dialog file ${file} has the wrong shape:\n  ${problems.join("\n  ")}\n` +
        "  (expected: locale, optional description, turns: [{ say, expect: { intent, speech, directives, sessionEnded } }])",
    );
  }
  return {
    file,
    locale: parsed.data.locale,
    description: parsed.data.description,
    turns: parsed.data.turns.map((turn, index) => ({
      say: turn.say,
      expect: turn.expect ?? {},
      line: lineOf(document, lineCounter, ["turns", index]),
    })),
  };
}

/** Reads and parses a dialog file; a missing file is a {@link ConfigError} naming it. */
export async function readDialogFile(file: string): Promise<DialogFile> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new ConfigError(`Cannot read dialog file ${file}: ${(error as Error).message}`, { cause: error });
  }
  return parseDialogFile(text, file);
}

/** Matches a speech expectation (substring, case-insensitive, or `/regex/flags`) against the speech said. */
export function speechMatches(expected: string, actual: string): boolean {
  const regex = asRegex(expected);
  if (regex) return regex.test(actual);
  return actual.toLocaleLowerCase().includes(expected.toLocaleLowerCase());
}

/** The expectation as a RegExp when it is written `/…/flags`, otherwise undefined. */
function asRegex(expected: string): RegExp | undefined {
  const match = /^\/(.+)\/([a-z]*)$/s.exec(expected);
  return match ? new RegExp(match[1], match[2]) : undefined;
}

function regexError(value: string): string | undefined {
  try {
    asRegex(value);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** The 1-based line of the node at `path`, or of its nearest existing ancestor (a missing field's parent). */
function lineOf(document: Document, lineCounter: LineCounter, path: readonly PropertyKey[]): number {
  for (let length = path.length; length >= 0; length -= 1) {
    const node = length === 0 ? document.contents : document.getIn(path.slice(0, length), true);
    const offset = isNode(node) ? node.range?.[0] : undefined;
    if (offset !== undefined) {
      // A map's range starts at its first key; for a missing key that is the best place to point at.
      return lineCounter.linePos(offset).line;
    }
  }
  return 1;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, index) => (typeof key === "number" ? `[${key}]` : `${index === 0 ? "" : "."}${String(key)}`))
    .join("");
}
