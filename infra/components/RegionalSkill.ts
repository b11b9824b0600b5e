import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AlarmSettings } from "./Alarms";
import { Alarms } from "./Alarms";
import { AlertTopic } from "./AlertTopic";
import { ReleaseAliases, colours, type Colour } from "./ReleaseAliases";
import { SkillFunction, type SkillFunctionArgs } from "./SkillFunction";

/** Arguments of {@link RegionalSkill}. */
export interface RegionalSkillArgs {
  /** The AWS region every resource of the component lives in (through its own explicit provider). */
  awsRegion: string;
  /** The function as the home region declares it; the same physical name serves every region. */
  function: SkillFunctionArgs;
  /** Declare the blue and green aliases (stacks with release aliases). */
  releaseAliases: boolean;
  alarms: AlarmSettings;
  /** The physical name of the region's alert topic (CloudWatch notifies topics of its own region only). */
  topicName: string;
  alertEmails: string[];
}

/**
 * The skill's function in one more AWS region, for the Alexa region paired with it: the function (same code,
 * same physical name) with its log group and role, its own table of users' tokens when the stack has token tables
 * (tokens stay in the region that received the grant), its Alexa invoke permission, the blue and green aliases
 * with theirs, and its alarms notifying an alert topic of that region. Every child is created through an explicit
 * `aws.Provider` for the region, so nothing depends on the stack's own `aws:region`.
 */
export class RegionalSkill extends pulumi.ComponentResource {
  public readonly provider: aws.Provider;
  public readonly skill: SkillFunction;
  public readonly aliases?: ReleaseAliases;
  public readonly functionArn: pulumi.Output<string>;
  /** The qualified ARN of each alias (stacks with release aliases). */
  public readonly aliasArns?: Record<Colour, pulumi.Output<string>>;

  constructor(name: string, args: RegionalSkillArgs, opts?: pulumi.ComponentResourceOptions) {
    super("skillship:index:RegionalSkill", name, {}, opts);
    this.provider = new aws.Provider(
      `${name}-provider`,
      { region: args.awsRegion as aws.Region },
      { parent: this },
    );
    const children = { parent: this, providers: { aws: this.provider } };
    this.skill = new SkillFunction(`${name}-skill`, args.function, children);
    this.functionArn = this.skill.functionArn;
    if (args.releaseAliases) {
      this.aliases = new ReleaseAliases(
        `${name}-alias`,
        {
          functionName: this.skill.functionName,
          skillId: args.function.skillId,
          skillKind: args.function.skillKind,
          alexaInvokes: true,
        },
        children,
      );
      this.aliasArns = this.aliases.arns;
    }
    const alerts = new AlertTopic(
      `${name}-alerts`,
      { topicName: args.topicName, emails: args.alertEmails },
      children,
    );
    new Alarms(
      `${name}-alarm`,
      {
        functionName: args.function.functionName,
        aliases: this.aliases === undefined ? [] : [...colours],
        settings: args.alarms,
        topicArn: alerts.arn,
      },
      { ...children, dependsOn: this.aliases === undefined ? [this.skill] : [this.skill, this.aliases] },
    );
    this.registerOutputs({ functionArn: this.functionArn });
  }
}
