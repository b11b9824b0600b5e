import { createLambdaHandlers } from "../../skill/endpoints";
import { launchRequest } from "../../testkit/envelopes";
import { memoryMedia } from "./fixtures";

// Loading either of these would slow every cold start: the test fails as soon as one is loaded.
jest.mock("node-forge", () => {
  throw new Error("node-forge was loaded");
});
jest.mock("@aws-sdk/client-s3", () => {
  throw new Error("@aws-sdk/client-s3 was loaded");
});

describe("cold start", () => {
  const env = { MEDIA_BUCKET: "jokebox-media", AWS_REGION: "eu-west-1" };

  it("answers a direct invocation without loading the signature verifier or the S3 client", async () => {
    const { handler } = createLambdaHandlers({ env, media: memoryMedia(), log: () => undefined });

    const answer = await handler(launchRequest());

    expect(answer.response.directives?.[0].type).toBe("AudioPlayer.Play");
  });

  it("loads the signature verifier (and node-forge) on the first HTTPS request only", async () => {
    const { httpsHandler } = createLambdaHandlers({ env, media: memoryMedia(), log: () => undefined });

    await expect(httpsHandler({ body: JSON.stringify(launchRequest()), headers: {} })).rejects.toThrow(
      "node-forge was loaded",
    );
  });
});
