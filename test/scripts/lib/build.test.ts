import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { once } from "node:events";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { unzipSync } from "fflate";
import { buildSkill, formatBuildReport, type BuildReport } from "../../../scripts/lib/build";
import { OperationError } from "../../../scripts/lib/errors";

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
    expect(Object.keys(entries)).toEqual(["index.js", "index.js.map", "verifier.js", "verifier.js.map"]);
    expect(report.chunks).toEqual([
      {
        file: join(workdir, "first", "verifier.js"),
        bytes: entries["verifier.js"].byteLength,
        what: expect.stringContaining("signature verifier"),
      },
    ]);
    expect(Buffer.from(entries["verifier.js"]).equals(await readFile(report.chunks[0].file))).toBe(true);
    expect(Buffer.from(entries["index.js"]).equals(bundle)).toBe(true);
    expect(bundle.toString("utf8")).toMatch(/\/\/# sourceMappingURL=index\.js\.map\s*$/);
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
  });

  it("keeps the S3 client out of the bundle and says who imported it", async () => {
    const error = await buildSkill({
      outdir: join(workdir, "heavy"),
      entry: "test/scripts/lib/fixtures/s3-client-entry.ts",
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OperationError);
    expect((error as Error).message).toMatch(
      /includes @aws-sdk\/client-s3 \(imported by test\/scripts\/lib\/fixtures\/s3-client-entry\.ts\)/,
    );
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
  let s3: Server;
  let listings = 0;

  beforeAll(async () => {
    // The S3 API's ListObjectsV2 answer for a bucket holding one clip, on loopback.
    s3 = createServer((request, response) => {
      listings += 1;
      const ok =
        /^\/jokes\/?\?(.*&)?list-type=2/.test(request.url ?? "") &&
        request.headers.authorization?.startsWith("AWS4-HMAC-SHA256");
      response.writeHead(ok ? 200 : 403, { "content-type": "application/xml" });
      response.end(
        ok
          ? '<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
              "<Name>jokes</Name><Prefix></Prefix><KeyCount>1</KeyCount><MaxKeys>1000</MaxKeys>" +
              "<IsTruncated>false</IsTruncated><Contents><Key>en/knock-knock.mp3</Key><Size>2048</Size></Contents>" +
              "</ListBucketResult>"
          : "<Error><Code>AccessDenied</Code></Error>",
      );
    });
    s3.listen(0, "127.0.0.1");
    await once(s3, "listening");
  });
  afterAll(() => {
    s3.close();
  });

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

  it("answers a LaunchRequest with a welcome and a presigned clip, loading nothing from node_modules", async () => {
    const bundle = resolve(report.files.bundle);
    const { port } = s3.address() as AddressInfo;
    const { stdout } = await run(process.execPath, ["-e", script], {
      cwd: workdir,
      env: {
        ...baseEnv,
        BUNDLE: bundle,
        MEDIA_BUCKET: "jokes",
        AWS_REGION: "eu-west-1",
        AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${port}`,
        AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
        AWS_SECRET_ACCESS_KEY: "not-a-real-secret",
      },
    });
    const [logs, result] = stdout.split("\nRESULT ");
    const { response, loaded } = JSON.parse(result);
    const log = JSON.parse(logs.trim());
    expect(log).toMatchObject({ requestType: "LaunchRequest", locale: "en-US" });
    expect(log.error).toBeUndefined();
    expect(loaded).toEqual([]);
    expect(listings).toBe(1);
    expect(response.version).toBe("1.0");
    expect(response.response.outputSpeech.ssml).toMatch(/<speak>.+<\/speak>/);
    const [play] = response.response.directives;
    expect(play.type).toBe("AudioPlayer.Play");
    const url = new URL(play.audioItem.stream.url);
    expect(url.pathname).toBe("/jokes/en/knock-knock.mp3");
    expect(url.searchParams.get("X-Amz-Signature")).toMatch(/^[0-9a-f]{64}$/);
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
