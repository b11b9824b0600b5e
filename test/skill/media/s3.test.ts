import { get } from "node:http";
import { createLambdaHandlers } from "../../../skill/endpoints";
import { MediaError } from "../../../skill/errors";
import { createS3MediaLibrary, type S3MediaOptions } from "../../../skill/media/s3";
import { startFakeS3, type FakeS3 } from "../../../testkit/fakes/s3";
import { launchRequest } from "../../../testkit/envelopes";

const credentials = { accessKeyId: "AKIDTEST", secretAccessKey: "test-secret-key", sessionToken: "test-session" };
const region = "eu-west-1";
const bucket = "jokebox-media";

function fetchStatus(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, (response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => (body += chunk.toString()));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
    }).on("error", reject);
  });
}

type RefreshResult = Parameters<NonNullable<S3MediaOptions["onRefresh"]>>[0];

/** The library's background refreshes as events: `next()` resolves with the next one's outcome. */
function refreshEvents() {
  const ended: RefreshResult[] = [];
  const waiting: ((result: RefreshResult) => void)[] = [];
  return {
    record: (result: RefreshResult) => {
      const waiter = waiting.shift();
      if (waiter === undefined) ended.push(result);
      else waiter(result);
    },
    next: (): Promise<RefreshResult> => {
      const result = ended.shift();
      return result === undefined ? new Promise((resolve) => waiting.push(resolve)) : Promise.resolve(result);
    },
  };
}

