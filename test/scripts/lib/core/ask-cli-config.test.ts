/**
 * Credentials as Alexa developers already have them: the ASK_* variables (always in CI), or locally an ASK CLI
 * profile of ~/.ask/cli_config, whose access token serves while valid and whose refresh token is refreshed only
 * with the team's own security profile.
 */
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { resolveSmapiAuth } from "../../../../scripts/lib/core/ask-cli-config";
import { readEnvironment } from "../../../../scripts/lib/core/env";
import { ConfigError } from "../../../../scripts/lib/core/errors";
import { plainEnv, runCli } from "../../commands/cli-harness";
import { FAKE_SKILL_ID, startFakeSmapi } from "../../../../testkit/fakes/smapi";

const NOW = Date.parse("2026-06-01T12:00:00Z");

/** A home folder whose ~/.ask/cli_config holds these profiles. */
async function home(profiles: Record<string, unknown>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "skillship-home-"));
  await mkdir(path.join(dir, ".ask"));
  await writeFile(path.join(dir, ".ask", "cli_config"), JSON.stringify({ profiles }));
  return dir;
}

const token = (accessToken: string, expiresAt: string, refreshToken = "Atzr|profile-refresh") => ({
  token: {
    access_token: accessToken,
    refresh_token: refreshToken,
    token_type: "bearer",
    expires_in: 3600,
    expires_at: expiresAt,
  },
  vendor_id: "M1VENDOR",
});

describe("resolveSmapiAuth", () => {
  it("uses the ASK_* variables when ASK_REFRESH_TOKEN is set, whatever the profiles say", async () => {
    const HOME = await home({ default: token("Atza|a", "2026-06-01T13:00:00Z") });
    const env = readEnvironment({
      HOME,
      ASK_LWA_CLIENT_ID: "id",
      ASK_LWA_CLIENT_SECRET: "s",
      ASK_REFRESH_TOKEN: "r",
    });
    expect(resolveSmapiAuth(env, { now: () => NOW })).toMatchObject({
      kind: "refresh-token",
      refreshToken: "r",
    });
  });

  it("uses a profile's access token while it is valid: default, ASK_DEFAULT_PROFILE, or --profile", async () => {
    const HOME = await home({
      default: token("Atza|default", "2026-06-01T13:00:00Z"),
      work: token("Atza|work", "2026-06-01T13:00:00Z"),
    });
    const source = path.join(HOME, ".ask", "cli_config");
    expect(resolveSmapiAuth(readEnvironment({ HOME }), { now: () => NOW })).toEqual({
      kind: "access-token",
      accessToken: "Atza|default",
      source: `ASK CLI profile "default" (${source})`,
    });
    const work = readEnvironment({ HOME, ASK_DEFAULT_PROFILE: "work" });
    expect(resolveSmapiAuth(work, { now: () => NOW })).toMatchObject({ accessToken: "Atza|work" });
    expect(resolveSmapiAuth(work, { profile: "default", now: () => NOW })).toMatchObject({
      accessToken: "Atza|default",
    });
  });

  it("never refreshes the ASK CLI's own client's token: an expired one says what to run", async () => {
    const HOME = await home({ default: token("Atza|old", "2026-06-01T12:03:00Z") });
    const resolve = () => resolveSmapiAuth(readEnvironment({ HOME }), { now: () => NOW });
    expect(resolve).toThrow(ConfigError);
    expect(resolve).toThrow(
      /expired at 2026-06-01T12:03:00\.000Z.*does not refresh tokens of the ASK CLI's own/s,
    );
    expect(resolve).toThrow(/ask smapi/);
    expect(resolve).not.toThrow(/Atz/);
  });

  it("refreshes a profile's refresh token with the team's security profile of the variables", async () => {
    const HOME = await home({ default: token("Atza|old", "2020-01-01T00:00:00Z", "Atzr|team") });
    const env = readEnvironment({
      HOME,
      ASK_LWA_CLIENT_ID: "amzn1.application-oa2-client.team",
      ASK_LWA_CLIENT_SECRET: "s",
    });
    expect(resolveSmapiAuth(env, { now: () => NOW })).toMatchObject({
      kind: "refresh-token",
      clientId: "amzn1.application-oa2-client.team",
      refreshToken: "Atzr|team",
    });
  });

  it("reads no file in CI, and names every variable and the profile when nothing serves", async () => {
    const HOME = await home({ default: token("Atza|a", "2026-06-01T13:00:00Z") });
    expect(() => resolveSmapiAuth(readEnvironment({ HOME, CI: "true" }), { now: () => NOW })).toThrow(
      /ASK_LWA_CLIENT_ID, ASK_LWA_CLIENT_SECRET, ASK_REFRESH_TOKEN are required/,
    );
    const local = () => resolveSmapiAuth(readEnvironment({ HOME }), { profile: "prod", now: () => NOW });
    expect(local).toThrow(/ASK_LWA_CLIENT_ID, ASK_LWA_CLIENT_SECRET, ASK_REFRESH_TOKEN are required/);
    expect(local).toThrow(
      /no profile "prod" in .*cli_config \(run `ask configure`, or pass --profile NAME\)/,
    );
  });
});

describe("an ASK CLI profile against the fake Skill Management API", () => {
  it("serves skillship diff with the profile's access token, and with its refresh token and the team's client", async () => {
    const fake = await startFakeSmapi();
    try {
      const answer = await fetch(`${fake.lwaUrl}/auth/o2/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "refresh_token",
          refresh_token: fake.credentials.refreshToken,
          client_id: fake.credentials.clientId,
          client_secret: fake.credentials.clientSecret,
        }),
      });
      const { access_token } = (await answer.json()) as { access_token: string };
      const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
      const HOME = await home({ default: token(access_token, expiresAt, fake.credentials.refreshToken) });
      const env = {
        ...plainEnv,
        CI: undefined,
        HOME,
        ASK_SMAPI_SERVER_BASE_URL: fake.smapiUrl,
        ASK_LWA_TOKEN_HOST: fake.lwaUrl,
        ASK_LWA_CLIENT_ID: undefined,
        ASK_LWA_CLIENT_SECRET: undefined,
        ASK_REFRESH_TOKEN: undefined,
        NO_COLOR: "1",
      };
      const diff = ["diff", "--skill-id", FAKE_SKILL_ID, "--format", "json"];
      const byAccessToken = await runCli(diff, env);
      expect(byAccessToken.stderr).toBe("");
      expect(byAccessToken.code).toBe(0);
      expect(fake.calls.filter((call) => call.service === "lwa")).toHaveLength(1);

      const byRefresh = await runCli(diff, {
        ...env,
        HOME: await home({
          default: token("Atza|expired", "2020-01-01T00:00:00Z", fake.credentials.refreshToken),
        }),
        ASK_LWA_CLIENT_ID: fake.credentials.clientId,
        ASK_LWA_CLIENT_SECRET: fake.credentials.clientSecret,
      });
      expect(byRefresh.code).toBe(0);
      expect(fake.calls.filter((call) => call.service === "lwa")).toHaveLength(2);
      expect(byRefresh.stdout + byRefresh.stderr).not.toContain(fake.credentials.refreshToken);
    } finally {
      await fake.close();
    }
  });
});
