/**
 * Runs the Pulumi program under `pulumi.runtime.setMocks`, in a fresh module registry each time so every run
 * starts from clean Pulumi runtime state. Mocks fill the provider-computed fields the program reads (names,
 * ARNs, endpoints) the way AWS shapes them, and record every resource with its inputs.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- resource inputs and states are untyped JSON values */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type * as PulumiModule from "@pulumi/pulumi";
import { policies } from "../../../infra/policies/rules";

/**
 * Timeout of a hook that runs the program. Each run loads Pulumi and the AWS provider into a fresh module
 * registry: 15 s and more on a 2-core machine whose cores are busy, over jest's default of 30 s at worst. The
 * run ends on its own; this only guards against a hang, so it is generous.
 */
export const PROGRAM_RUN_GUARD_MS = 120_000;

export const account = "123456789012";
export const region = "eu-west-1";
export const skillId = "amzn1.ask.skill.11111111-2222-4333-8444-555555555555";

/** One resource the program registered: its type, logical name, inputs (secrets unwrapped) and mocked state. */
export interface RecordedResource {
  type: string;
  name: string;
  inputs: Record<string, any>;
  state: Record<string, any>;
  /** Top-level inputs that reached the engine as secrets. */
  secretInputs: string[];
  /** The AWS region of its provider: an explicit provider's, else the stack's own (`aws:region`, default {@link region}). */
  awsRegion: string;
}

/** What one program run produced. */
export interface ProgramRun {
  resources: RecordedResource[];
  outputs: Record<string, unknown>;
  error?: Error;
  /** Resources of one type, by Pulumi type token. */
  ofType(type: string): RecordedResource[];
  /** The single resource with this logical name. */
  named(name: string): RecordedResource;
}

/** A built skill bundle in a temporary folder, as `npm run build` writes it. */
export function fakeBundle(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "skillship-bundle-"));
  const zip = Buffer.from("PK\u0005\u0006" + "\u0000".repeat(18), "binary");
  fs.writeFileSync(path.join(dir, "skill.zip"), zip);
  const codeSha256 = createHash("sha256").update(zip).digest("base64");
  fs.writeFileSync(path.join(dir, "build.json"), JSON.stringify({ codeSha256, rawBytes: 1, gzipBytes: 1 }));
  return dir;
}

/**
 * A smart-home project in a temporary folder, as the program's working directory would hold it: `skillship.json`
 * and a skill package publishing `locales` (a smartHome stack without `alexaRegions` serves their regions).
 */
export function smartHomeProject(locales: readonly string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "skillship-smart-home-"));
  fs.writeFileSync(path.join(dir, "skillship.json"), JSON.stringify({ kind: "smartHome" }));
  fs.mkdirSync(path.join(dir, "skill-package"));
  const manifest = {
    publishingInformation: {
      locales: Object.fromEntries(locales.map((locale) => [locale, { name: "Hub" }])),
    },
    apis: { smartHome: { protocolVersion: "3" } },
  };
  fs.writeFileSync(path.join(dir, "skill-package", "skill.json"), JSON.stringify({ manifest }));
  return dir;
}

const secretSignature = ["4dabf18193072939515e22adb298388d", "1b47061264138c4ac30d75fd1eb44270"] as const;
const isSecret = (value: any) =>
  value !== null && typeof value === "object" && value[secretSignature[0]] === secretSignature[1];

/** Secret inputs reach the mocks wrapped; unwrap them so assertions see values. */
function unwrapSecrets(value: any): any {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  const plain =
    value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype;
  if (plain) {
    if (isSecret(value)) return unwrapSecrets(value.value);
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, unwrapSecrets(inner)]));
  }
  return value;
}

