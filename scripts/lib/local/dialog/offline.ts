/**
 * The offline setup shared by `skillship say`, `skillship dialog` and the dialog-file tests: the skill package's
 * resolvers, the skill from `skill/` with the media the environment names, and a simulated device.
 */
import * as path from "node:path";
import { compactSkillLog, loadedSkillModules, localMedia, type MediaSource } from "../skill";
import { localMediaSecret } from "../media-secret";
import { createResolver, type UtteranceResolver } from "../nlu/resolver";
import { packageLocales, readSkillPackage } from "../../package/skill-package";
import { SimulatedDevice } from "./device";
import { createLocalExecutor, type LocalExecutor } from "./local";

/** The origin `npm start` listens on by default: media URLs printed offline play from it. */
export const DEFAULT_LOCAL_ORIGIN = "http://127.0.0.1:3000";

/** Options of {@link createOfflineExecutor}. */
export interface OfflineOptions {
  /** Project root (holds `skill-package/` and `media/`). */
  root: string;
  /** Origin for local media URLs. Default {@link DEFAULT_LOCAL_ORIGIN}. */
  origin?: string;
  /** The skill's environment (default the process's). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Where the skill's error lines go (requests that failed inside the skill). Default: dropped. */
  onSkillError?: (line: string) => void;
  /** Clock of the simulated device. */
  now?: () => number;
}

/** An offline executor with what it was built from. */
export interface Offline {
  executor: LocalExecutor;
  locales: string[];
  media: MediaSource;
}

/** Builds the offline executor; an unknown locale is refused at the first turn with the list of locales. */
export async function createOfflineExecutor(options: OfflineOptions): Promise<Offline> {
  const root = path.resolve(options.root);
  const pkg = await readSkillPackage(path.join(root, "skill-package"));
  const secret = await localMediaSecret(root);
  const origin = options.origin ?? DEFAULT_LOCAL_ORIGIN;
  const media = localMedia({ root, baseUrl: () => origin, secret, env: options.env });
  const errorLog = compactSkillLog((line) => options.onSkillError?.(line));
  const skill = loadedSkillModules.createSkill({
    media: media.library,
    skillId: media.skillId,
    log: (entry: Record<string, unknown>) => {
      if (entry.level === "error") errorLog(entry);
    },
  });
  const resolvers = new Map<string, UtteranceResolver>();
  const executor = createLocalExecutor({
    skill,
    device: new SimulatedDevice({ skillId: media.skillId, now: options.now }),
    resolverFor(locale) {
      let resolver = resolvers.get(locale);
      if (resolver === undefined) {
        resolver = createResolver(pkg, locale);
        resolvers.set(locale, resolver);
      }
      return resolver;
    },
  });
  return { executor, locales: packageLocales(pkg), media: media.source };
}
