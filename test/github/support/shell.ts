/**
 * Splits the `run:` script of a workflow step into the simple commands it runs, so a test can check that each one
 * exists. Hand-written because no shell parser is among our dependencies and the workflows keep to a small subset
 * of bash on purpose: words, quotes, `$VAR`, `${VAR}`, `${VAR:+words}`, `$(…)`, redirections, pipes, `&&`, `||`,
 * `;`, assignments and `for … in …; do …; done`. Anything else (`if`, `case`, functions, subshells, backticks) is
 * refused with an error, so a workflow that grows past the subset fails the test instead of being checked loosely.
 */

/** One word of a command line. */
export interface Word {
  /** The word as written, quotes removed. */
  readonly text: string;
  /** True when the word's value is only known at run time (it expands a variable or a command substitution). */
  readonly dynamic: boolean;
}

/** One simple command: its words after assignments and redirections are taken away. */
export interface SimpleCommand {
  readonly words: readonly Word[];
}

/** A script that leaves the subset this parser understands. */
export class UnsupportedShellError extends Error {}

type Token = { kind: "word"; word: Word } | { kind: "separator" } | { kind: "redirect" };

const REDIRECT = /^(\d*)(>>|>&|>|<<<|<|&>)/;
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
const UNSUPPORTED_KEYWORDS = new Set([
  "if",
  "then",
  "elif",
  "else",
  "fi",
  "case",
  "esac",
  "while",
  "until",
  "function",
]);

/** Every simple command of the script, including those inside `$(…)`, in order of appearance. */
export function simpleCommands(script: string): SimpleCommand[] {
  const commands: SimpleCommand[] = [];
  const tokens = tokenize(script.replace(/\\\n/g, " "), commands);
  let current: Word[] = [];
  let expectRedirectTarget = false;
  const flush = (): void => {
    const words = stripKeywords(current);
    if (words.length > 0) commands.push({ words });
    current = [];
  };
  for (const token of tokens) {
    if (token.kind === "separator") {
      if (expectRedirectTarget)
        throw new UnsupportedShellError(`a redirection without a target in: ${script}`);
      flush();
    } else if (token.kind === "redirect") {
      expectRedirectTarget = true;
    } else if (expectRedirectTarget) {
      expectRedirectTarget = false;
    } else {
      current.push(token.word);
    }
  }
  if (expectRedirectTarget) throw new UnsupportedShellError(`a redirection without a target in: ${script}`);
  flush();
  return commands;
}

// `for NAME in WORDS` runs nothing itself; `do` and `done` only frame the loop body; leading assignments set
// variables. What remains is the command that runs.
function stripKeywords(words: Word[]): Word[] {
  const first = words[0]?.text;
  if (first === undefined) return [];
  if (UNSUPPORTED_KEYWORDS.has(first) || first === "{" || first === "(" || first.endsWith("()")) {
    throw new UnsupportedShellError(`unsupported shell construct "${first}"`);
  }
  if (first === "for") {
    if (words.length < 3 || words[2]?.text !== "in") {
      throw new UnsupportedShellError(`a for loop must read "for NAME in WORDS": ${describe(words)}`);
    }
    return [];
  }
  if (first === "done") {
    if (words.length > 1) throw new UnsupportedShellError(`words after "done": ${describe(words)}`);
    return [];
  }
  let rest = first === "do" ? words.slice(1) : words;
  while (rest.length > 0 && ASSIGNMENT.test(rest[0]!.text)) rest = rest.slice(1);
  return rest;
}

function describe(words: Word[]): string {
  return words.map((w) => w.text).join(" ");
}

