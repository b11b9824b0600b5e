/**
 * `skillship directive` on the home-hub sample (its local factory runs the bridge on the fake hub, LWA and
 * event gateway): one directive with its answer printed and checked against Amazon's schema, directive files
 * replayed, and what it refuses. Also `lint` and `say` on a smart-home project.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { smartHomeSchemaPath } from "../../../testkit/smart-home/message-schema";
import { runCli, tempDir } from "./cli-harness";

const HOME_HUB = resolve(__dirname, "..", "..", "..", "examples", "home-hub");
const SCHEMA = smartHomeSchemaPath();
const inHomeHub = { cwd: HOME_HUB };

/** A smart-home project whose Lambda handler answers `answer` to every directive. */
function projectAnswering(answer: string): string {
  const dir = tempDir("skillship-directive-");
  writeFileSync(
    join(dir, "skillship.json"),
    JSON.stringify({ kind: "smartHome", code: { entry: "index.js" } }),
  );
  writeFileSync(join(dir, "index.js"), `exports.handler = async (event) => (${answer});\n`);
  return dir;
}

describe("skillship directive", () => {
  it("sends a well-formed directive to the local skill and prints its answer, checked against Amazon's schema", async () => {
    const run = await runCli(
      [
        "directive",
        "Alexa.PowerController.TurnOn",
        "--endpoint",
        "entree-lumiere",
        "--schema",
        SCHEMA,
        "--json",
      ],
      {},
      inHomeHub,
    );

    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const answer = JSON.parse(run.stdout);
    expect(answer.event.header).toMatchObject({ namespace: "Alexa", name: "Response" });
    expect(answer.event.header.correlationToken).toMatch(/^\S{16,}$/);
    expect(answer.context.properties).toContainEqual(
      expect.objectContaining({ namespace: "Alexa.PowerController", name: "powerState", value: "ON" }),
    );
  });

  it("carries the local test user's token by default, --token otherwise, and a --payload", async () => {
    const discover = await runCli(
      ["directive", "Alexa.Discovery.Discover", "--schema", SCHEMA],
      {},
      inHomeHub,
    );
    const stranger = await runCli(
      [
        "directive",
        "Alexa.PowerController.TurnOn",
        "--endpoint",
        "entree-lumiere",
        "--token",
        "hub-token-bob",
      ],
      {},
      inHomeHub,
    );
    const dim = await runCli(
      [
        "directive",
        "Alexa.BrightnessController.SetBrightness",
        "--endpoint",
        "chambre-variateur",
        "--payload",
        '{"brightness": 40}',
        "--schema",
        SCHEMA,
      ],
      {},
      inHomeHub,
    );

    expect(discover.code).toBe(0);
    expect(discover.stdout).toContain("Alexa.Discovery.Discover → Alexa.Discovery.Discover.Response");
    expect(discover.stdout).toContain('"endpointId": "salon-volet"');
    expect(stranger.code).toBe(0);
    expect(stranger.stdout).toContain("→ Alexa.ErrorResponse");
    expect(stranger.stdout).toContain('"type": "NO_SUCH_ENDPOINT"');
    expect(stranger.stderr).toContain(
      "not checked against Amazon's Smart Home message schema: pass --schema",
    );
    expect(dim.code).toBe(0);
    expect(dim.stdout).toMatch(/"name": "brightness",\s+"value": 40/);
  });

  it("exits 1 when the answer breaks Amazon's schema, naming what is wrong", async () => {
    const dir = projectAnswering(
      `{ event: { header: { namespace: "Alexa", name: "Response", payloadVersion: "3", messageId: "m 1", ` +
        `correlationToken: event.directive.header.correlationToken }, payload: {} } }`,
    );

    const run = await runCli(
      ["directive", "Alexa.PowerController.TurnOn", "--endpoint", "x", "--schema", SCHEMA],
      {},
      { cwd: dir },
    );

    expect(run.code).toBe(1);
    expect(run.stdout).toContain("→ Alexa.Response");
    expect(run.stderr).toMatch(
      /does not match Amazon's Smart Home message schema:\n {2}- event\.header\.messageId: must match pattern/,
    );
  });

  it("replays directive files, passing the sample's and exiting 1 on an answer that differs", async () => {
    const dir = tempDir("skillship-directive-files-");
    mkdirSync(dir, { recursive: true });
    const wrong = join(dir, "wrong.yaml");
    writeFileSync(
      wrong,
      [
        "steps:",
        "  - directive: Alexa.PowerController.TurnOn",
        "    endpoint: entree-lumiere",
        '    expect: { event: Alexa.Response, properties: { Alexa.PowerController.powerState: "OFF" } }',
      ].join("\n"),
    );

    const sample = await runCli(
      [
        "directive",
        "--replay",
        "directives/hall-switch.yaml",
        "directives/account-linking.yaml",
        "--schema",
        SCHEMA,
      ],
      // A known skill id wraps the local skill: its `given` and grant codes must still reach the replay.
      { SKILL_ID: "amzn1.ask.skill.11111111-2222-3333-4444-555555555555" },
      inHomeHub,
    );
    const failing = await runCli(["directive", "--replay", wrong, "--schema", SCHEMA], {}, inHomeHub);

    expect(sample.code).toBe(0);
    expect(sample.stdout).toContain("directives/hall-switch.yaml: passed");
    expect(sample.stdout).toContain("directives/account-linking.yaml: passed");
    expect(sample.stdout).not.toContain("FAIL");
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain(`${wrong}: FAILED`);
    expect(failing.stdout).toContain("FAIL line 2: Alexa.PowerController.TurnOn entree-lumiere");
    expect(failing.stdout).toContain("context has no property Alexa.PowerController.powerState");
    expect(failing.stderr).toContain(`1 of 1 directive file failed: ${wrong}`);
  });

  it("refuses a custom skill, a name with --replay, a payload that is not a JSON object, missing files (exit 2)", async () => {
    const custom = await runCli(["directive", "Alexa.Discovery.Discover"]);
    const both = await runCli(["directive", "Alexa.Discovery.Discover", "--replay", "x.yaml"], {}, inHomeHub);
    const payload = await runCli(
      ["directive", "Alexa.Discovery.Discover", "--payload", "[1]"],
      {},
      inHomeHub,
    );
    const badFile = await runCli(["directive", "--replay", "nowhere.yaml"], {}, inHomeHub);
    const noSchema = await runCli(
      ["directive", "Alexa.Discovery.Discover", "--schema", "nowhere/schema.json"],
      {},
      inHomeHub,
    );

    expect([custom.code, both.code, payload.code, badFile.code, noSchema.code]).toEqual([2, 2, 2, 2, 2]);
    expect(custom.stderr).toContain("a custom skill answers requests: use skillship say or skillship dialog");
    expect(both.stderr).toContain("pass either a directive name or --replay FILE..., not both");
    expect(payload.stderr).toContain("--payload must be a JSON object");
    expect(badFile.stderr).toContain("Directive file nowhere.yaml cannot be read");
    expect(noSchema.stderr).toContain(
      `Amazon's Smart Home message schema is not at ${join(HOME_HUB, "nowhere", "schema.json")}`,
    );
  });
});

