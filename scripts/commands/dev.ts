/**
 * `skillship dev` (`npm start`): the skill served locally on Alexa's HTTPS-endpoint protocol with its media,
 * reloaded on changes; `--tunnel` makes it reachable by Alexa, `--link` points the development stage at it.
 */
import * as path from "node:path";
import { Command } from "commander";
import { startDevSession, type DevSession } from "../lib/local/dev-server/session";
import { UsageError } from "../lib/core/errors";
import { createSkillsPort } from "../lib/adapters/smapi";
import { resolveSkillTarget } from "../lib/stack/outputs";
import { ngrokTunnel } from "../lib/adapters/tunnel";
import type { CommandContext } from "./context";

const ROOT = path.resolve(__dirname, "..", "..");

interface DevFlags {
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
  program
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
    .option("--no-watch", "do not reload the skill when skill/ or skill-package/ change")
    .action(async (flags: DevFlags) => {
      const output = context.output({ json: false });
      if (flags.link && !flags.tunnel) {
        throw new UsageError("--link points the development stage at the tunnel: add --tunnel");
      }
      const link = flags.link
        ? {
            skills: createSkillsPort({ env: context.env }),
            skillId: resolveSkillTarget({
              outputs: flags.outputs,
              skillId: flags.skillId ?? context.env.skillId,
            }).skillId,
          }
        : undefined;
      const session: DevSession = await startDevSession({
        root: ROOT,
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
    });
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
