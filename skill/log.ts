import { writeSync } from "node:fs";

/** Receives one structured entry per request. */
export type SkillLog = (entry: Record<string, unknown>) => void;

/**
 * One JSON line on stdout per entry, written straight to file descriptor 1 the way Powertools for AWS Lambda's
 * logger bypasses the runtime's console: Lambda keeps a JSON line as it is (no second encoding in its JSON log
 * format), CloudWatch Logs Insights reads its fields. `process.stdout` is left alone: creating it loads Node's
 * streams, about 7 ms of a fresh process's first request. When the descriptor refuses a synchronous write (a
 * non-blocking pipe that is full), the rest of the line goes through `console.log`, which queues it.
 */
export const logJsonLine: SkillLog = jsonLineLog();

/** {@link logJsonLine}'s maker, with its writer and fallback replaceable (tests). */
export function jsonLineLog(
  write: (fd: number, buffer: Uint8Array, offset: number) => number = writeSync,
  fallback: (line: string) => void = (line) => console.log(line),
): SkillLog {
  return (entry) => {
    const line = Buffer.from(`${JSON.stringify(entry)}\n`);
    let written = 0;
    try {
      while (written < line.length) written += write(1, line, written);
    } catch {
      fallback(line.subarray(written).toString("utf8").trimEnd());
    }
  };
}
