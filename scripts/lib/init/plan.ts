/**
 * What `skillship init` writes, computed from the folder's layout without touching it: the project file, the
 * Pulumi project (Pulumi.yaml, its program, the dev, prod and admin stacks with every account-specific value marked
 * REPLACE), the caller workflows of Skillship's reusable ones, and with `--sample` a minimal custom skill. Pure, so the plan is tested as is.
 */
import type { Layout } from "./layout";
import { fill, templateFiles } from "./templates";
import { callerWorkflowFiles, type WorkflowsSource } from "./workflows";

/** A file to write. */
export interface PlannedFile {
  /** Relative to the folder, `/` separators. */
  path: string;
  text: string;
}

/** Options of {@link planInit}. */
export interface InitOptions {
  /** Lay out the sample skill too (an empty folder). */
  sample: boolean;
  /** The skill id, when the command was told it (`--skill-id`). */
  skillId?: string;
  /** The version of skillship the project's package.json asks for. */
  version: string;
  /** Where Skillship's reusable workflows are (`--workflows`); unknown: the callers mark it REPLACE. */
  workflows?: WorkflowsSource;
}

/** A placeholder skill id, in the format the stacks validate. */
const PLACEHOLDER_SKILL_ID = "amzn1.ask.skill.00000000-0000-0000-0000-000000000000";

/** The project file for the layout: only what differs from the defaults, and always the code entry. */
function projectFile(layout: Layout, sample: boolean): PlannedFile {
  if (sample) return templateFiles("sample").find((file) => file.path === "skillship.json")!;
  const settings: Record<string, unknown> = {
    $schema: "./node_modules/skillship/skillship.schema.json",
    kind: "custom",
    skillPackage: layout.skillPackage.path,
    code: { entry: layout.entry.path },
  };
  return { path: "skillship.json", text: `${JSON.stringify(settings, null, 2)}\n` };
}

/** The Pulumi project and its stacks. */
function pulumiFiles(layout: Layout, options: InitOptions): PlannedFile[] {
  const skillId = options.skillId ?? layout.skillId;
  const values = {
    name: layout.name,
    region: "us-east-1",
    kind: "custom",
    skillId: skillId ?? PLACEHOLDER_SKILL_ID,
    skillIdComment:
      skillId === undefined
        ? "# REPLACE: the skill id from the Alexa developer console (amzn1.ask.skill.<uuid>)."
        : "# The skill id (both stacks may share it: the live stage runs on prod, the beta on dev).",
    repository: layout.repository ?? "your-org/your-repository",
    repositoryComment:
      layout.repository === undefined
        ? "# REPLACE: the GitHub repository whose workflows may assume the pipeline roles (owner/name)."
        : "# The GitHub repository whose workflows may assume the pipeline roles (from git remote origin).",
  };
  return templateFiles("init").map((file) => ({ path: file.path, text: fill(file.text, values) }));
}

/** The sample skill (`--sample`): its files, a package.json and a .gitignore. */
function sampleFiles(layout: Layout, version: string): PlannedFile[] {
  const packageJson = {
    name: layout.name,
    version: "0.1.0",
    private: true,
    scripts: {
      start: "skillship dev",
      build: "skillship build",
      test: "skillship lint && skillship dialog --replay test/dialogs/en-US.yaml",
    },
    dependencies: { "ask-sdk-core": "^2.14.0" },
    devDependencies: { skillship: `^${version}` },
  };
  return [
    ...templateFiles("sample").filter((file) => file.path !== "skillship.json"),
    { path: "package.json", text: `${JSON.stringify(packageJson, null, 2)}\n` },
    { path: ".gitignore", text: "node_modules/\ndist/\n" },
  ];
}

/** Every file `skillship init` writes for the layout. */
export function planInit(layout: Layout, options: InitOptions): PlannedFile[] {
  return [
    projectFile(layout, options.sample),
    ...(options.sample ? sampleFiles(layout, options.version) : []),
    ...pulumiFiles(layout, options),
    ...callerWorkflowFiles(layout, {
      version: options.version,
      sample: options.sample,
      ...(options.workflows === undefined ? {} : { workflows: options.workflows }),
    }),
  ];
}
