import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { alexaPrincipals } from "./SkillFunction";

/** The two release colours; the release engine moves one while the other serves. */
export const colours = ["blue", "green"] as const;
export type Colour = (typeof colours)[number];

/** Arguments of {@link ReleaseAliases}. */
export interface ReleaseAliasesArgs {
  functionName: pulumi.Input<string>;
  skillId: string;
  skillKind: keyof typeof alexaPrincipals;
  /** Grant Alexa an invoke permission per alias (endpoint kind `lambda`); the HTTPS endpoint grants its own. */
  alexaInvokes: boolean;
}

/**
 * Aliases `blue` and `green` of the skill function, each with its own Alexa invoke permission whose
 * `eventSourceToken` is the skill id. Pulumi creates them; the release engine moves them, so Pulumi ignores
 * changes to `functionVersion` and `routingConfig`.
 */
export class ReleaseAliases extends pulumi.ComponentResource {
  public readonly aliases: Record<Colour, aws.lambda.Alias>;
  public readonly permissions: Partial<Record<Colour, aws.lambda.Permission>> = {};
  /** The qualified ARN of each alias. */
  public readonly arns: Record<Colour, pulumi.Output<string>>;

  constructor(name: string, args: ReleaseAliasesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("skillship:index:ReleaseAliases", name, {}, opts);
    const aliases = {} as Record<Colour, aws.lambda.Alias>;
    for (const colour of colours) {
      const alias = new aws.lambda.Alias(
        `${name}-${colour}`,
        {
          name: colour,
          functionName: args.functionName,
          // A new alias starts on $LATEST; the first release points it at a published version.
          functionVersion: "$LATEST",
          description: `Release colour ${colour} (moved by skillship release)`,
        },
        { parent: this, ignoreChanges: ["functionVersion", "routingConfig"] },
      );
      aliases[colour] = alias;
      if (args.alexaInvokes) {
        this.permissions[colour] = new aws.lambda.Permission(
          `${name}-${colour}-alexa`,
          {
            function: args.functionName,
            qualifier: alias.name,
            action: "lambda:InvokeFunction",
            principal: alexaPrincipals[args.skillKind],
            eventSourceToken: args.skillId,
          },
          { parent: this },
        );
      }
    }
    this.aliases = aliases;
    this.arns = { blue: aliases.blue.arn, green: aliases.green.arn };
    this.registerOutputs({ blue: this.arns.blue, green: this.arns.green });
  }
}
