/**
 * Alexa's three regions and their event gateways. Alexa sends each user's directives to the skill's endpoint of
 * that user's region, and a smart-home function must run in the AWS region that matches it; the function sends
 * events for those users to the gateway of the same region, with tokens it obtained there.
 */
import { callJson, NoAnswerError, stringField, type Fetch } from "./http";
import type { AlexaMessage } from "./messages";

/** Alexa's regions. */
export type AlexaRegion = "NA" | "EU" | "FE";

/** The event gateway of each region. */
export const EVENT_GATEWAYS: Readonly<Record<AlexaRegion, string>> = {
  NA: "https://api.amazonalexa.com/v3/events",
  EU: "https://api.eu.amazonalexa.com/v3/events",
  FE: "https://api.fe.amazonalexa.com/v3/events",
};

/** The AWS region a smart-home function of each Alexa region must run in. */
export const AWS_REGION_OF: Readonly<Record<AlexaRegion, string>> = {
  NA: "us-east-1",
  EU: "eu-west-1",
  FE: "us-west-2",
};

/** The Alexa region served from an AWS region, or undefined when Alexa invokes no smart-home function there. */
export function alexaRegionOf(awsRegion: string): AlexaRegion | undefined {
  return (Object.keys(AWS_REGION_OF) as AlexaRegion[]).find((region) => AWS_REGION_OF[region] === awsRegion);
}

/** What the gateway answered to one event. */
export interface GatewayAnswer {
  /** 202 when accepted. */
  status: number;
  /** The gateway's exception code (`INVALID_ACCESS_TOKEN_EXCEPTION`, `SKILL_DISABLED_EXCEPTION`, …). */
  code?: string;
  description?: string;
}

/** Posts events to one region's gateway. */
export interface EventGatewayClient {
  /** The gateway's URL, for logs. */
  readonly url: string;
  /** Posts `event` with the user's Alexa access token; rejects only when the gateway gave no answer. */
  send(event: AlexaMessage, accessToken: string): Promise<GatewayAnswer>;
}

/** Options of {@link createEventGatewayClient}. */
export interface EventGatewayClientOptions {
  url: string;
  /** Default 5 s. */
  timeoutMs?: number;
  fetch?: Fetch;
}

/** The gateway did not answer (refused, reset, timed out). */
export class GatewayUnreachableError extends Error {
  override readonly name = "GatewayUnreachableError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** An {@link EventGatewayClient} over HTTP. */
export function createEventGatewayClient(options: EventGatewayClientOptions): EventGatewayClient {
  const url = new URL(options.url);
  return {
    url: options.url,
    async send(event, accessToken) {
      let reply;
      try {
        reply = await callJson(
          "the Alexa event gateway",
          url,
          {
            method: "POST",
            headers: { authorization: `Bearer ${accessToken}`, "content-type": "application/json" },
            body: JSON.stringify(event),
          },
          options.timeoutMs ?? 5000,
          options.fetch,
        );
      } catch (error) {
        if (error instanceof NoAnswerError)
          throw new GatewayUnreachableError(error.message, { cause: error });
        throw error;
      }
      const payload = (reply.json as { payload?: unknown } | undefined)?.payload;
      const code = stringField(payload, "code");
      const description = stringField(payload, "description");
      return {
        status: reply.status,
        ...(code === undefined ? {} : { code }),
        ...(description === undefined ? {} : { description }),
      };
    },
  };
}
