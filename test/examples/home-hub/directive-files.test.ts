/**
 * The directive files of `examples/home-hub/directives/`, each replayed against the bridge and the fake hub
 * (answers checked against Amazon's schema too); together they cover every directive and every error type.
 * Then the format and the replay themselves: a broken file is refused with its lines, and a wrong answer fails.
 */
import { readdirSync } from "node:fs";
import * as path from "node:path";
import type { HubMode } from "../../../testkit/fakes/home-hub";
import {
  parseDirectiveFile,
  readDirectiveFile,
  type DirectiveFile,
} from "../../../scripts/lib/local/smart-home/directive-file";
import {
  formatReplayReport,
  replayDirectiveFile,
  type ReplayHarness,
} from "../../../scripts/lib/local/smart-home/replay";
import { smartHomeValidator } from "../../../testkit/smart-home/message-schema";
import { startHomeHubWorld, type HomeHubWorld } from "./world";

const DIRECTIVES = path.resolve(__dirname, "..", "..", "..", "examples", "home-hub", "directives");
const files = readdirSync(DIRECTIVES)
  .filter((name) => name.endsWith(".yaml"))
  .sort();

let world: HomeHubWorld;
beforeAll(async () => {
  world = await startHomeHubWorld();
});
afterAll(async () => {
  await world.close();
});

/** Replays against the world: fresh grant codes for `${grantCode}`, `given` set on the fake hub. */
function harness(): ReplayHarness {
  return {
    invoke: (event) => world.skill.directive(event),
    validate: (message) => smartHomeValidator().problems(message),
    variable: (name) => (name === "grantCode" ? world.lwa.issueGrantCode() : undefined),
    async given(given) {
      world.hub.setMode((given.hub ?? "up") as HubMode);
      for (const id of given.offline ?? []) world.hub.setOnline(id, false);
      return () => {
        world.hub.setMode("up");
        for (const id of given.offline ?? []) world.hub.setOnline(id, true);
      };
    },
  };
}

describe("directive files", () => {
  it.each(files)("%s", async (name) => {
    world.hub.reset();
    const file = await readDirectiveFile(path.join(DIRECTIVES, name));

    const report = await replayDirectiveFile(file, harness());

    if (!report.passed) throw new Error(formatReplayReport(report));
    expect(report.steps).toHaveLength(file.steps.length);
    expect(world.schemaProblems()).toEqual([]);
  });

  it("cover every directive the bridge answers and every error type it gives", async () => {
    const parsed: DirectiveFile[] = await Promise.all(
      files.map((name) => readDirectiveFile(path.join(DIRECTIVES, name))),
    );
    const steps = parsed.flatMap((file) => file.steps);

    expect(new Set(steps.map((step) => step.directive))).toEqual(
      new Set([
        "Alexa.Discovery.Discover",
        "Alexa.Authorization.AcceptGrant",
        "Alexa.ReportState",
        "Alexa.PowerController.TurnOn",
        "Alexa.PowerController.TurnOff",
        "Alexa.BrightnessController.SetBrightness",
        "Alexa.BrightnessController.AdjustBrightness",
        "Alexa.RangeController.SetRangeValue",
        "Alexa.RangeController.AdjustRangeValue",
        "Alexa.ColorController.SetColor",
      ]),
    );
    expect(new Set(steps.flatMap((step) => step.expect.error ?? []))).toEqual(
      new Set([
        "ACCEPT_GRANT_FAILED",
        "BRIDGE_UNREACHABLE",
        "ENDPOINT_UNREACHABLE",
        "EXPIRED_AUTHORIZATION_CREDENTIAL",
        "INVALID_AUTHORIZATION_CREDENTIAL",
        "INVALID_DIRECTIVE",
        "NO_SUCH_ENDPOINT",
        "VALUE_OUT_OF_RANGE",
      ]),
    );
  });
});

