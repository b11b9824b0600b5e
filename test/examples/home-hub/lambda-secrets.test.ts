/**
 * The Lambda entry of the home-hub sample on a stack with `skillship:functionSecrets`: its LWA client secret is not
 * in its environment but named in `SKILLSHIP_SECRETS`, and read from Parameter Store (moto on loopback, reached
 * through `AWS_ENDPOINT_URL_SSM` as the SDK reads it) before the bridge is built. A start that fails (the parameter
 * not created yet) fails that invocation, naming the parameter, and the next one tries again.
 */
import { PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { directive } from "../../../scripts/lib/local/smart-home/directives";
import { HUB_ALICE } from "../../../testkit/fakes/home-hub";
import { FAKE_SKILL_CREDENTIALS } from "../../../testkit/fakes/lwa";
import { startMoto, type Moto } from "../../../testkit/moto";
import { freshHomeHubEntry, startHomeHubWorld, type HomeHubWorld } from "./world";

const region = "us-east-1";
const parameter = "/home-hub/prod/alexa-client-secret";
const credentials = { accessKeyId: "testing", secretAccessKey: "testing" };

let world: HomeHubWorld;
let moto: Moto;
const saved = { ...process.env };

beforeAll(async () => {
  [world, moto] = await Promise.all([startHomeHubWorld(), startMoto()]);
});
afterAll(async () => {
  await Promise.all([world?.close(), moto?.stop()]);
});
afterEach(() => {
  process.env = { ...saved };
  jest.restoreAllMocks();
});

it("reads its client secret from Parameter Store, and retries a start that failed", async () => {
  Object.assign(process.env, {
    HOME_HUB_URL: world.hub.url,
    TOKEN_TABLE: "home-hub-tokens",
    AWS_REGION: region,
    ALEXA_SKILL_CLIENT_ID: FAKE_SKILL_CREDENTIALS.clientId,
    SKILLSHIP_SECRETS: JSON.stringify({ region, parameters: { ALEXA_SKILL_CLIENT_SECRET: parameter } }),
    AWS_ENDPOINT_URL_SSM: moto.url,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    LWA_TOKEN_URL: world.lwa.tokenUrl,
    ALEXA_EVENT_GATEWAY_URL: world.gateway.url,
  });
  delete process.env.ALEXA_SKILL_CLIENT_SECRET;
  jest.spyOn(console, "log").mockImplementation(() => undefined);
  const { handler } = freshHomeHubEntry();
  const discover = directive("Alexa.Discovery.Discover", { token: HUB_ALICE.token });

  await expect(handler(discover)).rejects.toThrow(
    `Parameter Store in ${region} has no ${parameter} (for ALEXA_SKILL_CLIENT_SECRET)`,
  );

  const ssm = new SSMClient({ region, endpoint: moto.url, credentials });
  await ssm.send(
    new PutParameterCommand({
      Name: parameter,
      Value: FAKE_SKILL_CREDENTIALS.clientSecret,
      Type: "SecureString",
    }),
  );
  ssm.destroy();
  await expect(handler(discover)).resolves.toMatchObject({
    event: { header: { namespace: "Alexa.Discovery", name: "Discover.Response" } },
  });
  expect(process.env.ALEXA_SKILL_CLIENT_SECRET).toBeUndefined();
});
