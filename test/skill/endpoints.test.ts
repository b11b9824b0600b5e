import type { RequestEnvelope } from "ask-sdk-model";
import { SkillConfigError } from "../../skill/errors";
import { createLambdaHandlers, type HttpApiEvent } from "../../skill/endpoints";
import type { MediaLibrary } from "../../skill/media/types";
import { MAX_REQUEST_BYTES } from "../../runtime/verify";
import { startCertificateServer, type CertificateServer } from "../../testkit/cert-server";
import { createSigningChain, TEST_CERT_CHAIN_URL } from "../../testkit/certificates";
import { launchRequest, TEST_SKILL_ID } from "../../testkit/envelopes";
import { memoryMedia } from "./fixtures";

const ENV = { SKILL_ID: TEST_SKILL_ID, MEDIA_BUCKET: "jokebox-media", AWS_REGION: "eu-west-1" };

describe("Lambda entry points", () => {
  const chain = createSigningChain();
  const impostor = createSigningChain();
  let certificates: CertificateServer;
  let mediaCalls: number;
  let logs: Record<string, unknown>[];

  beforeAll(async () => {
    certificates = await startCertificateServer();
    certificates.serve(new URL(TEST_CERT_CHAIN_URL).pathname, { kind: "pem", pem: chain.chainPem });
  });
  afterAll(async () => {
    await certificates.close();
  });

  function handlers() {
    const inner = memoryMedia();
    const media: MediaLibrary = {
      listClips: () => {
        mediaCalls += 1;
        return inner.listClips();
      },
      urlFor: (key) => inner.urlFor(key),
    };
    return createLambdaHandlers({
      env: ENV,
      media,
      certificates: certificates.options(chain),
      log: (entry) => logs.push(entry),
    });
  }

  function signedEvent(body: string, signer = chain, extra: Partial<HttpApiEvent> = {}): HttpApiEvent {
    return {
      body,
      isBase64Encoded: false,
      headers: {
        "content-type": "application/json",
        signaturecertchainurl: TEST_CERT_CHAIN_URL,
        "signature-256": signer.sign(body),
      },
      ...extra,
    };
  }

  function expectSkillNeverReached() {
    expect(mediaCalls).toBe(0);
    expect(logs.filter((entry) => entry.requestType !== undefined)).toEqual([]);
  }

  beforeEach(() => {
    mediaCalls = 0;
    logs = [];
  });

  describe("httpsHandler", () => {
    it("answers a correctly signed, fresh request for this skill", async () => {
      const body = JSON.stringify(launchRequest());

      const result = await handlers().httpsHandler(signedEvent(body));

      expect(result.statusCode).toBe(200);
      expect(result.headers["content-type"]).toMatch(/^application\/json/);
      const answer = JSON.parse(result.body);
      expect(answer.response.directives[0].type).toBe("AudioPlayer.Play");
      expect(logs).toEqual([expect.objectContaining({ level: "info", requestType: "LaunchRequest" })]);
    });

    it("accepts a base64-encoded body, as API Gateway may deliver it", async () => {
      const body = JSON.stringify(launchRequest({ locale: "de-DE" }));
      const event = signedEvent(body, chain, {
        body: Buffer.from(body).toString("base64"),
        isBase64Encoded: true,
      });

      const result = await handlers().httpsHandler(event);

      expect(result.statusCode).toBe(200);
    });

    it("refuses a forged signature with 400", async () => {
      const body = JSON.stringify(launchRequest());

      const result = await handlers().httpsHandler(signedEvent(body, impostor));

      expect(result.statusCode).toBe(400);
      expectSkillNeverReached();
      expect(logs[0]).toMatchObject({
        refused: 400,
        reason: expect.stringMatching(/signature check failed/),
      });
    });

    it("refuses a body altered after signing", async () => {
      const body = JSON.stringify(launchRequest());
      const event = signedEvent(body);

      const result = await handlers().httpsHandler({ ...event, body: body.replace("en-US", "de-DE") });

      expect(result.statusCode).toBe(400);
      expectSkillNeverReached();
    });

    it.each(["signature-256", "signaturecertchainurl"])(
      "refuses a request without the %s header",
      async (header) => {
        const event = signedEvent(JSON.stringify(launchRequest()));
        const headers = { ...event.headers };
        delete headers[header];

        const result = await handlers().httpsHandler({ ...event, headers });

        expect(result.statusCode).toBe(400);
        expectSkillNeverReached();
      },
    );

    it.each([
      "https://evil.test/echo.api/cert.pem",
      "https://s3.amazonaws.com/echo.api/../attacker/cert.pem",
      "https://s3.amazonaws.com/echo.api/%2e%2e/attacker/cert.pem",
      "https://s3.amazonaws.com:8443/echo.api/echo-api-cert-test.pem",
    ])("refuses the forged certificate chain URL %s without downloading anything", async (url) => {
      const before = certificates.requests.length;
      const event = signedEvent(JSON.stringify(launchRequest()));

      const result = await handlers().httpsHandler({
        ...event,
        headers: { ...event.headers, signaturecertchainurl: url },
      });

      expect(result.statusCode).toBe(400);
      expect(certificates.requests.length).toBe(before);
      expectSkillNeverReached();
    });

    it("refuses a request whose chain is 100 MB, reading no more than the cap", async () => {
      const path = "/echo.api/huge.pem";
      certificates.serve(path, { kind: "large", bytes: 100 * 1024 * 1024, declareLength: false });
      const event = signedEvent(JSON.stringify(launchRequest()));

      const result = await handlers().httpsHandler({
        ...event,
        headers: { ...event.headers, signaturecertchainurl: `https://s3.amazonaws.com${path}` },
      });

      expect(result.statusCode).toBe(400);
      expect(logs[0]).toMatchObject({
        reason: expect.stringMatching(/byte cap \(stopped after \d+ bytes\)/),
      });
      expect(certificates.requests.find((request) => request.path === path)?.completed).toBe(false);
      expectSkillNeverReached();
    });

    it("refuses a flood of forged requests, none reaching the skill, with one chain download", async () => {
      const { httpsHandler } = handlers();
      const before = certificates.requests.length;
      // Signed first: 100 RSA signatures would otherwise hold the event loop while the download runs.
      const events = Array.from({ length: 100 }, () =>
        signedEvent(JSON.stringify(launchRequest()), impostor),
      );
      const results = await Promise.all(events.map((event) => httpsHandler(event)));

      expect(results.every((result) => result.statusCode === 400)).toBe(true);
      expect(certificates.requests.length - before).toBe(1);
      expectSkillNeverReached();
    });

    it("refuses a request whose timestamp is more than 150 seconds old", async () => {
      const body = JSON.stringify(launchRequest({ timestamp: new Date(Date.now() - 151_000) }));

      const result = await handlers().httpsHandler(signedEvent(body));

      expect(result.statusCode).toBe(400);
      expect(logs[0]).toMatchObject({ reason: expect.stringMatching(/timestamp/) });
      expectSkillNeverReached();
    });

    it.each([
      // Ten minutes: the table is built when the file loads, some seconds before the test runs.
      ["ten minutes ahead", JSON.stringify(launchRequest({ timestamp: new Date(Date.now() + 600_000) }))],
      [
        "unparsable",
        JSON.stringify({ ...launchRequest(), request: { ...launchRequest().request, timestamp: "soon" } }),
      ],
    ])("refuses a request whose timestamp is %s", async (_, body) => {
      const result = await handlers().httpsHandler(signedEvent(body));

      expect(result.statusCode).toBe(400);
      expect(logs[0]).toMatchObject({ reason: expect.stringMatching(/timestamp/) });
      expectSkillNeverReached();
    });

    it("accepts a request 140 seconds old", async () => {
      const body = JSON.stringify(launchRequest({ timestamp: new Date(Date.now() - 140_000) }));

      expect((await handlers().httpsHandler(signedEvent(body))).statusCode).toBe(200);
    });

    it.each([
      ["malformed JSON", '{"version": "1.0", "request": '],
      ["a JSON array", "[]"],
      ["JSON that is not an Alexa request", '{"hello": "world"}'],
      [
        "an envelope without a request type",
        JSON.stringify({ ...launchRequest(), request: { requestId: "r" } }),
      ],
    ])("refuses %s with 400", async (_, body) => {
      const result = await handlers().httpsHandler(signedEvent(body));

      expect(result.statusCode).toBe(400);
      expectSkillNeverReached();
    });

    it("refuses a request addressed to another skill", async () => {
      const body = JSON.stringify(launchRequest({ skillId: "amzn1.ask.skill.someone-else" }));

      const result = await handlers().httpsHandler(signedEvent(body));

      expect(result.statusCode).toBe(400);
      expect(logs[0]).toMatchObject({
        reason: expect.stringMatching(/addressed to skill amzn1.ask.skill.someone-else/),
      });
      expectSkillNeverReached();
    });

    it.each([false, true])("refuses an oversized body with 413 (base64: %s)", async (isBase64Encoded) => {
      const envelope = launchRequest() as RequestEnvelope & { padding?: string };
      envelope.padding = "x".repeat(MAX_REQUEST_BYTES);
      const body = JSON.stringify(envelope);
      const event = signedEvent(body, chain, {
        isBase64Encoded,
        body: isBase64Encoded ? Buffer.from(body).toString("base64") : body,
      });

      const result = await handlers().httpsHandler(event);

      expect(result.statusCode).toBe(413);
      expectSkillNeverReached();
    });
  });

  describe("handler (direct invocation)", () => {
    it("answers a request envelope", async () => {
      const answer = await handlers().handler(launchRequest({ locale: "fr-FR" }));

      expect(answer.response.directives?.[0].type).toBe("AudioPlayer.Play");
    });

    it("refuses a malformed event before any handler runs", async () => {
      await expect(handlers().handler({ hello: "world" })).rejects.toThrow(
        /Not an Alexa request: version is missing/,
      );
      await expect(handlers().handler(null)).rejects.toThrow(TypeError);
      expectSkillNeverReached();
      expect(logs).toEqual([
        expect.objectContaining({
          refused: "event",
          reason: "Not an Alexa request: version is missing (not an Alexa request envelope)",
        }),
        expect.objectContaining({
          refused: "event",
          reason: "Not an Alexa request: the request body is not a JSON object",
        }),
      ]);
    });

    it("rejects requests for another skill", async () => {
      await expect(
        handlers().handler(launchRequest({ skillId: "amzn1.ask.skill.someone-else" })),
      ).rejects.toThrow(/ID verification failed/);
      expect(mediaCalls).toBe(0);
    });
  });

  describe("start-up", () => {
    it("stops with an error naming MEDIA_BUCKET when no media is configured", () => {
      expect(() => createLambdaHandlers({ env: { AWS_REGION: "eu-west-1" } })).toThrow(
        /^Environment variable MEDIA_BUCKET is required/,
      );
    });

    it("refuses a local media folder on Lambda, naming MEDIA_BUCKET", () => {
      let error: unknown;
      try {
        createLambdaHandlers({ env: { MEDIA_DIR: "/media" } });
      } catch (caught) {
        error = caught;
      }

      expect(error).toBeInstanceOf(SkillConfigError);
      expect((error as SkillConfigError).variable).toBe("MEDIA_BUCKET");
    });

    it("fails the module load of skill/lambda.ts when the environment lacks MEDIA_BUCKET", () => {
      type LambdaModule = typeof import("../../skill/lambda.js");
      const saved = { ...process.env };
      delete process.env.MEDIA_BUCKET;
      delete process.env.MEDIA_DIR;
      try {
        jest.isolateModules(() => {
          expect(() => jest.requireActual<LambdaModule>("../../skill/lambda")).toThrow(
            /MEDIA_BUCKET is required/,
          );
        });
        process.env.MEDIA_BUCKET = "jokebox-media";
        process.env.AWS_REGION = "eu-west-1";
        // The module starts listing at load: keep that on a closed loopback port, never AWS.
        process.env.AWS_ENDPOINT_URL_S3 = "http://127.0.0.1:9";
        jest.isolateModules(() => {
          const lambda = jest.requireActual<LambdaModule>("../../skill/lambda");
          expect(typeof lambda.handler).toBe("function");
          expect(typeof lambda.httpsHandler).toBe("function");
        });
      } finally {
        process.env = saved;
      }
    });
  });
});
