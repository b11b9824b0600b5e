// Over 350 lines on purpose: the audit's cases of issue 12 (certificate URLs, chains, caps, floods, timestamps).
/**
 * The request verifier against a self-made chain served on loopback by a stand-in for s3.amazonaws.com: the
 * certificate URL rules before any download, the chain's validation, the size cap and the deadline, the caches
 * that make a flood of forged requests cost one download, and the timestamp window of 150 s either way.
 */
import {
  createRequestVerifier,
  type RequestVerifier,
  type RequestVerifierOptions,
} from "../../runtime/verify";
import { rootCertificates } from "node:tls";
import { MAX_CHAIN_BYTES } from "../../runtime/signature";
import { startCertificateServer, type CertificateServer } from "../../testkit/cert-server";
import { createSigningChain, TEST_CERT_CHAIN_URL, type TestSigningChain } from "../../testkit/certificates";
import { envelope, launchRequest, TEST_SKILL_ID } from "../../testkit/envelopes";

const CHAIN_PATH = new URL(TEST_CERT_CHAIN_URL).pathname;
const HOUR = 3_600_000;

let server: CertificateServer;
let chain: TestSigningChain;
beforeAll(async () => {
  server = await startCertificateServer();
  chain = createSigningChain();
  server.serve(CHAIN_PATH, { kind: "pem", pem: chain.chainPem });
});
afterAll(async () => {
  await server.close();
});

function verifier(options: RequestVerifierOptions = {}): RequestVerifier {
  return createRequestVerifier({
    skillId: TEST_SKILL_ID,
    ...options,
    certificates: { ...server.options(chain), ...options.certificates },
  });
}

function signed(
  body: string,
  url = TEST_CERT_CHAIN_URL,
  signer: TestSigningChain = chain,
): Record<string, string> {
  return { SignatureCertChainUrl: url, "Signature-256": signer.sign(body) };
}

/** Requests to `path` the server has seen. */
const downloadsOf = (path: string) => server.requests.filter((request) => request.path === path).length;

describe("a correctly signed request", () => {
  it("is accepted with its parsed envelope, its chain downloaded once and then served from the cache", async () => {
    const path = "/echo.api/cached.pem";
    server.serve(path, { kind: "pem", pem: chain.chainPem });
    const subject = verifier();
    for (const locale of ["es-ES", "de-DE", "fr-FR"]) {
      const body = JSON.stringify(launchRequest({ locale }));
      const result = await subject.verify(Buffer.from(body), signed(body, `https://s3.amazonaws.com${path}`));
      expect(result).toMatchObject({ ok: true, envelope: { request: { type: "LaunchRequest", locale } } });
    }
    expect(downloadsOf(path)).toBe(1);
  });

  it.each([
    ["upper-case scheme and host", "HTTPS://S3.AMAZONAWS.COM/echo.api/echo-api-cert-test.pem"],
    ["the default port written out", "https://s3.amazonaws.com:443/echo.api/echo-api-cert-test.pem"],
    [
      "dot segments that stay under /echo.api/",
      "https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert-test.pem",
    ],
    ["a fragment", "https://s3.amazonaws.com/echo.api/echo-api-cert-test.pem#x"],
  ])(
    "is accepted with %s in its certificate URL (normalised first, as Alexa's rules say)",
    async (_, url) => {
      const body = JSON.stringify(launchRequest());
      expect(await verifier().verify(body, signed(body, url))).toMatchObject({ ok: true });
    },
  );
});