describe("S3 media library", () => {
  let s3: FakeS3;
  let clock: number;
  let refreshes: ReturnType<typeof refreshEvents>;

  function library(overrides: Partial<S3MediaOptions> = {}) {
    return createS3MediaLibrary({
      onRefresh: refreshes.record,
      bucket,
      prefix: "jokebox/",
      region,
      endpoint: s3.url,
      urlTtlSeconds: 900,
      listTtlSeconds: 60,
      credentials: () => credentials,
      now: () => clock,
      ...overrides,
    });
  }

  beforeEach(async () => {
    clock = Date.now();
    refreshes = refreshEvents();
    s3 = await startFakeS3({
      bucket,
      region,
      credentials,
      keys: ["jokebox/en/a.mp3", "jokebox/en/b.txt", "jokebox/de/c.m4a", "jokebox/cover.jpg", "other/en/x.mp3"],
    });
  });

  afterEach(() => s3.close());

  it("lists the audio clips under the prefix, relative to it, skipping other files", async () => {
    const clips = await library().listClips();

    expect(clips).toEqual(["de/c.m4a", "en/a.mp3"]);
    expect(s3.requests).toHaveLength(1);
    expect(s3.requests[0]).toMatchObject({ path: `/${bucket}/`, signatureValid: true });
    expect(s3.requests[0].query).toMatchObject({ "list-type": "2", prefix: "jokebox/" });
  });

  it("follows continuation tokens past 1,000 objects", async () => {
    const keys = Array.from({ length: 2_345 }, (_, i) => `jokebox/en/clip-${String(i).padStart(4, "0")}.mp3`);
    s3.setKeys([...keys, "jokebox/en/readme.md"]);

    const clips = await library().listClips();

    expect(clips).toHaveLength(2_345);
    expect(clips[0]).toBe("en/clip-0000.mp3");
    expect(clips[2_344]).toBe("en/clip-2344.mp3");
    expect(s3.requests.map((request) => request.query["continuation-token"])).toEqual([undefined, "1000", "2000"]);
    expect(s3.requests.every((request) => request.signatureValid)).toBe(true);
  });

  it("reuses the listing for MEDIA_LIST_TTL_SECONDS, then lists again in the background", async () => {
    const media = library();

    await media.listClips();
    s3.setKeys(["jokebox/en/new.mp3"]);
    clock += 59_000;
    const cached = await media.listClips();
    clock += 1_000;
    const stale = await media.listClips();
    await refreshes.next();
    const fresh = await media.listClips();

    expect(cached).toEqual(["de/c.m4a", "en/a.mp3"]);
    expect(stale).toEqual(["de/c.m4a", "en/a.mp3"]);
    expect(fresh).toEqual(["en/new.mp3"]);
    expect(s3.requests).toHaveLength(2);
  });

  it("never makes a request wait for a refresh: the stale listing answers while S3 is slow", async () => {
    const media = library();
    await media.listClips();
    s3.setKeys(["jokebox/en/new.mp3"]);
    const release = s3.holdListings();
    clock += 60_000;

    // Both answer while the refresh is held at S3: they are not waiting for it.
    const during = await media.listClips();
    await s3.received(2);
    const stillDuring = await media.listClips();
    release();
    expect(await refreshes.next()).toEqual({ clips: ["en/new.mp3"] });
    const after = await media.listClips();

    expect(during).toEqual(["de/c.m4a", "en/a.mp3"]);
    expect(stillDuring).toEqual(["de/c.m4a", "en/a.mp3"]);
    expect(after).toEqual(["en/new.mp3"]);
    // One refresh at a time: the requests during it started no second listing.
    expect(s3.requests).toHaveLength(2);
  });

  it("keeps serving the stale listing when a refresh fails, and tries again on a later request", async () => {
    let secret = credentials.secretAccessKey;
    const media = library({ credentials: () => ({ ...credentials, secretAccessKey: secret }) });
    await media.listClips();
    secret = "wrong";
    clock += 60_000;

    expect(await media.listClips()).toEqual(["de/c.m4a", "en/a.mp3"]);
    const failed = await refreshes.next();
    secret = credentials.secretAccessKey;
    s3.setKeys(["jokebox/en/new.mp3"]);
    const stillStale = await media.listClips();
    await refreshes.next();
    const after = await media.listClips();

    expect(failed).toEqual({ error: expect.objectContaining({ name: "MediaError" }) });
    expect(stillStale).toEqual(["de/c.m4a", "en/a.mp3"]);
    expect(s3.requests.map((request) => request.signatureValid)).toEqual([true, false, true]);
    expect(after).toEqual(["en/new.mp3"]);
  });

  it("starts from the clips the deployment knew, without a request, and lists once they are stale", async () => {
    const media = library({ knownClips: ["en/deployed.mp3"] });

    clock += 59_000;
    const known = await media.listClips();
    const url = await media.urlFor(known[0]);
    clock += 1_000;
    const stale = await media.listClips();
    await refreshes.next();
    const listed = await media.listClips();

    expect(known).toEqual(["en/deployed.mp3"]);
    expect(stale).toEqual(["en/deployed.mp3"]);
    expect(new URL(url).pathname).toBe(`/${bucket}/jokebox/en/deployed.mp3`);
    expect(listed).toEqual(["de/c.m4a", "en/a.mp3"]);
    expect(s3.requests).toHaveLength(1);
  });

  it("lists on every request when MEDIA_LIST_TTL_SECONDS is 0, known clips or not", async () => {
    const media = library({ knownClips: ["en/deployed.mp3"], listTtlSeconds: 0 });

    expect(await media.listClips()).toEqual(["de/c.m4a", "en/a.mp3"]);
    expect(s3.requests).toHaveLength(1);
  });

  it("does not keep a failed listing", async () => {
    let secret = "wrong";
    const media = library({ credentials: () => ({ ...credentials, secretAccessKey: secret }) });

    await expect(media.listClips()).rejects.toThrow(MediaError);
    secret = credentials.secretAccessKey;

    expect(await media.listClips()).toEqual(["de/c.m4a", "en/a.mp3"]);
  });

  it("names the bucket, prefix and S3 error code when listing fails", async () => {
    const media = library({ credentials: () => ({ ...credentials, secretAccessKey: "wrong" }) });

    await expect(media.listClips()).rejects.toThrow(
      /Listing clips in s3:\/\/jokebox-media\/jokebox\/ failed \(HTTP 403 SignatureDoesNotMatch\)/,
    );
  });

  it("gives presigned GET URLs carrying the configured expiry, whose signature S3 accepts", async () => {
    const url = await library().urlFor("en/a.mp3");
    const query = new URL(url).searchParams;

    expect(url.startsWith(`${s3.url}/${bucket}/jokebox/en/a.mp3?`)).toBe(true);
    expect(query.get("X-Amz-Expires")).toBe("900");
    expect(query.get("X-Amz-Security-Token")).toBe("test-session");
    expect(await s3.checkPresignedUrl(url, new Date(clock))).toEqual({ signatureValid: true, expired: false });
    expect(await s3.checkPresignedUrl(url, new Date(clock + 901_000))).toMatchObject({ expired: true });
    expect(await fetchStatus(url)).toEqual({ status: 200, body: "audio:jokebox/en/a.mp3" });
  });

  it("signs keys with spaces, accents and reserved characters", async () => {
    const key = "fr/boîte à blagues & co (1).mp3";
    s3.setKeys([`jokebox/${key}`]);
    const media = library();

    expect(await media.listClips()).toEqual([key]);
    const url = await media.urlFor(key);
    expect(await fetchStatus(url)).toEqual({ status: 200, body: `audio:jokebox/${key}` });
  });

  it("refuses a tampered presigned URL", async () => {
    const url = await library().urlFor("en/a.mp3");

    const tampered = url.replace("X-Amz-Expires=900", "X-Amz-Expires=604800");

    expect((await s3.checkPresignedUrl(tampered)).signatureValid).toBe(false);
    expect((await fetchStatus(tampered)).status).toBe(403);
  });

  it("addresses AWS virtual-hosted style over HTTPS without an endpoint override", async () => {
    const url = new URL(await library({ endpoint: undefined }).urlFor("en/a.mp3"));

    expect(url.origin).toBe(`https://${bucket}.s3.${region}.amazonaws.com`);
    expect(url.pathname).toBe("/jokebox/en/a.mp3");
  });
});

describe("Lambda cold start with an S3 library", () => {
  it("starts listing during init, and the first request reuses that listing", async () => {
    const s3 = await startFakeS3({ bucket, region, credentials, keys: ["en/a.mp3"] });
    try {
      const env = {
        MEDIA_BUCKET: bucket,
        AWS_REGION: region,
        AWS_ENDPOINT_URL_S3: s3.url,
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
        AWS_SESSION_TOKEN: credentials.sessionToken,
      };

      const { handler } = createLambdaHandlers({ env, log: () => undefined });
      // Before any request: only a listing started by the init itself reaches the bucket (without one, the
      // test's timeout ends the wait).
      await s3.received(1);
      expect(s3.requests[0].query["list-type"]).toBe("2");
      const answer = await handler(launchRequest());

      expect(s3.requests.filter((request) => request.query["list-type"] === "2")).toHaveLength(1);
      const stream = (answer.response.directives?.[0] as { audioItem: { stream: { url: string } } }).audioItem.stream;
      expect((await s3.checkPresignedUrl(stream.url)).signatureValid).toBe(true);
    } finally {
      await s3.close();
    }
  });
});
