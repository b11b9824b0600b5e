/**
 * The one poll loop: waiting on asynchronous work (manifest updates, model builds, certification, publication,
 * rollback): one read per poll, shown as progress with elapsed time, and a {@link StillWaitingError} (exit 3)
 * when the timeout runs out, so that running the command again resumes. The reads are the adapters' own, which
 * retry transient failures within their bound; this loop adds no retries of its own.
 */
import { StillWaitingError } from "./errors";
import type { Progress } from "./output";

/** Timing of the waits; tests shrink it. */
export interface WaitOptions {
  /** Between two reads, in ms. Default 5 s. */
  pollIntervalMs?: number;
  /** Give up (exit 3) after this long. Default 15 minutes. */
  timeoutMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Shows a wait; default silent. */
  progress?: (label: string) => Progress;
}

/** What one poll concluded. */
export interface Verdict {
  done: boolean;
  /** Shown after the label, e.g. "IN_PROGRESS". */
  text: string;
}

const silent: Progress = { update() {}, succeed() {}, fail() {} };

/** The default sleep. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Reads until `verdict` says done and returns the last value read. `verdict` may throw to fail the wait (a
 * failed build); `resume` says in the timeout message how to carry on.
 */
export async function waitUntil<T>(
  label: string,
  read: () => Promise<T>,
  verdict: (value: T) => Verdict,
  options: WaitOptions,
  resume: string,
): Promise<T> {
  const now = options.now ?? Date.now;
  const pause = options.sleep ?? sleep;
  const interval = options.pollIntervalMs ?? 5000;
  const timeout = options.timeoutMs ?? 15 * 60 * 1000;
  const shown = options.progress?.(label) ?? silent;
  const deadline = now() + timeout;
  for (;;) {
    let value: T;
    let result: Verdict;
    try {
      value = await read();
      result = verdict(value);
    } catch (error) {
      shown.fail(error instanceof Error ? error.message.split("\n")[0] : "failed");
      throw error;
    }
    if (result.done) {
      shown.succeed(result.text);
      return value;
    }
    shown.update(result.text);
    if (now() + interval > deadline) {
      shown.fail(`still waiting: ${result.text}`);
      throw new StillWaitingError(
        `${label}: still ${result.text} after ${Math.round(timeout / 1000)}s; ${resume}`,
        { resource: label },
      );
    }
    await pause(interval);
  }
}
