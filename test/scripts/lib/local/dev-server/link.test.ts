import * as path from "node:path";
import { linkDevelopmentEndpoint } from "../../../../../scripts/lib/local/dev-server/link";
import { readProject } from "../../../../../scripts/lib/project";
import { startDevSession } from "../../../../../scripts/lib/local/dev-server/session";
import { createSkillsPort } from "../../../../../scripts/lib/adapters/smapi";
import {
  FAKE_SKILL_ID,
  minimalManifest,
  startFakeSmapi,
  type FakeSmapi,
} from "../../../../../testkit/fakes/smapi";
import { readEnvironment } from "../../../../../scripts/lib/core/env";
import { ConfigError } from "../../../../../scripts/lib/core/errors";
import { SimulatedDevice } from "../../../../../scripts/lib/local/dialog/device";
import { startCertificateServer } from "../../../../../testkit/cert-server";
import { createSigningChain, TEST_CERT_CHAIN_URL } from "../../../../../testkit/certificates";
import { post } from "../../../support/http";

const fast = { attempts: 3, initialDelayMs: 1, maxDelayMs: 2 };
const wait = { pollIntervalMs: 1, timeoutMs: 5000 };
const LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:jokebox-dev";

function manifestWithRegions(): Record<string, unknown> {
  const document = minimalManifest() as { manifest: { apis: { custom: Record<string, unknown> } } };
  document.manifest.apis.custom = {
    endpoint: { uri: LAMBDA },
    regions: { EU: { endpoint: { uri: `${LAMBDA}-eu` } } },
  };
  return document;
}

function customOf(fake: FakeSmapi): Record<string, unknown> {
  const value = fake.skill(FAKE_SKILL_ID).stages.development.manifest?.value as {
    manifest: { apis: { custom: Record<string, unknown> } };
  };
  return value.manifest.apis.custom;
}

let fake: FakeSmapi;
beforeEach(async () => {
  fake = await startFakeSmapi({
    skills: [{ skillId: FAKE_SKILL_ID, development: { manifest: manifestWithRegions() } }],
  });
});
afterEach(async () => {
  await fake.close();
});

describe("linkDevelopmentEndpoint against the fake Skill Management API", () => {
  it("points the development stage (and its regions) at the tunnel with a wildcard certificate, then restores", async () => {
    const skills = createSkillsPort({ env: readEnvironment(fake.env), retryPolicy: fast });
    const link = await linkDevelopmentEndpoint(skills, FAKE_SKILL_ID, "https://abc.ngrok.app", wait);
    expect(link.previousUri).toBe(LAMBDA);
    const tunnel = { uri: "https://abc.ngrok.app", sslCertificateType: "Wildcard" };
    expect(customOf(fake)).toEqual({ endpoint: tunnel, regions: { EU: { endpoint: tunnel } } });

    await link.restore();
    await link.restore();
    expect(customOf(fake)).toEqual({
      endpoint: { uri: LAMBDA },
      regions: { EU: { endpoint: { uri: `${LAMBDA}-eu` } } },
    });
    expect(fake.callsTo("updateManifest")).toHaveLength(2);
  });

  it("keeps what changed meanwhile on the stage and restores only the endpoints", async () => {
    const skills = createSkillsPort({ env: readEnvironment(fake.env), retryPolicy: fast });
    const link = await linkDevelopmentEndpoint(skills, FAKE_SKILL_ID, "https://abc.ngrok.app", wait);
    const current = await skills.getManifest(FAKE_SKILL_ID, "development");
    const changed = structuredClone(current?.value) as { manifest: Record<string, unknown> };
    changed.manifest.privacyAndCompliance = { allowsPurchases: false };
    await skills.updateManifest(FAKE_SKILL_ID, "development", changed, current?.etag);

    await link.restore();
    const after = fake.skill(FAKE_SKILL_ID).stages.development.manifest?.value as {
      manifest: Record<string, unknown>;
    };
    expect(after.manifest.privacyAndCompliance).toEqual({ allowsPurchases: false });
    expect(customOf(fake).endpoint).toEqual({ uri: LAMBDA });
  });

  it("names the skill when the credentials cannot see it", async () => {
    const skills = createSkillsPort({ env: readEnvironment(fake.env), retryPolicy: fast });
    await expect(
      linkDevelopmentEndpoint(
        skills,
        "amzn1.ask.skill.00000000-0000-4000-8000-00000000dead",
        "https://x.ngrok.app",
        wait,
      ),
    ).rejects.toThrow(/amzn1\.ask\.skill\.00000000-0000-4000-8000-00000000dead.*--skill-id/);
  });
});

/** A session through a fake tunnel, linked to the fake's skill, with `overrides` on top. */
function startLinkedSession(overrides: Partial<Parameters<typeof startDevSession>[0]> = {}) {
  return startDevSession({
    project: readProject({ cwd: path.resolve(__dirname, "..", "..", "..", "..", "..") }),
    host: "127.0.0.1",
    port: 0,
    watch: false,
    env: {},
    tunnel: async () => ({ url: "https://linked.ngrok.app", close: async () => undefined }),
    link: {
      skills: createSkillsPort({ env: readEnvironment(fake.env), retryPolicy: fast }),
      skillId: FAKE_SKILL_ID,
      wait,
    },
    ...overrides,
  });
}

describe("skillship dev --tunnel --link", () => {
  it("links the development stage once the tunnel is open and puts the endpoint back on close", async () => {
    const session = await startLinkedSession();
    expect(customOf(fake).endpoint).toEqual({
      uri: "https://linked.ngrok.app",
      sslCertificateType: "Wildcard",
    });
    expect(session.banner).toContain(
      `development stage of ${FAKE_SKILL_ID} points here; ${LAMBDA} is put back on exit`,
    );
    await session.close();
    expect(customOf(fake).endpoint).toEqual({ uri: LAMBDA });
  });

  it("accepts requests for the linked skill only, without SKILL_ID", async () => {
    const chain = createSigningChain();
    const certificates = await startCertificateServer();
    certificates.serve(new URL(TEST_CERT_CHAIN_URL).pathname, { kind: "pem", pem: chain.chainPem });
    const session = await startLinkedSession({ certificates: certificates.options(chain) });
    const launchFor = async (skillId: string) => {
      const body = JSON.stringify(
        new SimulatedDevice({ skillId }).request({ requestType: "LaunchRequest", invoked: true }, "en-US"),
      );
      return post(session.localUrl, body, {
        SignatureCertChainUrl: TEST_CERT_CHAIN_URL,
        "Signature-256": chain.sign(body),
      });
    };
    try {
      expect((await launchFor(FAKE_SKILL_ID)).status).toBe(200);
      expect((await launchFor("amzn1.ask.skill.00000000-0000-4000-8000-0000000000aa")).status).toBe(400);
      expect(session.banner).not.toContain("requests for any skill are accepted");
    } finally {
      await session.close();
      await certificates.close();
    }
  });

  it("refuses a SKILL_ID other than the linked skill's before touching the stage", async () => {
    await expect(
      startLinkedSession({ env: { SKILL_ID: "amzn1.ask.skill.00000000-0000-4000-8000-0000000000bb" } }),
    ).rejects.toThrow(ConfigError);
    expect(fake.callsTo("updateManifest")).toHaveLength(0);
  });
});
