/**
 * Typed errors of the `skillship` CLI. Each carries the exit code the one exit point (`scripts/main.ts`) uses,
 * and a message that names the field, file or resource at fault and what to do about it.
 */

/** Exit codes of every `skillship` command. */
export const ExitCode = {
  /** Done. */
  ok: 0,
  /** The operation failed. */
  failed: 1,
  /** Bad usage or configuration. */
  usage: 2,
  /** Still waiting: a `--timeout` ran out before the awaited state was reached. */
  stillWaiting: 3,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** What every typed error may carry besides its message. */
export interface ErrorOptions {
  cause?: unknown;
  /** The resource at fault, for machines (`--json`): a variable, a file, an alias, a stage. */
  resource?: string;
}

/** Base class: an error the CLI reports as a clear message (no stack trace) with a definite exit code. */
export class SkillshipError extends Error {
  readonly exitCode: ExitCodeValue;
  /** The resource at fault, when the error names one. */
  readonly resource?: string;

  constructor(message: string, exitCode: ExitCodeValue, options?: ErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.exitCode = exitCode;
    if (options?.resource !== undefined) this.resource = options.resource;
  }
}

/** Bad flags or arguments. Exit 2. */
export class UsageError extends SkillshipError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, ExitCode.usage, options);
  }
}

/** Missing or invalid configuration: an environment variable, a file, a stack output. Exit 2. */
export class ConfigError extends SkillshipError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, ExitCode.usage, options);
  }
}

/** The operation was attempted and failed (a build error, a refused change, a failed check). Exit 1. */
export class OperationError extends SkillshipError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, ExitCode.failed, options);
  }
}

/** A wait ran out of time before the awaited state was reached; running the command again resumes it. Exit 3. */
export class StillWaitingError extends SkillshipError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, ExitCode.stillWaiting, options);
  }
}
