/**
 * `skillship say "<utterance>"` (`npm run say -- "ask joke box to tell me a joke"`): one turn against the local
 * skill, offline: resolved through the locale's interaction model, sent as a real request envelope.
 */
import * as path from "node:path";
import { Command } from "commander";
import { createOfflineExecutor } from "../lib/local/dialog/offline";
import { formatTurn } from "../lib/local/dialog/print";
import { UsageError } from "../lib/core/errors";
import type { CommandContext } from "./context";

const ROOT = path.resolve(__dirname, "..", "..");

interface SayFlags {
  locale: string;
  json?: boolean;
}

/** Registers `say`. */
export function register(program: Command, context: CommandContext): void {
  program
    .command("say")
    .description(
      "Say one utterance to the local skill, offline, resolved through the locale's interaction model",
    )
    .argument("<utterance...>", 'what to say, e.g. "ask joke box to tell me a joke"')
    .option("--locale <locale>", "the locale whose interaction model resolves it", "en-US")
    .option("--json", "print the skill's raw response envelope")
    .action(async (words: string[], flags: SayFlags) => {
      const utterance = words.join(" ").trim();
      if (utterance === "")
        throw new UsageError('say needs an utterance, e.g. skillship say "open joke box"');
      const output = context.output({ json: flags.json === true });
      const offline = await createOfflineExecutor({
        root: ROOT,
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
