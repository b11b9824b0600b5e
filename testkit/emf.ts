/**
 * What CloudWatch Logs does with a log line in embedded metric format (EMF), modelled from the specification: it
 * checks the document (a JSON object with `_aws.Timestamp` and `_aws.CloudWatchMetrics`, every directive with a
 * namespace, dimension sets of at most 30 names whose root members are strings, at most 100 metrics whose root
 * members are numbers or arrays of numbers) and extracts one data point per metric and dimension set. Tests use it
 * to hold the skill's lines to the format, and to seed a CloudWatch (moto) with exactly what the lines would give.
 */
import type { PutMetricDataCommandInput, StandardUnit } from "@aws-sdk/client-cloudwatch";

/** One data point CloudWatch would extract. */
export interface ExtractedDatum {
  namespace: string;
  name: string;
  unit?: string;
  /** Dimension name → value, as the dimension set names them. */
  dimensions: Record<string, string>;
  values: number[];
  timestamp: Date;
}

const MAX_DIMENSIONS = 30;
const MAX_METRICS = 100;

/** A line CloudWatch would not extract metrics from; the message says which rule it breaks. */
export class EmfError extends Error {
  override readonly name = "EmfError";
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The data points of one log line (a JSON text or an already parsed entry). A line without `_aws` is a plain log
 * line and gives none; a line with `_aws` that breaks the specification throws an {@link EmfError}.
 */
export function extractEmf(line: string | Record<string, unknown>): ExtractedDatum[] {
  const root: unknown = typeof line === "string" ? JSON.parse(line) : line;
  if (!isObject(root)) throw new EmfError("an EMF log event must be a JSON object");
  const aws = root._aws;
  if (aws === undefined) return [];
  if (!isObject(aws)) throw new EmfError("_aws must be an object");
  if (typeof aws.Timestamp !== "number" || !Number.isInteger(aws.Timestamp) || aws.Timestamp < 0) {
    throw new EmfError("_aws.Timestamp must be a whole number of milliseconds since the epoch");
  }
  if (!Array.isArray(aws.CloudWatchMetrics)) throw new EmfError("_aws.CloudWatchMetrics must be an array");
  const timestamp = new Date(aws.Timestamp);
  const data: ExtractedDatum[] = [];
  aws.CloudWatchMetrics.forEach((directive: unknown, index) => {
    const where = `_aws.CloudWatchMetrics[${index}]`;
    if (!isObject(directive)) throw new EmfError(`${where} must be an object`);
    const { Namespace: namespace, Dimensions: sets, Metrics: metrics } = directive;
    if (typeof namespace !== "string" || namespace.length < 1 || namespace.length > 1024) {
      throw new EmfError(`${where}.Namespace must be a string of 1 to 1024 characters`);
    }
    if (!Array.isArray(sets)) throw new EmfError(`${where}.Dimensions must be an array of dimension sets`);
    if (!Array.isArray(metrics) || metrics.length > MAX_METRICS) {
      throw new EmfError(`${where}.Metrics must be an array of at most ${MAX_METRICS} metric definitions`);
    }
    const dimensionSets = sets.map((set: unknown, s) => {
      if (!Array.isArray(set) || set.length > MAX_DIMENSIONS) {
        throw new EmfError(`${where}.Dimensions[${s}] must be an array of at most ${MAX_DIMENSIONS} names`);
      }
      return Object.fromEntries(
        set.map((name: unknown) => {
          const value = typeof name === "string" ? root[name] : undefined;
          if (typeof value !== "string") {
            throw new EmfError(`dimension ${String(name)} of ${where} has no string value at the root`);
          }
          return [name as string, value];
        }),
      );
    });
    for (const [m, metric] of metrics.entries()) {
      if (!isObject(metric) || typeof metric.Name !== "string" || metric.Name === "") {
        throw new EmfError(`${where}.Metrics[${m}] must name its metric`);
      }
      const value = root[metric.Name];
      const values = Array.isArray(value) ? value : [value];
      if (values.length === 0 || values.length > 100 || values.some((v) => typeof v !== "number")) {
        throw new EmfError(
          `metric ${metric.Name} of ${where} has no number (or array of numbers) at the root`,
        );
      }
      const unit = typeof metric.Unit === "string" ? metric.Unit : undefined;
      for (const dimensions of dimensionSets.length > 0 ? dimensionSets : [{}]) {
        data.push({ namespace, name: metric.Name, unit, dimensions, values: values as number[], timestamp });
      }
    }
  });
  return data;
}

/** The PutMetricData calls that store `data` as CloudWatch Logs would (one per namespace, at most 1000 each). */
export function putMetricDataInputs(data: readonly ExtractedDatum[]): PutMetricDataCommandInput[] {
  const inputs: PutMetricDataCommandInput[] = [];
  for (const namespace of [...new Set(data.map((datum) => datum.namespace))]) {
    const ofNamespace = data.filter((datum) => datum.namespace === namespace);
    for (let start = 0; start < ofNamespace.length; start += 1000) {
      inputs.push({
        Namespace: namespace,
        MetricData: ofNamespace.slice(start, start + 1000).map((datum) => ({
          MetricName: datum.name,
          Unit: datum.unit as StandardUnit | undefined,
          Dimensions: Object.entries(datum.dimensions).map(([Name, Value]) => ({ Name, Value })),
          Values: datum.values,
          Counts: datum.values.map(() => 1),
          Timestamp: datum.timestamp,
        })),
      });
    }
  }
  return inputs;
}
