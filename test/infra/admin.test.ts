// Over 350 lines on purpose: every role of the pipeline and what it may reach, checked under one run of each stack.
/**
 * The administrator-only stack, run against the outputs of real runs of the dev and prod stacks (through its
 * stack references): GitHub's OIDC provider, the four roles (who may assume each, what each may do, what none may
 * reach: the admin stack's state and key, a grant of invoke to another principal) and the repository settings.
 */
import type { PolicyDocument } from "../../infra/iam/documents";
import { canAssumeWithToken, githubClaims, isAllowed } from "./support/iam";
import {
  type ProgramRun,
  type RecordedResource,
  account,
  fakeBundle,
  policyOf,
  PROGRAM_RUN_GUARD_MS,
  region,
  runProgram,
  skillId,
  violations,
} from "./support/program";

const functionArn = `arn:aws:lambda:${region}:${account}:function:skillship-prod-skill`;
const devFunctionArn = `arn:aws:lambda:${region}:${account}:function:skillship-dev-skill`;
const createdProviderArn = `arn:aws:iam::${account}:oidc-provider/token.actions.githubusercontent.com`;
const stateBucket = "acme-pulumi-state";
const state = (key: string) => `arn:aws:s3:::${stateBucket}/.pulumi/${key}`;
const appKey = `arn:aws:kms:${region}:${account}:key/0b1c2d3e-aaaa-bbbb-cccc-111122223333`;
const adminKey = `arn:aws:kms:${region}:${account}:key/9f8e7d6c-dddd-eeee-ffff-444455556666`;
const prodTopic = `arn:aws:sns:${region}:${account}:skillship-prod-alerts`;
const devTopic = `arn:aws:sns:${region}:${account}:skillship-dev-alerts`;

type Role = "preview" | "beta" | "release" | "watch";
const roles: Role[] = ["preview", "beta", "release", "watch"];

function role(run: ProgramRun, name: Role): { trust: PolicyDocument; policy: PolicyDocument } {
  return {
    trust: policyOf(run.named(`skillship-pipeline-${name}`), "assumeRolePolicy"),
    policy: policyOf(run.named(`skillship-pipeline-${name}-policy`)),
  };
}

/** The app stacks' outputs as the admin stack's references see them. */
async function appStacks(
  prodConfig: Record<string, string> = {},
): Promise<Record<string, Record<string, unknown>>> {
  const dev = await runProgram({ stack: "dev", config: { skillId, bundleDir: fakeBundle() } });
  const prod = await runProgram({
    stack: "prod",
    config: { skillId, bundleDir: fakeBundle(), developmentEndpoint: devFunctionArn, ...prodConfig },
  });
  expect(dev.error ?? prod.error).toBeUndefined();
  return { "organization/skillship/dev": dev.outputs, "organization/skillship/prod": prod.outputs };
}

