import type { ResponseEnvelope } from "ask-sdk-model";
import { SimulatedDevice } from "../../../../../scripts/lib/local/dialog/device";
import type { Resolution } from "../../../../../scripts/lib/local/nlu/resolver";

const launch: Resolution = { requestType: "LaunchRequest", invoked: true };
const pause: Resolution = {
  requestType: "IntentRequest",
  intent: "AMAZON.PauseIntent",
  slots: {},
  invoked: false,
  matchedBy: "built-in",
};
const help: Resolution = {
  requestType: "IntentRequest",
  intent: "AMAZON.HelpIntent",
  slots: {},
  invoked: false,
  matchedBy: "built-in",
};

function answer(
  response: ResponseEnvelope["response"],
  sessionAttributes?: Record<string, unknown>,
): ResponseEnvelope {
  return { version: "1.0", response, sessionAttributes };
}

const play = (token: string, offsetInMilliseconds = 0) =>
  answer({
    directives: [
      {
        type: "AudioPlayer.Play",
        playBehavior: "REPLACE_ALL",
        audioItem: { stream: { url: "https://x/a.mp3", token, offsetInMilliseconds } },
      },
    ],
    shouldEndSession: true,
  });

describe("SimulatedDevice", () => {
  it("plays, then stops at an offset that grew with the time played, and reports it on the next request", () => {
    let now = 1_000_000;
    const device = new SimulatedDevice({ now: () => now });
    const first = device.request(launch, "en-US");
    expect(first.context.AudioPlayer).toEqual({ playerActivity: "IDLE", offsetInMilliseconds: 0 });
    device.receive(play("t1", 500));
    now += 2_000;
    expect(device.request(pause, "en-US").context.AudioPlayer).toEqual({
      playerActivity: "PLAYING",
      token: "t1",
      offsetInMilliseconds: 2_500,
    });
    device.receive(answer({ directives: [{ type: "AudioPlayer.Stop" }] }));
    now += 10_000;
    expect(device.audioPlayer()).toEqual({
      playerActivity: "STOPPED",
      token: "t1",
      offsetInMilliseconds: 2_500,
    });
  });

  it("keeps the session and its attributes while the skill listens, and starts a new one after it ended", () => {
    const device = new SimulatedDevice();
    const opened = device.request(launch, "de-DE");
    expect(opened.session?.new).toBe(true);
    expect(opened.request).toMatchObject({ type: "LaunchRequest", locale: "de-DE" });
    device.receive(answer({ shouldEndSession: false }, { asked: "help" }));
    const next = device.request(help, "de-DE");
    expect(next.session).toMatchObject({
      new: false,
      sessionId: opened.session?.sessionId,
      attributes: { asked: "help" },
    });
    device.receive(answer({ shouldEndSession: true }));
    const after = device.request(help, "de-DE");
    expect(after.session?.new).toBe(true);
    expect(after.session?.sessionId).not.toBe(opened.session?.sessionId);
  });

  it("sends slots as Alexa fills them", () => {
    const envelope = new SimulatedDevice().request(
      {
        requestType: "IntentRequest",
        intent: "PlayClipIntent",
        slots: { number: { name: "number", type: "AMAZON.NUMBER", value: "2" } },
        invoked: true,
        matchedBy: "sample",
      },
      "en-US",
    );
    expect(envelope.request).toMatchObject({
      type: "IntentRequest",
      intent: {
        name: "PlayClipIntent",
        slots: { number: { name: "number", value: "2", confirmationStatus: "NONE" } },
      },
    });
  });
});
