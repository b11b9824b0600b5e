/**
 * Typed errors of the Pulumi program. Both extend `pulumi.RunError`, which the Pulumi language host prints as a
 * plain message without a stack trace: the message names the config key or file at fault and what to do.
 */
import * as pulumi from "@pulumi/pulumi";

/** The stack configuration is missing a key or holds a value the program cannot use. */
export class StackConfigError extends pulumi.RunError {
  /** Every problem found, one line each, so a user fixes them all in one go. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[], options?: { cause?: unknown }) {
    super(`Invalid stack configuration:\n  - ${problems.join("\n  - ")}`);
    this.name = "StackConfigError";
    this.problems = problems;
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

/** The skill bundle (`dist/skill/skill.zip` and its `build.json`) is missing or unreadable. */
export class BundleError extends pulumi.RunError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message);
    this.name = "BundleError";
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}
