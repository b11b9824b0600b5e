import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { remoteExecutorFromFlags } from "../../../scripts/commands/dialog";
import { readEnvironment } from "../../../scripts/lib/core/env";
import { ConfigError, UsageError } from "../../../scripts/lib/core/errors";
import { readSkillPackage } from "../../../scripts/lib/package/skill-package";
import { localSkillSimulation } from "../../../testkit/fakes/local-simulation";
import { FAKE_SKILL_ID, startFakeSmapi, type FakeSmapi } from "../../../testkit/fakes/smapi";
import { plainEnv, runCli, tempDir, writeOutputs } from "./cli-harness";

function dialogFile(text: string): string {
  const file = join(tempDir("skillship-dialog-"), "smoke.yaml");
  writeFileSync(file, text);
  return file;
}

const smoke = `locale: en-US
turns:
  - say: open joke box
    expect: { intent: LaunchRequest, speech: welcome, directives: [AudioPlayer.Play] }
  - say: ask joke box for help
    expect: { intent: AMAZON.HelpIntent, sessionEnded: false }
`;

describe("skillship dialog --remote", () => {
  let fake: FakeSmapi;

  beforeEach(async () => {
    fake = await startFakeSmapi({ simulate: localSkillSimulation(await readSkillPackage("skill-package")) });
  });

  afterEach(async () => {
    await fake.close();
  });

  it("replays a dialog file on the development stage through the simulation and exits 0", async () => {
    const file = dialogFile(smoke);

    const run = await runCli(["dialog", "--remote", "--replay", file, "--skill-id", FAKE_SKILL_ID], {
      ...plainEnv,
      ...fake.env,
    });

    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Simulating ${file} on the development stage of ${FAKE_SKILL_ID}`);
    expect(run.stdout).toMatch(/PASS .*smoke\.yaml \(en-US\)/);
    expect(fake.callsTo("simulateSkill").map((call) => call.path)).toEqual([
      `/v2/skills/${FAKE_SKILL_ID}/stages/development/simulations`,
      `/v2/skills/${FAKE_SKILL_ID}/stages/development/simulations`,
    ]);
  });

  it("exits 1 naming the failed turn when the deployed skill answers otherwise", async () => {
    const file = dialogFile(`locale: en-US
turns:
  - say: open joke box
    expect: { intent: AMAZON.HelpIntent }
`);
    const outputs = writeOutputs({
      skillId: FAKE_SKILL_ID,
      stack: "dev",
      endpointKind: "lambda",
      functionName: "jokebox-dev",
      functionArn: "arn:aws:lambda:eu-west-1:123456789012:function:jokebox-dev",
      developmentEndpoint: "arn:aws:lambda:eu-west-1:123456789012:function:jokebox-dev",
    });

    const run = await runCli(["dialog", "--remote", "--replay", file, "--outputs", outputs], {
      ...plainEnv,
      ...fake.env,
    });

    expect(run.code).toBe(1);
    expect(run.stdout).toContain("intent: expected AMAZON.HelpIntent, got LaunchRequest");
    expect(run.stderr).toMatch(/1 of 1 turns of .*smoke\.yaml failed their expectations/);
  });

  it("exits 2 naming the missing credential before any call, and refuses --remote without --replay", async () => {
    const file = dialogFile(smoke);

    const missing = await runCli(["dialog", "--remote", "--replay", file, "--skill-id", FAKE_SKILL_ID], {
      ...plainEnv,
      ...fake.env,
      ASK_LWA_CLIENT_ID: undefined,
    });
    const noReplay = await runCli(["dialog", "--remote", "--skill-id", FAKE_SKILL_ID], {
      ...plainEnv,
      ...fake.env,
    });

    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/Environment variable ASK_LWA_CLIENT_ID is required/);
    expect(noReplay.code).toBe(2);
    expect(noReplay.stderr).toMatch(
      /--remote runs a dialog file against the deployed skill: pass --replay FILE/,
    );
    expect(fake.calls).toHaveLength(0);
  });
});

describe("remoteExecutorFromFlags", () => {
  const fast = { attempts: 3, initialDelayMs: 1, maxDelayMs: 2 };
  let fake: FakeSmapi;

  afterEach(async () => {
    await fake.close();
  });

  it("builds the executor from the dialog command's flags, checking them before any call", async () => {
    fake = await startFakeSmapi({ simulate: localSkillSimulation(await readSkillPackage("skill-package")) });
    const env = readEnvironment(fake.env);

    expect(() => remoteExecutorFromFlags({ stage: "certified", skillId: FAKE_SKILL_ID }, { env })).toThrow(
      new UsageError('--stage must be development or live, got "certified"'),
    );
    expect(() => remoteExecutorFromFlags({}, { env })).toThrow(/Which skill\? Pass --outputs FILE/);
    expect(() =>
      remoteExecutorFromFlags(
        { skillId: FAKE_SKILL_ID },
        { env: readEnvironment({ ...fake.env, ASK_REFRESH_TOKEN: undefined }) },
      ),
    ).toThrow(ConfigError);
    expect(fake.calls).toHaveLength(0);

    const remote = remoteExecutorFromFlags(
      { skillId: FAKE_SKILL_ID },
      { env, retryPolicy: fast, pollIntervalMs: 1 },
    );
    expect(remote.stage).toBe("development");
    const result = await remote.executor.turn("open joke box", "en-US");
    expect(result).toMatchObject({
      requestType: "LaunchRequest",
      directives: [{ type: "AudioPlayer.Play" }],
    });
  });
});
