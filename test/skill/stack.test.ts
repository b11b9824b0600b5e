/**
 * The deployed bundle's errors point at the sources although it links no source map (see skill/stack.ts): the
 * bundle runs in a fresh Node process as Lambda runs it, without NODE_OPTIONS, and what it throws and logs is
 * checked for source positions.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { buildSkill } from "../../scripts/lib/build/bundle";
import { readableStack } from "../../skill/stack";
import { launchRequest, TEST_SKILL_ID } from "../../testkit/envelopes";

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

describe("readable stack traces from the bundle", () => {
  let workdir: string;
  beforeAll(async () => {
    workdir = await mkdtemp(join(tmpdir(), "skillship-stack-"));
  });
  afterAll(() => rm(workdir, { recursive: true, force: true }));

  it("maps what the bundle throws and logs to the sources, with no source map linked at start-up", async () => {
    // prepare
    const build = await buildSkill({ root, outdir: join(workdir, "skill") });
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
    expect(thrown).toMatch(/at \S+ \(skill\/envelope\.ts:\d+:\d+\)/);
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

  it("leaves frames of files without a map beside them as they are", () => {
    const error = new Error("plain");
    expect(readableStack(error)).toBe(error.stack);
    expect(readableStack("not an error")).toBeUndefined();
  });
});
