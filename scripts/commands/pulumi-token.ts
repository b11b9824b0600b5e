/**
 * `skillship pulumi-token`: in a GitHub Actions job, a short-lived Pulumi Cloud token of one team, obtained by
 * exchanging the job's GitHub OIDC token, so that no workflow holds a standing `PULUMI_ACCESS_TOKEN` secret. The
 * token goes to the job's later steps through `GITHUB_ENV`, masked in the job log first.
 */
import { appendFileSync } from "node:fs";
import type { Command } from "commander";
import { ConfigError, UsageError } from "../lib/core/errors";
import { parseDuration } from "../lib/core/duration";
import type { CliEnvironment } from "../lib/core/env";
import { createOutput } from "../lib/core/output";
import {
  PULUMI_CLOUD_API,
  exchangeForPulumiToken,
  gitHubIdToken,
  pulumiAudience,
} from "../lib/adapters/pulumi-cloud";
import type { CommandContext } from "./context";

interface PulumiTokenFlags {
  organization: string;
  team: string;
  expiration: string;
  api: string;
}

/** Where the token goes besides `GITHUB_ENV`: the stream GitHub reads its `::add-mask::` command from. */
export interface PulumiTokenDependencies {
  env: CliEnvironment;
  commandStream?: { write(text: string): unknown };
}

/** Pulumi Cloud grants team tokens for at most two hours. */
const MAX_EXPIRATION_MS = 2 * 3_600_000;

/** Registers `skillship pulumi-token`. */
export function register(program: Command, context: CommandContext): void {
  program
    .command("pulumi-token")
    .description(
      "in a GitHub Actions job: exchange its OIDC token for a short-lived Pulumi Cloud token of one team, " +
        "exported as PULUMI_ACCESS_TOKEN to the job's later steps",
    )
    .requiredOption("--organization <name>", "the Pulumi Cloud organization")
    .requiredOption("--team <name>", "the team whose stack permissions the token carries")
    .option("--expiration <duration>", "how long the token lives, at most 2h", "1h")
    .option("--api <url>", "Pulumi Cloud's API", PULUMI_CLOUD_API)
    .action((flags: PulumiTokenFlags) => pulumiTokenCommand(flags, { env: context.env }));
}

/** Runs the exchange and hands the token to the job's later steps. */
export async function pulumiTokenCommand(
  flags: PulumiTokenFlags,
  dependencies: PulumiTokenDependencies,
): Promise<void> {
  const { env } = dependencies;
  const expirationMs = parseDuration(flags.expiration, "--expiration");
  if (expirationMs > MAX_EXPIRATION_MS) {
    throw new UsageError(`--expiration ${flags.expiration} is longer than Pulumi Cloud grants (2h)`);
  }
  const request = env.github.idTokenRequest;
  if (request === undefined) {
    throw new ConfigError(
      "Environment variables ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are required: " +
        "GitHub sets them in a job with permissions id-token: write",
    );
  }
  const envFile = env.github.envFile;
  if (envFile === undefined) {
    throw new ConfigError("Environment variable GITHUB_ENV is required: run this in a GitHub Actions step");
  }
  const output = createOutput({ json: false, env });
  const idToken = await gitHubIdToken(request, pulumiAudience(flags.organization));
  output.addSecret(idToken);
  const token = await exchangeForPulumiToken({
    api: flags.api,
    organization: flags.organization,
    team: flags.team,
    idToken,
    expirationSeconds: Math.round(expirationMs / 1000),
  });
  output.addSecret(token);
  // GitHub's workflow command: from here on the runner masks the token in every line of the job's log. The
  // runner consumes the line; it never shows.
  (dependencies.commandStream ?? process.stdout).write(`::add-mask::${token}\n`);
  appendFileSync(envFile, `PULUMI_ACCESS_TOKEN=${token}\n`);
  output.line(
    `A Pulumi Cloud token of team ${flags.team} (${flags.organization}), valid ${flags.expiration}, is ` +
      "in PULUMI_ACCESS_TOKEN for the job's next steps.",
  );
}