describe("forged certificate URLs are refused before any download", () => {
  // An attacker's chain at an attacker's path, trusted here so that a fooled URL check would let it through.
  const attacker = createSigningChain();
  beforeAll(() => {
    server.serve("/attacker/cert.pem", { kind: "pem", pem: attacker.chainPem });
  });

  it.each([
    ["..", "https://s3.amazonaws.com/echo.api/../attacker/cert.pem"],
    ["%2e%2e", "https://s3.amazonaws.com/echo.api/%2e%2e/attacker/cert.pem"],
    ["%2E%2E and .%2e", "https://s3.amazonaws.com/echo.api/%2E%2E/.%2e/attacker/cert.pem"],
    ["an encoded slash", "https://s3.amazonaws.com/echo.api/..%2Fattacker/cert.pem"],
    ["a backslash", "https://s3.amazonaws.com/echo.api/..%5Cattacker/cert.pem"],
    ["another host", "https://evil.example/echo.api/echo-api-cert-test.pem"],
    ["a look-alike host", "https://s3.amazonaws.com.evil.example/echo.api/echo-api-cert-test.pem"],
    ["credentials before the host", "https://s3.amazonaws.com@evil.example/echo.api/echo-api-cert-test.pem"],
    ["a user name", "https://user@s3.amazonaws.com/echo.api/echo-api-cert-test.pem"],
    ["another port", "https://s3.amazonaws.com:8443/echo.api/echo-api-cert-test.pem"],
    ["plain http", "http://s3.amazonaws.com/echo.api/echo-api-cert-test.pem"],
    ["another path", "https://s3.amazonaws.com/EcHo.aPi/echo-api-cert-test.pem"],
    ["a query", "https://s3.amazonaws.com/echo.api/echo-api-cert-test.pem?x=1"],
    ["no URL at all", "not a url"],
  ])("%s", async (_, url) => {
    const before = server.requests.length;
    const body = JSON.stringify(launchRequest());
    const subject = createRequestVerifier({
      skillId: TEST_SKILL_ID,
      certificates: server.options(attacker),
    });

    const result = await subject.verify(body, signed(body, url, attacker));

    expect(result).toMatchObject({
      ok: false,
      status: 400,
      reason: expect.stringMatching(/SignatureCertChainUrl/),
    });
    expect(server.requests.length).toBe(before);
  });

  it.each(["SignatureCertChainUrl", "Signature-256"])("a request without %s", async (name) => {
    const body = JSON.stringify(launchRequest());
    const headers = signed(body);
    delete headers[name];
    expect(await verifier().verify(body, headers)).toMatchObject({
      ok: false,
      reason: expect.stringContaining(`${name} header is missing`),
    });
  });
});

describe("the chain is validated", () => {
  const now = Date.now();
  /** Each case: the chain served, and the chain whose root the verifier trusts (its own unless said). */
  const cases: [string, () => { served: TestSigningChain | string; trusted?: TestSigningChain }, RegExp][] = [
    [
      "a chain whose root is not trusted",
      () => ({ served: createSigningChain(), trusted: chain }),
      /trusted root/,
    ],
    [
      "an expired signing certificate",
      () => ({
        served: createSigningChain({
          leafValidity: { notBefore: new Date(now - 48 * HOUR), notAfter: new Date(now - HOUR) },
        }),
      }),
      /not now/,
    ],
    [
      "a signing certificate not yet valid",
      () => ({
        served: createSigningChain({
          leafValidity: { notBefore: new Date(now + HOUR), notAfter: new Date(now + 48 * HOUR) },
        }),
      }),
      /not now/,
    ],
    ["a certificate without the SAN", () => ({ served: createSigningChain({ leafName: null }) }), /SAN/],
    [
      "a certificate for another name",
      () => ({ served: createSigningChain({ leafName: "evil.example" }) }),
      /SAN/,
    ],
    [
      "a self-signed certificate",
      () => ({ served: createSigningChain({ selfSignedLeaf: true }) }),
      /not signed by/,
    ],
    ["no certificate at all", () => ({ served: "hello" }), /no PEM certificate/],
    [
      "a certificate that does not parse",
      () => ({ served: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n" }),
      /does not parse/,
    ],
  ];

  it.each(cases)("%s is refused", async (name, make, reason) => {
    const path = `/echo.api/${name.replace(/\W+/g, "-")}.pem`;
    const { served, trusted } = make();
    const signer = typeof served === "string" ? chain : served;
    server.serve(path, { kind: "pem", pem: typeof served === "string" ? served : served.chainPem });
    const subject = createRequestVerifier({ certificates: server.options(trusted ?? signer) });
    const body = JSON.stringify(launchRequest());

    const result = await subject.verify(body, signed(body, `https://s3.amazonaws.com${path}`, signer));

    expect(result).toMatchObject({ ok: false, status: 400, reason: expect.stringMatching(reason) });
  });

  it("a chain without its root is anchored by its issuer among many roots (Node's own and the test's)", async () => {
    const path = "/echo.api/leaf-only.pem";
    server.serve(path, { kind: "pem", pem: chain.chainPem.replace(chain.rootPem, "") });
    const subject = createRequestVerifier({
      certificates: { ...server.options(), trustedRoots: [...rootCertificates, chain.rootPem] },
    });
    const body = JSON.stringify(launchRequest());
    expect(await subject.verify(body, signed(body, `https://s3.amazonaws.com${path}`))).toMatchObject({
      ok: true,
    });
  });

  it("a self-made chain is refused by Node's own trust store, the default", async () => {
    const subject = createRequestVerifier({ certificates: server.options() });
    const body = JSON.stringify(launchRequest());
    expect(await subject.verify(body, signed(body))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/does not lead to a trusted root/),
    });
  });

  it("a 404 is refused, and remembered: the same URL is not downloaded again for a while", async () => {
    const path = "/echo.api/missing.pem";
    let clock = Date.now();
    const subject = verifier({ now: () => clock, certificates: { failureTtlMs: 10_000 } });
    const body = JSON.stringify(launchRequest());
    const url = `https://s3.amazonaws.com${path}`;
    expect(await subject.verify(body, signed(body, url))).toMatchObject({
      reason: expect.stringMatching(/answered 404/),
    });
    expect(await subject.verify(body, signed(body, url))).toMatchObject({
      reason: expect.stringMatching(/remembered/),
    });
    expect(downloadsOf(path)).toBe(1);
    clock += 10_001;
    server.serve(path, { kind: "pem", pem: chain.chainPem });
    const later = JSON.stringify(launchRequest({ timestamp: new Date(clock) }));
    expect(await subject.verify(later, signed(later, url))).toMatchObject({ ok: true });
    expect(downloadsOf(path)).toBe(2);
  });

  it("a cached chain is used until it expires, then downloaded again", async () => {
    const path = "/echo.api/expiring.pem";
    server.serve(path, { kind: "pem", pem: chain.chainPem });
    let clock = Date.now();
    const subject = verifier({ now: () => clock });
    const verifyNow = () => {
      const body = JSON.stringify(launchRequest({ timestamp: new Date(clock) }));
      return subject.verify(body, signed(body, `https://s3.amazonaws.com${path}`));
    };
    expect(await verifyNow()).toMatchObject({ ok: true });
    clock += 12 * HOUR;
    expect(await verifyNow()).toMatchObject({ ok: true });
    expect(downloadsOf(path)).toBe(1);
    clock += 24 * HOUR;
    expect(await verifyNow()).toMatchObject({ ok: false, reason: expect.stringMatching(/not now/) });
    expect(downloadsOf(path)).toBe(2);
  });
});

