import { awsCredentialsFromEnv, readSkillConfig } from "../../skill/config";
import { SkillConfigError } from "../../skill/errors";

function configError(run: () => unknown): SkillConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof SkillConfigError) return error;
    throw error;
  }
  throw new Error("expected a SkillConfigError");
}

describe("readSkillConfig", () => {
  it("reads an S3 library with defaults", () => {
    expect(readSkillConfig({ MEDIA_BUCKET: "clips", AWS_REGION: "eu-west-1" })).toEqual({
      skillId: undefined,
      media: {
        kind: "s3",
        bucket: "clips",
        prefix: "",
        region: "eu-west-1",
        endpoint: undefined,
        urlTtlSeconds: 3600,
        listTtlSeconds: 300,
        knownClips: undefined,
      },
    });
  });

  it("reads the clips the deployment knew from MEDIA_CLIPS, audio only, sorted", () => {
    const config = readSkillConfig({
      MEDIA_BUCKET: "clips",
      AWS_REGION: "eu-west-1",
      MEDIA_CLIPS: '["en/b.mp3", "README.md", "de/a.m4a"]',
    });

    expect(config.media).toMatchObject({ kind: "s3", knownClips: ["de/a.m4a", "en/b.mp3"] });
  });

  it.each([
    ["en/a.mp3", "it is not JSON"],
    ['{"clips": []}', "it is not an array"],
    ['["en/a.mp3", 7]', "item 1 is not a key"],
    ['["/en/a.mp3"]', "item 0 is not a key"],
    ['[""]', "item 0 is not a key"],
  ])("refuses MEDIA_CLIPS=%s, saying %s and how to recover", (value, problem) => {
    const error = configError(() =>
      readSkillConfig({ MEDIA_BUCKET: "clips", AWS_REGION: "eu-west-1", MEDIA_CLIPS: value }),
    );

    expect(error.variable).toBe("MEDIA_CLIPS");
    expect(error.message).toContain(problem);
    expect(error.message).toContain("unset it to list the bucket instead");
  });

  it("normalises the prefix and prefers the S3-specific endpoint", () => {
    const config = readSkillConfig({
      MEDIA_BUCKET: "clips",
      MEDIA_PREFIX: "/jokebox",
      AWS_REGION: "eu-west-1",
      AWS_ENDPOINT_URL: "http://127.0.0.1:1",
      AWS_ENDPOINT_URL_S3: "http://127.0.0.1:2/",
      MEDIA_URL_TTL_SECONDS: "600",
      MEDIA_LIST_TTL_SECONDS: "0",
      SKILL_ID: "amzn1.ask.skill.abc",
    });

    expect(config).toMatchObject({
      skillId: "amzn1.ask.skill.abc",
      media: { prefix: "jokebox/", endpoint: "http://127.0.0.1:2", urlTtlSeconds: 600, listTtlSeconds: 0 },
    });
  });

  it("reads a local folder, or the default one when given", () => {
    expect(readSkillConfig({ MEDIA_DIR: "/clips" }).media).toEqual({
      kind: "local",
      dir: "/clips",
      urlTtlSeconds: 3600,
    });
    expect(readSkillConfig({}, { defaultMediaDir: "/repo/media" }).media).toMatchObject({
      dir: "/repo/media",
    });
  });

  it("names MEDIA_BUCKET when no media setting is present", () => {
    const error = configError(() => readSkillConfig({}));

    expect(error.variable).toBe("MEDIA_BUCKET");
    expect(error.message).toMatch(/^Environment variable MEDIA_BUCKET is required/);
    expect(error.message).toContain("MEDIA_DIR");
  });

  it.each([
    [{ MEDIA_BUCKET: "b" }, "AWS_REGION"],
    [{ MEDIA_DIR: "/m", MEDIA_URL_TTL_SECONDS: "ten" }, "MEDIA_URL_TTL_SECONDS"],
    [{ MEDIA_DIR: "/m", MEDIA_URL_TTL_SECONDS: "5" }, "MEDIA_URL_TTL_SECONDS"],
    [{ MEDIA_DIR: "/m", MEDIA_URL_TTL_SECONDS: "999999999" }, "MEDIA_URL_TTL_SECONDS"],
    [{ MEDIA_BUCKET: "b", AWS_REGION: "r", MEDIA_LIST_TTL_SECONDS: "-1" }, "MEDIA_LIST_TTL_SECONDS"],
    [{ MEDIA_BUCKET: "b", AWS_REGION: "r", AWS_ENDPOINT_URL_S3: "not a url" }, "AWS_ENDPOINT_URL_S3"],
    [{ MEDIA_BUCKET: "b", AWS_REGION: "r", AWS_ENDPOINT_URL: "ftp://x" }, "AWS_ENDPOINT_URL"],
    [{ MEDIA_DIR: "/m", SKILL_ID: "my-skill" }, "SKILL_ID"],
  ])("refuses %j, naming %s", (env, variable) => {
    const error = configError(() => readSkillConfig(env));

    expect(error.variable).toBe(variable);
    expect(error.message).toContain(`Environment variable ${variable}`);
  });
});

describe("awsCredentialsFromEnv", () => {
  it("reads the credentials Lambda provides", () => {
    expect(
      awsCredentialsFromEnv({
        AWS_ACCESS_KEY_ID: "AKID",
        AWS_SECRET_ACCESS_KEY: "secret",
        AWS_SESSION_TOKEN: "tok",
      }),
    ).toEqual({ accessKeyId: "AKID", secretAccessKey: "secret", sessionToken: "tok" });
  });

  it("names the missing variable without printing any value", () => {
    const error = configError(() => awsCredentialsFromEnv({ AWS_ACCESS_KEY_ID: "AKID-VISIBLE" }));

    expect(error.variable).toBe("AWS_SECRET_ACCESS_KEY");
    expect(error.message).not.toContain("AKID-VISIBLE");
  });
});
