/**
 * moto's stand-alone server (`moto_server`, moto 5) on a free loopback port, for the AWS APIs it serves
 * faithfully (DynamoDB; CloudWatch's PutMetricData and GetMetricData; see TOOLCHAIN.md). It is asked for port 0 and the port it bound is read from the line it prints; the
 * server counts as ready once it answers HTTP (polled, never a fixed sleep). `MOTO_SERVER` names another
 * executable; otherwise `moto_server` is looked up on the PATH, then among pyenv's shims (where these machines
 * install it, and a shell started without a profile does not look). A machine without moto gets an error saying
 * how to install it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import * as path from "node:path";

/** A running moto server. */
export interface Moto {
  /** `http://127.0.0.1:<port>`: the endpoint for any AWS SDK client (any access key works). */
  readonly url: string;
  /** Forgets every resource and data point (moto's reset API). */
  reset(): Promise<void>;
  /** Stops the server (the process this module started) and waits for it to exit. */
  stop(): Promise<void>;
}

/** Options of {@link startMoto}. */
export interface MotoOptions {
  /** The executable; default `MOTO_SERVER`, else `moto_server` on the PATH or in pyenv's shims. */
  command?: string;
  /** How long the server may take to come up; default 60 s (it starts in about 2 s on an idle machine). */
  readyTimeoutMs?: number;
}

const RUNNING = /Running on (http:\/\/127\.0\.0\.1:\d+)/;

/** `moto_server` on the PATH, else in pyenv's shims, else the bare name (whose spawn then fails clearly). */
function findMotoServer(): string {
  const directories = [
    ...(process.env.PATH ?? "").split(path.delimiter).filter(Boolean),
    path.join(process.env.PYENV_ROOT ?? path.join(homedir(), ".pyenv"), "shims"),
  ];
  return (
    directories.map((dir) => path.join(dir, "moto_server")).find((file) => existsSync(file)) ?? "moto_server"
  );
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once("exit", () => resolve()));
}

/** Starts moto_server on 127.0.0.1 and resolves once it answers. */
export async function startMoto(options: MotoOptions = {}): Promise<Moto> {
  const command = options.command ?? process.env.MOTO_SERVER ?? findMotoServer();
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  const child = spawn(command, ["-H", "127.0.0.1", "-p", "0"], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const forced = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited(child);
      clearTimeout(forced);
    }
  };
  try {
    const endpoint = await new Promise<string>((resolve, reject) => {
      const guard = setTimeout(
        () => reject(new Error(`${command} printed no "Running on" line in time; it said:\n${output}`)),
        Math.max(0, deadline - Date.now()),
      );
      const read = (chunk: Buffer) => {
        output += chunk.toString("utf8");
        const match = RUNNING.exec(output);
        if (match !== null) {
          clearTimeout(guard);
          resolve(match[1]);
        }
      };
      child.stdout?.on("data", read);
      child.stderr?.on("data", read);
      child.once("error", (error: NodeJS.ErrnoException) => {
        clearTimeout(guard);
        reject(
          error.code === "ENOENT"
            ? new Error(
                `${command} was not found: the tests that use DynamoDB and CloudWatch run moto's server on 127.0.0.1 ` +
                  '(pip install "moto[server]"), or set MOTO_SERVER to its path. CI machines have it.',
              )
            : error,
        );
      });
      child.once("exit", (code, signal) => {
        clearTimeout(guard);
        reject(new Error(`${command} exited (${signal ?? code}) before it was ready; it said:\n${output}`));
      });
    });
    // Printed once the socket is bound; one answered request proves the application behind it is up.
    for (;;) {
      try {
        const response = await fetch(`${endpoint}/moto-api/data.json`, { signal: AbortSignal.timeout(5000) });
        await response.arrayBuffer();
        if (response.status < 500) break;
      } catch (error) {
        if (Date.now() > deadline)
          throw new Error(`${command} at ${endpoint} never answered: ${(error as Error).message}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    child.removeAllListeners("exit");
    return {
      url: endpoint,
      async reset() {
        const response = await fetch(`${endpoint}/moto-api/reset`, { method: "POST" });
        await response.arrayBuffer();
        if (response.status !== 200)
          throw new Error(`moto_server refused its reset (HTTP ${response.status})`);
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
