/**
 * The Skill Management API adapter: {@link SkillsPort}, {@link SkillPackagePort}, {@link SkillValidationPort},
 * {@link BetaTestPort} and {@link SimulationPort} over `ask-smapi-sdk`, with the
 * credentials and endpoints of the environment (`ASK_LWA_CLIENT_ID`, `ASK_LWA_CLIENT_SECRET`,
 * `ASK_REFRESH_TOKEN`, `ASK_SMAPI_SERVER_BASE_URL`, `ASK_LWA_TOKEN_HOST`), or locally an ASK CLI profile
 * (core/ask-cli-config.ts); missing ones fail before any call.
 * How each call is made is `calls.ts`; how failures read is `errors.ts`; the one access token of a command and
 * the service's clock are `transport.ts`.
 */
import { CustomSmapiClientBuilder } from "ask-smapi-sdk";
import { resolveSmapiAuth, type SmapiAuth } from "../../core/ask-cli-config";
import type { AskCredentials, CliEnvironment } from "../../core/env";
import { defaultRetryPolicy, type RetryPolicy } from "../../core/retry";
import type {
  BetaTestPort,
  SimulationPort,
  SkillPackagePort,
  SkillsPort,
  SkillValidationPort,
} from "../../ports";
import { createAccessTokenSource, type AccessTokenSource } from "../lwa";
import { SmapiBetaTest } from "./beta-test";
import { SmapiCalls, type SmapiClient } from "./calls";
import { SmapiSimulation } from "./simulation";
import { SmapiSkillPackages } from "./skill-package";
import { SmapiSkills } from "./skills";
import { SmapiTransport } from "./transport";
import { SmapiValidations } from "./validations";

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

/** Every Skill Management API port a command may use, sharing one client and so one access token. */
export interface SmapiPorts {
  skills: SkillsPort;
  packages: SkillPackagePort;
  validations: SkillValidationPort;
  betaTest: BetaTestPort;
}

/**
 * Creates the Skill Management API ports over one client: a command that deploys the package, validates it and
 * submits it signs in once. Reads the credentials now, like {@link createSkillsPort}.
 */
export function createSmapiPorts(options: SmapiOptions): SmapiPorts {
  const calls = smapiCalls(resolveSmapiAuth(options.env, options), options);
  return {
    skills: new SmapiSkills(calls),
    packages: new SmapiSkillPackages(calls),
    validations: new SmapiValidations(calls),
    betaTest: new SmapiBetaTest(calls),
  };
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
  const policy = options.retryPolicy ?? defaultRetryPolicy;
  const transport = new SmapiTransport(
    auth.kind === "refresh-token"
      ? createAccessTokenSource({
          tokenHost: lwaTokenHost,
          clientId: auth.clientId,
          clientSecret: auth.clientSecret,
          refreshToken: auth.refreshToken,
          retry: policy,
        })
      : fixedAccessToken(auth.accessToken),
  );
  return new SmapiCalls(
    buildClient(transport, smapiBaseUrl),
    auth.kind === "refresh-token" ? [auth.clientSecret, auth.refreshToken] : [auth.accessToken],
    policy,
    { api: smapiBaseUrl, lwa: lwaTokenHost },
    transport,
  );
}

// An ASK CLI profile's access token, used while valid and never refreshed here (see core/ask-cli-config.ts).
function fixedAccessToken(accessToken: string): AccessTokenSource {
  return { get: () => Promise.resolve(accessToken), invalidate: () => undefined };
}

function buildClient(transport: SmapiTransport, apiEndpoint: string): SmapiClient {
  return (
    new CustomSmapiClientBuilder()
      .withApiEndpoint(apiEndpoint)
      .withApiClient(transport)
      // The transport signs every call with the command's one token, so the SDK never asks for one of its own:
      // it only needs a non-empty value here, which the transport replaces.
      .withAccessTokenConfig({ clientId: "", clientSecret: "", accessToken: "set-by-the-transport" })
      .withCustomUserAgent("skillship")
      .client()
  );
}
