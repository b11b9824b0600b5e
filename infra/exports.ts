/**
 * `skillship/infra`: the Pulumi side of Skillship for another Pulumi program. `skillshipStack()` is the whole
 * program (what `skillship init` writes calls it); the components are there to compose differently, each a
 * ComponentResource in the awsx shape (docs/infrastructure.md, section components).
 */
export { skillshipStack } from "./program";
export { defineStack, type StackOutputs } from "./stack";
export { defineAdminStack } from "./admin";
export { loadAdminConfig, type AdminStackConfig } from "./admin-config";
export {
  loadStackConfig,
  parseStackConfig,
  projectName,
  type RawStackConfig,
  type StackConfig,
} from "./config";
export { readSkillBundle, type SkillBundle } from "./bundle";
export { Alarms, type AlarmsArgs, type AlarmSettings } from "./components/Alarms";
export { DeliveryPipeline, type DeliveryPipelineArgs } from "./components/DeliveryPipeline";
export { HttpsEndpoint, type HttpsEndpointArgs, type HttpsRoute } from "./components/HttpsEndpoint";
export { MediaBucket, type MediaBucketArgs } from "./components/MediaBucket";
export { ReleaseAliases, colours, type ReleaseAliasesArgs } from "./components/ReleaseAliases";
export { RepositorySettings, type RepositorySettingsArgs } from "./components/RepositorySettings";
export { SkillFunction, alexaPrincipals, type SkillFunctionArgs } from "./components/SkillFunction";
export { TokenTable, TOKEN_TABLE_KEY, type TokenTableArgs } from "./components/TokenTable";
export { BundleError, StackConfigError } from "./errors";
