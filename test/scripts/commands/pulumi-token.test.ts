/**
 * `skillship pulumi-token` against loopback stand-ins for GitHub's OIDC token endpoint and Pulumi Cloud's OAuth
 * token endpoint: the exchange GitHub Actions jobs use instead of a standing PULUMI_ACCESS_TOKEN secret.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { plainEnv, runCli, tempDir } from "./cli-harness";

const ID_TOKEN = "eyJhbGciOiJSUzI1NiJ9.github-oidc-token-of-the-test.sig";
const PULUMI_TOKEN = "pul-team-token-of-the-test-0123456789";
const REQUEST_TOKEN = "actions-request-token-of-the-test";

interface Seen {
  idTokenQuery?: URLSearchParams;
  idTokenAuthorization?: string;
  exchange?: Record<string, unknown>;
}

function body(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
  });
}

async function startServices(refuse = false): Promise<{ url: string; seen: Seen; server: Server }> {
  const seen: Seen = {};
  const server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? "/", "http://127.0.0.1");
      const text = await body(request);
      response.setHeader("content-type", "application/json");
      if (url.pathname === "/github/token") {
        seen.idTokenQuery = url.searchParams;
        seen.idTokenAuthorization = request.headers.authorization;
        response.end(JSON.stringify({ value: ID_TOKEN }));
      } else if (url.pathname === "/api/oauth/token" && request.method === "POST") {
        seen.exchange = JSON.parse(text) as Record<string, unknown>;
        if (refuse) {
          response
            .writeHead(401)
            .end(JSON.stringify({ error: "invalid_grant", error_description: "no policy" }));
        } else {
          response.end(
            JSON.stringify({ access_token: PULUMI_TOKEN, token_type: "Bearer", expires_in: 3600 }),
          );
        }
      } else {
        response.writeHead(404).end("{}");
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

describe("skillship pulumi-token", () => {
  let services: { url: string; seen: Seen; server: Server } | undefined;
  afterEach(async () => {
    if (services) await new Promise((resolve) => services!.server.close(resolve));
    services = undefined;
  });

  function jobEnv(url: string, envFile: string): Record<string, string | undefined> {
    return {
      ...plainEnv,
      GITHUB_ACTIONS: "true",
      GITHUB_ENV: envFile,
      ACTIONS_ID_TOKEN_REQUEST_URL: `${url}/github/token?api-version=2.0`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: REQUEST_TOKEN,
    };
  }

  it("exchanges the job's OIDC token for a team token, masks it, and hands it to the next steps", async () => {
    services = await startServices();
    const envFile = join(tempDir(), "github-env");
    writeFileSync(envFile, "EARLIER=1\n");

    const result = await runCli(
      [
        "pulumi-token",
        "--organization",
        "acme",
        "--team",
        "skillship-preview",
        "--expiration",
        "30m",
        "--api",
        services.url,
      ],
      jobEnv(services.url, envFile),
    );

    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(services.seen.idTokenQuery?.get("audience")).toBe("urn:pulumi:org:acme");
    expect(services.seen.idTokenQuery?.get("api-version")).toBe("2.0");
    expect(services.seen.idTokenAuthorization).toBe(`Bearer ${REQUEST_TOKEN}`);
    expect(services.seen.exchange).toEqual({
      audience: "urn:pulumi:org:acme",
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
      requested_token_type: "urn:pulumi:token-type:access_token:team",
      scope: "team:skillship-preview",
      expiration: 1800,
      subject_token: ID_TOKEN,
    });
    expect(readFileSync(envFile, "utf8")).toBe(`EARLIER=1\nPULUMI_ACCESS_TOKEN=${PULUMI_TOKEN}\n`);
    // The mask command comes first; nothing else the command prints shows either token.
    const lines = result.stdout.split("\n");
    expect(lines[0]).toBe(`::add-mask::${PULUMI_TOKEN}`);
    expect(lines.slice(1).join("\n")).not.toContain(PULUMI_TOKEN);
    expect(result.stdout).not.toContain(ID_TOKEN);
    expect(result.stdout).toContain("A Pulumi Cloud token of team skillship-preview (acme), valid 30m");
  });

  it("says what Pulumi Cloud refused and what to set up, printing no token", async () => {
    services = await startServices(true);
    const envFile = join(tempDir(), "github-env");
    writeFileSync(envFile, "");

    const result = await runCli(
      ["pulumi-token", "--organization", "acme", "--team", "skillship-preview", "--api", services.url],
      jobEnv(services.url, envFile),
    );

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "Pulumi Cloud refused a token for team skillship-preview of acme (401, invalid_grant: no policy)",
    );
    expect(result.stderr + result.stdout).not.toContain(ID_TOKEN);
    expect(readFileSync(envFile, "utf8")).toBe("");
  });

  it("outside a job with id-token: write, names the variables it needs", async () => {
    const result = await runCli(["pulumi-token", "--organization", "acme", "--team", "t"], {
      ...plainEnv,
      ACTIONS_ID_TOKEN_REQUEST_URL: undefined,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: undefined,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are required",
    );
    expect(result.stderr).toContain("id-token: write");
  });

  it("refuses a lifetime Pulumi Cloud does not grant", async () => {
    const result = await runCli(
      ["pulumi-token", "--organization", "acme", "--team", "t", "--expiration", "3h"],
      plainEnv,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--expiration 3h is longer than Pulumi Cloud grants (2h)");
  });
});
