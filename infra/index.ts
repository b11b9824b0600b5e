/**
 * The Pulumi program of the `skillship` project (entry point through package.json `main`). Configuration and the
 * skill bundle are validated first, so bad input stops the program before any resource is declared.
 */
import { readSkillBundle } from "./bundle";
import { loadStackConfig } from "./config";
import { defineStack } from "./stack";

const config = loadStackConfig();
const bundle = readSkillBundle(config.bundleDir);
const outputs = defineStack(config, bundle);

/** The skill id the stack serves. */
export const skillId = outputs.skillId;
/** "dev" or "prod". */
export const stack = outputs.stack;
/** "lambda" or "https". */
export const endpointKind = outputs.endpointKind;
/** The skill function's name and unqualified ARN. */
export const functionName = outputs.functionName;
export const functionArn = outputs.functionArn;
/** What the skill's development stage points at outside certification. */
export const developmentEndpoint = outputs.developmentEndpoint;
/** Prod: the endpoint of each release alias (qualified ARN, or route URL for https). */
export const aliasEndpoints = outputs.aliasEndpoints;
/** The private media bucket's name. */
export const mediaBucket = outputs.mediaBucket;
/** The pipeline roles (stacks with the delivery pipeline). */
export const previewRoleArn = outputs.previewRoleArn;
export const betaRoleArn = outputs.betaRoleArn;
export const releaseRoleArn = outputs.releaseRoleArn;
