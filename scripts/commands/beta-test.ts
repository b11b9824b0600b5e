/**
 * `skillship beta-test`: the skill's beta test kept in step with the project's tester list (opt-in: the list's
 * file turns it on). Run after each deploy to the development stage: the beta test exists and runs, new testers
 * are invited once, those who have not accepted are reminded, and an expiry within a week is a warning.
 * Addresses are shown masked, and masked in anything else printed.
 */
import { existsSync } from "node:fs";
import * as path from "node:path";
import type { Command } from "commander";
import type { BetaSyncResult } from "../lib/beta/sync";
import type { Output } from "../lib/core/output";
import type { CommandContext } from "./context";
import {
  loadProject,
  profileOf,
  profileOption,
  withProjectSkillId,
  type ProfileFlags,
} from "./support/project";

/* eslint-disable @typescript-eslint/no-require-imports -- modules loaded when the command runs (start budget) */
const lib = {
  smapi: () => require("../lib/adapters/smapi") as typeof import("../lib/adapters/smapi"),
  sync: () => require("../lib/beta/sync") as typeof import("../lib/beta/sync"),
  testers: () => require("../lib/beta/testers") as typeof import("../lib/beta/testers"),
  outputs: () => require("../lib/stack/outputs") as typeof import("../lib/stack/outputs"),
  project: () => require("../lib/project") as typeof import("../lib/project"),
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** The testers' file, beside the project file unless `--testers` names another. */
const BETA_TESTERS_FILE = "beta-testers.json";

interface BetaTestFlags extends ProfileFlags {
  testers?: string;
  ifListed?: boolean;
  outputs?: string;
  skillId?: string;
  json?: boolean;
}

/** Registers `beta-test`. */
export function register(program: Command, context: CommandContext): void {
  const command = program
    .command("beta-test")
    .description(
      "keep the skill's beta test running for the listed testers: invite new ones, remind those who have not accepted",
    )
    .option(
      "--testers <file>",
      `the testers' e-mail addresses (opt-in: the file turns beta testing on; default: ${BETA_TESTERS_FILE} beside the project file)`,
    )
    .option(
      "--if-listed",
      "without the testers' file, say beta testing is off and exit 0 (how the beta workflow runs it)",
    )
    .option("--outputs <file>", "stack outputs written by `pulumi stack output --json > FILE`")
    .option("--skill-id <id>", "the skill id (overrides the outputs' skillId)")
    .option("--json", "print one JSON document instead of text");
  profileOption(command).action(async (flags: BetaTestFlags) => {
    const output = context.output({ json: flags.json === true });
    const project = loadProject(flags, context);
    const target = lib.outputs().resolveSkillTarget(withProjectSkillId(flags, project));
    const file = flags.testers ?? lib.project().displayPath(path.join(project.root, BETA_TESTERS_FILE));
    if (flags.ifListed === true && !existsSync(file)) {
      output.line(`No ${file}: beta testing is off (list testers there to turn it on).`);
      output.result({ outcome: "off", file });
      return;
    }
    const config = await lib.testers().readBetaTesters(file);
    // Whatever quotes an address (a service's message included) prints it masked.
    for (const email of [...config.testers, config.feedbackEmail ?? ""]) {
      if (email !== "") output.addSecret(email);
    }
    const { betaTest } = lib.smapi().createSmapiPorts({
      env: context.env,
      profile: profileOf(flags, context),
    });
    output.heading(`Beta test of ${target.skillId} (${config.testers.length} testers in ${config.file})`);
    const result = await lib.sync().syncBetaTest(betaTest, { skillId: target.skillId, config });
    show(output, result);
    output.result(result);
  });
}

function show(output: Output, result: BetaSyncResult): void {
  const lines = [
    `${result.created ? "Created the beta test; " : ""}${result.started ? "started it (invitations sent); " : ""}` +
      `status ${result.status}${result.expiryDate === undefined ? "" : `, until ${result.expiryDate}`}.`,
    result.invited.length === 0
      ? "No new tester to invite."
      : `Invited ${result.invited.length} new tester(s): ${result.invited.join(", ")}.`,
    result.reminded.length === 0
      ? "No reminder to send."
      : `Reminded ${result.reminded.length} tester(s) who have not accepted yet: ${result.reminded.join(", ")}.`,
    `${result.accepted} tester(s) have accepted.` +
      (result.notListed === 0
        ? ""
        : ` ${result.notListed} tester(s) of the beta test are not in the list; they keep their access.`),
  ];
  for (const line of lines) output.line(line);
  for (const warning of result.warnings) output.warn(warning);
  output.summary(
    [
      `### Beta test`,
      "",
      ...lines.map((line) => `- ${line}`),
      ...result.warnings.map((w) => `- ⚠️ ${w}`),
    ].join("\n"),
  );
}
