/**
 * Checks a `skillship …` command line against the commander program the CLI really builds: the command path must
 * exist, every flag must be one that command (or an ancestor) accepts, flags that take a value get one, literal
 * values pass the option's own parser (choices included), mandatory options and required arguments are there.
 * Walking commander's public `commands`, `options` and `registeredArguments` means a renamed command or flag breaks
 * the workflow test that calls it.
 */
import type { Command, Option } from "commander";
import type { Word } from "./shell";

/**
 * The command path (e.g. "release watch"; the words as written when no command matches) and every problem found:
 * no problems means the program would accept the line.
 */
export interface CliCheck {
  readonly path: string;
  readonly problems: string[];
}

/** Checks `args` (the words after `skillship`) against `program`. */
export function checkCliArgs(program: Command, args: readonly Word[]): CliCheck {
  const problems: string[] = [];
  let command = program;
  let index = 0;
  while (index < args.length) {
    const word = args[index]!;
    if (word.text.startsWith("-")) break;
    const sub = command.commands.find((c) => c.name() === word.text || c.aliases().includes(word.text));
    if (!sub) break;
    command = sub;
    index += 1;
  }
  if (command === program) {
    const first = args[0];
    problems.push(
      first === undefined
        ? "no command given"
        : `"${first.text}" is not a command of skillship (commands: ${program.commands.map((c) => c.name()).join(", ") || "none"})`,
    );
    // The words as written still say which command the workflow means, for the rules about where it may run.
    const end = args.findIndex((w) => w.text.startsWith("-"));
    return { path: (end < 0 ? args : args.slice(0, end)).map((w) => w.text).join(" "), problems };
  }
  const path = commandPath(command);

  const seen = new Set<Option>();
  const positional: Word[] = [];
  for (; index < args.length; index += 1) {
    const word = args[index]!;
    if (word.dynamic && word.text.startsWith("$")) {
      // A value known only at run time in a flag's place cannot be checked: only allowed as a positional value.
      positional.push(word);
      continue;
    }
    if (!word.text.startsWith("-") || word.text === "-") {
      positional.push(word);
      continue;
    }
    if (word.text === "--") {
      positional.push(...args.slice(index + 1));
      break;
    }
    if (word.text === "-h" || word.text === "--help") continue;
    const [flag, inlineValue] = splitInlineValue(word.text);
    const option = findOption(command, flag);
    if (!option) {
      problems.push(`\`skillship ${path}\` has no option ${flag} (it has: ${optionList(command)})`);
      continue;
    }
    seen.add(option);
    if (!option.required && !option.optional) {
      if (inlineValue !== undefined) problems.push(`${flag} of \`skillship ${path}\` takes no value`);
      continue;
    }
    let value: Word | undefined =
      inlineValue === undefined ? undefined : { text: inlineValue, dynamic: false };
    if (value === undefined) {
      const next = args[index + 1];
      if (next !== undefined && (option.required || !next.text.startsWith("-"))) {
        value = next;
        index += 1;
      }
    }
    if (value === undefined) {
      if (option.required) problems.push(`${flag} of \`skillship ${path}\` needs a value`);
      continue;
    }
    if (!value.dynamic && option.parseArg) {
      try {
        option.parseArg(value.text, option.defaultValue);
      } catch (error) {
        problems.push(
          `${flag} ${value.text} is refused by \`skillship ${path}\`: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }

  for (const option of command.options) {
    if (option.mandatory && !seen.has(option) && option.defaultValue === undefined) {
      problems.push(`\`skillship ${path}\` requires ${option.long ?? option.short}`);
    }
  }
  const declared = command.registeredArguments;
  const required = declared.filter((a) => a.required).length;
  const variadic = declared.some((a) => a.variadic);
  if (positional.length < required) {
    problems.push(`\`skillship ${path}\` needs ${required} argument(s), got ${positional.length}`);
  }
  if (!variadic && positional.length > declared.length) {
    problems.push(
      `\`skillship ${path}\` takes ${declared.length} argument(s), got ${positional.length}: ${positional.map((w) => w.text).join(" ")}`,
    );
  }
  return { path, problems };
}

function splitInlineValue(text: string): [string, string | undefined] {
  const equals = text.indexOf("=");
  return text.startsWith("--") && equals > 0
    ? [text.slice(0, equals), text.slice(equals + 1)]
    : [text, undefined];
}

// The commands whose options commander accepts after the subcommand's name: the command itself, and its ancestors
// as long as none enabled positional options (then a parent's options must come before the subcommand). Commander
// exposes that setting only as a private field.
function optionScopes(command: Command): Command[] {
  const scopes = [command];
  for (let parent = command.parent; parent; parent = parent.parent) {
    if ((parent as unknown as { _enablePositionalOptions?: boolean })._enablePositionalOptions === true)
      break;
    scopes.push(parent);
  }
  return scopes;
}

function findOption(command: Command, flag: string): Option | undefined {
  for (const scope of optionScopes(command)) {
    const option = scope.options.find((o) => o.long === flag || o.short === flag);
    if (option) return option;
  }
  return undefined;
}

function optionList(command: Command): string {
  const flags = optionScopes(command).flatMap((scope) =>
    scope.options.map((o) => o.long ?? o.short ?? o.flags),
  );
  return flags.join(", ") || "none";
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let current: Command | null = command; current?.parent; current = current.parent) {
    names.unshift(current.name());
  }
  return names.join(" ");
}
