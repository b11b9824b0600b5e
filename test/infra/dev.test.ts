import * as path from "node:path";
import { isAllowed, isDenied } from "./support/iam";
import {
  type ProgramRun,
  account,
  fakeBundle,
  policyOf,
  PROGRAM_RUN_GUARD_MS,
  region,
  runProgram,
  skillId,
  violations,
} from "./support/program";

const functionArn = `arn:aws:lambda:${region}:${account}:function:skillship-dev-skill`;

describe("dev stack (endpoint kind lambda)", () => {
  const bundleDir = fakeBundle();
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runProgram({
      stack: "dev",
      config: {
        skillId,
        bundleDir,
        mediaFolder: "media",
        logRetentionDays: "14",
        alarmEmails: '["oncall@example.com","Dev.Team@example.com"]',
        reservedConcurrency: "25",
      },
    });
  }, PROGRAM_RUN_GUARD_MS);

  it("runs without error and exports the outputs the CLI reads", () => {
    expect(run.error).toBeUndefined();
    expect(run.outputs).toMatchObject({
      skillId,
      stack: "dev",
      endpointKind: "lambda",
      functionName: "skillship-dev-skill",
      functionArn,
      developmentEndpoint: functionArn,
    });
    expect(run.outputs.mediaBucket).toMatch(/^skillship-dev-media-/);
    for (const key of ["aliasEndpoints", "previewRoleArn", "betaRoleArn", "releaseRoleArn", "watchRoleArn"]) {
      expect(run.outputs[key]).toBeUndefined();
    }
  });

  it("declares the function on nodejs22.x arm64 with the bundle, handler and environment", async () => {
    const [fn] = run.ofType("aws:lambda/function:Function");
    expect(fn!.inputs).toMatchObject({
      name: "skillship-dev-skill",
      runtime: "nodejs22.x",
      architectures: ["arm64"],
      handler: "index.handler",
      memorySize: 512,
      timeout: 8,
      publish: false,
      environment: {
        variables: {
          SKILL_ID: skillId,
          MEDIA_BUCKET: run.outputs.mediaBucket,
        },
      },
      loggingConfig: { logGroup: "/aws/lambda/skillship-dev-skill" },
    });
    // The clips the stack uploads from media/, the function's first listing.
    const clips = JSON.parse(fn!.inputs.environment.variables.MEDIA_CLIPS) as string[];
    expect(clips).toHaveLength(12);
    expect(clips).toContain("de/fisch.mp3");
    expect(clips).toEqual([...clips].sort());
    expect(fn!.inputs.environment.variables.MEDIA_PREFIX).toBeUndefined();
    // The bundle links no source map: --enable-source-maps would only cost start-up time.
    expect(fn!.inputs.environment.variables.NODE_OPTIONS).toBeUndefined();
    expect(fn!.inputs.sourceCodeHash).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    // The archive arrives as a deserialized FileArchive whose path is a promise.
    expect(await fn!.inputs.code.path).toBe(path.join(bundleDir, "skill.zip"));
  });

  it("keeps the function's logs with the configured retention", () => {
    const [logGroup, ...others] = run.ofType("aws:cloudwatch/logGroup:LogGroup");
    expect(others).toHaveLength(0);
    expect(logGroup!.inputs).toMatchObject({ name: "/aws/lambda/skillship-dev-skill", retentionInDays: 14 });
  });

  it("has no aliases and one unqualified Alexa permission bound to the skill id", () => {
    expect(run.ofType("aws:lambda/alias:Alias")).toHaveLength(0);
    const permissions = run.ofType("aws:lambda/permission:Permission");
    expect(permissions).toHaveLength(1);
    expect(permissions[0]!.inputs).toMatchObject({
      function: "skillship-dev-skill",
      action: "lambda:InvokeFunction",
      principal: "alexa-appkit.amazon.com",
      eventSourceToken: skillId,
    });
    expect(permissions[0]!.inputs.qualifier).toBeUndefined();
  });

  it("makes the media bucket private, encrypted, versioned and TLS-only, and uploads the media folder", () => {
    expect(run.named("skillship-dev-media-public-access").inputs).toMatchObject({
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    expect(run.named("skillship-dev-media-ownership").inputs.rule.objectOwnership).toBe(
      "BucketOwnerEnforced",
    );
    expect(
      run.named("skillship-dev-media-encryption").inputs.rules[0].applyServerSideEncryptionByDefault
        .sseAlgorithm,
    ).toBe("AES256");
    expect(run.named("skillship-dev-media-versioning").inputs.versioningConfiguration.status).toBe("Enabled");

    const bucketArn = `arn:aws:s3:::${run.outputs.mediaBucket}`;
    const policy = policyOf(run.named("skillship-dev-media-tls-only"));
    const request = (secure: string) => ({
      action: "s3:GetObject",
      resource: `${bucketArn}/en/clip.mp3`,
      context: { "aws:SecureTransport": secure },
    });
    expect(isDenied(policy, request("false"))).toBe(true);
    expect(isDenied(policy, request("true"))).toBe(false);

    const [folder] = run.ofType("synced-folder:index:S3BucketFolder");
    expect(folder!.inputs).toMatchObject({ bucketName: run.outputs.mediaBucket, managedObjects: true });
    expect(folder!.inputs.path).toMatch(/media$/);
  });

  it("gives the function role its own log group and read-only media, nothing else", () => {
    const bucketArn = `arn:aws:s3:::${run.outputs.mediaBucket}`;
    const logGroupArn = `arn:aws:logs:${region}:${account}:log-group:/aws/lambda/skillship-dev-skill`;
    const policy = policyOf(run.named("skillship-dev-skill-role-policy"));
    const allowed = (action: string, resource: string, context?: Record<string, string>) =>
      isAllowed(policy, { action, resource, context });

    expect(allowed("logs:PutLogEvents", `${logGroupArn}:log-stream:abc`)).toBe(true);
    expect(allowed("logs:CreateLogStream", `${logGroupArn}:log-stream:abc`)).toBe(true);
    expect(allowed("s3:GetObject", `${bucketArn}/de/kuh.mp3`)).toBe(true);
    expect(allowed("s3:ListBucket", bucketArn)).toBe(true);

    expect(
      allowed("logs:PutLogEvents", `arn:aws:logs:${region}:${account}:log-group:/aws/lambda/other:*`),
    ).toBe(false);
    expect(allowed("logs:CreateLogGroup", `arn:aws:logs:${region}:${account}:log-group:/aws/lambda/x`)).toBe(
      false,
    );
    expect(allowed("s3:GetObject", "arn:aws:s3:::another-bucket/secret.txt")).toBe(false);
    expect(allowed("s3:GetObject", `${bucketArn}-evil/clip.mp3`)).toBe(false);
    expect(allowed("s3:ListBucket", "arn:aws:s3:::another-bucket")).toBe(false);
    expect(allowed("s3:PutObject", `${bucketArn}/de/kuh.mp3`)).toBe(false);
    expect(allowed("s3:DeleteObject", `${bucketArn}/de/kuh.mp3`)).toBe(false);

    const trust = policyOf(run.named("skillship-dev-skill-role"), "assumeRolePolicy");
    expect(trust.Statement).toEqual([
      { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
    ]);
  });

  it("reserves the configured concurrency for the function", () => {
    const [fn] = run.ofType("aws:lambda/function:Function");
    expect(fn!.inputs.reservedConcurrentExecutions).toBe(25);
  });

  it("owns an alert topic with the configured email subscriptions, and exports what the admin stack reads", () => {
    const [topic, ...others] = run.ofType("aws:sns/topic:Topic");
    expect(others).toHaveLength(0);
    expect(topic!.inputs.name).toBe("skillship-dev-alerts");
    const subscriptions = run.ofType("aws:sns/topicSubscription:TopicSubscription");
    expect(subscriptions.map((subscription) => subscription.inputs)).toEqual([
      { topic: topic!.state.arn, protocol: "email", endpoint: "oncall@example.com" },
      { topic: topic!.state.arn, protocol: "email", endpoint: "Dev.Team@example.com" },
    ]);
    expect(run.outputs).toMatchObject({
      alertsTopicArn: topic!.state.arn,
      functionRoleArn: run.named("skillship-dev-skill-role").state.arn,
      logGroupArns: [`arn:aws:logs:${region}:${account}:log-group:/aws/lambda/skillship-dev-skill`],
      invokePrincipals: ["alexa-appkit.amazon.com"],
    });
    expect(run.outputs.httpApiId).toBeUndefined();
  });

  it("alarms on errors, throttles and p99 duration of the function, each notifying the alert topic", () => {
    const alarms = run.ofType("aws:cloudwatch/metricAlarm:MetricAlarm");
    const topicArn = `arn:aws:sns:${region}:${account}:skillship-dev-alerts`;
    for (const alarm of alarms) {
      expect(alarm.inputs.alarmActions).toEqual([topicArn]);
      expect(alarm.inputs.okActions).toEqual([topicArn]);
    }
    expect(alarms.map((alarm) => alarm.inputs.metricName).sort()).toEqual([
      "Duration",
      "Errors",
      "Throttles",
    ]);
    for (const alarm of alarms) {
      expect(alarm.inputs.dimensions).toEqual({ FunctionName: "skillship-dev-skill" });
      expect(alarm.name).toMatch(/^skillship-dev-/);
    }
    const duration = alarms.find((alarm) => alarm.inputs.metricName === "Duration")!;
    expect(duration.inputs).toMatchObject({ extendedStatistic: "p99", threshold: 7000 });
  });

  it("declares no pipeline and no HTTP API", () => {
    expect(run.ofType("aws:iam/openIdConnectProvider:OpenIdConnectProvider")).toHaveLength(0);
    expect(run.ofType("aws:iam/role:Role")).toHaveLength(1);
    expect(run.ofType("aws:apigatewayv2/api:Api")).toHaveLength(0);
  });

  it("passes every CrossGuard policy", () => {
    expect(violations(run)).toEqual([]);
  });
});

describe("dev stack (endpoint kind https)", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runProgram({
      stack: "dev",
      config: { skillId, bundleDir: fakeBundle(), endpointKind: "https", mediaPrefix: "jokebox" },
    });
  }, PROGRAM_RUN_GUARD_MS);

  it("serves $LATEST through one throttled, logged HTTP API route and exports its URL", () => {
    expect(run.error).toBeUndefined();
    const [fn] = run.ofType("aws:lambda/function:Function");
    expect(fn!.inputs.handler).toBe("index.httpsHandler");
    expect(fn!.inputs.environment.variables.MEDIA_PREFIX).toBe("jokebox/");

    const [api] = run.ofType("aws:apigatewayv2/api:Api");
    expect(api!.inputs.protocolType).toBe("HTTP");
    expect(run.ofType("aws:apigatewayv2/route:Route").map((route) => route.inputs.routeKey)).toEqual([
      "POST /latest",
    ]);
    const [integration] = run.ofType("aws:apigatewayv2/integration:Integration");
    expect(integration!.inputs).toMatchObject({ integrationType: "AWS_PROXY", integrationUri: functionArn });
    const [stage] = run.ofType("aws:apigatewayv2/stage:Stage");
    expect(stage!.inputs.defaultRouteSettings).toEqual({
      throttlingBurstLimit: 100,
      throttlingRateLimit: 50,
    });
    expect(stage!.inputs.accessLogSettings.destinationArn).toContain(
      "log-group:/aws/apigateway/skillship-dev-api",
    );

    expect(run.outputs.endpointKind).toBe("https");
    expect(run.outputs.developmentEndpoint).toBe(`${api!.state.apiEndpoint}/latest`);
    expect(run.outputs.httpApiId).toBe(/^https:\/\/([^.]+)\./.exec(api!.state.apiEndpoint as string)![1]);
    expect(run.outputs.invokePrincipals).toEqual(["apigateway.amazonaws.com"]);
  });

  it("alarms on the HTTP API's 5xx answers, notifying the alert topic", () => {
    const alarms = run.ofType("aws:cloudwatch/metricAlarm:MetricAlarm");
    const api5xx = alarms.filter((alarm) => alarm.inputs.namespace === "AWS/ApiGateway");
    expect(api5xx).toHaveLength(1);
    expect(api5xx[0]!.inputs).toMatchObject({
      metricName: "5xx",
      statistic: "Sum",
      threshold: 1,
      dimensions: { ApiId: run.outputs.httpApiId, Stage: "$default" },
      alarmActions: [`arn:aws:sns:${region}:${account}:skillship-dev-alerts`],
    });
    expect(alarms).toHaveLength(4);
  });

  it("lets only API Gateway invoke, from its own route; Alexa gets no Lambda permission", () => {
    const permissions = run.ofType("aws:lambda/permission:Permission");
    expect(permissions).toHaveLength(1);
    expect(permissions[0]!.inputs.principal).toBe("apigateway.amazonaws.com");
    expect(permissions[0]!.inputs.sourceArn).toMatch(/^arn:aws:execute-api:.*\/\*\/POST\/latest$/);
  });

  it("limits the function role to the media prefix", () => {
    const bucketArn = `arn:aws:s3:::${run.outputs.mediaBucket}`;
    const policy = policyOf(run.named("skillship-dev-skill-role-policy"));
    expect(isAllowed(policy, { action: "s3:GetObject", resource: `${bucketArn}/jokebox/en/a.mp3` })).toBe(
      true,
    );
    expect(isAllowed(policy, { action: "s3:GetObject", resource: `${bucketArn}/private/a.mp3` })).toBe(false);
    expect(
      isAllowed(policy, {
        action: "s3:ListBucket",
        resource: bucketArn,
        context: { "s3:prefix": "jokebox/en/" },
      }),
    ).toBe(true);
    expect(
      isAllowed(policy, {
        action: "s3:ListBucket",
        resource: bucketArn,
        context: { "s3:prefix": "private/" },
      }),
    ).toBe(false);
  });

  it("passes every CrossGuard policy", () => {
    expect(violations(run)).toEqual([]);
  });
});
