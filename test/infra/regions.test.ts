/**
 * Alexa's three regions in the Pulumi program: `skillship:alexaRegions` deploys the function, its aliases, log
 * group, alarms and Alexa permissions in each paired AWS region through an explicit provider, and the
 * `alexaRegions` output carries every region's function and alias ARNs for the CLI.
 */
import { parseStackConfig } from "../../infra/config";
import { StackConfigError } from "../../infra/errors";
import { stackOutputsSchema } from "../../scripts/lib/stack/outputs";
import {
  type ProgramRun,
  PROGRAM_RUN_GUARD_MS,
  account,
  fakeBundle,
  runProgram,
  skillId,
} from "./support/program";

const devArn = (region: string) => `arn:aws:lambda:${region}:${account}:function:skillship-dev-skill`;
const prodArn = (region: string) => `arn:aws:lambda:${region}:${account}:function:skillship-prod-skill`;

describe("a smart-home prod stack serving NA, EU and FE", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runProgram({
      stack: "prod",
      config: {
        "aws:region": "us-east-1",
        skillId,
        skillKind: "smartHome",
        alexaRegions: "FE,NA,EU",
        bundleDir: fakeBundle(),
        developmentEndpoint: devArn("us-east-1"),
      },
    });
  }, PROGRAM_RUN_GUARD_MS);

  it("deploys one function per AWS region, each through its region's provider, with the same name", () => {
    expect(run.error).toBeUndefined();
    const providers = run
      .ofType("pulumi:providers:aws")
      .filter((provider) => !provider.name.startsWith("default"));
    expect(providers.map((provider) => provider.inputs.region).sort()).toEqual(["eu-west-1", "us-west-2"]);
    const functions = run.ofType("aws:lambda/function:Function");
    expect(functions.map((fn) => fn.awsRegion).sort()).toEqual(["eu-west-1", "us-east-1", "us-west-2"]);
    expect(new Set(functions.map((fn) => fn.inputs.name))).toEqual(new Set(["skillship-prod-skill"]));
    expect(new Set(functions.map((fn) => fn.inputs.sourceCodeHash)).size).toBe(1);
  });

  it("gives every region its aliases, Alexa permissions for the smart-home principal, log group and alarms", () => {
    for (const awsRegion of ["us-east-1", "eu-west-1", "us-west-2"]) {
      const here = run.resources.filter((resource) => resource.awsRegion === awsRegion);
      const ofType = (type: string) => here.filter((resource) => resource.type === type);
      expect(
        ofType("aws:lambda/alias:Alias")
          .map((alias) => alias.inputs.name)
          .sort(),
      ).toEqual(["blue", "green"]);
      const permissions = ofType("aws:lambda/permission:Permission");
      expect(permissions.map((permission) => permission.inputs.qualifier).sort()).toEqual(["blue", "green"]);
      for (const permission of permissions) {
        expect(permission.inputs).toMatchObject({
          principal: "alexa-connectedhome.amazon.com",
          eventSourceToken: skillId,
        });
      }
      expect(ofType("aws:cloudwatch/logGroup:LogGroup").map((group) => group.inputs.name)).toEqual([
        "/aws/lambda/skillship-prod-skill",
      ]);
      const alarms = ofType("aws:cloudwatch/metricAlarm:MetricAlarm");
      expect(alarms).toHaveLength(6);
      // An alarm notifies a topic of its own region.
      const topics = ofType("aws:sns/topic:Topic").map((topic) => topic.state.arn);
      expect(topics).toHaveLength(1);
      for (const alarm of alarms) expect(alarm.inputs.alarmActions).toEqual(topics);
    }
  });

  it("exports each region's function, aliases and development endpoint, and the CLI's schema reads them", () => {
    const outputs = stackOutputsSchema.parse(run.outputs);
    expect(outputs.functionArn).toBe(prodArn("us-east-1"));
    expect(outputs.alexaRegions).toEqual({
      NA: {
        awsRegion: "us-east-1",
        functionName: "skillship-prod-skill",
        functionArn: prodArn("us-east-1"),
        developmentEndpoint: devArn("us-east-1"),
        aliasEndpoints: { blue: `${prodArn("us-east-1")}:blue`, green: `${prodArn("us-east-1")}:green` },
      },
      EU: {
        awsRegion: "eu-west-1",
        functionName: "skillship-prod-skill",
        functionArn: prodArn("eu-west-1"),
        developmentEndpoint: devArn("eu-west-1"),
        aliasEndpoints: { blue: `${prodArn("eu-west-1")}:blue`, green: `${prodArn("eu-west-1")}:green` },
      },
      FE: {
        awsRegion: "us-west-2",
        functionName: "skillship-prod-skill",
        functionArn: prodArn("us-west-2"),
        developmentEndpoint: devArn("us-west-2"),
        aliasEndpoints: { blue: `${prodArn("us-west-2")}:blue`, green: `${prodArn("us-west-2")}:green` },
      },
    });
    expect(run.outputs.logGroupArns).toHaveLength(3);
  });
});

