import { parseDialogFile } from "../../../../../scripts/lib/local/dialog/format";
import {
  formatDialogReport,
  runDialog,
  type TurnExecutor,
  type TurnResult,
} from "../../../../../scripts/lib/local/dialog/runner";

const dialog = parseDialogFile(
  `locale: en-US
turns:
  - say: open joke box
    expect: { intent: LaunchRequest, speech: welcome, directives: [AudioPlayer.Play], sessionEnded: true }
  - say: pause
    expect: { intent: AMAZON.PauseIntent, directives: [AudioPlayer.Stop] }
`,
  "test/dialogs/en.yaml",
);

function executorOf(results: (TurnResult | Error)[]): TurnExecutor & { said: string[] } {
  const said: string[] = [];
  return {
    said,
    async turn(say) {
      said.push(say);
      const next = results.shift();
      if (next === undefined || next instanceof Error) throw next ?? new Error("no more results");
      return next;
    },
  };
}

const launch: TurnResult = {
  requestType: "LaunchRequest",
  speech: "Welcome to Joke Box.",
  directives: [{ type: "AudioPlayer.Play", url: "http://x/a.mp3", token: "a" }],
  sessionEnded: true,
  raw: {},
};

describe("runDialog", () => {
  it("passes when every expectation holds", async () => {
    const executor = executorOf([
      launch,
      {
        requestType: "IntentRequest",
        intent: "AMAZON.PauseIntent",
        directives: [{ type: "AudioPlayer.Stop" }],
        sessionEnded: true,
        raw: {},
      },
    ]);
    const report = await runDialog(dialog, executor);
    expect(report.passed).toBe(true);
    expect(executor.said).toEqual(["open joke box", "pause"]);
  });

  it("reports each mismatch readably", async () => {
    const report = await runDialog(
      dialog,
      executorOf([
        { ...launch, speech: "Hello", directives: [], sessionEnded: false },
        {
          requestType: "IntentRequest",
          intent: "AMAZON.FallbackIntent",
          directives: [],
          sessionEnded: true,
          raw: {},
        },
      ]),
    );
    expect(report.passed).toBe(false);
    expect(report.turns[0].failures).toEqual([
      'speech: expected "welcome", got "Hello"',
      "directives: expected [AudioPlayer.Play], got none",
      "sessionEnded: expected true, got false (the session stays open)",
    ]);
    expect(report.turns[1].failures).toEqual([
      "intent: expected AMAZON.PauseIntent, got AMAZON.FallbackIntent",
      "directives: expected [AudioPlayer.Stop], got none",
    ]);
    expect(formatDialogReport(report)).toContain("FAIL turn 2 (line 5): pause");
  });

  it("stops at a turn that cannot run and says how many were left", async () => {
    const report = await runDialog(dialog, executorOf([new Error("connection refused")]));
    expect(report.passed).toBe(false);
    expect(report.notRun).toBe(1);
    expect(formatDialogReport(report)).toContain("the turn failed: connection refused");
  });
});
