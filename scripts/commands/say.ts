/**
 * `skillship say "<utterance>"` (`npm run say -- "ask joke box to tell me a joke"`): one turn against the local
 * skill, offline: resolved through the locale's interaction model, sent as a real request envelope.
 */
import { Command } from "commander";
import { UsageError } from "../lib/core/errors";
import type { CommandContext } from "./context";
import { loadProject, profileOption, type ProfileFlags } from "./support/project";

interface SayFlags extends ProfileFlags {
  locale: string;
  json?: boolean;
}

/** Registers `say`. */
export function register(program: Command, context: CommandContext): void {
  const command = program
    .command("say")
    .description(
      "Say one utterance to the local skill, offline, resolved through the locale's interaction model",
    )
    .argument("<utterance...>", 'what to say, e.g. "ask joke box to tell me a joke"')
    .option("--locale <locale>", "the locale whose interaction model resolves it", "en-US")
    .option("--json", "print the skill's raw response envelope");
  profileOption(command).action(async (words: string[], flags: SayFlags) => {
    /* eslint-disable @typescript-eslint/no-require-imports -- loaded when the command runs (start budget) */
    const { createOfflineExecutor } =
      require("../lib/local/dialog/offline") as typeof import("../lib/local/dialog/offline");
    const { formatTurn } = require("../lib/local/dialog/print") as typeof import("../lib/local/dialog/print");
    /* eslint-enable @typescript-eslint/no-require-imports */
    const utterance = words.join(" ").trim();
    if (utterance === "") throw new UsageError('say needs an utterance, e.g. skillship say "open joke box"');
    const output = context.output({ json: flags.json === true });
    const offline = await createOfflineExecutor({
      project: loadProject(flags, context),
      command: "say",
      env: context.env.vars,
      onSkillError: (line) => output.warn(line),
    });
    const turn = await offline.executor.say(utterance, flags.locale);
    output.line(`${flags.locale}  "${utterance}"`);
    output.line(formatTurn(turn));
    const raw = turn.result.raw;
    output.result(typeof raw === "object" && raw !== null ? raw : { result: raw });
  });
}
