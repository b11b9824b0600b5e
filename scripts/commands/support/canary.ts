/**
 * How a canary is shown: for `skillship release`, its state in the `--json` document as it goes and a GitHub job
 * summary once it has ended one way or another (GitHub shows a step's summary when the step ends; the live
 * progress is in the log); for `skillship status`, a canary in progress, for people and in the job summary.
 */
import { formatElapsed, type Output } from "../../lib/core/output";
import type { CanaryRun } from "../../lib/release/canary/run";
import { formatValue, type CanaryVerdict } from "../../lib/release/canary/judge";
import type { CanaryStatus } from "../../lib/release/canary/status";
import { formatPercent } from "../../lib/release/canary/steps";

const ended: readonly CanaryRun["outcome"][] = ["promoted", "breached", "ended", "stopped", "waiting"];

const outcomeWords: Record<CanaryRun["outcome"], string> = {
  baking: "baking",
  promoted: "healthy: all traffic moved to it",
  breached: "breached: all traffic sent back",
  ended: "ended: all traffic back on the old version",
  stopped: "stopped: the alias was changed by someone else",
  waiting: "still baking when the command stopped waiting (run it again to resume)",
};

/** The canary in the `--json` document. */
export function canaryDocument(run: CanaryRun): Record<string, unknown> {
  const breaches = run.last?.verdict.readings.filter((reading) => reading.breached) ?? [];
  return { ...structuredClone(run), ...(breaches.length === 0 ? {} : { breaches }) };
}

/** Records the canary in the `--json` document at each change, and writes the job summary once it has ended. */
export function canaryReporter(output: Output): (run: CanaryRun) => void {
  let summarized: CanaryRun["outcome"] | undefined;
  return (run) => {
    output.record({ canary: canaryDocument(run) });
    if (ended.includes(run.outcome) && summarized !== run.outcome) {
      summarized = run.outcome;
      output.summary(canarySummary(run));
    }
  };
}

/** The signals of both versions as a markdown table. */
function signalTable(verdict: CanaryVerdict, versions: { from: string; to: string }): string[] {
  return [
    `| signal | version ${versions.to} | version ${versions.from} | limit |`,
    "| --- | --- | --- | --- |",
    ...verdict.readings.map(
      (reading) =>
        `| ${reading.breached ? "**" : ""}${reading.label}${reading.breached ? "**" : ""} | ` +
        `${formatValue(reading, "candidate")} | ${formatValue(reading, "previous")} | ` +
        `${reading.limit === undefined ? "not judged yet" : `${Number(reading.limit.toFixed(2))}${reading.unit === "%" ? "%" : " ms"}`} |`,
    ),
  ];
}

function trafficLine(verdict: CanaryVerdict, to: string): string {
  return verdict.outcome === "too-little-traffic"
    ? `Version ${to} served ${verdict.traffic.served} of the ${verdict.traffic.needed} requests needed to judge it healthy.`
    : `Version ${to} served ${verdict.traffic.served} requests.`;
}

/** The job summary of a release's canary: its steps, how it ended and the signals it was judged by. */
export function canarySummary(run: CanaryRun): string {
  const versions = { from: run.from, to: run.to };
  const lines = [
    `### Canary of version ${run.to} on the ${run.colour} alias: ${outcomeWords[run.outcome]}`,
    "",
    "| step | version " + run.to + " | began | ended |",
    "| --- | --- | --- | --- |",
    ...run.timeline.map(
      (entry, i) =>
        `| ${i + 1} | ${formatPercent(entry.percent)} | ${entry.startedAt} | ${entry.endedAt ?? "(in progress)"} |`,
    ),
    ...(run.outcome === "promoted" ? [`| all | 100% | ${run.timeline.at(-1)?.endedAt ?? ""} | |`] : []),
  ];
  const last = run.last;
  if (last !== undefined) {
    lines.push(
      "",
      `Signals from ${last.window.start} to ${last.window.end}, read at ${last.at}. ${trafficLine(last.verdict, run.to)}`,
      "",
      ...signalTable(last.verdict, versions),
    );
    for (const reading of last.verdict.readings.filter((r) => r.breached)) {
      lines.push("", `**Breach**: ${reading.label} of version ${run.to}, ${reading.reason ?? "breached"}.`);
    }
  }
  return lines.join("\n");
}

/** A canary in progress for `skillship status`: shows it for people and returns its job summary's lines. */
export function showCanaryStatus(
  output: Output,
  canary: CanaryStatus,
  liveColour: string | undefined,
): string[] {
  const where = `the ${canary.colour === liveColour ? "live " : ""}${canary.colour} alias`;
  if (!canary.recorded) {
    const text =
      `${where} sends ${formatPercent(canary.percent)} of its traffic to version ${canary.to} and the rest to ` +
      `version ${canary.from}: weights no Skillship canary set.`;
    output.line(`Weighted routing on ${text}`);
    return [`Weighted routing on ${text}`];
  }
  const step = canary.step === undefined ? "" : ` (step ${canary.step} of ${canary.of})`;
  const left =
    canary.timeLeftMs === undefined
      ? ""
      : canary.timeLeftMs > 0
        ? `; about ${formatElapsed(canary.timeLeftMs)} left if it stays healthy`
        : "; its time is up: the next `skillship release` judges it";
  const head =
    `Canary in progress on ${where}: version ${canary.to} gets ${formatPercent(canary.percent)}${step}, ` +
    `version ${canary.from} the rest; began ${canary.startedAt}` +
    `${canary.bakeEndsAt === undefined ? "" : `, this step's bake ends ${canary.bakeEndsAt}`}${left}.`;
  output.line(head);
  const lines = [head];
  if (canary.verdict !== undefined) {
    const versions = { from: canary.from, to: canary.to };
    const verdict =
      canary.verdict.outcome === "breach"
        ? "Breaching: a release baking it sends all traffic back at its next read; if none is running, " +
          "`skillship rollback` ends it."
        : canary.verdict.outcome === "healthy"
          ? "Healthy so far."
          : "Not judged yet: too little traffic.";
    output.line(`Signals so far: ${verdict} ${trafficLine(canary.verdict, canary.to)}`);
    output.table(
      canary.verdict.readings.map((reading) => ({
        signal: reading.label,
        new: formatValue(reading, "candidate"),
        old: formatValue(reading, "previous"),
        breached: reading.breached ? reading.reason : "",
      })),
      [
        "signal",
        { key: "new", header: `version ${canary.to}` },
        { key: "old", header: `version ${canary.from}` },
        "breached",
      ],
    );
    lines.push(
      "",
      `${verdict} ${trafficLine(canary.verdict, canary.to)}`,
      "",
      ...signalTable(canary.verdict, versions),
    );
  }
  return lines;
}
