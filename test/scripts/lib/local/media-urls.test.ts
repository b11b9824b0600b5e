import {
  mediaUrl,
  signMediaKey,
  verifyMediaKey,
  verifyMediaUrl,
} from "../../../../scripts/lib/local/media-urls";

const SECRET = "test-secret";
const NOW = 1_800_000_000;

describe("media URL signing", () => {
  it("accepts a signed key until it expires", () => {
    const signature = signMediaKey("en/a.mp3", NOW + 60, SECRET);

    expect(verifyMediaKey("en/a.mp3", signature, SECRET, NOW)).toBe("ok");
    expect(verifyMediaKey("en/a.mp3", signature, SECRET, NOW + 60)).toBe("ok");
    expect(verifyMediaKey("en/a.mp3", signature, SECRET, NOW + 61)).toBe("expired");
  });

  it("refuses a tampered key, expiry, signature or secret", () => {
    const signature = signMediaKey("en/a.mp3", NOW + 60, SECRET);

    expect(verifyMediaKey("en/b.mp3", signature, SECRET, NOW)).toBe("bad-signature");
    expect(verifyMediaKey("en/a.mp3", { ...signature, expires: NOW + 3600 }, SECRET, NOW)).toBe(
      "bad-signature",
    );
    expect(verifyMediaKey("en/a.mp3", { ...signature, sig: "0".repeat(64) }, SECRET, NOW)).toBe(
      "bad-signature",
    );
    expect(verifyMediaKey("en/a.mp3", { ...signature, sig: "abc" }, SECRET, NOW)).toBe("bad-signature");
    expect(verifyMediaKey("en/a.mp3", signature, "other-secret", NOW)).toBe("bad-signature");
  });

  it("checks a request path with its query, decoding the key", () => {
    const { expires, sig } = signMediaKey("fr/boîte à blagues.mp3", NOW + 60, SECRET);
    const path = `/media/fr/bo%C3%AEte%20%C3%A0%20blagues.mp3?expires=${expires}&sig=${sig}`;

    expect(verifyMediaUrl(path, SECRET, NOW)).toEqual({ result: "ok", key: "fr/boîte à blagues.mp3" });
    expect(verifyMediaUrl(path, SECRET, NOW + 61)).toEqual({
      result: "expired",
      key: "fr/boîte à blagues.mp3",
    });
  });

  it("refuses paths outside /media/, climbing out of the folder, or without a signature", () => {
    const { expires, sig } = signMediaKey("../secret.mp3", NOW + 60, SECRET);

    expect(verifyMediaUrl(`/other/a.mp3?expires=${expires}&sig=${sig}`, SECRET, NOW).result).toBe(
      "bad-signature",
    );
    expect(verifyMediaUrl(`/media/..%2Fsecret.mp3?expires=${expires}&sig=${sig}`, SECRET, NOW).result).toBe(
      "bad-signature",
    );
    expect(verifyMediaUrl("/media/en/a.mp3", SECRET, NOW).result).toBe("bad-signature");
  });

  it("makes URLs on the origin it is given, with keys percent-encoded per segment", () => {
    const url = new URL(
      mediaUrl({
        origin: "https://abc.ngrok.app/",
        key: "fr/boîte (1).mp3",
        ttlSeconds: 90,
        secret: SECRET,
        now: () => NOW * 1000,
      }),
    );

    expect(url.origin).toBe("https://abc.ngrok.app");
    expect(url.pathname).toBe("/media/fr/bo%C3%AEte%20%281%29.mp3");
    expect(url.searchParams.get("expires")).toBe(String(NOW + 90));
    expect(verifyMediaUrl(url.pathname + url.search, SECRET, NOW + 90)).toEqual({
      result: "ok",
      key: "fr/boîte (1).mp3",
    });
    expect(verifyMediaUrl(url.pathname + url.search, SECRET, NOW + 91).result).toBe("expired");
  });
});
