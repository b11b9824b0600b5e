/**
 * A code-only release's canary through the real CLI (`run([...])`): the fake Skill Management API on 127.0.0.1,
 * every Lambda client mocked by the in-memory Lambda model, every CloudWatch client answered from the queries it
 * sends (the real adapter builds them). What a person and a script see: the steps of `--dry-run`, the flags, a
 * breach with its numbers in the `--json` document and the job summary, exit codes.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CloudWatchClient, GetMetricDataCommand, ListMetricsCommand } from "@aws-sdk/client-cloudwatch";
import { mockClient } from "aws-sdk-client-mock";
import type { FakeSmapi } from "../../../testkit/fakes/smapi";
import type { LambdaModel } from "../../../testkit/fakes/lambda";
import { prodOutputs } from "../../../testkit/release-world";
import { runCli, releaseCommand, startReleaseCli, tempDir, writeOutputs } from "./cli-harness";

const FIRST = "n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=";
const SECOND = "Xq2sW8a0pQbJ8cYfVh4r1d0m2a9L0uGx5Jt7kN3sPzE=";
const fastWait = ["--poll-interval", "1ms", "--timeout", "20s"];

const cloudWatch = mockClient(CloudWatchClient);

/** CloudWatch answers each query of the adapter (`v0_…` the old version, `v1_…` the new one) from `values`. */
function metricsAnswer(values: Record<string, number>): void {
  cloudWatch.reset();
  cloudWatch.on(ListMetricsCommand).resolves({ Metrics: [] });
  cloudWatch.on(GetMetricDataCommand).callsFake((input: { MetricDataQueries?: { Id?: string }[] }) => ({
    MetricDataResults: (input.MetricDataQueries ?? []).map((query) => ({
      Id: query.Id,
      StatusCode: "Complete",
      Values: values[query.Id ?? ""] === undefined ? [] : [values[query.Id ?? ""]],
    })),
  }));
}

