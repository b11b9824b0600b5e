/**
 * The contracts `infra/` shares with the other two sides, joined here so that neither side can change alone:
 * the stack outputs the CLI reads (`scripts/lib/stack/outputs.ts`, the canary's settings among them), the
 * environment the stack gives the skill function (`skill/config.ts`, and the benchmark that measures the cold start
 * as deployed: `bench/lib/deployed.ts`), which media files are clips (MEDIA_CLIPS), and the token table of a
 * smart-home stack (the home-hub sample's `TOKEN_TABLE` and the key it stores tokens by). The outputs the
 * administrator-only stack reads are joined by `admin.test.ts`, which runs it against these stacks' real outputs.
 */
import { STACK_NODE_OPTIONS, STACK_VARIABLES } from "../../bench/lib/deployed";
import { PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { HOME_HUB_VARIABLES, readHomeHubConfig } from "../../examples/home-hub/src/config";
import { TOKEN_TABLE_KEY as SAMPLE_TOKEN_TABLE_KEY } from "../../examples/home-hub/src/tokens";
import { TOKEN_TABLE_KEY as STACK_TOKEN_TABLE_KEY } from "../../infra/components/TokenTable";
import { AUDIO_EXTENSIONS as STACK_AUDIO_EXTENSIONS } from "../../infra/components/MediaBucket";
import { pipelineOutputKeys } from "../../infra/stack";
import { withFunctionSecrets } from "../../runtime/secrets";
import { readSkillConfig } from "../../skill/config";
import { AUDIO_EXTENSIONS as SKILL_AUDIO_EXTENSIONS } from "../../skill/media/types";
import { stackOutputsSchema } from "../../scripts/lib/stack/outputs";
import { startMoto, type Moto } from "../../testkit/moto";
import {
  type ProgramRun,
  PROGRAM_RUN_GUARD_MS,
  account,
  fakeBundle,
  region,
  runProgram,
  skillId,
  smartHomeProject,
} from "./support/program";

const motoCredentials = { accessKeyId: "testing", secretAccessKey: "testing" };

const devFunctionArn = `arn:aws:lambda:${region}:${account}:function:skillship-dev-skill`;

/** Variables Node or Lambda read themselves; the skill's own configuration does not. */
const runtimeVariables = new Set(["NODE_OPTIONS"]);

/** The variable names `readConfig` asks for, when it reads `env` (the skill's own reader by default). */
function variablesReadBySkill(
  env: Record<string, string>,
  readConfig: (env: Record<string, string>) => unknown = readSkillConfig,
): Set<string> {
  const read = new Set<string>();
  const recording = new Proxy(env, {
    get(target, name) {
      if (typeof name === "string") read.add(name);
      return target[name as string];
    },
  });
  readConfig(recording);
  return read;
}

describe.each([
  ["dev", { skillId, bundleDir: fakeBundle() }],
  ["prod", { skillId, bundleDir: fakeBundle(), developmentEndpoint: devFunctionArn }],
  ["prod", { skillId, bundleDir: fakeBundle(), endpointKind: "https" }],
  [
    "prod",
    {
      skillId,
      bundleDir: fakeBundle(),
      developmentEndpoint: devFunctionArn,
      canarySteps: "5%:5m,25%:10m",
      canaryMaxErrorRate: "1.5",
    },
  ],
])("the %s stack's contracts", (stack, config) => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runProgram({ stack: stack as "dev" | "prod", config });
  });

  it("exports exactly the outputs the CLI's schema declares (and the admin stack's), and they parse", () => {
    expect(run.error).toBeUndefined();
    const declared = Object.keys(stackOutputsSchema.shape).sort();
    const forAdmin: readonly string[] = pipelineOutputKeys;
    const exported = Object.keys(run.outputs).sort();
    expect(declared.filter((key) => forAdmin.includes(key))).toEqual([]);
    // Every exported output is declared by one side; every declared output that is not optional is exported.
    expect(exported.filter((key) => !declared.includes(key) && !forAdmin.includes(key))).toEqual([]);
    const required = declared.filter(
      (key) => !stackOutputsSchema.shape[key as keyof typeof stackOutputsSchema.shape].isOptional(),
    );
    expect(required.filter((key) => !exported.includes(key))).toEqual([]);
    const parsed = stackOutputsSchema.safeParse(run.outputs);
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
  });

  it("exports the canary settings the CLI reads on prod (the configured ones, defaults for the rest), none on dev", () => {
    const parsed = stackOutputsSchema.parse(run.outputs);
    if (stack === "dev") {
      expect(parsed.canary).toBeUndefined();
      return;
    }
    const configured = "canarySteps" in config;
    expect(parsed.canary).toEqual({
      steps: configured
        ? [
            { percent: 5, bakeMinutes: 5 },
            { percent: 25, bakeMinutes: 10 },
          ]
        : [{ percent: 10, bakeMinutes: 10 }],
      minRequests: 100,
      maxErrorRate: configured ? 1.5 : 5,
      maxErrorRateIncrease: 2,
      maxLatencyMs: 3000,
      pollSeconds: 30,
    });
  });

  it("gives the skill function only variables the skill reads", () => {
    const [fn] = run.ofType("aws:lambda/function:Function");
    const variables: Record<string, string> = fn.inputs.environment.variables;
    // Lambda itself sets AWS_REGION in every function's environment.
    const read = variablesReadBySkill({ ...variables, AWS_REGION: region });
    const unread = Object.keys(variables).filter((name) => !runtimeVariables.has(name) && !read.has(name));
    expect(unread).toEqual([]);
  });

  it("gives the skill function the environment the cold-start benchmark measures (bench/lib/deployed.ts)", () => {
    const [fn] = run.ofType("aws:lambda/function:Function");
    const variables: Record<string, string> = fn.inputs.environment.variables;
    const known: readonly string[] = STACK_VARIABLES;
    expect(Object.keys(variables).filter((name) => !known.includes(name))).toEqual([]);
    expect(variables.NODE_OPTIONS ?? "").toBe(STACK_NODE_OPTIONS);
  });
});

