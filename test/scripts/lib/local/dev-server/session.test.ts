// Over 350 lines on purpose: every behaviour of the local endpoint (HTTP, media URLs, verification, the tunnel,
// reload) against one server harness set up at the top, each part under its own describe.
import { mkdir, mkdtemp, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import type { RequestEnvelope, ResponseEnvelope } from "ask-sdk-model";
import { SimulatedDevice } from "../../../../../scripts/lib/local/dialog/device";
import type { LocalSkillFactory } from "../../../../../scripts/lib/local/skill";
import { localMediaSecret } from "../../../../../scripts/lib/local/media-secret";
import { signMediaKey } from "../../../../../scripts/lib/local/media-urls";
import { requireProjectModule } from "../../../../../scripts/lib/project/code";
import { readProject } from "../../../../../scripts/lib/project";
import { startDevSession, type DevSession } from "../../../../../scripts/lib/local/dev-server/session";
import { startDevServer } from "../../../../../scripts/lib/local/dev-server/server";
import { ConfigError } from "../../../../../scripts/lib/core/errors";
import type { OpenTunnel } from "../../../../../scripts/lib/ports";
import { createRequestVerifier } from "../../../../../runtime/verify";
import { startCertificateServer, type CertificateServer } from "../../../../../testkit/cert-server";
import { createSigningChain, TEST_CERT_CHAIN_URL } from "../../../../../testkit/certificates";
import { post, send } from "../../../support/http";

const ROOT = path.resolve(__dirname, "..", "..", "..", "..", "..");
const project = readProject({ cwd: ROOT });

function launch(locale = "en-US", now = Date.now): RequestEnvelope {
  return new SimulatedDevice({ now }).request({ requestType: "LaunchRequest", invoked: true }, locale);
}

function playClip(locale: string): RequestEnvelope {
  return new SimulatedDevice().request(
    {
      requestType: "IntentRequest",
      intent: "PlayClipIntent",
      slots: { number: { name: "number", type: "AMAZON.NUMBER" } },
      invoked: true,
      matchedBy: "sample",
    },
    locale,
  );
}

function streamOf(response: ResponseEnvelope): { url: string; token: string } {
  const directive = response.response.directives?.[0] as {
    audioItem: { stream: { url: string; token: string } };
  };
  return directive.audioItem.stream;
}

/** The project's modules, with `onInvoke` told of every request that reaches the skill it builds. */
function counting(onInvoke: () => void): (file: string, setting: string) => Record<string, unknown> {
  return (file, setting) => {
    const module = requireProjectModule(project, file, setting);
    if (setting !== "code.local") return module;
    const createLocalSkill: LocalSkillFactory = async (context) => {
      const skill = await (module.createLocalSkill as LocalSkillFactory)(context);
      return {
        ...skill,
        invoke: (envelope) => {
          onInvoke();
          return skill.invoke(envelope);
        },
      };
    };
    return { createLocalSkill };
  };
}

const sessions: DevSession[] = [];
async function start(options: Partial<Parameters<typeof startDevSession>[0]> = {}): Promise<DevSession> {
  const session = await startDevSession({
    project,
    host: "127.0.0.1",
    port: 0,
    watch: false,
    env: {},
    ...options,
  });
  sessions.push(session);
  return session;
}

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((session) => session.close()));
});

