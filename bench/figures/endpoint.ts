/**
 * Figure 4, the local endpoint under load: requests per second and p99 latency of `skillship dev`'s server on
 * loopback, driven by autocannon, with signature verification off (a loopback-only server) and on (the
 * certificate chain, served by a loopback stand-in for s3.amazonaws.com, already cached, as after a server's first
 * request). Reported, no budget yet.
 */
import autocannon from "autocannon";
import { resolve } from "node:path";
import { randomBytes } from "node:crypto";
import { startDevServer, type DevServer } from "../../scripts/lib/local/dev-server/server";
import { loadLocalSkill } from "../../scripts/lib/local/skill";
import { readProject } from "../../scripts/lib/project";
import { createRequestVerifier } from "../../runtime/verify";
import { startCertificateServer } from "../../testkit/cert-server";
import { TEST_CERT_CHAIN_URL, createSigningChain } from "../../testkit/certificates";
import { launchRequest } from "../../testkit/envelopes";
import type { Figure } from "../lib/report";
import { summarize } from "../lib/stats";

const root = resolve(__dirname, "..", "..");

interface Round {
  rps: number;
  p99: number;
}

async function load(
  server: DevServer,
  headers: Record<string, string>,
  body: string,
  seconds: number,
): Promise<Round> {
  const result = await autocannon({
    url: server.url,
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
    connections: 10,
    duration: seconds,
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`endpoint load: ${result.non2xx} non-2xx answers and ${result.errors} errors`);
  }
  return { rps: result.requests.average, p99: result.latency.p99 };
}

/** Measures both modes over `rounds` alternating rounds of a few seconds each. */
export async function measureEndpoint(rounds: number): Promise<Figure[]> {
  let baseUrl = "http://127.0.0.1";
  // The repository's skill as `skillship dev` builds it, from its project file.
  const skill = await loadLocalSkill(readProject({ cwd: root }), {
    env: {},
    origin: () => baseUrl,
    secret: randomBytes(32),
  });
  const chain = createSigningChain();
  const certificates = await startCertificateServer();
  certificates.serve(new URL(TEST_CERT_CHAIN_URL).pathname, { kind: "pem", pem: chain.chainPem });
  const body = JSON.stringify(launchRequest());
  const signed = { "Signature-256": chain.sign(body), SignatureCertChainUrl: TEST_CERT_CHAIN_URL };

  const off = await startDevServer({ host: "127.0.0.1", port: 0, skill: () => skill, media: undefined });
  const on = await startDevServer({
    host: "127.0.0.1",
    port: 0,
    skill: () => skill,
    verifier: createRequestVerifier({ certificates: certificates.options(chain) }),
  });
  baseUrl = off.url;
  try {
    const plain: Round[] = [];
    const verified: Round[] = [];
    for (let i = 0; i < rounds; i += 1) {
      plain.push(await load(off, {}, body, 3));
      verified.push(await load(on, signed, body, 3));
    }
    const figures: Figure[] = [];
    for (const [mode, samples] of [
      ["verification off", plain],
      ["verification on", verified],
    ] as const) {
      const rps = summarize(samples.map((s) => s.rps));
      const p99 = summarize(samples.map((s) => s.p99));
      figures.push(
        {
          group: "local endpoint",
          name: `${mode}: requests/s`,
          value: rps.median,
          unit: "req/s",
          spread: `IQR ${rps.p25.toFixed(0)}–${rps.p75.toFixed(0)} (n=${rps.runs} rounds of 3 s, 10 connections)`,
        },
        {
          group: "local endpoint",
          name: `${mode}: p99`,
          value: p99.median,
          unit: "ms",
          spread: `IQR ${p99.p25.toFixed(1)}–${p99.p75.toFixed(1)} ms (n=${p99.runs} rounds)`,
        },
      );
    }
    return figures;
  } finally {
    await off.close();
    await on.close();
    await certificates.close();
  }
}
