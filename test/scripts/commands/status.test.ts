import {
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  LambdaClient,
  ListVersionsByFunctionCommand,
} from "@aws-sdk/client-lambda";
import { CloudWatchClient, GetMetricDataCommand, ListMetricsCommand } from "@aws-sdk/client-cloudwatch";
import { mockClient } from "aws-sdk-client-mock";
import { formatAliasRecord, formatVersionRecord } from "../../../scripts/lib/release/records";
import { FAKE_SKILL_ID, minimalManifest, startFakeSmapi, type FakeSmapi } from "../../../testkit/fakes/smapi";
import { plainEnv, runCli, writeOutputs } from "./cli-harness";

const FUNCTION = "arn:aws:lambda:eu-west-1:123456789012:function:jokebox-prod";
const outputs = {
  skillId: FAKE_SKILL_ID,
  stack: "prod",
  endpointKind: "lambda",
  functionName: "jokebox-prod",
  functionArn: FUNCTION,
  developmentEndpoint: "arn:aws:lambda:eu-west-1:123456789012:function:jokebox-dev",
  aliasEndpoints: { blue: `${FUNCTION}:blue`, green: `${FUNCTION}:green` },
};

function manifestWithEndpoint(uri: string): Record<string, unknown> {
  const manifest = minimalManifest() as { manifest: { apis: { custom: { endpoint: { uri: string } } } } };
  manifest.manifest.apis.custom.endpoint.uri = uri;
  return manifest;
}

const lambda = mockClient(LambdaClient);
const cloudWatch = mockClient(CloudWatchClient);

function lambdaWithReleases(): void {
  lambda.reset();
  lambda.on(GetFunctionConfigurationCommand).resolves({ CodeSha256: "latest-code=", RevisionId: "r1" });
  lambda.on(GetAliasCommand, { Name: "blue" }).resolves({
    Name: "blue",
    FunctionVersion: "3",
    RevisionId: "rb",
    Description: formatAliasRecord({
      change: "code",
      replaced: "2",
      model: "aaaaaaaaaaaa",
      at: "2026-11-01T10:00:00Z",
    }),
  });
  lambda.on(GetAliasCommand, { Name: "green" }).resolves({
    Name: "green",
    FunctionVersion: "4",
    RevisionId: "rg",
    Description: formatAliasRecord({
      change: "candidate",
      replaced: "1",
      model: "bbbbbbbbbbbb",
      at: "2026-11-20T10:00:00Z",
    }),
  });
  lambda.on(ListVersionsByFunctionCommand).resolves({
    Versions: [
      { Version: "$LATEST", CodeSha256: "latest-code=", Description: "" },
      {
        Version: "3",
        CodeSha256: "code-3=",
        Description: formatVersionRecord({
          tag: "v1.0.0",
          commit: "0123456789abcdef",
          bundle: "code-3=",
          model: "aaaaaaaaaaaa",
        }),
      },
      {
        Version: "4",
        CodeSha256: "code-4=",
        Description: formatVersionRecord({
          tag: "v1.1.0",
          commit: "fedcba9876543210",
          bundle: "code-4=",
          model: "bbbbbbbbbbbb",
        }),
      },
    ],
  });
}

