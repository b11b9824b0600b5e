import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { unzipSync } from "fflate";
import { buildSkill, type BuildReport } from "../../../../scripts/lib/build/bundle";
import { formatBuildReport } from "../../../../scripts/lib/build/report";
import { OperationError } from "../../../../scripts/lib/core/errors";
import { startFakeS3, type FakeS3 } from "../../../../testkit/fakes/s3";

const run = promisify(execFile);

let workdir: string;
let report: BuildReport;

beforeAll(async () => {
  workdir = await mkdtemp(join(tmpdir(), "skillship-build-"));
  report = await buildSkill({ outdir: join(workdir, "first") });
});
afterAll(async () => {
  await rm(workdir, { recursive: true, force: true });
});

describe("buildSkill", () => {
  it("writes the bundle, its source map, the zip and build.json, with the sizes measured", async () => {
    const bundle = await readFile(report.files.bundle);
    const zip = await readFile(report.files.zip);
    expect(report.rawBytes).toBe(bundle.byteLength);
    expect(report.zipBytes).toBe(zip.byteLength);
    expect(report.gzipBytes).toBeGreaterThan(0);
    expect(report.gzipBytes).toBeLessThan(report.rawBytes);
    expect(report.codeSha256).toBe(createHash("sha256").update(zip).digest("base64"));
    expect(JSON.parse(await readFile(report.files.report, "utf8"))).toEqual({
      codeSha256: report.codeSha256,
      rawBytes: report.rawBytes,
      gzipBytes: report.gzipBytes,
      zipBytes: report.zipBytes,
    });
    const entries = unzipSync(zip);
    expect(Object.keys(entries)).toEqual([
      "ask-sdk-model.js",
      "ask-sdk-model.js.map",
      "index.js",
      "index.js.map",
      "verifier.js",
      "verifier.js.map",
    ]);
    expect(report.chunks).toEqual([
      {
        file: join(workdir, "first", "verifier.js"),
        bytes: entries["verifier.js"].byteLength,
        what: expect.stringContaining("signature check"),
      },
      {
        file: join(workdir, "first", "ask-sdk-model.js"),
        bytes: entries["ask-sdk-model.js"].byteLength,
        what: expect.stringContaining("service clients"),
      },
    ]);
    expect(Buffer.from(entries["verifier.js"]).equals(await readFile(report.chunks[0].file))).toBe(true);
    expect(Buffer.from(entries["index.js"]).equals(bundle)).toBe(true);
    // The map ships beside the bundle, unlinked: skill/stack.ts reads it on the error path only.
    expect(bundle.toString("utf8")).not.toContain("sourceMappingURL");
    const map = JSON.parse(await readFile(report.files.sourceMap, "utf8")) as { sources: string[] };
    expect(map.sources).toContain("skill/lambda.ts");
    const sizes = report.largest.map((entry) => entry.bytes);
    expect(sizes).toHaveLength(5);
    expect([...sizes].sort((a, b) => b - a)).toEqual(sizes);
    expect(sizes.reduce((a, b) => a + b)).toBeLessThanOrEqual(report.rawBytes);
    expect(formatBuildReport(report)).toMatch(
      new RegExp(`bundle .* KiB raw, .* KiB gzip\\n(.*\\n)*largest +${report.largest[0].name} `),
    );
  });

  // The CLI runs in a child that starts cold (tsx compiles its sources): ~8 s here with both cores busy. The
  // timeout guards against a hang and measures nothing, so it is generous.
  it("gives the same bytes for the same sources, whatever the folder and the timezone", async () => {
    const outdir = join(workdir, "second");
    const { stdout } = await run(
      process.execPath,
      ["bin/skillship.js", "build", "--outdir", outdir, "--json"],
      {
        env: { ...process.env, TZ: "Pacific/Kiritimati" },
      },
    );
    const second = JSON.parse(stdout) as BuildReport;
    expect(second.codeSha256).toBe(report.codeSha256);
    expect((await readFile(second.files.zip)).equals(await readFile(report.files.zip))).toBe(true);
  }, 60_000);

  it("keeps the S3 client out of the bundle and says who imported it", async () => {
    const error = await buildSkill({
      outdir: join(workdir, "heavy"),
      entry: "test/scripts/lib/build/fixtures/s3-client-entry.ts",
      forbiddenPackages: ["@aws-sdk/client-s3"],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OperationError);
    expect((error as Error).message).toMatch(
      /includes @aws-sdk\/client-s3 \(imported by test\/scripts\/lib\/build\/fixtures\/s3-client-entry\.ts\), which build\.forbiddenPackages/,
    );
    // Forbidden only where the project says so.
    const allowed = await buildSkill({
      outdir: join(workdir, "heavy-allowed"),
      entry: "test/scripts/lib/build/fixtures/s3-client-entry.ts",
    });
    expect(allowed.largest.map((entry) => entry.name)).toContain("@aws-sdk/client-s3");
  });

  it("loads ask-sdk-model's service clients from their chunk when a skill configures an API client", async () => {
    const built = await buildSkill({
      outdir: join(workdir, "api-client"),
      entry: "test/scripts/lib/build/fixtures/api-client-entry.ts",
    });
    const script = `
      const { skill } = require(process.env.BUNDLE);
      const before = Object.keys(require.cache);
      skill.invoke(JSON.parse(process.env.EVENT)).then((answer) => {
        const loaded = Object.keys(require.cache).filter((file) => !before.includes(file));
        process.stdout.write(JSON.stringify({ speech: answer.response.outputSpeech.ssml, loaded }));
      });
    `;
    const event = {
      version: "1.0",
      context: {
        System: {
          application: { applicationId: "amzn1.ask.skill.test" },
          apiEndpoint: "https://api.amazonalexa.com",
          apiAccessToken: "token",
        },
      },
      request: {
        type: "LaunchRequest",
        requestId: "r",
        timestamp: new Date().toISOString(),
        locale: "en-US",
      },
    };
    const { stdout } = await run(process.execPath, ["-e", script], {
      env: {
        PATH: process.env.PATH ?? "",
        BUNDLE: resolve(built.files.bundle),
        EVENT: JSON.stringify(event),
      },
    });

    expect(JSON.parse(stdout)).toEqual({
      speech: "<speak>function</speak>",
      loaded: [resolve(join(workdir, "api-client", "ask-sdk-model.js"))],
    });
  });

  it("fails with esbuild's errors, each with file, line and column", async () => {
    const entry = join(workdir, "broken.ts");
    await writeFile(entry, 'import { missing } from "./nowhere";\nexport const handler = () => missing(;\n');
    const error = await buildSkill({ outdir: join(workdir, "broken"), entry }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OperationError);
    expect((error as Error).message).toMatch(
      /esbuild could not bundle .*broken\.ts:\n {2}.*broken\.ts:2:\d+: /,
    );
  });
});

describe("the bundle in a fresh node process", () => {
  const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "not-a-real-secret" };
  let s3: FakeS3;

  // S3 on loopback, holding one clip, refusing any request whose SigV4 signature @smithy/signature-v4 rejects.
  beforeEach(async () => {
    s3 = await startFakeS3({
      bucket: "jokes",
      region: "eu-west-1",
      credentials,
      keys: ["en/knock-knock.mp3"],
    });
  });
  afterEach(() => s3.close());

  const launch = {
    version: "1.0",
    session: {
      new: true,
      sessionId: "amzn1.echo-api.session.build-test",
      application: { applicationId: "amzn1.ask.skill.11111111-2222-3333-4444-555555555555" },
      user: { userId: "amzn1.ask.account.TEST" },
    },
    context: {
      System: {
        application: { applicationId: "amzn1.ask.skill.11111111-2222-3333-4444-555555555555" },
        user: { userId: "amzn1.ask.account.TEST" },
        device: { deviceId: "amzn1.ask.device.TEST", supportedInterfaces: { AudioPlayer: {} } },
        apiEndpoint: "https://api.amazonalexa.com",
      },
    },
    request: {
      type: "LaunchRequest",
      requestId: "amzn1.echo-api.request.build-test",
      timestamp: new Date().toISOString(),
      locale: "en-US",
    },
  };

  // Loads the bundle as Lambda does, answers one request, and reports which files node loaded besides it.
  const script = `
    const { handler } = require(process.env.BUNDLE);
    handler(JSON.parse(process.env.EVENT), {}).then((response) => {
      const loaded = Object.keys(require.cache).filter((file) => file !== process.env.BUNDLE);
      process.stdout.write("\\nRESULT " + JSON.stringify({ response, loaded }));
    });
  `;
  const baseEnv = {
    PATH: process.env.PATH ?? "",
    BUNDLE: "",
    EVENT: JSON.stringify(launch),
  };

  const s3Env = () => ({
    ...baseEnv,
    BUNDLE: resolve(report.files.bundle),
    MEDIA_BUCKET: "jokes",
    AWS_REGION: "eu-west-1",
    AWS_ENDPOINT_URL_S3: s3.url,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
  });

  it("answers a LaunchRequest with a welcome and a presigned clip, loading nothing from node_modules", async () => {
    const { stdout } = await run(process.execPath, ["-e", script], { cwd: workdir, env: s3Env() });
    const [logs, result] = stdout.split("\nRESULT ");
    const { response, loaded } = JSON.parse(result);
    const log = JSON.parse(logs.trim());
    expect(log).toMatchObject({ requestType: "LaunchRequest", locale: "en-US" });
    expect(log.error).toBeUndefined();
    expect(loaded).toEqual([]);
    expect(s3.requests).toMatchObject([{ path: "/jokes/", signatureValid: true }]);
    expect(response.version).toBe("1.0");
    expect(response.response.outputSpeech.ssml).toMatch(/<speak>.+<\/speak>/);
    const [play] = response.response.directives;
    expect(play.type).toBe("AudioPlayer.Play");
    const url = new URL(play.audioItem.stream.url);
    expect(url.pathname).toBe("/jokes/en/knock-knock.mp3");
    expect(await s3.checkPresignedUrl(url.href)).toEqual({ signatureValid: true, expired: false });
  });

  it("answers from the clips the deployment knew (MEDIA_CLIPS) without asking S3", async () => {
    const { stdout } = await run(process.execPath, ["-e", script], {
      cwd: workdir,
      env: { ...s3Env(), MEDIA_CLIPS: JSON.stringify(["en/knock-knock.mp3"]) },
    });
    const { response } = JSON.parse(stdout.split("\nRESULT ")[1]);

    expect(s3.requests).toEqual([]);
    const url = response.response.directives[0].audioItem.stream.url;
    expect(new URL(url).pathname).toBe("/jokes/en/knock-knock.mp3");
    expect(await s3.checkPresignedUrl(url)).toEqual({ signatureValid: true, expired: false });
  });

  it("loads the signature verifier only when the HTTPS handler first verifies, from the chunk beside index.js", async () => {
    const httpsScript = `
      const { httpsHandler } = require(process.env.BUNDLE);
      const before = Object.keys(require.cache).length;
      httpsHandler({ body: process.env.EVENT, headers: { "content-type": "application/json" } }).then((result) => {
        const loaded = Object.keys(require.cache).filter((file) => file !== process.env.BUNDLE);
        process.stdout.write("\\nRESULT " + JSON.stringify({ result, before, loaded }));
      });
    `;
    const { stdout } = await run(process.execPath, ["-e", httpsScript], {
      env: {
        ...baseEnv,
        BUNDLE: resolve(report.files.bundle),
        MEDIA_BUCKET: "jokes",
        AWS_REGION: "eu-west-1",
      },
    });
    const { result, before, loaded } = JSON.parse(stdout.split("\nRESULT ")[1]);
    expect(before).toBe(1);
    expect(result.statusCode).toBe(400);
    expect(loaded).toEqual([resolve(report.chunks[0].file)]);
  });

  it("refuses to start without a media bucket, naming the variable", async () => {
    const mediaDir = join(workdir, "media");
    const error = await run(process.execPath, ["-e", script], {
      env: { ...baseEnv, BUNDLE: resolve(report.files.bundle), MEDIA_DIR: mediaDir },
    }).catch((e: unknown) => e as { code: number; stderr: string });
    expect(error).toMatchObject({ code: 1, stderr: expect.stringContaining("MEDIA_BUCKET") });
  });
});