describe("skillship release with a canary (CLI)", () => {
  let fake: FakeSmapi;
  let lambda: LambdaModel;
  let env: Record<string, string | undefined>;
  let outputs: string;
  let build: string;
  let pkg: string;

  const releaseArgs = (...more: string[]): string[] =>
    releaseCommand({ outputs, build, pkg }, "v1.1.0", ...fastWait, ...more);

  // Blue live with version 2 (released, certified, published); then new code on $LATEST and in the build record.
  beforeEach(async () => {
    let writeBuild: (codeSha256: string) => void;
    ({ fake, lambda, env, outputs, build, pkg, writeBuild } = await startReleaseCli(FIRST, {
      buildPolls: 1,
      certificationPolls: 1,
      publicationPolls: 1,
    }));
    metricsAnswer({});
    expect((await runCli(releaseArgs(), env)).code).toBe(0);
    expect((await runCli(["release", "watch", "--outputs", outputs, ...fastWait], env)).code).toBe(0);
    expect((await runCli(["publish", "--outputs", outputs, ...fastWait], env)).code).toBe(0);
    lambda.deploy(SECOND);
    writeBuild(SECOND);
  });

  afterEach(async () => {
    lambda.restore();
    await fake.close();
  });

  afterAll(() => cloudWatch.restore());

  it("--dry-run prints the canary's numbered steps and what puts traffic back, and changes nothing", async () => {
    const result = await runCli(releaseArgs("--dry-run"), env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Code-only release with a canary");
    expect(result.stdout).toMatch(/1\. Publish jokebox-prod:\$LATEST as a new version/);
    expect(result.stdout).toMatch(
      /2\. Canary step 1 of 1: send 10% of the live alias jokebox-prod:blue's traffic/,
    );
    expect(result.stdout).toMatch(/3\. Bake 10m at 10%: every 30s compare/);
    expect(result.stdout).toMatch(
      /4\. Move all traffic of the live alias jokebox-prod:blue to the version published above/,
    );
    expect(result.stdout).toMatch(
      /Should a step from 2 on fail \(not a timeout\): End the canary: all traffic of jokebox-prod:blue back on version 2/,
    );
    expect(lambda.versions).toHaveLength(2);
    expect(lambda.aliases.blue.weights).toEqual({});
  });

  it("--canary-steps replaces the stack's steps; the stack's canary output sets them otherwise", async () => {
    const flagged = await runCli(releaseArgs("--dry-run", "--canary-steps", "5%:15m,50%:1h"), env);
    expect(flagged.stdout).toMatch(/sends the new code 5% for 15m, then 50% for 1h, then all traffic/);
    expect(flagged.stdout).toMatch(/Bake 1h at 50%/);
    const tuned = writeOutputs({
      ...prodOutputs,
      canary: {
        steps: [{ percent: 25, bakeMinutes: 3 }],
        minRequests: 10,
        maxErrorRate: 1,
        maxErrorRateIncrease: 0.5,
        maxLatencyMs: 800,
        pollSeconds: 15,
      },
    });
    const stack = await runCli(releaseArgs("--dry-run", "--outputs", tuned), env);
    expect(stack.stdout).toMatch(
      /Bake 3m at 25%: every 15s .*at most 1% and at most 0\.5 points .*at most 800 ms; healthy from 10 requests/,
    );
  });

  it("refuses bad --canary-steps, naming every problem, and --canary-steps with --all-at-once", async () => {
    const bad = await runCli(releaseArgs("--canary-steps", "50%:10m,20%:0m,x"), env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--canary-steps "50%:10m,20%:0m,x"');
    expect(bad.stderr).toMatch(/step 2 "20%:0m": the bake must be from 1m to 24h/);
    expect(bad.stderr).toMatch(
      /step 2 "20%:0m": the share must grow from one step to the next \(after 50%\)/,
    );
    expect(bad.stderr).toMatch(/step 3 "x": expected PERCENT%:MINUTESm/);
    const both = await runCli(releaseArgs("--all-at-once", "--canary-steps", "10%:5m"), env);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--all-at-once and --canary-steps contradict each other/);
    expect(lambda.versions).toHaveLength(2);
  });

  it("--all-at-once moves all traffic at once and records the replaced version", async () => {
    const result = await runCli(releaseArgs("--all-at-once", "--json"), env);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ path: "code-only", version: "3", exitCode: 0 });
    expect(lambda.aliases.blue).toMatchObject({ functionVersion: "3", weights: {} });
    expect(lambda.aliases.blue.description).toMatch(/^change=code; replaced=2; /);
  });

  it("a breach: traffic back on the old version, exit 1, the signal and its numbers for people, --json and the job summary", async () => {
    // prepare: at the first read the new version has failed 8 of its 10 requests.
    metricsAnswer({
      v0_requests: 90,
      v0_invocations: 90,
      v1_requests: 10,
      v1_handlerErrors: 8,
      v1_invocations: 10,
    });
    const summary = join(tempDir(), "summary.md");
    // act
    const result = await runCli(releaseArgs("--json"), {
      ...env,
      GITHUB_ACTIONS: "true",
      GITHUB_STEP_SUMMARY: summary,
    });
    // assert
    expect(result.code).toBe(1);
    const document = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(document).toMatchObject({
      exitCode: 1,
      path: "canary",
      error: {
        type: "CanaryBreachError",
        message: expect.stringMatching(
          /^Canary breach: handler error rate of version 3: 80\.0% \(8 of 10 requests\), over the 5% ceiling .*; version 2: 0\.0% \(0 of 90 requests\)/,
        ),
      },
      steps: [{ kind: "publish-version" }, { kind: "canary-shift" }],
      failedStep: { kind: "canary-bake" },
      restored: [
        { kind: "canary-end", ok: true, detail: "version 2 serves all traffic of the blue alias again" },
      ],
      canary: {
        outcome: "breached",
        from: "2",
        to: "3",
        percent: 10,
        breaches: [{ signal: "handlerErrors", candidate: { count: 8, of: 10 }, limit: 2 }],
      },
    });
    expect(lambda.aliases.blue).toMatchObject({ functionVersion: "2", weights: {} });
    expect(lambda.aliases.blue.description).toMatch(/^change=rollback; replaced=3; /);
    const markdown = readFileSync(summary, "utf8");
    expect(markdown).toContain("### Canary of version 3 on the blue alias: breached: all traffic sent back");
    expect(markdown).toMatch(
      /\| \*\*handler error rate\*\* \| 80\.0% \(8 of 10 requests\) \| 0\.0% \(0 of 90 requests\) \| 2% \|/,
    );
    expect(markdown).toMatch(/\*\*Breach\*\*: handler error rate of version 3, over the 5% ceiling/);

    // For people: the restore as a step, the breach as the error.
    metricsAnswer({ v0_requests: 90, v1_requests: 10, v1_handlerErrors: 8 });
    const again = await runCli(releaseArgs(), env);
    expect(again.code).toBe(1);
    expect(again.stdout).toMatch(
      /↺ Restoring: End the canary: all traffic of jokebox-prod:blue back on version 2/,
    );
    expect(again.stderr).toMatch(
      /skillship: Canary breach: handler error rate of version 3: 80\.0% \(8 of 10 requests\)/,
    );
  });

  it("warns when a bake cannot end within --timeout, saying the next run resumes it", async () => {
    const result = await runCli(releaseArgs("--dry-run", "--timeout", "5m"), env);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      /warning: the canary's step 1 is judged in about 12m 00s .*after --timeout 5m: the command will exit 3 .*running it again resumes the bake/,
    );
  });
});
