/**
 * Alexa's rules for `SignatureCertChainUrl`, applied to the URL once normalised: the WHATWG URL parser lowers the
 * scheme and host, drops the default port and resolves dot segments (`..`, `.`, and their percent-encoded forms
 * `%2e%2e`), exactly as the download would; only then are the scheme, host, path and port checked, so a URL that
 * passes is the URL fetched. Anything that percent-decodes into a path separator or a dot segment is refused
 * outright rather than guessed at.
 */

/** Where Alexa's certificate chains live. */
export const CERT_CHAIN_HOST = "s3.amazonaws.com";
export const CERT_CHAIN_PATH_PREFIX = "/echo.api/";

/** The normalised URL, or why it is refused. */
export type CertUrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

/** Normalises `raw` and checks it against Alexa's rules; no network. */
export function checkCertChainUrl(raw: string): CertUrlCheck {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { ok: false, reason: `SignatureCertChainUrl ${JSON.stringify(raw)} is not a URL` };
  }
  const shown = JSON.stringify(raw);
  if (url.protocol !== "https:") {
    return { ok: false, reason: `SignatureCertChainUrl ${shown} is not https` };
  }
  if (url.hostname !== CERT_CHAIN_HOST) {
    return { ok: false, reason: `SignatureCertChainUrl ${shown} is not on host ${CERT_CHAIN_HOST}` };
  }
  // The parser has already dropped an explicit :443, the default port of https.
  if (url.port !== "") {
    return { ok: false, reason: `SignatureCertChainUrl ${shown} is not on port 443` };
  }
  if (url.username !== "" || url.password !== "") {
    return { ok: false, reason: `SignatureCertChainUrl ${shown} carries credentials` };
  }
  if (url.search !== "") {
    return { ok: false, reason: `SignatureCertChainUrl ${shown} carries a query` };
  }
  if (!url.pathname.startsWith(CERT_CHAIN_PATH_PREFIX)) {
    return {
      ok: false,
      reason: `SignatureCertChainUrl ${shown} is not under ${CERT_CHAIN_PATH_PREFIX} once normalised (${url.pathname})`,
    };
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(url.pathname);
  } catch {
    return { ok: false, reason: `SignatureCertChainUrl ${shown} has a malformed percent-encoding` };
  }
  const segments = decoded.split("/");
  if (decoded.includes("\\") || segments.some((segment) => segment === "." || segment === "..")) {
    return { ok: false, reason: `SignatureCertChainUrl ${shown} hides a path separator or dot segment` };
  }
  url.hash = "";
  return { ok: true, url };
}
