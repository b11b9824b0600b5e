import type { RequestEnvelope } from "ask-sdk-model";
import {
  emfMembers,
  SKILL_METRIC_DIMENSIONS,
  SKILL_METRICS,
  SKILL_METRICS_NAMESPACE,
} from "../../contracts/skill-metrics";
import { createLambdaHandlers } from "../../skill/endpoints";
import { jsonLineLog } from "../../skill/log";
import type { MediaLibrary } from "../../skill/media/types";
import { EmfError, extractEmf, type ExtractedDatum } from "../../testkit/emf";
import {
  audioPlayerEvent,
  envelope,
  exceptionEncountered,
  launchRequest,
  sessionEndedRequest,
  TEST_SKILL_ID,
} from "../../testkit/envelopes";
import { memoryMedia } from "./fixtures";

const LAMBDA_ENV = {
  SKILL_ID: TEST_SKILL_ID,
  MEDIA_BUCKET: "jokebox-media",
  AWS_REGION: "eu-west-1",
  AWS_LAMBDA_FUNCTION_NAME: "jokebox-prod-skill",
  AWS_LAMBDA_FUNCTION_VERSION: "7",
};

const PER_VERSION = { FunctionName: "jokebox-prod-skill", FunctionVersion: "7" };

/** The skill as Lambda runs it, its log lines collected as the JSON text they are written as. */
function lambdaSkill(options: { env?: Record<string, string>; media?: MediaLibrary } = {}) {
  const lines: string[] = [];
  const log = jsonLineLog((_fd, buffer, offset) => {
    lines.push(Buffer.from(buffer.subarray(offset)).toString("utf8"));
    return buffer.length - offset;
  });
  const handlers = createLambdaHandlers({
    env: options.env ?? LAMBDA_ENV,
    media: options.media ?? memoryMedia(),
    log,
  });
  const entries = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { ...handlers, lines, entries };
}

/** The data points of every line, as `name{dimensions}=values`, easy to compare. */
function points(lines: readonly string[]): string[] {
  const show = (datum: ExtractedDatum) =>
    `${datum.name}{${Object.entries(datum.dimensions)
      .map(([name, value]) => `${name}=${value}`)
      .join(",")}}=${datum.values.join(",")}`;
  return lines.flatMap((line) => extractEmf(line).map(show)).sort();
}

function perVersion(values: Record<string, number>): string[] {
  return Object.entries(values).map(
    ([name, value]) => `${name}{FunctionName=jokebox-prod-skill,FunctionVersion=7}=${value}`,
  );
}

const NO_ERRORS = {
  Requests: 1,
  RefusedRequests: 0,
  HandlerErrors: 0,
  SessionEndedErrors: 0,
  ExceptionsEncountered: 0,
  PlaybackFailures: 0,
};

