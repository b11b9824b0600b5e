/**
 * Bounded retries with exponential backoff and full jitter, for reads and idempotent writes only. A wait is never
 * shorter than the `Retry-After` the service answered with (seconds or an HTTP date), and all the waits of one
 * call stay within the policy's budget: a service asking for more ends the retries with its error.
 * Submission and publishing must never go through here: their callers read state again instead.
 *
 * Written here rather than with a backoff library: none lengthens one delay to what the service asked for.
 */
import { sleep as defaultSleep } from "./wait";

/** How a retried call behaves. Tests shrink the delays; the defaults suit the real services. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** Delay before the second attempt, in ms; doubles each time, with full jitter. */
  initialDelayMs: number;
  /** No backoff delay longer than this, in ms (a service's `Retry-After` may ask for longer, within the budget). */
  maxDelayMs: number;
  /** The waits of one call add up to at most this, in ms, `Retry-After` included. Default 30 s. */
  budgetMs?: number;
  /** Waits between attempts; tests record the waits instead of sleeping. */
  sleep?: (ms: number) => Promise<void>;
}

/** The default bound: 6 attempts, 200 ms doubling to at most 5 s, and at most 30 s of waiting in all. */
export const defaultRetryPolicy: RetryPolicy = {
  attempts: 6,
  initialDelayMs: 200,
  maxDelayMs: 5000,
  budgetMs: 30_000,
};

/** Lambda's error names that mean "try again shortly" (a concurrent update still settling, throttling). */
const retryableErrorNames = new Set([
  "ResourceConflictException",
  "TooManyRequestsException",
  "ThrottlingException",
  "ServiceException",
  "EC2ThrottledException",
]);

/**
 * True when an error is transient: HTTP 429 or 5xx (from `statusCode`, `$metadata.httpStatusCode` or
 * `status`), or one of Lambda's retryable error names.
 */
export function isTransient(error: unknown): boolean {
  if (typeof error !== "object" || error === null) {
    return false;
  }
  const e = error as {
    name?: string;
    statusCode?: number;
    status?: number;
    $metadata?: { httpStatusCode?: number };
  };
  if (e.name !== undefined && retryableErrorNames.has(e.name)) {
    return true;
  }
  const status = e.statusCode ?? e.$metadata?.httpStatusCode ?? e.status;
  return status === 429 || (status !== undefined && status >= 500 && status <= 599);
}

/**
 * A `Retry-After` value in ms: delay-seconds, or an HTTP date counted from `since` (the answer's own `Date`
 * when it has one, so that the runner's clock does not matter). Undefined when the value is neither.
 */
export function parseRetryAfter(value: string | undefined, since: number): number | undefined {
  const text = value?.trim() ?? "";
  if (/^\d+(\.\d+)?$/.test(text)) {
    return Math.round(Number(text) * 1000);
  }
  const date = /[a-z]/i.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - since);
}

type HeaderList = { key: string; value: string }[];

/** A header of an error's answer, as the two SDKs keep it (ask-sdk: `headers` list; AWS SDK: `$response`). */
function headerOf(error: object, name: string): string | undefined {
  const e = error as { headers?: unknown; $response?: { headers?: Record<string, string | undefined> } };
  if (Array.isArray(e.headers)) {
    return (e.headers as HeaderList).find((entry) => entry.key.toLowerCase() === name)?.value;
  }
  const headers = e.$response?.headers;
  if (headers === undefined) return undefined;
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

/**
 * How long the service asked to wait before the next attempt, in ms, from a failed call's error: our own
 * `retryAfterMs`, Lambda's `retryAfterSeconds`, or the answer's `Retry-After` header. Undefined when it asked none.
 */
export function retryAfterOf(error: unknown, now: number = Date.now()): number | undefined {
  if (typeof error !== "object" || error === null) {
    return undefined;
  }
  const e = error as { retryAfterMs?: unknown; retryAfterSeconds?: unknown };
  if (typeof e.retryAfterMs === "number") {
    return e.retryAfterMs;
  }
  if (typeof e.retryAfterSeconds === "string" || typeof e.retryAfterSeconds === "number") {
    const modelled = parseRetryAfter(String(e.retryAfterSeconds), now);
    if (modelled !== undefined) return modelled;
  }
  const answered = Date.parse(headerOf(error, "date") ?? "");
  return parseRetryAfter(headerOf(error, "retry-after"), Number.isNaN(answered) ? now : answered);
}

/**
 * Runs `call`, retrying while it fails with an error `shouldRetry` accepts, within the policy's bound: each wait
 * is a jittered backoff or the service's `Retry-After`, whichever is longer, and when the next wait would take
 * the call past its budget it stops. The last error is rethrown as it is, so callers keep its type and status.
 */
export async function withRetries<T>(
  call: () => Promise<T>,
  policy: RetryPolicy = defaultRetryPolicy,
  shouldRetry: (error: unknown) => boolean = isTransient,
): Promise<T> {
  const pause = policy.sleep ?? defaultSleep;
  const budget = policy.budgetMs ?? defaultRetryPolicy.budgetMs ?? Infinity;
  let waited = 0;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= policy.attempts || !shouldRetry(error)) {
        throw error;
      }
      const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1));
      const delay = Math.max(Math.random() * ceiling, retryAfterOf(error) ?? 0);
      if (waited + delay > budget) {
        throw error;
      }
      waited += delay;
      await pause(delay);
    }
  }
}
