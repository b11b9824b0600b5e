/**
 * Durations as flags take them (`--timeout 15m`, `90s`, `1h30m`, a bare number of seconds).
 * Hand-written: the forms are few, and a dependency for them would cost more than these lines.
 */
import { UsageError } from "./errors";

const unitMs: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Parses a duration into milliseconds. Throws a {@link UsageError} naming `flag` when the text is not one of
 * `500ms`, `90s`, `15m`, `2h`, combinations such as `1h30m`, or a bare number of seconds.
 */
export function parseDuration(text: string, flag = "--timeout"): number {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    return Math.round(Number(trimmed) * 1000);
  }
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (trimmed === "" || parts.map((p) => p[0]).join("") !== trimmed) {
    throw new UsageError(
      `${flag} "${text}" is not a duration: use e.g. 90s, 15m, 1h30m or a number of seconds`,
    );
  }
  const total = parts.reduce((sum, p) => sum + Number(p[1]) * unitMs[p[2]], 0);
  if (total <= 0) {
    throw new UsageError(`${flag} "${text}" must be longer than zero`);
  }
  return Math.round(total);
}