describe("the skill's health signals (CloudWatch embedded metric format on its log line)", () => {
  it("reports a request per function version, with its handler latency, in the namespace of the contract", async () => {
    // prepare
    const skill = lambdaSkill();
    // act
    await skill.handler(launchRequest());
    // assert
    expect(skill.lines).toHaveLength(1);
    const [entry] = skill.entries();
    expect(entry).toMatchObject({ level: "info", requestType: "LaunchRequest", ...PER_VERSION });
    const data = extractEmf(skill.lines[0]);
    expect(new Set(data.map((datum) => datum.namespace))).toEqual(new Set([SKILL_METRICS_NAMESPACE]));
    expect(points(skill.lines)).toEqual(
      [...perVersion(NO_ERRORS), ...perVersion({ HandlerLatency: entry.latencyMs as number })].sort(),
    );
    expect(data.find((datum) => datum.name === "HandlerLatency")?.unit).toBe("Milliseconds");
    expect(data.find((datum) => datum.name === "Requests")?.unit).toBe("Count");
    expect(Math.abs(data[0].timestamp.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it.each([
    ["a session ended by an error", sessionEndedRequest("ERROR"), "SessionEndedErrors", "INVALID_RESPONSE"],
    ["an exception Alexa encountered", exceptionEncountered(), "ExceptionsEncountered", "INVALID_RESPONSE"],
    [
      "a failed playback",
      audioPlayerEvent("PlaybackFailed", "00000000:en/atoms.mp3"),
      "PlaybackFailures",
      "MEDIA_ERROR_SERVICE_UNAVAILABLE",
    ],
  ])("counts %s for the version, and per Alexa error type", async (_what, request, metric, errorType) => {
    const skill = lambdaSkill();

    await skill.handler(request);

    const latency = skill.entries()[0].latencyMs as number;
    expect(points(skill.lines)).toEqual(
      [
        ...perVersion({ ...NO_ERRORS, [metric]: 1, HandlerLatency: latency }),
        `${metric}{FunctionName=jokebox-prod-skill,FunctionVersion=7,ErrorType=${errorType}}=1`,
      ].sort(),
    );
    expect(skill.entries()[0].ErrorType).toBe(errorType);
  });

  it("counts no error for a session the user ended", async () => {
    const skill = lambdaSkill();

    await skill.handler(sessionEndedRequest("USER_INITIATED"));

    expect(points(skill.lines).filter((point) => point.endsWith("=1"))).toEqual(perVersion({ Requests: 1 }));
  });

  it("records an error type that is not Alexa's shape as UNKNOWN, never as free text", async () => {
    const skill = lambdaSkill();
    const request = envelope({
      type: "System.ExceptionEncountered",
      error: { type: "something the caller made up, 42", message: "x" },
      cause: { requestId: "r" },
    });

    await skill.handler(request);

    expect(points(skill.lines)).toContain(
      "ExceptionsEncountered{FunctionName=jokebox-prod-skill,FunctionVersion=7,ErrorType=UNKNOWN}=1",
    );
  });

  it("counts a handler error when the error handler had to answer", async () => {
    const broken: MediaLibrary = {
      listClips: () => Promise.reject(new Error("bucket unreachable")),
      urlFor: () => Promise.reject(new Error("unreachable")),
    };
    const skill = lambdaSkill({ media: broken });

    const answer = await skill.handler(launchRequest());

    expect(answer.response.outputSpeech).toBeDefined();
    expect(skill.entries()[0]).toMatchObject({ level: "error", HandlerErrors: 1 });
    expect(points(skill.lines)).toContain(
      "HandlerErrors{FunctionName=jokebox-prod-skill,FunctionVersion=7}=1",
    );
  });

  it("counts a handler error when the request fails outright (a request for another skill)", async () => {
    const skill = lambdaSkill();

    await expect(skill.handler(launchRequest({ skillId: "amzn1.ask.skill.other" }))).rejects.toThrow();

    expect(skill.entries()[0]).toMatchObject({ level: "error", Requests: 1, HandlerErrors: 1 });
  });

  it("counts a refused event as a request of the version, without a handler latency", async () => {
    const skill = lambdaSkill();

    await expect(skill.handler({ not: "alexa" })).rejects.toThrow(/Not an Alexa request/);

    expect(points(skill.lines)).toEqual(perVersion({ ...NO_ERRORS, RefusedRequests: 1 }).sort());
  });

  it("counts a refused HTTPS request (no signature) as a refused request of the version", async () => {
    const skill = lambdaSkill();

    const result = await skill.httpsHandler({ body: JSON.stringify(launchRequest()), headers: {} });

    expect(result.statusCode).toBe(400);
    expect(points(skill.lines)).toEqual(perVersion({ ...NO_ERRORS, RefusedRequests: 1 }).sort());
  });

  it("adds no metrics off Lambda, so a local run's log stays plain", async () => {
    const env = { ...LAMBDA_ENV } as Record<string, string>;
    delete env.AWS_LAMBDA_FUNCTION_NAME;
    delete env.AWS_LAMBDA_FUNCTION_VERSION;
    const skill = lambdaSkill({ env });

    await skill.handler(sessionEndedRequest("ERROR"));

    expect(skill.entries()[0]._aws).toBeUndefined();
    expect(extractEmf(skill.lines[0])).toEqual([]);
  });

  it("reports $LATEST as the version when Lambda runs the unpublished code", async () => {
    const skill = lambdaSkill({ env: { ...LAMBDA_ENV, AWS_LAMBDA_FUNCTION_VERSION: "$LATEST" } });

    await skill.handler(launchRequest());

    expect(skill.entries()[0].FunctionVersion).toBe("$LATEST");
  });

  it("never lists one metric in two directives, and names only the contract's metrics", () => {
    const members = emfMembers(
      { functionName: "f", functionVersion: "3" },
      { alexaError: { metric: "playbackFailures", type: "MEDIA_ERROR_UNKNOWN" }, latencyMs: 4 },
      1_700_000_000_000,
    );
    const directives = (members._aws as { CloudWatchMetrics: { Metrics: { Name: string }[] }[] })
      .CloudWatchMetrics;
    const listed = directives.flatMap((directive) => directive.Metrics.map((metric) => metric.Name));

    expect(listed.length).toBe(new Set(listed).size);
    expect(new Set(listed)).toEqual(new Set(Object.values(SKILL_METRICS).map((metric) => metric.name)));
    expect(Object.values(SKILL_METRIC_DIMENSIONS).every((name) => typeof members[name] === "string")).toBe(
      true,
    );
  });
});

describe("the EMF model the tests hold the lines to", () => {
  const valid = () =>
    emfMembers({ functionName: "f", functionVersion: "1" }, { latencyMs: 2 }, 1_700_000_000_000) as Record<
      string,
      unknown
    > & { _aws: { CloudWatchMetrics: { Dimensions: string[][]; Metrics: { Name: string }[] }[] } };

  it("refuses a metric whose value is missing at the root", () => {
    const line = valid();
    delete line.HandlerLatency;
    expect(() => extractEmf(line)).toThrow(EmfError);
    expect(() => extractEmf(line)).toThrow(/metric HandlerLatency .* has no number/);
  });

  it("refuses a dimension whose value is not a string", () => {
    const line = { ...valid(), FunctionVersion: 7 };
    expect(() => extractEmf(line)).toThrow(/dimension FunctionVersion .* has no string value/);
  });

  it("refuses a document without a timestamp", () => {
    const line = valid();
    (line._aws as Record<string, unknown>).Timestamp = "now";
    expect(() => extractEmf(line)).toThrow(/Timestamp/);
  });

  it("gives nothing for a plain log line", () => {
    const request: RequestEnvelope = launchRequest();
    expect(extractEmf({ level: "info", requestId: request.request.requestId })).toEqual([]);
  });
});
