/**
 * The release workflow waits for a canary: its `skillship release` gets a --timeout that covers the default
 * canary's bake (and CloudWatch's delay), and the job's own timeout leaves room for it after `pulumi up`.
 */
import { DEFAULT_CANARY } from "../../contracts/canary";
import { parseDuration } from "../../scripts/lib/core/duration";
import { METRICS_DELAY_MS } from "../../scripts/lib/release/canary/run";
import { cloneWorkflows, loadWorkflows, type LoadedWorkflow } from "./support/workflows";

/** Time the release job needs besides the bake: checkout, setup, `pulumi up`, the outputs, the summary. */
const AROUND_THE_BAKE_MS = 10 * 60_000;

function problems(workflows: LoadedWorkflow[]): string[] {
  const job = workflows.find((w) => w.file === "reusable-release.yml")?.doc.jobs.release;
  const line = job?.steps?.map((step) => step.run ?? "").find((run) => /(^|\s)skillship release /.test(run));
  if (job === undefined || line === undefined)
    return ["reusable-release.yml has no job release running skillship release"];
  const flag = /--timeout (\S+)/.exec(line)?.[1];
  if (flag === undefined)
    return ["skillship release has no --timeout: it waits 15m at most, whatever the canary"];
  const timeoutMs = parseDuration(flag);
  const bakeMs =
    Math.max(...DEFAULT_CANARY.steps.map((step) => step.bakeMinutes * 60_000)) + METRICS_DELAY_MS;
  const found: string[] = [];
  if (timeoutMs < bakeMs)
    found.push(`--timeout ${flag} is shorter than the default canary's bake (${bakeMs / 60_000}m)`);
  const jobMs = (job["timeout-minutes"] ?? 360) * 60_000;
  if (jobMs < timeoutMs + AROUND_THE_BAKE_MS) {
    found.push(`timeout-minutes ${job["timeout-minutes"]} leaves less than 10m besides --timeout ${flag}`);
  }
  return found;
}

describe("the release workflow and the canary", () => {
  it("waits for the bake within the job's timeout", () => {
    expect(problems(loadWorkflows())).toEqual([]);
  });

  it("says so when it would not", () => {
    const copy = cloneWorkflows(loadWorkflows());
    const job = copy.find((w) => w.file === "reusable-release.yml")!.doc.jobs.release;
    const step = job.steps!.find((s) => /(^|\s)skillship release /.test(s.run ?? ""))!;
    step.run = step.run!.replace(/--timeout \S+/, "--timeout 5m");
    job["timeout-minutes"] = 12;
    expect(problems(copy)).toEqual([
      "--timeout 5m is shorter than the default canary's bake (12m)",
      "timeout-minutes 12 leaves less than 10m besides --timeout 5m",
    ]);
    step.run = step.run.replace(/ --timeout \S+/, "");
    expect(problems(copy)).toEqual([
      "skillship release has no --timeout: it waits 15m at most, whatever the canary",
    ]);
  });
});
