/**
 * Preloaded (`node -r`) into `node node_modules/@pulumi/pulumi/cmd/run <flags> <program>`, the command the
 * Pulumi CLI's Node.js language host runs, so the program loads exactly as under `pulumi preview`: `cmd/run`
 * registers ts-node from the project with tsconfig.json and requires the entry point. This preload only swaps
 * the engine for mocks and, when the run is over, prints one JSON line: the stack outputs the engine received,
 * the resource types registered, and whether ts-node compiled the program. Stack references (the admin stack's)
 * resolve to the outputs an app stack exports.
 * Plain JavaScript on purpose: TypeScript support must come from the language host, not from a test runner.
 */
const pulumi = require("@pulumi/pulumi");
const settings = require("@pulumi/pulumi/runtime/settings");

const types = [];
pulumi.runtime.setMocks(
  {
    newResource(args) {
      types.push(args.type);
      if (args.type === "pulumi:pulumi:StackReference") {
        const fn = "arn:aws:lambda:eu-west-1:123456789012:function:skillship-prod-skill";
        const outputs = {
          functionArn: fn,
          mediaBucket: "skillship-prod-media-0000000",
          functionRoleArn: "arn:aws:iam::123456789012:role/skillship-prod-skill-role-0000000",
          logGroupArns: ["arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/skillship-prod-skill"],
          invokePrincipals: ["alexa-appkit.amazon.com"],
          alertsTopicArn: "arn:aws:sns:eu-west-1:123456789012:skillship-prod-alerts",
        };
        return { id: args.inputs.name, state: { name: args.inputs.name, outputs, secretOutputNames: [] } };
      }
      const name = args.inputs.name || args.name;
      const bucket = args.inputs.bucket || `${args.name}-0000000`;
      return {
        id: `${args.name}-id`,
        state: {
          ...args.inputs,
          name,
          bucket,
          arn: `arn:aws:lambda:eu-west-1:123456789012:function:${name}`,
        },
      };
    },
    call(args) {
      return { accountId: "123456789012", region: "eu-west-1", partition: "aws", id: args.token };
    },
  },
  process.env.PULUMI_NODEJS_PROJECT_UNDER_TEST,
  process.env.PULUMI_NODEJS_STACK_UNDER_TEST,
  false,
);

let reported = false;
process.on("beforeExit", () => {
  if (reported) return;
  reported = true;
  const monitor = settings.getMonitor();
  let outputs;
  for (const [urn, resource] of monitor.resources) {
    if (urn.includes("::pulumi:pulumi:Stack::")) outputs = resource.state && resource.state.toJavaScript();
  }
  const compiledByTsNode = Boolean(process[Symbol.for("ts-node.register.instance")]);
  process.stdout.write(`\n${JSON.stringify({ outputs, types, compiledByTsNode })}\n`);
});
