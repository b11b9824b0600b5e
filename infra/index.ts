/**
 * The Pulumi program of the `skillship` project (entry point through package.json `main`), for its three stacks:
 * the app stacks dev and prod (`stack.ts`) and the administrator-only stack (`admin.ts`). Configuration and, for
 * an app stack, the skill bundle are validated first, so bad input stops the program before any resource is
 * declared.
 *
 * The module's exports are the stack outputs (docs/infrastructure.md, section outputs). Outputs a stack does not
 * have are left out rather than exported as undefined, which Pulumi would warn about on every run.
 */
import { loadAdminConfig } from "./admin-config";
import { defineAdminStack } from "./admin";
import { readSkillBundle } from "./bundle";
import { loadStackConfig, readRawConfig, stackKindOf } from "./config";
import { defineStack } from "./stack";

function defineProgram(): Record<string, unknown> {
  const raw = readRawConfig();
  if (stackKindOf(raw.values, raw.stackName) === "admin") {
    return { ...defineAdminStack(loadAdminConfig(raw)) };
  }
  const config = loadStackConfig(raw);
  const bundle = readSkillBundle(config.bundleDir);
  return { ...defineStack(config, bundle) };
}

export = Object.fromEntries(Object.entries(defineProgram()).filter(([, value]) => value !== undefined));
