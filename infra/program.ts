/**
 * The Skillship stacks as a Pulumi program, for its three kinds of stack: the app stacks dev and prod
 * (`stack.ts`) and the administrator-only stack (`admin.ts`). Configuration and, for an app stack, the skill
 * bundle are validated first, so bad input stops the program before any resource is declared. This repository's
 * program (`infra/index.ts`) is this one call, and so is a program `skillship init` writes for another project.
 */
import { loadAdminConfig } from "./admin-config";
import { defineAdminStack } from "./admin";
import { readSkillBundle } from "./bundle";
import { loadStackConfig, readRawConfig, stackKindOf } from "./config";
import { defineStack } from "./stack";

/**
 * Declares the stack named by `pulumi stack select` from its `skillship:` configuration and returns its outputs
 * (docs/infrastructure.md, section outputs), leaving out those the stack does not have rather than exporting them
 * as undefined, which Pulumi would warn about on every run.
 */
export function skillshipStack(): Record<string, unknown> {
  const raw = readRawConfig();
  let outputs: Record<string, unknown>;
  if (stackKindOf(raw.values, raw.stackName) === "admin") {
    outputs = { ...defineAdminStack(loadAdminConfig(raw)) };
  } else {
    const config = loadStackConfig(raw);
    outputs = { ...defineStack(config, readSkillBundle(config.bundleDir)) };
  }
  return Object.fromEntries(Object.entries(outputs).filter(([, value]) => value !== undefined));
}
