import type * as PulumiModule from "@pulumi/pulumi";
import {
  type ProgramRun,
  account,
  fakeBundle,
  PROGRAM_RUN_GUARD_MS,
  region,
  runProgram,
  skillId,
  violations,
} from "./support/program";

const functionArn = `arn:aws:lambda:${region}:${account}:function:skillship-prod-skill`;
const devFunctionArn = `arn:aws:lambda:${region}:${account}:function:skillship-dev-skill`;
const topicArn = `arn:aws:sns:${region}:${account}:skillship-prod-alerts`;

describe("prod stack (endpoint kind lambda)", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runProgram({
      stack: "prod",
      config: {
        skillId,
        bundleDir: fakeBundle(),
        developmentEndpoint: devFunctionArn,
        alarmActions: `["arn:aws:sns:${region}:${account}:oncall"]`,
      },
    });
  }, PROGRAM_RUN_GUARD_MS);

  it("exports both alias endpoints, the dev stack as development endpoint, and no pipeline role", () => {
    expect(run.error).toBeUndefined();
    expect(run.outputs).toMatchObject({
      skillId,
      stack: "prod",
      endpointKind: "lambda",
      functionName: "skillship-prod-skill",
      functionArn,
      developmentEndpoint: devFunctionArn,
      aliasEndpoints: { blue: `${functionArn}:blue`, green: `${functionArn}:green` },
      alertsTopicArn: topicArn,
      invokePrincipals: ["alexa-appkit.amazon.com"],
    });
    for (const key of ["previewRoleArn", "betaRoleArn", "releaseRoleArn", "watchRoleArn"]) {
      expect(run.outputs[key]).toBeUndefined();
    }
  });

  it("declares no pipeline and no GitHub settings: those are the admin stack's", () => {
    expect(run.ofType("aws:iam/openIdConnectProvider:OpenIdConnectProvider")).toHaveLength(0);
    expect(run.ofType("aws:iam/role:Role").map((role) => role.name)).toEqual(["skillship-prod-skill-role"]);
    expect(run.resources.filter((resource) => resource.type.startsWith("github:"))).toEqual([]);
    expect(run.ofType("pulumi:providers:github")).toHaveLength(0);
  });

  it("declares aliases blue and green, each with its own Alexa permission bound to the skill id", () => {
    const aliases = run.ofType("aws:lambda/alias:Alias");
    expect(aliases.map((alias) => alias.inputs.name).sort()).toEqual(["blue", "green"]);
    for (const alias of aliases) {
      expect(alias.inputs).toMatchObject({
        functionName: "skillship-prod-skill",
        functionVersion: "$LATEST",
      });
    }
    const permissions = run.ofType("aws:lambda/permission:Permission");
    expect(permissions.map((permission) => permission.inputs.qualifier).sort()).toEqual(["blue", "green"]);
    for (const permission of permissions) {
      expect(permission.inputs).toMatchObject({
        function: "skillship-prod-skill",
        principal: "alexa-appkit.amazon.com",
        action: "lambda:InvokeFunction",
        eventSourceToken: skillId,
      });
    }
  });

  it("alarms on errors, throttles and p99 duration of each alias, notifying the alert topic and the extra action", () => {
    const alarms = run.ofType("aws:cloudwatch/metricAlarm:MetricAlarm");
    expect(alarms).toHaveLength(6);
    for (const colour of ["blue", "green"]) {
      const mine = alarms.filter(
        (alarm) => alarm.inputs.dimensions.Resource === `skillship-prod-skill:${colour}`,
      );
      expect(mine.map((alarm) => alarm.inputs.metricName).sort()).toEqual([
        "Duration",
        "Errors",
        "Throttles",
      ]);
    }
    for (const alarm of alarms) {
      expect(alarm.inputs.dimensions.FunctionName).toBe("skillship-prod-skill");
      expect(alarm.inputs.alarmActions).toEqual([topicArn, `arn:aws:sns:${region}:${account}:oncall`]);
      expect(alarm.inputs.okActions).toEqual(alarm.inputs.alarmActions);
    }
  });

  it("passes every CrossGuard policy", () => {
    expect(violations(run)).toEqual([]);
  });
});

