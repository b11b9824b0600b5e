/**
 * `skillship` in a child process, as a person runs it (`node bin/skillship.js …`): what it printed so far, a wait
 * for a line, its exit. A child starts cold, so the tests that use it wait for what it prints, never for time.
 */
import { spawn } from "node:child_process";
import * as path from "node:path";

const BIN = path.resolve(__dirname, "..", "..", "..", "bin", "skillship.js");

/** A running CLI. */
export interface CliProcess {
  child: ReturnType<typeof spawn>;
  /** Its exit code, once stdout and stderr are read to their end. */
  closed: Promise<number | null>;
  stdout(): string;
  /** Resolves once stdout holds `pattern`; rejects, with what was printed, if the child ends first. */
  printed(pattern: RegExp): Promise<void>;
}

/** Starts `skillship ARGS` in `cwd`, writing `input` to its stdin. */
export function spawnCli(args: string[], options: { cwd: string; input?: string }): CliProcess {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, stdio: "pipe" });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  // 'close', not 'exit': it comes once stdout and stderr are read to their end, so nothing printed is missed.
  const closed = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  child.stdin.end(options.input);
  return {
    child,
    closed,
    stdout: () => stdout,
    printed(pattern) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (pattern.test(stdout)) {
            child.stdout.off("data", check);
            resolve();
          }
        };
        child.stdout.on("data", check);
        check();
        void closed.then((code) =>
          reject(
            new Error(
              `skillship ${args.join(" ")} exited (${code}) before printing ${pattern}:\n${stdout}${stderr}`,
            ),
          ),
        );
      });
    },
  };
}