describe("admin stack (self-managed backend, repository settings)", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runProgram({
      stack: "admin",
      config: {
        githubRepository: "acme/jokebox",
        stateBucket,
        appStateKmsKeyArn: appKey,
        adminStateKmsKeyArn: adminKey,
        githubReviewers: "[1234567]",
      },
      secrets: {
        githubToken: "ghp_not_a_real_token",
        askClientId: "amzn1.application-oa2-client.x",
        askClientSecret: "lwa-secret-value",
      },
      stackReferences: await appStacks(),
    });
  }, 3 * PROGRAM_RUN_GUARD_MS);

  it("exports the four role ARNs, reads the app stacks by reference, and declares nothing of the skill", () => {
    expect(run.error).toBeUndefined();
    const keys = ["previewRoleArn", "betaRoleArn", "releaseRoleArn", "watchRoleArn"];
    expect(Object.keys(run.outputs).sort()).toEqual([...keys].sort());
    for (const key of keys) {
      expect(run.outputs[key]).toMatch(new RegExp(`^arn:aws:iam::${account}:role/skillship-pipeline-`));
    }
    expect(
      run
        .ofType("pulumi:pulumi:StackReference")
        .map((reference) => reference.inputs.name)
        .sort(),
    ).toEqual(["organization/skillship/dev", "organization/skillship/prod"]);
    expect(run.ofType("aws:lambda/function:Function")).toHaveLength(0);
    expect(run.ofType("aws:s3/bucket:Bucket")).toHaveLength(0);
  });

  it("creates GitHub's OIDC provider for the audience sts.amazonaws.com", () => {
    const [provider, ...others] = run.ofType("aws:iam/openIdConnectProvider:OpenIdConnectProvider");
    expect(others).toHaveLength(0);
    expect(provider!.inputs).toMatchObject({
      url: "https://token.actions.githubusercontent.com",
      clientIdLists: ["sts.amazonaws.com"],
    });
  });

  describe("OIDC roles cannot be assumed from another repository, branch, pull request or environment", () => {
    const cases: Array<[Role, string, boolean]> = [
      ["preview", "repo:acme/jokebox:pull_request", true],
      ["preview", "repo:evil/jokebox:pull_request", false],
      ["preview", "repo:acme/jokebox-fork:pull_request", false],
      ["preview", "repo:acme/jokebox:environment:preview", true],
      ["preview", "repo:evil/jokebox:environment:preview", false],
      ["preview", "repo:acme/jokebox:environment:preview-2", false],
      ["preview", "repo:acme/jokebox:ref:refs/heads/main", false],
      ["preview", "repo:acme/jokebox:environment:production", false],
      ["preview", "repo:acme/jokebox:environment:beta", false],
      ["beta", "repo:acme/jokebox:ref:refs/heads/develop", true],
      ["beta", "repo:acme/jokebox:ref:refs/heads/develop-2", false],
      ["beta", "repo:acme/jokebox:ref:refs/heads/main", false],
      ["beta", "repo:acme/jokebox:pull_request", false],
      ["beta", "repo:acme/other:ref:refs/heads/develop", false],
      ["beta", "repo:acme/jokebox:environment:production", false],
      ["release", "repo:acme/jokebox:environment:production", true],
      ["release", "repo:acme/jokebox:environment:staging", false],
      ["release", "repo:acme/jokebox:environment:production-2", false],
      ["release", "repo:acme/jokebox:ref:refs/tags/v1.0.0", false],
      ["release", "repo:acme/jokebox:ref:refs/heads/develop", false],
      ["release", "repo:acme/jokebox:pull_request", false],
      ["release", "repo:fork/jokebox:environment:production", false],
      ["watch", "repo:acme/jokebox:environment:beta", true],
      ["watch", "repo:acme/jokebox:environment:production", false],
      ["watch", "repo:acme/jokebox:environment:preview", false],
      ["watch", "repo:acme/jokebox:environment:beta-2", false],
      ["watch", "repo:acme/jokebox:ref:refs/heads/main", false],
      ["watch", "repo:acme/jokebox:ref:refs/heads/develop", false],
      ["watch", "repo:acme/jokebox:pull_request", false],
      ["watch", "repo:acme/other:environment:beta", false],
      ["watch", "repo:fork/jokebox:environment:beta", false],
    ];
    it.each(cases)("%s role, sub %s: %s", (name, sub, expected) => {
      const { trust } = role(run, name);
      expect(canAssumeWithToken(trust, createdProviderArn, githubClaims(sub))).toBe(expected);
    });

    it.each<[Role, string]>([
      ["release", "repo:acme/jokebox:environment:production"],
      ["watch", "repo:acme/jokebox:environment:beta"],
    ])("%s role refuses another audience and another identity provider", (name, sub) => {
      const { trust } = role(run, name);
      expect(
        canAssumeWithToken(trust, createdProviderArn, githubClaims(sub, "https://github.com/acme")),
      ).toBe(false);
      expect(
        canAssumeWithToken(trust, `arn:aws:iam::${account}:oidc-provider/example.com`, githubClaims(sub)),
      ).toBe(false);
    });
  });

  describe("the admin stack's state and key (issue 12, part 1)", () => {
    const adminFiles = [
      state("stacks/skillship/admin.json"),
      state("stacks/skillship/admin.json.bak"),
      state("stacks/skillship/admin.json.gz"),
      state("stacks/skillship/admin.pulumi-tags"),
      state("history/skillship/admin/admin-1700000000.history.json"),
      state("backups/skillship/admin/admin.1700000000.json"),
      state("locks/organization/skillship/admin/abc.json"),
    ];

    it.each(roles)("are out of the %s role's reach: no read, no write, no use of the key", (name) => {
      const { policy } = role(run, name);
      for (const resource of adminFiles) {
        for (const action of ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:GetObjectVersion"]) {
          expect({ action, resource, allowed: isAllowed(policy, { action, resource }) }).toEqual({
            action,
            resource,
            allowed: false,
          });
        }
      }
      for (const action of ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:ReEncryptFrom"]) {
        expect(isAllowed(policy, { action, resource: adminKey })).toBe(false);
      }
    });

    it("the preview role reads the app stacks' checkpoints and decrypts with their key, and writes nothing", () => {
      const { policy } = role(run, "preview");
      const can = (action: string, resource: string) => isAllowed(policy, { action, resource });
      expect(can("s3:GetObject", state("meta.yaml"))).toBe(true);
      expect(can("s3:GetObject", state("stacks/skillship/prod.json"))).toBe(true);
      expect(can("s3:GetObject", state("stacks/skillship/dev.json"))).toBe(true);
      expect(can("kms:Decrypt", appKey)).toBe(true);
      for (const file of [
        "stacks/skillship/prod.json",
        "locks/organization/skillship/prod/x.json",
        "locks/organization/skillship/dev/x.json",
        "history/skillship/prod/x.json",
      ]) {
        expect(can("s3:PutObject", state(file))).toBe(false);
      }
      expect(can("kms:Encrypt", appKey)).toBe(false);
      expect(can("s3:GetObject", state("stacks/other-project/prod.json"))).toBe(false);
      expect(can("s3:GetObject", state("stacks/skillship/staging.json"))).toBe(false);
    });
  });

  it("keeps the preview role read-only", () => {
    const { policy } = role(run, "preview");
    const can = (action: string, resource: string) => isAllowed(policy, { action, resource });
    expect(can("lambda:GetFunction", functionArn)).toBe(true);
    for (const action of [
      "lambda:UpdateFunctionCode",
      "lambda:UpdateAlias",
      "lambda:PublishVersion",
      "lambda:AddPermission",
    ]) {
      expect(can(action, functionArn)).toBe(false);
    }
    expect(can("s3:PutObject", "arn:aws:s3:::skillship-prod-media-1234567/en/a.mp3")).toBe(false);
    expect(can("iam:PassRole", `arn:aws:iam::${account}:role/skillship-prod-skill-role-x`)).toBe(false);
    expect(can("s3:GetObject", "arn:aws:s3:::someone-elses-bucket/data")).toBe(false);
    expect(can("sns:Publish", prodTopic)).toBe(false);
    expect(can("iam:GetRole", `arn:aws:iam::${account}:role/skillship-prod-skill-role-abc`)).toBe(true);
    expect(can("iam:GetRolePolicy", `arn:aws:iam::${account}:role/skillship-pipeline-release-abc`)).toBe(
      false,
    );
  });

  it("lets the beta role deploy the dev stack only", () => {
    const { policy } = role(run, "beta");
    const can = (action: string, resource: string, context?: Record<string, string>) =>
      isAllowed(policy, { action, resource, context });
    expect(can("lambda:UpdateFunctionCode", devFunctionArn)).toBe(true);
    expect(can("lambda:PutFunctionConcurrency", devFunctionArn)).toBe(true);
    expect(can("s3:PutObject", state("stacks/skillship/dev.json"))).toBe(true);
    expect(can("s3:PutObject", state("locks/organization/skillship/dev/1.json"))).toBe(true);
    expect(can("s3:PutObject", "arn:aws:s3:::skillship-dev-media-1234567/en/a.mp3")).toBe(true);
    expect(
      can("iam:PassRole", `arn:aws:iam::${account}:role/skillship-dev-skill-role-abc`, {
        "iam:PassedToService": "lambda.amazonaws.com",
      }),
    ).toBe(true);

    expect(can("lambda:UpdateFunctionCode", functionArn)).toBe(false);
    expect(can("lambda:UpdateAlias", `${functionArn}:blue`)).toBe(false);
    expect(can("lambda:PublishVersion", functionArn)).toBe(false);
    expect(can("s3:PutObject", state("stacks/skillship/prod.json"))).toBe(false);
    expect(can("s3:GetObject", state("stacks/skillship/prod.json"))).toBe(false);
    expect(can("s3:PutObject", "arn:aws:s3:::skillship-prod-media-1234567/en/a.mp3")).toBe(false);
    expect(can("iam:CreateRole", `arn:aws:iam::${account}:role/skillship-dev-anything`)).toBe(false);
    expect(can("iam:PutRolePolicy", `arn:aws:iam::${account}:role/skillship-dev-skill-role-abc`)).toBe(false);
    expect(
      can("iam:PassRole", `arn:aws:iam::${account}:role/skillship-dev-skill-role-abc`, {
        "iam:PassedToService": "ec2.amazonaws.com",
      }),
    ).toBe(false);
    expect(can("sns:Publish", prodTopic)).toBe(false);
    expect(can("sns:Subscribe", devTopic)).toBe(false);
  });

  it("lets the watch role read prod's state and function and post its outcome, and change nothing", () => {
    const { policy } = role(run, "watch");
    const can = (action: string, resource: string) => isAllowed(policy, { action, resource });
    for (const action of [
      "lambda:GetFunctionConfiguration",
      "lambda:GetFunction",
      "lambda:ListVersionsByFunction",
      "lambda:GetAlias",
    ]) {
      expect(can(action, functionArn)).toBe(true);
      expect(can(action, `${functionArn}:blue`)).toBe(true);
      expect(can(action, devFunctionArn)).toBe(false);
      expect(can(action, `${functionArn}-evil`)).toBe(false);
      expect(can(action, `arn:aws:lambda:${region}:${account}:function:other:green`)).toBe(false);
    }
    expect(can("s3:ListBucket", `arn:aws:s3:::${stateBucket}`)).toBe(true);
    expect(can("s3:GetObject", state("stacks/skillship/prod.json"))).toBe(true);
    expect(can("kms:Decrypt", appKey)).toBe(true);
    expect(can("sns:Publish", prodTopic)).toBe(true);

    for (const action of [
      "lambda:UpdateAlias",
      "lambda:PublishVersion",
      "lambda:UpdateFunctionCode",
      "lambda:UpdateFunctionConfiguration",
      "lambda:AddPermission",
      "lambda:InvokeFunction",
    ]) {
      expect(can(action, functionArn)).toBe(false);
      expect(can(action, `${functionArn}:blue`)).toBe(false);
    }
    expect(can("s3:PutObject", state("stacks/skillship/prod.json"))).toBe(false);
    expect(can("kms:Encrypt", appKey)).toBe(false);
    expect(can("s3:GetObject", "arn:aws:s3:::skillship-prod-media-1234567/en/a.mp3")).toBe(false);
    expect(can("iam:GetRole", `arn:aws:iam::${account}:role/skillship-pipeline-release`)).toBe(false);
    expect(can("sns:Publish", devTopic)).toBe(false);
    expect(
      can("cloudwatch:PutMetricAlarm", `arn:aws:cloudwatch:${region}:${account}:alarm:skillship-prod-x`),
    ).toBe(false);
  });

  it("lets the release role publish versions and move aliases of the prod function only", () => {
    const { policy } = role(run, "release");
    const can = (action: string, resource: string, context?: Record<string, string>) =>
      isAllowed(policy, { action, resource, context });
    expect(can("lambda:PublishVersion", functionArn)).toBe(true);
    expect(can("lambda:UpdateAlias", `${functionArn}:blue`)).toBe(true);
    expect(can("lambda:UpdateAlias", `${functionArn}:green`)).toBe(true);
    expect(can("lambda:UpdateFunctionCode", functionArn)).toBe(true);
    expect(can("s3:PutObject", state("stacks/skillship/prod.json"))).toBe(true);
    expect(can("s3:PutObject", state("locks/organization/skillship/prod/1.json"))).toBe(true);
    expect(can("sns:Publish", prodTopic)).toBe(true);

    expect(can("lambda:UpdateAlias", `${devFunctionArn}:blue`)).toBe(false);
    expect(can("lambda:UpdateAlias", `arn:aws:lambda:${region}:${account}:function:other:blue`)).toBe(false);
    expect(can("lambda:PublishVersion", `${functionArn}-evil`)).toBe(false);
    expect(can("lambda:UpdateFunctionCode", devFunctionArn)).toBe(false);
    expect(can("s3:PutObject", state("stacks/skillship/dev.json"))).toBe(false);
    expect(
      can("iam:PassRole", `arn:aws:iam::${account}:role/Admin`, {
        "iam:PassedToService": "lambda.amazonaws.com",
      }),
    ).toBe(false);
    expect(can("iam:CreateRole", `arn:aws:iam::${account}:role/skillship-prod-x`)).toBe(false);
  });

  it("lets the release role read a canary's metrics, and no other role", () => {
    // GetMetricData and ListMetrics take no resource but "*".
    for (const action of ["cloudwatch:GetMetricData", "cloudwatch:ListMetrics"]) {
      expect(isAllowed(role(run, "release").policy, { action, resource: "*" })).toBe(true);
      for (const other of ["preview", "beta", "watch"] as const) {
        expect(isAllowed(role(run, other).policy, { action, resource: "*" })).toBe(false);
      }
    }
    // Reading metrics, not writing them or deleting alarms.
    const release = role(run, "release").policy;
    expect(isAllowed(release, { action: "cloudwatch:PutMetricData", resource: "*" })).toBe(false);
    expect(isAllowed(release, { action: "cloudwatch:DeleteAlarms", resource: "*" })).toBe(false);
  });

  it("lets the release role pass exactly the prod function's role, as the prod stack exported it", () => {
    const { policy } = role(run, "release");
    const passRole = policy.Statement.find((statement) => statement.Sid === "PassFunctionRole");
    expect(passRole?.Resource).toMatch(
      new RegExp(`^arn:aws:iam::${account}:role/skillship-prod-skill-role-`),
    );
    expect(
      isAllowed(policy, {
        action: "iam:PassRole",
        resource: passRole!.Resource as string,
        context: { "iam:PassedToService": "lambda.amazonaws.com" },
      }),
    ).toBe(true);
  });

  describe("invoke permissions (issue 12, part 5)", () => {
    const principals = [
      "*",
      account,
      "999999999999",
      `arn:aws:iam::999999999999:root`,
      "apigateway.amazonaws.com",
      "s3.amazonaws.com",
      "alexa-connectedhome.amazon.com",
    ];
    it.each<[Role, string]>([
      ["beta", devFunctionArn],
      ["release", functionArn],
    ])(
      "the %s role may recreate its stack's Alexa permission, and grant invoke to no one else",
      (name, fn) => {
        const { policy } = role(run, name);
        for (const action of ["lambda:AddPermission", "lambda:RemovePermission"]) {
          expect(
            isAllowed(policy, {
              action,
              resource: fn,
              context: { "lambda:Principal": "alexa-appkit.amazon.com" },
            }),
          ).toBe(true);
          for (const principal of principals) {
            expect({
              action,
              principal,
              allowed: isAllowed(policy, {
                action,
                resource: fn,
                context: { "lambda:Principal": principal },
              }),
            }).toEqual({ action, principal, allowed: false });
          }
          // A request without the principal (how IAM sees a missing condition key) is refused too.
          expect(isAllowed(policy, { action, resource: fn })).toBe(false);
        }
      },
    );

    it.each<Role>(["preview", "watch"])("the %s role may not touch permissions at all", (name) => {
      const { policy } = role(run, name);
      const context = { "lambda:Principal": "alexa-appkit.amazon.com" };
      for (const fn of [functionArn, devFunctionArn]) {
        expect(isAllowed(policy, { action: "lambda:AddPermission", resource: fn, context })).toBe(false);
      }
    });
  });

  it("manages the environments production, beta and preview with their reviewers and deployment refs", () => {
    const environments = Object.fromEntries(
      run
        .ofType("github:index/repositoryEnvironment:RepositoryEnvironment")
        .map((environment) => [environment.inputs.environment, environment.inputs]),
    );
    expect(Object.keys(environments).sort()).toEqual(["beta", "preview", "production"]);
    expect(environments.production).toMatchObject({
      repository: "jokebox",
      preventSelfReview: true,
      reviewers: [{ users: [1234567] }],
      deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
    });
    expect(environments.beta).toMatchObject({
      repository: "jokebox",
      deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
    });
    expect(environments.beta.reviewers).toBeUndefined();
    expect(environments.preview).toEqual({ repository: "jokebox", environment: "preview" });

    const refs = run
      .ofType("github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy")
      .map(({ inputs }) =>
        inputs.branchPattern !== undefined
          ? `${inputs.environment} branch ${inputs.branchPattern}`
          : `${inputs.environment} tag ${inputs.tagPattern}`,
      )
      .sort();
    expect(refs).toEqual([
      "beta branch develop",
      "beta branch main",
      "production branch main",
      "production tag v*",
    ]);
  });

  it("writes the repository variables: region, backend, the roles and the prod alert topic", () => {
    const variables = Object.fromEntries(
      run
        .ofType("github:index/actionsVariable:ActionsVariable")
        .map((variable: RecordedResource) => [variable.inputs.variableName, variable.inputs.value]),
    );
    expect(variables).toEqual({
      AWS_REGION: region,
      PULUMI_BACKEND_URL: `s3://${stateBucket}`,
      SKILLSHIP_PREVIEW_ROLE_ARN: run.outputs.previewRoleArn,
      SKILLSHIP_BETA_ROLE_ARN: run.outputs.betaRoleArn,
      SKILLSHIP_RELEASE_ROLE_ARN: run.outputs.releaseRoleArn,
      SKILLSHIP_WATCH_ROLE_ARN: run.outputs.watchRoleArn,
      SKILLSHIP_ALERTS_TOPIC_ARN: prodTopic,
    });
  });

  it("writes the Login with Amazon credentials as secrets of production and beta only, never of the repository", () => {
    expect(run.ofType("github:index/actionsSecret:ActionsSecret")).toHaveLength(0);
    const secrets = run.ofType("github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret");
    expect(
      secrets.map((secret) => `${secret.inputs.environment} ${secret.inputs.secretName}`).sort(),
    ).toEqual([
      "beta ASK_LWA_CLIENT_ID",
      "beta ASK_LWA_CLIENT_SECRET",
      "production ASK_LWA_CLIENT_ID",
      "production ASK_LWA_CLIENT_SECRET",
    ]);
    for (const secret of secrets) {
      expect(secret.inputs.repository).toBe("jokebox");
      expect(secret.inputs.value).toBe(
        secret.inputs.secretName === "ASK_LWA_CLIENT_SECRET"
          ? "lwa-secret-value"
          : "amzn1.application-oa2-client.x",
      );
      expect(secret.secretInputs).toContain("value");
    }
    const [provider] = run.ofType("pulumi:providers:github");
    expect(provider!.inputs.owner).toBe("acme");
    expect(provider!.secretInputs).toContain("token");
    expect(
      run.ofType(
        "github:index/actionsRepositoryOidcSubjectClaimCustomizationTemplate:ActionsRepositoryOidcSubjectClaimCustomizationTemplate",
      ),
    ).toHaveLength(0);
  });

  it("passes every CrossGuard policy", () => {
    expect(violations(run)).toEqual([]);
  });
});