describe("the local endpoint over loopback HTTP", () => {
  it("answers a valid request with the skill's response and serves the clip it names", async () => {
    const session = await start();
    expect(session.verification).toBe(false);
    const response = await post(session.localUrl, launch("de-DE"));
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^application\/json/);
    const envelope = response.json() as ResponseEnvelope;
    expect(JSON.stringify(envelope.response.outputSpeech)).toContain("Willkommen");
    const { url } = streamOf(envelope);
    expect(url.startsWith(`${session.localUrl}/media/de/`)).toBe(true);

    const clip = await send(session.localUrl, { path: url.slice(session.localUrl.length) });
    expect(clip.status).toBe(200);
    expect(clip.headers["content-type"]).toBe("audio/mpeg");
    expect(clip.body.subarray(0, 3).toString("latin1")).toBe("ID3");

    const range = await send(session.localUrl, {
      path: url.slice(session.localUrl.length),
      headers: { Range: "bytes=10-19" },
    });
    expect(range.status).toBe(206);
    expect(range.body).toEqual(clip.body.subarray(10, 20));
    expect(range.headers["content-range"]).toBe(`bytes 10-19/${clip.body.length}`);
  });

  it("answers concurrent requests each with its own locale's clip", async () => {
    const session = await start();
    const locales = ["en-US", "en-GB", "de-DE", "fr-FR", "es-ES"];
    const requests = Array.from({ length: 25 }, (_, index) => locales[index % locales.length]);
    const answers = await Promise.all(requests.map((locale) => post(session.localUrl, playClip(locale))));
    answers.forEach((answer, index) => {
      expect(answer.status).toBe(200);
      const folder = requests[index].slice(0, 2);
      expect(streamOf(answer.json() as ResponseEnvelope).token).toContain(`:${folder}/`);
    });
  });

  it("refuses a body over 1 MB with 413, declared or streamed", async () => {
    const session = await start();
    const big = Buffer.alloc(1024 * 1024 + 1, 0x20);
    const json = { "Content-Type": "application/json" };
    expect((await send(session.localUrl, { method: "POST", body: big, headers: json })).status).toBe(413);
    const chunked = await send(session.localUrl, {
      method: "POST",
      body: big,
      headers: { ...json, "Transfer-Encoding": "chunked" },
    });
    expect(chunked.status).toBe(413);
    expect((await post(session.localUrl, launch())).status).toBe(200);
  });

  it.each([
    [
      "a text/plain body (a cross-origin form or fetch needs no preflight for it)",
      { "Content-Type": "text/plain" },
    ],
    ["a form", { "Content-Type": "application/x-www-form-urlencoded" }],
    ["no content type", {}],
  ])("refuses %s with 415; the skill is never reached", async (_, headers) => {
    let invoked = 0;
    const session = await start({ load: counting(() => (invoked += 1)) });
    const response = await send(session.localUrl, {
      method: "POST",
      body: JSON.stringify(launch()),
      headers: headers as Record<string, string>,
    });
    expect(response.status).toBe(415);
    expect(invoked).toBe(0);
  });

  it.each([
    ["an Origin header", { Origin: "https://evil.example" }],
    ["a same-machine page's Origin", { Origin: "http://127.0.0.1:8080" }],
    ["Sec-Fetch-Site", { "Sec-Fetch-Site": "cross-site" }],
  ])("refuses a browser's request (%s) with 403, even as JSON", async (_, headers) => {
    let invoked = 0;
    const session = await start({ load: counting(() => (invoked += 1)) });
    const response = await post(session.localUrl, launch(), headers as Record<string, string>);
    expect(response.status).toBe(403);
    expect(invoked).toBe(0);
  });

  it("answers Alexa's content type with its charset", async () => {
    const session = await start();
    const response = await post(session.localUrl, launch(), {
      "Content-Type": "application/json; charset=utf-8",
    });
    expect(response.status).toBe(200);
  });

  it("answers 400 to what is not an Alexa request", async () => {
    const session = await start();
    expect((await post(session.localUrl, "{not json")).status).toBe(400);
    expect((await post(session.localUrl, { hello: "world" })).status).toBe(400);
  });

  it("names the port and --port when the port is taken", async () => {
    const first = await start();
    const second = start({ port: first.port });
    await expect(second).rejects.toThrow(ConfigError);
    await expect(second).rejects.toThrow(`Port ${first.port} on 127.0.0.1 is already in use`);
    await expect(second).rejects.toThrow("--port");
  });

  it("frees the port on close", async () => {
    const session = await start();
    await session.close();
    const again = await start({ port: session.port });
    expect(again.port).toBe(session.port);
  });
});

