/**
 * {@link MetricsPort} over the AWS SDK v3 CloudWatch client. One GetMetricData request (paged by `NextToken`)
 * reads every signal of every queried version over the whole window as a single period; ListMetrics first finds
 * the Alexa error types each version reported. Calls retry on throttling and 5xx within the CLI's one retry bound.
 *
 * What is read, per version V of function F behind alias A:
 * - the skill's metrics (`contracts/skill-metrics.ts`): namespace `Skillship/Skill`, dimensions `FunctionName=F`,
 *   `FunctionVersion=V` (and `ErrorType` for the per-type counts);
 * - Lambda's own: namespace `AWS/Lambda`, dimensions `FunctionName=F`, `Resource=F:A`, `ExecutedVersion=V`, the
 *   only place Lambda reports a version that is invoked through a (weighted) alias.
 *
 * Endpoints: the SDK itself honours `AWS_ENDPOINT_URL_CLOUDWATCH` and `AWS_ENDPOINT_URL`.
 */
import {
  CloudWatchClient,
  GetMetricDataCommand,
  ListMetricsCommand,
  type Dimension,
  type MetricDataQuery,
  type MetricDataResult,
} from "@aws-sdk/client-cloudwatch";
import {
  ALEXA_ERROR_METRICS,
  SKILL_METRIC_DIMENSIONS,
  SKILL_METRICS,
  SKILL_METRICS_NAMESPACE,
  type SkillMetricKey,
} from "../../../contracts/skill-metrics";
import { OperationError } from "../core/errors";
import { defaultRetryPolicy, isTransient, withRetries, type RetryPolicy } from "../core/retry";
import { noSignals, type MetricsPort, type VersionSignals, type VersionSignalsQuery } from "../ports";

/** Lambda's namespace and the dimension names of a version invoked through an alias. */
export const LAMBDA_METRICS = {
  namespace: "AWS/Lambda",
  dimensions: { functionName: "FunctionName", resource: "Resource", executedVersion: "ExecutedVersion" },
  names: { invocations: "Invocations", errors: "Errors", throttles: "Throttles", duration: "Duration" },
} as const;

/** The statistic latencies are read with unless the query names another. */
export const DEFAULT_LATENCY_STATISTIC = "p99";

/** Options of {@link createMetricsPort}. */
export interface MetricsPortOptions {
  /** The client to use; by default one with the SDK's own configuration chain (region, credentials, endpoint). */
  client?: CloudWatchClient;
  /** The retry bound for each call. */
  retry?: RetryPolicy;
}

const MINUTE_MS = 60_000;
/** GetMetricData takes at most 500 queries per request. */
const MAX_QUERIES = 500;

// CloudWatch names its throttling "Throttling" (query protocol) or "ThrottlingException" (JSON).
const retryable = (error: unknown): boolean => isTransient(error) || errorName(error) === "Throttling";

type Sum = Exclude<keyof VersionSignals, "version" | "alexaErrorsByType" | "handlerLatencyMs" | "durationMs">;

/** One query of the request: what it reads, and where its value goes. */
interface Planned {
  query: MetricDataQuery;
  version: number;
  into: { sum: Sum } | { latency: "handlerLatencyMs" | "durationMs" } | { typed: string; errorType: string };
}

