/**
 * Jokebox for local runs (`skillship dev`, `say`, `dialog`): `skillship.json` names this module as `code.local`.
 * The clips come from the media folder (`local.settings.mediaFolder`, or `MEDIA_DIR`), served by the local
 * endpoint through the signed URLs it makes; or from the S3 bucket when `MEDIA_BUCKET` is set, signed with the
 * AWS credentials of the environment. The shapes below are the ones Skillship documents for local factories
 * (docs/project-file.md#local-runs); a test joins them to its own.
 */
import * as path from "node:path";
import type { RequestEnvelope, ResponseEnvelope } from "ask-sdk-model";
import { awsCredentialsFromEnv, readSkillConfig, type SkillConfig } from "./config";
import { SkillConfigError } from "./errors";
import { createSkill } from ".";
import type { SkillLog } from "./log";
import { createLocalMediaLibrary } from "./media/local";
import { createS3MediaLibrary } from "./media/s3";
import type { MediaLibrary } from "./media/types";

/** What Skillship gives a local factory. */
export interface LocalRunContext {
  readonly root: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly settings: Readonly<Record<string, unknown>>;
  mediaUrl(key: string, ttlSeconds: number): string;
  log: SkillLog;
}

/** Jokebox as a local run serves it. */
export interface LocalJokebox {
  invoke(envelope: RequestEnvelope): Promise<ResponseEnvelope>;
  readonly skillId?: string;
  readonly mediaFolder?: string;
  describe(): Promise<({ label: string; value: string } | { warning: string })[]>;
}

/** The media folder of `local.settings`, relative to the project: `media` unless `mediaFolder` says otherwise. */
function mediaFolderOf(context: LocalRunContext): string {
  const setting = context.settings.mediaFolder;
  if (setting !== undefined && (typeof setting !== "string" || setting.trim() === "")) {
    throw new SkillConfigError(
      "mediaFolder",
      'local.settings.mediaFolder must be a folder path, e.g. "media".',
    );
  }
  return path.resolve(context.root, setting ?? "media");
}

function readConfig(context: LocalRunContext): SkillConfig {
  const config = readSkillConfig(context.env, { defaultMediaDir: mediaFolderOf(context) });
  if (config.media.kind === "s3") {
    try {
      awsCredentialsFromEnv(context.env);
    } catch (error) {
      if (error instanceof SkillConfigError) {
        throw new SkillConfigError(
          error.variable,
          `${error.message} (MEDIA_BUCKET is set, so clips come from S3: export the credentials, e.g. ` +
            '`eval "$(aws configure export-credentials --format env)"`, or unset MEDIA_BUCKET to use the media folder)',
        );
      }
      throw error;
    }
  }
  return config;
}

/** Builds Jokebox for a local run; a bad setting throws a {@link SkillConfigError} naming the variable. */
export function createLocalSkill(context: LocalRunContext): LocalJokebox {
  const config = readConfig(context);
  const media = config.media;
  let library: MediaLibrary;
  let source: string;
  if (media.kind === "s3") {
    library = createS3MediaLibrary({ ...media, credentials: () => awsCredentialsFromEnv(context.env) });
    source = `from S3 bucket ${media.bucket}${media.prefix ? `/${media.prefix}` : ""} (${media.region}), presigned URLs valid ${media.urlTtlSeconds} s`;
  } else {
    library = createLocalMediaLibrary({
      dir: media.dir,
      urlFor: (key) => context.mediaUrl(key, media.urlTtlSeconds),
    });
    source = `in ${media.dir}, signed URLs valid ${media.urlTtlSeconds} s`;
  }
  const skill = createSkill({ media: library, skillId: config.skillId, log: context.log });
  return {
    invoke: (envelope) => skill.invoke(envelope),
    skillId: config.skillId,
    ...(media.kind === "local" ? { mediaFolder: path.resolve(media.dir) } : {}),
    async describe() {
      if (media.kind === "s3") return [{ label: "Clips", value: source }];
      try {
        const clips = (await library.listClips()).length;
        return [
          { label: "Clips", value: `${clips} ${source}` },
          ...(clips === 0
            ? [{ warning: `no clips in ${media.dir}: the skill will apologise instead of playing` }]
            : []),
        ];
      } catch (error) {
        return [{ label: "Clips", value: source }, { warning: (error as Error).message }];
      }
    },
  };
}
