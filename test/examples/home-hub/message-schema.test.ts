/**
 * The validator every home-hub test checks answers and events with: Amazon's official schema, loaded as it
 * ships. It accepts what the bridge sends and refuses broken messages, saying where; it refuses a schema file
 * that is not the official one, and says where to get it when it is missing.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { changeReport, errorResponse } from "../../../examples/home-hub/src/messages";
import { smartHomeSchemaPath, smartHomeValidator } from "../../../testkit/smart-home/message-schema";

const validator = smartHomeValidator();
const time = "2026-05-04T09:30:00.000Z";

/** A ChangeReport of the hall light's power state, as the bridge builds it. */
const powerReport = (value: string) =>
  changeReport(
    "entree-lumiere",
    "Atza|token",
    "PHYSICAL_INTERACTION",
    [
      {
        namespace: "Alexa.PowerController",
        name: "powerState",
        value,
        timeOfSample: time,
        uncertaintyInMilliseconds: 0,
      },
    ],
    [],
  );

describe("Amazon's smart-home message schema", () => {
  it("accepts a ChangeReport and an error response as the bridge builds them", () => {
    const report = powerReport("ON");

    expect(validator.problems(report)).toEqual([]);
    expect(validator.problems(errorResponse(undefined, "BRIDGE_UNREACHABLE", "down"))).toEqual([]);
  });

  it("refuses an unknown error type, a missing message id and a power state Alexa does not have", () => {
    const error = errorResponse(undefined, "BRIDGE_UNREACHABLE", "down");
    (error.event.payload as Record<string, unknown>).type = "HUB_ON_FIRE";
    const report = powerReport("DIM");
    delete (report.event.header as Partial<typeof report.event.header>).messageId;

    expect(validator.problems(error)).toContainEqual(
      expect.stringMatching(/^event\.payload\.type: must be equal to one of the allowed values/),
    );
    expect(validator.problems(report)).toEqual(
      expect.arrayContaining([
        "event.header: must have required property 'messageId'",
        expect.stringMatching(
          /^event\.payload\.change\.properties\.0\.value: must be equal to one of the allowed values/,
        ),
      ]),
    );
  });

  it("names a message type the schema does not have", () => {
    expect(
      validator.problems({ event: { header: { namespace: "Alexa", name: "Hello" }, payload: {} } }),
    ).toEqual(["event.header: Amazon's schema has no message Alexa.Hello"]);
  });

  it("refuses a file that is not the official schema, and says where to get a missing one", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "schema-"));
    const fake = path.join(dir, "alexa_smart_home_message_schema.json");
    writeFileSync(fake, "{}");

    expect(() => smartHomeValidator(fake)).toThrow(
      /is not Amazon's official Smart Home message schema: sha256 44136fa3/,
    );
    expect(() => smartHomeValidator(path.join(dir, "missing.json"))).toThrow(
      /Set ALEXA_SMART_HOME_SCHEMA to alexa_smart_home_message_schema\.json from github\.com\/alexa\/alexa-smarthome/,
    );
    expect(smartHomeSchemaPath({ ALEXA_SMART_HOME_SCHEMA: fake })).toBe(fake);
  });
});