/** The state AWS would report for a new resource: its inputs plus the computed names and ARNs. */
function computedState(
  type: string,
  name: string,
  inputs: Record<string, any>,
  stackReferences: Record<string, Record<string, unknown>>,
  region: string,
): { id: string; state: any } {
  const suffix = createHash("sha1").update(name).digest("hex").slice(0, 7);
  switch (type) {
    case "pulumi:pulumi:StackReference": {
      const outputs = stackReferences[inputs.name];
      if (outputs === undefined)
        throw new Error(`the test gave no outputs for stack reference ${inputs.name}`);
      return { id: inputs.name, state: { name: inputs.name, outputs, secretOutputNames: [] } };
    }
    case "aws:sns/topic:Topic":
      return {
        id: inputs.name,
        state: { ...inputs, arn: `arn:aws:sns:${region}:${account}:${inputs.name}` },
      };
    case "aws:lambda/function:Function": {
      const arn = `arn:aws:lambda:${region}:${account}:function:${inputs.name}`;
      return {
        id: inputs.name,
        state: {
          ...inputs,
          arn,
          qualifiedArn: `${arn}:$LATEST`,
          version: "$LATEST",
          invokeArn: `${arn}/invocations`,
        },
      };
    }
    case "aws:lambda/alias:Alias":
      return {
        id: `${inputs.functionName}:${inputs.name}`,
        state: {
          ...inputs,
          arn: `arn:aws:lambda:${region}:${account}:function:${inputs.functionName}:${inputs.name}`,
        },
      };
    case "aws:iam/role:Role": {
      const roleName = inputs.name ?? `${name}-${suffix}`;
      return {
        id: roleName,
        state: { ...inputs, name: roleName, arn: `arn:aws:iam::${account}:role/${roleName}` },
      };
    }
    case "aws:cloudwatch/logGroup:LogGroup":
      return {
        id: inputs.name,
        state: { ...inputs, arn: `arn:aws:logs:${region}:${account}:log-group:${inputs.name}` },
      };
    case "aws:s3/bucket:Bucket": {
      const bucket = inputs.bucket ?? `${name}-${suffix}`;
      return { id: bucket, state: { ...inputs, bucket, arn: `arn:aws:s3:::${bucket}` } };
    }
    case "aws:dynamodb/table:Table":
      return {
        id: inputs.name,
        state: { ...inputs, arn: `arn:aws:dynamodb:${region}:${account}:table/${inputs.name}` },
      };
    case "aws:iam/openIdConnectProvider:OpenIdConnectProvider":
      return {
        id: "oidc",
        state: {
          ...inputs,
          arn: `arn:aws:iam::${account}:oidc-provider/token.actions.githubusercontent.com`,
        },
      };
    case "aws:apigatewayv2/api:Api": {
      const id = `api${suffix}`;
      return {
        id,
        state: {
          ...inputs,
          apiEndpoint: `https://${id}.execute-api.${region}.amazonaws.com`,
          executionArn: `arn:aws:execute-api:${region}:${account}:${id}`,
        },
      };
    }
    case "aws:cloudwatch/metricAlarm:MetricAlarm": {
      const alarmName = `${name}-${suffix}`;
      return { id: alarmName, state: { ...inputs, name: alarmName } };
    }
    default:
      return { id: `${name}-id`, state: { ...inputs, arn: `arn:aws:mock:::${name}` } };
  }
}

/**
 * Loads `infra/index.ts` with the given stack name and `skillship:` config (plain keys and secret keys, and any
 * other namespace's keys written in full, `aws:secretKey`), then waits until every resource is registered. Stack
 * references resolve to `stackReferences[name]`. A program that throws is reported in `error`. `cwd` is the
 * folder the language host would run it in (the project's: default this repository's root).
 */
