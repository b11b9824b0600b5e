/**
 * Issue 12, part 7: a Skill Management API that echoes the request's `Authorization` header in its error body.
 * Whatever the command and the output mode, neither the access token it was called with nor a configured secret
 * reaches stdout or stderr: the reporter and the top-level error path both mask them.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { FAKE_SKILL_ID } from "../../../testkit/fakes/smapi";
import { plainEnv, runCli } from "./cli-harness";

const ACCESS_TOKEN = "Atza|IwEBIEchoedAccessTokenOfTheTest0123";
const REFRESH_TOKEN = "Atzr|IwEBIRefreshTokenOfTheTest4567";
const CLIENT_SECRET = "amzn1.oa2-cs.v1.client-secret-of-the-test";

/** Login with Amazon hands out ACCESS_TOKEN; every other call is refused with the request's headers echoed. */
async function startEchoingService(): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      if ((request.url ?? "").toLowerCase().startsWith("/auth/o2/token")) {
        response.writeHead(200, { "content-type": "application/json" });
        response.end(JSON.stringify({ access_token: ACCESS_TOKEN, token_type: "bearer", expires_in: 3600 }));
        return;
      }
      response.writeHead(403, { "content-type": "application/json" });
      response.end(JSON.stringify({ message: `Denied for ${JSON.stringify(request.headers)}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe("a service that echoes the Authorization header", () => {
  let service: { url: string; server: Server };
  beforeAll(async () => {
    service = await startEchoingService();
  });
  afterAll(async () => {
    await new Promise((resolve) => service.server.close(resolve));
  });

  const endpoint = "arn:aws:lambda:eu-west-1:123456789012:function:jokebox-dev";
  it.each([
    ["status", ["status", "--skill-id", FAKE_SKILL_ID]],
    ["status --json", ["status", "--json", "--skill-id", FAKE_SKILL_ID]],
    ["diff", ["diff", "--stage", "development", "--skill-id", FAKE_SKILL_ID]],
    ["deploy-model", ["deploy-model", "--skill-id", FAKE_SKILL_ID, "--endpoint", endpoint]],
    ["deploy-model --json", ["deploy-model", "--json", "--skill-id", FAKE_SKILL_ID, "--endpoint", endpoint]],
    [
      "dialog --remote",
      ["dialog", "--remote", "--skill-id", FAKE_SKILL_ID, "--replay", "test/dialogs/en-US.yaml"],
    ],
  ])("%s prints neither the access token nor a configured secret", async (_, args) => {
    const result = await runCli(args, {
      ...plainEnv,
      ASK_SMAPI_SERVER_BASE_URL: service.url,
      ASK_LWA_TOKEN_HOST: service.url,
      ASK_LWA_CLIENT_ID: "amzn1.application-oa2-client.test",
      ASK_LWA_CLIENT_SECRET: CLIENT_SECRET,
      ASK_REFRESH_TOKEN: REFRESH_TOKEN,
    });

    const printed = result.stdout + result.stderr;
    expect(result.code).toBe(1);
    // The echo reached the output (masked), so the test would see a leak.
    expect(printed).toContain('"authorization":"Bearer Atza|***"');
    for (const secret of ["IwEBIEchoedAccessToken", "IwEBIRefreshToken", CLIENT_SECRET]) {
      expect(printed).not.toContain(secret);
    }
  });

  it("commander's own messages are masked too", async () => {
    const result = await runCli(["status", `--no-such-flag=${REFRESH_TOKEN}`], {
      ...plainEnv,
      ASK_REFRESH_TOKEN: REFRESH_TOKEN,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown option");
    expect(result.stderr).not.toContain("IwEBIRefreshToken");
  });
});
