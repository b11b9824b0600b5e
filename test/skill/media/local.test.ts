import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { MediaError } from "../../../skill/errors";
import { createLocalMediaLibrary, DEFAULT_MEDIA_DIR } from "../../../skill/media/local";
import { verifyMediaUrl } from "../../../skill/media/signing";

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
    const media = createLocalMediaLibrary({ dir, baseUrl: () => "http://127.0.0.1:1", secret: "s", urlTtlSeconds: 60 });

    expect(await media.listClips()).toEqual(["de/nested/c.aac", "en/a.M4A", "en/b.mp3"]);
  });

  it("gives URLs on the current base URL, signed with an expiry the endpoint verifies", async () => {
    let base = "http://127.0.0.1:3000";
    const now = () => 1_800_000_000_000;
    const media = createLocalMediaLibrary({ dir, baseUrl: () => base, secret: "s", urlTtlSeconds: 90, now });

    const local = new URL(await media.urlFor("en/b.mp3"));
    base = "https://abc.ngrok.app/";
    const tunnelled = new URL(await media.urlFor("en/b.mp3"));

    expect(local.origin).toBe("http://127.0.0.1:3000");
    expect(tunnelled.origin).toBe("https://abc.ngrok.app");
    expect(tunnelled.pathname).toBe("/media/en/b.mp3");
    expect(tunnelled.searchParams.get("expires")).toBe(String(1_800_000_000 + 90));
    expect(verifyMediaUrl(tunnelled.pathname + tunnelled.search, "s", 1_800_000_000).result).toBe("ok");
    expect(verifyMediaUrl(tunnelled.pathname + tunnelled.search, "s", 1_800_000_091).result).toBe("expired");
  });

  it("names the folder when it cannot be listed", async () => {
    const missing = path.join(dir, "missing");
    const media = createLocalMediaLibrary({ dir: missing, baseUrl: () => "", secret: "s", urlTtlSeconds: 60 });

    await expect(media.listClips()).rejects.toThrow(MediaError);
    await expect(media.listClips()).rejects.toThrow(missing);
  });

  it("defaults to the repository's sample clips", async () => {
    const media = createLocalMediaLibrary({
      dir: DEFAULT_MEDIA_DIR,
      baseUrl: () => "",
      secret: "s",
      urlTtlSeconds: 60,
    });

    const clips = await media.listClips();

    for (const language of ["en", "de", "fr", "es"]) {
      expect(clips.some((clip) => clip.startsWith(`${language}/`))).toBe(true);
    }
  });
});
