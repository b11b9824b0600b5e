/**
 * The CloudWatch metrics adapter. Against moto_server on 127.0.0.1, seeded with exactly what CloudWatch Logs would
 * extract from the skill's own log lines (two versions of the function, served by the real Lambda entry point) and
 * with Lambda's own metrics as Lambda publishes them. moto computes no percentile (a p99 query makes it answer 500),
 * so there the latency is read with `Maximum`; the p99 request, paging and retries are checked with
 * aws-sdk-client-mock.
 */
import {
  CloudWatchClient,
  GetMetricDataCommand,
  ListMetricsCommand,
  PutMetricDataCommand,
  type MetricDatum,
} from "@aws-sdk/client-cloudwatch";
import { mockClient } from "aws-sdk-client-mock";
import { createMetricsPort, LAMBDA_METRICS } from "../../../../scripts/lib/adapters/cloudwatch";
import { OperationError } from "../../../../scripts/lib/core/errors";
import { createLambdaHandlers } from "../../../../skill/endpoints";
import { extractEmf, putMetricDataInputs } from "../../../../testkit/emf";
import {
  audioPlayerEvent,
  exceptionEncountered,
  launchRequest,
  sessionEndedRequest,
  TEST_SKILL_ID,
} from "../../../../testkit/envelopes";
import { startMoto, type Moto } from "../../../../testkit/moto";
import { memoryMedia } from "../../../skill/fixtures";

const FUNCTION = "jokebox-prod-skill";
const fast = { attempts: 3, initialDelayMs: 1, maxDelayMs: 2 };
const credentials = { accessKeyId: "test", secretAccessKey: "test" };

/** The log lines one container of `version` writes for `requests`, media failing when `broken`. */
async function linesOf(version: string, requests: unknown[], broken = false): Promise<string[]> {
  const lines: string[] = [];
  const { handler } = createLambdaHandlers({
    env: {
      SKILL_ID: TEST_SKILL_ID,
      MEDIA_BUCKET: "jokebox-media",
      AWS_REGION: "eu-west-1",
      AWS_LAMBDA_FUNCTION_NAME: FUNCTION,
      AWS_LAMBDA_FUNCTION_VERSION: version,
    },
    media: broken
      ? {
          listClips: () => Promise.reject(new Error("bucket unreachable")),
          urlFor: () => Promise.reject(new Error("x")),
        }
      : memoryMedia(),
    log: (entry) => lines.push(JSON.stringify(entry)),
  });
  for (const request of requests) await handler(request).catch(() => undefined);
  return lines;
}

/** Lambda's own data points for a version invoked through `alias`, and the aggregates Lambda publishes beside. */
function lambdaData(
  version: string,
  alias: string,
  at: Date,
  invocations: number,
  errors: number,
): MetricDatum[] {
  const perVersion = [
    { Name: LAMBDA_METRICS.dimensions.functionName, Value: FUNCTION },
    { Name: LAMBDA_METRICS.dimensions.resource, Value: `${FUNCTION}:${alias}` },
    { Name: LAMBDA_METRICS.dimensions.executedVersion, Value: version },
  ];
  const aggregates = [perVersion.slice(0, 1), perVersion.slice(0, 2)];
  const datum = (name: string, value: number, unit: "Count" | "Milliseconds", dims = perVersion) => ({
    MetricName: name,
    Dimensions: dims,
    Value: value,
    Unit: unit,
    Timestamp: at,
  });
  return [
    datum("Invocations", invocations, "Count"),
    datum("Errors", errors, "Count"),
    datum("Throttles", 0, "Count"),
    datum("Duration", 120, "Milliseconds"),
    datum("Duration", 480, "Milliseconds"),
    // Aggregates over every version: a query with the wrong dimensions would read these instead.
    ...aggregates.map((dims) => datum("Invocations", 1000, "Count", dims)),
    ...aggregates.map((dims) => datum("Errors", 500, "Count", dims)),
  ];
}

