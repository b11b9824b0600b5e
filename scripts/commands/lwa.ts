/**
 * `skillship lwa login`: Login with Amazon's authorization-code flow on 127.0.0.1 with the team's own security
 * profile, to mint the refresh token CI needs (`ASK_REFRESH_TOKEN`). The token is shown only with
 * `--show-token`, and then alone on stdout so it can be piped into `gh secret set` without appearing on screen.
 */
import { spawn } from "node:child_process";
import type { Command } from "commander";
import { parseDuration } from "../lib/core/duration";
import { requireLwaSecurityProfile, type CliEnvironment } from "../lib/core/env";
import { UsageError } from "../lib/core/errors";
import {
  authorizeUrl,
  DEFAULT_AUTHORIZE_URL,
  DEFAULT_SCOPES,
  exchangeAuthorizationCode,
  newState,
  startRedirectReceiver,
} from "../lib/adapters/lwa";
import type { Output, OutputStream } from "../lib/core/output";
import type { CommandContext } from "./context";

/** Flags of `skillship lwa login`. */
export interface LwaLoginFlags {
  port: string;
  scopes: string;
  showToken?: boolean;
  authorizeUrl: string;
  browser: boolean;
  timeout: string;
}

/** What the command talks to: the run's environment; tests also replace the streams and the browser. */
export interface LwaLoginDependencies {
  env: CliEnvironment;
  /** Where people-facing text goes (stdout, or stderr with `--show-token`). */
  output?: Output;
  /** Where `--show-token` writes the token. Default stdout. */
  tokenStream?: OutputStream;
  /** True when a person is at a terminal (a browser is opened only then). */
  interactive?: boolean;
  openBrowser?: (url: string) => void;
  /** Called with the authorize URL once the receiver listens (the tests' scripted browser starts here). */
  onAuthorizeUrl?: (url: string) => void;
}

