/**
 * `skillship deploy-model`: the repository's skill package to the development stage, whole (the manifest with the
 * right endpoint, every locale's model, the icons and every other file, imported as one zip; account linking on
 * its own), then every locale's build waited for at once. A package the stage already holds is not imported again.
 */
import { Command, Option } from "commander";
import { createSmapiPorts } from "../lib/adapters/smapi";
import { parseDuration } from "../lib/core/duration";
import type { CliEnvironment } from "../lib/core/env";
import { OperationError, UsageError } from "../lib/core/errors";
import type { Output } from "../lib/core/output";
import { deployModel, type DeployModelResult } from "../lib/package/deploy";
import { manifestEndpoint, parseEndpoint } from "../lib/package/endpoint";
import { passLintGate } from "../lib/package/gate";
import { readSkillPackage } from "../lib/package/skill-package";
import { resolveSkillTarget } from "../lib/stack/outputs";
import type { CommandContext } from "./context";

interface DeployModelFlags {
  stage: "development";
  endpoint?: string;
  outputs?: string;
  skillId?: string;
  package: string;
  strict?: boolean;
  force?: boolean;
  timeout: string;
  json?: boolean;
}

/** Registers `deploy-model`. */
export function register(program: Command, context: CommandContext): void {
  program
    .command("deploy-model")
    .description(
      "deploy the skill package to the development stage as one import (manifest with the endpoint, every " +
        "locale's model, icons and every other file; account linking on its own) and wait for every locale's build",
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
    .option("--package <dir>", "the skill package folder", "skill-package")
    .option("--strict", "fail (exit 1) when the skill is locked in certification, instead of exit 0")
    .option("--force", "import the package even when the development stage already holds it")
    .option("--timeout <duration>", "how long to wait for the builds (exit 3 when it runs out)", "15m")
    .option("--json", "print one JSON document instead of text")
    .action(async (flags: DeployModelFlags) => {
      await deployModelCommand(flags, context.output({ json: flags.json === true }), context.env);
    });
}

async function deployModelCommand(
  flags: DeployModelFlags,
  output: Output,
  env: CliEnvironment,
): Promise<void> {
  const timeoutMs = parseDuration(flags.timeout);
  const target = resolveSkillTarget(flags);
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
  const pkg = await readSkillPackage(flags.package);
  await passLintGate(pkg, "deployed", (text) => output.warn(text));
  const { skills, packages } = createSmapiPorts({ env });

  output.heading(`Deploying ${flags.package} to the ${flags.stage} stage of ${target.skillId}`);
  output.line(`Endpoint: ${endpoint.uri}`);
  const result = await deployModel(
    { skills, packages },
    {
      skillId: target.skillId,
      stage: flags.stage,
      pkg,
      endpoint,
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
