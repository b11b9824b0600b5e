/**
 * `skillship rollback`: after a code-only release the live alias goes back to the version it replaced; after a
 * certified go-live the skill goes back to its previous live version, whose colour still serves the old code.
 */
import type { Command } from "commander";
import type { CommandContext } from "./context";
import { commonOptions, engineDeps, reportOperation, type CommonFlags } from "./support/release";

interface RollbackFlags extends CommonFlags {
  to?: string;
  force?: boolean;
}

/** Registers `rollback`. */
export function register(program: Command, context: CommandContext): void {
  const command = program
    .command("rollback")
    .description(
      "Roll the live skill back: the live alias to the version it replaced, or the skill to its previous live version",
    )
    .option("--to <version>", "the Lambda version the live alias goes back to")
    .option("--force", "allow code built for another interaction model than the live one");
  commonOptions(command, { dryRun: true, timeoutDefault: "15m" });
  command.action(async (flags: RollbackFlags) => {
    /* eslint-disable @typescript-eslint/no-require-imports -- loaded when the command runs (start budget) */
    const { rollback } = require("../lib/release/operations") as typeof import("../lib/release/operations");
    /* eslint-enable @typescript-eslint/no-require-imports */
    const output = context.output({ json: flags.json === true });
    const deps = await engineDeps(flags, output, context.env);
    const dryRun = flags.dryRun === true;
    const result = await rollback(deps, {
      ...(flags.to === undefined ? {} : { to: flags.to }),
      force: flags.force === true,
      dryRun,
    });
    reportOperation(output, result, deps.outputs.functionName, dryRun);
  });
}
