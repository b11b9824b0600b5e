/** `skillship withdraw`: withdraws a pending certification and puts the development stage back on the dev stack. */
import type { Command } from "commander";
import { UsageError } from "../lib/core/errors";
import type { CommandContext } from "./context";
import { commonOptions, engineDeps, reportOperation, type CommonFlags } from "./support/release";
import { withdrawalReasons } from "../lib/ports";

interface WithdrawFlags extends CommonFlags {
  reason?: string;
  message?: string;
}

/** Registers `withdraw`. */
export function register(program: Command, context: CommandContext): void {
  const command = program
    .command("withdraw")
    .description("Withdraw the pending certification and put the development stage back on the dev stack")
    .option("--reason <reason>", `why: ${withdrawalReasons.join(", ")}`)
    .option("--message <text>", "more detail (required with --reason OTHER)");
  commonOptions(command, { dryRun: true, timeoutDefault: "15m" });
  command.action(async (flags: WithdrawFlags) => {
    if (flags.reason === undefined) {
      throw new UsageError(`--reason is required: one of ${withdrawalReasons.join(", ")}`);
    }
    /* eslint-disable @typescript-eslint/no-require-imports -- loaded when the command runs (start budget) */
    const { withdraw } = require("../lib/release/operations") as typeof import("../lib/release/operations");
    /* eslint-enable @typescript-eslint/no-require-imports */
    const output = context.output({ json: flags.json === true });
    const deps = await engineDeps(flags, output, context.env);
    const dryRun = flags.dryRun === true;
    const result = await withdraw(deps, {
      reason: flags.reason,
      ...(flags.message === undefined ? {} : { message: flags.message }),
      dryRun,
    });
    reportOperation(output, result, deps.outputs.functionName, dryRun);
  });
}
