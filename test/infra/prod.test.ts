// Over 350 lines on purpose: the prod stack's every resource and role, checked under one program run.
import type * as PulumiModule from "@pulumi/pulumi";
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
const kmsKeyArn = `arn:aws:kms:${region}:${account}:key/0b1c2d3e-aaaa-bbbb-cccc-111122223333`;

function role(run: ProgramRun, name: string): { trust: PolicyDocument; policy: PolicyDocument } {
  return {
    trust: policyOf(run.named(`skillship-prod-${name}`), "assumeRolePolicy"),
    policy: policyOf(run.named(`skillship-prod-${name}-policy`)),
  };
}

describe("prod stack (endpoint kind lambda, pipeline, repository settings)", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runProgram({
      stack: "prod",
      config: {
        skillId,
        bundleDir: fakeBundle(),
        developmentEndpoint: devFunctionArn,
        githubRepository: "acme/jokebox",
        stateBucket,
        stateKmsKeyArn: kmsKeyArn,
        githubReviewers: "[1234567]",
        alarmActions: `["arn:aws:sns:${region}:${account}:oncall"]`,
      },
      secrets: {
        githubToken: "ghp_not_a_real_token",
        askClientId: "amzn1.application-oa2-client.x",
        askClientSecret: "lwa-secret-value",
      },
    });
  }, PROGRAM_RUN_GUARD_MS);

  it("exports both alias endpoints, the dev stack as development endpoint and the role ARNs", () => {
    expect(run.error).toBeUndefined();
    expect(run.outputs).toMatchObject({
      skillId,
      stack: "prod",
      endpointKind: "lambda",
      functionName: "skillship-prod-skill",
      functionArn,
      developmentEndpoint: devFunctionArn,
      aliasEndpoints: { blue: `${functionArn}:blue`, green: `${functionArn}:green` },
    });
    const roleKeys = ["previewRoleArn", "betaRoleArn", "releaseRoleArn", "watchRoleArn"];
    for (const key of roleKeys) {
      expect(run.outputs[key]).toMatch(new RegExp(`^arn:aws:iam::${account}:role/skillship-prod-`));
    }
    expect(new Set(roleKeys.map((key) => run.outputs[key])).size).toBe(4);
    expect(run.outputs.watchRoleArn).toBe(run.named("skillship-prod-watch").state.arn);
  });

  it("declares aliases blue and green, each with its own Alexa permission bound to the skill id", () => {
    const aliases = run.ofType("aws:lambda/alias:Alias");
    expect(aliases.map((alias) => alias.inputs.name).sort()).toEqual(["blue", "green"]);
    for (const alias of aliases) {
      expect(alias.inputs).toMatchObject({
        functionName: "skillship-prod-skill",
        functionVersion: "$LATEST",
      });
    }
    const permissions = run.ofType("aws:lambda/permission:Permission");
    expect(permissions.map((permission) => permission.inputs.qualifier).sort()).toEqual(["blue", "green"]);
    for (const permission of permissions) {
      expect(permission.inputs).toMatchObject({
        function: "skillship-prod-skill",
        principal: "alexa-appkit.amazon.com",
        action: "lambda:InvokeFunction",
        eventSourceToken: skillId,
      });
    }
  });

  it("alarms on errors, throttles and p99 duration of each alias", () => {
    const alarms = run.ofType("aws:cloudwatch/metricAlarm:MetricAlarm");
    expect(alarms).toHaveLength(6);
    for (const colour of ["blue", "green"]) {
      const mine = alarms.filter(
        (alarm) => alarm.inputs.dimensions.Resource === `skillship-prod-skill:${colour}`,
      );
      expect(mine.map((alarm) => alarm.inputs.metricName).sort()).toEqual([
        "Duration",
        "Errors",
        "Throttles",
      ]);
    }
    for (const alarm of alarms) {
      expect(alarm.inputs.dimensions.FunctionName).toBe("skillship-prod-skill");
      expect(alarm.inputs.alarmActions).toEqual([`arn:aws:sns:${region}:${account}:oncall`]);
    }
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
    const cases: Array<[string, string, boolean]> = [
      ["preview", "repo:acme/jokebox:pull_request", true],
      ["preview", "repo:evil/jokebox:pull_request", false],
      ["preview", "repo:acme/jokebox-fork:pull_request", false],
      ["preview", "repo:acme/jokebox:ref:refs/heads/main", false],
      ["preview", "repo:acme/jokebox:environment:production", false],
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

    it.each([
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

  it("keeps the preview role read-only, apart from the state lock files", () => {
    const { policy } = role(run, "preview");
    const can = (action: string, resource: string) => isAllowed(policy, { action, resource });
    expect(can("lambda:GetFunction", functionArn)).toBe(true);
    expect(can("s3:GetObject", `arn:aws:s3:::${stateBucket}/.pulumi/stacks/skillship/prod.json`)).toBe(true);
    expect(can("s3:PutObject", `arn:aws:s3:::${stateBucket}/.pulumi/locks/skillship/prod/x.json`)).toBe(true);
    expect(can("kms:Decrypt", kmsKeyArn)).toBe(true);

    expect(can("s3:PutObject", `arn:aws:s3:::${stateBucket}/.pulumi/stacks/skillship/prod.json`)).toBe(false);
    expect(can("kms:Encrypt", kmsKeyArn)).toBe(false);
    for (const action of [
      "lambda:UpdateFunctionCode",
      "lambda:UpdateAlias",
      "lambda:PublishVersion",
      "lambda:AddPermission",
    ]) {
      expect(can(action, functionArn)).toBe(false);
    }
    expect(can("s3:PutObject", `arn:aws:s3:::${run.outputs.mediaBucket}/en/a.mp3`)).toBe(false);
    expect(can("iam:PassRole", `arn:aws:iam::${account}:role/skillship-prod-skill-role-x`)).toBe(false);
    expect(can("s3:GetObject", "arn:aws:s3:::someone-elses-bucket/data")).toBe(false);
  });

  it("lets the beta role deploy the dev stack only", () => {
    const { policy } = role(run, "beta");
    const can = (action: string, resource: string, context?: Record<string, string>) =>
      isAllowed(policy, { action, resource, context });
    expect(can("lambda:UpdateFunctionCode", devFunctionArn)).toBe(true);
    expect(can("s3:PutObject", `arn:aws:s3:::${stateBucket}/.pulumi/stacks/skillship/dev.json`)).toBe(true);
    expect(can("s3:PutObject", "arn:aws:s3:::skillship-dev-media-1234567/en/a.mp3")).toBe(true);
    expect(
      can("iam:PassRole", `arn:aws:iam::${account}:role/skillship-dev-skill-role-abc`, {
        "iam:PassedToService": "lambda.amazonaws.com",
      }),
    ).toBe(true);

    expect(can("lambda:UpdateFunctionCode", functionArn)).toBe(false);
    expect(can("lambda:UpdateAlias", `${functionArn}:blue`)).toBe(false);
    expect(can("lambda:PublishVersion", functionArn)).toBe(false);
    expect(can("s3:PutObject", `arn:aws:s3:::${stateBucket}/.pulumi/stacks/skillship/prod.json`)).toBe(false);
    expect(can("s3:PutObject", `arn:aws:s3:::${run.outputs.mediaBucket}/en/a.mp3`)).toBe(false);
    expect(can("iam:CreateRole", `arn:aws:iam::${account}:role/skillship-dev-anything`)).toBe(false);
    expect(can("iam:PutRolePolicy", `arn:aws:iam::${account}:role/skillship-dev-skill-role-abc`)).toBe(false);
    expect(
      can("iam:PassRole", `arn:aws:iam::${account}:role/skillship-dev-skill-role-abc`, {
        "iam:PassedToService": "ec2.amazonaws.com",
      }),
    ).toBe(false);
  });

  it("lets the watch role read the state and the prod function, and change nothing", () => {
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
    expect(can("s3:GetObject", `arn:aws:s3:::${stateBucket}/.pulumi/stacks/skillship/prod.json`)).toBe(true);
    expect(can("kms:Decrypt", kmsKeyArn)).toBe(true);

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
    expect(can("s3:PutObject", `arn:aws:s3:::${stateBucket}/.pulumi/stacks/skillship/prod.json`)).toBe(false);
    expect(can("kms:Encrypt", kmsKeyArn)).toBe(false);
    expect(can("s3:GetObject", `arn:aws:s3:::${run.outputs.mediaBucket}/en/a.mp3`)).toBe(false);
    expect(can("iam:GetRole", `arn:aws:iam::${account}:role/skillship-prod-release`)).toBe(false);
    expect(
      can("cloudwatch:PutMetricAlarm", `arn:aws:cloudwatch:${region}:${account}:alarm:skillship-prod-x`),
    ).toBe(false);
  });

  it("lets the release role publish versions and move aliases of this function only", () => {
    const { policy } = role(run, "release");
    const functionRoleArn = run.named("skillship-prod-skill-role").state.arn as string;
    const can = (action: string, resource: string, context?: Record<string, string>) =>
      isAllowed(policy, { action, resource, context });
    expect(can("lambda:PublishVersion", functionArn)).toBe(true);
    expect(can("lambda:UpdateAlias", `${functionArn}:blue`)).toBe(true);
    expect(can("lambda:UpdateAlias", `${functionArn}:green`)).toBe(true);
    expect(can("lambda:UpdateFunctionCode", functionArn)).toBe(true);
    expect(can("iam:PassRole", functionRoleArn, { "iam:PassedToService": "lambda.amazonaws.com" })).toBe(
      true,
    );
    expect(can("s3:PutObject", `arn:aws:s3:::${stateBucket}/.pulumi/stacks/skillship/prod.json`)).toBe(true);
    expect(can("s3:PutObject", `arn:aws:s3:::${run.outputs.mediaBucket}/en/a.mp3`)).toBe(true);

    expect(can("lambda:UpdateAlias", `${devFunctionArn}:blue`)).toBe(false);
    expect(can("lambda:UpdateAlias", `arn:aws:lambda:${region}:${account}:function:other:blue`)).toBe(false);
    expect(can("lambda:PublishVersion", `${functionArn}-evil`)).toBe(false);
    expect(can("lambda:UpdateFunctionCode", devFunctionArn)).toBe(false);
    expect(can("s3:PutObject", `arn:aws:s3:::${stateBucket}/.pulumi/stacks/skillship/dev.json`)).toBe(false);
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
    // Reading metrics, not writing them or touching alarms beyond the prod ones.
    const release = role(run, "release").policy;
    expect(isAllowed(release, { action: "cloudwatch:PutMetricData", resource: "*" })).toBe(false);
    expect(isAllowed(release, { action: "cloudwatch:DeleteAlarms", resource: "*" })).toBe(false);
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

  it("writes the repository variables, the watch role's included", () => {
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

describe("prod stack (endpoint kind https, id-based subjects, existing OIDC provider)", () => {
  const existingProviderArn = `arn:aws:iam::${account}:oidc-provider/token.actions.githubusercontent.com`;
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runProgram({
      stack: "prod",
      config: {
        skillId,
        bundleDir: fakeBundle(),
        endpointKind: "https",
        githubRepository: "acme/jokebox",
        githubSubjectFormat: "id",
        githubOwnerId: "4242",
        githubRepositoryId: "987654",
        oidcProviderArn: existingProviderArn,
        stateBucket,
      },
    });
  }, PROGRAM_RUN_GUARD_MS);

  it("routes each alias and $LATEST through the HTTP API and exports their URLs", () => {
    expect(run.error).toBeUndefined();
    const [api] = run.ofType("aws:apigatewayv2/api:Api");
    const base = api!.state.apiEndpoint as string;
    expect(run.outputs.aliasEndpoints).toEqual({ blue: `${base}/blue`, green: `${base}/green` });
    expect(run.outputs.developmentEndpoint).toBe(`${base}/latest`);
    expect(
      run
        .ofType("aws:apigatewayv2/route:Route")
        .map((route) => route.inputs.routeKey)
        .sort(),
    ).toEqual(["POST /blue", "POST /green", "POST /latest"]);
    expect(
      run
        .ofType("aws:apigatewayv2/integration:Integration")
        .map((integration) => integration.inputs.integrationUri)
        .sort(),
    ).toEqual([functionArn, `${functionArn}:blue`, `${functionArn}:green`]);
  });

  it("grants invoke to API Gateway per route and none to Alexa", () => {
    const permissions = run.ofType("aws:lambda/permission:Permission");
    expect(permissions).toHaveLength(3);
    for (const permission of permissions) {
      expect(permission.inputs.principal).toBe("apigateway.amazonaws.com");
      const route = permission.inputs.qualifier ?? "latest";
      expect(permission.inputs.sourceArn).toMatch(new RegExp(`/\\*/POST/${route}$`));
    }
  });

  it("trusts the existing provider with id-based subjects only", () => {
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
    for (const sub of [
      "repository_owner_id:4242:repository_id:111111:environment:beta",
      "repository_owner_id:4242:repository_id:987654:environment:production",
      "repo:acme/jokebox:environment:beta",
    ]) {
      expect(canAssumeWithToken(watch, existingProviderArn, githubClaims(sub))).toBe(false);
    }
    const beta = role(run, "beta").trust;
    expect(
      canAssumeWithToken(
        beta,
        existingProviderArn,
        githubClaims("repository_owner_id:4242:repository_id:987654:ref:refs/heads/develop"),
      ),
    ).toBe(true);
  });

  it("lets the release role change this stack's HTTP API only", () => {
    const [api] = run.ofType("aws:apigatewayv2/api:Api");
    const apiId = /https:\/\/([^.]+)\./.exec(api!.state.apiEndpoint as string)![1];
    const { policy } = role(run, "release");
    const resource = (id: string) => `arn:aws:apigateway:${region}::/apis/${id}/routes/r1`;
    expect(isAllowed(policy, { action: "apigateway:PATCH", resource: resource(apiId!) })).toBe(true);
    expect(isAllowed(policy, { action: "apigateway:PATCH", resource: resource("other") })).toBe(false);
  });

  it("passes every CrossGuard policy", () => {
    expect(violations(run)).toEqual([]);
  });
});

describe("ReleaseAliases", () => {
  it("leaves functionVersion and routingConfig to the release engine (ignoreChanges)", () => {
    const ignored: Record<string, string[] | undefined> = {};
    jest.isolateModules(() => {
      /* eslint-disable @typescript-eslint/no-require-imports -- a fresh Pulumi runtime, mocks before the component */
      const pulumi: typeof PulumiModule = require("@pulumi/pulumi");
      pulumi.runtime.setMocks(
        { newResource: (args) => ({ id: args.name, state: args.inputs }), call: () => ({}) },
        "skillship",
        "prod",
        false,
      );
      const { ReleaseAliases } = require("../../infra/components/ReleaseAliases");
      /* eslint-enable @typescript-eslint/no-require-imports */
      new ReleaseAliases(
        "aliases",
        { functionName: "fn", skillId, skillKind: "custom", alexaInvokes: true },
        {
          transformations: [
            (args: PulumiModule.ResourceTransformationArgs) => {
              ignored[`${args.type} ${args.name}`] = args.opts.ignoreChanges;
              return undefined;
            },
          ],
        },
      );
    });
    expect(ignored["aws:lambda/alias:Alias aliases-blue"]).toEqual(["functionVersion", "routingConfig"]);
    expect(ignored["aws:lambda/alias:Alias aliases-green"]).toEqual(["functionVersion", "routingConfig"]);
    expect(ignored["aws:lambda/permission:Permission aliases-blue-alexa"] ?? []).toEqual([]);
  });
});
