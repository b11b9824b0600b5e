/**
 * The table of users' Alexa tokens (`skillship:tokenTable`): created for smart-home skills by default, one per AWS
 * region beside each function, named for the function's `TOKEN_TABLE`, reachable by the function's role for its
 * items only and by the pipeline roles for its settings only.
 */
import { parseStackConfig } from "../../infra/config";
import { StackConfigError } from "../../infra/errors";
import type { PolicyDocument } from "../../infra/iam/documents";
import { HOME_HUB_VARIABLES } from "../../examples/home-hub/src/config";
import { TOKEN_TABLE_KEY } from "../../examples/home-hub/src/tokens";
import { isAllowed } from "./support/iam";
import {
  type ProgramRun,
  PROGRAM_RUN_GUARD_MS,
  account,
  fakeBundle,
  smartHomeProject,
  policyOf,
  region,
  runProgram,
  skillId,
  violations,
} from "./support/program";

const table = (at: string, stage: "dev" | "prod") =>
  `arn:aws:dynamodb:${at}:${account}:table/skillship-${stage}-skill-tokens`;
const itemActions = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"];
const refusedItemActions = [
  "dynamodb:UpdateItem",
  "dynamodb:Scan",
  "dynamodb:Query",
  "dynamodb:BatchGetItem",
  "dynamodb:DeleteTable",
];

/** The role policy of the function in `awsRegion`. */
function functionPolicy(run: ProgramRun, awsRegion: string): PolicyDocument {
  const [rolePolicy, ...others] = run
    .ofType("aws:iam/rolePolicy:RolePolicy")
    .filter((resource) => resource.awsRegion === awsRegion && resource.name.endsWith("-skill-role-policy"));
  expect(others).toEqual([]);
  return policyOf(rolePolicy!);
}

describe("a smart-home dev stack (the table by default)", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runProgram({
      stack: "dev",
      cwd: smartHomeProject(["en-GB", "de-DE"]),
      config: { "aws:region": "eu-west-1", skillId, skillKind: "smartHome", bundleDir: fakeBundle() },
    });
  }, PROGRAM_RUN_GUARD_MS);

  it("creates the table keyed by userId, on demand, encrypted, with point-in-time recovery, named after the function", () => {
    expect(run.error).toBeUndefined();
    const tables = run.ofType("aws:dynamodb/table:Table");
    expect(tables).toHaveLength(1);
    expect(tables[0]!.inputs).toMatchObject({
      name: "skillship-dev-skill-tokens",
      hashKey: "userId",
      attributes: [{ name: "userId", type: "S" }],
      billingMode: "PAY_PER_REQUEST",
      serverSideEncryption: { enabled: true },
      pointInTimeRecovery: { enabled: true },
      deletionProtectionEnabled: false,
    });
    // The sample keys its items the same way.
    expect(tables[0]!.inputs.hashKey).toBe(TOKEN_TABLE_KEY);
    expect(tables[0]!.inputs.rangeKey).toBeUndefined();
  });

  it("gives the function TOKEN_TABLE, a variable the home-hub sample requires", () => {
    const [fn] = run.ofType("aws:lambda/function:Function");
    expect(fn!.inputs.environment.variables.TOKEN_TABLE).toBe("skillship-dev-skill-tokens");
    expect(HOME_HUB_VARIABLES.required).toContain("TOKEN_TABLE");
  });

  it("lets the function get, put and delete that table's items, and nothing else of DynamoDB", () => {
    const policy = functionPolicy(run, region);
    const statements = policy.Statement.filter((statement) =>
      [statement.Action].flat().some((action) => action.startsWith("dynamodb:")),
    );
    expect(statements).toEqual([
      {
        Sid: "UserTokens",
        Effect: "Allow",
        Action: ["dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem"],
        Resource: table(region, "dev"),
      },
    ]);
    for (const action of itemActions) {
      expect(isAllowed(policy, { action, resource: table(region, "dev") })).toBe(true);
      expect(isAllowed(policy, { action, resource: table(region, "prod") })).toBe(false);
      expect(isAllowed(policy, { action, resource: `${table(region, "dev")}-other` })).toBe(false);
    }
    for (const action of refusedItemActions) {
      expect(isAllowed(policy, { action, resource: table(region, "dev") })).toBe(false);
    }
  });

  it("exports the table for the admin stack, and passes every CrossGuard policy", () => {
    expect(run.outputs.tokenTableArns).toEqual([table(region, "dev")]);
    expect(violations(run)).toEqual([]);
  });
});

