/**
 * The skill bundle `npm run build` writes (`dist/skill/skill.zip` and `dist/skill/build.json`), read before
 * any resource is declared so a missing build stops the program with "run npm run build".
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { BundleError } from "./errors";

/** The built skill: the archive Lambda runs and its sha256 as Lambda reports `CodeSha256`. */
export interface SkillBundle {
  zipPath: string;
  codeSha256: string;
}

const buildInfoSchema = z.object({
  codeSha256: z.string().regex(/^[A-Za-z0-9+/]{43}=$/, { error: "expected a base64 sha256" }),
});

/** Reads `skill.zip` and `build.json` from `bundleDir`; throws a {@link BundleError} naming the file. */
export function readSkillBundle(bundleDir: string): SkillBundle {
  const zipPath = path.join(bundleDir, "skill.zip");
  const infoPath = path.join(bundleDir, "build.json");
  for (const file of [zipPath, infoPath]) {
    if (!fs.existsSync(file)) {
      throw new BundleError(
        `The skill bundle ${file} is missing: run npm run build (before pulumi preview/up)`,
      );
    }
  }
  let info: unknown;
  try {
    info = JSON.parse(fs.readFileSync(infoPath, "utf8"));
  } catch (error) {
    throw new BundleError(`${infoPath} is not valid JSON: run npm run build again`, { cause: error });
  }
  const parsed = buildInfoSchema.safeParse(info);
  if (!parsed.success) {
    throw new BundleError(
      `${infoPath}: codeSha256 ${parsed.error.issues[0]?.message}: run npm run build again`,
      {
        cause: parsed.error,
      },
    );
  }
  return { zipPath, codeSha256: parsed.data.codeSha256 };
}
