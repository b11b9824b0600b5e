import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { MediaError } from "../../../skill/errors";
import { createLocalMediaLibrary, DEFAULT_MEDIA_DIR } from "../../../skill/media/local";

describe("local media library", () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "jokebox-media-"));
    await mkdir(path.join(dir, "en"));
    await mkdir(path.join(dir, "de", "nested"), { recursive: true });
    for (const file of ["en/b.mp3", "en/a.M4A", "en/notes.txt", "de/nested/c.aac", "cover.jpg"]) {
      await writeFile(path.join(dir, file), "audio");
    }
  });

  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("lists audio files only, by path relative to the folder", async () => {
    const media = createLocalMediaLibrary({ dir, urlFor: (key) => `http://127.0.0.1:1/media/${key}` });

    expect(await media.listClips()).toEqual(["de/nested/c.aac", "en/a.M4A", "en/b.mp3"]);
  });

  it("hands out the URL the endpoint serving the folder makes, asked afresh for each clip", async () => {
    const asked: string[] = [];
    let origin = "http://127.0.0.1:3000";
    const media = createLocalMediaLibrary({
      dir,
      urlFor: (key) => {
        asked.push(key);
        return `${origin}/media/${key}?sig=x`;
      },
    });

    const local = await media.urlFor("en/b.mp3");
    origin = "https://abc.ngrok.app";
    const tunnelled = await media.urlFor("en/b.mp3");

    expect(local).toBe("http://127.0.0.1:3000/media/en/b.mp3?sig=x");
    expect(tunnelled).toBe("https://abc.ngrok.app/media/en/b.mp3?sig=x");
    expect(asked).toEqual(["en/b.mp3", "en/b.mp3"]);
  });

  it("names the folder when it cannot be listed", async () => {
    const missing = path.join(dir, "missing");
    const media = createLocalMediaLibrary({ dir: missing, urlFor: (key) => key });

    await expect(media.listClips()).rejects.toThrow(MediaError);
    await expect(media.listClips()).rejects.toThrow(missing);
  });

  it("defaults to the repository's sample clips", async () => {
    const media = createLocalMediaLibrary({ dir: DEFAULT_MEDIA_DIR, urlFor: (key) => key });

    const clips = await media.listClips();

    for (const language of ["en", "de", "fr", "es"]) {
      expect(clips.some((clip) => clip.startsWith(`${language}/`))).toBe(true);
    }
  });
});
