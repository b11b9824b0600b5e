/** Jokebox's local factory (`code.local` of skillship.json): media from the media folder, or S3 when MEDIA_BUCKET is set. */
import * as path from "node:path";
import type { LocalSkillFactory } from "../../scripts/lib/local/skill";
import { mediaUrl, verifyMediaUrl } from "../../scripts/lib/local/media-urls";
import { SkillConfigError } from "../../skill/errors";
import { createLocalSkill, type LocalRunContext } from "../../skill/local";
import { launchRequest, intentRequest } from "../../testkit/envelopes";

const root = path.resolve(__dirname, "..", "..");
const secret = Buffer.alloc(32, 1);

function context(env: Record<string, string>, settings: Record<string, unknown> = {}): LocalRunContext {
  return {
    root,
    env,
    settings,
    mediaUrl: (key, ttlSeconds) => mediaUrl({ origin: "http://127.0.0.1:3000", key, ttlSeconds, secret }),
    log: () => undefined,
  };
}

// The contract with Skillship: Jokebox's factory is one Skillship can call.
const asSkillshipFactory: LocalSkillFactory = createLocalSkill;

describe("createLocalSkill", () => {
  it("serves media/ by default through the endpoint's signed URLs, and says so", async () => {
    const skill = await asSkillshipFactory(context({}));
    expect(skill.mediaFolder).toBe(path.join(root, "media"));
    const facts = await skill.describe!();
    expect(facts[0]).toEqual({
      label: "Clips",
      value: expect.stringMatching(/^\d+ in .*media, signed URLs valid 3600 s$/),
    });
    const answer = await skill.invoke(intentRequest("PlayClipIntent", { locale: "en-US" }));
    const url = (answer.response.directives?.[0] as { audioItem: { stream: { url: string } } }).audioItem
      .stream.url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:3000\/media\/en\/.+\?expires=\d+&sig=[0-9a-f]{64}$/);
    const { pathname, search } = new URL(url);
    expect(verifyMediaUrl(pathname + search, secret).result).toBe("ok");
  });

  it("takes the media folder from local.settings.mediaFolder, and refuses one that is not a path", async () => {
    const skill = createLocalSkill(context({}, { mediaFolder: "test" }));
    expect(skill.mediaFolder).toBe(path.join(root, "test"));
    expect(() => createLocalSkill(context({}, { mediaFolder: 3 }))).toThrow(/local\.settings\.mediaFolder/);
  });

  it("uses the S3 bucket when MEDIA_BUCKET and AWS credentials are set", async () => {
    const skill = createLocalSkill(
      context({
        MEDIA_BUCKET: "jokebox-media",
        MEDIA_PREFIX: "clips",
        AWS_REGION: "eu-west-1",
        AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
        AWS_SECRET_ACCESS_KEY: "secret",
      }),
    );
    expect(skill.mediaFolder).toBeUndefined();
    expect(await skill.describe()).toEqual([
      {
        label: "Clips",
        value: "from S3 bucket jokebox-media/clips/ (eu-west-1), presigned URLs valid 3600 s",
      },
    ]);
  });

  it("names the missing credential and how to get it or go back to the media folder", () => {
    const run = () => createLocalSkill(context({ MEDIA_BUCKET: "b", AWS_REGION: "us-east-1" }));
    expect(run).toThrow(SkillConfigError);
    expect(run).toThrow(/AWS_ACCESS_KEY_ID is required.*export-credentials.*unset MEDIA_BUCKET/s);
  });

  it("names a bad setting, and answers to the SKILL_ID it is given", async () => {
    expect(() => createLocalSkill(context({ MEDIA_URL_TTL_SECONDS: "soon" }))).toThrow(
      /MEDIA_URL_TTL_SECONDS/,
    );
    const skillId = "amzn1.ask.skill.00000000-0000-4000-8000-0000000000aa";
    const skill = createLocalSkill(context({ SKILL_ID: skillId }));
    expect(skill.skillId).toBe(skillId);
    await expect(skill.invoke(launchRequest({ locale: "en-US" }))).rejects.toThrow();
  });
});
