/**
 * `skillship directive <Namespace.Name>`: one smart-home directive, well formed (message id, correlation token,
 * the bearer token where that directive carries it), sent to the project's code in this process as Alexa would
 * send it to the Lambda function; the answer printed and checked against Amazon's Smart Home message schema
 * when it is at hand. `--replay FILE...` runs directive files instead and exits 1 when an answer differs.
 */
import * as path from "node:path";
import type { Command } from "commander";
import { OperationError, UsageError } from "../lib/core/errors";
import type { Output } from "../lib/core/output";
import type { CommandContext } from "./context";
import { loadProject, profileOption, type ProfileFlags } from "./support/project";

/* eslint-disable @typescript-eslint/no-require-imports -- modules loaded when the command runs (start budget) */
const lib = {
  project: () => require("../lib/project") as typeof import("../lib/project"),
  directives: () =>
    require("../lib/local/smart-home/directives") as typeof import("../lib/local/smart-home/directives"),
  file: () =>
    require("../lib/local/smart-home/directive-file") as typeof import("../lib/local/smart-home/directive-file"),
  replay: () => require("../lib/local/smart-home/replay") as typeof import("../lib/local/smart-home/replay"),
  schema: () =>
    require("../lib/local/smart-home/message-schema") as typeof import("../lib/local/smart-home/message-schema"),
  skill: () => require("../lib/local/smart-home/skill") as typeof import("../lib/local/smart-home/skill"),
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** Flags of `skillship directive`. */
export interface DirectiveFlags extends ProfileFlags {
  endpoint?: string;
  instance?: string;
  payload?: string;
  token?: string;
  replay?: string[];
  schema?: string;
  json?: boolean;
}

/** Registers `directive`. */
export function register(program: Command, context: CommandContext): void {
  const command = program
    .command("directive")
    .description(
      "Send a smart-home directive to the local skill and print its answer, or replay directive files (--replay)",
    )
    .argument(
      "[name]",
      "the directive, Namespace.Name: Alexa.PowerController.TurnOn, Alexa.Discovery.Discover, …",
    )
    .option("--endpoint <id>", "the endpoint (device) id the directive is for")
    .option("--instance <name>", "the capability instance, for generic controllers (e.g. Shutter.Position)")
    .option("--payload <json>", "the directive's payload as JSON, e.g. '{\"brightness\": 40}'")
    .option(
      "--token <token>",
      "the user's access token (default: the local skill's test user, if it has one)",
    )
    .option("--replay <files...>", "replay directive files and exit 1 on an answer that differs")
    .option(
      "--schema <file>",
      "Amazon's alexa_smart_home_message_schema.json to check answers against (default ALEXA_SMART_HOME_SCHEMA)",
    )
    .option("--json", "print the answer (or the replay reports) as JSON");
  profileOption(command).action((name: string | undefined, flags: DirectiveFlags) =>
    directiveCommand(name, flags, context),
  );
}

/** Runs `skillship directive`. */
export async function directiveCommand(
  name: string | undefined,
  flags: DirectiveFlags,
  context: CommandContext,
): Promise<void> {
  const output = context.output({ json: flags.json === true });
  const replaying = flags.replay !== undefined;
  if (replaying === (name !== undefined)) {
    throw new UsageError(
      replaying
        ? "pass either a directive name or --replay FILE..., not both"
        : "name a directive (e.g. skillship directive Alexa.Discovery.Discover) or replay files with --replay FILE...",
    );
  }
  if (replaying && (flags.endpoint ?? flags.instance ?? flags.payload ?? flags.token) !== undefined) {
    throw new UsageError(
      "--endpoint, --instance, --payload and --token describe one directive; a directive file names its own",
    );
  }
  const payload = flags.payload === undefined ? undefined : parsePayload(flags.payload);
  const project = loadProject(flags, context);
  lib.project().requireDirectives(project.kind, "directive");
  const validate = schemaCheck(flags, context, output);
  // Directive files are read before the skill starts its fakes: a broken file costs nothing.
  const files = await Promise.all(
    (flags.replay ?? []).map((file) => lib.file().readDirectiveFile(path.resolve(context.cwd, file), file)),
  );
  const skill = await lib.skill().loadLocalSmartHomeSkill(project, { env: context.env.vars });
  try {
    if (replaying) {
      const harness = lib.skill().localHarness(skill, validate);
      const reports = [];
      for (const file of files) {
        const report = await lib.replay().replayDirectiveFile(file, harness);
        reports.push(report);
        output.line(lib.replay().formatReplayReport(report));
      }
      output.result({ passed: reports.every((report) => report.passed), files: reports });
      const failed = reports.filter((report) => !report.passed);
      if (failed.length > 0) {
        throw new OperationError(
          `${failed.length} of ${reports.length} directive file${reports.length === 1 ? "" : "s"} failed: ` +
            failed.map((report) => report.file).join(", "),
        );
      }
      return;
    }
    const token = flags.token ?? skill.accessToken;
    const event = lib.directives().directive(name as string, {
      ...(token === undefined ? {} : { token }),
      ...(flags.endpoint === undefined ? {} : { endpointId: flags.endpoint }),
      ...(flags.instance === undefined ? {} : { instance: flags.instance }),
      ...(payload === undefined ? {} : { payload }),
    });
    const answer = await skill.invoke(event);
    const header = (answer as { event?: { header?: { namespace?: string; name?: string } } } | undefined)
      ?.event?.header;
    output.line(
      `${name}${flags.endpoint === undefined ? "" : ` ${flags.endpoint}`} → ${header?.namespace}.${header?.name}`,
    );
    output.line(JSON.stringify(answer, null, 2));
    output.result(typeof answer === "object" && answer !== null ? answer : { answer });
    const problems = validate?.(answer) ?? [];
    if (problems.length > 0) {
      throw new OperationError(
        `The answer does not match Amazon's Smart Home message schema:\n  - ${problems.join("\n  - ")}`,
      );
    }
  } finally {
    await skill.close?.();
  }
}

function parsePayload(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--payload is not JSON: ${(error as Error).message}`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new UsageError("--payload must be a JSON object, e.g. '{\"brightness\": 40}'");
  }
  return value as Record<string, unknown>;
}

/** The schema check of `--schema` or `ALEXA_SMART_HOME_SCHEMA`; without either, a note that none is made. */
function schemaCheck(
  flags: DirectiveFlags,
  context: CommandContext,
  output: Output,
): ((message: unknown) => string[]) | undefined {
  const file = flags.schema ?? context.env.smartHomeSchema;
  if (file === undefined) {
    output.warn(
      "Answers are not checked against Amazon's Smart Home message schema: pass --schema or set " +
        "ALEXA_SMART_HOME_SCHEMA to alexa_smart_home_message_schema.json (github.com/alexa/alexa-smarthome)",
    );
    return undefined;
  }
  const validator = lib.schema().smartHomeValidator(path.resolve(context.cwd, file));
  return (message) => validator.problems(message);
}