/** Registers `skillship lwa login`. */
export function register(program: Command, context: CommandContext): void {
  const lwa = program
    .command("lwa")
    .description("Login with Amazon: mint the refresh token CI signs in with");
  lwa
    .command("login")
    .description(
      "Authorization-code flow on 127.0.0.1 with the security profile of ASK_LWA_CLIENT_ID / ASK_LWA_CLIENT_SECRET; " +
        "prints how to store the refresh token as a GitHub environment secret",
    )
    .option("--port <port>", "local port of the redirect receiver (http://127.0.0.1:PORT/cb)", "9090")
    .option("--scopes <scopes>", "space-separated scopes to ask for", DEFAULT_SCOPES.join(" "))
    .option("--show-token", "print the refresh token, alone on stdout (pipe it into gh secret set)")
    .option("--authorize-url <url>", "Login with Amazon's authorization page", DEFAULT_AUTHORIZE_URL)
    .option("--no-browser", "do not try to open a browser, only print the URL")
    .option("--timeout <duration>", "how long to wait for the redirect", "5m")
    .action((flags: LwaLoginFlags) => lwaLoginCommand(flags, { env: context.env }));
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--port must be a port number (0-65535), got "${text}"`);
  }
  return port;
}

function parseScopes(text: string): string[] {
  const scopes = text.split(/[\s,]+/).filter((scope) => scope !== "");
  if (scopes.length === 0) {
    throw new UsageError("--scopes must name at least one scope, e.g. alexa::ask:skills:readwrite");
  }
  return scopes;
}

/** Opens the URL in the desktop's browser; failures are ignored (the URL is printed anyway). */
function openInBrowser(url: string): void {
  // No library for this among the dependencies; the three platform commands are all it takes.
  const [command, args] =
    process.platform === "darwin"
      ? ["open", [url]]
      : process.platform === "win32"
        ? ["cmd", ["/c", "start", '""', url]]
        : ["xdg-open", [url]];
  try {
    const child = spawn(command, args, { stdio: "ignore", detached: true });
    child.on("error", () => undefined);
    child.unref();
  } catch {
    // The URL is on screen: the person opens it by hand.
  }
}

/**
 * Runs the login: receiver first, then the URL (and a browser on a terminal), then the exchange, then a check
 * that the token works (listing the account's vendors), then the storage instructions.
 */
export async function lwaLoginCommand(
  flags: LwaLoginFlags,
  dependencies: LwaLoginDependencies,
): Promise<void> {
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded when the command runs (start budget) */
  const { createOutput } = require("../lib/core/output") as typeof import("../lib/core/output");
  const { listVendors } = require("../lib/adapters/smapi") as typeof import("../lib/adapters/smapi");
  /* eslint-enable @typescript-eslint/no-require-imports */
  const env = dependencies.env;
  const profile = requireLwaSecurityProfile(env);
  const port = parsePort(flags.port);
  const scopes = parseScopes(flags.scopes);
  const timeoutMs = parseDuration(flags.timeout);
  const output =
    dependencies.output ??
    createOutput({ json: false, stream: flags.showToken === true ? process.stderr : process.stdout, env });
  const interactive =
    dependencies.interactive ?? (process.stdin.isTTY === true && process.stderr.isTTY === true);

  const state = newState();
  const receiver = await startRedirectReceiver({
    port,
    state,
    timeoutMs,
    onRefused: (reason) => output.warn(reason),
  });
  let code: string;
  try {
    const url = authorizeUrl({
      authorizeUrl: flags.authorizeUrl,
      clientId: profile.clientId,
      scopes,
      redirectUri: receiver.redirectUri,
      state,
    });
    output.heading(`Login with Amazon for security profile ${profile.clientId}`);
    output.line(
      "Open this URL in a browser, sign in with the account that owns the skills and allow access:",
    );
    output.line(`  ${url}`);
    output.line(
      `Waiting for the redirect to ${receiver.redirectUri} (the security profile must list it under ` +
        "Allowed Return URLs)…",
    );
    if (interactive && flags.browser) {
      (dependencies.openBrowser ?? openInBrowser)(url);
    }
    dependencies.onAuthorizeUrl?.(url);
    code = await receiver.code;
  } finally {
    await receiver.close();
  }

  const tokens = await exchangeAuthorizationCode({
    tokenHost: env.lwaTokenHost,
    clientId: profile.clientId,
    clientSecret: profile.clientSecret,
    code,
    redirectUri: receiver.redirectUri,
  });
  output.addSecret(tokens.refreshToken);
  output.addSecret(tokens.accessToken);
  output.line(
    `Signed in: a refresh token was minted for ${profile.clientId} with scopes ${scopes.join(" ")}.`,
  );

  try {
    const vendors = await listVendors({ ...profile, refreshToken: tokens.refreshToken }, { env });
    for (const vendor of vendors) {
      output.line(`The token works: vendor ${vendor.name ?? "(unnamed)"} (vendor id ${vendor.id})`);
    }
  } catch (error) {
    output.warn(
      `The token was minted but listing the account's vendors failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }

  if (flags.showToken === true) {
    (dependencies.tokenStream ?? process.stdout).write(`${tokens.refreshToken}\n`);
    output.line("The refresh token was written alone on stdout.");
  } else {
    output.line("The refresh token is not shown: pass --show-token to print it (alone, on stdout).");
  }
  output.line("");
  output.line(
    "Store it as a secret of the GitHub environment that releases, without it ever showing on screen:",
  );
  output.line("  skillship lwa login --show-token | gh secret set ASK_REFRESH_TOKEN --env production");
  output.line("and the security profile beside it (gh prompts for each value):");
  output.line("  gh secret set ASK_LWA_CLIENT_ID --env production");
  output.line("  gh secret set ASK_LWA_CLIENT_SECRET --env production");
  output.line("Repeat with --env beta for the beta environment if it has its own secrets.");
}