describe("admin stack (Pulumi Cloud, id-based subjects, existing OIDC provider, prod over https)", () => {
  const existingProviderArn = `arn:aws:iam::${account}:oidc-provider/token.actions.githubusercontent.com`;
  let run: ProgramRun;
  let apiId: string;
  beforeAll(async () => {
    const references = await appStacks({ endpointKind: "https" });
    const prod = references["organization/skillship/prod"]!;
    apiId = prod.httpApiId as string;
    run = await runProgram({
      stack: "admin",
      config: {
        githubRepository: "acme/jokebox",
        githubSubjectFormat: "id",
        githubOwnerId: "4242",
        githubRepositoryId: "987654",
        oidcProviderArn: existingProviderArn,
        pulumiOrganization: "acme",
        githubReviewers: "[1234567]",
      },
      secrets: { githubToken: "ghp_not_a_real_token" },
      stackReferences: {
        "acme/skillship/dev": references["organization/skillship/dev"]!,
        "acme/skillship/prod": prod,
      },
    });
  }, 3 * PROGRAM_RUN_GUARD_MS);

  it("trusts the existing provider with id-based subjects only", () => {
    expect(run.error).toBeUndefined();
    expect(run.ofType("aws:iam/openIdConnectProvider:OpenIdConnectProvider")).toHaveLength(0);
    const { trust } = role(run, "release");
    const idSub = "repository_owner_id:4242:repository_id:987654:environment:production";
    expect(canAssumeWithToken(trust, existingProviderArn, githubClaims(idSub))).toBe(true);
    for (const sub of [
      "repository_owner_id:4242:repository_id:111111:environment:production",
      "repository_owner_id:1:repository_id:987654:environment:production",
      "repository_owner_id:4242:repository_id:987654:ref:refs/heads/develop",
      "repo:acme/jokebox:environment:production",
    ]) {
      expect(canAssumeWithToken(trust, existingProviderArn, githubClaims(sub))).toBe(false);
    }
    const watch = role(run, "watch").trust;
    expect(
      canAssumeWithToken(
        watch,
        existingProviderArn,
        githubClaims("repository_owner_id:4242:repository_id:987654:environment:beta"),
      ),
    ).toBe(true);
    expect(
      run.ofType(
        "github:index/actionsRepositoryOidcSubjectClaimCustomizationTemplate:ActionsRepositoryOidcSubjectClaimCustomizationTemplate",
      ),
    ).toHaveLength(1);
  });

  it("lets the release role change this stack's HTTP API only, and grant invoke to API Gateway only", () => {
    const { policy } = role(run, "release");
    const resource = (id: string) => `arn:aws:apigateway:${region}::/apis/${id}/routes/r1`;
    expect(isAllowed(policy, { action: "apigateway:PATCH", resource: resource(apiId) })).toBe(true);
    expect(isAllowed(policy, { action: "apigateway:PATCH", resource: resource("other") })).toBe(false);
    const add = (principal: string) =>
      isAllowed(policy, {
        action: "lambda:AddPermission",
        resource: functionArn,
        context: { "lambda:Principal": principal },
      });
    expect(add("apigateway.amazonaws.com")).toBe(true);
    expect(add("alexa-appkit.amazon.com")).toBe(false);
  });

  it("gives no role any access to a state bucket: Pulumi Cloud's teams decide who reads which stack", () => {
    for (const name of roles) {
      const { policy } = role(run, name);
      expect(policy.Statement.some((statement) => String(statement.Action).includes("kms:"))).toBe(false);
      expect(
        isAllowed(policy, { action: "s3:GetObject", resource: state("stacks/skillship/prod.json") }),
      ).toBe(false);
    }
  });

  it("writes the Pulumi Cloud organization instead of a backend URL", () => {
    const variables = run
      .ofType("github:index/actionsVariable:ActionsVariable")
      .map((variable) => variable.inputs.variableName as string);
    expect(variables).toContain("PULUMI_ORGANIZATION");
    expect(variables).not.toContain("PULUMI_BACKEND_URL");
  });

  it("passes every CrossGuard policy", () => {
    expect(violations(run)).toEqual([]);
  });
});
