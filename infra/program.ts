/**
 * The Skillship stacks as a Pulumi program: configuration and the skill bundle validated first, so bad input
 * stops the program before any resource is declared, then every resource of the stack. This repository's
 * program (`infra/index.ts`) is this one call, and so is a program `skillship init` writes for another project.
 */
import { readSkillBundle } from "./bundle";
import { loadStackConfig } from "./config";
import { defineStack } from "./stack";

/**
 * Declares the stack named by `pulumi stack select` from its `skillship:` configuration and returns its outputs
 * (docs/infrastructure.md, section outputs), leaving out those the stack does not have rather than exporting them
 * as undefined, which Pulumi would warn about on every run.
 */
export function skillshipStack(): Record<string, unknown> {
  const config = loadStackConfig();
  const bundle = readSkillBundle(config.bundleDir);
  const outputs = defineStack(config, bundle);
  return Object.fromEntries(Object.entries(outputs).filter(([, value]) => value !== undefined));
}
