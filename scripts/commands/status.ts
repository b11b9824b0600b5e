/**
 * `skillship status`: per stage the endpoint and what it names, the version behind each alias with its release
 * tag, which colour is live, a canary in progress with its signals so far, and where certification stands.
 */
import { Command } from "commander";
import { createMetricsPort } from "../lib/adapters/cloudwatch";
import { createFunctionsPort } from "../lib/adapters/lambda";
import type { Output } from "../lib/core/output";
import { createSkillsPort } from "../lib/adapters/smapi";
import { resolveSkillTarget } from "../lib/stack/outputs";
import { readStatus, type EndpointTarget, type SkillStatusReport } from "../lib/release/status";
import type { CommandContext } from "./context";
import { showCanaryStatus } from "./support/canary";
import { formatPercent } from "../lib/release/canary/steps";

interface StatusFlags {
  outputs?: string;
  skillId?: string;
  json?: boolean;
}

/** Registers `status`. */
export function register(program: Command, context: CommandContext): void {
  program
    .command("status")
    .description(
      "show each stage's endpoint, the version and release behind each alias, the live colour, a canary and certification",
    )
    .option("--outputs <file>", "stack outputs written by `pulumi stack output --json > FILE`")
    .option("--skill-id <id>", "the skill id (overrides the outputs' skillId)")
    .option("--json", "print one JSON document instead of text")
    .action(async (flags: StatusFlags) => {
      const output = context.output({ json: flags.json === true });
      const target = resolveSkillTarget(flags);
      const report = await readStatus(
        {
          skills: createSkillsPort({ env: context.env }),
          ...(target.outputs === undefined
            ? {}
            : { functions: createFunctionsPort(), metrics: createMetricsPort() }),
        },
        target,
      );
      show(report, output);
      output.result(report);
    });
}

const targetWords: Record<EndpointTarget, string> = {
  blue: "blue alias",
  green: "green alias",
  dev: "dev stack",
  function: "function (unqualified)",
  other: "",
  none: "no endpoint",
};

function show(report: SkillStatusReport, output: Output): void {
  const stack = report.stack === undefined ? "" : ` (${report.stack} stack, ${report.endpointKind} endpoint)`;
  output.heading(`Skill ${report.skillId}${stack}`);
  const stageRows = [
    {
      stage: "development",
      endpoint: report.stages.development.endpoint,
      serves: targetWords[report.stages.development.target],
    },
    report.stages.live === undefined
      ? { stage: "live", endpoint: "", serves: "not live yet" }
      : {
          stage: "live",
          endpoint: report.stages.live.endpoint,
          serves: targetWords[report.stages.live.target],
        },
  ];
  output.table(stageRows, ["stage", "endpoint", "serves"]);

  const aliasRows = (["blue", "green"] as const).flatMap((colour) => {
    const alias = report.aliases?.[colour];
    if (alias === undefined)
      return report.aliases === undefined ? [] : [{ alias: colour, version: "missing" }];
    return [
      {
        alias: colour,
        version:
          alias.split === undefined
            ? alias.version
            : `${alias.version}, ${alias.split.version} at ${formatPercent(alias.split.percent)}`,
        release: alias.release?.tag ?? "(not a Skillship release)",
        commit: alias.release?.commit.slice(0, 12),
        model: alias.release?.model,
        live:
          report.liveColour === colour
            ? "live"
            : report.stages.development.target === colour
              ? "candidate"
              : "idle",
        replaced: alias.change?.replaced,
      },
    ];
  });
  if (aliasRows.length > 0) {
    output.line();
    output.table(aliasRows, [
      "alias",
      "version",
      "release",
      "commit",
      "model",
      "live",
      { key: "replaced", header: "replaced version" },
    ]);
  }
  if (report.latest !== undefined) {
    output.line(`$LATEST of ${report.latest.functionName}: code sha256 ${report.latest.codeSha256}`);
  }
  const canary =
    report.canary === undefined ? [] : showCanaryStatus(output, report.canary, report.liveColour);
  output.line(certificationLine(report));
  const publication = publicationLine(report);
  if (publication !== undefined) output.line(publication);
  for (const missing of report.unavailable) {
    output.warn(`could not read ${missing}`);
  }
  output.summary(
    [
      `### Skill ${report.skillId}${stack}`,
      "",
      "| stage | endpoint | serves |",
      "| --- | --- | --- |",
      ...stageRows.map((row) => `| ${row.stage} | ${row.endpoint ?? ""} | ${row.serves} |`),
      "",
      ...(canary.length === 0 ? [] : [...canary, ""]),
      certificationLine(report),
      ...(publication === undefined ? [] : ["", publication]),
    ].join("\n"),
  );
}

function publicationLine(report: SkillStatusReport): string | undefined {
  if (report.readyToPublish) {
    return `Certified and not live yet: \`skillship publish\` puts the ${report.stages.development.target} colour live.`;
  }
  const publication = report.publication;
  if (publication === undefined) return undefined;
  const at =
    publication.publishesAtDate === undefined ? "" : ` (publishes at ${publication.publishesAtDate})`;
  return `Latest publication: ${publication.status}${at}`;
}

function certificationLine(report: SkillStatusReport): string {
  const certification = report.certification;
  if (certification === undefined) {
    return "Certification: never submitted";
  }
  const since = certification.submittedAt === undefined ? "" : `, submitted ${certification.submittedAt}`;
  const findings = certification.review?.findings ?? [];
  const review = findings.length === 0 ? "" : `; review: ${findings.map((f) => f.title).join("; ")}`;
  return `Certification ${certification.id}: ${certification.status}${since}${review}`;
}
