/**
 * The Pulumi program of the `skillship` project (entry point through package.json `main`). Configuration and the
 * skill bundle are validated first, so bad input stops the program before any resource is declared.
 *
 * The module's exports are the stack outputs (docs/infrastructure.md, section outputs): `skillId`, `stack`, `endpointKind`,
 * `functionName`, `functionArn`, `developmentEndpoint`, and where they apply `aliasEndpoints`, `mediaBucket`,
 * `previewRoleArn`, `betaRoleArn`, `releaseRoleArn`, `watchRoleArn`. Outputs a stack does not have are left out
 * rather than exported as undefined, which Pulumi would warn about on every run.
 */
import { readSkillBundle } from "./bundle";
import { loadStackConfig } from "./config";
import { defineStack } from "./stack";

const config = loadStackConfig();
const bundle = readSkillBundle(config.bundleDir);
const outputs = defineStack(config, bundle);

export = Object.fromEntries(Object.entries(outputs).filter(([, value]) => value !== undefined));