describe("other commands on a smart-home project", () => {
  it("lints the home-hub sample clean, saying the handlers rule has nothing to check", async () => {
    const run = await runCli(["lint"], {}, inHomeHub);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain("info: rule handlers skipped: a smart-home skill has no intents to handle");
    expect(run.stdout).toContain("Skill package OK");
  });

  it("builds the home-hub sample's Lambda bundle from its code entry, leaving the local fakes out", async () => {
    const outdir = tempDir("skillship-home-hub-build-");

    const run = await runCli(["build", "--outdir", outdir, "--json"], {}, inHomeHub);

    expect(run.code).toBe(0);
    expect(JSON.parse(readFileSync(join(outdir, "build.json"), "utf8")).codeSha256).toMatch(
      /^[A-Za-z0-9+/]{43}=$/,
    );
    const bundle = readFileSync(join(outdir, "index.js"), "utf8");
    expect(bundle).toContain("BRIDGE_UNREACHABLE");
    expect(bundle).not.toContain("hub-token-alice");
  });

  it("refuses say and dev, pointing at skillship directive", async () => {
    const say = await runCli(["say", "turn on the hall light"], {}, inHomeHub);
    const dev = await runCli(["dev", "--port", "0", "--no-watch"], {}, inHomeHub);

    expect(say.code).toBe(2);
    expect(say.stderr).toContain("a smart-home skill has none: send it directives with skillship directive");
    expect(dev.code).toBe(2);
    expect(dev.stderr).toContain(
      "Alexa calls a smart-home skill through Lambda only: send it directives on this machine with skillship directive",
    );
  });
});