describe("media URLs", () => {
  let dir: string;
  let secret: Buffer;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "skillship-media-"));
    await mkdir(path.join(dir, "en"));
    await writeFile(path.join(dir, "en", "joke.mp3"), Buffer.from("ID3 fake audio"));
    const outside = await mkdtemp(path.join(tmpdir(), "skillship-outside-"));
    await writeFile(path.join(outside, "secret.mp3"), "not yours");
    await symlink(path.join(outside, "secret.mp3"), path.join(dir, "en", "link.mp3"));
    secret = await localMediaSecret(ROOT);
  });

  function signed(key: string, expires = Math.floor(Date.now() / 1000) + 60): string {
    const { sig } = signMediaKey(key, expires, secret);
    return `/media/${key}?expires=${expires}&sig=${sig}`;
  }

  it("serves a signed clip and refuses a tampered or expired URL with 403", async () => {
    const session = await start({ env: { MEDIA_DIR: dir } });
    expect((await send(session.localUrl, { path: signed("en/joke.mp3") })).status).toBe(200);
    const tampered = signed("en/joke.mp3").replace(
      /sig=(.)/,
      (_, c: string) => `sig=${c === "a" ? "b" : "a"}`,
    );
    expect((await send(session.localUrl, { path: tampered })).status).toBe(403);
    const otherClip = signed("en/joke.mp3").replace("en/joke.mp3", "en/link.mp3");
    expect((await send(session.localUrl, { path: otherClip })).status).toBe(403);
    const expired = await send(session.localUrl, {
      path: signed("en/joke.mp3", Math.floor(Date.now() / 1000) - 1),
    });
    expect(expired.status).toBe(403);
    expect(expired.body.toString()).toContain("expired");
  });

  it("refuses paths that leave the media folder, even signed ones", async () => {
    const session = await start({ env: { MEDIA_DIR: dir } });
    for (const escape of [
      signed("../package.json"),
      signed("en/../../package.json"),
      signed("en/link.mp3"),
    ]) {
      const response = await send(session.localUrl, { path: escape });
      expect({ escape, status: response.status }).toEqual({ escape, status: 403 });
      expect(response.body.toString()).not.toContain("not yours");
    }
    const encoded = signed("en/joke.mp3").replace("en/joke.mp3", "%2e%2e/%2e%2e/package.json");
    expect((await send(session.localUrl, { path: encoded })).status).toBe(403);
  });
});

let certificates: CertificateServer;
const chain = createSigningChain();
beforeAll(async () => {
  certificates = await startCertificateServer();
  certificates.serve(new URL(TEST_CERT_CHAIN_URL).pathname, { kind: "pem", pem: chain.chainPem });
});
afterAll(async () => {
  await certificates.close();
});

