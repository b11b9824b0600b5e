/**
 * A team's own variables and secrets for its function: `skillship:functionEnvironment` joins the stack's variables,
 * `skillship:functionSecrets` gives every region's function the names of SecureString parameters of the stack's
 * region (`SKILLSHIP_SECRETS`) and the right to read those, no others. Neither key may hold a secret's value.
 */
import { parseStackConfig } from "../../infra/config";
import { StackConfigError } from "../../infra/errors";
import {
  type ProgramRun,
  PROGRAM_RUN_GUARD_MS,
  account,
  fakeBundle,
  policyOf,
  runProgram,
  skillId,
  violations,
} from "./support/program";

const environment = JSON.stringify({
  HOME_HUB_URL: "https://hub.example.com",
  ALEXA_SKILL_CLIENT_ID: "client",
});
const secrets = JSON.stringify({ ALEXA_SKILL_CLIENT_SECRET: "/home-hub/prod/alexa-client-secret" });

function problems(values: Record<string, string>, awsRegion: string | null = "eu-west-1"): readonly string[] {
  try {
    parseStackConfig({
      values: { skillId, ...values },
      stackName: "dev",
      ...(awsRegion === null ? {} : { awsRegion }),
    });
  } catch (error) {
    if (error instanceof StackConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("a prod stack with functionEnvironment and functionSecrets, serving NA and EU", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runProgram({
      stack: "prod",
      config: {
        "aws:region": "eu-west-1",
        skillId,
        alexaRegions: "NA,EU",
        bundleDir: fakeBundle(),
        functionEnvironment: environment,
        functionSecrets: secrets,
      },
    });
  }, PROGRAM_RUN_GUARD_MS);

  it("gives every region's function the team's variables and the parameters' names, never a value", () => {
    expect(run.error).toBeUndefined();
    const functions = run.ofType("aws:lambda/function:Function");
    expect(functions.map((fn) => fn.awsRegion).sort()).toEqual(["eu-west-1", "us-east-1"]);
    for (const fn of functions) {
      const variables: Record<string, string> = fn.inputs.environment.variables;
      expect(variables).toMatchObject({
        HOME_HUB_URL: "https://hub.example.com",
        ALEXA_SKILL_CLIENT_ID: "client",
        SKILL_ID: skillId,
      });
      expect(JSON.parse(variables.SKILLSHIP_SECRETS!)).toEqual({
        region: "eu-west-1",
        parameters: { ALEXA_SKILL_CLIENT_SECRET: "/home-hub/prod/alexa-client-secret" },
      });
      expect(variables).not.toHaveProperty("ALEXA_SKILL_CLIENT_SECRET");
    }
  });

  it("lets each function's role read those parameters in the stack's region, and no other", () => {
    const policies = run
      .ofType("aws:iam/rolePolicy:RolePolicy")
      .filter((p) => p.name.includes("-skill-role"));
    expect(policies).toHaveLength(2);
    for (const policy of policies) {
      const statements = policyOf(policy).Statement as { Sid: string; Action: unknown; Resource: unknown }[];
      expect(statements.find((statement) => statement.Sid === "ReadSecrets")).toEqual({
        Sid: "ReadSecrets",
        Effect: "Allow",
        Action: "ssm:GetParameters",
        Resource: [`arn:aws:ssm:eu-west-1:${account}:parameter/home-hub/prod/alexa-client-secret`],
      });
      expect(JSON.stringify(statements)).not.toContain("kms:");
    }
    expect(violations(run)).toEqual([]);
  });
});

describe("a stack without them", () => {
  it(
    "sets no SKILLSHIP_SECRETS and grants no Parameter Store read",
    async () => {
      const run = await runProgram({ stack: "dev", config: { skillId, bundleDir: fakeBundle() } });
      expect(run.error).toBeUndefined();
      const [fn] = run.ofType("aws:lambda/function:Function");
      expect(fn!.inputs.environment.variables).not.toHaveProperty("SKILLSHIP_SECRETS");
      const [policy] = run
        .ofType("aws:iam/rolePolicy:RolePolicy")
        .filter((p) => p.name.includes("-skill-role"));
      expect(JSON.stringify(policyOf(policy!))).not.toContain("ssm:");
    },
    PROGRAM_RUN_GUARD_MS,
  );
});

describe("the functionEnvironment and functionSecrets keys", () => {
  it("accept variables and parameter names, structured or as JSON text", () => {
    expect(problems({ functionEnvironment: environment, functionSecrets: secrets })).toEqual([]);
    expect(problems({ functionSecrets: JSON.stringify({ API_KEY: "plain-name.v2" }) })).toEqual([]);
  });

  it("refuse a value that looks like a secret in the plain variables, saying where it belongs", () => {
    expect(problems({ functionEnvironment: JSON.stringify({ HUB_CLIENT_SECRET: "hunter2" }) })).toEqual([
      "skillship:functionEnvironment: HUB_CLIENT_SECRET looks like a secret, and every pull request previews this " +
        "stack: put the value in a SecureString parameter (aws ssm put-parameter --type SecureString) and name it " +
        "in skillship:functionSecrets instead",
    ]);
  });

  it("name each bad variable, value and parameter", () => {
    expect(
      problems({
        functionEnvironment: JSON.stringify({ "1BAD": "x", AWS_REGION: "us-east-1", TIMEOUT: 3, OK: "fine" }),
        functionSecrets: JSON.stringify({ OK: "/a", TOKEN_TABLE: "/b", OTHER: "has space", FINE: "/c/d" }),
      }),
    ).toEqual([
      'skillship:functionEnvironment: "1BAD" is not a variable name Lambda accepts (a letter, then letters, digits, _)',
      "skillship:functionEnvironment: AWS_REGION is set by Lambda or by the stack itself; choose another name",
      "skillship:functionEnvironment: TIMEOUT must be a string (got 3): quote it",
      "skillship:functionSecrets: OK is also in skillship:functionEnvironment; keep it in one of them",
      "skillship:functionSecrets: TOKEN_TABLE is set by Lambda or by the stack itself; choose another name",
      'skillship:functionSecrets: OTHER must name a Parameter Store parameter, e.g. "/home-hub/prod/client-secret" ' +
        '(got "has space")',
    ]);
  });

  it("refuse what is not an object, and variables over the size Lambda leaves", () => {
    expect(problems({ functionEnvironment: '["HOME_HUB_URL"]' })).toEqual([
      'skillship:functionEnvironment: expected an object of variables, e.g. { "HOME_HUB_URL": ' +
        '"https://hub.example.com" } (got "[\\"HOME_HUB_URL\\"]")',
    ]);
    expect(problems({ functionEnvironment: JSON.stringify({ BIG: "x".repeat(2000) }) })).toEqual([
      "skillship:functionEnvironment, skillship:functionSecrets: 2005 bytes of variables, over the 1536 bytes " +
        "Lambda's 4 KB leave beside the stack's own variables: keep long values in Parameter Store and name them " +
        "in skillship:functionSecrets",
    ]);
  });

  it("need the stack's region for the parameters", () => {
    expect(problems({ functionSecrets: secrets }, null)).toEqual([
      "skillship:functionSecrets: the parameters are read in the stack's own region, which is not set: set " +
        "aws:region (and create the parameters there)",
    ]);
  });
});
