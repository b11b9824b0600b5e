import * as path from "node:path";
import { localMedia } from "../../../../scripts/lib/local/skill";
import { ConfigError } from "../../../../scripts/lib/core/errors";

const root = path.resolve(__dirname, "..", "..", "..", "..");
const base = { root, baseUrl: () => "http://127.0.0.1:3000", secret: Buffer.alloc(32, 1) };

describe("localMedia", () => {
  it("serves media/ by default, through signed local URLs", async () => {
    const media = localMedia({ ...base, env: {} });
    expect(media.source).toEqual({ kind: "local", dir: path.join(root, "media"), urlTtlSeconds: 3600 });
    const clips = await media.library.listClips();
    for (const language of ["en", "de", "fr", "es"]) {
      expect(clips.filter((key) => key.startsWith(`${language}/`)).length).toBeGreaterThanOrEqual(2);
    }
    expect(await media.library.urlFor(clips[0])).toMatch(
      /^http:\/\/127\.0\.0\.1:3000\/media\/.+\?expires=\d+&sig=[0-9a-f]{64}$/,
    );
  });

  it("uses the S3 bucket when MEDIA_BUCKET and AWS credentials are set", async () => {
    const env = {
      MEDIA_BUCKET: "jokebox-media",
      MEDIA_PREFIX: "clips",
      AWS_REGION: "eu-west-1",
      AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
      AWS_SECRET_ACCESS_KEY: "secret",
    };
    const media = localMedia({ ...base, env });
    expect(media.source).toEqual({
      kind: "s3",
      bucket: "jokebox-media",
      prefix: "clips/",
      region: "eu-west-1",
      urlTtlSeconds: 3600,
    });
    expect(await media.library.urlFor("en/a.mp3")).toMatch(
      /^https:\/\/jokebox-media\.s3\.eu-west-1\.amazonaws\.com\/clips\/en\/a\.mp3\?/,
    );
  });

  it("names the missing credential and how to get it or go back to media/", () => {
    const run = () => localMedia({ ...base, env: { MEDIA_BUCKET: "b", AWS_REGION: "us-east-1" } });
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(/AWS_ACCESS_KEY_ID is required.*export-credentials.*unset MEDIA_BUCKET/s);
  });

  it("names a bad setting", () => {
    expect(() => localMedia({ ...base, env: { MEDIA_URL_TTL_SECONDS: "soon" } })).toThrow(
      /MEDIA_URL_TTL_SECONDS/,
    );
  });
});
