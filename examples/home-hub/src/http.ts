/**
 * The one way the bridge calls out (home hub, Login with Amazon, Alexa event gateway): `fetch` with a deadline,
 * a JSON body read back, and one error for "no answer" whatever the reason (refused, reset, timed out).
 */

/** What a server answered. */
export interface HttpReply {
  status: number;
  headers: Headers;
  /** The body parsed as JSON, or undefined when it is empty or not JSON. */
  json: unknown;
}

/** The server gave no HTTP answer: connection refused or reset, DNS failure, or the deadline passed. */
export class NoAnswerError extends Error {
  override readonly name = "NoAnswerError";
  constructor(
    message: string,
    /** True when the deadline passed (as opposed to a failed connection). */
    readonly timedOut: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The `fetch` the bridge uses; tests may pass their own. */
export type Fetch = typeof fetch;

/**
 * Sends one request and reads the answer, giving up after `timeoutMs`. `service` names the server in errors
 * ("the home hub"); messages name its origin, never a header or a body (they hold tokens).
 */
export async function callJson(
  service: string,
  url: URL,
  init: { method: string; headers?: Record<string, string>; body?: string },
  timeoutMs: number,
  fetchImpl: Fetch = fetch,
): Promise<HttpReply> {
  let response: Response;
  let text: string;
  try {
    response = await fetchImpl(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    text = await response.text();
  } catch (cause) {
    // Not `instanceof Error`: the abort's DOMException may come from another realm.
    const name = (cause as { name?: unknown } | null)?.name;
    const timedOut = name === "TimeoutError" || name === "AbortError";
    const reason = timedOut
      ? `did not answer within ${timeoutMs} ms`
      : `could not be reached (${describe(cause)})`;
    throw new NoAnswerError(`${service} at ${url.origin} ${reason}`, timedOut, { cause });
  }
  let json: unknown;
  try {
    json = text === "" ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, json };
}

function describe(cause: unknown): string {
  const inner = (cause as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (typeof inner?.code === "string") return inner.code;
  if (typeof inner?.message === "string") return inner.message;
  return cause instanceof Error ? cause.message : String(cause);
}

/** A field of a JSON object answer, when the answer is an object and the field a string. */
export function stringField(json: unknown, field: string): string | undefined {
  if (json === null || typeof json !== "object") return undefined;
  const value = (json as Record<string, unknown>)[field];
  return typeof value === "string" ? value : undefined;
}