describe("createMetricsPort against moto_server (CloudWatch on 127.0.0.1)", () => {
  let moto: Moto;
  let client: CloudWatchClient;

  beforeAll(async () => {
    moto = await startMoto();
    // Request compression off: moto cannot read the SDK's gzip-encoded PutMetricData bodies (over 10 KB).
    client = new CloudWatchClient({
      endpoint: moto.url,
      region: "eu-west-1",
      credentials,
      maxAttempts: 1,
      disableRequestCompression: true,
    });
  }, 90_000);
  afterAll(async () => {
    client?.destroy();
    await moto?.stop();
  });
  beforeEach(() => moto.reset());

  async function seed(lines: string[], lambda: MetricDatum[] = []): Promise<void> {
    for (const input of putMetricDataInputs(lines.flatMap((line) => extractEmf(line)))) {
      await client.send(new PutMetricDataCommand(input));
    }
    if (lambda.length > 0)
      await client.send(new PutMetricDataCommand({ Namespace: "AWS/Lambda", MetricData: lambda }));
  }

  it("reads back, per version, what the skill's log lines and Lambda reported", async () => {
    // prepare: version 6 healthy; version 7 fails its handlers and gets Alexa's error reports
    const old = await linesOf("6", [
      launchRequest(),
      launchRequest(),
      launchRequest(),
      sessionEndedRequest(),
    ]);
    const broken = await linesOf("7", [launchRequest(), launchRequest()], true);
    const reported = await linesOf("7", [
      sessionEndedRequest("ERROR"),
      sessionEndedRequest("ERROR"),
      exceptionEncountered(),
      audioPlayerEvent("PlaybackFailed", "00000000:en/atoms.mp3"),
    ]);
    const at = new Date();
    await seed(
      [...old, ...broken, ...reported],
      [...lambdaData("6", "blue", at, 4, 0), ...lambdaData("7", "blue", at, 6, 1)],
    );
    const latencies = (lines: string[]) => Math.max(...lines.map((line) => JSON.parse(line).HandlerLatency));

    // act
    const [six, seven] = await createMetricsPort({ client, retry: fast }).versionSignals({
      functionName: FUNCTION,
      alias: "blue",
      versions: ["6", "7"],
      start: new Date(at.getTime() - 5 * 60_000),
      end: new Date(at.getTime() + 60_000),
      latencyStatistic: "Maximum",
    });

    // assert
    expect(six).toEqual({
      version: "6",
      requests: 4,
      refusedRequests: 0,
      handlerErrors: 0,
      sessionEndedErrors: 0,
      exceptionsEncountered: 0,
      playbackFailures: 0,
      alexaErrorsByType: {},
      handlerLatencyMs: latencies(old),
      invocations: 4,
      errors: 0,
      throttles: 0,
      durationMs: 480,
    });
    expect(seven).toEqual({
      version: "7",
      requests: 6,
      refusedRequests: 0,
      handlerErrors: 2,
      sessionEndedErrors: 2,
      exceptionsEncountered: 1,
      playbackFailures: 1,
      alexaErrorsByType: {
        sessionEndedErrors: { INVALID_RESPONSE: 2 },
        exceptionsEncountered: { INVALID_RESPONSE: 1 },
        playbackFailures: { MEDIA_ERROR_SERVICE_UNAVAILABLE: 1 },
      },
      handlerLatencyMs: latencies([...broken, ...reported]),
      invocations: 6,
      errors: 1,
      throttles: 0,
      durationMs: 480,
    });
  }, 60_000);

  it("counts only the data points inside the window, and reads another alias's traffic as none", async () => {
    const lines = await linesOf("6", [launchRequest(), launchRequest()]);
    const before = await linesOf("6", [launchRequest()]);
    const now = new Date();
    const old = new Date(now.getTime() - 30 * 60_000);
    // The earlier line as it would have been written half an hour ago.
    const earlier = before.map((line) => {
      const entry = JSON.parse(line);
      entry._aws.Timestamp = old.getTime();
      return JSON.stringify(entry);
    });
    await seed([...lines, ...earlier], lambdaData("6", "blue", now, 2, 0));

    const [six] = await createMetricsPort({ client, retry: fast }).versionSignals({
      functionName: FUNCTION,
      alias: "green",
      versions: ["6"],
      start: new Date(now.getTime() - 10 * 60_000),
      end: new Date(now.getTime() + 60_000),
      latencyStatistic: "Maximum",
    });

    expect(six.requests).toBe(2);
    expect(six.invocations).toBe(0);
    expect(six.durationMs).toBeUndefined();
  }, 60_000);

  it("reports a version that served nothing as zeros without latencies", async () => {
    const [eight] = await createMetricsPort({ client, retry: fast }).versionSignals({
      functionName: FUNCTION,
      alias: "blue",
      versions: ["8"],
      start: new Date(Date.now() - 60_000),
      end: new Date(),
      latencyStatistic: "Maximum",
    });

    expect(eight).toMatchObject({ requests: 0, handlerErrors: 0, invocations: 0, alexaErrorsByType: {} });
    expect(eight.handlerLatencyMs).toBeUndefined();
  }, 60_000);
});

