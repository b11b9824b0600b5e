/**
 * Users' Alexa tokens in DynamoDB, against moto's server on loopback (started here, stopped afterwards): the
 * record the bridge writes, reads back and deletes, and what a missing table says. Then the whole path: an
 * AcceptGrant through the Lambda entry, configured from the environment only, lands in the table.
 */
import { CreateTableCommand, DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { homeHubSkillFromEnvironment } from "../../../examples/home-hub/src";
import { dynamoDbTokenStore, TOKEN_TABLE_KEY } from "../../../examples/home-hub/src/tokens";
import { HUB_ALICE } from "../../../testkit/fakes/home-hub";
import { FAKE_SKILL_CREDENTIALS } from "../../../testkit/fakes/lwa";
import { startMoto, type Moto } from "../../../testkit/moto";
import { directive } from "../../../scripts/lib/local/smart-home/directives";
import { startHomeHubWorld, type HomeHubWorld } from "./world";

const credentials = { accessKeyId: "testing", secretAccessKey: "testing" };
const region = "eu-west-1";
let moto: Moto;
let admin: DynamoDBClient;
let tables = 0;

beforeAll(async () => {
  moto = await startMoto();
  admin = new DynamoDBClient({ region, endpoint: moto.url, credentials });
}, 90_000);
afterAll(async () => {
  admin?.destroy();
  await moto?.stop();
});

/** A fresh table as the stack would create it: partition key userId (string). */
async function freshTable(): Promise<string> {
  tables += 1;
  const name = `home-hub-tokens-${tables}`;
  await admin.send(
    new CreateTableCommand({
      TableName: name,
      KeySchema: [{ AttributeName: TOKEN_TABLE_KEY, KeyType: "HASH" }],
      AttributeDefinitions: [{ AttributeName: TOKEN_TABLE_KEY, AttributeType: "S" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
  return name;
}

describe("dynamoDbTokenStore against moto_server", () => {
  it("writes a user's tokens, reads them back, replaces and deletes them", async () => {
    const tableName = await freshTable();
    const store = dynamoDbTokenStore({ tableName, region, endpoint: moto.url, credentials });
    const tokens = {
      userId: "hub-user-alice",
      accessToken: "Atza|one",
      refreshToken: "Atzr|one",
      expiresAt: 1_777_000_000_000,
    };

    await store.put(tokens);
    expect(await store.get("hub-user-alice")).toEqual(tokens);
    await store.put({ ...tokens, accessToken: "Atza|two", expiresAt: 1_777_003_600_000 });
    expect(await store.get("hub-user-alice")).toMatchObject({
      accessToken: "Atza|two",
      expiresAt: 1_777_003_600_000,
    });
    expect(await store.get("hub-user-bob")).toBeUndefined();
    await store.delete("hub-user-alice");
    expect(await store.get("hub-user-alice")).toBeUndefined();
  });

  it("keeps the record in the documented shape", async () => {
    const tableName = await freshTable();
    await dynamoDbTokenStore({ tableName, region, endpoint: moto.url, credentials }).put({
      userId: "u1",
      accessToken: "a",
      refreshToken: "r",
      expiresAt: 42,
    });

    const { Item } = await admin.send(
      new GetItemCommand({ TableName: tableName, Key: { userId: { S: "u1" } } }),
    );

    expect(Item).toEqual({
      userId: { S: "u1" },
      accessToken: { S: "a" },
      refreshToken: { S: "r" },
      expiresAt: { N: "42" },
      updatedAt: { S: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) },
    });
  });

  it("names the table, the region and the fix when the table does not exist", async () => {
    const store = dynamoDbTokenStore({
      tableName: "no-such-table",
      region,
      endpoint: moto.url,
      credentials,
    });

    await expect(store.get("u1")).rejects.toThrow(
      'Could not read tokens from DynamoDB table no-such-table: the table does not exist in eu-west-1: create it (partition key "userId", string) or fix TOKEN_TABLE',
    );
  });
});

describe("the Lambda entry's AcceptGrant, configured from the environment", () => {
  let world: HomeHubWorld;
  beforeAll(async () => {
    world = await startHomeHubWorld();
  });
  afterAll(async () => {
    await world.close();
  });

  it("stores the tokens in the TOKEN_TABLE of its region", async () => {
    const tableName = await freshTable();
    const skill = homeHubSkillFromEnvironment({
      HOME_HUB_URL: world.hub.url,
      TOKEN_TABLE: tableName,
      AWS_REGION: region,
      AWS_ENDPOINT_URL_DYNAMODB: moto.url,
      ALEXA_SKILL_CLIENT_ID: FAKE_SKILL_CREDENTIALS.clientId,
      ALEXA_SKILL_CLIENT_SECRET: FAKE_SKILL_CREDENTIALS.clientSecret,
      LWA_TOKEN_URL: world.lwa.tokenUrl,
      ALEXA_EVENT_GATEWAY_URL: world.gateway.url,
    });
    jest.spyOn(console, "log").mockImplementation(() => undefined);
    // The SDK's credential chain reads the process's environment, as on Lambda.
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    });
    let answer: unknown;
    try {
      answer = await skill(
        directive("Alexa.Authorization.AcceptGrant", {
          token: HUB_ALICE.token,
          payload: { grant: { type: "OAuth2.AuthorizationCode", code: world.lwa.issueGrantCode() } },
        }),
      );
    } finally {
      process.env = saved;
      jest.restoreAllMocks();
    }

    expect(answer).toMatchObject({ event: { header: { name: "AcceptGrant.Response" } } });
    const { Item } = await admin.send(
      new GetItemCommand({ TableName: tableName, Key: { userId: { S: HUB_ALICE.userId } } }),
    );
    expect(world.lwa.tokenValid(String(Item?.accessToken?.S))).toBe(true);
  });
});
