/**
 * A smart-home skill as `skillship directive` runs it on this machine: built as every local run builds a skill
 * (the project's `code.local` factory, else the code entry's Lambda `handler`), then spoken to in directives.
 * What a local factory may add for directives: a linked user's token, values of `${name}` variables in
 * directive files, the `given` conditions of a step set on its local fakes, and `close` for what it started.
 */
import { randomBytes } from "node:crypto";
import type { Project } from "../../project/read";
import { loadLocalSkill } from "../skill";
import type { StepGiven } from "./directive-file";
import type { DirectiveEvent } from "./directives";
import type { ReplayHarness } from "./replay";

/** What `skillship directive` talks to. */
export interface LocalSmartHomeSkill {
  /** Sends a directive to the skill's code, in this process, and returns its answer. */
  invoke(event: DirectiveEvent): Promise<unknown>;
  /** The access token directives carry when `--token` is not given (a test user of the local fakes). */
  readonly accessToken?: string;
  /** The value of `${name}` in a directive file's payload (e.g. a fresh grant code). */
  variable?(name: string): string | undefined;
  /** Sets a step's `given` up on the local fakes; returns what undoes it. */
  given?(given: StepGiven): Promise<() => Promise<void> | void>;
  /** Stops what the factory started (local fakes). */
  close?(): Promise<void>;
}

/** Builds the project's smart-home skill for a local run; `env` is the run's environment. */
export async function loadLocalSmartHomeSkill(
  project: Project,
  options: {
    env: Readonly<Record<string, string | undefined>>;
    log?: (entry: Record<string, unknown>) => void;
  },
): Promise<LocalSmartHomeSkill> {
  const skill = await loadLocalSkill(project, {
    env: options.env,
    // Smart-home skills serve no media: the media URL helpers are never called.
    origin: () => "http://127.0.0.1",
    secret: randomBytes(32),
    ...(options.log === undefined ? {} : { log: options.log }),
  });
  return skill as unknown as LocalSmartHomeSkill;
}

/** The replay harness of a local skill: its answers checked against `validate` when given. */
export function localHarness(
  skill: LocalSmartHomeSkill,
  validate?: (message: unknown) => string[],
): ReplayHarness {
  return {
    invoke: (event) => skill.invoke(event),
    ...(validate === undefined ? {} : { validate }),
    ...(skill.variable === undefined ? {} : { variable: (name: string) => skill.variable!(name) }),
    ...(skill.given === undefined ? {} : { given: (given: StepGiven) => skill.given!(given) }),
  };
}
