/**
 * The bundle as deployed, each test in a fresh Node process as Lambda runs it: its errors point at the sources
 * although it links no source map (see skill/stack.ts), with NODE_OPTIONS as the stack sets it (bench/lib/
 * deployed.ts); and without MEDIA_CLIPS it lists the bucket over HTTPS, trusting the CA it is told to (the fake S3
 * speaks TLS on loopback, as real S3 does).
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { STACK_NODE_OPTIONS } from "../../bench/lib/deployed";
import { buildSkill, type BuildReport } from "../../scripts/lib/build/bundle";
import { readableStack } from "../../skill/stack";
import { createLoopbackTls } from "../../testkit/certificates";
import { launchRequest, TEST_SKILL_ID } from "../../testkit/envelopes";
import { startFakeS3 } from "../../testkit/fakes/s3";

const root = resolve(__dirname, "..", "..");

// Loads the bundle named by argv[2], sends it a non-Alexa event (thrown) then a launch whose clip listing fails
// (logged by the error handler), and prints what was thrown on stderr.
const DRIVER = `
const skill = require(process.argv[2]);
skill.handler({ not: "alexa" }).catch((error) => {
  process.stderr.write(JSON.stringify({ stack: error.stack }) + "\\n");
  return skill.handler(JSON.parse(process.argv[3]));
});
`;

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolvePromise({ stdout, stderr }) : reject(new Error(`exit ${code}: ${stderr}`)),
    );
  });
}

describe("the bundle as deployed", () => {
  let workdir: string;
  let build: BuildReport;
  beforeAll(async () => {
    workdir = await mkdtemp(join(tmpdir(), "skillship-deployed-"));
    build = await buildSkill({ root, outdir: join(workdir, "skill") });
  }, 60_000);
  afterAll(() => rm(workdir, { recursive: true, force: true }));

  it("maps what it throws and logs to the sources, with no source map linked at start-up", async () => {
    // prepare
    const driver = join(workdir, "driver.js");
    await writeFile(driver, DRIVER);
    const env = {
      PATH: process.env.PATH,
      SKILL_ID: TEST_SKILL_ID,
      MEDIA_BUCKET: "jokebox-media",
      AWS_REGION: "eu-west-1",
      AWS_ACCESS_KEY_ID: "AKIDTEST",
      AWS_SECRET_ACCESS_KEY: "test-secret",
      // Nothing listens there: the first listing fails and the error handler answers.
      AWS_ENDPOINT_URL_S3: "http://127.0.0.1:9",
      // As the stack sets it (none): no map is linked from the bundle, and skill/stack.ts maps the stack.
      NODE_OPTIONS: STACK_NODE_OPTIONS,
    };
    // act
    const { stdout, stderr } = await run(
      [driver, resolve(root, build.files.bundle), JSON.stringify(launchRequest())],
      env,
    );
    // assert
    const bundle = resolve(root, build.files.bundle);
    const thrown = JSON.parse(stderr.trim().split("\n")[0]).stack as string;
    expect(thrown).toMatch(/^TypeError: Not an Alexa request/);
    expect(thrown).toMatch(/at \S+ \(runtime\/envelope\.ts:\d+:\d+\)/);
    expect(thrown).toMatch(/skill\/endpoints\.ts:\d+:\d+/);
    expect(thrown).not.toContain(`${bundle}:`);
    const logged = stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line))
      .find((entry) => entry.requestType === "LaunchRequest");
    expect(logged.error.name).toBe("MediaError");
    expect(logged.error.stack).toMatch(/skill\/media\/s3\.ts:\d+:\d+/);
  }, 60_000);

  it("lists the bucket over HTTPS on its first request, trusting the CA it is told to, and reports its version", async () => {
    const tls = createLoopbackTls();
    const caFile = join(workdir, "ca.pem");
    await writeFile(caFile, tls.caPem);
    const credentials = {
      accessKeyId: "ASIATEST",
      secretAccessKey: "test-secret",
      sessionToken: "t".repeat(1100),
    };
    const s3 = await startFakeS3({
      bucket: "jokebox-media",
      region: "eu-west-1",
      credentials,
      keys: ["en/a.mp3"],
      tls,
    });
    const driver = join(workdir, "launch.js");
    await writeFile(
      driver,
      "require(process.argv[2]).handler(JSON.parse(process.argv[3])).then((a) => " +
        "process.stderr.write(JSON.stringify(a) + '\\n'));",
    );
    try {
      const env = {
        PATH: process.env.PATH,
        SKILL_ID: TEST_SKILL_ID,
        MEDIA_BUCKET: "jokebox-media",
        AWS_REGION: "eu-west-1",
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
        AWS_SESSION_TOKEN: credentials.sessionToken,
        AWS_LAMBDA_FUNCTION_NAME: "jokebox-prod-skill",
        AWS_LAMBDA_FUNCTION_VERSION: "7",
        AWS_ENDPOINT_URL_S3: s3.url,
        NODE_EXTRA_CA_CERTS: caFile,
      };

      const { stdout, stderr } = await run(
        [driver, resolve(root, build.files.bundle), JSON.stringify(launchRequest())],
        env,
      );

      expect(s3.url).toMatch(/^https:/);
      expect(s3.requests.filter((request) => request.query["list-type"] === "2")).toEqual([
        expect.objectContaining({ signatureValid: true }),
      ]);
      const answer = JSON.parse(stderr.trim());
      const url = answer.response.directives[0].audioItem.stream.url as string;
      expect(url.startsWith(`${s3.url}/jokebox-media/en/a.mp3?`)).toBe(true);
      expect((await s3.checkPresignedUrl(url)).signatureValid).toBe(true);
      const line = JSON.parse(stdout.trim());
      expect(line).toMatchObject({
        requestType: "LaunchRequest",
        FunctionVersion: "7",
        Requests: 1,
        HandlerErrors: 0,
      });
    } finally {
      await s3.close();
    }
  }, 60_000);

  it("leaves frames of files without a map beside them as they are", () => {
    const error = new Error("plain");
    expect(readableStack(error)).toBe(error.stack);
    expect(readableStack("not an error")).toBeUndefined();
  });
});
