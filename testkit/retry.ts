/** A retry bound for tests: a few attempts, and the waits between them recorded instead of slept. */
import type { RetryPolicy } from "../scripts/lib/core/retry";

/**
 * A fast retry policy whose waits (the jittered backoff, and the `Retry-After` the fakes answer with, 1 s on a
 * 429) go to `waits` instead of the clock, so that a test can assert them without waiting.
 */
export function recordingRetry(attempts = 4): { policy: RetryPolicy; waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    policy: {
      attempts,
      initialDelayMs: 1,
      maxDelayMs: 5,
      sleep: async (ms) => {
        waits.push(ms);
      },
    },
  };
}
