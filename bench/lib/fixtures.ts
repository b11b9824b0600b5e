/**
 * What the figures feed the skill: request envelopes from the test suite's factories, written to a file the plain
 * Node drivers read, and the environment of an S3-backed skill with fake credentials and a loopback listing.
 */
import { writeFile } from "node:fs/promises";
import { startFakeS3, type FakeS3 } from "../../testkit/fakes/s3";
import { TEST_SKILL_ID, audioPlayerEvent, intentRequest, launchRequest } from "../../testkit/envelopes";

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

const bucket = "bench-media";
const region = "us-east-1";
const credentials = {
  accessKeyId: "AKIABENCHFAKE0000000",
  secretAccessKey: "bench-fake-secret-key-not-a-real-one-000",
};

/** The test suite's fake S3 on loopback, holding `keys`, for the skill to list (it checks every signature). */
export function startMediaBucket(keys: readonly string[]): Promise<FakeS3> {
  return startFakeS3({ bucket, region, credentials, keys });
}

/**
 * The environment of the Lambda path: clips in S3 on loopback, fake credentials. With `knownClips`, MEDIA_CLIPS
 * as the stack sets it from the media folder it uploads: the first request then needs no network at all.
 */
export function s3SkillEnv(listingUrl: string, knownClips?: readonly string[]): NodeJS.ProcessEnv {
  return {
    ...(knownClips === undefined ? {} : { MEDIA_CLIPS: JSON.stringify(knownClips) }),
    PATH: process.env.PATH,
    SKILL_ID: TEST_SKILL_ID,
    MEDIA_BUCKET: bucket,
    AWS_REGION: region,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_ENDPOINT_URL_S3: listingUrl,
  };
}
