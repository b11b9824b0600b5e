/** JSON files people edit by hand: parsed with the line and column of a syntax error, never a bare offset. */
import { readFileSync } from "node:fs";
import { ConfigError } from "./errors";

/** A parse: the value, or a message naming the file, line and column, and the parser's error. */
export type Parsed = { ok: true; value: unknown } | { ok: false; message: string; error: unknown };

/** Parses `raw` (a byte-order mark is allowed), naming `file` in the message when it is not JSON. */
export function parseJson(file: string, raw: string): Parsed {
  const text = raw.replace(/^\uFEFF/, "");
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const reason = (error as Error).message;
    return { ok: false, message: `${file} is not valid JSON${location(text, reason)}: ${reason}`, error };
  }
}

/** Reads and parses a JSON file; a missing, unreadable or malformed file is a {@link ConfigError} naming it. */
export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigError(`${file} cannot be read: ${(error as Error).message}`, { cause: error });
  }
  const parsed = parseJson(file, text);
  if (!parsed.ok) throw new ConfigError(parsed.message, { cause: parsed.error });
  return parsed.value;
}

// JSON.parse reports a character offset (Node 20) or a line and column (Node 22); people need the line and column.
function location(text: string, reason: string): string {
  const lineColumn = /line (\d+) column (\d+)/.exec(reason);
  if (lineColumn) return ` at line ${lineColumn[1]}, column ${lineColumn[2]}`;
  const position = /position (\d+)/.exec(reason);
  if (position) {
    const before = text.slice(0, Number(position[1]));
    const lines = before.split("\n");
    return ` at line ${lines.length}, column ${lines[lines.length - 1].length + 1}`;
  }
  if (/end of JSON input/.test(reason)) {
    const lines = text.split("\n");
    return ` at line ${lines.length}, column ${lines[lines.length - 1].length + 1}`;
  }
  return "";
}