describe("verification", () => {
  async function verifiedServer() {
    const reached: RequestEnvelope[] = [];
    const server = await startDevServer({
      host: "127.0.0.1",
      port: 0,
      skill: () => ({
        async invoke(envelope) {
          reached.push(envelope);
          return { version: "1.0", response: {} };
        },
      }),
      verifier: createRequestVerifier({ certificates: certificates.options(chain), maxBytes: 1024 * 1024 }),
    });
    return { server, reached };
  }

  function signedHeaders(body: string): Record<string, string> {
    return { SignatureCertChainUrl: TEST_CERT_CHAIN_URL, "Signature-256": chain.sign(body) };
  }

  it("answers a correctly signed, fresh request", async () => {
    const { server, reached } = await verifiedServer();
    try {
      const body = JSON.stringify(launch());
      expect((await post(server.url, body, signedHeaders(body))).status).toBe(200);
      expect(reached).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it("answers 400 to a forged or stale request, which never reaches the skill", async () => {
    const { server, reached } = await verifiedServer();
    try {
      const body = JSON.stringify(launch());
      const forged = JSON.stringify(launch("de-DE"));
      expect((await post(server.url, forged, signedHeaders(body))).status).toBe(400);
      expect((await post(server.url, body)).status).toBe(400);
      const staleBody = JSON.stringify(launch("en-US", () => Date.now() - 10 * 60_000));
      expect((await post(server.url, staleBody, signedHeaders(staleBody))).status).toBe(400);
      expect(reached).toHaveLength(0);
    } finally {
      await server.close();
    }
  });
});

describe("the tunnel's wiring", () => {
  it("turns verification on, uses the tunnel's host for media and closes the tunnel on close", async () => {
    let closed = 0;
    const opened: { port: number; host: string }[] = [];
    const fakeTunnel: OpenTunnel = async (port, host) => {
      opened.push({ port, host });
      return { url: "https://fake-tunnel.example", close: async () => void (closed += 1) };
    };
    let invoked: ResponseEnvelope | undefined;
    // The project's local factory, with every answer of the skill it builds recorded.
    const spying = (file: string, setting: string): Record<string, unknown> => {
      const module = requireProjectModule(project, file, setting);
      const createLocalSkill: LocalSkillFactory = async (context) => {
        const skill = await (module.createLocalSkill as LocalSkillFactory)(context);
        return { ...skill, invoke: async (envelope) => (invoked = await skill.invoke(envelope)) };
      };
      return setting === "code.local" ? { createLocalSkill } : module;
    };
    const session = await start({
      tunnel: fakeTunnel,
      load: spying,
      certificates: certificates.options(chain),
    });
    expect(opened).toEqual([{ port: session.port, host: "127.0.0.1" }]);
    expect(session.publicUrl).toBe("https://fake-tunnel.example");
    expect(session.verification).toBe(true);
    expect(session.banner).toContain("https://fake-tunnel.example/");
    expect(session.banner).toContain("SSL certificate type: wildcard");
    expect(session.banner).toMatch(/Signatures\s+checked/);

    expect((await post(session.localUrl, launch())).status).toBe(400);
    expect(invoked).toBeUndefined();
    const body = JSON.stringify(launch());
    const answer = await post(session.localUrl, body, {
      SignatureCertChainUrl: TEST_CERT_CHAIN_URL,
      "Signature-256": chain.sign(body),
    });
    expect(answer.status).toBe(200);
    expect(streamOf(answer.json() as ResponseEnvelope).url).toMatch(
      /^https:\/\/fake-tunnel\.example\/media\/en\//,
    );

    await session.close();
    expect(closed).toBe(1);
  });

  it("closes the server when the tunnel cannot open", async () => {
    const failing: OpenTunnel = async () => {
      throw new ConfigError("Environment variable NGROK_AUTHTOKEN is required for --tunnel");
    };
    const probe = await start();
    await probe.close();
    await expect(start({ tunnel: failing, port: probe.port })).rejects.toThrow("NGROK_AUTHTOKEN");
    expect((await start({ port: probe.port })).port).toBe(probe.port);
  });

  it("refuses a non-loopback host without a tunnel, saying why and what to do", async () => {
    const refused = start({ host: "0.0.0.0" });
    await expect(refused).rejects.toThrow(ConfigError);
    await expect(refused).rejects.toThrow(/--host 0\.0\.0\.0 .*only from HTTPS URLs: add --tunnel/);
  });

  it("on every interface with a tunnel: checks signatures, shows a usable local URL, media through the tunnel", async () => {
    const opened: string[] = [];
    const session = await start({
      host: "0.0.0.0",
      tunnel: async (_, host) => {
        opened.push(host);
        return { url: "https://lan.ngrok.app", close: async () => undefined };
      },
      certificates: certificates.options(chain),
    });
    expect(session.verification).toBe(true);
    expect(session.localUrl).toBe(`http://127.0.0.1:${session.port}`);
    expect(session.banner).not.toContain("0.0.0.0");
    expect(opened).toEqual(["127.0.0.1"]);
    const body = JSON.stringify(launch());
    const answer = await post(session.localUrl, body, {
      SignatureCertChainUrl: TEST_CERT_CHAIN_URL,
      "Signature-256": chain.sign(body),
    });
    expect(answer.status).toBe(200);
    expect(streamOf(answer.json() as ResponseEnvelope).url).toMatch(/^https:\/\/lan\.ngrok\.app\/media\//);
  });

  it("with a tunnel and no skill id, warns that requests for any skill are accepted", async () => {
    const session = await start({
      tunnel: async () => ({ url: "https://any.ngrok.app", close: async () => undefined }),
    });
    expect(session.banner).toMatch(/Warning\s+requests for any skill are accepted/);
  });
});

describe("reload", () => {
  it("rebuilds the skill from fresh modules on a change, and keeps the old one when the new one fails", async () => {
    let trigger: (changed: string[]) => void = () => undefined;
    let builds = 0;
    let broken = false;
    const logs: string[] = [];
    let reloaded: (line: string) => void = () => undefined;
    const reloadLogged = new Promise<string>((resolve) => (reloaded = resolve));
    const session = await start({
      log: (line) => {
        logs.push(line);
        if (line.startsWith("reloaded the skill")) reloaded(line);
      },
      watch: (folders, onChange) => {
        expect(folders).toEqual([path.join(ROOT, "skill"), path.join(ROOT, "skill-package")]);
        trigger = onChange;
        return async () => undefined;
      },
      load: (file, setting) => {
        if (broken) throw new SyntaxError("Unexpected token in skill/local.ts");
        builds += 1;
        return requireProjectModule(project, file, setting);
      },
    });
    expect(builds).toBe(1);
    trigger([path.join(ROOT, "skill", "index.ts")]);
    expect(await reloadLogged).toBe("reloaded the skill (skill/index.ts changed)");
    expect(builds).toBe(2);
    broken = true;
    expect(await session.reload()).toBe(false);
    expect(logs.join("\n")).toContain("reload failed, the previous skill keeps answering: Unexpected token");
    expect((await post(session.localUrl, launch())).status).toBe(200);
  });
});
