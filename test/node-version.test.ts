/**
 * One Node version wherever a user or the cloud runs Skillship's code: `.nvmrc` (which the workflows install),
 * `engines`, the bundle's esbuild target, the Lambda runtime the stack deploys and the policy pack's rule. The
 * tests themselves may run on an older Node (this machine's), which `.ci/run` says when it does.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as aws from "@pulumi/aws";
import { NODE_TARGET } from "../scripts/lib/build/bundle";
import { NODE_MAJOR } from "../scripts/lib/init/workflows";

const root = join(__dirname, "..");
const nvmrc = readFileSync(join(root, ".nvmrc"), "utf8").trim();
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { engines: { node: string } };

describe("one Node version", () => {
  it("is a major version in .nvmrc", () => {
    expect(nvmrc).toMatch(/^\d+$/);
  });

  it("is what package.json's engines ask for", () => {
    expect(pkg.engines.node).toBe(`>=${nvmrc}`);
  });

  it("is what skillship init writes into a project's .nvmrc when it has none", () => {
    expect(NODE_MAJOR).toBe(nvmrc);
  });

  it("is the bundle's target", () => {
    expect(NODE_TARGET).toBe(`node${nvmrc}`);
  });

  it("is the runtime of the skill function and of the policy that guards it", () => {
    const runtime = `nodejs${nvmrc}.x`;
    expect(Object.values(aws.lambda.Runtime)).toContain(runtime);
    expect(readFileSync(join(root, "infra/components/SkillFunction.ts"), "utf8")).toContain(
      `aws.lambda.Runtime.NodeJS${nvmrc}dX`,
    );
    expect(readFileSync(join(root, "infra/policies/rules.ts"), "utf8")).toContain(`"${runtime}"`);
  });
});
