/** `skillship import` through the CLI: a skill's package written into the project's skill package folder. */
import { mkdtemp, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { startFakeSmapi, type FakeSmapi } from "../../../testkit/fakes/smapi";
import { SECOND_SKILL_ID, secondSkillPackage } from "../support/second-skill";
import { plainEnv, runCli } from "./cli-harness";

describe("skillship import", () => {
  let fake: FakeSmapi;
  let dir: string;
  beforeEach(async () => {
    fake = await startFakeSmapi({
      exportPolls: 1,
      skills: [{ skillId: SECOND_SKILL_ID, live: secondSkillPackage, development: secondSkillPackage }],
    });
    dir = await mkdtemp(path.join(tmpdir(), "skillship-import-cli-"));
    await writeFile(path.join(dir, "skillship.json"), JSON.stringify({ skillPackage: "package" }));
  });
  afterEach(async () => {
    await fake.close();
  });

  const cli = (...args: string[]) =>
    runCli(["import", "--poll-interval", "1ms", ...args], { ...plainEnv, ...fake.env }, { cwd: dir });

  it("writes the live stage's package into skillPackage of the project, then lint passes on it", async () => {
    const result = await cli("--skill-id", SECOND_SKILL_ID, "--stage", "live", "--json");
    // With --json, only the wait's progress goes to stderr.
    expect(result.stderr).toMatch(/^Exporting the skill package of .* \(live stage\)…\n✔ .*SUCCEEDED/);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      skillId: SECOND_SKILL_ID,
      stage: "live",
      target: expect.stringMatching(/package$/),
      files: ["interactionModels/custom/en-US.json", "skill.json"],
      replaced: false,
    });
    // The short-lived download URL is a credential of sorts: its signature is never printed.
    expect(result.stdout + result.stderr).not.toContain("X-Amz-Signature");
    expect(await readdir(path.join(dir, "package"))).toEqual(["interactionModels", "skill.json"]);
    expect(fake.storage.requests).toHaveLength(1);
    expect((await runCli(["lint"], plainEnv, { cwd: dir })).code).toBe(0);
  });

  it("refuses a folder that holds files (exit 2) and asks which skill when none is known", async () => {
    const first = await cli("--skill-id", SECOND_SKILL_ID);
    expect(first.code).toBe(0);
    const again = await cli("--skill-id", SECOND_SKILL_ID);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(
      "already holds files: import writes the whole skill package, so pass --force",
    );
    expect((await cli("--skill-id", SECOND_SKILL_ID, "--force")).code).toBe(0);

    const which = await cli();
    expect(which.code).toBe(2);
    expect(which.stderr).toContain("Which skill? Pass --outputs FILE");
  });
});
