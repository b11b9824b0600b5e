/**
 * The command lines of the documentation and their check against the real program: every `skillship …` line
 * (also as `npx skillship`, `node bin/skillship.js`, or an npm script that is the CLI) must name a command of the
 * commander program with flags it accepts, and every `npm run X` / `npm X` a script of package.json.
 *
 * Where lines come from: `sh` code blocks (whole commands, as people paste them) and code spans that start with
 * `skillship`, `npx skillship`, `node bin/skillship.js` or `npm` (references in prose, which may leave out a
 * required argument). In both, `[…]` marks what is optional and a word in capitals (`FILE`, `UTTERANCE...`) is a
 * placeholder whose value is not checked.
 */
import type { Command } from "commander";
import { checkCliArgs } from "../../github/support/cli-surface";
import { simpleCommands, type SimpleCommand, type Word } from "../../github/support/shell";
import type { MarkdownDoc } from "./markdown";

/** Info strings of the code blocks whose lines are commands to check. */
export const SHELL_LANGUAGES: ReadonlySet<string> = new Set(["sh", "bash", "shell", "console"]);

/** What the check needs: the npm scripts and the program `buildProgram()` makes. */
export interface DocContext {
  readonly scripts: Readonly<Record<string, string>>;
  readonly program: Command;
}

/** A `skillship` command line found in the docs: its command path and the flags it uses. */
export interface SkillshipUsage {
  /** "" for the program itself (`skillship --help`), else e.g. "release watch". */
  readonly path: string;
  readonly flags: string[];
}

/** The outcome of checking every command line of some docs. */
export interface DocCommandReport {
  readonly problems: string[];
  readonly usages: SkillshipUsage[];
}

const SPAN_COMMAND = /^(?:npx skillship|skillship|node bin\/skillship\.js|npm)(?:\s|$)/;
const CLI_SCRIPT = /^node bin\/skillship\.js(?:\s+(.*))?$/;
const PLACEHOLDER = /^[A-Z][A-Z0-9_]*(?:\.\.\.)?$/;
const NPM_BUILT_INS = new Set(["ci", "install", "i", "pack"]);
// npm runs these scripts without `run`.
const NPM_SHORTCUTS: Readonly<Record<string, string>> = {
  test: "test",
  t: "test",
  start: "start",
  stop: "stop",
};

/** Checks every command line of `docs`. */
export function checkDocCommands(docs: readonly MarkdownDoc[], context: DocContext): DocCommandReport {
  const problems: string[] = [];
  const usages: SkillshipUsage[] = [];
  const check = (text: string, where: string, strict: boolean): void => {
    let commands: SimpleCommand[];
    try {
      commands = simpleCommands(text.replace(/[[\]]/g, " "));
    } catch (error) {
      problems.push(`${where}: cannot read the command line (${(error as Error).message})`);
      return;
    }
    for (const command of commands) {
      const result = checkCommand(command.words.map(asPlaceholder), context, strict);
      problems.push(...result.problems.map((problem) => `${where}: ${problem}`));
      if (result.usage !== undefined) usages.push(result.usage);
    }
  };
  for (const doc of docs) {
    for (const block of doc.codeBlocks) {
      const where = `${doc.file}:${block.line}`;
      if (block.lang !== undefined && SHELL_LANGUAGES.has(block.lang)) {
        check(block.value, where, true);
      } else if (block.value.split("\n").some((line) => SPAN_COMMAND.test(line.trim()))) {
        problems.push(`${where}: a code block with commands must be marked sh, so its commands are checked`);
      }
    }
    for (const span of doc.codeSpans) {
      if (SPAN_COMMAND.test(span.value))
        check(span.value, `${doc.file}:${span.line} \`${span.value}\``, false);
    }
  }
  return { problems, usages };
}

// A capitalised word stands for a value the reader supplies: it is not checked against a flag's parser.
function asPlaceholder(word: Word): Word {
  return !word.dynamic && (PLACEHOLDER.test(word.text) || word.text.includes("…"))
    ? { text: word.text, dynamic: true }
    : word;
}

function checkCommand(
  words: readonly Word[],
  context: DocContext,
  strict: boolean,
): { problems: string[]; usage?: SkillshipUsage } {
  const [head, ...rest] = words;
  if (head?.text === "npx" && rest[0]?.text === "skillship")
    return checkSkillship(rest.slice(1), context, strict);
  if (head?.text === "node" && rest[0]?.text === "bin/skillship.js")
    return checkSkillship(rest.slice(1), context, strict);
  if (head?.text === "skillship") return checkSkillship(rest, context, strict);
  if (head?.text === "npm") return checkNpm(rest, context, strict);
  return { problems: [] };
}