export async function runProgram(options: {
  stack: string;
  config: Record<string, string>;
  cwd?: string;
  secrets?: Record<string, string>;
  stackReferences?: Record<string, Record<string, unknown>>;
}): Promise<ProgramRun> {
  const resources: RecordedResource[] = [];
  let outputs: Record<string, unknown> = {};
  let error: Error | undefined;
  let pulumi!: typeof PulumiModule;
  const stackRegion = options.config["aws:region"] ?? region;

  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh copy per run, loaded in isolation
    pulumi = require("@pulumi/pulumi");
    const qualified = (key: string) => (key.includes(":") ? key : `skillship:${key}`);
    const all: Record<string, string> = {};
    for (const [key, value] of Object.entries({ ...options.config, ...options.secrets })) {
      all[qualified(key)] = value;
    }
    pulumi.runtime.setAllConfig(all, Object.keys(options.secrets ?? {}).map(qualified));
    pulumi.runtime.setMocks(
      {
        newResource(args) {
          const inputs = unwrapSecrets(args.inputs);
          // A provider reference is "<urn>::<id>"; the mock names a provider's id after its region.
          const named =
            args.type === "pulumi:providers:aws"
              ? String(inputs.region)
              : (args.provider
                  ?.split("::")
                  .pop()
                  ?.replace(/^region:/, "") ?? stackRegion);
          const awsRegion = named.includes("-") ? named : stackRegion;
          const { id, state } = computedState(
            args.type,
            args.name,
            inputs,
            options.stackReferences ?? {},
            awsRegion,
          );
          const secretInputs = Object.keys(args.inputs ?? {}).filter((key) => isSecret(args.inputs[key]));
          resources.push({ type: args.type, name: args.name, inputs, state, secretInputs, awsRegion });
          if (args.type === "pulumi:providers:aws") return { id: `region:${awsRegion}`, state };
          return { id, state };
        },
        call(args) {
          switch (args.token) {
            case "aws:index/getCallerIdentity:getCallerIdentity":
              return {
                accountId: account,
                arn: `arn:aws:iam::${account}:user/test`,
                userId: "test",
                id: account,
              };
            case "aws:index/getRegion:getRegion":
              return {
                region,
                name: region,
                id: region,
                endpoint: `ec2.${region}.amazonaws.com`,
                description: "",
              };
            case "aws:index/getPartition:getPartition":
              return {
                partition: "aws",
                dnsSuffix: "amazonaws.com",
                id: "aws",
                reverseDnsPrefix: "com.amazonaws",
              };
            default:
              throw new Error(`unexpected invoke ${args.token}`);
          }
        },
      },
      "skillship",
      options.stack,
      false,
    );
    const cwd =
      options.cwd === undefined ? undefined : jest.spyOn(process, "cwd").mockReturnValue(options.cwd);
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the program must load after setMocks
      outputs = { ...require("../../../infra") };
    } catch (thrown) {
      error = thrown as Error;
    } finally {
      cwd?.mockRestore();
    }
  });

  const resolved: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(outputs)) {
    resolved[key] = pulumi.Output.isInstance(value)
      ? await new Promise((resolve) => (value as PulumiModule.Output<unknown>).apply(resolve))
      : value;
  }
  // Registrations finish asynchronously after the outputs resolve; wait until the count settles.
  let seen = -1;
  while (seen !== resources.length) {
    seen = resources.length;
    for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve));
  }

  return {
    resources,
    outputs: resolved,
    error,
    ofType: (type) => resources.filter((resource) => resource.type === type),
    named: (name) => {
      const found = resources.filter((resource) => resource.name === name);
      if (found.length !== 1) throw new Error(`expected one resource named ${name}, found ${found.length}`);
      return found[0]!;
    },
  };
}

/** Parses a policy document given to a resource as JSON text. */
export function policyOf(resource: RecordedResource, key = "policy"): any {
  const value = resource.inputs[key];
  return typeof value === "string" ? JSON.parse(value) : value;
}

/** Runs every CrossGuard policy of `infra/policies` on every recorded resource: the violations found. */
export function violations(run: ProgramRun): string[] {
  const found: string[] = [];
  for (const resource of run.resources) {
    for (const policy of policies) {
      policy.validateResource({ type: resource.type, props: resource.inputs }, (message) =>
        found.push(`${policy.name} on ${resource.name}: ${message}`),
      );
    }
  }
  return found;
}
