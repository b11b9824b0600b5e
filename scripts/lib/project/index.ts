/**
 * The project a command works on: `skillship.json` (or an ASK CLI project's `ask-resources.json`) read once per
 * command, and the skill's code it names loaded when a command needs it.
 */
export { ASK_RESOURCES_FILE, ASK_STATES_FILE } from "./ask-cli";
export {
  requireDirectives,
  requireHttpsEndpoint,
  requireInteractionModels,
  SKILL_KINDS,
  skillKind,
  type SkillKind,
  type SkillKindName,
} from "./kinds";
export {
  DEFAULT_PROFILE,
  describeSetting,
  displayPath,
  findProjectFile,
  PROJECT_FILE,
  readProject,
  type Project,
  type ProjectSource,
  type ReadProjectOptions,
} from "./read";
export { projectFileSchema, projectJsonSchema, type ProjectFile, type ProjectFileInput } from "./schema";
