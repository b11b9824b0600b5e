/**
 * Failures of Login with Amazon say Login with Amazon: the SDK fetches its access token through the same HTTP
 * client as its API calls, and a token host that cannot be reached, or that fails, must not read as the Skill
 * Management API's fault.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  createSkillsPort,
  CredentialsRefusedError,
  SmapiError,
} from "../../../../scripts/lib/adapters/smapi";
import { readEnvironment } from "../../../../scripts/lib/core/env";
import { FAKE_SKILL_ID, startFakeSmapi, type FakeSmapi } from "../../../../testkit/fakes/smapi";

const fast = { attempts: 2, initialDelayMs: 1, maxDelayMs: 2 };

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A loopback URL nothing listens on: connections to it are refused, as to a host that does not resolve. */
async function deadUrl(): Promise<string> {
  const server = createServer();
  const url = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return url;
}

describe("Login with Amazon failures, named as such", () => {
  let fake: FakeSmapi;
  beforeEach(async () => {
    fake = await startFakeSmapi();
  });
  afterEach(async () => {
    await fake.close();
  });

  const port = (overrides: Record<string, string>) =>
    createSkillsPort({ env: readEnvironment({ ...fake.env, ...overrides }), retryPolicy: fast });

  it("says Login with Amazon could not be reached, naming its host and variable, not the API", async () => {
    const lwa = await deadUrl();
    const error = await port({ ASK_LWA_TOKEN_HOST: lwa })
      .getManifest(FAKE_SKILL_ID, "development")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SmapiError);
    const message = (error as Error).message;
    expect(message).toMatch(
      new RegExp(
        `^Could not reach Login with Amazon at ${lwa} for an access token while reading the manifest`,
      ),
    );
    expect(message).toContain("check ASK_LWA_TOKEN_HOST and the network");
    expect(message).not.toContain("Skill Management API");
    expect(fake.calls.filter((call) => call.service === "smapi")).toHaveLength(0);
  });

  it("says Login with Amazon kept failing when its token endpoint answers 5xx", async () => {
    const failing = createServer((_, response) => {
      response
        .writeHead(503, { "content-type": "application/json" })
        .end(JSON.stringify({ error: "unavailable" }));
    });
    const lwa = await listen(failing);
    try {
      const error = await port({ ASK_LWA_TOKEN_HOST: lwa })
        .listCertifications(FAKE_SKILL_ID)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SmapiError);
      expect((error as Error).message).toMatch(
        /^Login with Amazon kept failing \(503[^)]*\) when asked for an access token while listing/,
      );
    } finally {
      await new Promise((resolve) => failing.close(resolve));
    }
  });

  it("keeps naming refused credentials (invalid_grant) and an unreachable API as before", async () => {
    const refused = await port({ ASK_REFRESH_TOKEN: "Atzr|not-the-one" })
      .getManifest(FAKE_SKILL_ID, "development")
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CredentialsRefusedError);
    expect((refused as Error).message).toMatch(/^Login with Amazon refused the credentials .*invalid_grant/);
    expect((refused as Error).message).not.toContain("Atzr|not-the-one");

    const api = await deadUrl();
    const unreachable = await port({ ASK_SMAPI_SERVER_BASE_URL: api })
      .getManifest(FAKE_SKILL_ID, "development")
      .catch((e: unknown) => e);
    expect((unreachable as Error).message).toMatch(
      new RegExp(`^Could not reach the Skill Management API at ${api} while reading the manifest`),
    );
  });
});
