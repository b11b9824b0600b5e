/**
 * During a canary the live alias sends each request to the old or the new version at random, so one user's session
 * hops between them mid-conversation (and back, after a rollback). What crosses versions is what Alexa keeps for
 * the skill: the session attributes and the AudioPlayer's stream tokens. These tests hold the skill to the rule in
 * docs/skill.md: every version reads what the previous one wrote, and a format change is visible here first.
 */
import type { interfaces, RequestEnvelope, ResponseEnvelope } from "ask-sdk-model";
import { clipOfToken } from "../../skill/playback";
import { createLambdaHandlers } from "../../skill/endpoints";
import { responseViolations } from "../../skill/rules";
import {
  audioPlayerEvent,
  intentRequest,
  launchRequest,
  playbackCommand,
  sessionEndedRequest,
  TEST_SKILL_ID,
  type AudioPlayerContext,
} from "../../testkit/envelopes";
import { memoryMedia } from "./fixtures";

/**
 * What released versions wrote into a user's session, oldest first: a session that started on any of them may
 * continue on the current code. When the skill starts writing a new shape, add it at the end and keep the others
 * while a version that writes them may still be live (see docs/skill.md, "Sessions across versions").
 */
const RELEASED_FORMATS = [
  {
    release: "0.1.0",
    /** `<8-character base-36 nonce>:<clip key>` */
    token: /^[0-9a-z]{8}:.+$/,
    tokenExample: "k3j9x0a1:en/atoms.mp3",
    /** Jokebox keeps nothing in the session. */
    sessionAttributes: {},
  },
] as const;

type Container = ReturnType<typeof container>;

/** One Lambda container of one function version, as Lambda would run it; its log lines collected. */
function container(version: string) {
  const logs: Record<string, unknown>[] = [];
  const { handler } = createLambdaHandlers({
    env: {
      SKILL_ID: TEST_SKILL_ID,
      MEDIA_BUCKET: "jokebox-media",
      AWS_REGION: "eu-west-1",
      AWS_LAMBDA_FUNCTION_NAME: "jokebox-prod-skill",
      AWS_LAMBDA_FUNCTION_VERSION: version,
    },
    media: memoryMedia(),
    log: (entry) => logs.push(entry),
  });
  return { version, logs, handler };
}

/** Alexa's side of the session: the player's current and queued streams, and the open session's attributes. */
class Device {
  token?: string;
  queued?: string;
  offsetInMilliseconds = 0;
  activity: AudioPlayerContext["playerActivity"] = "IDLE";
  attributes: Record<string, unknown> | undefined;

  get player(): AudioPlayerContext {
    return {
      token: this.token,
      offsetInMilliseconds: this.offsetInMilliseconds,
      playerActivity: this.activity,
    };
  }

  /** The envelope with the session Alexa keeps open, carrying the attributes the last answer set. */
  inSession(request: RequestEnvelope): RequestEnvelope {
    if (this.attributes === undefined || request.session === undefined) return request;
    return { ...request, session: { ...request.session, new: false, attributes: this.attributes } };
  }

  receive(answer: ResponseEnvelope): void {
    this.attributes =
      answer.response.shouldEndSession === false ? (answer.sessionAttributes ?? {}) : undefined;
    for (const directive of answer.response.directives ?? []) {
      if (directive.type === "AudioPlayer.Stop") this.activity = "STOPPED";
      if (directive.type !== "AudioPlayer.Play") continue;
      const play = directive as interfaces.audioplayer.PlayDirective;
      const stream = play.audioItem?.stream;
      if (play.playBehavior === "ENQUEUE") {
        this.queued = stream?.token;
      } else {
        this.token = stream?.token;
        this.offsetInMilliseconds = stream?.offsetInMilliseconds ?? 0;
        this.activity = "PLAYING";
      }
    }
  }
}

function plays(answer: ResponseEnvelope): interfaces.audioplayer.PlayDirective {
  const play = answer.response.directives?.find((directive) => directive.type === "AudioPlayer.Play");
  if (play === undefined) throw new Error(`no AudioPlayer.Play in ${JSON.stringify(answer.response)}`);
  return play as interfaces.audioplayer.PlayDirective;
}