describe("a smart-home prod stack serving EU, NA and FE", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runProgram({
      stack: "prod",
      config: {
        "aws:region": "eu-west-1",
        skillId,
        skillKind: "smartHome",
        alexaRegions: "EU,NA,FE",
        bundleDir: fakeBundle(),
      },
    });
  }, PROGRAM_RUN_GUARD_MS);

  const awsRegions = ["eu-west-1", "us-east-1", "us-west-2"];

  it("creates one table per AWS region, each through its region's provider, protected from deletion", () => {
    expect(run.error).toBeUndefined();
    const tables = run.ofType("aws:dynamodb/table:Table");
    expect(tables.map((resource) => resource.awsRegion).sort()).toEqual([...awsRegions].sort());
    for (const resource of tables) {
      expect(resource.inputs).toMatchObject({
        name: "skillship-prod-skill-tokens",
        billingMode: "PAY_PER_REQUEST",
        deletionProtectionEnabled: true,
        pointInTimeRecovery: { enabled: true },
        serverSideEncryption: { enabled: true },
      });
    }
  });

  it("points each region's function and role at its own region's table only", () => {
    for (const awsRegion of awsRegions) {
      const [fn, ...others] = run
        .ofType("aws:lambda/function:Function")
        .filter((resource) => resource.awsRegion === awsRegion);
      expect(others).toEqual([]);
      expect(fn!.inputs.environment.variables.TOKEN_TABLE).toBe("skillship-prod-skill-tokens");
      const policy = functionPolicy(run, awsRegion);
      for (const at of awsRegions) {
        expect(isAllowed(policy, { action: "dynamodb:PutItem", resource: table(at, "prod") })).toBe(
          at === awsRegion,
        );
      }
    }
  });

  it("exports every region's table, the home region's first", () => {
    expect(run.outputs.tokenTableArns).toEqual([
      table("eu-west-1", "prod"),
      table("us-east-1", "prod"),
      table("us-west-2", "prod"),
    ]);
  });
});

describe("stacks without a token table", () => {
  it.each([
    ["a custom skill (the default)", { skillId }],
    ["a smart-home skill that turns it off", { skillId, skillKind: "smartHome", tokenTable: "false" }],
  ])(
    "%s: no table, no TOKEN_TABLE, no DynamoDB in the role, no output",
    async (_, config) => {
      const run = await runProgram({
        stack: "dev",
        cwd: smartHomeProject(["en-GB"]),
        config: { ...config, "aws:region": region, bundleDir: fakeBundle() },
      });
      expect(run.error).toBeUndefined();
      expect(run.ofType("aws:dynamodb/table:Table")).toEqual([]);
      const [fn] = run.ofType("aws:lambda/function:Function");
      expect(fn!.inputs.environment.variables.TOKEN_TABLE).toBeUndefined();
      expect(JSON.stringify(functionPolicy(run, region))).not.toContain("dynamodb");
      expect("tokenTableArns" in run.outputs).toBe(false);
    },
    PROGRAM_RUN_GUARD_MS,
  );
});

describe("the tokenTable key", () => {
  const project = smartHomeProject(["en-GB"]);
  const parse = (values: Record<string, string>) =>
    parseStackConfig({ values, stackName: "dev", awsRegion: "eu-west-1", root: project });
  const problems = (values: Record<string, string>): readonly string[] => {
    try {
      parse(values);
    } catch (error) {
      if (error instanceof StackConfigError) return error.problems;
      throw error;
    }
    throw new Error("the configuration was accepted");
  };

  it("is on for smartHome skills and off for custom ones unless set", () => {
    expect(parse({ skillId }).tokenTable).toBe(false);
    expect(parse({ skillId, skillKind: "custom" }).tokenTable).toBe(false);
    expect(parse({ skillId, skillKind: "smartHome" }).tokenTable).toBe(true);
    expect(parse({ skillId, skillKind: "smartHome", tokenTable: "false" }).tokenTable).toBe(false);
    expect(parse({ skillId, skillKind: "smartHome", tokenTable: "true" }).tokenTable).toBe(true);
    expect(parse({ skillId, tokenTable: "false" }).tokenTable).toBe(false);
  });

  it("is refused on a custom skill, which never receives AcceptGrant, naming the key and the fix", () => {
    expect(problems({ skillId, tokenTable: "true" })).toEqual([
      "skillship:tokenTable: the token table keeps the Alexa tokens that Alexa.Authorization AcceptGrant gives, " +
        'which only a smartHome skill receives: remove the key, or set skillship:skillKind to "smartHome"',
    ]);
  });

  it("refuses a value that is not a boolean, naming the key and the value", () => {
    expect(problems({ skillId, skillKind: "smartHome", tokenTable: "maybe" })).toEqual([
      'skillship:tokenTable: expected "true" or "false" (got "maybe")',
    ]);
  });
});

