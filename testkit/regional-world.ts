/**
 * A release world whose prod stack serves Alexa's three regions: the home function in eu-west-1 (EU) from
 * `release-world.ts`, and a replica in us-east-1 (NA) and us-west-2 (FE), each an in-memory Lambda model of its
 * own region behind the real adapter. The FE replica starts with one more version than the others, so version
 * numbers differ between regions as they do in real accounts. The package (Jokebox's, or another through
 * `packageRoot`, such as the smart-home sample's) lists the three regions under its interface.
 */
import { createFunctionsPort } from "../scripts/lib/adapters/lambda";
import { skillInterface } from "../scripts/lib/package/endpoint";
import type { EngineDeps, ReleaseInput } from "../scripts/lib/release/operations";
import { parseAliasRecord } from "../scripts/lib/release/records";
import type { Replica } from "../scripts/lib/release/regions";
import type { StackOutputs } from "../scripts/lib/stack/outputs";
import { createLambdaModel, type LambdaModel } from "./fakes/lambda";
import { FAKE_SKILL_ID, type FakeSmapiOptions } from "./fakes/smapi";
import { isRecord } from "../scripts/lib/package/skill-package";
import {
  fastRetry,
  prodOutputs,
  startReleaseWorld,
  type ReleaseWorld,
  type ReleaseWorldOptions,
} from "./release-world";

const arnIn = (region: string, qualifier: string): string =>
  `arn:aws:lambda:${region}:123456789012:function:${qualifier}`;

function regionOutputs(awsRegion: string): NonNullable<StackOutputs["alexaRegions"]>["NA"] {
  return {
    awsRegion,
    functionName: prodOutputs.functionName,
    functionArn: arnIn(awsRegion, prodOutputs.functionName),
    developmentEndpoint: arnIn(awsRegion, "jokebox-dev"),
    aliasEndpoints: {
      blue: arnIn(awsRegion, `${prodOutputs.functionName}:blue`),
      green: arnIn(awsRegion, `${prodOutputs.functionName}:green`),
    },
  };
}

/** The prod stack's outputs with `alexaRegions` NA, EU and FE (EU served by the home function in eu-west-1). */
export const regionalOutputs: StackOutputs = {
  ...prodOutputs,
  alexaRegions: {
    NA: regionOutputs("us-east-1"),
    EU: regionOutputs("eu-west-1"),
    FE: regionOutputs("us-west-2"),
  },
};

/** Each region's alias, as a scenario asserts it: the version and the code it serves, and its record. */
export interface RegionalAlias {
  version: string;
  code: string;
  replaced?: string;
}

/** A regional scenario's world. */
export interface RegionalWorld {
  base: ReleaseWorld;
  /** The Lambda model of each AWS region, the home one (eu-west-1) included. */
  regions: Record<string, LambdaModel>;
  deps(overrides?: Partial<EngineDeps>): EngineDeps;
  releaseInput(overrides?: Partial<ReleaseInput>): ReleaseInput;
  /** Builds and deploys new code to `$LATEST` in every region (what `pulumi up` does). */
  newCode(): string;
  /** An alias of every region, by AWS region. */
  alias(name: "blue" | "green"): Record<string, RegionalAlias>;
  close(): Promise<void>;
}

/** Starts the world: every region's aliases on its version 1, the development stage on the dev stack. */
export async function startRegionalWorld(
  options: FakeSmapiOptions & ReleaseWorldOptions = {},
): Promise<RegionalWorld> {
  const base = await startReleaseWorld(options);
  const pkg = structuredClone(base.pkg);
  const api = skillInterface(pkg.manifest)?.api;
  if (api === undefined)
    throw new Error("the world's package declares neither apis.custom nor apis.smartHome");
  api.regions = { NA: {}, EU: {}, FE: {} };
  base.pkg = pkg;
  base.outputs = regionalOutputs;
  const replicas: Record<string, LambdaModel> = {};
  for (const region of ["us-east-1", "us-west-2"]) {
    const model = createLambdaModel({
      functionName: prodOutputs.functionName,
      codeSha256: "pulumi-initial=",
      region,
    });
    replicas[region] = model;
  }
  // FE once published code it no longer serves: its numbers run one ahead.
  replicas["us-west-2"].deploy("an-old-experiment=");
  replicas["us-west-2"].versions.push({
    version: "2",
    codeSha256: "an-old-experiment=",
    description: "by hand",
  });
  for (const model of Object.values(replicas)) model.deploy(base.bundle);
  const regions = { "eu-west-1": base.lambda, ...replicas };
  const ports: Replica[] = [
    { awsRegion: "us-east-1", label: "NA (us-east-1)", functionName: prodOutputs.functionName },
    { awsRegion: "us-west-2", label: "FE (us-west-2)", functionName: prodOutputs.functionName },
  ].map((target) => ({
    ...target,
    functions: createFunctionsPort({ client: replicas[target.awsRegion].client, retry: fastRetry }),
  }));
  return {
    base,
    regions,
    deps(overrides = {}) {
      return base.deps({ outputs: regionalOutputs, pkg: base.pkg, replicas: ports, ...overrides });
    },
    releaseInput: (overrides) => base.releaseInput(overrides),
    newCode() {
      const code = base.newCode();
      for (const model of Object.values(replicas)) model.deploy(code);
      return code;
    },
    alias(name) {
      return Object.fromEntries(
        Object.entries(regions).map(([region, model]) => {
          const alias = model.aliases[name];
          const code = model.versions.find(
            (version) => version.version === alias.functionVersion,
          )?.codeSha256;
          const replaced = parseAliasRecord(alias.description)?.replaced;
          return [
            region,
            {
              version: alias.functionVersion,
              code: code ?? "",
              ...(replaced === undefined ? {} : { replaced }),
            },
          ];
        }),
      );
    },
    async close() {
      for (const model of Object.values(replicas)) model.restore();
      await base.close();
    },
  };
}

/** A stage's endpoints as the fake holds them: the interface's default one and each region's. */
export function stageEndpoints(
  w: RegionalWorld,
  stage: "development" | "live",
): Record<string, string | undefined> {
  const manifest = w.base.fake.skill(FAKE_SKILL_ID).stages[stage]?.manifest?.value;
  const api = manifest === undefined ? undefined : skillInterface(manifest)?.api;
  const uri = (holder: unknown): string | undefined =>
    isRecord(holder) && isRecord(holder.endpoint) && typeof holder.endpoint.uri === "string"
      ? holder.endpoint.uri
      : undefined;
  return {
    default: uri(api),
    ...Object.fromEntries(
      Object.entries(isRecord(api?.regions) ? api.regions : {}).map(([n, r]) => [n, uri(r)]),
    ),
  };
}

/** The codes an alias serves across the regions: one when they are in line. */
export function aliasCodes(w: RegionalWorld, alias: "blue" | "green"): string[] {
  return [...new Set(Object.values(w.alias(alias)).map((entry) => entry.code))];
}