function checkNpm(
  args: readonly Word[],
  context: DocContext,
  strict: boolean,
): { problems: string[]; usage?: SkillshipUsage } {
  const [verb, ...rest] = args;
  if (verb === undefined || verb.dynamic) return { problems: [] };
  if (NPM_BUILT_INS.has(verb.text)) return { problems: [] };
  const separator = rest.findIndex((word) => word.text === "--");
  const extra = separator < 0 ? [] : rest.slice(separator + 1);
  let name: Word | undefined;
  if (verb.text === "run" || verb.text === "run-script") {
    name = (separator < 0 ? rest : rest.slice(0, separator)).find((word) => !word.text.startsWith("-"));
    if (name === undefined) return { problems: [`npm ${verb.text} without a script name`] };
  } else if (NPM_SHORTCUTS[verb.text] !== undefined) {
    name = { text: NPM_SHORTCUTS[verb.text]!, dynamic: false };
  } else {
    return {
      problems: [
        `"npm ${verb.text}" is neither an npm command (ci, install, pack) nor a script of package.json`,
      ],
    };
  }
  if (name.dynamic) return { problems: [] };
  const script = context.scripts[name.text];
  if (script === undefined) {
    return {
      problems: [
        `package.json has no script "${name.text}" (scripts: ${Object.keys(context.scripts).join(", ")})`,
      ],
    };
  }
  const cli = CLI_SCRIPT.exec(script.trim());
  if (cli === null) return { problems: [] };
  const fixed = (cli[1] ?? "")
    .split(/\s+/)
    .filter((text) => text !== "")
    .map((text) => ({ text, dynamic: false }));
  return checkSkillship([...fixed, ...extra], context, strict);
}

function checkSkillship(
  args: readonly Word[],
  context: DocContext,
  strict: boolean,
): { problems: string[]; usage?: SkillshipUsage } {
  const first = args[0];
  // `skillship` alone names the tool; `skillship COMMAND` stands for any command.
  if (first === undefined || (first.dynamic && !first.text.startsWith("-"))) return { problems: [] };
  if (first.text.startsWith("-")) return checkProgramFlags(args, context.program);
  const { path, problems } = checkCliArgs(context.program, args);
  // A reference in prose may name a command without the arguments a run needs.
  const kept = strict
    ? problems
    : problems.filter((problem) => !/needs \d+ argument|requires -/.test(problem));
  const flags = args
    .filter((word) => !word.dynamic && word.text.startsWith("-") && word.text !== "--")
    .map((word) => word.text.split("=")[0]!);
  return { problems: kept, usage: { path, flags } };
}

function checkProgramFlags(
  args: readonly Word[],
  program: Command,
): { problems: string[]; usage: SkillshipUsage } {
  const known = new Set(["-h", "--help"]);
  for (const option of program.options) {
    if (option.long !== undefined) known.add(option.long);
    if (option.short !== undefined) known.add(option.short);
  }
  const flags = args.map((word) => word.text);
  const problems = flags
    .filter((flag) => !known.has(flag))
    .map(
      (flag) => `\`skillship ${flag}\`: the program has no option ${flag} (it has: ${[...known].join(", ")})`,
    );
  return { problems, usage: { path: "", flags } };
}

/**
 * What the CLI reference leaves out: every command that has flags or no subcommands must be used in it, and every
 * flag that `--help` shows must be used with its command.
 */
export function undocumented(program: Command, usages: readonly SkillshipUsage[]): string[] {
  const used = new Map<string, Set<string>>();
  for (const usage of usages) {
    const flags = used.get(usage.path) ?? new Set<string>();
    usage.flags.forEach((flag) => flags.add(flag));
    used.set(usage.path, flags);
  }
  const missing: string[] = [];
  const visit = (command: Command, path: string): void => {
    const visible = command.options.filter((option) => !option.hidden);
    const mustAppear = path !== "" && (visible.length > 0 || command.commands.length === 0);
    if (mustAppear && !used.has(path)) missing.push(`command \`skillship ${path}\``);
    for (const option of visible) {
      const flag = option.long ?? option.short ?? option.flags;
      if (!(used.get(path)?.has(flag) ?? false)) {
        missing.push(`flag ${flag} of \`skillship${path === "" ? "" : ` ${path}`}\``);
      }
    }
    for (const sub of command.commands) visit(sub, path === "" ? sub.name() : `${path} ${sub.name()}`);
  };
  visit(program, "");
  return missing;
}
