import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Thresholds and actions of the alarms (from the stack config). */
export interface AlarmSettings {
  errors: number;
  throttles: number;
  p99DurationMs: number;
  periodSeconds: number;
  evaluationPeriods: number;
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
  suffix: "errors" | "throttles" | "p99-duration";
  args: aws.cloudwatch.MetricAlarmArgs;
}

/**
 * The three alarms of one target: any error, any throttle, and a p99 duration near Alexa's 8-second limit
 * (Alexa gives up on a response after 8 seconds, so a slow p99 is an outage for those users).
 */
export function alarmDefinitions(target: AlarmTarget, settings: AlarmSettings): AlarmDefinition[] {
  const dimensions: Record<string, string> = { FunctionName: target.functionName };
  if (target.alias !== undefined) dimensions.Resource = `${target.functionName}:${target.alias}`;
  const common = {
    namespace: "AWS/Lambda",
    dimensions,
    period: settings.periodSeconds,
    evaluationPeriods: settings.evaluationPeriods,
    comparisonOperator: "GreaterThanOrEqualToThreshold",
    treatMissingData: "notBreaching",
    alarmActions: settings.actions,
    okActions: settings.actions,
  };
  const where = target.alias === undefined ? target.functionName : `${target.functionName}:${target.alias}`;
  return [
    {
      suffix: "errors",
      args: {
        ...common,
        metricName: "Errors",
        statistic: "Sum",
        threshold: settings.errors,
        alarmDescription: `${where} returned errors`,
      },
    },
    {
      suffix: "throttles",
      args: {
        ...common,
        metricName: "Throttles",
        statistic: "Sum",
        threshold: settings.throttles,
        alarmDescription: `${where} was throttled`,
      },
    },
    {
      suffix: "p99-duration",
      args: {
        ...common,
        metricName: "Duration",
        extendedStatistic: "p99",
        threshold: settings.p99DurationMs,
        alarmDescription: `${where} p99 duration is near Alexa's 8-second limit`,
      },
    },
  ];
}

/** Arguments of {@link Alarms}. */
export interface AlarmsArgs {
  /** The function's physical name (chosen by the stack, so alarm dimensions are plain values). */
  functionName: string;
  /** Alias names to watch one by one (prod); none watches the function as a whole (dev). */
  aliases: string[];
  settings: AlarmSettings;
}

/** Errors, throttles and p99 duration alarms: per alias in prod, on the function in dev. */
export class Alarms extends pulumi.ComponentResource {
  public readonly alarms: aws.cloudwatch.MetricAlarm[] = [];

  constructor(name: string, args: AlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("skillship:index:Alarms", name, {}, opts);
    const targets: AlarmTarget[] =
      args.aliases.length === 0
        ? [{ label: "function", functionName: args.functionName }]
        : args.aliases.map((alias) => ({ label: alias, functionName: args.functionName, alias }));
    for (const target of targets) {
      for (const definition of alarmDefinitions(target, args.settings)) {
        this.alarms.push(
          new aws.cloudwatch.MetricAlarm(`${name}-${target.label}-${definition.suffix}`, definition.args, {
            parent: this,
          }),
        );
      }
    }
    this.registerOutputs({});
  }
}
