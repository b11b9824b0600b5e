import { createLambdaHandlers } from "../../skill/endpoints";
import { launchRequest } from "../../testkit/envelopes";
import { memoryMedia } from "./fixtures";

// Loading either of these would slow every cold start: the test fails as soon as one is loaded.
jest.mock("../../runtime/signature", () => {
  throw new Error("the signature check was loaded");
});
jest.mock("@aws-sdk/client-s3", () => {
  throw new Error("@aws-sdk/client-s3 was loaded");
});

describe("cold start", () => {
  const env = { MEDIA_BUCKET: "jokebox-media", AWS_REGION: "eu-west-1" };

  it("answers a direct invocation without loading the signature check or the S3 client", async () => {
    const { handler } = createLambdaHandlers({ env, media: memoryMedia(), log: () => undefined });

    const answer = await handler(launchRequest());

    expect(answer.response.directives?.[0].type).toBe("AudioPlayer.Play");
  });

  it("loads the signature check on the first HTTPS request that passes the cheap checks only", async () => {
    const { httpsHandler } = createLambdaHandlers({ env, media: memoryMedia(), log: () => undefined });

    const stale = JSON.stringify(launchRequest({ timestamp: new Date(Date.now() - 600_000) }));
    expect((await httpsHandler({ body: stale, headers: {} })).statusCode).toBe(400);
    await expect(httpsHandler({ body: JSON.stringify(launchRequest()), headers: {} })).rejects.toThrow(
      "the signature check was loaded",
    );
  });
});