describe("the pipeline roles and the app stacks' token tables", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    const dev = await runProgram({
      stack: "dev",
      cwd: smartHomeProject(["en-GB", "de-DE"]),
      config: { "aws:region": "eu-west-1", skillId, skillKind: "smartHome", bundleDir: fakeBundle() },
    });
    const prod = await runProgram({
      stack: "prod",
      config: {
        "aws:region": region,
        skillId,
        skillKind: "smartHome",
        alexaRegions: "EU,NA",
        bundleDir: fakeBundle(),
      },
    });
    expect(dev.error ?? prod.error).toBeUndefined();
    run = await runProgram({
      stack: "admin",
      config: { githubRepository: "acme/home-hub", stateBucket: "acme-pulumi-state" },
      stackReferences: {
        "organization/skillship/dev": dev.outputs,
        "organization/skillship/prod": prod.outputs,
      },
    });
  }, 3 * PROGRAM_RUN_GUARD_MS);

  const policy = (role: "preview" | "beta" | "release" | "watch"): PolicyDocument =>
    policyOf(run.named(`skillship-pipeline-${role}-policy`));
  const devTable = table(region, "dev");
  const prodTables = [table(region, "prod"), table("us-east-1", "prod")];
  const describeActions = [
    "dynamodb:DescribeTable",
    "dynamodb:DescribeContinuousBackups",
    "dynamodb:DescribeTimeToLive",
    "dynamodb:ListTagsOfResource",
  ];
  const deployActions = [
    "dynamodb:CreateTable",
    "dynamodb:UpdateTable",
    "dynamodb:UpdateContinuousBackups",
    "dynamodb:TagResource",
    "dynamodb:UntagResource",
  ];
  const neverActions = [...itemActions, ...refusedItemActions, "dynamodb:PutResourcePolicy"];
  const can = (document: PolicyDocument, action: string, resource: string) =>
    isAllowed(document, { action, resource });

  it("lets the preview role describe both stacks' tables, and change or read no item of any", () => {
    expect(run.error).toBeUndefined();
    for (const resource of [devTable, ...prodTables]) {
      for (const action of describeActions) expect(can(policy("preview"), action, resource)).toBe(true);
      for (const action of [...deployActions, ...neverActions]) {
        expect(can(policy("preview"), action, resource)).toBe(false);
      }
    }
  });

  it("lets the beta role create and configure the dev stack's table only, never its items", () => {
    for (const action of [...describeActions, ...deployActions]) {
      expect(can(policy("beta"), action, devTable)).toBe(true);
      for (const resource of prodTables) expect(can(policy("beta"), action, resource)).toBe(false);
      expect(can(policy("beta"), action, `${devTable}-other`)).toBe(false);
    }
    for (const action of neverActions) expect(can(policy("beta"), action, devTable)).toBe(false);
  });

  it("lets the release role create and configure prod's table in every region, never its items", () => {
    for (const resource of prodTables) {
      for (const action of [...describeActions, ...deployActions]) {
        expect(can(policy("release"), action, resource)).toBe(true);
      }
      for (const action of neverActions) expect(can(policy("release"), action, resource)).toBe(false);
    }
    for (const action of deployActions) expect(can(policy("release"), action, devTable)).toBe(false);
    expect(can(policy("release"), "dynamodb:CreateTable", table("us-west-2", "prod"))).toBe(false);
  });

  it("gives the watch role nothing of the tables", () => {
    expect(JSON.stringify(policy("watch"))).not.toContain("dynamodb");
  });
});
