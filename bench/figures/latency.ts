/**
 * Figure 3, warm handler latency: the bundle loaded once in a child process in a deployed function's environment
 * (its log lines, metrics included, discarded), warmed, then each request type timed in-process, p50 and p99.
 * Budget: p99 under 2 ms.
 */
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { latencyRequests, startDeployedMedia, writeJson } from "../lib/fixtures";
import { timeProcess } from "../lib/process";
import type { Figure } from "../lib/report";
import { summarize } from "../lib/stats";

const root = resolve(__dirname, "..", "..");

/** Measures p50 and p99 per request type over `iterations` invocations each. */
export async function measureLatency(
  bundlePath: string,
  iterations: number,
  workdir: string,
): Promise<Figure[]> {
  const listing = await startDeployedMedia(["en/one.mp3", "en/two.mp3", "en/three.mp3"], workdir);
  try {
    const requests = await writeJson(join(workdir, "latency-requests.json"), latencyRequests());
    const out = join(workdir, "latency.json");
    const driver = join(root, "bench", "drivers", "latency.js");
    await timeProcess(
      process.execPath,
      [driver, bundlePath, requests, out, String(iterations)],
      listing.env(),
    );
    const samples = JSON.parse(await readFile(out, "utf8")) as Record<string, number[]>;
    return Object.entries(samples).flatMap(([name, times]): Figure[] => {
      const s = summarize(times);
      return [
        {
          group: "warm handler",
          name: `${name} p50`,
          value: s.median,
          unit: "ms",
          spread: `IQR ${s.p25.toFixed(3)}–${s.p75.toFixed(3)} ms (n=${s.runs})`,
        },
        {
          group: "warm handler",
          name: `${name} p99`,
          value: s.p99,
          unit: "ms",
          spread: `max ${s.max.toFixed(3)} ms (n=${s.runs})`,
          budget: "< 2 ms",
          met: s.p99 < 2,
        },
      ];
    });
  } finally {
    await listing.close();
  }
}
