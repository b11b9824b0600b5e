/**
 * The one reporter every `skillship` command writes through: headings, lines, tables and step lists for people,
 * progress with elapsed time while waiting, exactly one JSON document with `--json` (written when the command
 * ends, success or failure, with its exit code), and a markdown job summary on GitHub Actions. Secret values and
 * token shapes (see `redact.ts`) are masked on the way out, whatever a caller passes in.
 */
import { appendFileSync } from "node:fs";
import Table from "cli-table3";
import ora from "ora";
import { createColors } from "picocolors";
import type { CliEnvironment } from "./env";
import { createRedactor } from "./redact";

/** A stream the reporter writes to; `isTTY` decides between a spinner and plain lines. */
export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** A table column: the row key it shows and its header (the key itself when omitted). */
export type Column = string | { key: string; header: string };

/** A cell value; undefined shows as an empty cell. */
export type Cell = string | number | boolean | undefined | null;

/** A long wait shown with its elapsed time: a spinner on a terminal, plain lines otherwise. */
export interface Progress {
  /** Changes the text shown after the label (plain mode prints a line only when the text changes). */
  update(text: string): void;
  /** Ends the wait as a success. */
  succeed(text?: string): void;
  /** Ends the wait as a failure. */
  fail(text?: string): void;
}

/** The reporter. In `--json` mode people-facing output is dropped and progress goes to stderr. */
export interface Output {
  /** True when `--json` was asked for. */
  readonly json: boolean;
  heading(text: string): void;
  line(text?: string): void;
  /** A warning for people: stderr in every mode, so it is never lost and never pollutes the JSON. */
  warn(text: string): void;
  table(rows: Record<string, Cell>[], columns: Column[]): void;
  /** A numbered step list (a plan). */
  steps(list: string[]): void;
  progress(label: string): Progress;
  /** The command's result: with `--json`, the document {@link end} prints; ignored otherwise. Once per command. */
  result(document: object): void;
  /**
   * What the command has done so far (its plan, the steps applied): merged into the `--json` document, so that a
   * command failing part-way still says how far it got. Later fields replace earlier ones.
   */
  record(fields: Record<string, unknown>): void;
  /**
   * Ends the command: with `--json`, prints its one document on stdout, the recorded fields and the result with
   * `exitCode` and, on failure, `error` ({@link describeError}). Called once, by the CLI's one exit path.
   */
  end(exit: { exitCode: number; error?: unknown }): void;
  /** Appends markdown to the GitHub Actions job summary when running there; no-op elsewhere. */
  summary(markdown: string): void;
  /** Masks a further secret value (one that is not a known environment variable) from now on. */
  addSecret(value: string): void;
}

/** Options of {@link createOutput}; everything but `json` and `env` exists for tests. */
export interface OutputOptions {
  json: boolean;
  /** The environment: plain output in CI, the job summary file, the secret values to mask. */
  env: CliEnvironment;
  /** Where people-facing output and the JSON document go. Default: stdout. */
  stream?: OutputStream;
  /** Where warnings (and progress in `--json` mode) go. Default: stderr. */
  errorStream?: OutputStream;
  /** Milliseconds clock for elapsed times. */
  now?: () => number;
}

/** Formats elapsed milliseconds the way progress lines show them: `12s`, `3m 05s`. */
export function formatElapsed(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) {
    return `${seconds}s`;
  }
  const minutes = Math.floor(seconds / 60);
  return `${minutes}m ${String(seconds % 60).padStart(2, "0")}s`;
}

/** How a failure reads in a `--json` document: its type, its message, and the resource at fault when it names one. */
export interface ErrorDocument {
  type: string;
  message: string;
  resource?: string;
}

/** The `error` of a `--json` document for a thrown value. */
export function describeError(error: unknown): ErrorDocument {
  if (!(error instanceof Error)) {
    return { type: "Error", message: String(error) };
  }
  const resource = (error as { resource?: unknown }).resource;
  return {
    type: error.name,
    message: error.message,
    ...(typeof resource === "string" && resource !== "" ? { resource } : {}),
  };
}