describe("createMetricsPort's requests (aws-sdk-client-mock)", () => {
  // This client only: the moto tests above use real ones.
  const client = new CloudWatchClient({ region: "eu-west-1", credentials });
  const cloudwatch = mockClient(client);
  afterEach(() => cloudwatch.reset());
  afterAll(() => cloudwatch.restore());

  const query = {
    functionName: FUNCTION,
    alias: "blue",
    versions: ["6", "7"],
    start: new Date("2026-11-30T10:00:20Z"),
    end: new Date("2026-11-30T10:10:05Z"),
  };

  it("asks for p99 latencies, the window in whole minutes as one period, the right dimensions", async () => {
    cloudwatch.on(ListMetricsCommand).resolves({ Metrics: [] });
    cloudwatch.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: "v1_handlerLatency", Values: [812.5], StatusCode: "Complete" },
        { Id: "v1_duration", Values: [903], StatusCode: "Complete" },
      ],
    });

    const [, seven] = await createMetricsPort({ client, retry: fast }).versionSignals(query);

    const input = cloudwatch.commandCalls(GetMetricDataCommand)[0].args[0].input;
    expect(input.StartTime).toEqual(new Date("2026-11-30T10:00:00Z"));
    expect(input.EndTime).toEqual(new Date("2026-11-30T10:11:00Z"));
    const byId = Object.fromEntries((input.MetricDataQueries ?? []).map((q) => [q.Id, q.MetricStat]));
    expect(byId.v1_handlerLatency).toEqual({
      Metric: {
        Namespace: "Skillship/Skill",
        MetricName: "HandlerLatency",
        Dimensions: [
          { Name: "FunctionName", Value: FUNCTION },
          { Name: "FunctionVersion", Value: "7" },
        ],
      },
      Period: 660,
      Stat: "p99",
    });
    expect(byId.v1_errors).toEqual({
      Metric: {
        Namespace: "AWS/Lambda",
        MetricName: "Errors",
        Dimensions: [
          { Name: "FunctionName", Value: FUNCTION },
          { Name: "Resource", Value: `${FUNCTION}:blue` },
          { Name: "ExecutedVersion", Value: "7" },
        ],
      },
      Period: 660,
      Stat: "Sum",
    });
    expect(byId.v0_duration?.Stat).toBe("p99");
    expect(seven).toMatchObject({ handlerLatencyMs: 812.5, durationMs: 903 });
  });

  it("follows NextToken across pages and adds the values up", async () => {
    cloudwatch.on(ListMetricsCommand).resolves({ Metrics: [] });
    cloudwatch
      .on(GetMetricDataCommand)
      .resolvesOnce({
        MetricDataResults: [{ Id: "v0_requests", Values: [40], StatusCode: "PartialData" }],
        NextToken: "page-2",
      })
      .resolvesOnce({ MetricDataResults: [{ Id: "v0_requests", Values: [2], StatusCode: "Complete" }] });

    const [six] = await createMetricsPort({ client, retry: fast }).versionSignals(query);

    expect(six.requests).toBe(42);
    expect(cloudwatch.commandCalls(GetMetricDataCommand).map((call) => call.args[0].input.NextToken)).toEqual(
      [undefined, "page-2"],
    );
  });

  it("retries CloudWatch's throttling within the bound, then names what it was doing", async () => {
    const throttled = Object.assign(new Error("Rate exceeded"), {
      name: "Throttling",
      $metadata: { httpStatusCode: 400 },
    });
    cloudwatch.on(ListMetricsCommand).resolves({ Metrics: [] });
    cloudwatch.on(GetMetricDataCommand).rejectsOnce(throttled).resolves({ MetricDataResults: [] });

    await createMetricsPort({ client, retry: fast }).versionSignals(query);
    expect(cloudwatch.commandCalls(GetMetricDataCommand)).toHaveLength(2);

    cloudwatch.reset();
    cloudwatch.on(ListMetricsCommand).resolves({ Metrics: [] });
    cloudwatch.on(GetMetricDataCommand).rejects(throttled);
    const attempt = createMetricsPort({ client, retry: fast }).versionSignals(query);
    await expect(attempt).rejects.toBeInstanceOf(OperationError);
    await expect(attempt).rejects.toThrow(
      /CloudWatch refused reading the metrics of jokebox-prod-skill: Throttling/,
    );
  });

  it("says which permission is missing when access is denied", async () => {
    cloudwatch.on(ListMetricsCommand).rejects(
      Object.assign(new Error("not authorized"), {
        name: "AccessDenied",
        $metadata: { httpStatusCode: 403 },
      }),
    );

    await expect(createMetricsPort({ client, retry: fast }).versionSignals(query)).rejects.toThrow(
      /cloudwatch:GetMetricData and cloudwatch:ListMetrics/,
    );
  });

  it("refuses a window that ends before it starts, naming the function", async () => {
    await expect(
      createMetricsPort({ client, retry: fast }).versionSignals({ ...query, end: query.start }),
    ).rejects.toThrow(/metrics of jokebox-prod-skill: the window must end after it starts/);
    expect(cloudwatch.calls()).toHaveLength(0);
  });
});
