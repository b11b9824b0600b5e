import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, UsageError } from "../../../../scripts/lib/core/errors";
import { DEFAULT_CANARY } from "../../../../contracts/canary";
import {
  canarySettingsOf,
  colourOf,
  readStackOutputs,
  resolveSkillTarget,
} from "../../../../scripts/lib/stack/outputs";

const prodOutputs = {
  skillId: "amzn1.ask.skill.prod",
  stack: "prod",
  endpointKind: "lambda",
  functionName: "jokebox-prod",
  functionArn: "arn:aws:lambda:eu-west-1:123456789012:function:jokebox-prod",
  developmentEndpoint: "arn:aws:lambda:eu-west-1:123456789012:function:jokebox-dev",
  aliasEndpoints: {
    blue: "arn:aws:lambda:eu-west-1:123456789012:function:jokebox-prod:blue",
    green: "arn:aws:lambda:eu-west-1:123456789012:function:jokebox-prod:green",
  },
  mediaBucket: "jokebox-media",
  alertsTopicArn: "arn:aws:sns:eu-west-1:123456789012:jokebox-prod-alerts",
};

function writeOutputs(content: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), "skillship-outputs-")), "outputs.json");
  writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
  return file;
}

describe("readStackOutputs", () => {
  it("reads what `pulumi stack output --json` writes", () => {
    const file = writeOutputs({ ...prodOutputs, somethingElse: 1 });
    const outputs = readStackOutputs(file);
    expect(outputs.skillId).toBe("amzn1.ask.skill.prod");
    expect(outputs.aliasEndpoints?.green).toMatch(/:green$/);
    expect(outputs).not.toHaveProperty("somethingElse");
  });

  it("lets --skill-id override the file's skill id", () => {
    const file = writeOutputs(prodOutputs);
    expect(readStackOutputs(file, { skillId: "amzn1.ask.skill.other" }).skillId).toBe(
      "amzn1.ask.skill.other",
    );
  });

  it("names the file, the command to run, and every wrong key", () => {
    const { skillId: _skillId, ...withoutSkillId } = prodOutputs;
    const file = writeOutputs({ ...withoutSkillId, endpointKind: "grpc", aliasEndpoints: { blue: "x" } });
    let caught: unknown;
    try {
      readStackOutputs(file);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const message = (caught as Error).message;
    expect(message).toContain(`Stack outputs file ${file}`);
    expect(message).toContain("key skillId is missing");
    expect(message).toContain("key endpointKind:");
    expect(message).toContain("key aliasEndpoints.green is missing");
    expect(message).toContain(`pulumi stack output --json > ${file}`);
  });

  it("reads the canary settings, defaults when the outputs predate them, and names a wrong one", () => {
    const canary = { ...DEFAULT_CANARY, steps: [{ percent: 20, bakeMinutes: 5 }], minRequests: 10 };
    expect(canarySettingsOf(readStackOutputs(writeOutputs({ ...prodOutputs, canary })))).toEqual(canary);
    expect(canarySettingsOf(readStackOutputs(writeOutputs(prodOutputs)))).toEqual(DEFAULT_CANARY);
    const bad = writeOutputs({
      ...prodOutputs,
      canary: { ...canary, steps: [{ percent: 100, bakeMinutes: 5 }] },
    });
    expect(() => readStackOutputs(bad)).toThrow(/key canary\.steps\.0\.percent: /);
  });

  it("says to run pulumi when the file is missing or not JSON", () => {
    const missing = join(tmpdir(), "skillship-no-such-dir", "outputs.json");
    expect(() => readStackOutputs(missing)).toThrow(
      `Stack outputs file ${missing} does not exist: run \`pulumi stack output --json > ${missing}\``,
    );
    const broken = writeOutputs("{ not json");
    expect(() => readStackOutputs(broken)).toThrow(/is not valid JSON .*pulumi stack output --json/);
    expect(() => readStackOutputs(writeOutputs("[1]"))).toThrow(/must hold a JSON object/);
  });
});

describe("resolveSkillTarget", () => {
  it("needs --outputs or --skill-id", () => {
    expect(() => resolveSkillTarget({})).toThrow(UsageError);
    expect(resolveSkillTarget({ skillId: " amzn1.ask.skill.x " })).toEqual({ skillId: "amzn1.ask.skill.x" });
    const target = resolveSkillTarget({ outputs: writeOutputs(prodOutputs) });
    expect(target.skillId).toBe("amzn1.ask.skill.prod");
    expect(target.outputs?.stack).toBe("prod");
  });
});

describe("colourOf", () => {
  it("names the colour whose alias endpoint a stage uses", () => {
    const outputs = readStackOutputs(writeOutputs(prodOutputs));
    expect(colourOf(outputs, prodOutputs.aliasEndpoints.blue)).toBe("blue");
    expect(colourOf(outputs, prodOutputs.aliasEndpoints.green)).toBe("green");
    expect(colourOf(outputs, prodOutputs.developmentEndpoint)).toBeUndefined();
    expect(colourOf(outputs, undefined)).toBeUndefined();
  });
});
