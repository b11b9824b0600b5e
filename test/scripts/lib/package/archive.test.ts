import { randomBytes } from "node:crypto";
import { unzipSync } from "fflate";
import { ConfigError } from "../../../../scripts/lib/core/errors";
import { buildPackageArchive } from "../../../../scripts/lib/package/archive";
import { readSkillPackage } from "../../../../scripts/lib/package/skill-package";

describe("the package archive", () => {
  it("is the same bytes for the same package whatever its key order, and differs when a file does", async () => {
    const pkg = await readSkillPackage("skill-package");
    const one = buildPackageArchive(pkg);
    const reordered = Object.fromEntries(Object.entries(pkg.manifest).reverse());
    const two = buildPackageArchive({ ...pkg, manifest: reordered, models: { ...pkg.models } });
    expect(two.sha256).toBe(one.sha256);
    expect(Buffer.from(two.zip).equals(Buffer.from(one.zip))).toBe(true);
    expect(one.entries).toEqual([
      "assets/images/icon-108.png",
      "assets/images/icon-512.png",
      "interactionModels/custom/de-DE.json",
      "interactionModels/custom/en-GB.json",
      "interactionModels/custom/en-US.json",
      "interactionModels/custom/es-ES.json",
      "interactionModels/custom/fr-FR.json",
      "skill.json",
    ]);
    const files = unzipSync(one.zip);
    expect(files["assets/images/icon-108.png"]).toEqual(pkg.files?.["assets/images/icon-108.png"]);

    const icon = new Uint8Array(pkg.files?.["assets/images/icon-108.png"] ?? []);
    icon[icon.length - 1] ^= 1;
    const changed = buildPackageArchive({
      ...pkg,
      files: { ...pkg.files, "assets/images/icon-108.png": icon },
    });
    expect(changed.sha256).not.toBe(one.sha256);
  });

  it("refuses a zip over the import size limit, naming the largest files, before anything is uploaded", async () => {
    const pkg = await readSkillPackage("skill-package");
    // Random bytes do not compress: the zip is as large as the file.
    const noise = new Uint8Array(randomBytes(64 * 1024));
    const attempt = () =>
      buildPackageArchive({ ...pkg, files: { ...pkg.files, "media/clip.mp3": noise } }, 32 * 1024);
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(
      /^skill-package zips to \d+ KB, over the 32 KB a skill package may be: the largest files are skill-package\/media\/clip\.mp3 \(64 KB\), .*nothing was uploaded\.$/,
    );
  });
});
