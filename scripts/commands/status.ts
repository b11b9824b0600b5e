/**
 * `skillship status`: per stage the endpoint and what it names, the version behind each alias with its release
 * tag, which colour is live, a canary in progress with its signals so far, and where certification stands.
 */
import { Command } from "commander";
import type { Output } from "../lib/core/output";
import type { EndpointTarget, SkillStatusReport } from "../lib/release/status";
import type { CommandContext } from "./context";
import {
  loadProject,
  profileOf,
  profileOption,
  withProjectSkillId,
  type ProfileFlags,
} from "./support/project";

interface StatusFlags extends ProfileFlags {
  outputs?: string;
  skillId?: string;
  json?: boolean;
}

/** Registers `status`. */
export function register(program: Command, context: CommandContext): void {
  const command = program
    .command("status")
    .description(
      "show each stage's endpoint, the version and release behind each alias, the live colour, a canary and certification",
    )
    .option("--outputs <file>", "stack outputs written by `pulumi stack output --json > FILE`")
    .option("--skill-id <id>", "the skill id (overrides the outputs' skillId)")
    .option("--json", "print one JSON document instead of text");
  profileOption(command).action(async (flags: StatusFlags) => {
    /* eslint-disable @typescript-eslint/no-require-imports -- loaded when the command runs (start budget) */
    const { createFunctionsPort } =
      require("../lib/adapters/lambda") as typeof import("../lib/adapters/lambda");
    const { createSkillsPort } = require("../lib/adapters/smapi") as typeof import("../lib/adapters/smapi");
    const { resolveSkillTarget } = require("../lib/stack/outputs") as typeof import("../lib/stack/outputs");
    const { readStatus } = require("../lib/release/status") as typeof import("../lib/release/status");
    const { createMetricsPort } =
      require("../lib/adapters/cloudwatch") as typeof import("../lib/adapters/cloudwatch");
    const { replicaTargetsOf, awsRegionOfArn } =
      require("../lib/release/regions") as typeof import("../lib/release/regions");
    /* eslint-enable @typescript-eslint/no-require-imports */
    const output = context.output({ json: flags.json === true });
    const target = resolveSkillTarget(
      flags.outputs === undefined && flags.skillId === undefined
        ? withProjectSkillId(flags, loadProject(flags, context))
        : flags,
    );
    const report = await readStatus(
      {
        skills: createSkillsPort({ env: context.env, profile: profileOf(flags, context) }),
        ...(target.outputs === undefined
          ? {}
          : {
              // With regional endpoints: each region's function through a client of its region.
              ...(target.outputs.alexaRegions === undefined
                ? { functions: createFunctionsPort() }
                : {
                    functions: createFunctionsPort({ region: awsRegionOfArn(target.outputs.functionArn) }),
                    replicas: replicaTargetsOf(target.outputs).map((replica) => ({
                      ...replica,
                      functions: createFunctionsPort({ region: replica.awsRegion }),
                    })),
                  }),
              metrics: createMetricsPort(),
            }),
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
  const kind = report.api === "smartHome" ? "smart home, no interaction model" : undefined;
  const about = [
    ...(kind === undefined ? [] : [kind]),
    ...(report.stack === undefined ? [] : [`${report.stack} stack, ${report.endpointKind} endpoint`]),
  ];
  const stack = about.length === 0 ? "" : ` (${about.join("; ")})`;
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
            : `${alias.version}, ${alias.split.version} at ${canarySteps().formatPercent(alias.split.percent)}`,
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
      // Without interaction models, the recorded hash is the package's (manifest and files).
      { key: "model", header: report.api === "smartHome" ? "package" : "model" },
      "live",
      { key: "replaced", header: "replaced version" },
    ]);
  }
  if (report.regions !== undefined && report.regions.length > 0) {
    output.line();
    output.table(
      report.regions.map((region) => ({
        region: `${region.alexaRegions.join("/") || "(default endpoint)"} ${region.awsRegion}${region.home ? " (home)" : ""}`,
        blue: region.aliases.blue?.version ?? "missing",
        green: region.aliases.green?.version ?? "missing",
        code: region.inLine ? "same as home" : "DIFFERS: the next release puts it in line",
      })),
      ["region", "blue", "green", "code"],
    );
  }
  if (report.latest !== undefined) {
    output.line(`$LATEST of ${report.latest.functionName}: code sha256 ${report.latest.codeSha256}`);
  }
  const canary =
    report.canary === undefined
      ? []
      : canaryOutput().showCanaryStatus(output, report.canary, report.liveColour);
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

/** How a canary shows, loaded with the first status that has one. */
function canaryOutput(): typeof import("./support/canary") {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use (start budget)
  return require("./support/canary") as typeof import("./support/canary");
}

function canarySteps(): typeof import("../lib/release/canary/steps") {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use (start budget)
  return require("../lib/release/canary/steps") as typeof import("../lib/release/canary/steps");
}
