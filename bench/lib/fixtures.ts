/**
 * What the figures feed the skill: request envelopes from the test suite's factories, written to a file the plain
 * Node drivers read, and the media bucket of a deployed function (fake S3 over TLS on loopback) with the
 * function's environment (./deployed.ts).
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createLoopbackTls } from "../../testkit/certificates";
import { startFakeS3, type FakeS3 } from "../../testkit/fakes/s3";
import { audioPlayerEvent, intentRequest, launchRequest } from "../../testkit/envelopes";
import { BENCH_BUCKET, BENCH_CREDENTIALS, BENCH_REGION, deployedEnv } from "./deployed";

/** The token placeholder the latency driver replaces with the stream token of its first answer. */
export const TOKEN_PLACEHOLDER = "__TOKEN__";

/** The requests figure 3 times, by name. */
export function latencyRequests(): Record<string, unknown> {
  const playing = {
    token: TOKEN_PLACEHOLDER,
    offsetInMilliseconds: 1200,
    playerActivity: "PLAYING" as const,
  };
  return {
    LaunchRequest: launchRequest(),
    PlayClipIntent: intentRequest("PlayClipIntent"),
    PlaybackNearlyFinished: audioPlayerEvent("PlaybackNearlyFinished", TOKEN_PLACEHOLDER, {
      offsetInMilliseconds: 1200,
    }),
    PauseIntent: intentRequest("AMAZON.PauseIntent", {}, { audioPlayer: playing }),
  };
}

/** Writes a JSON document for a driver and returns its path. */
export async function writeJson(path: string, document: unknown): Promise<string> {
  await writeFile(path, JSON.stringify(document));
  return path;
}

/** The media bucket of a deployed function: the test suite's fake S3 over TLS on loopback, as real S3 is reached. */
export interface DeployedMedia {
  /** `https://127.0.0.1:PORT`. */
  readonly url: string;
  /** The environment of the deployed function using it; with `knownClips`, MEDIA_CLIPS as the stack sets it. */
  env(options?: { knownClips?: readonly string[]; nodeOptions?: string }): NodeJS.ProcessEnv;
  close(): Promise<void>;
}

/**
 * Starts the fake S3 (it checks every signature) holding `keys`, over TLS with a certificate from a self-made CA
 * that the function's process trusts through NODE_EXTRA_CA_CERTS (written to `workdir`).
 */
export async function startDeployedMedia(keys: readonly string[], workdir: string): Promise<DeployedMedia> {
  const tls = createLoopbackTls();
  const caFile = join(workdir, "loopback-ca.pem");
  await writeFile(caFile, tls.caPem);
  const s3: FakeS3 = await startFakeS3({
    bucket: BENCH_BUCKET,
    region: BENCH_REGION,
    credentials: BENCH_CREDENTIALS,
    keys,
    tls,
  });
  return {
    url: s3.url,
    env: (options = {}) => deployedEnv({ s3Url: s3.url, extraCaCerts: caFile, ...options }),
    close: () => s3.close(),
  };
}
