import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { createFunctionsPort } from "../../../../scripts/lib/adapters/lambda";
import { ConcurrentChangeError } from "../../../../scripts/lib/ports";
import { OperationError } from "../../../../scripts/lib/core/errors";
import { createLambdaModel, type LambdaModel } from "../../../../testkit/fakes/lambda";

const fast = { attempts: 4, initialDelayMs: 1, maxDelayMs: 2 };

describe("createFunctionsPort (against the in-memory Lambda model)", () => {
  let model: LambdaModel;
  beforeEach(() => {
    model = createLambdaModel({ codeSha256: "code-A=" });
  });
  afterEach(() => model.restore());

  it("reads $LATEST and lists every version across pages, without $LATEST, oldest first", async () => {
    // prepare
    const port = createFunctionsPort({ client: model.client, retry: fast });
    for (const code of ["code-B=", "code-C=", "code-D="]) {
      model.deploy(code);
      await port.publishVersion(model.functionName, { codeSha256: code, description: `d ${code}` });
    }
    // act
    const latest = await port.getLatest(model.functionName);
    const versions = await port.listVersions(model.functionName);
    // assert
    expect(latest.codeSha256).toBe("code-D=");
    expect(versions.map((v) => v.version)).toEqual(["1", "2", "3", "4"]);
    expect(versions[3]).toEqual({ version: "4", codeSha256: "code-D=", description: "d code-D=" });
    expect(model.count("ListVersionsByFunction")).toBe(3);
  });

  it("refuses to publish when $LATEST no longer holds the expected code, and publishes nothing", async () => {
    const port = createFunctionsPort({ client: model.client, retry: fast });
    model.deploy("code-B=");
    const attempt = port.publishVersion(model.functionName, { codeSha256: "code-C=", description: "x" });
    await expect(attempt).rejects.toBeInstanceOf(ConcurrentChangeError);
    await expect(attempt).rejects.toThrow(/expected code code-C=.*found code code-B=/);
    expect(model.versions).toHaveLength(1);
  });

  it("refuses a stale alias revision with a message saying what the alias now points at", async () => {
    const port = createFunctionsPort({ client: model.client, retry: fast });
    model.deploy("code-B=");
    await port.publishVersion(model.functionName, { codeSha256: "code-B=", description: "v2" });
    const read = await port.getAlias(model.functionName, "blue");
    model.touchAlias("blue", "2", "moved by a colleague");
    const attempt = port.updateAlias(model.functionName, "blue", {
      functionVersion: "1",
      description: "mine",
      revisionId: read?.revisionId ?? "",
    });
    await expect(attempt).rejects.toBeInstanceOf(ConcurrentChangeError);
    await expect(attempt).rejects.toThrow(/now points at version 2 .*moved by a colleague/);
    expect(model.aliases.blue.functionVersion).toBe("2");
  });

  it("retries a storm of 429s within the bound and succeeds", async () => {
    const port = createFunctionsPort({ client: model.client, retry: fast });
    model.fail({ command: "GetAlias", times: 3 });
    const alias = await port.getAlias(model.functionName, "green");
    expect(alias?.functionVersion).toBe("1");
    expect(model.count("GetAlias")).toBe(4);
  });

  it("gives up after the bound with an error naming the call", async () => {
    const port = createFunctionsPort({ client: model.client, retry: fast });
    model.fail({ command: "GetFunctionConfiguration", times: 10 });
    await expect(port.getLatest(model.functionName)).rejects.toThrow(
      /Lambda refused reading jokebox-prod:\$LATEST: TooManyRequestsException/,
    );
    expect(model.count("GetFunctionConfiguration")).toBe(4);
  });

  it("treats a retried alias move whose first answer was lost as done, not as a concurrent change", async () => {
    const port = createFunctionsPort({ client: model.client, retry: fast });
    model.deploy("code-B=");
    await port.publishVersion(model.functionName, { codeSha256: "code-B=", description: "v2" });
    const read = await port.getAlias(model.functionName, "green");
    model.fail({ command: "UpdateAlias", when: "after" });
    const moved = await port.updateAlias(model.functionName, "green", {
      functionVersion: "2",
      description: "release",
      revisionId: read?.revisionId ?? "",
    });
    expect(moved.functionVersion).toBe("2");
    expect(model.aliases.green).toMatchObject({ functionVersion: "2", description: "release" });
  });

  it("treats a retried publish whose first answer was lost as done, without a second version", async () => {
    const port = createFunctionsPort({ client: model.client, retry: fast });
    model.deploy("code-B=");
    const { revisionId } = await port.getLatest(model.functionName);
    model.fail({ command: "PublishVersion", when: "after" });
    const published = await port.publishVersion(model.functionName, {
      codeSha256: "code-B=",
      description: "v2",
      revisionId,
    });
    expect(published.version).toBe("2");
    expect(model.versions.map((v) => v.version)).toEqual(["1", "2"]);
  });

  it("returns undefined for a missing alias and names the function when it does not exist", async () => {
    const port = createFunctionsPort({ client: model.client, retry: fast });
    expect(await port.getAlias(model.functionName, "purple")).toBeUndefined();
    const attempt = port.getLatest("no-such-function");
    await expect(attempt).rejects.toBeInstanceOf(OperationError);
    await expect(attempt).rejects.toThrow(/does the function exist\?/);
  });
});

