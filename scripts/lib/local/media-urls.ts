/**
 * The local endpoint's media URLs: `<origin>/media/<key>?expires=<unix s>&sig=<hex hmac>`, made for the skill
 * (`context.mediaUrl` of a local factory) and checked by the endpoint's media route. The HMAC secret is the
 * project's (media-secret.ts), so a URL printed by `say` plays from a running `skillship dev`.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

/** Path prefix under which the local endpoint serves media files. */
export const MEDIA_ROUTE = "/media/";

/** Outcome of checking a signed media URL. */
export type MediaSignatureCheck = "ok" | "expired" | "bad-signature";

/** The query parameters that make a media URL valid until `expires`. */
export interface MediaSignature {
  /** Unix time in seconds after which the URL is refused. */
  readonly expires: number;
  /** Hex HMAC-SHA256 of the clip key and the expiry. */
  readonly sig: string;
}

function hmacHex(key: string, expires: number, secret: string | Buffer): string {
  // The newline cannot appear in a clip key, so key and expiry can never be shifted into one another.
  return createHmac("sha256", secret).update(`${key}\n${expires}`).digest("hex");
}

/**
 * Signs a clip key (its path relative to the media folder, `/` separators, not URL-encoded) until `expires`.
 */
export function signMediaKey(key: string, expires: number, secret: string | Buffer): MediaSignature {
  if (!Number.isInteger(expires))
    throw new RangeError(`expires must be an integer Unix time, got ${expires}`);
  return { expires, sig: hmacHex(key, expires, secret) };
}

/**
 * Checks a clip key against its signature: `expired` once `nowSeconds` is past `expires`, `bad-signature` when the
 * key, expiry or signature was altered. The comparison is constant-time.
 */
export function verifyMediaKey(
  key: string,
  signature: { expires: number | string; sig: string },
  secret: string | Buffer,
  nowSeconds: number = Date.now() / 1000,
): MediaSignatureCheck {
  const expires = typeof signature.expires === "string" ? Number(signature.expires) : signature.expires;
  if (!Number.isInteger(expires) || !/^[0-9a-f]{64}$/i.test(signature.sig)) return "bad-signature";
  const expected = Buffer.from(hmacHex(key, expires, secret), "hex");
  const given = Buffer.from(signature.sig, "hex");
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return "bad-signature";
  return nowSeconds > expires ? "expired" : "ok";
}

/** Options of {@link mediaUrl}. */
export interface MediaUrlOptions {
  /** The endpoint's origin (`http://127.0.0.1:3000`, or a tunnel's https URL). */
  origin: string;
  /** The file's path relative to the media folder, `/` separators. */
  key: string;
  /** How long the URL is valid. */
  ttlSeconds: number;
  secret: string | Buffer;
  /** Milliseconds clock. */
  now?: () => number;
}

/** A signed URL for a file of the media folder, valid for `ttlSeconds`. */
export function mediaUrl(options: MediaUrlOptions): string {
  const expires =
    Math.floor((options.now ?? Date.now)() / 1000) + Math.max(1, Math.floor(options.ttlSeconds));
  const { sig } = signMediaKey(options.key, expires, options.secret);
  const origin = options.origin.replace(/\/+$/, "");
  return `${origin}${MEDIA_ROUTE}${encodeKeyPath(options.key)}?expires=${expires}&sig=${sig}`;
}

/** A key as a URL path: each segment percent-encoded as RFC 3986 asks, the separators kept. */
export function encodeKeyPath(key: string): string {
  return key
    .split("/")
    .map((segment) =>
      encodeURIComponent(segment).replace(
        /[!'()*]/g,
        (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
      ),
    )
    .join("/");
}

/** What {@link verifyMediaUrl} found in a request for a media file. */
export interface MediaUrlCheck {
  readonly result: MediaSignatureCheck;
  /** The clip key the URL names (decoded), when the path is a media path at all. */
  readonly key?: string;
}

/**
 * Checks a request path with its query (`/media/<key>?expires=…&sig=…`, as the local endpoint receives it).
 * A path outside {@link MEDIA_ROUTE}, an undecodable path or one that climbs out of the folder is a bad signature.
 */
export function verifyMediaUrl(
  pathAndQuery: string,
  secret: string | Buffer,
  nowSeconds: number = Date.now() / 1000,
): MediaUrlCheck {
  const url = new URL(pathAndQuery, "http://media.invalid");
  if (!url.pathname.startsWith(MEDIA_ROUTE)) return { result: "bad-signature" };
  let key: string;
  try {
    key = decodeURIComponent(url.pathname.slice(MEDIA_ROUTE.length));
  } catch {
    return { result: "bad-signature" };
  }
  if (key === "" || key.split("/").some((segment) => segment === ".." || segment === "")) {
    return { result: "bad-signature" };
  }
  const expires = url.searchParams.get("expires") ?? "";
  const sig = url.searchParams.get("sig") ?? "";
  return { result: verifyMediaKey(key, { expires, sig }, secret, nowSeconds), key };
}
