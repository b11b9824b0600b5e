/**
 * `skillship deploy-model`: the repository's skill package to the development stage, whole (the manifest with the
 * right endpoint, every locale's model, the icons and every other file, imported as one zip; account linking on
 * its own), then every locale's build waited for at once. A package the stage already holds is not imported again.
 * A smart-home package has no interaction model: its import has nothing to build, and the report says so.
 */
import { Command, Option } from "commander";
import { parseDuration } from "../lib/core/duration";
import { OperationError, UsageError } from "../lib/core/errors";
import type { Output } from "../lib/core/output";
import type { DeployModelResult } from "../lib/package/deploy";
import type { CommandContext } from "./context";
import {
  loadProject,
  profileOf,
  profileOption,
  withProjectSkillId,
  type ProfileFlags,
} from "./support/project";

interface DeployModelFlags extends ProfileFlags {
  stage: "development";
  endpoint?: string;
  outputs?: string;
  skillId?: string;
  package?: string;
  strict?: boolean;
  force?: boolean;
  timeout: string;
  json?: boolean;
}

/** Registers `deploy-model`. */
export function register(program: Command, context: CommandContext): void {
  const command = program
    .command("deploy-model")
    .description(
      "deploy the skill package to the development stage as one import (manifest with the endpoint, every " +
        "locale's model, icons and every other file; account linking on its own) and wait for every locale's build " +
        "(a smart-home package has no model to build)",
    )
    .addOption(
      new Option("--stage <stage>", "the stage to write (only development can be written)")
        .choices(["development"])
        .default("development"),
    )
    .option(
      "--endpoint <arn-or-url>",
      "the endpoint the manifest names: a Lambda ARN or an https:// URL (default: developmentEndpoint of --outputs)",
    )
    .option("--outputs <file>", "stack outputs written by `pulumi stack output --json > FILE`")
    .option("--skill-id <id>", "the skill id (overrides the outputs' skillId)")
    .option("--package <dir>", "the skill package folder (default: skillPackage of the project)")
    .option("--strict", "fail (exit 1) when the skill is locked in certification, instead of exit 0")
    .option("--force", "import the package even when the development stage already holds it")
    .option("--timeout <duration>", "how long to wait for the builds (exit 3 when it runs out)", "15m")
    .option("--json", "print one JSON document instead of text");
  profileOption(command).action((flags: DeployModelFlags) => deployModelCommand(flags, context));
}

async function deployModelCommand(flags: DeployModelFlags, context: CommandContext): Promise<void> {
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded when the command runs (start budget) */
  const { createSmapiPorts } = require("../lib/adapters/smapi") as typeof import("../lib/adapters/smapi");
  const { deployModel } = require("../lib/package/deploy") as typeof import("../lib/package/deploy");
  const { manifestEndpoint, parseEndpoint } =
    require("../lib/package/endpoint") as typeof import("../lib/package/endpoint");
  const { passLintGate } = require("../lib/package/gate") as typeof import("../lib/package/gate");
  const { readSkillPackage } =
    require("../lib/package/skill-package") as typeof import("../lib/package/skill-package");
  const { resolveSkillTarget, regionalEndpointsOf } =
    require("../lib/stack/outputs") as typeof import("../lib/stack/outputs");
  const { assertManifestRegions } =
    require("../lib/package/regions") as typeof import("../lib/package/regions");
  const { displayPath } = require("../lib/project") as typeof import("../lib/project");
  /* eslint-enable @typescript-eslint/no-require-imports */
  const env = context.env;
  const output = context.output({ json: flags.json === true });
  const timeoutMs = parseDuration(flags.timeout);
  const project = loadProject(flags, context);
  const target = resolveSkillTarget(withProjectSkillId(flags, project));
  const endpointText = flags.endpoint ?? target.outputs?.developmentEndpoint;
  if (endpointText === undefined) {
    throw new UsageError(
      "Which endpoint? Pass --endpoint ARN-or-URL, or --outputs FILE whose developmentEndpoint is used",
    );
  }
  const endpoint = manifestEndpoint(
    parseEndpoint(
      endpointText,
      flags.endpoint === undefined ? `developmentEndpoint of ${flags.outputs}` : "--endpoint",
    ),
  );
  const pkg = await readSkillPackage(flags.package ?? displayPath(project.paths.skillPackage));
  await passLintGate(pkg, project, "deployed", (text) => output.warn(text));
  // A stack with regional endpoints: each region of the manifest names that region's function.
  const regionalEndpoints =
    target.outputs === undefined ? {} : regionalEndpointsOf(target.outputs, endpointText);
  if (target.outputs !== undefined) assertManifestRegions(pkg.manifest, target.outputs, pkg.root);
  const { skills, packages } = createSmapiPorts({ env, profile: profileOf(flags, context) });

  output.heading(`Deploying ${pkg.root} to the ${flags.stage} stage of ${target.skillId}`);
  output.line(`Endpoint: ${endpoint.uri}`);
  for (const [region, uri] of Object.entries(regionalEndpoints)) output.line(`Endpoint in ${region}: ${uri}`);
  const result = await deployModel(
    { skills, packages },
    {
      skillId: target.skillId,
      stage: flags.stage,
      pkg,
      endpoint,
      regionalEndpoints,
      progress: (label) => output.progress(label),
      timeoutMs,
      readSecret: env.variable,
      force: flags.force === true,
    },
  );
  report(result, output);
  output.result(result);
  if (result.outcome === "locked" && flags.strict === true) {
    throw new OperationError(`${result.message} (--strict)`);
  }
}

function report(result: DeployModelResult, output: Output): void {
  if (result.outcome === "locked") {
    output.line(result.message);
    output.summary(`### Skill package not deployed\n\n${result.message}`);
    return;
  }
  const archive = result.package;
  const packageLine =
    `Package: ${archive.files} files, ${(archive.bytes / 1024).toFixed(1)} KB zipped, sha256 ${archive.sha256.slice(0, 12)}: ` +
    (archive.import === "imported"
      ? `imported (import ${archive.importId ?? "?"})`
      : "the development stage already holds it, not imported again (--force imports anyway)");
  const rows = [
    { part: "manifest", outcome: result.manifest },
    ...(result.icons === undefined ? [] : [{ part: "icons", outcome: result.icons }]),
    ...(result.accountLinking === undefined
      ? []
      : [{ part: "account linking", outcome: result.accountLinking }]),
    ...Object.entries(result.locales).map(([locale, outcome]) => ({
      part: locale,
      outcome: outcome === "updated" ? "updated and built" : "unchanged",
    })),
    ...(Object.keys(result.locales).length === 0
      ? [{ part: "interaction models", outcome: "none (nothing to build)" }]
      : []),
  ];
  output.table(rows, ["part", "outcome"]);
  output.line(packageLine);
  output.line(`The development stage of ${result.skillId} has the repository's skill package.`);
  output.summary(
    [
      `### Skill package deployed to the development stage`,
      "",
      `Endpoint: \`${result.endpoint.uri}\``,
      "",
      packageLine,
      "",
      "| part | outcome |",
      "| --- | --- |",
      ...rows.map((row) => `| ${row.part} | ${row.outcome} |`),
    ].join("\n"),
  );
}
