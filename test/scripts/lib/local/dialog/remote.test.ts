import { parseDialogFile } from "../../../../../scripts/lib/local/dialog/format";
import { createRemoteExecutor, NOT_INVOKED } from "../../../../../scripts/lib/local/dialog/remote";
import { runDialog } from "../../../../../scripts/lib/local/dialog/runner";
import { readSkillPackage, type SkillPackage } from "../../../../../scripts/lib/package/skill-package";
import { createSimulationPort } from "../../../../../scripts/lib/adapters/smapi";
import { localSkillSimulation } from "../../../../../testkit/fakes/local-simulation";
import {
  FAKE_SKILL_ID,
  startFakeSmapi,
  type FakeSmapi,
  type SimulateFunction,
} from "../../../../../testkit/fakes/smapi";
import { readEnvironment } from "../../../../../scripts/lib/core/env";

const fast = { attempts: 3, initialDelayMs: 1, maxDelayMs: 2 };

let pkg: SkillPackage;

beforeAll(async () => {
  pkg = await readSkillPackage("skill-package");
});

function localSimulation(): SimulateFunction {
  return localSkillSimulation(pkg);
}

const dialog = parseDialogFile(
  `locale: en-US
turns:
  - say: open joke box
    expect: { intent: LaunchRequest, speech: welcome to joke box, directives: [AudioPlayer.Play], sessionEnded: true }
  - say: ask joke box for help
    expect: { intent: AMAZON.HelpIntent, speech: /say play a joke/i, directives: [], sessionEnded: false }
  - say: ask joke box to play clip two
    expect: { intent: PlayClipIntent, directives: [AudioPlayer.Play] }
  - say: stop
    expect: { intent: AMAZON.StopIntent, directives: [AudioPlayer.Stop] }
`,
  "test/dialogs/remote-en.yaml",
);

describe("remote dialog executor over the Skill Management API simulation", () => {
  let fake: FakeSmapi;

  afterEach(async () => {
    await fake.close();
  });

  it("replays a dialog file against the deployed stage and passes where the skill answers as expected", async () => {
    fake = await startFakeSmapi({ simulate: localSimulation(), simulationPolls: 2 });
    const simulations = createSimulationPort({ env: readEnvironment(fake.env), retryPolicy: fast });
    const executor = createRemoteExecutor({
      simulations,
      skillId: FAKE_SKILL_ID,
      stage: "development",
      pollIntervalMs: 1,
    });

    const report = await runDialog(dialog, executor);

    expect(report.turns.flatMap((turn) => turn.failures)).toEqual([]);
    expect(report.passed).toBe(true);
    // Each turn: one start, then reads until the simulation finished; the first turn forces a new session.
    expect(fake.callsTo("simulateSkill")).toHaveLength(4);
    expect(fake.callsTo("getSimulation").length).toBeGreaterThanOrEqual(8);
    expect(fake.callsTo("simulateSkill")[0].body).toMatchObject({
      input: { content: "open joke box" },
      device: { locale: "en-US" },
      session: { mode: "FORCE_NEW_SESSION" },
    });
    expect(fake.callsTo("simulateSkill")[1].body).toMatchObject({ session: { mode: "DEFAULT" } });
  });

  it("fails the turn whose answer differs, naming what was expected and what came back", async () => {
    fake = await startFakeSmapi({ simulate: localSimulation() });
    const simulations = createSimulationPort({ env: readEnvironment(fake.env), retryPolicy: fast });
    const executor = createRemoteExecutor({
      simulations,
      skillId: FAKE_SKILL_ID,
      stage: "development",
      pollIntervalMs: 1,
    });
    const wrong = parseDialogFile(
      `locale: de-DE
turns:
  - say: öffne witze kiste
    expect: { intent: LaunchRequest, speech: welcome to joke box }
`,
      "test/dialogs/remote-de.yaml",
    );

    const report = await runDialog(wrong, executor);

    expect(report.passed).toBe(false);
    expect(report.turns[0].failures).toEqual([
      'speech: expected "welcome to joke box", got "Willkommen bei Witze Kiste! Hier ist ein Witz für dich."',
    ]);
  });

  it("reports Alexa's own answer when the skill was not invoked, and a failed simulation as a failed turn", async () => {
    const answers: SimulateFunction[] = [
      async () => ({ consideredIntents: [] }),
      async () => ({ error: "The skill endpoint could not be reached" }),
    ];
    fake = await startFakeSmapi({ simulate: (input) => (answers.shift() as SimulateFunction)(input) });
    const simulations = createSimulationPort({ env: readEnvironment(fake.env), retryPolicy: fast });
    const executor = createRemoteExecutor({
      simulations,
      skillId: FAKE_SKILL_ID,
      stage: "live",
      pollIntervalMs: 1,
    });
    fake.addSkill({ skillId: FAKE_SKILL_ID, live: {} });

    const first = await executor.turn("what's the weather", "en-US");
    expect(first).toMatchObject({ requestType: NOT_INVOKED, directives: [], sessionEnded: true });

    await expect(executor.turn("open joke box", "en-US")).rejects.toThrow(
      /simulation of "open joke box" on the live stage of .* failed: The skill endpoint could not be reached/,
    );
  });
});
