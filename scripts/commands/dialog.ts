/**
 * `skillship dialog`: a conversation with the local skill that keeps state between turns as a device does
 * (session attributes, the AudioPlayer's token and offset), or `--replay FILE` to run a dialog file and fail
 * on the first expectation that does not hold.
 */
import { createInterface } from "node:readline";
import { Command } from "commander";
import type { Offline } from "../lib/local/dialog/offline";
import type { TurnExecutor } from "../lib/local/dialog/runner";
import { OperationError, UsageError } from "../lib/core/errors";
import type { CliEnvironment } from "../lib/core/env";
import type { RetryPolicy } from "../lib/core/retry";
import type { SkillStage } from "../lib/ports";
import type { Output } from "../lib/core/output";
import type { CommandContext } from "./context";
import { loadProject, profileOf, profileOption } from "./support/project";

/* eslint-disable @typescript-eslint/no-require-imports -- modules loaded when the command runs (start budget) */
const lib = {
  format: () => require("../lib/local/dialog/format") as typeof import("../lib/local/dialog/format"),
  offline: () => require("../lib/local/dialog/offline") as typeof import("../lib/local/dialog/offline"),
  print: () => require("../lib/local/dialog/print") as typeof import("../lib/local/dialog/print"),
  remote: () => require("../lib/local/dialog/remote") as typeof import("../lib/local/dialog/remote"),
  runner: () => require("../lib/local/dialog/runner") as typeof import("../lib/local/dialog/runner"),
  smapi: () => require("../lib/adapters/smapi") as typeof import("../lib/adapters/smapi"),
  outputs: () => require("../lib/stack/outputs") as typeof import("../lib/stack/outputs"),
};
/* eslint-enable @typescript-eslint/no-require-imports */

interface DialogFlags extends RemoteDialogFlags {
  locale?: string;
  replay?: string;
  remote?: boolean;
}

/** Registers `dialog`. */
export function register(program: Command, context: CommandContext): void {
  const command = program
    .command("dialog")
    .description("Talk to the local skill turn by turn as a device would, or replay a dialog file (--replay)")
    .option("--locale <locale>", "the locale to speak in (interactive; a dialog file names its own)")
    .option("--replay <file>", "run a dialog file (test/dialogs/*.yaml) and exit 1 on a failed expectation")
    .option(
      "--remote",
      "with --replay: run against the deployed skill through the Skill Management API simulation",
    )
    .option("--stage <stage>", "with --remote: the stage to simulate, development or live", "development")
    .option("--outputs <file>", "with --remote: stack outputs naming the skill (pulumi stack output --json)")
    .option("--skill-id <id>", "with --remote: the skill id (overrides the outputs' skillId)");
  profileOption(command).action(async (flags: DialogFlags) => {
    const output = context.output({ json: false });
    if (flags.remote === true && flags.replay === undefined) {
      throw new UsageError("--remote runs a dialog file against the deployed skill: pass --replay FILE");
    }
    if (flags.replay !== undefined) {
      await replay(
        flags.replay,
        flags.locale,
        output,
        context,
        flags.remote === true ? { ...flags, profile: profileOf(flags, context) } : undefined,
      );
      return;
    }
    await interactive(flags.locale ?? "en-US", output, context, flags);
  });
}

async function replay(
  file: string,
  locale: string | undefined,
  output: Output,
  context: CommandContext,
  remote?: RemoteDialogFlags,
): Promise<void> {
  const env = context.env;
  const dialog = await lib.format().readDialogFile(file);
  if (locale !== undefined && locale !== dialog.locale) {
    throw new UsageError(`${file} is a ${dialog.locale} dialog; drop --locale ${locale} or edit its locale`);
  }
  let executor: TurnExecutor;
  if (remote !== undefined) {
    const deployed = remoteExecutorFromFlags(remote, { env });
    output.line(`Simulating ${file} on the ${deployed.stage} stage of ${deployed.skillId}`);
    executor = deployed.executor;
  } else {
    executor = (await offlineExecutor(output, context, remote ?? {})).executor;
  }
  const report = await lib.runner().runDialog(dialog, executor);
  output.line(lib.runner().formatDialogReport(report));
  if (!report.passed) {
    const failed = report.turns.filter((turn) => !turn.passed).length;
    throw new OperationError(
      `${failed} of ${dialog.turns.length} turns of ${file} failed their expectations`,
    );
  }
}

