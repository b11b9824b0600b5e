/**
 * The project file, `skillship.json`: what the platform learns about a skill from a file its team owns. The zod
 * schema here validates it, and `skillship.schema.json` (the JSON schema editors use through `"$schema"`) is
 * generated from it and checked against it by a test; the interfaces below are its published shape, held equal
 * to the schema by the type check. Every key has a default matching this repository's layout, so its own file
 * names only what differs.
 */
import { z } from "zod";
import { LINT_RULES, type LintRuleId } from "../package/lint/rules";
import { SKILL_KINDS, type SkillKindName } from "./kinds";

/** `skillship.json` with its defaults filled in. */
export interface ProjectFile {
  $schema?: string;
  kind: SkillKindName;
  skillPackage: string;
  code: { entry: string; local?: string; handlers?: string; watch?: string[] };
  local: { settings: Record<string, unknown> };
  lint: { rules: Partial<Record<LintRuleId, { off: true; reason: string }>> };
  build: { forbiddenPackages: string[] };
  smartHome?: { asyncEvents: boolean };
}

/** What a team writes in `skillship.json`: every key optional. */
export interface ProjectFileInput {
  $schema?: string;
  kind?: SkillKindName;
  skillPackage?: string;
  code?: { entry?: string; local?: string; handlers?: string; watch?: string[] };
  local?: { settings?: Record<string, unknown> };
  lint?: { rules?: Partial<Record<LintRuleId, { off: true; reason: string }>> };
  build?: { forbiddenPackages?: string[] };
  smartHome?: { asyncEvents?: boolean };
}

const path = (what: string) =>
  z
    .string({ error: `expected ${what}, relative to the project file's folder` })
    .trim()
    .min(1, { error: `expected ${what}, relative to the project file's folder` });

/** A lint rule switched off, with the reason a reader of the lint report sees. */
const ruleSwitch = z
  .object({
    off: z.literal(true, { error: 'expected true: a rule listed here is switched off ("off": true)' }),
    reason: z
      .string({ error: "expected a reason: say why the rule does not apply to this skill" })
      .trim()
      .min(1, { error: "expected a reason: say why the rule does not apply to this skill" }),
  })
  .strict()
  .describe("A rule switched off, and why (the lint report shows the reason).");

const codeSchema = z
  .object({
    entry: path("the module Lambda runs (it exports `handler`)")
      .default("skill/lambda.ts")
      .describe(
        "The module `skillship build` bundles for Lambda: it exports `handler` (and `httpsHandler` for an HTTPS " +
          "endpoint). Local runs use it too, unless `local` is set: its `handler`, or an exported ask-sdk " +
          "`Skill` (`skill` or the default export).",
      ),
    local: path("a module exporting createLocalSkill(context)")
      .optional()
      .describe(
        "A module exporting `createLocalSkill(context)`, which builds the skill for local runs (`dev`, `say`, " +
          "`dialog`) from local settings, and returns an object with `invoke(envelope)`.",
      ),
    handlers: path("a module exporting requestHandlers")
      .optional()
      .describe(
        "A module exporting `requestHandlers`: the skill's request handlers, each declaring the intents it " +
          "answers (`intents: [...]`), for the handler↔model lint rule. Without it that rule is skipped.",
      ),
    watch: z
      .array(path("a folder"), { error: "expected a list of folders" })
      .optional()
      .describe(
        "Folders `skillship dev` watches to reload the skill; default: the top folders of entry, local and " +
          "handlers.",
      ),
  })
  .strict();

const localSchema = z
  .object({
    settings: z
      .record(z.string(), z.unknown(), { error: "expected an object of settings" })
      .default({})
      .describe("Settings handed to `createLocalSkill(context)` as `context.settings`, as they are written."),
  })
  .strict();

const lintSchema = z
  .object({
    rules: z
      .partialRecord(
        z.enum(LINT_RULES, { error: `expected a rule id: ${LINT_RULES.join(", ")}` }),
        ruleSwitch,
      )
      .default({})
      .describe('Rules switched off by id: { "icons": { "off": true, "reason": "…" } }.'),
  })
  .strict();

const buildSchema = z
  .object({
    forbiddenPackages: z
      .array(z.string().trim().min(1, { error: "expected a package name" }), {
        error: "expected a list of package names",
      })
      .default([])
      .describe(
        "Packages the Lambda bundle must not contain (e.g. ones too slow to load at a cold start): " +
          "`skillship build` fails naming the module that imports one.",
      ),
  })
  .strict();

const smartHomeSchema = z
  .object({
    asyncEvents: z
      .boolean({ error: "expected true or false" })
      .default(false)
      .describe(
        "True when the skill sends events to Alexa's event gateway (ChangeReport, deferred responses, " +
          "AddOrUpdateReport): lint then requires the manifest permission alexa::async_event:write, without " +
          "which Alexa sends no AcceptGrant and refuses the events.",
      ),
  })
  .strict();

const schema = z
  .object({
    $schema: z.string().optional().describe("The JSON schema of this file, for editors."),
    kind: z
      .enum(SKILL_KINDS, { error: `expected one of ${SKILL_KINDS.map((k) => `"${k}"`).join(", ")}` })
      .default("custom")
      .describe("The kind of skill."),
    skillPackage: path("the skill package folder")
      .default("skill-package")
      .describe(
        "The skill package folder in the ASK CLI layout (skill.json, interactionModels/custom/<locale>.json).",
      ),
    code: codeSchema.default({ entry: "skill/lambda.ts" }).describe("Where the skill's code is."),
    local: localSchema.default({ settings: {} }).describe("Settings of local runs."),
    lint: lintSchema.default({ rules: {} }).describe("How `skillship lint` is configured."),
    build: buildSchema.default({ forbiddenPackages: [] }).describe("How `skillship build` is configured."),
    smartHome: smartHomeSchema
      .optional()
      .describe('What lint needs to know of a smart-home skill ("kind": "smartHome" only).'),
  })
  .strict()
  .superRefine((file, context) => {
    if (file.smartHome !== undefined && file.kind !== "smartHome") {
      context.addIssue({
        code: "custom",
        path: ["smartHome"],
        message: `applies to smart-home skills only: set "kind": "smartHome" or remove the key`,
      });
    }
  })
  .describe("The Skillship project file: what the platform learns about a skill (docs/project-file.md).");

// The interfaces above and the schema describe the same file: a change to one alone fails the type check.
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const agree: [Same<z.output<typeof schema>, ProjectFile>, Same<z.input<typeof schema>, ProjectFileInput>] = [
  true,
  true,
];
void agree;

/** Validates `skillship.json`, filling in the defaults. */
export const projectFileSchema: z.ZodType<ProjectFile, ProjectFileInput> = schema;

/** The keys each object of the file may have, by its path ("" for the top), for messages about unknown keys. */
export const PROJECT_FILE_KEYS: Readonly<Record<string, readonly string[]>> = {
  "": Object.keys(schema.shape),
  code: Object.keys(schema.shape.code.unwrap().shape),
  local: Object.keys(schema.shape.local.unwrap().shape),
  lint: Object.keys(schema.shape.lint.unwrap().shape),
  build: Object.keys(schema.shape.build.unwrap().shape),
  smartHome: Object.keys(smartHomeSchema.shape),
};

/** The JSON schema of `skillship.json`, generated from {@link projectFileSchema}. */
export function projectJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(schema, { io: "input", target: "draft-7" }),
    title: "skillship.json",
  };
}
