/**
 * moto_server on 127.0.0.1, for the AWS APIs it serves faithfully (CloudWatch's PutMetricData and GetMetricData
 * among them, see TOOLCHAIN.md): started on a free port, awaited by polling its API until it answers (it prints
 * nothing to wait for reliably), stopped by its process id. A missing moto_server fails with what to install.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { request } from "node:http";
import { createServer, type AddressInfo } from "node:net";

/** A running moto_server. */
export interface Moto {
  /** `http://127.0.0.1:<port>`, for a client's `endpoint` or `AWS_ENDPOINT_URL_<SERVICE>`. */
  readonly url: string;
  /** Forgets every resource and data point (moto's reset API). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** How long moto may take to answer after its start (about 2 s on an idle machine; far more on a busy one). */
const READY_WITHIN_MS = 60_000;
/** Pause between two readiness probes. */
const PROBE_EVERY_MS = 100;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function call(url: string, method: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const sent = request(url, { method }, (response) => {
      response.resume();
      response.on("end", () => resolve(response.statusCode ?? 0));
    });
    sent.on("error", reject);
    sent.end();
  });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once("exit", () => resolve()));
}

/** Starts moto_server on a free loopback port and resolves once it answers. */
export async function startMoto(): Promise<Moto> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn("moto_server", ["-H", "127.0.0.1", "-p", String(port)], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const failed = new Promise<never>((_, reject) => {
    child.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "ENOENT"
          ? new Error(
              "moto_server is not on PATH: the CloudWatch tests run it on 127.0.0.1. Install it with " +
                "`pip install 'moto[server]'` (see TOOLCHAIN.md).",
            )
          : error,
      ),
    );
    child.once("exit", (code, signal) =>
      reject(
        new Error(`moto_server exited before it answered (${signal ?? `exit ${code}`}): ${stderr.trim()}`),
      ),
    );
  });
  failed.catch(() => undefined);

  const deadline = Date.now() + READY_WITHIN_MS;
  const ready = async (): Promise<void> => {
    for (;;) {
      try {
        if ((await call(`${url}/moto-api/data.json`, "GET")) === 200) return;
      } catch {
        // Not listening yet.
      }
      if (Date.now() > deadline)
        throw new Error(`moto_server did not answer on ${url} within ${READY_WITHIN_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, PROBE_EVERY_MS));
    }
  };
  try {
    await Promise.race([ready(), failed]);
  } catch (error) {
    child.kill();
    await exited(child);
    throw error;
  }
  return {
    url,
    async reset() {
      const status = await call(`${url}/moto-api/reset`, "POST");
      if (status !== 200) throw new Error(`moto_server refused its reset (HTTP ${status})`);
    },
    async stop() {
      child.kill();
      await exited(child);
    },
  };
}
