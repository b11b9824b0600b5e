/**
 * Weighted routing of an alias (`RoutingConfig.AdditionalVersionWeights`), the canary's lever, through the real
 * Lambda adapter against the in-memory model. moto accepts what Lambda refuses here (`$LATEST` in the weights, a
 * stale RevisionId), so the model is the reference; its refusals follow Lambda's.
 */
import { GetAliasCommand, UpdateAliasCommand } from "@aws-sdk/client-lambda";
import { createFunctionsPort } from "../../../../scripts/lib/adapters/lambda";
import { OperationError } from "../../../../scripts/lib/core/errors";
import { ConcurrentChangeError, type FunctionsPort } from "../../../../scripts/lib/ports";
import { createLambdaModel, type LambdaModel } from "../../../../testkit/fakes/lambda";

const fast = { attempts: 4, initialDelayMs: 1, maxDelayMs: 2 };

describe("an alias's weighted routing (adapter over the in-memory Lambda model)", () => {
  let model: LambdaModel;
  let port: FunctionsPort;

  beforeEach(async () => {
    model = createLambdaModel({ codeSha256: "code-A=" });
    port = createFunctionsPort({ client: model.client, retry: fast });
    model.deploy("code-B=");
    await port.publishVersion(model.functionName, { codeSha256: "code-B=", description: "v2" });
    model.deploy("code-C=");
    await port.publishVersion(model.functionName, { codeSha256: "code-C=", description: "v3" });
  });
  afterEach(() => model.restore());

  async function blue() {
    const alias = await port.getAlias(model.functionName, "blue");
    if (alias === undefined) throw new Error("alias blue is missing");
    return alias;
  }

  it("sends a share of the traffic to another version, reads it back, and gets a new revision", async () => {
    // prepare
    const before = await blue();
    // act
    const moved = await port.updateAlias(model.functionName, "blue", {
      functionVersion: "1",
      description: "canary 10%",
      revisionId: before.revisionId,
      additionalVersionWeights: { "2": 0.1 },
    });
    // assert
    expect(moved).toMatchObject({ functionVersion: "1", additionalVersionWeights: { "2": 0.1 } });
    expect(moved.revisionId).not.toBe(before.revisionId);
    expect(await blue()).toEqual(moved);
    expect(model.aliases.blue.weights).toEqual({ "2": 0.1 });
  });

  it("clears the weights when a move names none: all traffic to the version moved to", async () => {
    const first = await port.updateAlias(model.functionName, "blue", {
      functionVersion: "1",
      description: "canary",
      revisionId: (await blue()).revisionId,
      additionalVersionWeights: { "2": 0.5 },
    });

    const done = await port.updateAlias(model.functionName, "blue", {
      functionVersion: "2",
      description: "all at once",
      revisionId: first.revisionId,
    });

    expect(done.additionalVersionWeights).toBeUndefined();
    expect(model.aliases.blue).toMatchObject({ functionVersion: "2", weights: {} });
  });

  it.each([
    ["$LATEST in the weights", { $LATEST: 0.1 }, /Member must satisfy regular expression pattern: \[0-9\]\+/],
    ["a weight of 1", { "2": 1 }, /weights are from 0.0 to less than 1.0/],
    ["a negative weight", { "2": -0.1 }, /weights are from 0.0 to less than 1.0/],
    ["two additional versions", { "2": 0.1, "3": 0.1 }, /maximum of two function versions/],
    ["a version never published", { "9": 0.1 }, /Function not found: jokebox-prod:9/],
    ["the primary version itself", { "1": 0.1 }, /already the alias's primary version/],
  ])("refuses %s, as Lambda does, and leaves the alias as it was", async (_what, weights, message) => {
    const before = await blue();

    const attempt = port.updateAlias(model.functionName, "blue", {
      functionVersion: "1",
      description: "canary",
      revisionId: before.revisionId,
      additionalVersionWeights: weights,
    });

    await expect(attempt).rejects.toBeInstanceOf(OperationError);
    await expect(attempt).rejects.toThrow(message);
    expect(await blue()).toEqual(before);
  });

  it("refuses weights on an alias whose primary is $LATEST", async () => {
    model.versions.push({ version: "$LATEST", codeSha256: "code-C=", description: "" });
    const before = await blue();

    await expect(
      port.updateAlias(model.functionName, "blue", {
        functionVersion: "$LATEST",
        description: "canary",
        revisionId: before.revisionId,
        additionalVersionWeights: { "2": 0.1 },
      }),
    ).rejects.toThrow(/\$LATEST is not supported for an alias pointing to more than 1 version/);
  });

  it("refuses a stale revision and says which weights the alias now has", async () => {
    const read = await blue();
    model.touchAlias("blue", "1", "moved by a colleague", { "3": 0.25 });

    const attempt = port.updateAlias(model.functionName, "blue", {
      functionVersion: "1",
      description: "canary",
      revisionId: read.revisionId,
      additionalVersionWeights: { "2": 0.1 },
    });

    await expect(attempt).rejects.toBeInstanceOf(ConcurrentChangeError);
    expect(model.aliases.blue.weights).toEqual({ "3": 0.25 });
  });

  it("treats a retried weighted move whose answer was lost as done, but not one with other weights", async () => {
    const read = await blue();
    model.fail({ command: "UpdateAlias", when: "after" });

    const moved = await port.updateAlias(model.functionName, "blue", {
      functionVersion: "1",
      description: "canary",
      revisionId: read.revisionId,
      additionalVersionWeights: { "2": 0.1 },
    });
    expect(moved.additionalVersionWeights).toEqual({ "2": 0.1 });

    // Same version and description, other weights: someone else's change, not ours.
    model.touchAlias("blue", "1", "canary", { "2": 0.3 });
    await expect(
      port.updateAlias(model.functionName, "blue", {
        functionVersion: "1",
        description: "canary",
        revisionId: read.revisionId,
        additionalVersionWeights: { "2": 0.1 },
      }),
    ).rejects.toBeInstanceOf(ConcurrentChangeError);
  });

  it("keeps the alias's weights when an UpdateAlias leaves RoutingConfig out, as Lambda does", async () => {
    await port.updateAlias(model.functionName, "blue", {
      functionVersion: "1",
      description: "canary",
      revisionId: (await blue()).revisionId,
      additionalVersionWeights: { "2": 0.1 },
    });

    await model.client.send(
      new UpdateAliasCommand({ FunctionName: model.functionName, Name: "blue", Description: "x" }),
    );
    const out = await model.client.send(
      new GetAliasCommand({ FunctionName: model.functionName, Name: "blue" }),
    );

    expect(out.RoutingConfig).toEqual({ AdditionalVersionWeights: { "2": 0.1 } });
  });
});