it("counts the same files as clips on both sides (the stack's MEDIA_CLIPS, the skill's listing)", () => {
  expect([...STACK_AUDIO_EXTENSIONS].sort()).toEqual([...SKILL_AUDIO_EXTENSIONS].sort());
});

describe("a smart-home stack's token table, variables and secrets, and the home-hub sample", () => {
  const secretParameter = "/home-hub/dev/alexa-client-secret";
  let run: ProgramRun;
  let moto: Moto;
  beforeAll(async () => {
    [run, moto] = await Promise.all([
      runProgram({
        stack: "dev",
        cwd: smartHomeProject(["en-GB", "de-DE"]),
        config: {
          "aws:region": "eu-west-1",
          skillId,
          skillKind: "smartHome",
          bundleDir: fakeBundle(),
          functionEnvironment: JSON.stringify({
            HOME_HUB_URL: "https://hub.example.com",
            ALEXA_SKILL_CLIENT_ID: "amzn1.application-oa2-client.home-hub",
          }),
          functionSecrets: JSON.stringify({ ALEXA_SKILL_CLIENT_SECRET: secretParameter }),
        },
      }),
      startMoto(),
    ]);
  }, PROGRAM_RUN_GUARD_MS);
  afterAll(async () => {
    await moto?.stop();
  });

  it("names the table in TOKEN_TABLE, which the sample reads, keyed as the sample stores tokens", () => {
    expect(run.error).toBeUndefined();
    const [fn] = run.ofType("aws:lambda/function:Function");
    const variables: Record<string, string> = fn.inputs.environment.variables;
    const [table] = run.ofType("aws:dynamodb/table:Table");
    expect(variables.TOKEN_TABLE).toBe(table.inputs.name);
    expect(table.inputs.hashKey).toBe(SAMPLE_TOKEN_TABLE_KEY);
    expect(STACK_TOKEN_TABLE_KEY).toBe(SAMPLE_TOKEN_TABLE_KEY);
  });

  it("starts the sample from the function's environment, its secret read from Parameter Store", async () => {
    const ssm = new SSMClient({ region: "eu-west-1", endpoint: moto.url, credentials: motoCredentials });
    await ssm.send(
      new PutParameterCommand({ Name: secretParameter, Value: "messaging-secret", Type: "SecureString" }),
    );
    const [fn] = run.ofType("aws:lambda/function:Function");
    const variables: Record<string, string> = fn.inputs.environment.variables;
    const env = await withFunctionSecrets({ ...variables, AWS_REGION: "eu-west-1" }, { client: ssm });
    ssm.destroy();
    expect(readHomeHubConfig(env)).toMatchObject({
      hubUrl: "https://hub.example.com",
      tokenTable: variables.TOKEN_TABLE,
      skillClient: { clientId: "amzn1.application-oa2-client.home-hub", clientSecret: "messaging-secret" },
    });
    // Every variable the sample requires comes from the stack (or, for the secret, through it).
    const fromSecrets = Object.keys(JSON.parse(variables.SKILLSHIP_SECRETS!).parameters);
    expect(
      HOME_HUB_VARIABLES.required.filter((name) => !(name in variables) && !fromSecrets.includes(name)),
    ).toEqual([]);
  });
});