/** Creates the reporter for one command run. */
export function createOutput(options: OutputOptions): Output {
  const env = options.env;
  const stdout: OutputStream = options.stream ?? process.stdout;
  const stderr: OutputStream = options.errorStream ?? process.stderr;
  const now = options.now ?? Date.now;
  const json = options.json;
  const interactive = stdout.isTTY === true && !json && !env.plainOutput;
  const colors = createColors(interactive);
  const redactor = createRedactor(env.secretValues);
  let outcome: object | undefined;
  let recorded: Record<string, unknown> = {};
  let ended = false;

  const mask = (text: string): string => redactor.mask(text);
  const human = (text: string): void => {
    if (!json) {
      stdout.write(mask(text));
    }
  };
  const progressStream = json ? stderr : stdout;

  return {
    json,
    heading(text) {
      human(`\n${colors.bold(text)}\n`);
    },
    line(text = "") {
      human(`${text}\n`);
    },
    warn(text) {
      stderr.write(mask(`${colors.yellow("warning:")} ${text}\n`));
    },
    table(rows, columns) {
      const keys = columns.map((c) => (typeof c === "string" ? c : c.key));
      const headers = columns.map((c) => (typeof c === "string" ? c : c.header));
      const table = new Table({
        head: headers,
        // Colours only on a terminal: escape codes in CI logs and files are noise.
        style: interactive ? { compact: true } : { compact: true, head: [], border: [] },
      });
      for (const row of rows) {
        table.push(keys.map((key) => cellText(row[key])));
      }
      human(`${table.toString()}\n`);
    },
    steps(list) {
      const width = String(list.length).length;
      human(list.map((step, i) => `${String(i + 1).padStart(width)}. ${step}\n`).join(""));
    },
    progress(label) {
      return interactive
        ? spinnerProgress(label, stdout, now, mask)
        : plainProgress(label, progressStream, now, mask);
    },
    result(document) {
      if (outcome !== undefined) {
        throw new Error("Output.result() called twice: --json prints exactly one document");
      }
      outcome = document;
    },
    record(fields) {
      recorded = { ...recorded, ...fields };
    },
    end({ exitCode, error }) {
      if (!json || ended) {
        return;
      }
      ended = true;
      const document = {
        ...recorded,
        ...outcome,
        exitCode,
        ...(error === undefined ? {} : { error: describeError(error) }),
      };
      stdout.write(`${mask(JSON.stringify(document, null, 2))}\n`);
    },
    summary(markdown) {
      const file = env.github.stepSummaryFile;
      if (file !== undefined) {
        appendFileSync(file, `${mask(markdown.trimEnd())}\n\n`);
      }
    },
    addSecret(value) {
      redactor.add(value);
    },
  };
}

function cellText(value: Cell): string {
  return value === undefined || value === null ? "" : String(value);
}

function plainProgress(
  label: string,
  stream: OutputStream,
  now: () => number,
  mask: (text: string) => string,
): Progress {
  const started = now();
  let lastText: string | undefined;
  const elapsed = (): string => formatElapsed(now() - started);
  const write = (mark: string, text: string | undefined): void => {
    const detail = text === undefined || text === "" ? "" : `: ${text}`;
    stream.write(mask(`${mark}${label}${detail} (${elapsed()})\n`));
  };
  stream.write(mask(`${label}…\n`));
  return {
    update(text) {
      // CI logs keep every line: print only what changed, not every poll.
      if (text !== lastText) {
        lastText = text;
        write("… ", text);
      }
    },
    succeed(text) {
      write("✔ ", text);
    },
    fail(text) {
      write("✖ ", text);
    },
  };
}

function spinnerProgress(
  label: string,
  stream: OutputStream,
  now: () => number,
  mask: (text: string) => string,
): Progress {
  const started = now();
  let detail = "";
  const render = (): string =>
    mask(`${label}${detail === "" ? "" : `: ${detail}`} (${formatElapsed(now() - started)})`);
  const spinner = ora({ text: render(), stream: stream as NodeJS.WritableStream, isEnabled: true }).start();
  // The elapsed time must tick even when nothing else changes.
  const ticker = setInterval(() => {
    spinner.text = render();
  }, 1000);
  ticker.unref();
  const end = (ok: boolean, text: string | undefined): void => {
    clearInterval(ticker);
    if (text !== undefined) {
      detail = text;
    }
    if (ok) {
      spinner.succeed(render());
    } else {
      spinner.fail(render());
    }
  };
  return {
    update(text) {
      detail = text;
      spinner.text = render();
    },
    succeed(text) {
      end(true, text);
    },
    fail(text) {
      end(false, text);
    },
  };
}
