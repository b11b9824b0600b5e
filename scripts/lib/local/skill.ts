/**
 * The skill as local runs (`skillship dev`, `say`, `dialog`) build it, from the project file alone: the factory
 * `code.local` names (`createLocalSkill(context)`), else the code entry itself: its exported ask-sdk `Skill`
 * (`skill` or the default export) or its Lambda `handler`. Nothing here knows any particular skill.
 */
import { randomUUID } from "node:crypto";
import type { RequestEnvelope, ResponseEnvelope } from "ask-sdk-model";
import { ConfigError } from "../core/errors";
import { requireProjectModule } from "../project/code";
import { describeSetting, displayPath, type Project } from "../project/read";
import { mediaUrl } from "./media-urls";

/**
 * What local tools need of a skill: ask-sdk's `Skill.invoke`. The dev server serves it over HTTP, the dialog
 * tools call it in-process.
 */
export interface InvocableSkill {
  invoke(envelope: RequestEnvelope): Promise<ResponseEnvelope>;
}

type Env = Readonly<Record<string, string | undefined>>;

/** What `createLocalSkill(context)` of the module `code.local` names is given. */
export interface LocalSkillContext {
  /** The project's folder (the one holding `skillship.json`). */
  readonly root: string;
  /** The environment of the run, as the skill would read it on Lambda. */
  readonly env: Env;
  /** `local.settings` of the project file, as written. */
  readonly settings: Readonly<Record<string, unknown>>;
  /**
   * A URL of the local endpoint for a file of the media folder the skill returns (`mediaFolder`): signed and
   * expiring after `ttlSeconds`, on the origin the endpoint is reached at now (it changes when a tunnel opens).
   */
  mediaUrl(key: string, ttlSeconds: number): string;
  /** Where the skill's log entries go (the local tools show errors, and `dev` one line per request). */
  log(entry: Record<string, unknown>): void;
}

/** One line of the `skillship dev` banner about the skill, or a warning. */
export type LocalSkillFact = { label: string; value: string } | { warning: string };

/** What a local factory returns: the skill, and what the local endpoint should know about it. */
export interface LocalSkill extends InvocableSkill {
  /** The skill id the skill answers to: checked on signed requests, sent by `say` and `dialog`. */
  readonly skillId?: string;
  /** A folder the local endpoint serves under `/media/`, through the URLs `context.mediaUrl` makes. */
  readonly mediaFolder?: string;
  /** Lines for the `skillship dev` banner (e.g. where media comes from), and warnings. */
  describe?(): Promise<readonly LocalSkillFact[]>;
}

/** `createLocalSkill`: the factory a project's `code.local` module exports. */
export type LocalSkillFactory = (context: LocalSkillContext) => LocalSkill | Promise<LocalSkill>;

/** Options of {@link loadLocalSkill}. */
export interface LoadLocalSkillOptions {
  /** The environment of the run. */
  env: Env;
  /** The origin local media URLs point at, read per URL. */
  origin: () => string;
  /** The secret media URLs are signed with. */
  secret: Buffer;
  /** The skill's log entries. */
  log?: (entry: Record<string, unknown>) => void;
  /** Loads one of the project's modules; `skillship dev` passes one that reloads. */
  load?: (file: string, setting: string) => Record<string, unknown>;
}

/** Builds the project's skill for a local run; errors name the project setting at fault. */
export async function loadLocalSkill(project: Project, options: LoadLocalSkillOptions): Promise<LocalSkill> {
  const load = options.load ?? ((file, setting) => requireProjectModule(project, file, setting));
  const log = options.log ?? (() => undefined);
  const fallbackSkillId = options.env.SKILL_ID?.trim() || project.skillId;
  if (project.paths.local !== undefined) {
    const file = project.paths.local;
    const module = load(file, "code.local");
    const factory = module.createLocalSkill ?? module.default;
    if (typeof factory !== "function") {
      throw new ConfigError(
        `${describeSetting(project, "code.local", displayPath(file))} exports no createLocalSkill(context): ` +
          "export a function that builds the skill for local runs (docs/project-file.md#local-runs)",
      );
    }
    const context: LocalSkillContext = {
      root: project.root,
      env: options.env,
      settings: project.settings.local.settings,
      mediaUrl: (key, ttlSeconds) =>
        mediaUrl({ origin: options.origin(), key, ttlSeconds, secret: options.secret }),
      log,
    };
    let built: unknown;
    try {
      built = await (factory as LocalSkillFactory)(context);
    } catch (error) {
      throw new ConfigError(
        `${displayPath(file)} (code.local) could not build the skill: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
    if (!isInvocable(built)) {
      throw new ConfigError(
        `createLocalSkill of ${displayPath(file)} (code.local) returned no object with invoke(envelope)`,
      );
    }
    return built.skillId === undefined && fallbackSkillId !== undefined
      ? withSkillId(built, fallbackSkillId)
      : built;
  }
  const file = project.paths.entry;
  const module = load(file, "code.entry");
  const skill = [module.skill, module.default].find(isInvocable);
  if (skill !== undefined) return withSkillId(skill, fallbackSkillId);
  if (typeof module.handler === "function") {
    return withSkillId(handlerAsSkill(module.handler as LambdaHandler), fallbackSkillId);
  }
  throw new ConfigError(
    `${describeSetting(project, "code.entry", displayPath(file))} exports neither an ask-sdk Skill (skill, ` +
      "or the default export) nor a Lambda handler (handler); or name a local factory in code.local " +
      "(docs/project-file.md#local-runs)",
  );
}

function isInvocable(value: unknown): value is LocalSkill {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { invoke?: unknown }).invoke === "function"
  );
}

function withSkillId(skill: LocalSkill, skillId: string | undefined): LocalSkill {
  if (skillId === undefined) return skill;
  // The skill may be a class instance: its methods stay bound to it, and every member is passed on (local
  // tools of other kinds read their own, e.g. a smart-home skill's `given` and `close`).
  const members: Record<string, unknown> = {};
  for (
    let from: object | null = skill;
    from !== null && from !== Object.prototype;
    from = Object.getPrototypeOf(from)
  ) {
    for (const key of Object.getOwnPropertyNames(from)) {
      if (key === "constructor" || key in members) continue;
      const value = (skill as unknown as Record<string, unknown>)[key];
      members[key] =
        typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(skill) : value;
    }
  }
  return { ...(members as unknown as LocalSkill), skillId };
}

type LambdaHandler = (
  event: unknown,
  context: Record<string, unknown>,
  callback: (error: unknown, result?: unknown) => void,
) => unknown;

/**
 * A Lambda handler as a skill: invoked with a Lambda-like context, answering through its promise or its callback
 * (ask-sdk's `.lambda()` handlers use the callback), whichever comes first.
 */
function handlerAsSkill(handler: LambdaHandler): LocalSkill {
  return {
    invoke: (envelope) =>
      new Promise<ResponseEnvelope>((resolve, reject) => {
        const context = {
          functionName: "skillship-local",
          awsRequestId: randomUUID(),
          callbackWaitsForEmptyEventLoop: true,
          getRemainingTimeInMillis: () => 8000,
        };
        const settle = (error: unknown, result?: unknown) =>
          error ? reject(error) : resolve(result as ResponseEnvelope);
        try {
          const returned = handler(envelope, context, settle) as Promise<unknown> | undefined;
          if (returned !== undefined && typeof returned.then === "function") {
            returned.then((result) => settle(undefined, result), reject);
          }
        } catch (error) {
          reject(error);
        }
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