describe("createFunctionsPort endpoint overrides (the SDK's own AWS_ENDPOINT_URL_LAMBDA / AWS_ENDPOINT_URL)", () => {
  let server: Server;
  let url: string;
  const seen: string[] = [];
  const saved = { ...process.env };

  beforeAll(async () => {
    server = createServer((request: IncomingMessage, response) => {
      seen.push(`${request.method} ${request.url}`);
      response.setHeader("content-type", "application/json");
      response.end(
        JSON.stringify({ FunctionName: "fn", Version: "$LATEST", CodeSha256: "abc=", RevisionId: "r1" }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    seen.length = 0;
    Object.assign(process.env, {
      AWS_REGION: "eu-west-1",
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
    });
    delete process.env.AWS_ENDPOINT_URL;
    delete process.env.AWS_ENDPOINT_URL_LAMBDA;
    delete process.env.AWS_PROFILE;
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  it.each(["AWS_ENDPOINT_URL_LAMBDA", "AWS_ENDPOINT_URL"])("sends requests to %s", async (variable) => {
    process.env[variable] = url;
    const port = createFunctionsPort({ retry: fast });
    const latest = await port.getLatest("fn");
    expect(latest).toEqual({ codeSha256: "abc=", revisionId: "r1" });
    expect(seen).toEqual(["GET /2015-03-31/functions/fn/configuration?Qualifier=%24LATEST"]);
  });
});

describe("createFunctionsPort honours Lambda's Retry-After", () => {
  const waits: number[] = [];
  const recorded = { ...fast, sleep: async (ms: number) => void waits.push(ms) };
  beforeEach(() => {
    waits.length = 0;
  });

  it("waits at least the retryAfterSeconds a throttle carries (the in-memory model)", async () => {
    const model = createLambdaModel({ codeSha256: "code-A=" });
    try {
      model.fail({ command: "GetAlias", times: 2, retryAfterSeconds: "2" });
      const port = createFunctionsPort({ client: model.client, retry: recorded });
      expect((await port.getAlias(model.functionName, "blue"))?.functionVersion).toBe("1");
      expect(waits).toHaveLength(2);
      for (const wait of waits) expect(wait).toBeGreaterThanOrEqual(2000);
    } finally {
      model.restore();
    }
  });

  // The real SDK against a loopback Lambda: how it hands a 429's Retry-After (seconds) and a 503's (an HTTP date,
  // counted from the answer's own Date header) to the retries.
  it.each([
    ["TooManyRequestsException", 429, () => "3", 3000],
    ["ServiceException", 503, (now: number) => new Date(now + 4000).toUTCString(), 3000],
  ])(
    "a %s answered with Retry-After is retried no sooner than asked",
    async (type, status, retryAfter, least) => {
      let answered = 0;
      const server = createServer((_request, response) => {
        answered += 1;
        const now = Date.now() - 3_600_000; // the service's clock is an hour behind: the date is read from its answer
        response.setHeader("content-type", "application/json");
        response.setHeader("date", new Date(now).toUTCString());
        if (answered === 1) {
          response.setHeader("x-amzn-errortype", type);
          response.setHeader("retry-after", retryAfter(now));
          response.statusCode = status;
          response.end(JSON.stringify({ Type: "Service", message: "slow down" }));
          return;
        }
        response.end(
          JSON.stringify({ Name: "blue", FunctionVersion: "7", Description: "", RevisionId: "r" }),
        );
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      try {
        const client = new LambdaClient({
          endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
          region: "eu-west-1",
          credentials: { accessKeyId: "test", secretAccessKey: "test" },
          maxAttempts: 1,
        });
        const port = createFunctionsPort({ client, retry: recorded });
        expect((await port.getAlias("fn", "blue"))?.functionVersion).toBe("7");
        expect(answered).toBe(2);
        expect(waits).toHaveLength(1);
        expect(waits[0]).toBeGreaterThanOrEqual(least);
        expect(waits[0]).toBeLessThan(6000);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    },
  );

  it("stops retrying when the service asks for a wait beyond the budget", async () => {
    const model = createLambdaModel({ codeSha256: "code-A=" });
    try {
      model.fail({ command: "GetAlias", times: 1, retryAfterSeconds: "120" });
      const port = createFunctionsPort({ client: model.client, retry: { ...recorded, budgetMs: 30_000 } });
      await expect(port.getAlias(model.functionName, "blue")).rejects.toThrow(/TooManyRequestsException/);
      expect(model.count("GetAlias")).toBe(1);
      expect(waits).toEqual([]);
    } finally {
      model.restore();
    }
  });
});
