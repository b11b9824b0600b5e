import { readableStack } from "./stack";

/** The skill's environment is missing a setting or holds an invalid one; names the variable. */
export class SkillConfigError extends Error {
  override readonly name = "SkillConfigError";
  constructor(
    /** The environment variable at fault. */
    readonly variable: string,
    message: string,
  ) {
    super(message);
  }
}

/** The media library could not list clips or build a URL; the message names the bucket or folder. */
export class MediaError extends Error {
  override readonly name = "MediaError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A response broke one of Alexa's rules; it is never sent, the error handler answers instead. */
export class ResponseRuleError extends Error {
  override readonly name = "ResponseRuleError";
  constructor(
    /** Every rule the response broke, each a sentence. */
    readonly violations: readonly string[],
  ) {
    super(`Response breaks Alexa's rules: ${violations.join("; ")}`);
  }
}

/**
 * An error as the log line shows it: name, message, the cause's message, and the stack with the bundle's frames
 * pointing at the sources (read from the source map on the first error, see stack.ts).
 */
export function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const cause = error.cause instanceof Error ? error.cause.message : undefined;
  const stack = readableStack(error);
  return {
    name: error.name,
    message: error.message,
    ...(cause === undefined ? {} : { cause }),
    ...(stack === undefined ? {} : { stack }),
  };
}
