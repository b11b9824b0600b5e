/**
 * Readable stack traces without paying for source maps at start-up. The bundle ships its source map beside it
 * (`index.js.map`) but does not link it: with a linked map, `--enable-source-maps` reads and parses it in every cold
 * start, which the benchmark measured at about a quarter of the skill's start-up. Here a stack is mapped only when
 * an error is reported, through Node's own source map reader (`node:module`'s SourceMap, no dependency), with each
 * file's map read once. Frames of files without a map beside them (the sources themselves, in tests and the local
 * endpoint; Node's internals) stay as they are.
 */
import { readFileSync } from "node:fs";

interface MapEntry {
  originalSource?: string;
  originalLine?: number;
  originalColumn?: number;
  name?: string;
}

interface SourceMapReader {
  findEntry(line: number, column: number): MapEntry;
}

type SourceMapClass = new (payload: unknown) => SourceMapReader;

// A map per generated file, or null when it has none; read on the first error that needs it.
const maps = new Map<string, SourceMapReader | null>();

function sourceMapOf(file: string): SourceMapReader | null {
  let map = maps.get(file);
  if (map === undefined) {
    try {
      /* eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on the error path only */
      const { SourceMap } = require("node:module") as { SourceMap?: SourceMapClass };
      map = SourceMap === undefined ? null : new SourceMap(JSON.parse(readFileSync(`${file}.map`, "utf8")));
    } catch {
      map = null;
    }
    maps.set(file, map);
  }
  return map;
}

// `    at name (/var/task/index.js:1:2345)` or `    at /var/task/index.js:1:2345`
const FRAME = /^(\s*at )(?:(.*?) \()?(\/[^()]+\.js):(\d+):(\d+)\)?$/;

/** Where a frame points in the sources, when its file has a map and the map knows the position. */
function originalOf(line: string): (MapEntry & { name?: string }) | undefined {
  const match = FRAME.exec(line);
  if (match === null) return undefined;
  const entry = sourceMapOf(match[3])?.findEntry(Number(match[4]) - 1, Number(match[5]) - 1);
  return entry?.originalSource === undefined ? undefined : entry;
}

/**
 * The error's stack with the frames of mapped files pointing at the sources (`skill/media/s3.ts:120:7`). A frame's
 * function is named by the identifier its caller called, as Node's own source-map support does; the minified
 * name otherwise. Undefined for a value that is not an Error with a stack.
 */
export function readableStack(error: unknown): string | undefined {
  if (!(error instanceof Error) || typeof error.stack !== "string") return undefined;
  const lines = error.stack.split("\n");
  const originals = lines.map(originalOf);
  return lines
    .map((line, index) => {
      const original = originals[index];
      const match = FRAME.exec(line);
      if (original === undefined || match === null) return line;
      const name = originals[index + 1]?.name ?? match[2];
      const where = `${original.originalSource}:${(original.originalLine ?? 0) + 1}:${(original.originalColumn ?? 0) + 1}`;
      return name === undefined ? `${match[1]}${where}` : `${match[1]}${name} (${where})`;
    })
    .join("\n");
}

/** The error, its `stack` made readable (for an error handed on to Lambda, which logs its stack). */
export function withReadableStack<T>(error: T): T {
  const stack = readableStack(error);
  if (stack !== undefined) (error as Error).stack = stack;
  return error;
}
