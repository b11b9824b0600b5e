import type { Response } from "ask-sdk-model";
import { MESSAGES } from "../../skill/i18n";
import { MAX_SPEECH_CHARACTERS, responseViolations } from "../../skill/rules";
import { audioPlayerEvent, launchRequest, playbackCommand } from "../../testkit/envelopes";
import { invoke, memoryMedia, testSkill } from "./fixtures";

function play(url: string, token = "abcdefgh:en/a.mp3", extra: Record<string, unknown> = {}): Response {
  return {
    directives: [
      {
        type: "AudioPlayer.Play",
        playBehavior: "REPLACE_ALL",
        audioItem: { stream: { url, token, offsetInMilliseconds: 0, ...extra } },
      },
    ],
  } as Response;
}

describe("responseViolations", () => {
  it("accepts a valid play directive over HTTPS", () => {
    expect(responseViolations("AudioPlayer.PlaybackFailed", play("https://cdn.test/a.mp3"))).toEqual([]);
  });

  it("accepts http only from a loopback host", () => {
    expect(responseViolations("LaunchRequest", play("http://127.0.0.1:3000/media/en/a.mp3"))).toEqual([]);
    expect(responseViolations("LaunchRequest", play("http://localhost:3000/media/en/a.mp3"))).toEqual([]);
    expect(responseViolations("LaunchRequest", play("http://cdn.test/a.mp3"))).toEqual([
      "response.directives[0] streams from http://cdn.test, but Alexa streams only over HTTPS",
    ]);
  });

  it("refuses speech, cards, reprompts and other directives in reply to AudioPlayer and PlaybackController", () => {
    const response = {
      outputSpeech: { type: "PlainText", text: "hi" },
      card: { type: "Simple", title: "t", content: "c" },
      reprompt: { outputSpeech: { type: "PlainText", text: "hi" } },
      directives: [{ type: "Dialog.Delegate" }],
    } as Response;

    const violations = responseViolations("PlaybackController.NextCommandIssued", response);

    expect(violations).toEqual([
      "response.outputSpeech is not allowed in reply to PlaybackController.NextCommandIssued",
      "response.card is not allowed in reply to PlaybackController.NextCommandIssued",
      "response.reprompt is not allowed in reply to PlaybackController.NextCommandIssued",
      "response.directives[0] is Dialog.Delegate, but PlaybackController.NextCommandIssued allows AudioPlayer directives only",
    ]);
  });

  it("refuses tokens over 1024 characters and empty ones", () => {
    expect(responseViolations("LaunchRequest", play("https://cdn.test/a.mp3", "t".repeat(1025)))).toEqual([
      "response.directives[0].audioItem.stream.token must be 1 to 1024 characters",
    ]);
    expect(responseViolations("LaunchRequest", play("https://cdn.test/a.mp3", "t".repeat(1024)))).toEqual([]);
  });

  it("refuses speech over 8000 characters", () => {
    const long = {
      outputSpeech: { type: "SSML", ssml: `<speak>${"a".repeat(MAX_SPEECH_CHARACTERS)}</speak>` },
    };

    expect(responseViolations("IntentRequest", long as Response)).toEqual([
      "response.outputSpeech is longer than 8000 characters",
    ]);
  });

  it("refuses responses of 24 KB or more", () => {
    const big = { card: { type: "Simple", title: "t", content: "x".repeat(24 * 1024) } } as Response;

    expect(responseViolations("IntentRequest", big)[0]).toMatch(
      /^the response is \d+ bytes, Alexa's limit is 24 KB$/,
    );
  });

  it("requires expectedPreviousToken with ENQUEUE and only there", () => {
    const enqueue = play("https://cdn.test/a.mp3");
    (enqueue.directives?.[0] as { playBehavior: string }).playBehavior = "ENQUEUE";

    expect(responseViolations("AudioPlayer.PlaybackNearlyFinished", enqueue)).toEqual([
      "response.directives[0] enqueues without audioItem.stream.expectedPreviousToken",
    ]);
    expect(
      responseViolations(
        "LaunchRequest",
        play("https://cdn.test/a.mp3", "a", { expectedPreviousToken: "b" }),
      ),
    ).toEqual(["response.directives[0] sets expectedPreviousToken, which only ENQUEUE allows"]);
  });
});

describe("the response rules interceptor", () => {
  it("turns a response that would stream over plain http into a logged error and a spoken apology", async () => {
    const { skill, logs } = testSkill(memoryMedia(["en/a.mp3"], "http://cdn.test/"));

    const answer = await invoke(skill, launchRequest({ locale: "es-ES" }));

    expect(answer.response.directives).toBeUndefined();
    expect(answer.response.outputSpeech).toEqual({
      type: "SSML",
      ssml: `<speak>${MESSAGES["es-ES"].error}</speak>`,
    });
    expect(logs[0]).toMatchObject({ level: "error", error: { name: "ResponseRuleError" } });
    expect(String((logs[0].error as { message: string }).message)).toContain("only over HTTPS");
  });

  it("answers an AudioPlayer request that breaks a rule with an empty response", async () => {
    const longKey = `en/${"k".repeat(1100)}.mp3`;
    const { skill, logs } = testSkill(memoryMedia([longKey]));

    const nearlyFinished = await invoke(
      skill,
      audioPlayerEvent("PlaybackNearlyFinished", "abcdefgh:en/x.mp3"),
    );
    const next = await invoke(skill, playbackCommand("Next"));

    expect(nearlyFinished.response).toEqual({});
    expect(next.response).toEqual({});
    expect(logs.map((entry) => entry.level)).toEqual(["error", "error"]);
  });
});