function tokenize(script: string, commands: SimpleCommand[]): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let text = "";
  let dynamic = false;
  let inWord = false;
  const endWord = (): void => {
    if (inWord) tokens.push({ kind: "word", word: { text, dynamic } });
    text = "";
    dynamic = false;
    inWord = false;
  };
  const expandDollar = (quoted: boolean): void => {
    // At script[i] === "$".
    const next = script[i + 1];
    if (next === "(") {
      const end = matchingParen(script, i + 1);
      commands.push(...simpleCommands(script.slice(i + 2, end)));
      text += "$(…)";
      dynamic = true;
      inWord = true;
      i = end + 1;
      return;
    }
    if (next === "{") {
      const end = script.indexOf("}", i + 2);
      if (end < 0) throw new UnsupportedShellError(`an unclosed \${ in: ${script}`);
      const body = script.slice(i + 2, end);
      const alternate = /^([A-Za-z_][A-Za-z0-9_]*):\+(.*)$/s.exec(body);
      i = end + 1;
      if (alternate && !quoted) {
        // `${VAR:+words}` expands to the words when VAR is set: check them as if they were always there.
        endWord();
        for (const token of tokenize(alternate[2]!, commands)) {
          if (token.kind !== "word") throw new UnsupportedShellError(`an operator inside \${${body}}`);
          tokens.push({ kind: "word", word: token.word });
        }
        return;
      }
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(body) && !/^[0-9#?@*]$/.test(body)) {
        throw new UnsupportedShellError(`unsupported parameter expansion \${${body}}`);
      }
      text += `\${${body}}`;
      dynamic = true;
      inWord = true;
      return;
    }
    const name = /^([A-Za-z_][A-Za-z0-9_]*|[0-9?#@*$!-])/.exec(script.slice(i + 1));
    if (name) {
      text += `$${name[1]}`;
      dynamic = true;
      inWord = true;
      i += 1 + name[1]!.length;
      return;
    }
    text += "$";
    inWord = true;
    i += 1;
  };

  while (i < script.length) {
    const c = script[i]!;
    if (c === "\n" || c === ";") {
      endWord();
      tokens.push({ kind: "separator" });
      i += 1;
    } else if (c === " " || c === "\t" || c === "\r") {
      endWord();
      i += 1;
    } else if (c === "#" && !inWord) {
      while (i < script.length && script[i] !== "\n") i += 1;
    } else if (c === "&" || c === "|") {
      const redirect = REDIRECT.exec(script.slice(i));
      if (c === "&" && redirect) {
        endWord();
        tokens.push({ kind: "redirect" });
        i += redirect[0].length;
        continue;
      }
      const op = script.slice(i, i + 2);
      if (c === "&" && op !== "&&") throw new UnsupportedShellError(`background jobs ("&") in: ${script}`);
      endWord();
      tokens.push({ kind: "separator" });
      i += op === "&&" || op === "||" ? 2 : 1;
    } else if (c === ">" || c === "<" || (/\d/.test(c) && !inWord && REDIRECT.test(script.slice(i)))) {
      const redirect = REDIRECT.exec(script.slice(i))!;
      endWord();
      i += redirect[0].length;
      if (redirect[2] === ">&") {
        // `2>&1`: the target is a descriptor, not a file word.
        const fd = /^\d+/.exec(script.slice(i));
        if (!fd)
          throw new UnsupportedShellError(`a descriptor redirection without a descriptor in: ${script}`);
        i += fd[0].length;
        continue;
      }
      tokens.push({ kind: "redirect" });
    } else if (c === "'") {
      const end = script.indexOf("'", i + 1);
      if (end < 0) throw new UnsupportedShellError(`an unclosed ' in: ${script}`);
      text += script.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      inWord = true;
      i += 1;
      while (i < script.length && script[i] !== '"') {
        if (script[i] === "\\" && i + 1 < script.length) {
          text += script[i + 1];
          i += 2;
        } else if (script[i] === "$") {
          expandDollar(true);
        } else if (script[i] === "`") {
          throw new UnsupportedShellError(`backticks in: ${script}`);
        } else {
          text += script[i];
          i += 1;
        }
      }
      if (i >= script.length) throw new UnsupportedShellError(`an unclosed " in: ${script}`);
      i += 1;
    } else if (c === "\\") {
      text += script[i + 1] ?? "";
      inWord = true;
      i += 2;
    } else if (c === "$") {
      expandDollar(false);
    } else if (c === "`" || c === "(" || c === ")") {
      throw new UnsupportedShellError(`unsupported "${c}" in: ${script}`);
    } else {
      text += c;
      inWord = true;
      i += 1;
    }
  }
  endWord();
  return tokens;
}

// Index of the ")" that closes the "(" at `open`, skipping quoted text and nested parentheses.
function matchingParen(script: string, open: number): number {
  let depth = 0;
  for (let i = open; i < script.length; i += 1) {
    const c = script[i];
    if (c === "'" || c === '"') {
      const end = script.indexOf(c, i + 1);
      if (end < 0) break;
      i = end;
    } else if (c === "(") {
      depth += 1;
    } else if (c === ")") {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  throw new UnsupportedShellError(`an unclosed $( in: ${script}`);
}
