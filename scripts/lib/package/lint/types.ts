/** The shapes every lint rule shares: a problem found in a skill package, and what the linter is told about code. */
import type { SkillKind } from "../../project/kinds";

/** How bad a problem is: errors stop `skillship lint` (exit 1) and a release; warnings are printed only. */
export type Severity = "error" | "warning";

/** One problem, located precisely enough to fix without searching. */
export interface Problem {
  severity: Severity;
  /** The rule that found it, e.g. "invocation-name" (see docs/skill.md, section lint). */
  rule: string;
  /** The file at fault, under the package root, e.g. "skill-package/interactionModels/custom/de-DE.json". */
  file: string;
  /** JSON path inside the file, e.g. `$.interactionModel.languageModel.intents[0].samples[3]`; `$` for the file. */
  path: string;
  /** What is wrong and what to do. */
  message: string;
}

/** What the linter knows about the skill's code, and which rules are off. */
export interface LintOptions {
  /** The project's kind of skill; default custom. */
  kind?: SkillKind;
  /** `smartHome.asyncEvents` of the project file: the skill sends events to Alexa's event gateway. */
  asyncEvents?: boolean;
  /**
   * Every intent some request handler declares it answers; undefined when the code declares nothing, which
   * skips the `handlers` rule.
   */
  handlerIntents?: readonly string[];
  /** The file handler problems point at (the module that lists the handlers). */
  handlersFile?: string;
  /** Rules switched off (`lint.rules` of the project file): their problems are not reported. */
  rulesOff?: readonly string[];
}

/** A JSON path step: an object key or an array index. */
export type PathStep = string | number;

/** Renders a path as `$.a.b[0]["en-US"]`, the way jq and JSONPath tools read it. */
export function jsonPath(steps: readonly PathStep[]): string {
  let path = "$";
  for (const step of steps) {
    if (typeof step === "number") path += `[${step}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(step)) path += `.${step}`;
    else path += `[${JSON.stringify(step)}]`;
  }
  return path;
}
