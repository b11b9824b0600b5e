/** The benchmark's report: one row per figure, printed as a table and written as JSON under bench/results/. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Table from "cli-table3";

/** One measured figure and, when it has one, its budget. */
export interface Figure {
  /** Group, e.g. "cold start". */
  group: string;
  name: string;
  /** The median, in `unit`. */
  value: number;
  unit: string;
  /** Human form of the spread, e.g. "IQR 61.2–66.0 ms (n=20)". */
  spread: string;
  /** The budget as people read it, e.g. "≤ 1.5×"; undefined when the figure is only reported. */
  budget?: string;
  /** Whether the budget is met; undefined when there is no budget. */
  met?: boolean;
  /** Anything the reader should know to interpret the figure. */
  note?: string;
}

/** Formats a number for the table: at most three significant decimals. */
export function fmt(value: number, unit: string): string {
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${unit}`.trim();
}

/** Prints the figures as a table on stdout. */
export function printTable(figures: readonly Figure[]): void {
  const table = new Table({
    head: ["figure", "median", "spread", "budget", "verdict"],
    wordWrap: true,
    style: { head: [], border: [] },
  });
  for (const f of figures) {
    const verdict = f.met === undefined ? "report" : f.met ? "met" : "MISSED";
    table.push([`${f.group}: ${f.name}`, fmt(f.value, f.unit), f.spread, f.budget ?? "–", verdict]);
  }
  process.stdout.write(`${table.toString()}\n`);
  for (const f of figures.filter((x) => x.note)) {
    process.stdout.write(`  ${f.group}: ${f.name}: ${f.note}\n`);
  }
}

/** Writes the figures as JSON to bench/results/<timestamp>.json and bench/results/latest.json; returns the path. */
export function writeResults(
  dir: string,
  figures: readonly Figure[],
  environment: Record<string, unknown>,
): string {
  mkdirSync(dir, { recursive: true });
  const document = { measuredAt: new Date().toISOString(), environment, figures };
  const text = `${JSON.stringify(document, null, 2)}\n`;
  const file = join(dir, `${document.measuredAt.replace(/[:.]/g, "-")}.json`);
  writeFileSync(file, text);
  writeFileSync(join(dir, "latest.json"), text);
  return file;
}
