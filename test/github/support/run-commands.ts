/**
 * What a workflow's `run:` step may call, and the check that it exists: `npm ci`, `npm test`, `npm run SCRIPT` of
 * package.json, `skillship …` (on PATH, the project's own, as the setup action puts it; or through
 * `npm run skillship --`, `npx skillship` or `node bin/skillship.js`) with a command and flags the real program
 * accepts, and a short explicit list of other tools, each with the subcommands
 * the workflows use. Anything else is a problem, so a new tool in a workflow is a deliberate change to this list.
 */
import type { Command } from "commander";
import { checkCliArgs } from "./cli-surface";
import type { SimpleCommand, Word } from "./shell";

/** Other tools a run step may call, and their allowed subcommands (an empty list: any arguments). */
export const allowedTools: Readonly<Record<string, readonly string[]>> = {
  echo: [],
  cat: [],
  test: [],
  jq: [],
  pulumi: ["login", "stack output"],
  aws: ["sns publish"],
};

/** What the check needs to know: the npm scripts and the `skillship` program. */
export interface RunContext {
  readonly scripts: Readonly<Record<string, string>>;
  readonly program: Command;
}

/** One command found in a run step and what was checked. */
export interface RunCheck {
  /** "npm ci", "npm run build", "skillship release watch", "pulumi stack output", … */
  readonly kind: string;
  readonly problems: string[];
  /** The `skillship` command path, when the command is one. */
  readonly skillship?: string;
}

const SKILLSHIP_SCRIPT = /^node bin\/skillship\.js(?:\s+(.*))?$/;

/** Checks one simple command of a run step. */
export function checkRunCommand(command: SimpleCommand, context: RunContext): RunCheck {
  const [head, ...rest] = command.words;
  const line = command.words.map((w) => w.text).join(" ");
  if (!head || head.dynamic) {
    return { kind: line, problems: [`cannot check a command whose name is only known at run time: ${line}`] };
  }
  switch (head.text) {
    case "skillship":
      return checkSkillship(rest, context);
    case "npm":
      return checkNpm(rest, context, line);
    case "npx":
      if (rest[0]?.text !== "skillship")
        return { kind: line, problems: [`npx may only run skillship: ${line}`] };
      return checkSkillship(rest.slice(1), context);
    case "node":
      if (rest[0]?.text !== "bin/skillship.js")
        return { kind: line, problems: [`node may only run bin/skillship.js: ${line}`] };
      return checkSkillship(rest.slice(1), context);
    default:
      return checkTool(head.text, rest, line);
  }
}

function checkNpm(args: Word[], context: RunContext, line: string): RunCheck {
  const [verb, ...rest] = args;
  if (verb?.text === "ci") {
    const stray = rest.filter((w) => !w.text.startsWith("--"));
    return { kind: "npm ci", problems: stray.length > 0 ? [`npm ci takes flags only: ${line}`] : [] };
  }
  if (verb?.text === "test" || verb?.text === "t") {
    return scriptCheck("test", [], context, line);
  }
  if (verb?.text === "run" || verb?.text === "run-script") {
    const words = rest.filter((w) => w.text !== "--silent" && w.text !== "-s");
    const name = words[0];
    if (!name) return { kind: line, problems: [`npm run without a script: ${line}`] };
    const separator = words.findIndex((w) => w.text === "--");
    const extra = separator < 0 ? words.slice(1) : words.slice(separator + 1);
    if (separator < 0 && words.length > 1) {
      return { kind: line, problems: [`arguments to an npm script go after "--": ${line}`] };
    }
    return scriptCheck(name.text, extra, context, line);
  }
  return { kind: line, problems: [`only npm ci, npm test and npm run SCRIPT are allowed: ${line}`] };
}

function scriptCheck(name: string, extra: Word[], context: RunContext, line: string): RunCheck {
  const script = context.scripts[name];
  if (script === undefined) {
    return {
      kind: `npm run ${name}`,
      problems: [
        `package.json has no script "${name}" (${line}); scripts: ${Object.keys(context.scripts).join(", ")}`,
      ],
    };
  }
  // A script that is the skillship CLI (skillship, build, dialog, …): its arguments are skillship arguments.
  const cli = SKILLSHIP_SCRIPT.exec(script.trim());
  if (cli) {
    const fixed = (cli[1] ?? "")
      .split(/\s+/)
      .filter((t) => t !== "")
      .map((text) => ({ text, dynamic: false }));
    return checkSkillship([...fixed, ...extra], context);
  }
  if (extra.length > 0) {
    return { kind: `npm run ${name}`, problems: [`npm run ${name} does not take arguments here: ${line}`] };
  }
  return { kind: `npm run ${name}`, problems: [] };
}

function checkSkillship(args: Word[], context: RunContext): RunCheck {
  const { path, problems } = checkCliArgs(context.program, args);
  return { kind: `skillship ${path}`.trim(), problems, skillship: path };
}

function checkTool(tool: string, args: Word[], line: string): RunCheck {
  const subcommands = allowedTools[tool];
  if (subcommands === undefined) {
    return {
      kind: tool,
      problems: [
        `"${tool}" is not an allowed tool (${Object.keys(allowedTools).join(", ")}, npm, skillship): ${line}`,
      ],
    };
  }
  if (subcommands.length === 0) return { kind: tool, problems: [] };
  const words = args.filter((w) => !w.text.startsWith("-")).map((w) => w.text);
  const used = subcommands.find((sub) => sub.split(" ").every((part, i) => words[i] === part));
  return used
    ? { kind: `${tool} ${used}`, problems: [] }
    : { kind: tool, problems: [`${tool} may only run ${subcommands.join(" or ")} here: ${line}`] };
}
