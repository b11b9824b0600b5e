// Over 350 lines on purpose: every handler in every locale, through skill.invoke, in one table-driven suite.
import type { interfaces, ResponseEnvelope } from "ask-sdk-model";
import { MESSAGES, SUPPORTED_LOCALES } from "../../../skill/i18n";
import { clipOfToken } from "../../../skill/playback";
import {
  audioPlayerEvent,
  exceptionEncountered,
  intentRequest,
  launchRequest,
  playbackCommand,
  sessionEndedRequest,
  TEST_SKILL_ID,
} from "../../../testkit/envelopes";
import { invoke, LIBRARY, memoryMedia, testSkill } from "../fixtures";

type PlayDirective = interfaces.audioplayer.PlayDirective;

function playDirective(answer: ResponseEnvelope): PlayDirective {
  const directives = answer.response.directives ?? [];
  expect(directives).toHaveLength(1);
  expect(directives[0].type).toBe("AudioPlayer.Play");
  return directives[0] as PlayDirective;
}

function playedClip(answer: ResponseEnvelope): string {
  const stream = playDirective(answer).audioItem?.stream;
  const clip = clipOfToken(stream?.token);
  expect(clip).toBeDefined();
  expect(stream?.url).toBe(`https://media.test/${clip}`);
  return clip as string;
}

function speech(answer: ResponseEnvelope): string | undefined {
  const output = answer.response.outputSpeech as { ssml?: string } | undefined;
  return output?.ssml?.replace(/^<speak>|<\/speak>$/g, "");
}

