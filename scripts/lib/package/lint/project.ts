/**
 * Lint as the project configures it: the handler declarations of `code.handlers` (or the `handlers` rule skipped,
 * with the reason) and the rules `lint.rules` switches off (each with its reason). `skillship lint` and the lint
 * gate in front of every upload run exactly this.
 */
import type { Project } from "../../project/read";
import type { SkillPackage } from "../skill-package";
import { declaredHandlers } from "./handlers";
import { lintSkillPackageFiles, type Problem } from ".";

/** A rule that did not run, and why. */
export interface RuleNote {
  rule: string;
  reason: string;
}

/** What a lint of a project found, and which rules did not run. */
export interface LintReport {
  problems: Problem[];
  /** Rules the project file switched off. */
  off: RuleNote[];
  /** Rules skipped because the project gives them nothing to check. */
  skipped: RuleNote[];
}

/** Lints `pkg` with the project's handler declarations and rule switches. */
export async function lintProject(pkg: SkillPackage, project: Project): Promise<LintReport> {
  const off = Object.entries(project.settings.lint.rules).map(([rule, setting]) => ({
    rule,
    reason: setting?.reason ?? "",
  }));
  const offRules = off.map((note) => note.rule);
  const skipped: RuleNote[] = [];
  let handlerIntents: string[] | undefined;
  let handlersFile: string | undefined;
  if (!project.kind.hasInteractionModels) {
    skipped.push({ rule: "handlers", reason: `a ${project.kind.title} has no intents to handle` });
  } else if (!offRules.includes("handlers")) {
    const handlers = declaredHandlers(project);
    if (handlers.declared) {
      handlerIntents = handlers.intents;
      handlersFile = handlers.file;
    } else {
      skipped.push({ rule: "handlers", reason: handlers.reason });
    }
  }
  const problems = await lintSkillPackageFiles(pkg, {
    kind: project.kind,
    ...(project.settings.smartHome === undefined
      ? {}
      : { asyncEvents: project.settings.smartHome.asyncEvents }),
    handlerIntents,
    handlersFile,
    rulesOff: offRules,
  });
  return { problems, off, skipped };
}

/** The notes of a report for people: one info line per skipped rule, one per rule switched off. */
export function formatRuleNotes(report: Pick<LintReport, "off" | "skipped">): string {
  return [
    ...report.skipped.map((note) => `info: rule ${note.rule} skipped: ${note.reason}`),
    ...report.off.map((note) => `info: rule ${note.rule} is off in the project file: ${note.reason}`),
  ]
    .map((line) => `${line}\n`)
    .join("");
}
