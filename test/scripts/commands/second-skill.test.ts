/**
 * A second skill that shares no code with Jokebox (an ASK CLI project of plain ask-sdk-core handlers, one locale,
 * no media) goes through lint, build, say, dialog --replay, dev over HTTP, diff and release --dry-run, read from
 * its own folder as it is.
 */
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { SimulatedDevice } from "../../../scripts/lib/local/dialog/device";
import { withEndpoint } from "../../../scripts/lib/package/endpoint";
import { createLambdaModel } from "../../../testkit/fakes/lambda";
import { startFakeSmapi } from "../../../testkit/fakes/smapi";
import { prodOutputs } from "../../../testkit/release-world";
import { spawnCli } from "../support/cli-process";
import { post } from "../support/http";
import { SECOND_SKILL_ID, secondSkillPackage, writeSecondSkill } from "../support/second-skill";
import { plainEnv, runCli, writeOutputs } from "./cli-harness";

// The spawned `dev` starts cold; the guard stops a hang and measures nothing.
const SPAWNED_GUARD_MS = 60_000;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "skillship-second-skill-"));
  await writeSecondSkill(dir);
});

const cli = (args: string[], env: Record<string, string | undefined> = {}) =>
  runCli(args, { ...plainEnv, ...env }, { cwd: dir });

describe("a second skill, read from its ASK CLI project", () => {
  it("lints, the handler rule skipped with one info line since its handlers declare nothing", async () => {
    const result = await cli(["lint"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout.split("\n")).toEqual([
      expect.stringMatching(/^info: rule handlers skipped: the project names no code\.handlers module/),
      "Skill package OK: no problems found.",
      "",
    ]);
  });

  it("builds its lambda/index.js into dist/skill", async () => {
    const result = await cli(["build", "--json"]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { files: { zip: string }; largest: { name: string }[] };
    expect(report.files.zip).toBe(path.join("dist", "skill", "skill.zip"));
    expect(report.largest.map((entry) => entry.name)).toEqual(
      expect.arrayContaining(["ask-sdk-core", "lambda/"]),
    );
  });

  it("answers say and replays its dialog file offline", async () => {
    const said = await cli(["say", "ask coin flipper to flip"]);
    expect(said.code).toBe(0);
    expect(said.stdout).toContain("FlipCoinIntent");
    expect(said.stdout).toContain("It landed on heads.");
    const replayed = await cli(["dialog", "--replay", path.join(dir, "dialogs", "en-US.yaml")]);
    expect(replayed.stdout).toContain("PASS");
    expect(replayed.code).toBe(0);
  });

  it(
    "serves a LaunchRequest over HTTP with skillship dev",
    async () => {
      const dev = spawnCli(["dev", "--port", "0", "--no-watch"], { cwd: dir });
      try {
        await dev.printed(/Ctrl-C stops the server/);
        expect(dev.stdout()).toContain('en-US "coin flipper"');
        const origin = /Endpoint\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(dev.stdout())?.[1] as string;
        const launch = new SimulatedDevice({ skillId: SECOND_SKILL_ID }).request(
          { requestType: "LaunchRequest", invoked: true },
          "en-US",
        );
        const answer = await post(origin, launch);
        expect(answer.status).toBe(200);
        expect(JSON.stringify(answer.json())).toContain("Coin flip here");
        dev.child.kill("SIGINT");
        expect(await dev.closed).toBe(0);
      } finally {
        dev.child.kill("SIGKILL");
      }
    },
    SPAWNED_GUARD_MS,
  );
});

describe("a second skill against the fake Skill Management API", () => {
  it("diffs its package against the development stage of the skill the ASK CLI deployed", async () => {
    const changed = structuredClone(secondSkillPackage.models);
    changed["en-US"].interactionModel.languageModel.invocationName = "coin tosser";
    const fake = await startFakeSmapi({
      skills: [
        { skillId: SECOND_SKILL_ID, development: { manifest: secondSkillPackage.manifest, models: changed } },
      ],
    });
    try {
      const result = await cli(["diff", "--format", "json"], fake.env);
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      const diff = JSON.parse(result.stdout) as { identical: boolean; models: { locale: string }[] };
      expect(JSON.stringify(diff)).toContain("coin tosser");
      expect(JSON.stringify(diff)).toContain("coin flipper");
    } finally {
      await fake.close();
    }
  });

  it("plans a release with --dry-run, changing nothing", async () => {
    const built = await cli(["build", "--json"]);
    const { codeSha256 } = JSON.parse(built.stdout) as { codeSha256: string };
    const fake = await startFakeSmapi({
      skills: [
        {
          skillId: SECOND_SKILL_ID,
          development: {
            manifest: withEndpoint(secondSkillPackage.manifest, { uri: prodOutputs.developmentEndpoint }),
            models: secondSkillPackage.models,
          },
        },
      ],
    });
    const lambda = createLambdaModel({ functionName: prodOutputs.functionName, allInstances: true });
    lambda.deploy(codeSha256);
    try {
      const outputs = writeOutputs({ ...prodOutputs, skillId: SECOND_SKILL_ID });
      const result = await cli(
        [
          "release",
          "--dry-run",
          "--version-message",
          "v1.0.0",
          "--tag",
          "v1.0.0",
          "--commit",
          "0123456789abcdef0123456789abcdef01234567",
          "--outputs",
          outputs,
          "--build",
          path.join(dir, "dist", "skill", "build.json"),
        ],
        { ...fake.env, AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "x", AWS_SECRET_ACCESS_KEY: "y" },
      );
      // The AWS SDK warns on Node 20 that its next versions need Node 22; nothing else may be on stderr.
      expect(result.stderr.replace(/^\(node:\d+\) Warning: NodeVersionSupportWarning[\s\S]*$/, "")).toBe("");
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("skillship release (dry run: nothing is changed)");
      expect(result.stdout).toMatch(/1\. Publish jokebox-prod:\$LATEST as a new version/);
      expect(lambda.versions).toHaveLength(1);
      expect(fake.skill(SECOND_SKILL_ID).certifications).toHaveLength(0);
      expect(
        JSON.parse(await readFile(path.join(dir, "dist", "skill", "build.json"), "utf8")).codeSha256,
      ).toBe(codeSha256);
    } finally {
      lambda.restore();
      await fake.close();
    }
  });
});