describe("a dev stack serving EU and NA from eu-west-1", () => {
  it(
    "points each region's development endpoint at that region's own function ($LATEST)",
    async () => {
      const run = await runProgram({
        stack: "dev",
        config: { "aws:region": "eu-west-1", skillId, alexaRegions: "EU,NA", bundleDir: fakeBundle() },
      });
      expect(run.error).toBeUndefined();
      const outputs = stackOutputsSchema.parse(run.outputs);
      expect(outputs.alexaRegions).toEqual({
        NA: {
          awsRegion: "us-east-1",
          functionName: "skillship-dev-skill",
          functionArn: devArn("us-east-1"),
          developmentEndpoint: devArn("us-east-1"),
        },
        EU: {
          awsRegion: "eu-west-1",
          functionName: "skillship-dev-skill",
          functionArn: devArn("eu-west-1"),
          developmentEndpoint: devArn("eu-west-1"),
        },
      });
      const latest = run.ofType("aws:lambda/permission:Permission");
      expect(latest.map((permission) => permission.awsRegion).sort()).toEqual(["eu-west-1", "us-east-1"]);
    },
    PROGRAM_RUN_GUARD_MS,
  );
});

describe("the alexaRegions key", () => {
  const parse = (values: Record<string, string>, awsRegion?: string) =>
    parseStackConfig({
      values: { skillId, ...values },
      stackName: "prod",
      ...(awsRegion === undefined ? {} : { awsRegion }),
    });
  const problems = (values: Record<string, string>, awsRegion?: string): string[] => {
    try {
      parse(values, awsRegion);
    } catch (error) {
      if (error instanceof StackConfigError) return [...error.problems];
      throw error;
    }
    return [];
  };

  it("is absent by default: one endpoint for every region, as before", () => {
    expect(parse({}, "eu-west-1").alexaRegions).toBeUndefined();
  });

  it("pairs each Alexa region with its AWS region, in Amazon's order", () => {
    expect(parse({ alexaRegions: '["EU","NA"]' }, "eu-west-1").alexaRegions).toEqual([
      { alexaRegion: "NA", awsRegion: "us-east-1" },
      { alexaRegion: "EU", awsRegion: "eu-west-1" },
    ]);
  });

  it("names every wrong entry, a missing aws:region, an https endpoint and a smart-home stack outside its regions", () => {
    expect(problems({ alexaRegions: "NA,APAC,eu" }, "us-east-1")).toEqual([
      'skillship:alexaRegions: "APAC" is not an Alexa region: expected NA, EU or FE (got "NA,APAC,eu")',
      'skillship:alexaRegions: "eu" is not an Alexa region: expected NA, EU or FE (got "NA,APAC,eu")',
    ]);
    expect(problems({ alexaRegions: "NA" })).toEqual([
      expect.stringContaining(
        "skillship:alexaRegions: the stack's own AWS region is not set: set aws:region",
      ),
    ]);
    expect(problems({ alexaRegions: "NA", endpointKind: "https" }, "us-east-1")).toEqual([
      expect.stringContaining(
        'regional endpoints are Lambda functions: set skillship:endpointKind to "lambda"',
      ),
    ]);
    expect(problems({ alexaRegions: "NA,FE", skillKind: "smartHome" }, "eu-west-1")).toEqual([
      expect.stringContaining("set aws:region to one of us-east-1 (NA), us-west-2 (FE)"),
    ]);
    expect(problems({ alexaRegions: "NA,FE", skillKind: "smartHome" }, "us-west-2")).toEqual([]);
  });
});

