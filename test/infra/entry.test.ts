import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import YAML from "yaml";
import { projectRoot } from "../../infra/config";
import { fakeBundle } from "./support/program";

const run = promisify(execFile);

/**
 * How long a language host may run before it is killed. Each compiles the program with ts-node and loads the AWS
 * provider: about 10 s of CPU, 20 s and more when both cores are busy. The run ends on its own; this only stops a
 * hung one (its error then says so, before the hook's own timeout), so it is generous.
 */
const HOST_GUARD_MS = 120_000;

interface HostResult {
  outputs: Record<string, unknown>;
  types: string[];
  compiledByTsNode: boolean;
}

/**
 * Runs a stack the way the Pulumi CLI's Node.js language host does: the runtime options of Pulumi.yaml become
 * the environment of `node node_modules/@pulumi/pulumi/cmd/run <flags> <main>`, the stack file's config becomes
 * PULUMI_CONFIG. Only the engine is replaced, by mocks preloaded in the same process.
 */
async function runLikeTheLanguageHost(stack: "dev" | "prod" | "admin"): Promise<HostResult> {
  const project = YAML.parse(fs.readFileSync(path.join(projectRoot, "Pulumi.yaml"), "utf8"));
  expect(project.name).toBe("skillship");
  expect(project.runtime.name).toBe("nodejs");
  const options = project.runtime.options ?? {};
  const stackFile = YAML.parse(fs.readFileSync(path.join(projectRoot, `Pulumi.${stack}.yaml`), "utf8"));
  // The app stacks read the bundle; the admin stack has no such key.
  const config =
    stack === "admin" ? stackFile.config : { ...stackFile.config, "skillship:bundleDir": fakeBundle() };

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PULUMI_CONFIG: JSON.stringify(config),
    PULUMI_NODEJS_PROJECT_UNDER_TEST: project.name,
    PULUMI_NODEJS_STACK_UNDER_TEST: stack,
  };
  delete env.NODE_OPTIONS;
  if (options.typescript !== false) env.PULUMI_NODEJS_TYPESCRIPT = "true";
  if (options.tsconfig !== undefined) env.PULUMI_NODEJS_TSCONFIG_PATH = options.tsconfig;

  const { stdout } = await run(
    process.execPath,
    [
      "-r",
      path.join(__dirname, "support", "language-host.js"),
      path.join(projectRoot, "node_modules", "@pulumi", "pulumi", "cmd", "run"),
      // Never dialled: the preloaded mocks answer every engine call.
      "--monitor=127.0.0.1:1",
      `--project=${project.name}`,
      `--stack=${stack}`,
      project.main ?? ".",
    ],
    { cwd: projectRoot, env, timeout: HOST_GUARD_MS },
  );
  const last = stdout.trim().split("\n").pop()!;
  return JSON.parse(last) as HostResult;
}

describe("the program's entry point under the Pulumi language host", () => {
  let dev: HostResult;
  let prod: HostResult;
  let admin: HostResult;
  beforeAll(
    async () => {
      [dev, prod] = await Promise.all([runLikeTheLanguageHost("dev"), runLikeTheLanguageHost("prod")]);
      admin = await runLikeTheLanguageHost("admin");
    },
    2 * HOST_GUARD_MS + 30_000,
  );

  it("refreshes before every preview and update, so a stale state never undoes a release", () => {
    const project = YAML.parse(fs.readFileSync(path.join(projectRoot, "Pulumi.yaml"), "utf8"));
    expect(project.options?.refresh).toBe("always");
  });

  it("is compiled by the project's ts-node (TypeScript 5.9) with tsconfig.json", () => {
    expect(dev.compiledByTsNode).toBe(true);
    expect(prod.compiledByTsNode).toBe(true);
  });

  it("runs Pulumi.dev.yaml and exports the dev outputs", () => {
    expect(dev.outputs).toMatchObject({
      stack: "dev",
      endpointKind: "lambda",
      functionName: "skillship-dev-skill",
      skillId: expect.stringMatching(/^amzn1\.ask\.skill\./),
    });
    expect(dev.outputs.developmentEndpoint).toBe(dev.outputs.functionArn);
    expect(dev.types).toContain("aws:lambda/function:Function");
    expect(dev.types).toContain("synced-folder:index:S3BucketFolder");
  });

  it("runs Pulumi.prod.yaml and exports aliases, the development endpoint and the alert topic", () => {
    expect(prod.outputs).toMatchObject({
      stack: "prod",
      functionName: "skillship-prod-skill",
      developmentEndpoint: "arn:aws:lambda:eu-west-1:111111111111:function:skillship-dev-skill",
      aliasEndpoints: { blue: expect.stringMatching(/:blue$/), green: expect.stringMatching(/:green$/) },
    });
    for (const key of ["mediaBucket", "alertsTopicArn"]) {
      expect(typeof prod.outputs[key]).toBe("string");
    }
    expect(prod.types.filter((type) => type === "aws:lambda/alias:Alias")).toHaveLength(2);
    expect(prod.types).not.toContain("aws:iam/openIdConnectProvider:OpenIdConnectProvider");
  });

  it("runs Pulumi.admin.yaml: the pipeline roles, and nothing of the skill", () => {
    expect(admin.compiledByTsNode).toBe(true);
    for (const key of ["previewRoleArn", "betaRoleArn", "releaseRoleArn", "watchRoleArn"]) {
      expect(typeof admin.outputs[key]).toBe("string");
    }
    expect(admin.types.filter((type) => type === "aws:iam/role:Role")).toHaveLength(4);
    expect(admin.types).toContain("pulumi:pulumi:StackReference");
    expect(admin.types).not.toContain("aws:lambda/function:Function");
  });

  it("keeps every stack file free of secrets: the app stacks hold none, the admin stack's are set by hand", () => {
    for (const stack of ["dev", "prod", "admin"]) {
      const text = fs.readFileSync(path.join(projectRoot, `Pulumi.${stack}.yaml`), "utf8");
      expect({ stack, secure: /\bsecure:/.test(text) }).toEqual({ stack, secure: false });
    }
  });
});
