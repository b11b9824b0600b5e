/**
 * `skillship lint`: the skill package and the skill's code checked together. Every rule runs and every problem is
 * returned at once, each with its file and JSON path; the release engine runs the same checks before any remote
 * call, so a broken package never reaches the Skill Management API.
 */
import pc from "picocolors";
import type { SkillPackage } from "../skill-package";
import { lintHandlers, lintIntentsAcrossLocales, lintLocales, lintRequiredIntents } from "./consistency";
import { lintIcons } from "./icons";
import { lintInvocationName } from "./invocation";
import { lintManifest, type ManifestFacts } from "./manifest";
import { readModel } from "./model";
import { lintKind } from "./kind";
import { skillKind } from "../../project/kinds";
import type { LintOptions, Problem } from "./types";
import { lintExamplePhrases, lintUtterances } from "./utterances";

export type { LintOptions, Problem, Severity } from "./types";
export { LINT_RULES, type LintRuleId } from "./rules";

/**
 * Checks a package against every rule that needs no file access: manifest fields, the kind's API, regions and
 * account linking, and for a kind with interaction models: locales, intents across locales, handlers,
 * invocation names, utterances, slots, example phrases, required intents. Pure.
 */
export function lintSkillPackage(pkg: SkillPackage, options: LintOptions): Problem[] {
  const problems: Problem[] = [];
  const kind = options.kind ?? skillKind("custom");
  const facts = lintManifest(pkg, problems, kind);
  const kindOptions = {
    kind,
    ...(options.asyncEvents === undefined ? {} : { asyncEvents: options.asyncEvents }),
  };
  lintKind(pkg, facts, kindOptions, problems);
  if (kind.hasInteractionModels) lintModels(pkg, facts, options, problems);
  const off = new Set(options.rulesOff ?? []);
  return problems.filter((problem) => !off.has(problem.rule));
}

/** The rules of interaction models and of their fit with the manifest and the handlers. */
function lintModels(
  pkg: SkillPackage,
  facts: ManifestFacts,
  options: LintOptions,
  problems: Problem[],
): void {
  lintLocales(pkg, facts, problems);
  const models = Object.keys(pkg.models)
    .sort()
    .map((locale) => readModel(pkg, locale, problems));
  for (const model of models) {
    lintInvocationName(model, problems);
    lintUtterances(model, problems);
    lintRequiredIntents(facts, model, problems);
    if (facts.locales.includes(model.locale)) lintExamplePhrases(facts, model, problems);
  }
  lintIntentsAcrossLocales(models, problems);
  if (options.handlerIntents !== undefined) {
    lintHandlers(models, options.handlerIntents, problems, options.handlersFile ?? "(the request handlers)");
  }
}

/** {@link lintSkillPackage} plus the checks that read files the package refers to (its icons). */
export async function lintSkillPackageFiles(pkg: SkillPackage, options: LintOptions): Promise<Problem[]> {
  const icons = options.rulesOff?.includes("icons") ? [] : await lintIcons(pkg);
  return [...lintSkillPackage(pkg, options), ...icons];
}

/** How many errors and warnings. */
export function countProblems(problems: readonly Problem[]): { errors: number; warnings: number } {
  const errors = problems.filter((problem) => problem.severity === "error").length;
  return { errors, warnings: problems.length - errors };
}

/**
 * Problems for people, grouped by file in the order found, one line each: severity, JSON path, message, rule.
 * Ends with a count line.
 */
export function formatProblems(problems: readonly Problem[], options: { color?: boolean } = {}): string {
  const colors = pc.createColors(options.color ?? false);
  const byFile = new Map<string, Problem[]>();
  for (const problem of problems) byFile.set(problem.file, [...(byFile.get(problem.file) ?? []), problem]);
  const lines: string[] = [];
  for (const [file, found] of byFile) {
    lines.push(colors.underline(file));
    for (const problem of found) {
      const severity = problem.severity === "error" ? colors.red("error  ") : colors.yellow("warning");
      lines.push(`  ${severity}  ${problem.path}  ${problem.message}  ${colors.dim(`(${problem.rule})`)}`);
    }
    lines.push("");
  }
  const { errors, warnings } = countProblems(problems);
  lines.push(
    errors + warnings === 0
      ? colors.green("Skill package OK: no problems found.")
      : `${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}`,
  );
  return `${lines.join("\n")}\n`;
}
