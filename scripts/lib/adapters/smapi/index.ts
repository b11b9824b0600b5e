/**
 * The Skill Management API adapter: {@link SkillsPort}, {@link SkillPackagePort}, {@link SkillValidationPort},
 * {@link BetaTestPort} and {@link SimulationPort} over `ask-smapi-sdk`, with the
 * credentials and endpoints of the environment (`ASK_LWA_CLIENT_ID`, `ASK_LWA_CLIENT_SECRET`,
 * `ASK_REFRESH_TOKEN`, `ASK_SMAPI_SERVER_BASE_URL`, `ASK_LWA_TOKEN_HOST`); missing ones fail before any call.
 * How each call is made is `calls.ts`; how failures read is `errors.ts`; the one access token of a command and
 * the service's clock are `transport.ts`.
 */
import { CustomSmapiClientBuilder } from "ask-smapi-sdk";
import { requireAskCredentials, type AskCredentials, type CliEnvironment } from "../../core/env";
import { createAccessTokenSource } from "../lwa";
import { defaultRetryPolicy, type RetryPolicy } from "../../core/retry";
import type {
  BetaTestPort,
  SimulationPort,
  SkillPackagePort,
  SkillsPort,
  SkillValidationPort,
} from "../../ports";
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
  retryPolicy?: RetryPolicy;
}

/**
 * Creates the Skill Management API adapter. Reads the credentials and endpoints now, so a missing variable is a
 * `ConfigError` before any call.
 */
export function createSkillsPort(options: SmapiOptions): SkillsPort {
  return new SmapiSkills(smapiCalls(requireAskCredentials(options.env), options));
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
  const calls = smapiCalls(requireAskCredentials(options.env), options);
  return {
    skills: new SmapiSkills(calls),
    packages: new SmapiSkillPackages(calls),
    validations: new SmapiValidations(calls),
    betaTest: new SmapiBetaTest(calls),
  };
}

/** Creates the simulation adapter (for dialog files run against a deployed stage); same credentials. */
export function createSimulationPort(options: SmapiOptions): SimulationPort {
  return new SmapiSimulation(smapiCalls(requireAskCredentials(options.env), options));
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
  const calls = smapiCalls(credentials, options);
  const response = await calls.read("listing the vendors of the account", () =>
    calls.client.getVendorListV1(),
  );
  return (response.vendors ?? []).map((vendor) => ({ id: vendor.id ?? "", name: vendor.name }));
}

function smapiCalls(credentials: AskCredentials, options: SmapiOptions): SmapiCalls {
  const { smapiBaseUrl, lwaTokenHost } = options.env;
  const policy = options.retryPolicy ?? defaultRetryPolicy;
  const transport = new SmapiTransport(
    createAccessTokenSource({ tokenHost: lwaTokenHost, ...credentials, retry: policy }),
  );
  return new SmapiCalls(
    buildClient(transport, smapiBaseUrl),
    credentials,
    policy,
    smapiBaseUrl,
    transport,
    lwaTokenHost,
  );
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
