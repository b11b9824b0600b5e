/**
 * `withFunctionSecrets`: the variables `SKILLSHIP_SECRETS` names are filled in from SecureString parameters, read
 * from a real Parameter Store emulator (moto) on loopback; a missing parameter, a refusal and a malformed
 * `SKILLSHIP_SECRETS` are errors naming the variable and the parameter, never a value.
 */
import { PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { FUNCTION_SECRETS_VARIABLE } from "../../contracts/function-secrets";
import { FunctionSecretsError, withFunctionSecrets, type ParameterStoreClient } from "../../runtime/secrets";
import { startMoto, type Moto } from "../../testkit/moto";

const region = "eu-west-1";
const credentials = { accessKeyId: "testing", secretAccessKey: "testing" };

let moto: Moto;
let ssm: SSMClient;

beforeAll(async () => {
  moto = await startMoto();
  ssm = new SSMClient({ region, endpoint: moto.url, credentials });
});
afterAll(async () => {
  ssm?.destroy();
  await moto?.stop();
});
afterEach(async () => {
  await moto.reset();
});

const put = (name: string, value: string) =>
  ssm.send(new PutParameterCommand({ Name: name, Value: value, Type: "SecureString" }));

const secretsOf = (parameters: Record<string, string>) => JSON.stringify({ region, parameters });

/** Counts the calls it passes on to moto. */
function countingClient(): ParameterStoreClient & { calls: number } {
  const client = {
    calls: 0,
    send: (command: Parameters<ParameterStoreClient["send"]>[0]) => {
      client.calls += 1;
      return ssm.send(command as never);
    },
  };
  return client as ParameterStoreClient & { calls: number };
}

describe("withFunctionSecrets", () => {
  it("fills each variable in from its parameter, decrypted, leaving the environment it was given alone", async () => {
    await put("/home-hub/dev/alexa-client-secret", "s3cr3t-value");
    await put("hub-api-key", "another-value");
    const env = {
      HOME_HUB_URL: "https://hub.example.com",
      [FUNCTION_SECRETS_VARIABLE]: secretsOf({
        ALEXA_SKILL_CLIENT_SECRET: "/home-hub/dev/alexa-client-secret",
        HUB_API_KEY: "hub-api-key",
      }),
    };
    const filled = await withFunctionSecrets(env, { client: ssm });
    expect(filled).toMatchObject({
      HOME_HUB_URL: "https://hub.example.com",
      ALEXA_SKILL_CLIENT_SECRET: "s3cr3t-value",
      HUB_API_KEY: "another-value",
    });
    expect(env).not.toHaveProperty("ALEXA_SKILL_CLIENT_SECRET");
  });

  it("reads twelve parameters in two calls (GetParameters takes ten names)", async () => {
    const parameters: Record<string, string> = {};
    for (let i = 0; i < 12; i++) {
      await put(`/app/p${i}`, `value-${i}`);
      parameters[`SECRET_${i}`] = `/app/p${i}`;
    }
    const client = countingClient();
    const filled = await withFunctionSecrets(
      { [FUNCTION_SECRETS_VARIABLE]: secretsOf(parameters) },
      { client },
    );
    expect(client.calls).toBe(2);
    for (let i = 0; i < 12; i++) expect(filled[`SECRET_${i}`]).toBe(`value-${i}`);
  });

  it("reads nothing without SKILLSHIP_SECRETS (a local run, a stack without functionSecrets)", async () => {
    const client = countingClient();
    expect(await withFunctionSecrets({ A: "1" }, { client })).toEqual({ A: "1" });
    expect(client.calls).toBe(0);
  });

  it("names every missing parameter with its variable, and how to create it", async () => {
    await put("/app/present", "present-value");
    const env = {
      [FUNCTION_SECRETS_VARIABLE]: secretsOf({ PRESENT: "/app/present", ABSENT: "/app/absent" }),
    };
    const error = await withFunctionSecrets(env, { client: ssm }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(FunctionSecretsError);
    expect((error as Error).message).toBe(
      "Parameter Store in eu-west-1 has no /app/absent (for ABSENT): create it with `aws ssm put-parameter " +
        "--region eu-west-1 --type SecureString --name NAME --value file://FILE`, or change " +
        "skillship:functionSecrets and run `pulumi up`",
    );
    expect((error as Error).message).not.toContain("present-value");
  });

  it("says what to do when the role may not read a parameter", async () => {
    const denied: ParameterStoreClient = {
      send: () =>
        Promise.reject(Object.assign(new Error("User is not authorized"), { name: "AccessDeniedException" })),
    };
    const env = { [FUNCTION_SECRETS_VARIABLE]: secretsOf({ CLIENT_SECRET: "/app/client" }) };
    await expect(withFunctionSecrets(env, { client: denied })).rejects.toThrow(
      "The function may not read /app/client (for CLIENT_SECRET) in eu-west-1: its role allows the parameters " +
        "skillship:functionSecrets names, as of the last `pulumi up`",
    );
  });

  it.each([
    ["not JSON", "{", "SKILLSHIP_SECRETS is not JSON"],
    [
      "no region",
      JSON.stringify({ parameters: {} }),
      'SKILLSHIP_SECRETS is not { "region": "…", "parameters": { … } }',
    ],
    ["a bad variable", secretsOf({ "1X": "/a" }), 'SKILLSHIP_SECRETS: "1X" is not a variable name'],
    [
      "a bad parameter",
      secretsOf({ X: "a b" }),
      "SKILLSHIP_SECRETS: X does not name a Parameter Store parameter",
    ],
  ])("refuses a SKILLSHIP_SECRETS with %s, saying where it comes from", async (_label, value, message) => {
    const client = countingClient();
    const attempt = withFunctionSecrets({ [FUNCTION_SECRETS_VARIABLE]: value }, { client });
    await expect(attempt).rejects.toThrow(`${message}: the stack sets it from skillship:functionSecrets`);
    expect(client.calls).toBe(0);
  });
});