describe("the download is capped", () => {
  const HUNDRED_MB = 100 * 1024 * 1024;

  it("a 100 MB certificate that says so is refused before its body is read", async () => {
    const path = "/echo.api/huge-declared.pem";
    server.serve(path, { kind: "large", bytes: HUNDRED_MB, declareLength: true });
    const body = JSON.stringify(launchRequest());
    const result = await verifier().verify(body, signed(body, `https://s3.amazonaws.com${path}`));
    expect(result).toMatchObject({
      ok: false,
      reason: expect.stringContaining(`declares ${HUNDRED_MB} bytes`),
    });
    const [request] = server.requests.filter((r) => r.path === path);
    expect(request!.completed).toBe(false);
  });

  it("a 100 MB certificate streamed without a length is cut off at the cap", async () => {
    const path = "/echo.api/huge-streamed.pem";
    server.serve(path, { kind: "large", bytes: HUNDRED_MB, declareLength: false });
    const body = JSON.stringify(launchRequest());
    const result = await verifier().verify(body, signed(body, `https://s3.amazonaws.com${path}`));
    expect(result.ok).toBe(false);
    const read = Number(/stopped after (\d+) bytes/.exec((result as { reason: string }).reason)?.[1]);
    // At most one network chunk (64 KB) beyond the cap was read into memory before the download stopped.
    expect(read).toBeGreaterThan(MAX_CHAIN_BYTES);
    expect(read).toBeLessThanOrEqual(MAX_CHAIN_BYTES + 64 * 1024);
    const [request] = server.requests.filter((r) => r.path === path);
    expect(request!.completed).toBe(false);
    expect(request!.sent).toBeLessThan(HUNDRED_MB / 4);
  });

  it("a chain that never arrives is given up at the deadline", async () => {
    const path = "/echo.api/silent.pem";
    server.serve(path, { kind: "silent" });
    const body = JSON.stringify(launchRequest());
    // The deadline is what is tested: nothing ever answers, so its length changes no outcome.
    const subject = verifier({ certificates: { timeoutMs: 300 } });
    expect(await subject.verify(body, signed(body, `https://s3.amazonaws.com${path}`))).toMatchObject({
      ok: false,
      reason: expect.stringContaining("no complete answer within 300 ms"),
    });
  });
});