describe("skillship status", () => {
  let fake: FakeSmapi;

  beforeEach(async () => {
    lambdaWithReleases();
    fake = await startFakeSmapi({
      certificationPolls: 1000,
      skills: [
        {
          skillId: FAKE_SKILL_ID,
          development: { manifest: manifestWithEndpoint(outputs.aliasEndpoints.green) },
          live: { manifest: manifestWithEndpoint(outputs.aliasEndpoints.blue) },
        },
      ],
    });
    fake.skill().certifications.push({
      id: "cert-9",
      status: "IN_PROGRESS",
      submittedAt: "2026-11-20T10:05:00.000Z",
      publicationMethod: "MANUAL_PUBLISHING",
      pollsLeft: 1000,
      outcome: "SUCCEEDED",
      review: [],
      version: "2",
    });
  });

  afterEach(async () => {
    await fake.close();
  });

  afterAll(() => {
    lambda.restore();
    cloudWatch.restore();
  });

  it("shows each stage's endpoint, the release behind each alias, the live colour and the certification", async () => {
    const result = await runCli(["status", "--outputs", writeOutputs(outputs)], { ...fake.env, ...plainEnv });

    expect(result.stderr).not.toContain("skillship:");
    expect(result.stderr).not.toContain("warning:");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Skill ${FAKE_SKILL_ID} (prod stack, lambda endpoint)`);
    expect(result.stdout).toMatch(/│ development │ \S+:green\s+│ green alias\s+│/);
    expect(result.stdout).toMatch(/│ live\s+│ \S+:blue\s+│ blue alias\s+│/);
    expect(result.stdout).toMatch(
      /│ blue\s+│ 3\s+│ v1\.0\.0\s+│ 0123456789ab │ aaaaaaaaaaaa │ live\s+│ 2\s+│/,
    );
    expect(result.stdout).toMatch(
      /│ green\s+│ 4\s+│ v1\.1\.0\s+│ fedcba987654 │ bbbbbbbbbbbb │ candidate │ 1\s+│/,
    );
    expect(result.stdout).toContain("$LATEST of jokebox-prod: code sha256 latest-code=");
    expect(result.stdout).toContain("Certification cert-9: IN_PROGRESS, submitted 2026-11-20T10:05:00.000Z");
  });

  it("says when a certified candidate waits for skillship publish, and shows a scheduled publication", async () => {
    fake.skill().certifications[0].status = "SUCCEEDED";
    const ready = await runCli(["status", "--outputs", writeOutputs(outputs), "--json"], {
      ...fake.env,
      ...plainEnv,
    });
    expect(JSON.parse(ready.stdout)).toMatchObject({
      readyToPublish: true,
      certification: { status: "SUCCEEDED" },
    });
    const text = await runCli(["status", "--outputs", writeOutputs(outputs)], { ...fake.env, ...plainEnv });
    expect(text.stdout).toContain(
      "Certified and not live yet: `skillship publish` puts the green colour live.",
    );

    fake.skill().publication = {
      status: "SCHEDULED",
      publishesAtDate: "2099-01-01T09:00:00.000Z",
      pollsLeft: 1,
      version: "2",
    };
    const scheduled = await runCli(["status", "--outputs", writeOutputs(outputs)], {
      ...fake.env,
      ...plainEnv,
    });
    expect(scheduled.stdout).toContain(
      "Latest publication: SCHEDULED (publishes at 2099-01-01T09:00:00.000Z)",
    );
    expect(scheduled.stdout).not.toContain("Certified and not live yet");
  });

  it("prints one JSON document with --json", async () => {
    const result = await runCli(["status", "--outputs", writeOutputs(outputs), "--json"], {
      ...fake.env,
      ...plainEnv,
    });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({
      skillId: FAKE_SKILL_ID,
      stack: "prod",
      liveColour: "blue",
      stages: { development: { target: "green" }, live: { target: "blue" } },
      aliases: {
        blue: { version: "3", release: { tag: "v1.0.0" }, change: { change: "code", replaced: "2" } },
        green: { version: "4", release: { tag: "v1.1.0" } },
      },
      certification: { id: "cert-9", status: "IN_PROGRESS" },
      readyToPublish: false,
      unavailable: [],
    });
  });

  it("still reports the skill's side when Lambda cannot be read, with a warning", async () => {
    lambda.reset();
    lambda
      .onAnyCommand()
      .rejects(Object.assign(new Error("User is not authorized"), { name: "AccessDeniedException" }));
    const result = await runCli(["status", "--outputs", writeOutputs(outputs)], { ...fake.env, ...plainEnv });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/│ live\s+│ \S+:blue\s+│ blue alias\s+│/);
    expect(result.stderr).toContain("warning: could not read aliases of jokebox-prod");
  });

  it("works from a skill id alone, without Lambda, and says when the skill is not live", async () => {
    fake.skill().stages.live = undefined;
    const result = await runCli(["status", "--skill-id", FAKE_SKILL_ID], { ...fake.env, ...plainEnv });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/│ live\s+│\s+│ not live yet │/);
    expect(lambda.calls()).toHaveLength(0);
  });

  describe("a canary in progress on the live alias", () => {
    // The canary of version 4 began four minutes ago at 10% (the stack's default steps: 10% for 10 minutes).
    const began = new Date(Date.now() - 4 * 60_000).toISOString();
    beforeEach(() => {
      lambda.on(GetAliasCommand, { Name: "blue" }).resolves({
        Name: "blue",
        FunctionVersion: "3",
        RevisionId: "rb2",
        RoutingConfig: { AdditionalVersionWeights: { "4": 0.1 } },
        Description: formatAliasRecord({
          change: "canary",
          replaced: "3",
          model: "aaaaaaaaaaaa",
          at: began,
          started: began,
          tag: "v1.1.0",
        }),
      });
      cloudWatch.reset();
      cloudWatch.on(ListMetricsCommand).resolves({ Metrics: [] });
      const values: Record<string, number> = {
        v0_requests: 324,
        v0_invocations: 324,
        v0_handlerErrors: 1,
        v0_handlerLatency: 41,
        v1_requests: 36,
        v1_invocations: 36,
        v1_handlerLatency: 44,
      };
      cloudWatch.on(GetMetricDataCommand).callsFake((input: { MetricDataQueries?: { Id?: string }[] }) => ({
        MetricDataResults: (input.MetricDataQueries ?? []).map((query) => ({
          Id: query.Id,
          StatusCode: "Complete",
          Values: values[query.Id ?? ""] === undefined ? [] : [values[query.Id ?? ""]],
        })),
      }));
    });

    it("shows the weights, the time left and the signals so far, for people and in --json", async () => {
      const text = await runCli(["status", "--outputs", writeOutputs(outputs)], { ...fake.env, ...plainEnv });
      expect(text.code).toBe(0);
      expect(text.stderr).not.toContain("warning:");
      expect(text.stdout).toMatch(/│ blue\s+│ 3, 4 at 10%\s+│/);
      expect(text.stdout).toMatch(
        /Canary in progress on the live blue alias: version 4 gets 10% \(step 1 of 1\), version 3 the rest; began \S+, this step's bake ends \S+; about [78]m \d\ds left if it stays healthy\./,
      );
      expect(text.stdout).toContain(
        "Signals so far: Not judged yet: too little traffic. Version 4 served 36 of the 100 requests needed to judge it healthy.",
      );
      expect(text.stdout).toMatch(
        /│ handler error rate\s+│ 0\.0% \(0 of 36 requests\)\s+│ 0\.3% \(1 of 324 requests\)\s+│/,
      );
      expect(text.stdout).toMatch(/│ p99 handler latency\s+│ 44 ms\s+│ 41 ms\s+│/);
      // The window read: from the canary's start.
      const read = cloudWatch.commandCalls(GetMetricDataCommand)[0].args[0].input;
      expect(read.StartTime).toEqual(new Date(Math.floor(Date.parse(began) / 60_000) * 60_000));

      const json = await runCli(["status", "--outputs", writeOutputs(outputs), "--json"], {
        ...fake.env,
        ...plainEnv,
      });
      expect(JSON.parse(json.stdout)).toMatchObject({
        aliases: { blue: { version: "3", split: { version: "4", percent: 10 } } },
        canary: {
          colour: "blue",
          from: "3",
          to: "4",
          percent: 10,
          recorded: true,
          step: 1,
          of: 1,
          startedAt: began,
          verdict: { outcome: "too-little-traffic", traffic: { served: 36, needed: 100 } },
          signals: { to: { requests: 36 }, from: { requests: 324 } },
        },
      });
    });

    it("still shows the weights when the signals cannot be read, with a warning", async () => {
      cloudWatch.reset();
      cloudWatch
        .onAnyCommand()
        .rejects(Object.assign(new Error("not authorized"), { name: "AccessDenied", $metadata: {} }));
      const text = await runCli(["status", "--outputs", writeOutputs(outputs)], { ...fake.env, ...plainEnv });
      expect(text.code).toBe(0);
      expect(text.stdout).toMatch(/Canary in progress on the live blue alias: version 4 gets 10%/);
      expect(text.stderr).toMatch(
        /warning: could not read the canary's signals: CloudWatch refused .*cloudwatch:GetMetricData/,
      );
    });
  });
});
