import { uriEncode } from "./sigv4";

/**
 * A media library: where Jokebox finds its audio clips and how it hands Alexa a URL for one.
 *
 * A clip is named by its key: its path relative to the library root, with `/` separators and the language folder
 * first (`en/knock-knock.mp3`, `de/witz.mp3`). Keys are stable, so a stream token can name the clip it plays.
 */
export interface MediaLibrary {
  /** Every audio clip in the library, sorted by key; non-audio files are never listed. */
  listClips(): Promise<readonly string[]>;
  /** A URL Alexa can stream the clip from, valid long enough for playback to start. */
  urlFor(key: string): Promise<string>;
}

/** File extensions Alexa's AudioPlayer can stream (AAC/MP4, MP3, HLS playlists), lower case with the dot. */
export const AUDIO_EXTENSIONS: readonly string[] = [".mp3", ".aac", ".m4a", ".mp4", ".m3u8"];

/** True when the key names an audio file Alexa can play (by extension, case-insensitive). */
export function isAudioKey(key: string): boolean {
  const lower = key.toLowerCase();
  return !lower.endsWith("/") && AUDIO_EXTENSIONS.some((extension) => lower.endsWith(extension));
}

/** A clip key as a URL path: each segment percent-encoded (RFC 3986), the separators kept. */
export function encodeKeyPath(key: string): string {
  return key.split("/").map(uriEncode).join("/");
}
