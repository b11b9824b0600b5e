import { lwaLoginCommand, type LwaLoginFlags } from "../../../scripts/commands/lwa";
import { ConfigError, UsageError } from "../../../scripts/lib/core/errors";
import { createOutput } from "../../../scripts/lib/core/output";
import { startFakeSmapi, type FakeSmapi } from "../../../testkit/fakes/smapi";
import { readEnvironment } from "../../../scripts/lib/core/env";

/** A stream that keeps what is written. */
function capture(): { write(text: string): boolean; text: () => string; isTTY: boolean } {
  const chunks: string[] = [];
  return { write: (text: string) => chunks.push(text) > 0, text: () => chunks.join(""), isTTY: false };
}

function flags(fake: FakeSmapi, extra: Partial<LwaLoginFlags> = {}): LwaLoginFlags {
  return {
    port: "0",
    scopes: "alexa::ask:skills:readwrite alexa::ask:models:readwrite alexa::ask:skills:test",
    authorizeUrl: `${fake.lwaUrl}/ap/oa`,
    browser: true,
    timeout: "10s",
    ...extra,
  };
}

/** The login's env: the fake's endpoints and security profile, and no refresh token yet. */
function loginEnv(fake: FakeSmapi): Record<string, string | undefined> {
  return { ...fake.env, ASK_REFRESH_TOKEN: undefined, NO_COLOR: "1" };
}

describe("skillship lwa login", () => {
  let fake: FakeSmapi;

  afterEach(async () => {
    await fake.close();
  });

  it("mints a refresh token through a scripted browser and never prints it without --show-token", async () => {
    fake = await startFakeSmapi();
    const out = capture();
    const err = capture();
    const env = readEnvironment(loginEnv(fake));
    const output = createOutput({ json: false, stream: out, errorStream: err, env });
    let visited: Response | undefined;

    await lwaLoginCommand(flags(fake), {
      env,
      output,
      interactive: false,
      // The scripted browser: open the authorize URL; the fake consents and redirects to the local receiver.
      onAuthorizeUrl: (url) => {
        void fetch(url).then((response) => {
          visited = response;
        });
      },
    });

    const minted = [...fake.state.lwa.refreshTokens].filter(
      (token) => token !== fake.credentials.refreshToken,
    );
    expect(minted).toHaveLength(1);
    expect(out.text()).toMatch(/client_id=amzn1\.application-oa2-client\.fake/);
    expect(out.text()).toMatch(
      /scope=alexa%3A%3Aask%3Askills%3Areadwrite\+alexa%3A%3Aask%3Amodels%3Areadwrite/,
    );
    expect(out.text()).toMatch(/The token works: vendor Fake vendor \(vendor id M1FAKEVENDOR\)/);
    expect(out.text()).toMatch(/gh secret set ASK_REFRESH_TOKEN --env production/);
    for (const secret of [minted[0], fake.credentials.clientSecret]) {
      expect(out.text() + err.text()).not.toContain(secret);
    }
    expect(visited?.status).toBe(200);
    expect(await visited?.text()).toMatch(/You can close this tab/);
  });

  it("prints the token alone on the token stream with --show-token", async () => {
    fake = await startFakeSmapi();
    const out = capture();
    const tokenStream = capture();
    const env = readEnvironment(loginEnv(fake));

    await lwaLoginCommand(flags(fake, { showToken: true }), {
      env,
      output: createOutput({ json: false, stream: out, errorStream: capture(), env }),
      tokenStream,
      interactive: false,
      onAuthorizeUrl: (url) => void fetch(url),
    });

    const minted = [...fake.state.lwa.refreshTokens].filter(
      (token) => token !== fake.credentials.refreshToken,
    );
    expect(tokenStream.text()).toBe(`${minted[0]}\n`);
    expect(out.text()).not.toContain(minted[0]);
  });

  it("refuses a redirect with a wrong state and keeps waiting for the real one", async () => {
    fake = await startFakeSmapi();
    const err = capture();
    const env = readEnvironment(loginEnv(fake));
    let forged: Response | undefined;

    await lwaLoginCommand(flags(fake), {
      env,
      output: createOutput({ json: false, stream: capture(), errorStream: err, env }),
      interactive: false,
      onAuthorizeUrl: (url) => {
        const redirectUri = new URL(url).searchParams.get("redirect_uri") ?? "";
        const code = fake.issueAuthorizationCode(redirectUri);
        void (async () => {
          forged = await fetch(`${redirectUri}?code=${code}&state=forged-by-someone-else`);
          await fetch(url);
        })();
      },
    });

    expect(forged?.status).toBe(400);
    expect(await forged?.text()).toMatch(/state parameter does not match/);
    expect(err.text()).toMatch(/state that does not match this login; it was refused/);
    // Only the genuine redirect's code was exchanged: the forged one is still unused.
    expect(fake.state.lwa.authorizationCodes.size).toBe(1);
  });

  it("refuses a port that is not a port number", async () => {
    fake = await startFakeSmapi();
    const env = readEnvironment(loginEnv(fake));

    const run = lwaLoginCommand(flags(fake, { port: "90x" }), {
      env,
      output: createOutput({ json: false, stream: capture(), errorStream: capture(), env }),
      interactive: false,
    });

    await expect(run).rejects.toThrow(UsageError);
    await expect(run).rejects.toThrow('--port must be a port number (0-65535), got "90x"');
  });

  it("fails with the variable's name when the security profile is missing, before listening", async () => {
    fake = await startFakeSmapi();
    const env = readEnvironment({ ...loginEnv(fake), ASK_LWA_CLIENT_SECRET: undefined });

    const run = lwaLoginCommand(flags(fake), {
      env,
      output: createOutput({ json: false, stream: capture(), errorStream: capture(), env }),
      interactive: false,
    });

    await expect(run).rejects.toThrow(ConfigError);
    await expect(run).rejects.toThrow(/ASK_LWA_CLIENT_SECRET is required/);
    expect(fake.calls).toHaveLength(0);
  });

  it("names the variables when Login with Amazon refuses the security profile", async () => {
    fake = await startFakeSmapi();
    const env = readEnvironment({
      ...loginEnv(fake),
      ASK_LWA_CLIENT_ID: "amzn1.application-oa2-client.other",
    });
    const err = capture();

    const run = lwaLoginCommand(flags(fake, { authorizeUrl: `${fake.lwaUrl}/ap/oa` }), {
      env,
      output: createOutput({ json: false, stream: capture(), errorStream: err, env }),
      interactive: false,
      // The consent page does not know this client; the person would see an error page: script the
      // redirect a misconfigured profile still produces, to reach the token exchange.
      onAuthorizeUrl: (url) => {
        const parsed = new URL(url);
        const redirectUri = parsed.searchParams.get("redirect_uri") ?? "";
        const code = fake.issueAuthorizationCode(redirectUri);
        void fetch(`${redirectUri}?code=${code}&state=${parsed.searchParams.get("state")}`);
      },
    });

    await expect(run).rejects.toThrow(ConfigError);
    await expect(run).rejects.toThrow(/invalid_client.*ASK_LWA_CLIENT_ID and ASK_LWA_CLIENT_SECRET/);
  });
});
