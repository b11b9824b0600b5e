/**
 * The Pulumi program of this repository (Pulumi.yaml's `main`). Its exports are the stack outputs
 * (docs/infrastructure.md, section outputs) of the stack selected: dev, prod or the administrator-only stack.
 */
import { skillshipStack } from "./program";

export = skillshipStack();
