/**
 * The skill kinds the platform knows, and the one place where what differs between them is decided: a command
 * asks the kind of its project what to do instead of testing `kind === "…"` itself. A new kind adds its name
 * to {@link SKILL_KINDS} and its entry to {@link skillKinds}.
 */
import { UsageError } from "../core/errors";

/** The kinds a project file may name (`kind`). */
export const SKILL_KINDS = ["custom", "smartHome"] as const;

/** A skill kind's name. */
export type SkillKindName = (typeof SKILL_KINDS)[number];

/** What the platform does differently for one kind of skill. */
export interface SkillKind {
  readonly name: SkillKindName;
  /** How messages name such a skill, e.g. "custom skill". */
  readonly title: string;
  /** The key of the manifest's `apis` that such a skill declares (`apis.custom`, `apis.smartHome`). */
  readonly manifestApi: "custom" | "smartHome";
  /**
   * True when the skill package has interaction models that resolve utterances, so that `say`, `dialog` and
   * the handler↔model lint rules apply.
   */
  readonly hasInteractionModels: boolean;
  /** True when Alexa talks to the skill in directives (`skillship directive`) rather than requests. */
  readonly answersDirectives: boolean;
  /** True when the skill cannot be enabled without account linking (lint requires `accountLinking.json`). */
  readonly requiresAccountLinking: boolean;
  /**
   * True when Alexa may call the skill at an HTTPS endpoint (so `skillship dev` can serve it); smart-home skills
   * are invoked through Lambda only.
   */
  readonly httpsEndpoint: boolean;
}

/** Every kind, by name. */
export const skillKinds: Readonly<Record<SkillKindName, SkillKind>> = {
  custom: {
    name: "custom",
    title: "custom skill",
    manifestApi: "custom",
    hasInteractionModels: true,
    answersDirectives: false,
    requiresAccountLinking: false,
    httpsEndpoint: true,
  },
  smartHome: {
    name: "smartHome",
    title: "smart-home skill",
    manifestApi: "smartHome",
    hasInteractionModels: false,
    answersDirectives: true,
    requiresAccountLinking: true,
    httpsEndpoint: false,
  },
};

/** The kind of a project. */
export function skillKind(name: SkillKindName): SkillKind {
  return skillKinds[name];
}

/**
 * Stops a command that resolves utterances (`say`, `dialog`) on a kind without interaction models, naming the
 * command and the kind.
 */
export function requireInteractionModels(kind: SkillKind, command: string): void {
  if (!kind.hasInteractionModels) {
    throw new UsageError(
      `skillship ${command} speaks to a skill through its interaction models; a ${kind.title} has none` +
        (kind.answersDirectives ? ": send it directives with skillship directive" : ""),
    );
  }
}

/** Stops a command that serves the skill on Alexa's HTTPS-endpoint protocol (`dev`) on a Lambda-only kind. */
export function requireHttpsEndpoint(kind: SkillKind, command: string): void {
  if (!kind.httpsEndpoint) {
    throw new UsageError(
      `skillship ${command} serves a skill on Alexa's HTTPS-endpoint protocol; Alexa calls a ${kind.title} through ` +
        "Lambda only" +
        (kind.answersDirectives ? ": send it directives on this machine with skillship directive" : ""),
    );
  }
}

/** Stops `skillship directive` on a kind Alexa does not send directives to, saying what to use instead. */
export function requireDirectives(kind: SkillKind, command: string): void {
  if (!kind.answersDirectives) {
    throw new UsageError(
      `skillship ${command} sends smart-home directives; a ${kind.title} answers requests: use skillship say ` +
        'or skillship dialog, or set "kind": "smartHome" in skillship.json if this is a smart-home skill',
    );
  }
}
