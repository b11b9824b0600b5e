/**
 * The ids of the lint rules, as problems name them and as `lint.rules` of the project file switches them off.
 * docs/skill.md (section lint) says what each checks; docs/smart-home.md the kind rules.
 */
export const LINT_RULES = [
  "manifest",
  "locales",
  "model",
  "intents-differ",
  "handlers",
  "invocation-name",
  "duplicate-utterance",
  "slots",
  "samples",
  "required-intents",
  "example-phrases",
  "icons",
  "skill-kind",
  "regions",
  "account-linking",
] as const;

/** A lint rule's id. */
export type LintRuleId = (typeof LINT_RULES)[number];
