import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { audioKeysOf } from "../../infra/components/MediaBucket";
import { MAX_MEDIA_CLIPS_BYTES, mediaClipsVariable } from "../../infra/components/SkillFunction";

describe("the clips a stack gives its function (MEDIA_CLIPS)", () => {
  let folder: string;
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), "skillship-media-"));
    for (const file of [
      "en/b.mp3",
      "en/a.MP3",
      "de/deep/c.m4a",
      "notes.txt",
      "en/cover.jpg",
      "fr/.DS_Store",
    ]) {
      mkdirSync(join(folder, file, ".."), { recursive: true });
      writeFileSync(join(folder, file), "x");
    }
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  afterEach(() => jest.restoreAllMocks());

  it("are the folder's audio files as bucket keys, sorted", () => {
    expect(audioKeysOf(folder)).toEqual(["de/deep/c.m4a", "en/a.MP3", "en/b.mp3"]);
  });

  it("go into the environment as JSON while they fit", () => {
    expect(mediaClipsVariable(["de/a.mp3", "en/b.mp3"], "f")).toBe('["de/a.mp3","en/b.mp3"]');
  });

  it("are left out with a warning that names the function and the cost when they would crowd it", () => {
    const warn = jest.spyOn(pulumi.log, "warn").mockResolvedValue();
    const many = Array.from({ length: 200 }, (_, i) => `en/clip-${i}.mp3`);

    expect(mediaClipsVariable(many, "skillship-prod-skill")).toBeUndefined();
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^skillship-prod-skill: the 200 clips .* bytes/));
    expect(warn.mock.calls[0][0]).toContain(`over the ${MAX_MEDIA_CLIPS_BYTES}`);
    expect(warn.mock.calls[0][0]).toContain("lists the bucket on its first request");
  });
});
