import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Arguments of {@link AlertTopic}. */
export interface AlertTopicArgs {
  /** Physical name of the topic (`<project>-<stage>-alerts`), so the pipeline roles can be scoped to it. */
  topicName: string;
  /** Email addresses subscribed to it; each receives a confirmation mail first. */
  emails: string[];
}

/** A logical-name fragment for an email address. */
const slug = (email: string): string => email.toLowerCase().replace(/[^a-z0-9]+/g, "-");

/**
 * The stack's notification topic: every alarm of the stack notifies it (on alarm and on recovery), and the
 * release and certification workflows post their outcome to the prod stack's. Email subscriptions come from the
 * configuration; anything else (chat, paging) subscribes to the topic outside the stack.
 */
export class AlertTopic extends pulumi.ComponentResource {
  public readonly topic: aws.sns.Topic;
  public readonly arn: pulumi.Output<string>;

  constructor(name: string, args: AlertTopicArgs, opts?: pulumi.ComponentResourceOptions) {
    super("skillship:index:AlertTopic", name, {}, opts);
    this.topic = new aws.sns.Topic(
      `${name}-topic`,
      { name: args.topicName, displayName: `Skillship alerts (${args.topicName})` },
      { parent: this },
    );
    this.arn = this.topic.arn;
    for (const email of args.emails) {
      new aws.sns.TopicSubscription(
        `${name}-email-${slug(email)}`,
        { topic: this.topic.arn, protocol: "email", endpoint: email },
        { parent: this },
      );
    }
    this.registerOutputs({ arn: this.arn });
  }
}