describe.each(SUPPORTED_LOCALES)("Jokebox in %s", (locale) => {
  const messages = MESSAGES[locale];
  const folder = `${locale.slice(0, 2)}/`;
  const ownClips = LIBRARY.filter((key) => key.startsWith(folder));
  const current = `abcdefgh:${ownClips[0]}`;

  it("welcomes on launch, then plays a clip of the user's language", async () => {
    const { skill } = testSkill();

    const answer = await invoke(skill, launchRequest({ locale }));

    expect(speech(answer)).toBe(messages.welcome);
    expect(playDirective(answer).playBehavior).toBe("REPLACE_ALL");
    expect(playedClip(answer).startsWith(folder)).toBe(true);
    expect(playDirective(answer).audioItem?.stream?.offsetInMilliseconds).toBe(0);
    expect(answer.response.shouldEndSession).toBe(true);
  });

  it("plays a clip for PlayClipIntent, silently", async () => {
    const { skill } = testSkill();

    const answer = await invoke(skill, intentRequest("PlayClipIntent", {}, { locale }));

    expect(speech(answer)).toBeUndefined();
    expect(ownClips).toContain(playedClip(answer));
  });

  it("plays the numbered clip of the user's list when it exists", async () => {
    const { skill } = testSkill();

    const answer = await invoke(skill, intentRequest("PlayClipIntent", { number: "2" }, { locale }));

    expect(playedClip(answer)).toBe(ownClips[1]);
  });

  it("says so and plays a random clip when the numbered clip does not exist", async () => {
    const { skill } = testSkill();

    const answer = await invoke(skill, intentRequest("PlayClipIntent", { number: "42" }, { locale }));

    expect(speech(answer)).toBe(messages.clipNotFound.replace("{{number}}", "42"));
    expect(ownClips).toContain(playedClip(answer));
  });

  it.each(["AMAZON.PauseIntent", "AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.NavigateHomeIntent"])(
    "stops playback on %s",
    async (intent) => {
      const { skill } = testSkill();

      const answer = await invoke(
        skill,
        intentRequest(intent, {}, { locale, audioPlayer: { token: current } }),
      );

      expect(answer.response.directives).toEqual([{ type: "AudioPlayer.Stop" }]);
      expect(answer.response.outputSpeech).toBeUndefined();
      expect(answer.response.shouldEndSession).toBe(true);
    },
  );

  it("resumes the same clip at the offset Alexa reports", async () => {
    const { skill } = testSkill();
    const audioPlayer = { token: current, offsetInMilliseconds: 12_345 };

    const answer = await invoke(skill, intentRequest("AMAZON.ResumeIntent", {}, { locale, audioPlayer }));

    const stream = playDirective(answer).audioItem?.stream;
    expect(playDirective(answer).playBehavior).toBe("REPLACE_ALL");
    expect(stream?.token).toBe(current);
    expect(stream?.url).toBe(`https://media.test/${ownClips[0]}`);
    expect(stream?.offsetInMilliseconds).toBe(12_345);
  });

  it("plays a new clip from the start when there is nothing to resume", async () => {
    const { skill } = testSkill();

    const answer = await invoke(skill, intentRequest("AMAZON.ResumeIntent", {}, { locale }));

    expect(ownClips).toContain(playedClip(answer));
    expect(playDirective(answer).audioItem?.stream?.offsetInMilliseconds).toBe(0);
  });

  it("never repeats the current clip on next", async () => {
    const { skill } = testSkill();

    for (let round = 0; round < 25; round += 1) {
      const answer = await invoke(
        skill,
        intentRequest("AMAZON.NextIntent", {}, { locale, audioPlayer: { token: current } }),
      );
      const clip = playedClip(answer);
      expect(clip).not.toBe(ownClips[0]);
      expect(ownClips).toContain(clip);
    }
  });

  it.each(["AMAZON.PreviousIntent", "AMAZON.StartOverIntent", "AMAZON.RepeatIntent"])(
    "plays the current clip from the start on %s",
    async (intent) => {
      const { skill } = testSkill();
      const audioPlayer = { token: current, offsetInMilliseconds: 9_000 };

      const answer = await invoke(skill, intentRequest(intent, {}, { locale, audioPlayer }));

      expect(playedClip(answer)).toBe(ownClips[0]);
      expect(playDirective(answer).audioItem?.stream?.offsetInMilliseconds).toBe(0);
    },
  );

  it.each([
    ["AMAZON.LoopOnIntent", "loopUnsupported"],
    ["AMAZON.LoopOffIntent", "loopUnsupported"],
    ["AMAZON.ShuffleOnIntent", "shuffleOn"],
    ["AMAZON.ShuffleOffIntent", "shuffleOff"],
  ] as const)("answers %s gracefully", async (intent, key) => {
    const { skill } = testSkill();

    const answer = await invoke(
      skill,
      intentRequest(intent, {}, { locale, audioPlayer: { token: current } }),
    );

    expect(speech(answer)).toBe(messages[key]);
    expect(answer.response.directives).toBeUndefined();
  });

  it("explains itself on help and keeps the session open", async () => {
    const { skill } = testSkill();

    const answer = await invoke(skill, intentRequest("AMAZON.HelpIntent", {}, { locale }));

    expect(speech(answer)).toBe(messages.help);
    expect(answer.response.reprompt?.outputSpeech).toEqual({
      type: "SSML",
      ssml: `<speak>${messages.helpReprompt}</speak>`,
    });
    expect(answer.response.shouldEndSession).toBe(false);
  });

  it.each(["AMAZON.FallbackIntent", "WhatIsTheWeatherIntent"])("sends %s to the fallback", async (intent) => {
    const { skill } = testSkill();

    const answer = await invoke(skill, intentRequest(intent, {}, { locale }));

    expect(speech(answer)).toBe(messages.fallback);
    expect(answer.response.shouldEndSession).toBe(false);
  });

  it("answers SessionEndedRequest with nothing and logs the reason", async () => {
    const { skill, logs } = testSkill();

    const answer = await invoke(skill, sessionEndedRequest("ERROR", { locale }));

    expect(answer.response).toEqual({});
    expect(logs[0]).toMatchObject({ requestType: "SessionEndedRequest", reason: "ERROR", locale });
  });

  it.each(["PlaybackStarted", "PlaybackFinished", "PlaybackStopped"] as const)(
    "acknowledges %s with an empty response",
    async (event) => {
      const { skill } = testSkill();

      const answer = await invoke(skill, audioPlayerEvent(event, current, { locale }));

      expect(answer.response).toEqual({});
    },
  );

  it("enqueues another clip after the current one when playback nearly finishes", async () => {
    const { skill } = testSkill();

    const answer = await invoke(skill, audioPlayerEvent("PlaybackNearlyFinished", current, { locale }));

    const directive = playDirective(answer);
    expect(directive.playBehavior).toBe("ENQUEUE");
    expect(directive.audioItem?.stream?.expectedPreviousToken).toBe(current);
    expect(directive.audioItem?.stream?.token).not.toBe(current);
    const clip = playedClip(answer);
    expect(clip).not.toBe(ownClips[0]);
    expect(ownClips).toContain(clip);
  });

  it("logs a failed playback and recovers with another clip", async () => {
    const { skill, logs } = testSkill();

    const answer = await invoke(skill, audioPlayerEvent("PlaybackFailed", current, { locale }));

    expect(playDirective(answer).playBehavior).toBe("REPLACE_ALL");
    expect(playedClip(answer)).not.toBe(ownClips[0]);
    expect(logs[0]).toMatchObject({
      level: "error",
      playbackError: { clip: ownClips[0], type: "MEDIA_ERROR_SERVICE_UNAVAILABLE" },
    });
  });

  it("resumes at the reported offset on the play button", async () => {
    const { skill } = testSkill();
    const audioPlayer = { token: current, offsetInMilliseconds: 777 };

    const answer = await invoke(skill, playbackCommand("Play", { locale, audioPlayer }));

    expect(playDirective(answer).audioItem?.stream).toMatchObject({
      token: current,
      offsetInMilliseconds: 777,
    });
  });

  it("stops on the pause button, with AudioPlayer directives only", async () => {
    const { skill } = testSkill();

    const answer = await invoke(skill, playbackCommand("Pause", { locale, audioPlayer: { token: current } }));

    expect(answer.response).toEqual({ directives: [{ type: "AudioPlayer.Stop" }] });
  });

  it("plays another clip on the next button and restarts on previous", async () => {
    const { skill } = testSkill();
    const audioPlayer = { token: current, offsetInMilliseconds: 5_000 };

    const next = await invoke(skill, playbackCommand("Next", { locale, audioPlayer }));
    const previous = await invoke(skill, playbackCommand("Previous", { locale, audioPlayer }));

    expect(playedClip(next)).not.toBe(ownClips[0]);
    expect(playedClip(previous)).toBe(ownClips[0]);
    expect(playDirective(previous).audioItem?.stream?.offsetInMilliseconds).toBe(0);
  });

  it("logs System.ExceptionEncountered and answers nothing", async () => {
    const { skill, logs } = testSkill();

    const answer = await invoke(skill, exceptionEncountered({ locale }));

    expect(answer.response).toEqual({});
    expect(logs[0]).toMatchObject({ level: "error", exception: { type: "INVALID_RESPONSE" } });
  });

  it("apologises in the user's language when the library is empty", async () => {
    const { skill } = testSkill(memoryMedia([]));

    const launch = await invoke(skill, launchRequest({ locale }));
    const nearlyFinished = await invoke(
      skill,
      audioPlayerEvent("PlaybackNearlyFinished", current, { locale }),
    );

    expect(speech(launch)).toBe(messages.emptyLibrary);
    expect(launch.response.directives).toBeUndefined();
    expect(nearlyFinished.response).toEqual({});
  });

  it("answers an error in the user's language and logs it", async () => {
    const media = {
      listClips: () => Promise.reject(new Error("bucket unreachable")),
      urlFor: async () => "",
    };
    const { skill, logs } = testSkill(media);

    const launch = await invoke(skill, launchRequest({ locale }));
    const next = await invoke(skill, playbackCommand("Next", { locale }));

    expect(speech(launch)).toBe(messages.error);
    expect(launch.response.shouldEndSession).toBe(true);
    expect(next.response).toEqual({});
    expect(logs[0]).toMatchObject({ level: "error", error: { message: "bucket unreachable" } });
  });
});

