/** The language folder a locale prefers: `de-DE` → `de`. */
export function languageFolder(locale: string | undefined): string {
  return (locale ?? "en-US").split("-")[0].toLowerCase();
}

/**
 * The clips a user of `locale` hears: those in the language folder (`de/…` for de-DE), or the whole library when
 * that folder holds none.
 */
export function clipsForLocale(clips: readonly string[], locale: string | undefined): readonly string[] {
  const folder = `${languageFolder(locale)}/`;
  const own = clips.filter((key) => key.startsWith(folder));
  return own.length > 0 ? own : clips;
}

/**
 * A random clip, never `avoid` when there is any other to choose; undefined for an empty list.
 * `random` returns a number in [0, 1), like Math.random.
 */
export function pickClip(clips: readonly string[], random: () => number, avoid?: string): string | undefined {
  const candidates = clips.length > 1 && avoid !== undefined ? clips.filter((key) => key !== avoid) : clips;
  if (candidates.length === 0) return undefined;
  return candidates[Math.min(candidates.length - 1, Math.floor(random() * candidates.length))];
}
