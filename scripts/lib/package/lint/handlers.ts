import type { JokeboxHandler } from "../../../../skill/handlers/types";

/**
 * The intents the skill's handlers declare, for the handler rules of the lint. The handlers are loaded on first use,
 * not when the CLI starts: they bring in ask-sdk-core and the translations, which every other command does without.
 */
export function skillHandlerIntents(): string[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily, see above
  const { requestHandlers } = require("../../../../skill/handlers") as {
    requestHandlers: readonly JokeboxHandler[];
  };
  return requestHandlers.flatMap((handler) => handler.intents ?? []);
}
