/**
 * The HTTP transport the Skill Management API SDK calls through (its public `ApiClient` seam): it signs every
 * call with the command's one access token (the SDK would fetch one per call in flight), asks for a new token
 * once when a call is refused with 401 and replays that call, and reads the service's clock from the `Date`
 * header of every answer.
 */
import { runtime } from "ask-smapi-model";
import type { AccessTokenSource } from "../lwa";

/** How far the service's clock is from ours, as measured from its answers. */
export interface ServiceClock {
  /**
   * The service's clock minus ours, in ms: 0 when the two agree within what a `Date` header can tell (its one
   * second, and the round trip); undefined before the first answer with a `Date` header.
   */
  offsetMs(): number | undefined;
}

/** The SDK's transport with the command's token and the service's clock. */
export class SmapiTransport implements runtime.ApiClient, ServiceClock {
  private measured: { offsetMs: number; roundTripMs: number } | undefined;

  constructor(
    private readonly tokens: AccessTokenSource,
    private readonly inner: runtime.ApiClient = new runtime.DefaultApiClient(),
    private readonly now: () => number = Date.now,
  ) {}

  async invoke(request: runtime.ApiClientRequest): Promise<runtime.ApiClientResponse> {
    const token = await this.tokens.get();
    const response = await this.send(request, token);
    if (response.statusCode !== 401) {
      return response;
    }
    // The token expired or was revoked meanwhile: one new token (shared with the other calls refused), one replay.
    this.tokens.invalidate(token);
    return this.send(request, await this.tokens.get());
  }

  offsetMs(): number | undefined {
    if (this.measured === undefined) return undefined;
    const { offsetMs, roundTripMs } = this.measured;
    // Below the measurement's own imprecision a correction would only add noise to an accurate clock.
    return Math.abs(offsetMs) <= 1000 + roundTripMs / 2 ? 0 : offsetMs;
  }

  private async send(request: runtime.ApiClientRequest, token: string): Promise<runtime.ApiClientResponse> {
    const headers = request.headers.filter((entry) => entry.key.toLowerCase() !== "authorization");
    const started = this.now();
    const response = await this.inner.invoke({
      ...request,
      headers: [...headers, { key: "Authorization", value: `Bearer ${token}` }],
    });
    this.observe(response, started, this.now());
    return response;
  }

  // `Date` has a resolution of one second: the service's time was within [date, date + 1 s) when it answered,
  // somewhere between our send and our receipt. The answer with the shortest round trip is the most precise.
  private observe(response: runtime.ApiClientResponse, started: number, ended: number): void {
    const date = Date.parse(
      response.headers.find((entry) => entry.key.toLowerCase() === "date")?.value ?? "",
    );
    if (Number.isNaN(date)) return;
    const roundTripMs = ended - started;
    if (this.measured !== undefined && this.measured.roundTripMs < roundTripMs) return;
    this.measured = { offsetMs: date + 500 - (started + ended) / 2, roundTripMs };
  }
}
