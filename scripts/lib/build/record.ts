/**
 * The build record `npm run build` writes beside the bundle (`dist/skill/build.json`): what a release publishes
 * is guarded by its `codeSha256`, the bundle's sha256 as Lambda reports it.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { ConfigError } from "../core/errors";

const buildRecordSchema = z.object({ codeSha256: z.string().min(1) });

/** Reads `codeSha256` from the build record; a missing or broken record names the file and what to run. */
export function readBundleSha256(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigError(
      `${file} cannot be read: run \`npm run build\` first (the release publishes the bundle it describes)`,
      { cause: error },
    );
  }
  let parsed: z.infer<typeof buildRecordSchema>;
  try {
    parsed = buildRecordSchema.parse(JSON.parse(text));
  } catch (error) {
    throw new ConfigError(`${file} has no codeSha256: run \`npm run build\` again`, { cause: error });
  }
  return parsed.codeSha256;
}
