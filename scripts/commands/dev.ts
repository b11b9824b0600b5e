/**
 * `skillship dev` (`npm start`): the project's skill served locally on Alexa's HTTPS-endpoint protocol with its
 * media folder, reloaded on changes; `--tunnel` makes it reachable by Alexa, `--link` points the development
 * stage at it.
 */
import { Command } from "commander";
import { UsageError } from "../lib/core/errors";
import type { CommandContext } from "./context";
import { loadProject, profileOf, profileOption, type ProfileFlags } from "./support/project";

interface DevFlags extends ProfileFlags {
  port: number;
  host: string;
  tunnel?: boolean;
  link?: boolean;
  skillId?: string;
  outputs?: string;
  watch: boolean;
}

/** Parses `--port`: a whole number from 0 (any free port) to 65535. */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value.trim()) || port > 65535) {
    throw new UsageError(`--port must be a port number from 0 to 65535, got "${value}"`);
  }
  return port;
}

/** Registers `dev`. */
export function register(program: Command, context: CommandContext): void {
  const command = program
    .command("dev")
    .description("Serve the skill locally as Alexa talks to it (npm start), with media; reloads on changes")
    .option("--port <port>", "port to listen on", parsePort, 3000)
    .option("--host <address>", "address to bind: loopback, or another address with --tunnel", "127.0.0.1")
    .option("--tunnel", "open an ngrok tunnel so Alexa can reach it (NGROK_AUTHTOKEN, NGROK_DOMAIN)")
    .option(
      "--link",
      "point the development stage's endpoint at the tunnel, restored on exit (needs --tunnel)",
    )
    .option("--skill-id <id>", "the skill to link (default SKILL_ID, or the --outputs file's skillId)")
    .option("--outputs <file>", "stack outputs naming the skill to link")
    .option("--no-watch", "do not reload the skill when its code or skill package change");
  profileOption(command).action((flags: DevFlags) => devCommand(flags, context));
}

async function devCommand(flags: DevFlags, context: CommandContext): Promise<void> {
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded when the command runs (start budget) */
  const { startDevSession } =
    require("../lib/local/dev-server/session") as typeof import("../lib/local/dev-server/session");
  const { createSkillsPort } = require("../lib/adapters/smapi") as typeof import("../lib/adapters/smapi");
  const { resolveSkillTarget } = require("../lib/stack/outputs") as typeof import("../lib/stack/outputs");
  const { ngrokTunnel } = require("../lib/adapters/tunnel") as typeof import("../lib/adapters/tunnel");
  const { requireHttpsEndpoint } = require("../lib/project") as typeof import("../lib/project");
  /* eslint-enable @typescript-eslint/no-require-imports */
  const output = context.output({ json: false });
  if (flags.link && !flags.tunnel) {
    throw new UsageError("--link points the development stage at the tunnel: add --tunnel");
  }
  const project = loadProject(flags, context);
  requireHttpsEndpoint(project.kind, "dev");
  const link = flags.link
    ? {
        skills: createSkillsPort({ env: context.env, profile: profileOf(flags, context) }),
        skillId: resolveSkillTarget({
          outputs: flags.outputs,
          skillId: flags.skillId ?? context.env.skillId ?? project.skillId,
        }).skillId,
      }
    : undefined;
  const session = await startDevSession({
    project,
    host: flags.host,
    port: flags.port,
    tunnel: flags.tunnel ? ngrokTunnel(context.env.ngrok) : undefined,
    link,
    env: context.env.vars,
    watch: flags.watch ? undefined : false,
    log: (line) => output.line(line),
  });
  output.line(session.banner);
  await untilStopped();
  output.line("Stopping…");
  await session.close();
  output.line(
    `Stopped: ${link ? "development endpoint restored, " : ""}${flags.tunnel ? "tunnel closed, " : ""}port ${session.port} freed.`,
  );
}

// Resolves on the first Ctrl-C or SIGTERM; a second one while closing is left to Node's default (exit at once).
function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}