/** Creates the metrics port. */
export function createMetricsPort(options: MetricsPortOptions = {}): MetricsPort {
  // One retry bound for the whole CLI: the SDK's own retries would multiply ours.
  const client = options.client ?? new CloudWatchClient({ maxAttempts: 1 });
  const policy = options.retry ?? defaultRetryPolicy;
  const send = <T>(doing: string, call: () => Promise<T>): Promise<T> =>
    withRetries(call, policy, retryable).catch((error: unknown) => {
      throw cloudWatchError(doing, error);
    });

  /** The ErrorType values each typed metric has for the function, by metric name, then by version. */
  async function errorTypes(functionName: string): Promise<Map<string, Map<string, string[]>>> {
    const found = new Map<string, Map<string, string[]>>();
    for (const key of ALEXA_ERROR_METRICS) {
      const name = SKILL_METRICS[key].name;
      let token: string | undefined;
      do {
        const page = await send(`listing ${SKILL_METRICS_NAMESPACE} ${name} of ${functionName}`, () =>
          client.send(
            new ListMetricsCommand({
              Namespace: SKILL_METRICS_NAMESPACE,
              MetricName: name,
              Dimensions: [{ Name: SKILL_METRIC_DIMENSIONS.functionName, Value: functionName }],
              NextToken: token,
            }),
          ),
        );
        for (const metric of page.Metrics ?? []) {
          const value = (dimension: string) => metric.Dimensions?.find((d) => d.Name === dimension)?.Value;
          const version = value(SKILL_METRIC_DIMENSIONS.functionVersion);
          const type = value(SKILL_METRIC_DIMENSIONS.errorType);
          if (version === undefined || type === undefined) continue;
          const byVersion = found.get(name) ?? new Map<string, string[]>();
          byVersion.set(version, [...new Set([...(byVersion.get(version) ?? []), type])].sort());
          found.set(name, byVersion);
        }
        token = page.NextToken;
      } while (token !== undefined && token !== "");
    }
    return found;
  }

  return {
    async versionSignals(query) {
      checkQuery(query);
      const start = new Date(Math.floor(query.start.getTime() / MINUTE_MS) * MINUTE_MS);
      const minutes = Math.max(1, Math.ceil((query.end.getTime() - start.getTime()) / MINUTE_MS));
      const period = minutes * 60;
      const end = new Date(start.getTime() + period * 1000);
      const statistic = query.latencyStatistic ?? DEFAULT_LATENCY_STATISTIC;
      const types = await errorTypes(query.functionName);
      const planned = planQueries(query, types, period, statistic);

      const values = new Map<string, number[]>();
      for (let first = 0; first < planned.length; first += MAX_QUERIES) {
        const batch = planned.slice(first, first + MAX_QUERIES).map((plan) => plan.query);
        let token: string | undefined;
        do {
          const page = await send(`reading the metrics of ${query.functionName}`, () =>
            client.send(
              new GetMetricDataCommand({
                MetricDataQueries: batch,
                StartTime: start,
                EndTime: end,
                NextToken: token,
              }),
            ),
          );
          for (const result of page.MetricDataResults ?? []) {
            checkResult(result, query.functionName);
            const id = result.Id ?? "";
            values.set(id, [...(values.get(id) ?? []), ...(result.Values ?? [])]);
          }
          token = page.NextToken;
        } while (token !== undefined && token !== "");
      }
      return gather(query.versions, planned, values);
    },
  };
}

function planQueries(
  query: VersionSignalsQuery,
  types: Map<string, Map<string, string[]>>,
  period: number,
  latencyStatistic: string,
): Planned[] {
  const planned: Planned[] = [];
  const { functionName: FN, functionVersion: FV, errorType: ET } = SKILL_METRIC_DIMENSIONS;
  query.versions.forEach((version, index) => {
    const skill = (name: string, extra: Dimension[] = []) => ({
      Namespace: SKILL_METRICS_NAMESPACE,
      MetricName: name,
      Dimensions: [{ Name: FN, Value: query.functionName }, { Name: FV, Value: version }, ...extra],
    });
    const lambda = (name: string) => ({
      Namespace: LAMBDA_METRICS.namespace,
      MetricName: name,
      Dimensions: [
        { Name: LAMBDA_METRICS.dimensions.functionName, Value: query.functionName },
        { Name: LAMBDA_METRICS.dimensions.resource, Value: `${query.functionName}:${query.alias}` },
        { Name: LAMBDA_METRICS.dimensions.executedVersion, Value: version },
      ],
    });
    const add = (id: string, metric: MetricDataQuery["MetricStat"], into: Planned["into"]) =>
      planned.push({
        query: { Id: `v${index}_${id}`, MetricStat: metric, ReturnData: true },
        version: index,
        into,
      });
    const counters: Exclude<SkillMetricKey, "handlerLatency">[] = [
      "requests",
      "refusedRequests",
      "handlerErrors",
      ...ALEXA_ERROR_METRICS,
    ];
    for (const key of counters) {
      add(key, { Metric: skill(SKILL_METRICS[key].name), Period: period, Stat: "Sum" }, { sum: key });
    }
    add(
      "handlerLatency",
      { Metric: skill(SKILL_METRICS.handlerLatency.name), Period: period, Stat: latencyStatistic },
      { latency: "handlerLatencyMs" },
    );
    for (const key of ALEXA_ERROR_METRICS) {
      const name = SKILL_METRICS[key].name;
      (types.get(name)?.get(version) ?? []).forEach((errorType, n) =>
        add(
          `${key}_${n}`,
          { Metric: skill(name, [{ Name: ET, Value: errorType }]), Period: period, Stat: "Sum" },
          { typed: key, errorType },
        ),
      );
    }
    const { invocations, errors, throttles, duration } = LAMBDA_METRICS.names;
    add("invocations", { Metric: lambda(invocations), Period: period, Stat: "Sum" }, { sum: "invocations" });
    add("errors", { Metric: lambda(errors), Period: period, Stat: "Sum" }, { sum: "errors" });
    add("throttles", { Metric: lambda(throttles), Period: period, Stat: "Sum" }, { sum: "throttles" });
    add(
      "duration",
      { Metric: lambda(duration), Period: period, Stat: latencyStatistic },
      { latency: "durationMs" },
    );
  });
  return planned;
}

