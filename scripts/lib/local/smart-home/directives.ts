/**
 * Smart-home directives as Alexa sends them (payload version 3), built from a qualified name such as
 * `Alexa.PowerController.TurnOn`: the bearer token goes where that directive carries it (`payload.scope` for
 * Discover, `payload.grantee` for AcceptGrant, `endpoint.scope` otherwise).
 */
import { randomBytes, randomUUID } from "node:crypto";
import { UsageError } from "../../core/errors";

/** An OAuth 2 bearer token as Alexa passes it. */
export interface BearerScope {
  type: "BearerToken";
  token: string;
}

/** A directive as a smart-home skill's Lambda function receives it: `{ directive: { header, endpoint, payload } }`. */
export interface DirectiveEvent {
  directive: {
    header: {
      namespace: string;
      name: string;
      payloadVersion: string;
      messageId: string;
      correlationToken?: string;
      /** The capability instance of a generic controller (`Alexa.RangeController`, …). */
      instance?: string;
    };
    endpoint?: { endpointId: string; scope?: BearerScope; cookie?: Record<string, string> };
    payload: Record<string, unknown>;
  };
}

/** What a directive is about. */
export interface DirectiveOptions {
  /** The user's access token (toward the skill's account: the home hub's, for the sample). */
  token?: string;
  endpointId?: string;
  /** The capability instance, for generic controllers (`Alexa.RangeController`). */
  instance?: string;
  payload?: Record<string, unknown>;
  correlationToken?: string;
}

/** Splits `Alexa.PowerController.TurnOn` into its namespace and name. */
export function splitDirectiveName(qualified: string): { namespace: string; name: string } {
  const dot = qualified.lastIndexOf(".");
  if (dot <= 0 || dot === qualified.length - 1) {
    throw new UsageError(`"${qualified}" is not a directive name such as Alexa.PowerController.TurnOn`);
  }
  return { namespace: qualified.slice(0, dot), name: qualified.slice(dot + 1) };
}

/** A directive event for a Lambda handler. */
export function directive(qualified: string, options: DirectiveOptions = {}): DirectiveEvent {
  const { namespace, name } = splitDirectiveName(qualified);
  const bearer =
    options.token === undefined ? undefined : { type: "BearerToken" as const, token: options.token };
  let payload = { ...(options.payload ?? {}) };
  if (namespace === "Alexa.Discovery" && bearer !== undefined && payload.scope === undefined) {
    payload = { ...payload, scope: bearer };
  }
  if (namespace === "Alexa.Authorization" && bearer !== undefined && payload.grantee === undefined) {
    payload = { ...payload, grantee: bearer };
  }
  const withEndpoint = options.endpointId !== undefined;
  return {
    directive: {
      header: {
        namespace,
        name,
        payloadVersion: "3",
        messageId: randomUUID(),
        ...(namespace === "Alexa.Discovery"
          ? {}
          : { correlationToken: options.correlationToken ?? randomBytes(24).toString("base64") }),
        ...(options.instance === undefined ? {} : { instance: options.instance }),
      },
      ...(withEndpoint
        ? {
            endpoint: {
              endpointId: options.endpointId as string,
              ...(bearer === undefined ? {} : { scope: bearer }),
              cookie: {},
            },
          }
        : {}),
      payload,
    },
  };
}
