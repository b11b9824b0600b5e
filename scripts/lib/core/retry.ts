/**
 * Bounded retries with exponential backoff and full jitter, for reads and idempotent writes only.
 * Submission and publishing must never go through here: their callers read state again instead.
 */
import { backOff } from "exponential-backoff";

/** How a retried call behaves. Tests shrink the delays; the defaults suit the real services. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** Delay before the second attempt, in ms; doubles each time, with full jitter. */
  initialDelayMs: number;
  /** No single wait longer than this, in ms. */
  maxDelayMs: number;
}

/** The default bound: 6 attempts, 200 ms doubling to at most 5 s (about 10 s in the worst case). */
export const defaultRetryPolicy: RetryPolicy = { attempts: 6, initialDelayMs: 200, maxDelayMs: 5000 };

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
 * Runs `call`, retrying while it fails with a transient error, within the policy's bound. The last error is
 * rethrown as it is, so callers keep its type and status.
 */
export function withRetries<T>(
  call: () => Promise<T>,
  policy: RetryPolicy = defaultRetryPolicy,
  shouldRetry: (error: unknown) => boolean = isTransient,
): Promise<T> {
  return backOff(call, {
    numOfAttempts: policy.attempts,
    startingDelay: policy.initialDelayMs,
    maxDelay: policy.maxDelayMs,
    timeMultiple: 2,
    jitter: "full",
    retry: (error: unknown) => shouldRetry(error),
  });
}
