import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Thresholds and extra actions of the alarms (from the stack config). */
export interface AlarmSettings {
  errors: number;
  throttles: number;
  p99DurationMs: number;
  periodSeconds: number;
  evaluationPeriods: number;
  /** 5xx answers of the HTTP API per period that raise its alarm (endpoint kind `https`). */
  api5xx: number;
  /** SNS topics notified besides the stack's own alert topic. */
  actions: string[];
}

/** What an alarm watches: the function, or one of its aliases (`Resource` = `<function>:<alias>`). */
export interface AlarmTarget {
  /** `function`, `blue` or `green`: part of the alarm names. */
  label: string;
  functionName: string;
  alias?: string;
}

/** Arguments of one CloudWatch metric alarm, as a plain value so tests read the settings directly. */
export interface AlarmDefinition {
  suffix: "errors" | "throttles" | "p99-duration" | "5xx";
  args: aws.cloudwatch.MetricAlarmArgs;
}

function common(settings: AlarmSettings, actions: pulumi.Input<string>[]) {
  return {
    period: settings.periodSeconds,
    evaluationPeriods: settings.evaluationPeriods,
    comparisonOperator: "GreaterThanOrEqualToThreshold",
    treatMissingData: "notBreaching",
    alarmActions: actions,
    okActions: actions,
  };
}

/**
 * The three alarms of one target: any error, any throttle, and a p99 duration near Alexa's 8-second limit
 * (Alexa gives up on a response after 8 seconds, so a slow p99 is an outage for those users). Each notifies
 * `actions` on alarm and on recovery.
 */
export function alarmDefinitions(
  target: AlarmTarget,
  settings: AlarmSettings,
  actions: pulumi.Input<string>[],
): AlarmDefinition[] {
  const dimensions: Record<string, string> = { FunctionName: target.functionName };
  if (target.alias !== undefined) dimensions.Resource = `${target.functionName}:${target.alias}`;
  const shared = { ...common(settings, actions), namespace: "AWS/Lambda", dimensions };
  const where = target.alias === undefined ? target.functionName : `${target.functionName}:${target.alias}`;
  return [
    {
      suffix: "errors",
      args: {
        ...shared,
        metricName: "Errors",
        statistic: "Sum",
        threshold: settings.errors,
        alarmDescription: `${where} returned errors`,
      },
    },
    {
      suffix: "throttles",
      args: {
        ...shared,
        metricName: "Throttles",
        statistic: "Sum",
        threshold: settings.throttles,
        alarmDescription: `${where} was throttled`,
      },
    },
    {
      suffix: "p99-duration",
      args: {
        ...shared,
        metricName: "Duration",
        extendedStatistic: "p99",
        threshold: settings.p99DurationMs,
        alarmDescription: `${where} p99 duration is near Alexa's 8-second limit`,
      },
    },
  ];
}

/**
 * The HTTP API's 5xx alarm (endpoint kind `https`): API Gateway answering 5xx (the function failing, timing out
 * or throttled behind it) is what Alexa sees as an unreachable skill.
 */
export function api5xxAlarmDefinition(
  api: { apiId: pulumi.Input<string>; apiName: string },
  settings: AlarmSettings,
  actions: pulumi.Input<string>[],
): AlarmDefinition {
  return {
    suffix: "5xx",
    args: {
      ...common(settings, actions),
      namespace: "AWS/ApiGateway",
      dimensions: { ApiId: api.apiId, Stage: "$default" },
      metricName: "5xx",
      statistic: "Sum",
      threshold: settings.api5xx,
      alarmDescription: `${api.apiName} answered 5xx`,
    },
  };
}

/** Arguments of {@link Alarms}. */
export interface AlarmsArgs {
  /** The function's physical name (chosen by the stack, so alarm dimensions are plain values). */
  functionName: string;
  /** Alias names to watch one by one (prod); none watches the function as a whole (dev). */
  aliases: string[];
  settings: AlarmSettings;
  /** The stack's alert topic, notified by every alarm. */
  topicArn: pulumi.Input<string>;
  /** The HTTP API in front of the function, when the endpoint kind is `https`. */
  api?: { apiId: pulumi.Input<string>; apiName: string };
}

/**
 * Errors, throttles and p99 duration alarms: per alias in prod, on the function in dev; the HTTP API's 5xx
 * alarm with the `https` endpoint kind. Every one notifies the stack's alert topic and the configured actions.
 */
export class Alarms extends pulumi.ComponentResource {
  public readonly alarms: aws.cloudwatch.MetricAlarm[] = [];

  constructor(name: string, args: AlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("skillship:index:Alarms", name, {}, opts);
    const actions = [args.topicArn, ...args.settings.actions];
    const targets: AlarmTarget[] =
      args.aliases.length === 0
        ? [{ label: "function", functionName: args.functionName }]
        : args.aliases.map((alias) => ({ label: alias, functionName: args.functionName, alias }));
    const definitions: [string, AlarmDefinition][] = targets.flatMap((target) =>
      alarmDefinitions(target, args.settings, actions).map(
        (definition) => [target.label, definition] as [string, AlarmDefinition],
      ),
    );
    if (args.api !== undefined)
      definitions.push(["api", api5xxAlarmDefinition(args.api, args.settings, actions)]);
    for (const [label, definition] of definitions) {
      this.alarms.push(
        new aws.cloudwatch.MetricAlarm(`${name}-${label}-${definition.suffix}`, definition.args, {
          parent: this,
        }),
      );
    }
    this.registerOutputs({});
  }
}
