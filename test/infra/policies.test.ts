import * as fs from "node:fs";
import * as path from "node:path";
import { tlsOnlyBucketPolicy } from "../../infra/iam/documents";
import { githubTrustPolicy } from "../../infra/iam/pipeline";
import {
  type SkillshipPolicy,
  alexaPermissionBound,
  bucketPolicyTlsOnly,
  bucketPublicAccessBlocked,
  lambdaRuntime,
  oidcTrustExact,
  policies,
} from "../../infra/policies/rules";
import { skillId } from "./support/program";

const providerArn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";

/** The violations a policy reports for one resource. */
function check(policy: SkillshipPolicy, type: string, props: Record<string, unknown>): string[] {
  const found: string[] = [];
  policy.validateResource({ type, props }, (message) => found.push(message));
  return found;
}

describe("CrossGuard policies", () => {
  it("packs every policy in infra/policies/index.ts", () => {
    expect(policies).toEqual([
      bucketPublicAccessBlocked,
      bucketPolicyTlsOnly,
      lambdaRuntime,
      alexaPermissionBound,
      oidcTrustExact,
    ]);
    expect(new Set(policies.map((policy) => policy.name)).size).toBe(policies.length);
    expect(policies.every((policy) => policy.enforcementLevel === "mandatory")).toBe(true);
    const pack = fs.readFileSync(path.join(__dirname, "../../infra/policies/index.ts"), "utf8");
    expect(pack).toMatch(/new PolicyPack\("skillship-guardrails", \{ policies \}\)/);
  });

  describe(bucketPublicAccessBlocked.name, () => {
    const type = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
    const all = {
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    };
    it("accepts all four blocks", () => {
      expect(check(bucketPublicAccessBlocked, type, all)).toEqual([]);
    });
    it.each(Object.keys(all))("refuses %s off or missing", (key) => {
      expect(check(bucketPublicAccessBlocked, type, { ...all, [key]: false })).toEqual([
        `${key} must be true (got false)`,
      ]);
      const { [key]: _omitted, ...rest } = all as Record<string, boolean>;
      expect(check(bucketPublicAccessBlocked, type, rest)).toHaveLength(1);
    });
  });

  describe(bucketPolicyTlsOnly.name, () => {
    const type = "aws:s3/bucketPolicy:BucketPolicy";
    it("accepts the TLS-only policy", () => {
      expect(
        check(bucketPolicyTlsOnly, type, { policy: JSON.stringify(tlsOnlyBucketPolicy("arn:aws:s3:::b")) }),
      ).toEqual([]);
    });
    it("refuses a policy that does not deny plain HTTP", () => {
      const allowAll = {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject" }],
      };
      expect(check(bucketPolicyTlsOnly, type, { policy: JSON.stringify(allowAll) })).toHaveLength(1);
      const denyTls = tlsOnlyBucketPolicy("arn:aws:s3:::b");
      denyTls.Statement[0]!.Condition = { Bool: { "aws:SecureTransport": "true" } };
      expect(check(bucketPolicyTlsOnly, type, { policy: denyTls })).toHaveLength(1);
    });
    it("skips a policy still unknown during preview", () => {
      expect(check(bucketPolicyTlsOnly, type, {})).toEqual([]);
    });
  });

  describe(lambdaRuntime.name, () => {
    const type = "aws:lambda/function:Function";
    it("accepts nodejs22.x and refuses anything else", () => {
      expect(check(lambdaRuntime, type, { runtime: "nodejs22.x" })).toEqual([]);
      expect(check(lambdaRuntime, type, { runtime: "nodejs20.x" })).toEqual([
        'runtime must be nodejs22.x (got "nodejs20.x")',
      ]);
    });
    it("ignores other resource types", () => {
      expect(check(lambdaRuntime, "aws:lambda/alias:Alias", { runtime: "python3.12" })).toEqual([]);
    });
  });

  describe(alexaPermissionBound.name, () => {
    const type = "aws:lambda/permission:Permission";
    it("accepts an Alexa permission bound to a skill id", () => {
      for (const principal of ["alexa-appkit.amazon.com", "alexa-connectedhome.amazon.com"]) {
        expect(check(alexaPermissionBound, type, { principal, eventSourceToken: skillId })).toEqual([]);
      }
    });
    it("refuses an Alexa permission any skill could use", () => {
      expect(check(alexaPermissionBound, type, { principal: "alexa-appkit.amazon.com" })).toHaveLength(1);
      expect(
        check(alexaPermissionBound, type, { principal: "alexa-appkit.amazon.com", eventSourceToken: "*" }),
      ).toHaveLength(1);
    });
    it("leaves other principals alone", () => {
      expect(check(alexaPermissionBound, type, { principal: "apigateway.amazonaws.com" })).toEqual([]);
    });
  });

  describe(oidcTrustExact.name, () => {
    const type = "aws:iam/role:Role";
    const sub = "repo:acme/jokebox:environment:production";
    const trust = () => githubTrustPolicy(providerArn, [sub]);
    it("accepts exact aud and sub claims", () => {
      expect(check(oidcTrustExact, type, { assumeRolePolicy: JSON.stringify(trust()) })).toEqual([]);
    });
    it("refuses StringLike, wildcards, a missing audience or a missing subject", () => {
      const like = trust();
      like.Statement[0]!.Condition = {
        StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
        StringLike: { "token.actions.githubusercontent.com:sub": "repo:acme/jokebox:*" },
      };
      expect(check(oidcTrustExact, type, { assumeRolePolicy: like }).join("\n")).toMatch(/StringLike/);

      const wildcard = githubTrustPolicy(providerArn, ["repo:acme/*"]);
      expect(check(oidcTrustExact, type, { assumeRolePolicy: wildcard }).join("\n")).toMatch(
        /without wildcards/,
      );

      const noAudience = trust();
      delete noAudience.Statement[0]!.Condition!.StringEquals!["token.actions.githubusercontent.com:aud"];
      expect(check(oidcTrustExact, type, { assumeRolePolicy: noAudience }).join("\n")).toMatch(/:aud/);

      const noSubject = trust();
      delete noSubject.Statement[0]!.Condition!.StringEquals!["token.actions.githubusercontent.com:sub"];
      expect(check(oidcTrustExact, type, { assumeRolePolicy: noSubject }).join("\n")).toMatch(/exact .*:sub/);
    });
    it("leaves roles trusted by services alone", () => {
      const lambdaTrust = {
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
        ],
      };
      expect(check(oidcTrustExact, type, { assumeRolePolicy: lambdaTrust })).toEqual([]);
    });
  });
});
