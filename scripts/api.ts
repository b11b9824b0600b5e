/**
 * `skillship`: what a skill's own code may import from the package. The shapes of a local factory (`code.local`
 * of skillship.json, docs/project-file.md#local-runs) and of the project file; the CLI is the `skillship` bin, the
 * Pulumi side `skillship/infra`.
 */
export type {
  InvocableSkill,
  LocalSkill,
  LocalSkillContext,
  LocalSkillFact,
  LocalSkillFactory,
} from "./lib/local/skill";
export type { ProjectFile, ProjectFileInput } from "./lib/project/schema";
export { SKILL_KINDS, type SkillKindName } from "./lib/project/kinds";
export { LINT_RULES, type LintRuleId } from "./lib/package/lint/rules";