describe("a flood of forged requests", () => {
  it("with a good chain's URL costs one download, and every forgery is refused", async () => {
    const path = "/echo.api/flood-good.pem";
    server.serve(path, { kind: "pem", pem: chain.chainPem });
    const impostor = createSigningChain();
    const subject = verifier();
    const url = `https://s3.amazonaws.com${path}`;
    // Signed first: 200 RSA signatures would otherwise hold the event loop while the download runs.
    const forged = Array.from({ length: 200 }, () => {
      const body = JSON.stringify(launchRequest());
      return { body, headers: signed(body, url, impostor) };
    });
    const results = await Promise.all(forged.map(({ body, headers }) => subject.verify(body, headers)));
    expect(results.every((r) => !r.ok && /does not match/.test(r.reason))).toBe(true);
    expect(downloadsOf(path)).toBe(1);
  });

  it("with a failing URL costs one download", async () => {
    const path = "/echo.api/flood-bad.pem";
    server.serve(path, { kind: "pem", pem: createSigningChain().chainPem });
    const subject = verifier();
    const url = `https://s3.amazonaws.com${path}`;
    const body = JSON.stringify(launchRequest());
    const first = await Promise.all(
      Array.from({ length: 100 }, () => subject.verify(body, signed(body, url))),
    );
    const later = await Promise.all(
      Array.from({ length: 100 }, () => subject.verify(body, signed(body, url))),
    );
    expect([...first, ...later].every((r) => !r.ok)).toBe(true);
    expect(downloadsOf(path)).toBe(1);
  });

  it("with a new URL each time downloads at most four at once and refuses the rest at once", async () => {
    const subject = verifier({ certificates: { timeoutMs: 500 } });
    const before = server.requests.length;
    const body = JSON.stringify(launchRequest());
    const paths = Array.from({ length: 50 }, (_, i) => `/echo.api/flood-${i}.pem`);
    for (const path of paths) server.serve(path, { kind: "silent" });
    const results = await Promise.all(
      paths.map((path) => subject.verify(body, signed(body, `https://s3.amazonaws.com${path}`))),
    );
    const refusedAtOnce = results.filter((r) => !r.ok && /already in flight/.test(r.reason));
    expect(refusedAtOnce).toHaveLength(46);
    expect(server.requests.length - before).toBeLessThanOrEqual(4);
  });
});

describe("the timestamp", () => {
  const now = Date.parse("2026-11-30T10:00:00Z");
  const subject = createRequestVerifier({ skillId: TEST_SKILL_ID, checkSignature: false, now: () => now });
  const at = (offsetMs: number) => JSON.stringify(launchRequest({ timestamp: new Date(now + offsetMs) }));
  const withTimestamp = (timestamp: unknown, type = "LaunchRequest") => {
    const request = envelope({ type, timestamp: "x" });
    (request.request as { timestamp: unknown }).timestamp = timestamp;
    return JSON.stringify(request);
  };

  it.each([
    ["140 s old", -140_000],
    ["140 s ahead", 140_000],
    ["now", 0],
  ])("is accepted %s", async (_, offset) => {
    expect(await subject.verify(at(offset), {})).toMatchObject({ ok: true });
  });

  it.each([
    ["151 s old", -151_000, /151 s old/],
    ["an hour old", -HOUR, /3600 s old/],
    ["151 s in the future", 151_000, /151 s in the future/],
    ["a day in the future", 24 * HOUR, /in the future/],
  ])("is refused %s", async (_, offset, reason) => {
    expect(await subject.verify(at(offset), {})).toMatchObject({
      ok: false,
      status: 400,
      reason: expect.stringMatching(reason),
    });
  });

  it("is refused when it is not a string", async () => {
    expect(await subject.verify(withTimestamp(1764496800000), {})).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/request\.timestamp/),
    });
  });

  it.each([["yesterday"], ["2026-13-45T99:00:00Z"], ["1764496800000"], ["2026-11-30"]])(
    "is refused when it does not parse as an ISO 8601 time: %j",
    async (timestamp) => {
      expect(await subject.verify(withTimestamp(timestamp), {})).toMatchObject({
        ok: false,
        reason: expect.stringMatching(/not an ISO 8601 time/),
      });
    },
  );

  it("allows a skill event an hour late, and no more; the future is held to 150 s for it too", async () => {
    const event = (offset: number) =>
      withTimestamp(new Date(now + offset).toISOString(), "AlexaSkillEvent.SkillEnabled");
    expect(await subject.verify(event(-50 * 60_000), {})).toMatchObject({ ok: true });
    expect(await subject.verify(event(-61 * 60_000), {})).toMatchObject({ ok: false });
    expect(await subject.verify(event(151_000), {})).toMatchObject({ ok: false });
  });
});

describe("the cheap checks", () => {
  it("without signature checks (loopback only), still checks the timestamp and the skill id", async () => {
    const subject = createRequestVerifier({ skillId: TEST_SKILL_ID, checkSignature: false });

    const fresh = await subject.verify(JSON.stringify(launchRequest()), {});
    const stale = await subject.verify(
      JSON.stringify(launchRequest({ timestamp: new Date(Date.now() - 200_000) })),
      {},
    );
    const foreign = await subject.verify(JSON.stringify(launchRequest({ skillId: "amzn1.ask.skill.x" })), {});

    expect(fresh.ok).toBe(true);
    expect(stale).toMatchObject({ ok: false, status: 400 });
    expect(foreign).toMatchObject({ ok: false, status: 400 });
  });

  it("honours a custom size limit", async () => {
    const subject = createRequestVerifier({ checkSignature: false, maxBytes: 100 });

    expect(await subject.verify(JSON.stringify(launchRequest()), {})).toMatchObject({
      ok: false,
      status: 413,
    });
  });
});