describe("the pipeline roles of stacks serving NA and EU from eu-west-1", () => {
  let admin: ProgramRun;
  let prod: ProgramRun;
  beforeAll(async () => {
    const regional = { "aws:region": "eu-west-1", alexaRegions: "NA,EU", skillId, bundleDir: fakeBundle() };
    const dev = await runProgram({ stack: "dev", config: regional });
    prod = await runProgram({
      stack: "prod",
      config: { ...regional, developmentEndpoint: devArn("eu-west-1") },
    });
    expect(dev.error ?? prod.error).toBeUndefined();
    admin = await runProgram({
      stack: "admin",
      config: { githubRepository: "acme/jokebox", stateBucket: "acme-pulumi-state" },
      stackReferences: {
        "organization/skillship/dev": dev.outputs,
        "organization/skillship/prod": prod.outputs,
      },
    });
  }, 3 * PROGRAM_RUN_GUARD_MS);

  const policyOf = (role: string): { Statement: { Sid: string; Resource: string | string[] }[] } => {
    const policy = admin
      .ofType("aws:iam/rolePolicy:RolePolicy")
      .find((p) => p.name.endsWith(`-${role}-policy`));
    return JSON.parse(policy!.inputs.policy as string);
  };
  const resources = (role: string, sid: string): string[] => {
    const statement = policyOf(role).Statement.find((s) => s.Sid === sid);
    return statement === undefined ? [] : [statement.Resource].flat();
  };

  it("let the release and watch roles reach the function in every region, and pass the regional role", () => {
    expect(admin.error).toBeUndefined();
    for (const [role, sid] of [
      ["release", "ReleaseFunction"],
      ["watch", "ReadReleasedFunction"],
    ]) {
      expect(resources(role!, sid!)).toEqual([
        prodArn("eu-west-1"),
        `${prodArn("eu-west-1")}:*`,
        prodArn("us-east-1"),
        `${prodArn("us-east-1")}:*`,
      ]);
    }
    const passable = resources("release", "PassFunctionRole").map(
      (pattern) => new RegExp(`^${pattern.replace(/[.]/g, "\\.").replace(/\*/g, ".*")}$`),
    );
    const roleArns = prod.ofType("aws:iam/role:Role").map((role) => role.state.arn as string);
    expect(roleArns).toHaveLength(2);
    for (const arn of roleArns) expect(passable.some((pattern) => pattern.test(arn))).toBe(true);
    expect(resources("release", "Alarms")).toEqual([
      `arn:aws:cloudwatch:eu-west-1:${account}:alarm:skillship-prod-*`,
      `arn:aws:cloudwatch:us-east-1:${account}:alarm:skillship-prod-*`,
    ]);
    expect(resources("release", "LogRetention")).toHaveLength(2);
  });

  it("let the beta and preview roles reach the dev functions of both regions, no other region", () => {
    expect(resources("beta", "DeployDevFunction").map((arn) => arn.split(":")[3])).toEqual([
      "eu-west-1",
      "eu-west-1",
      "us-east-1",
      "us-east-1",
    ]);
    expect(new Set(resources("preview", "ReadFunctions").map((arn) => arn.split(":")[3]))).toEqual(
      new Set(["eu-west-1", "us-east-1"]),
    );
  });
});
