import { createRequestVerifier } from "../../skill/verify";
import { createSigningChain, TEST_CERT_CHAIN_URL } from "../../testkit/certificates";
import { launchRequest, TEST_SKILL_ID } from "../../testkit/envelopes";

describe("createRequestVerifier", () => {
  it("returns the parsed envelope of a verified request", async () => {
    const chain = createSigningChain();
    const verifier = createRequestVerifier({
      skillId: TEST_SKILL_ID,
      trustedCertificates: new Map([[TEST_CERT_CHAIN_URL, chain.chainPem]]),
    });
    const body = JSON.stringify(launchRequest({ locale: "es-ES" }));

    const result = await verifier.verify(Buffer.from(body), {
      "Signature-256": chain.sign(body),
      SignatureCertChainUrl: TEST_CERT_CHAIN_URL,
    });

    expect(result).toMatchObject({
      ok: true,
      envelope: { request: { type: "LaunchRequest", locale: "es-ES" } },
    });
  });

  it("without signature checks (loopback only), still checks the timestamp and the skill id", async () => {
    const verifier = createRequestVerifier({ skillId: TEST_SKILL_ID, checkSignature: false });

    const fresh = await verifier.verify(JSON.stringify(launchRequest()), {});
    const stale = await verifier.verify(
      JSON.stringify(launchRequest({ timestamp: new Date(Date.now() - 200_000) })),
      {},
    );
    const foreign = await verifier.verify(
      JSON.stringify(launchRequest({ skillId: "amzn1.ask.skill.x" })),
      {},
    );

    expect(fresh.ok).toBe(true);
    expect(stale).toMatchObject({ ok: false, status: 400 });
    expect(foreign).toMatchObject({ ok: false, status: 400 });
  });

  it("honours a custom size limit", async () => {
    const verifier = createRequestVerifier({ checkSignature: false, maxBytes: 100 });

    expect(await verifier.verify(JSON.stringify(launchRequest()), {})).toMatchObject({
      ok: false,
      status: 413,
    });
  });
});
