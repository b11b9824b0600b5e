/**
 * The request signature check of Alexa's HTTPS-endpoint rules, loaded only by the HTTPS entry points (its own
 * chunk of the Lambda bundle, see `scripts/lib/build/bundle.ts`): the certificate chain URL normalised and checked
 * before any download; the chain downloaded within a size cap and a deadline, validated, and cached by URL until
 * it expires; a failed URL remembered for a short while, downloads of one URL shared and the number in flight
 * bounded, so a flood of forged requests costs next to nothing; then `Signature-256` checked over the raw body.
 * Ours rather than ask-sdk-express-adapter's, whose URL check runs before Node normalises the URL it downloads.
 */
import { verify as verifySignature } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { checkChain, TrustStore, type ValidChain } from "./chain";
import { downloadChain, type DownloadSource } from "./download";
import { checkCertChainUrl } from "./url";

/** How certificate chains are fetched and judged; the defaults are Alexa's production setting. */
export interface CertificateOptions {
  /** Root certificates (PEM) a chain must lead to. Default: Node's bundled Mozilla roots. */
  readonly trustedRoots?: readonly string[];
  /** Download from this address instead of the URL's host (tests serve chains on loopback). */
  readonly source?: DownloadSource;
  /** Largest chain downloaded, in bytes (default {@link MAX_CHAIN_BYTES}). */
  readonly maxBytes?: number;
  /** Deadline of one download, in milliseconds (default {@link DOWNLOAD_TIMEOUT_MS}). */
  readonly timeoutMs?: number;
  /** How long a URL whose chain failed is refused without a new download (default {@link FAILURE_TTL_MS}). */
  readonly failureTtlMs?: number;
  /** Downloads in flight at once; a request beyond is refused (default {@link MAX_DOWNLOADS_IN_FLIGHT}). */
  readonly maxDownloadsInFlight?: number;
  /** Milliseconds clock. */
  readonly now?: () => number;
}

/** A certificate chain is a few KB (Alexa's, three certificates, about 6 KB). */
export const MAX_CHAIN_BYTES: number = 32 * 1024;
/** Alexa waits 8 s for an answer; a chain that takes longer than this to arrive will not make it. */
export const DOWNLOAD_TIMEOUT_MS = 3000;
export const FAILURE_TTL_MS = 10_000;
export const MAX_DOWNLOADS_IN_FLIGHT = 4;
const MAX_GOOD_CHAINS = 16;
const MAX_REMEMBERED_FAILURES = 1024;

/** The outcome of a signature check. */
export type SignatureCheck = { ok: true } | { ok: false; reason: string };

/** Checks requests' signatures; one per process, so its caches serve every request. */
export interface SignatureChecker {
  check(body: Buffer, headers: IncomingHttpHeaders): Promise<SignatureCheck>;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

/** Sets `key` last in insertion order, dropping the oldest entry beyond `limit`. */
function remember<T>(map: Map<string, T>, key: string, value: T, limit: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > limit) map.delete(map.keys().next().value as string);
}

type ChainResult = { ok: true; chain: ValidChain } | { ok: false; reason: string };

/** Creates a checker with its own caches. */
export function createSignatureChecker(options: CertificateOptions = {}): SignatureChecker {
  const now = options.now ?? Date.now;
  const trust = new TrustStore(options.trustedRoots);
  const limits = {
    maxBytes: options.maxBytes ?? MAX_CHAIN_BYTES,
    timeoutMs: options.timeoutMs ?? DOWNLOAD_TIMEOUT_MS,
    ...(options.source === undefined ? {} : { source: options.source }),
  };
  const failureTtlMs = options.failureTtlMs ?? FAILURE_TTL_MS;
  const maxInFlight = options.maxDownloadsInFlight ?? MAX_DOWNLOADS_IN_FLIGHT;
  const good = new Map<string, ValidChain>();
  const failed = new Map<string, { reason: string; until: number }>();
  const inFlight = new Map<string, Promise<ChainResult>>();

  const fetchChain = async (url: URL): Promise<ChainResult> => {
    const downloaded = await downloadChain(url, limits);
    const result: ChainResult = downloaded.ok
      ? checkChain(downloaded.body.toString("utf8"), trust, now())
      : { ok: false, reason: downloaded.reason };
    if (result.ok) {
      failed.delete(url.href);
      remember(good, url.href, result.chain, MAX_GOOD_CHAINS);
    } else {
      remember(
        failed,
        url.href,
        { reason: result.reason, until: now() + failureTtlMs },
        MAX_REMEMBERED_FAILURES,
      );
    }
    return result;
  };

  const chainFor = (url: URL): Promise<ChainResult> | ChainResult => {
    const key = url.href;
    const cached = good.get(key);
    if (cached !== undefined) {
      const at = now();
      if (at >= cached.validFrom && at <= cached.validTo) return { ok: true, chain: cached };
      good.delete(key);
    }
    const failure = failed.get(key);
    if (failure !== undefined) {
      if (now() < failure.until) return { ok: false, reason: `${failure.reason} (remembered)` };
      failed.delete(key);
    }
    const pending = inFlight.get(key);
    if (pending !== undefined) return pending;
    if (inFlight.size >= maxInFlight) {
      return { ok: false, reason: `${maxInFlight} certificate downloads are already in flight` };
    }
    const download = fetchChain(url).finally(() => inFlight.delete(key));
    inFlight.set(key, download);
    return download;
  };

  return {
    async check(body, headers) {
      const chainUrl = header(headers, "signaturecertchainurl");
      const signature = header(headers, "signature-256");
      if (chainUrl === undefined || chainUrl === "") {
        return { ok: false, reason: "the SignatureCertChainUrl header is missing" };
      }
      if (signature === undefined || signature === "") {
        return { ok: false, reason: "the Signature-256 header is missing" };
      }
      const url = checkCertChainUrl(chainUrl);
      if (!url.ok) return url;
      const chain = await chainFor(url.url);
      if (!chain.ok) return chain;
      let valid = false;
      try {
        valid = verifySignature("sha256", body, chain.chain.publicKey, Buffer.from(signature, "base64"));
      } catch {
        valid = false;
      }
      return valid ? { ok: true } : { ok: false, reason: "Signature-256 does not match the request body" };
    },
  };
}