function offlineExecutor(
  output: Output,
  context: CommandContext,
  flags: { profile?: string },
): Promise<Offline> {
  return lib.offline().createOfflineExecutor({
    project: loadProject(flags, context),
    command: "dialog",
    env: context.env.vars,
    onSkillError: (line) => output.warn(line),
  });
}

async function interactive(
  initialLocale: string,
  output: Output,
  context: CommandContext,
  flags: { profile?: string },
): Promise<void> {
  const offline = await offlineExecutor(output, context, flags);
  let locale = initialLocale;
  if (!offline.locales.includes(locale)) {
    throw new UsageError(
      `Unknown locale ${locale}: the skill package has ${offline.locales.join(", ")}; pass one with --locale`,
    );
  }
  output.line(
    `Talking to the local skill in ${locale}. Commands: .locale <locale>, .state, .quit (or Ctrl-D).`,
  );
  const readline = createInterface({
    input: process.stdin,
    output: process.stdout,
    terminal: process.stdin.isTTY,
  });
  // Ctrl-C ends the conversation like Ctrl-D (readline would otherwise only pause the input).
  readline.on("SIGINT", () => readline.close());
  const prompt = () => {
    readline.setPrompt(`${locale}> `);
    readline.prompt();
  };
  prompt();
  try {
    // The async iterator buffers lines, so piped input (a script of utterances) is never lost between turns.
    for await (const raw of readline) {
      const line = raw.trim();
      // Piped input is not echoed by a terminal: show what was said next to its prompt.
      if (!process.stdin.isTTY) output.line(line);
      if (line === ".quit" || line === ".exit") break;
      if (line === ".state") {
        output.line(stateText(offline.executor.device));
      } else if (line.startsWith(".locale")) {
        const wanted = line.slice(".locale".length).trim();
        if (offline.locales.includes(wanted)) locale = wanted;
        else
          output.warn(
            `Unknown locale ${wanted || "(none)"}: the skill package has ${offline.locales.join(", ")}`,
          );
      } else if (line !== "") {
        try {
          output.line(lib.print().formatTurn(await offline.executor.say(line, locale)));
        } catch (error) {
          output.warn(error instanceof Error ? error.message : String(error));
        }
      }
      prompt();
    }
  } finally {
    readline.close();
  }
}

function stateText(device: import("../lib/local/dialog/device").SimulatedDevice): string {
  const player = device.audioPlayer();
  const session = device.sessionOpen()
    ? `open, attributes ${JSON.stringify(device.sessionAttributes())}`
    : "none";
  return [
    `  session:     ${session}`,
    `  AudioPlayer: ${player.playerActivity}${player.token ? ` token ${player.token}` : ""} at ${player.offsetInMilliseconds} ms`,
  ].join("\n");
}

/** The flags of `skillship dialog` for a run against a deployed stage. */
export interface RemoteDialogFlags {
  stage?: string;
  outputs?: string;
  skillId?: string;
  /** The ASK CLI profile whose credentials serve when the `ASK_*` variables are absent. */
  profile?: string;
}

/**
 * The remote executor of `skillship dialog --remote`: the stage checked (development or live), the skill from
 * `--skill-id` or the stack outputs, the credentials read now (a missing variable fails before any call).
 */
export function remoteExecutorFromFlags(
  flags: RemoteDialogFlags,
  options: {
    env: CliEnvironment;
    retryPolicy?: RetryPolicy;
    pollIntervalMs?: number;
  },
): { executor: TurnExecutor; skillId: string; stage: SkillStage } {
  const stage = flags.stage ?? "development";
  if (stage !== "development" && stage !== "live") {
    throw new UsageError(`--stage must be development or live, got "${stage}"`);
  }
  const { skillId } = lib.outputs().resolveSkillTarget(flags);
  const simulations = lib.smapi().createSimulationPort({
    env: options.env,
    profile: flags.profile,
    retryPolicy: options.retryPolicy,
  });
  return {
    executor: lib
      .remote()
      .createRemoteExecutor({ simulations, skillId, stage, pollIntervalMs: options.pollIntervalMs }),
    skillId,
    stage,
  };
}
