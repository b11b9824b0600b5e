import { getSlotValue } from "../sdk";
import { requestContext } from "../context";
import { clipsForLocale } from "../media/select";
import { play } from "../playback";
import { isIntent } from "./match";
import type { JokeboxHandler } from "./types";

const intents = ["PlayClipIntent"] as const;

/**
 * "Tell me a joke": a random clip. "Play clip {number}": that clip of the user's list (counting from 1) when it
 * exists, else a random one after saying so.
 */
export const PlayClipIntentHandler: JokeboxHandler = {
  intents,
  canHandle: (input) => isIntent(input, intents),
  async handle(input) {
    const spoken = getSlotValue(input.requestEnvelope, "number");
    if (spoken === undefined || spoken === null || spoken === "") return play(input);
    const { media, locale, t } = requestContext(input);
    const clips = clipsForLocale(await media.listClips(), locale);
    const position = /^\d+$/.test(spoken) ? Number(spoken) : NaN;
    if (position >= 1 && position <= clips.length) return play(input, { key: clips[position - 1] });
    return play(input, { speech: t("clipNotFound", { number: spoken }) });
  },
};
