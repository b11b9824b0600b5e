import type { RequestEnvelope, ResponseEnvelope } from "ask-sdk-model";
import type { Skill } from "ask-sdk-core";
import { createSkill } from "../../skill";
import type { MediaLibrary } from "../../skill/media/types";
import { responseViolations } from "../../skill/rules";

/** A small library with clips in every language folder, its URLs https and recognisable. */
export const LIBRARY: readonly string[] = [
  "de/fisch.mp3",
  "de/kuh.mp3",
  "en/atoms.mp3",
  "en/skeleton.mp3",
  "en/why-scarecrow.mp3",
  "es/esqueleto.mp3",
  "es/matematicas.mp3",
  "fr/poisson.mp3",
  "fr/squelette.mp3",
];

/** A media library held in memory: the clips given, URLs `https://media.test/<key>`. */
export function memoryMedia(clips: readonly string[] = LIBRARY, base = "https://media.test/"): MediaLibrary {
  return {
    listClips: async () => [...clips].sort(),
    urlFor: async (key) => `${base}${key}`,
  };
}

/** A skill over `media` whose log entries are collected. */
export function testSkill(
  media: MediaLibrary = memoryMedia(),
  options: { skillId?: string; random?: () => number } = {},
): { skill: Skill; logs: Record<string, unknown>[] } {
  const logs: Record<string, unknown>[] = [];
  const skill = createSkill({ media, log: (entry) => logs.push(entry), ...options });
  return { skill, logs };
}

/** Invokes the skill and asserts Alexa's response rules on the answer, as every test must. */
export async function invoke(skill: Skill, request: RequestEnvelope): Promise<ResponseEnvelope> {
  const answer = await skill.invoke(request);
  expect(responseViolations(request.request.type, answer.response)).toEqual([]);
  return answer;
}
