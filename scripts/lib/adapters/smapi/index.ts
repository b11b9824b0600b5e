/**
 * The Skill Management API adapter: {@link SkillsPort} and {@link SimulationPort} over `ask-smapi-sdk`, with the
 * credentials and endpoints of the environment (`ASK_LWA_CLIENT_ID`, `ASK_LWA_CLIENT_SECRET`,
 * `ASK_REFRESH_TOKEN`, `ASK_SMAPI_SERVER_BASE_URL`, `ASK_LWA_TOKEN_HOST`), or locally an ASK CLI profile
 * (core/ask-cli-config.ts); missing ones fail before any call.
 * How each call is made is `calls.ts`; how failures read is `errors.ts`.
 */
import { CustomSmapiClientBuilder } from "ask-smapi-sdk";
import { resolveSmapiAuth, type SmapiAuth } from "../../core/ask-cli-config";
import type { AskCredentials, CliEnvironment } from "../../core/env";
import { defaultRetryPolicy, type RetryPolicy } from "../../core/retry";
import type { SimulationPort, SkillsPort } from "../../ports";
import { SmapiCalls, type SmapiClient } from "./calls";
import { lwaAwareApiClient } from "./lwa-client";
import { SmapiSimulation } from "./simulation";
import { SmapiSkills } from "./skills";

export { CredentialsRefusedError, SmapiError } from "./errors";

/** Options of the adapter's factories. Tests pass a fast `retryPolicy`. */
export interface SmapiOptions {
  env: CliEnvironment;
  /** The ASK CLI profile whose credentials serve when the `ASK_*` variables are absent (`--profile`). */
  profile?: string;
  retryPolicy?: RetryPolicy;
}

/**
 * Creates the Skill Management API adapter. Reads the credentials and endpoints now, so a missing variable is a
 * `ConfigError` before any call.
 */
export function createSkillsPort(options: SmapiOptions): SkillsPort {
  return new SmapiSkills(smapiCalls(resolveSmapiAuth(options.env, options), options));
}

/** Creates the simulation adapter (for dialog files run against a deployed stage); same credentials. */
export function createSimulationPort(options: SmapiOptions): SimulationPort {
  return new SmapiSimulation(smapiCalls(resolveSmapiAuth(options.env, options), options));
}

/** A vendor (developer account) the credentials can act for. */
export interface Vendor {
  id: string;
  name?: string;
}

/**
 * The vendors the given credentials can act for (`GET /v1/vendors`): proves a freshly minted refresh token works
 * and tells the team its vendor id. Endpoints come from the environment, credentials from the caller.
 */
export async function listVendors(credentials: AskCredentials, options: SmapiOptions): Promise<Vendor[]> {
  const calls = smapiCalls(
    { kind: "refresh-token", source: "the token just minted", ...credentials },
    options,
  );
  const response = await calls.read("listing the vendors of the account", () =>
    calls.client.getVendorListV1(),
  );
  return (response.vendors ?? []).map((vendor) => ({ id: vendor.id ?? "", name: vendor.name }));
}

function smapiCalls(auth: SmapiAuth, options: SmapiOptions): SmapiCalls {
  const { smapiBaseUrl, lwaTokenHost } = options.env;
  return new SmapiCalls(
    buildClient(auth, smapiBaseUrl, lwaTokenHost),
    auth.kind === "refresh-token" ? [auth.clientSecret, auth.refreshToken] : [auth.accessToken],
    options.retryPolicy ?? defaultRetryPolicy,
    { api: smapiBaseUrl, lwa: lwaTokenHost },
  );
}

function buildClient(auth: SmapiAuth, apiEndpoint: string, authEndpoint: string): SmapiClient {
  const builder = new CustomSmapiClientBuilder()
    .withApiEndpoint(apiEndpoint)
    .withAuthEndpoint(authEndpoint)
    .withApiClient(lwaAwareApiClient())
    .withCustomUserAgent("skillship");
  if (auth.kind === "access-token") {
    return builder
      .withAccessTokenConfig({ clientId: "", clientSecret: "", accessToken: auth.accessToken })
      .client();
  }
  // The SDK writes these into the token request's form body without encoding them: encode them here.
  return builder
    .withRefreshTokenConfig({
      clientId: encodeURIComponent(auth.clientId),
      clientSecret: encodeURIComponent(auth.clientSecret),
      refreshToken: encodeURIComponent(auth.refreshToken),
    })
    .client();
}