describe("a session hopping between two versions of the skill (weighted alias)", () => {
  // Each turn goes to the other container than the turn before, starting on either side.
  it.each([
    ["old", "new"],
    ["new", "old"],
  ])("continues correctly when it starts on the %s version", async (first) => {
    const containers: Record<string, Container> = { old: container("6"), new: container("7") };
    const order = first === "old" ? [containers.old, containers.new] : [containers.new, containers.old];
    const device = new Device();
    const served: string[] = [];
    let turn = 0;
    const say = async (request: RequestEnvelope): Promise<ResponseEnvelope> => {
      const serving = order[turn % 2];
      turn += 1;
      const envelope = device.inSession(request);
      const answer = await serving.handler(envelope);
      expect(responseViolations(envelope.request.type, answer.response)).toEqual([]);
      served.push(serving.version);
      device.receive(answer);
      return answer;
    };

    // "Alexa, open joke box": a clip starts.
    const launched = plays(await say(launchRequest()));
    const firstClip = clipOfToken(launched.audioItem?.stream?.token);
    expect(firstClip).toMatch(/^en\//);
    await say(audioPlayerEvent("PlaybackStarted", device.token as string));

    // The clip nearly ends: the other version enqueues the next one after the token the first one issued.
    device.offsetInMilliseconds = 4200;
    const enqueued = plays(await say(audioPlayerEvent("PlaybackNearlyFinished", device.token as string)));
    expect(enqueued.playBehavior).toBe("ENQUEUE");
    expect(enqueued.audioItem?.stream?.expectedPreviousToken).toBe(launched.audioItem?.stream?.token);
    expect(clipOfToken(enqueued.audioItem?.stream?.token)).not.toBe(firstClip);
    device.token = device.queued;
    device.offsetInMilliseconds = 1200;
    await say(audioPlayerEvent("PlaybackStarted", device.token as string));

    // "Alexa, pause", then "Alexa, resume": the same stream at the same offset, whichever version answers.
    await say(intentRequest("AMAZON.PauseIntent", {}, { audioPlayer: device.player }));
    expect(device.activity).toBe("STOPPED");
    const paused = device.token;
    const resumed = plays(
      await say(intentRequest("AMAZON.ResumeIntent", {}, { audioPlayer: device.player })),
    );
    expect(resumed.audioItem?.stream).toMatchObject({ token: paused, offsetInMilliseconds: 1200 });

    // "Alexa, next": another clip than the one the other version started.
    const next = plays(await say(intentRequest("AMAZON.NextIntent", {}, { audioPlayer: device.player })));
    expect(clipOfToken(next.audioItem?.stream?.token)).not.toBe(clipOfToken(paused));

    // The stream fails: the other version replaces it with another clip.
    const failed = device.token as string;
    const replaced = plays(await say(audioPlayerEvent("PlaybackFailed", failed)));
    expect(clipOfToken(replaced.audioItem?.stream?.token)).not.toBe(clipOfToken(failed));

    // The previous button: the current clip from the start.
    const current = device.token;
    const restarted = plays(await say(playbackCommand("Previous", { audioPlayer: device.player })));
    expect(clipOfToken(restarted.audioItem?.stream?.token)).toBe(clipOfToken(current));

    // A spoken session kept open by help continues on the other version with the attributes it was left with.
    const help = await say(intentRequest("AMAZON.HelpIntent", {}, { audioPlayer: device.player }));
    expect(help.response.shouldEndSession).toBe(false);
    const second = plays(
      await say(intentRequest("PlayClipIntent", { number: "2" }, { audioPlayer: device.player })),
    );
    expect(clipOfToken(second.audioItem?.stream?.token)).toBe("en/skeleton.mp3");
    await say(sessionEndedRequest("USER_INITIATED"));

    // Both served, alternately, and each line names the version that served it: errors are attributed right.
    expect(served).toEqual(Array.from({ length: served.length }, (_, i) => order[i % 2].version));
    for (const { version, logs } of Object.values(containers)) {
      expect(logs.length).toBeGreaterThan(0);
      expect(logs.every((entry) => entry.FunctionVersion === version && entry.HandlerErrors === 0)).toBe(
        true,
      );
    }
  });
});

describe("sessions started on a released version continue on the current code", () => {
  it.each(RELEASED_FORMATS)("reads the stream tokens release $release issued", async (format) => {
    const { handler, logs } = container("8");
    const token = format.tokenExample;
    const clip = clipOfToken(token);
    const player = { token, offsetInMilliseconds: 2500, playerActivity: "STOPPED" as const };
    const session = { ...intentRequest("AMAZON.ResumeIntent", {}, { audioPlayer: player }) };
    if (session.session !== undefined) {
      session.session = { ...session.session, new: false, attributes: format.sessionAttributes };
    }

    const resumed = plays(await handler(session));
    const enqueued = plays(await handler(audioPlayerEvent("PlaybackNearlyFinished", token)));
    const next = plays(await handler(intentRequest("AMAZON.NextIntent", {}, { audioPlayer: player })));
    const replaced = plays(await handler(audioPlayerEvent("PlaybackFailed", token)));

    expect(resumed.audioItem?.stream).toMatchObject({ token, offsetInMilliseconds: 2500 });
    expect(enqueued.audioItem?.stream?.expectedPreviousToken).toBe(token);
    for (const other of [enqueued, next, replaced]) {
      expect(clipOfToken(other.audioItem?.stream?.token)).not.toBe(clip);
    }
    expect(logs.map((entry) => entry.HandlerErrors)).toEqual([0, 0, 0, 0]);
  });

  it("writes the newest recorded shapes: a change of format shows up here before it reaches a session", async () => {
    const newest = RELEASED_FORMATS[RELEASED_FORMATS.length - 1];
    const { handler } = container("8");

    const launched = plays(await handler(launchRequest()));
    const help = await handler(intentRequest("AMAZON.HelpIntent"));

    expect(launched.audioItem?.stream?.token).toMatch(newest.token);
    // Only keys the newest recorded release also wrote (a new key is a new format: record it above).
    const written = Object.keys(help.sessionAttributes ?? {});
    expect(written.filter((key) => !(key in newest.sessionAttributes))).toEqual([]);
  });
});
