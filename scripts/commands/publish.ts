/** `skillship publish`: puts a certified skill live, waits until it is, then puts the development stage back. */
import type { Command } from "commander";
import type { CommandContext } from "./context";
import { commonOptions, engineDeps, reportOperation, type CommonFlags } from "./support/release";

interface PublishFlags extends CommonFlags {
  at?: string;
}

/** Registers `publish`. */
export function register(program: Command, context: CommandContext): void {
  const command = program
    .command("publish")
    .description("Publish the certified skill, wait until it is live, then put the development stage back")
    .option("--at <iso-8601>", "publish at this date and time instead of now");
  commonOptions(command, { dryRun: true, timeoutDefault: "30m" });
  command.action(async (flags: PublishFlags) => {
    /* eslint-disable @typescript-eslint/no-require-imports -- loaded when the command runs (start budget) */
    const { publish } = require("../lib/release/operations") as typeof import("../lib/release/operations");
    /* eslint-enable @typescript-eslint/no-require-imports */
    const output = context.output({ json: flags.json === true });
    const deps = await engineDeps(flags, output, context.env);
    const dryRun = flags.dryRun === true;
    const result = await publish(deps, {
      ...(flags.at === undefined ? {} : { publishesAt: flags.at }),
      dryRun,
    });
    reportOperation(output, result, deps.outputs.functionName, dryRun);
  });
}
