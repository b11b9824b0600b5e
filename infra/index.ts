/**
 * The Pulumi program of this repository (Pulumi.yaml's `main`). Its exports are the stack outputs
 * (docs/infrastructure.md, section outputs): `skillId`, `stack`, `endpointKind`, `functionName`, `functionArn`,
 * `developmentEndpoint`, and where they apply `aliasEndpoints`, `mediaBucket`, `previewRoleArn`, `betaRoleArn`,
 * `releaseRoleArn`, `watchRoleArn`.
 */
import { skillshipStack } from "./program";

export = skillshipStack();