function gather(
  versions: readonly string[],
  planned: Planned[],
  values: Map<string, number[]>,
): VersionSignals[] {
  const signals = versions.map(noSignals);
  for (const plan of planned) {
    const found = values.get(plan.query.Id ?? "") ?? [];
    const target = signals[plan.version];
    if ("sum" in plan.into) {
      target[plan.into.sum] = found.reduce((sum, value) => sum + value, 0);
    } else if ("latency" in plan.into) {
      // One period spans the window, so there is one value; were there more, the worst one counts.
      if (found.length > 0) target[plan.into.latency] = Math.max(...found);
    } else {
      const key = plan.into.typed as keyof VersionSignals["alexaErrorsByType"];
      const count = found.reduce((sum, value) => sum + value, 0);
      if (count > 0)
        target.alexaErrorsByType[key] = { ...target.alexaErrorsByType[key], [plan.into.errorType]: count };
    }
  }
  return signals;
}

function checkQuery(query: VersionSignalsQuery): void {
  if (!(query.end.getTime() > query.start.getTime())) {
    throw new OperationError(
      `Reading the metrics of ${query.functionName}: the window must end after it starts ` +
        `(start ${query.start.toISOString()}, end ${query.end.toISOString()}).`,
    );
  }
  if (query.versions.length === 0) {
    throw new OperationError(`Reading the metrics of ${query.functionName}: no version to read.`);
  }
}

function checkResult(result: MetricDataResult, functionName: string): void {
  if (result.StatusCode !== "InternalError" && result.StatusCode !== "Forbidden") return;
  const why = (result.Messages ?? []).map((message) => message.Value).join("; ");
  throw new OperationError(
    `CloudWatch could not read ${result.Label ?? result.Id} of ${functionName} (${result.StatusCode}` +
      `${why === "" ? "" : `: ${why}`})` +
      (result.StatusCode === "Forbidden" ? ": check that the role may call cloudwatch:GetMetricData" : ""),
  );
}

function errorName(error: unknown): string | undefined {
  return typeof error === "object" && error !== null ? (error as { name?: string }).name : undefined;
}

function cloudWatchError(doing: string, error: unknown): OperationError {
  const name = errorName(error) ?? "Error";
  const message = error instanceof Error ? error.message : String(error);
  const hint =
    name === "AccessDenied" || name === "AccessDeniedException" || name === "UnrecognizedClientException"
      ? " (check the AWS credentials and that the role may call cloudwatch:GetMetricData and cloudwatch:ListMetrics)"
      : "";
  return new OperationError(`CloudWatch refused ${doing}: ${name}: ${message}${hint}`, { cause: error });
}
