/**
 * A `simulate` function for the fake Skill Management API that answers with the local skill: each utterance is
 * resolved through the repository's interaction models and sent, as a device would send it, to the skill in this
 * process. Dialog files then run "remotely" through the simulation API with no cloud at all.
 */
import { createSkill } from "../../skill";
import { createLocalMediaLibrary, DEFAULT_MEDIA_DIR } from "../../skill/media/local";
import { mediaUrl } from "../../scripts/lib/local/media-urls";
import { createLocalExecutor } from "../../scripts/lib/local/dialog/local";
import { createResolver } from "../../scripts/lib/local/nlu/resolver";
import type { SkillPackage } from "../../scripts/lib/package/skill-package";
import type { SimulateFunction } from "./smapi";

/** Simulates turns with the local skill and the package's models (one simulated device for all turns). */
export function localSkillSimulation(pkg: SkillPackage): SimulateFunction {
  const skill = createSkill({
    media: createLocalMediaLibrary({
      dir: DEFAULT_MEDIA_DIR,
      urlFor: (key) =>
        mediaUrl({
          origin: "https://media.example.test",
          key,
          ttlSeconds: 60,
          secret: "test-only-signing-key",
        }),
    }),
    log: () => undefined,
  });
  const local = createLocalExecutor({ skill, resolverFor: (locale) => createResolver(pkg, locale) });
  return async ({ utterance, locale }) => {
    const turn = await local.say(utterance, locale);
    return {
      consideredIntents:
        turn.resolution.requestType === "IntentRequest" ? [{ name: turn.resolution.intent }] : [],
      invocation: {
        request: turn.request as unknown as Record<string, unknown>,
        response: turn.result.raw as Record<string, unknown>,
      },
    };
  };
}
