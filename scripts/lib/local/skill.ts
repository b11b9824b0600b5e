/**
 * The skill as the local tools run it: `createSkill` from `skill/` with the media source the environment asks
 * for: the media folder (default `media/`) through signed URLs on the local endpoint, or the S3 bucket when
 * `MEDIA_BUCKET` is set, signed with the AWS credentials of the environment.
 */
import * as path from "node:path";
import { awsCredentialsFromEnv, readSkillConfig, type SkillConfig } from "../../../skill/config";
import { SkillConfigError } from "../../../skill/errors";
import { createSkill, type CreateSkillOptions } from "../../../skill";
import { createLocalMediaLibrary } from "../../../skill/media/local";
import { createS3MediaLibrary } from "../../../skill/media/s3";
import type { MediaLibrary } from "../../../skill/media/types";
import type { RequestEnvelope, ResponseEnvelope } from "ask-sdk-model";
import { ConfigError } from "../core/errors";

/**
 * What local tools need of a skill: ask-sdk's `Skill.invoke`. The dev server serves it over HTTP, the dialog
 * tools call it in-process; this module is what they share.
 */
export interface InvocableSkill {
  invoke(envelope: RequestEnvelope): Promise<ResponseEnvelope>;
}

/** `createSkill` of `skill/index.ts` (passed in, so the dev server can pass a freshly reloaded one). */
export type CreateSkill = (options: CreateSkillOptions) => InvocableSkill;

/** The modules of `skill/` a local run builds the skill from; the dev server swaps in freshly reloaded ones. */
export interface SkillModules {
  createSkill: CreateSkill;
  createLocalMediaLibrary: typeof createLocalMediaLibrary;
  createS3MediaLibrary: typeof createS3MediaLibrary;
}

/** The modules as this process first loaded them. */
export const loadedSkillModules: SkillModules = {
  createSkill,
  createLocalMediaLibrary,
  createS3MediaLibrary,
};

type Env = Readonly<Record<string, string | undefined>>;

/** Where the media comes from, for the banner. */
export type MediaSource =
  | { kind: "local"; dir: string; urlTtlSeconds: number }
  | { kind: "s3"; bucket: string; prefix: string; region: string; urlTtlSeconds: number };

/** The media settings of a local run. */
export interface LocalMedia {
  source: MediaSource;
  library: MediaLibrary;
  skillId?: string;
}

/** Options of {@link localMedia}. */
export interface LocalMediaOptions {
  /** Project root: the default media folder is `<root>/media`. */
  root: string;
  /** The origin local media URLs point at (read per URL: it changes when a tunnel opens). */
  baseUrl: () => string;
  secret: Buffer;
  /** The skill's environment; default the process's (read by `skill/config.ts`). */
  env?: Env;
}

/**
 * Reads the skill's settings (`SKILL_ID`, `MEDIA_BUCKET`, `MEDIA_DIR`, …) and builds the media library. Bad
 * settings, or `MEDIA_BUCKET` without AWS credentials, are a {@link ConfigError} naming the variable.
 */
export function localMedia(
  options: LocalMediaOptions,
  modules: SkillModules = loadedSkillModules,
): LocalMedia {
  let config: SkillConfig;
  try {
    config = readSkillConfig(options.env, { defaultMediaDir: path.join(options.root, "media") });
    if (config.media.kind === "s3") awsCredentialsFromEnv(options.env);
  } catch (error) {
    if (error instanceof SkillConfigError) {
      const hint =
        error.variable.startsWith("AWS_ACCESS") || error.variable.startsWith("AWS_SECRET")
          ? " (MEDIA_BUCKET is set, so clips come from S3: export the credentials, e.g. " +
            '`eval "$(aws configure export-credentials --format env)"`, or unset MEDIA_BUCKET to use media/)'
          : "";
      throw new ConfigError(`${error.message}${hint}`, { cause: error });
    }
    throw error;
  }
  const media = config.media;
  if (media.kind === "s3") {
    return {
      skillId: config.skillId,
      source: {
        kind: "s3",
        bucket: media.bucket,
        prefix: media.prefix,
        region: media.region,
        urlTtlSeconds: media.urlTtlSeconds,
      },
      library: modules.createS3MediaLibrary({
        ...media,
        credentials: () => awsCredentialsFromEnv(options.env),
      }),
    };
  }
  const dir = path.resolve(media.dir);
  return {
    skillId: config.skillId,
    source: { kind: "local", dir, urlTtlSeconds: media.urlTtlSeconds },
    library: modules.createLocalMediaLibrary({
      dir,
      baseUrl: options.baseUrl,
      secret: options.secret,
      urlTtlSeconds: media.urlTtlSeconds,
    }),
  };
}

/** A skill-log sink for local runs: one short line per request instead of the Lambda JSON line. */
export function compactSkillLog(write: (line: string) => void): (entry: Record<string, unknown>) => void {
  return (entry) => {
    const what = [entry.requestType, entry.intent].filter(Boolean).join(" ");
    const error = entry.error as { message?: string } | undefined;
    write(
      `  skill: ${what} ${String(entry.locale ?? "")} ${String(entry.latencyMs ?? "")} ms${error ? ` error: ${error.message}` : ""}`,
    );
  };
}