describe("the directive file format", () => {
  it("refuses a file of the wrong shape, naming each problem with its line", () => {
    const text = [
      "description: broken",
      "steps:",
      "  - directive: TurnOn",
      "    endpoint: entree-lumiere",
      "    expect: { event: Alexa.Response, colour: red }",
      "  - directive: Alexa.ReportState",
      "    given: { hub: sideways }",
      "    expect: { event: Alexa.StateReport, properties: { powerState: ON } }",
    ].join("\n");

    expect(() => parseDirectiveFile(text, "broken.yaml")).toThrow(
      [
        "Directive file broken.yaml has the wrong shape:",
        "  broken.yaml:3: steps[0].directive: must be Namespace.Name, e.g. Alexa.PowerController.TurnOn",
        "  broken.yaml:5: steps[0].expect: unknown field(s) colour",
        '  broken.yaml:7: steps[1].given.hub: Invalid option: expected one of "up"|"down"|"hanging"',
        "  broken.yaml:8: steps[1].expect.properties.powerState: property keys are Namespace.name or Namespace.name[instance]",
      ].join("\n"),
    );
  });

  it("refuses YAML that does not parse, with the line", () => {
    expect(() => parseDirectiveFile("steps:\n  - directive: [unclosed\n", "bad.yaml")).toThrow(
      /^Directive file bad\.yaml is not valid YAML:\n {2}bad\.yaml:\d+: /,
    );
  });

  it("keeps each step's line for reports", () => {
    const file = parseDirectiveFile(
      "token: t\nsteps:\n  - directive: Alexa.ReportState\n    endpoint: a\n    expect: { event: Alexa.StateReport }\n",
      "one.yaml",
    );

    expect(file.steps.map((step) => [step.directive, step.line])).toEqual([["Alexa.ReportState", 3]]);
  });
});

describe("the replay", () => {
  const file = (yaml: string) => parseDirectiveFile(yaml, "probe.yaml");

  it("fails a step whose answer differs, saying how, and carries on with the next", async () => {
    world.hub.reset();
    const report = await replayDirectiveFile(
      file(
        [
          "token: hub-token-alice",
          "steps:",
          "  - directive: Alexa.PowerController.TurnOn",
          "    endpoint: entree-lumiere",
          '    expect: { event: Alexa.Response, properties: { Alexa.PowerController.powerState: "OFF", Alexa.BrightnessController.brightness: 10 } }',
          "  - directive: Alexa.PowerController.TurnOn",
          "    endpoint: garage-porte",
          "    expect: { event: Alexa.Response }",
          "  - directive: Alexa.PowerController.TurnOn",
          "    endpoint: entree-lumiere",
          "    expect: { event: Alexa.Response }",
        ].join("\n"),
      ),
      harness(),
    );

    expect(report.passed).toBe(false);
    expect(report.steps.map((step) => step.problems)).toEqual([
      [
        'Alexa.PowerController.powerState is "ON", expected "OFF"',
        "context has no property Alexa.BrightnessController.brightness",
      ],
      ["answered Alexa.ErrorResponse, expected Alexa.Response"],
      [],
    ]);
    expect(formatReplayReport(report)).toContain("FAIL line 6: Alexa.PowerController.TurnOn garage-porte");
  });

  it("fails an answer Amazon's schema refuses, or that drops the correlation token", async () => {
    const broken = {
      event: {
        header: { namespace: "Alexa", name: "Response", payloadVersion: "3", messageId: "m 1" },
        payload: {},
      },
      context: { properties: [{ namespace: "Alexa.PowerController", name: "powerState", value: "DIM" }] },
    };
    const report = await replayDirectiveFile(
      file(
        "steps:\n  - directive: Alexa.PowerController.TurnOn\n    endpoint: x\n    expect: { event: Alexa.Response }\n",
      ),
      { invoke: async () => broken, validate: (message) => smartHomeValidator().problems(message) },
    );

    expect(report.steps[0].problems).toEqual(
      expect.arrayContaining([
        "the answer does not echo the directive's correlationToken",
        expect.stringMatching(/^Amazon's schema: event\.header\.messageId: must match pattern/),
        expect.stringMatching(
          /^Amazon's schema: context\.properties\.0: must have required property 'timeOfSample'/,
        ),
      ]),
    );
  });

  it("fails a step using a variable or a `given` the harness does not provide", async () => {
    const report = await replayDirectiveFile(
      file(
        [
          "steps:",
          "  - directive: Alexa.Authorization.AcceptGrant",
          '    payload: { grant: { type: OAuth2.AuthorizationCode, code: "${nope}" } }',
          "    expect: { event: Alexa.Authorization.AcceptGrant.Response }",
          "  - given: { hub: down }",
          "    directive: Alexa.ReportState",
          "    endpoint: x",
          "    expect: { event: Alexa.StateReport }",
        ].join("\n"),
      ),
      { invoke: async () => ({}) },
    );

    expect(report.steps.map((step) => step.problems)).toEqual([
      ["payload uses ${nope}, which the harness does not provide"],
      ["failed: this step needs a `given` the harness cannot set up"],
    ]);
  });
});