describe("prod stack (endpoint kind https)", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runProgram({
      stack: "prod",
      config: { skillId, bundleDir: fakeBundle(), endpointKind: "https" },
    });
  }, PROGRAM_RUN_GUARD_MS);

  it("routes each alias and $LATEST through the HTTP API and exports their URLs", () => {
    expect(run.error).toBeUndefined();
    const [api] = run.ofType("aws:apigatewayv2/api:Api");
    const base = api!.state.apiEndpoint as string;
    expect(run.outputs.aliasEndpoints).toEqual({ blue: `${base}/blue`, green: `${base}/green` });
    expect(run.outputs.developmentEndpoint).toBe(`${base}/latest`);
    expect(
      run
        .ofType("aws:apigatewayv2/route:Route")
        .map((route) => route.inputs.routeKey)
        .sort(),
    ).toEqual(["POST /blue", "POST /green", "POST /latest"]);
    expect(
      run
        .ofType("aws:apigatewayv2/integration:Integration")
        .map((integration) => integration.inputs.integrationUri)
        .sort(),
    ).toEqual([functionArn, `${functionArn}:blue`, `${functionArn}:green`]);
  });

  it("grants invoke to API Gateway per route and none to Alexa", () => {
    const permissions = run.ofType("aws:lambda/permission:Permission");
    expect(permissions).toHaveLength(3);
    for (const permission of permissions) {
      expect(permission.inputs.principal).toBe("apigateway.amazonaws.com");
      const route = permission.inputs.qualifier ?? "latest";
      expect(permission.inputs.sourceArn).toMatch(new RegExp(`/\\*/POST/${route}$`));
    }
  });

  it("alarms on the HTTP API's 5xx answers besides each alias, and exports the API for the admin stack", () => {
    const [api] = run.ofType("aws:apigatewayv2/api:Api");
    const apiId = /https:\/\/([^.]+)\./.exec(api!.state.apiEndpoint as string)![1];
    const alarms = run.ofType("aws:cloudwatch/metricAlarm:MetricAlarm");
    expect(alarms).toHaveLength(7);
    const [api5xx] = alarms.filter((alarm) => alarm.inputs.namespace === "AWS/ApiGateway");
    expect(api5xx!.inputs).toMatchObject({
      metricName: "5xx",
      dimensions: { ApiId: apiId, Stage: "$default" },
    });
    expect(api5xx!.inputs.alarmActions).toEqual([topicArn]);
    expect(run.outputs.httpApiId).toBe(apiId);
    expect(run.outputs.invokePrincipals).toEqual(["apigateway.amazonaws.com"]);
    expect(run.outputs.logGroupArns).toEqual([
      `arn:aws:logs:${region}:${account}:log-group:/aws/lambda/skillship-prod-skill`,
      `arn:aws:logs:${region}:${account}:log-group:/aws/apigateway/skillship-prod-api`,
    ]);
  });

  it("passes every CrossGuard policy", () => {
    expect(violations(run)).toEqual([]);
  });
});

describe("ReleaseAliases", () => {
  it("leaves functionVersion and routingConfig to the release engine (ignoreChanges)", () => {
    const ignored: Record<string, string[] | undefined> = {};
    jest.isolateModules(() => {
      /* eslint-disable @typescript-eslint/no-require-imports -- a fresh Pulumi runtime, mocks before the component */
      const pulumi: typeof PulumiModule = require("@pulumi/pulumi");
      pulumi.runtime.setMocks(
        { newResource: (args) => ({ id: args.name, state: args.inputs }), call: () => ({}) },
        "skillship",
        "prod",
        false,
      );
      const { ReleaseAliases } = require("../../infra/components/ReleaseAliases");
      /* eslint-enable @typescript-eslint/no-require-imports */
      new ReleaseAliases(
        "aliases",
        { functionName: "fn", skillId, skillKind: "custom", alexaInvokes: true },
        {
          transformations: [
            (args: PulumiModule.ResourceTransformationArgs) => {
              ignored[`${args.type} ${args.name}`] = args.opts.ignoreChanges;
              return undefined;
            },
          ],
        },
      );
    });
    expect(ignored["aws:lambda/alias:Alias aliases-blue"]).toEqual(["functionVersion", "routingConfig"]);
    expect(ignored["aws:lambda/alias:Alias aliases-green"]).toEqual(["functionVersion", "routingConfig"]);
    expect(ignored["aws:lambda/permission:Permission aliases-blue-alexa"] ?? []).toEqual([]);
  });
});
