import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { localMediaSecret, SECRET_FILE } from "../../../../scripts/lib/local/media-secret";

describe("localMediaSecret", () => {
  it("creates one secret that every caller, even concurrent ones, agrees on", async () => {
    const root = await mkdtemp(path.join(tmpdir(), "skillship-secret-"));
    const secrets = await Promise.all(Array.from({ length: 8 }, () => localMediaSecret(root)));
    const stored = await readFile(path.join(root, SECRET_FILE));
    expect(stored.length).toBe(32);
    for (const secret of secrets) expect(secret.equals(stored)).toBe(true);
    expect((await localMediaSecret(root)).equals(stored)).toBe(true);
    expect(await readdir(path.dirname(path.join(root, SECRET_FILE)))).toEqual(["media-url-secret"]);
  });
});
