/**
 * The offline setup shared by `skillship say`, `skillship dialog` and the dialog-file tests: the skill package's
 * resolvers, the project's skill built for a local run, and a simulated device.
 */
import { requireInteractionModels } from "../../project/kinds";
import type { Project } from "../../project/read";
import { compactSkillLog, loadLocalSkill } from "../skill";
import { localMediaSecret } from "../media-secret";
import { createResolver, type UtteranceResolver } from "../nlu/resolver";
import { packageLocales, readSkillPackage } from "../../package/skill-package";
import { SimulatedDevice } from "./device";
import { createLocalExecutor, type LocalExecutor } from "./local";

/** The origin `skillship dev` listens on by default: media URLs printed offline play from it. */
export const DEFAULT_LOCAL_ORIGIN = "http://127.0.0.1:3000";

/** Options of {@link createOfflineExecutor}. */
export interface OfflineOptions {
  /** The project whose skill and skill package are used. */
  project: Project;
  /** The command, for the message when the skill kind has no interaction models. */
  command?: string;
  /** Origin for local media URLs. Default {@link DEFAULT_LOCAL_ORIGIN}. */
  origin?: string;
  /** The skill's environment. */
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
}

/** Builds the offline executor; an unknown locale is refused at the first turn with the list of locales. */
export async function createOfflineExecutor(options: OfflineOptions): Promise<Offline> {
  const { project } = options;
  requireInteractionModels(project.kind, options.command ?? "say");
  const pkg = await readSkillPackage(project.paths.skillPackage);
  const origin = options.origin ?? DEFAULT_LOCAL_ORIGIN;
  const errorLog = compactSkillLog((line) => options.onSkillError?.(line));
  const skill = await loadLocalSkill(project, {
    env: options.env ?? {},
    origin: () => origin,
    secret: await localMediaSecret(project.root),
    log: (entry) => {
      if (entry.level === "error") errorLog(entry);
    },
  });
  const resolvers = new Map<string, UtteranceResolver>();
  const executor = createLocalExecutor({
    skill,
    device: new SimulatedDevice({ skillId: skill.skillId, now: options.now }),
    resolverFor(locale) {
      let resolver = resolvers.get(locale);
      if (resolver === undefined) {
        resolver = createResolver(pkg, locale);
        resolvers.set(locale, resolver);
      }
      return resolver;
    },
  });
  return { executor, locales: packageLocales(pkg) };
}
