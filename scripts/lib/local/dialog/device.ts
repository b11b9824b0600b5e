/**
 * A simulated Alexa device: builds the request envelopes a real device would send for resolved utterances and
 * keeps what a device keeps between turns: the open session with its attributes, and the AudioPlayer's state
 * (a Play directive makes it PLAYING with that token; a Stop makes it STOPPED at an offset that grew with the time
 * played), so "pause" then "resume" reaches the skill as it would from an Echo.
 */
import { randomUUID } from "node:crypto";
import type { Directive, RequestEnvelope, ResponseEnvelope, Slot, interfaces } from "ask-sdk-model";
import type { Resolution, ResolvedSlot } from "../nlu/resolver";

/** A skill id for local runs when none is configured (any id of the right shape does offline). */
export const LOCAL_SKILL_ID = "amzn1.ask.skill.00000000-0000-0000-0000-5ki115419000";

const USER_ID = "amzn1.ask.account.SKILLSHIP-LOCAL-USER";
const DEVICE_ID = "amzn1.ask.device.SKILLSHIP-LOCAL-DEVICE";

/** The AudioPlayer as the device reports it in `context.AudioPlayer`. */
export interface AudioPlayerSnapshot {
  playerActivity: "IDLE" | "PLAYING" | "STOPPED" | "FINISHED";
  token?: string;
  offsetInMilliseconds: number;
}

/** Options of {@link SimulatedDevice}. */
export interface DeviceOptions {
  skillId?: string;
  /** Clock in milliseconds; injectable so tests control how long a clip has played. */
  now?: () => number;
}

interface OpenSession {
  sessionId: string;
  attributes: Record<string, unknown>;
  isNew: boolean;
}

/** One device with its session and player. */
export class SimulatedDevice {
  readonly skillId: string;
  private readonly now: () => number;
  private session: OpenSession | undefined;
  private player: AudioPlayerSnapshot = { playerActivity: "IDLE", offsetInMilliseconds: 0 };
  /** When the player started PLAYING (ms), to grow the offset with the time played. */
  private playingSince = 0;

  constructor(options: DeviceOptions = {}) {
    this.skillId = options.skillId ?? LOCAL_SKILL_ID;
    this.now = options.now ?? Date.now;
  }

  /** The AudioPlayer state as the next request will report it. */
  audioPlayer(): AudioPlayerSnapshot {
    if (this.player.playerActivity !== "PLAYING") return { ...this.player };
    return {
      ...this.player,
      offsetInMilliseconds: this.player.offsetInMilliseconds + (this.now() - this.playingSince),
    };
  }

  /** True while a session is open (the skill answered `shouldEndSession: false`). */
  sessionOpen(): boolean {
    return this.session !== undefined;
  }

  /** The attributes of the open session, if any. */
  sessionAttributes(): Record<string, unknown> | undefined {
    return this.session?.attributes;
  }

  /**
   * The envelope for a resolved utterance. Naming the skill, or speaking to it with no session open, starts a
   * new session, as a device does.
   */
  request(resolution: Resolution, locale: string): RequestEnvelope {
    if (resolution.invoked || this.session === undefined) {
      this.session = { sessionId: `amzn1.echo-api.session.${randomUUID()}`, attributes: {}, isNew: true };
    }
    const base = {
      requestId: `amzn1.echo-api.request.${randomUUID()}`,
      timestamp: new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, "Z"),
      locale,
    };
    const request =
      resolution.requestType === "LaunchRequest"
        ? { type: "LaunchRequest" as const, ...base }
        : {
            type: "IntentRequest" as const,
            ...base,
            intent: {
              name: resolution.intent,
              confirmationStatus: "NONE" as const,
              slots: Object.fromEntries(
                Object.values(resolution.slots).map((slot) => [slot.name, this.slotOf(slot)]),
              ),
            },
          };
    const application = { applicationId: this.skillId };
    const user = { userId: USER_ID };
    const player = this.audioPlayer();
    const envelope: RequestEnvelope = {
      version: "1.0",
      session: {
        new: this.session.isNew,
        sessionId: this.session.sessionId,
        application,
        attributes: { ...this.session.attributes },
        user,
      },
      context: {
        System: {
          application,
          user,
          device: { deviceId: DEVICE_ID, supportedInterfaces: { AudioPlayer: {} } },
          apiEndpoint: "https://api.amazonalexa.com",
          apiAccessToken: "skillship-local-simulator",
        },
        AudioPlayer: {
          playerActivity: player.playerActivity,
          offsetInMilliseconds: player.offsetInMilliseconds,
          ...(player.token === undefined ? {} : { token: player.token }),
        },
      },
      request: request as RequestEnvelope["request"],
    };
    return envelope;
  }

  /** Takes the skill's answer: keeps or closes the session, and plays or stops as the directives say. */
  receive(response: ResponseEnvelope): void {
    if (this.session !== undefined && response.response.shouldEndSession === false) {
      this.session = {
        ...this.session,
        isNew: false,
        attributes: (response.sessionAttributes as Record<string, unknown> | undefined) ?? {},
      };
    } else {
      this.session = undefined;
    }
    for (const directive of response.response.directives ?? []) this.apply(directive);
  }

  private apply(directive: Directive): void {
    if (directive.type === "AudioPlayer.Play") {
      const play = directive as interfaces.audioplayer.PlayDirective;
      // A queued clip waits for the one playing; it only starts at once when nothing plays.
      if (play.playBehavior === "ENQUEUE" && this.player.playerActivity === "PLAYING") return;
      const stream = play.audioItem?.stream;
      this.player = {
        playerActivity: "PLAYING",
        token: stream?.token,
        offsetInMilliseconds: stream?.offsetInMilliseconds ?? 0,
      };
      this.playingSince = this.now();
      return;
    }
    const stops =
      directive.type === "AudioPlayer.Stop" ||
      (directive.type === "AudioPlayer.ClearQueue" &&
        (directive as interfaces.audioplayer.ClearQueueDirective).clearBehavior === "CLEAR_ALL");
    if (stops && this.player.playerActivity === "PLAYING") {
      this.player = { ...this.audioPlayer(), playerActivity: "STOPPED" };
    }
  }

  private slotOf(slot: ResolvedSlot): Slot {
    const result: Slot = { name: slot.name, confirmationStatus: "NONE" };
    if (slot.value === undefined) return result;
    result.value = slot.value;
    result.slotValue = { type: "Simple", value: slot.value } as Slot["slotValue"];
    if (slot.resolved !== undefined) {
      result.resolutions = {
        resolutionsPerAuthority: [
          {
            authority: `amzn1.er-authority.echo-sdk.${this.skillId}.${slot.type}`,
            status: { code: "ER_SUCCESS_MATCH" },
            values: [{ value: { name: slot.resolved.name, id: slot.resolved.id ?? slot.resolved.name } }],
          },
        ],
      };
    }
    return result;
  }
}