describe("Jokebox across locales", () => {
  it("falls back to the whole library when the user's language folder is empty", async () => {
    const { skill } = testSkill(memoryMedia(["en/only.mp3"]));

    const answer = await invoke(skill, launchRequest({ locale: "de-DE" }));

    expect(playedClip(answer)).toBe("en/only.mp3");
    expect(speech(answer)).toBe(MESSAGES["de-DE"].welcome);
  });

  it("speaks the closest supported locale for another variant of a language", async () => {
    const { skill } = testSkill();

    const answer = await invoke(skill, intentRequest("AMAZON.HelpIntent", {}, { locale: "en-AU" }));

    expect(speech(answer)).toBe(MESSAGES["en-US"].help);
  });

  it("repeats the only clip on next when there is no other", async () => {
    const { skill } = testSkill(memoryMedia(["en/only.mp3"]));
    const token = "abcdefgh:en/only.mp3";

    const answer = await invoke(skill, intentRequest("AMAZON.NextIntent", {}, { audioPlayer: { token } }));

    expect(playedClip(answer)).toBe("en/only.mp3");
    expect(playDirective(answer).audioItem?.stream?.token).not.toBe(token);
  });

  it("plays a new clip when the token names a clip no longer in the library", async () => {
    const { skill } = testSkill();
    const audioPlayer = { token: "abcdefgh:en/deleted.mp3", offsetInMilliseconds: 3_000 };

    const answer = await invoke(skill, intentRequest("AMAZON.ResumeIntent", {}, { audioPlayer }));

    expect(LIBRARY).toContain(playedClip(answer));
    expect(playDirective(answer).audioItem?.stream?.offsetInMilliseconds).toBe(0);
  });

  it("writes one structured log line per request", async () => {
    const { skill, logs } = testSkill();

    await invoke(skill, intentRequest("PlayClipIntent", {}, { locale: "fr-FR" }));

    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({
      level: "info",
      requestType: "IntentRequest",
      intent: "PlayClipIntent",
      locale: "fr-FR",
    });
    expect(typeof logs[0].latencyMs).toBe("number");
    expect(logs[0].error).toBeUndefined();
  });

  it("rejects requests for another skill when a skill id is configured, and logs it", async () => {
    const { skill, logs } = testSkill(memoryMedia(), { skillId: TEST_SKILL_ID });

    await expect(skill.invoke(launchRequest({ skillId: "amzn1.ask.skill.other" }))).rejects.toThrow(
      /ID verification/,
    );
    const accepted = await invoke(skill, launchRequest());

    expect(logs[0]).toMatchObject({ level: "error", requestType: "LaunchRequest" });
    expect(accepted.response.directives).toHaveLength(1);
  });
});
