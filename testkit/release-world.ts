// Over 350 lines on purpose: one world for every release scenario (both fakes, the package, the clock, the helpers).
/**
 * The world a release scenario runs in: the fake Skill Management API (the real adapters against it), the
 * in-memory Lambda model (real `createFunctionsPort` through aws-sdk-client-mock), the scriptable metrics fake,
 * the prod stack's outputs, the repository's skill package, and fast waits and retries. `world()` reads the end
 * state of both services. A canary runs on a virtual clock (`canaryDeps()`): a pause moves it on at once, so a
 * ten-minute bake takes no real time, and the metrics fake shows what was scripted as that clock passes.
 */
import { readSkillPackage, type SkillPackage } from "../scripts/lib/package/skill-package";
import { createFunctionsPort } from "../scripts/lib/adapters/lambda";
import { endpointOf, withEndpoint, withoutEndpoints } from "../scripts/lib/package/endpoint";
import { canonicalJson } from "../scripts/lib/package/canonical";
import { interactionModelHash, shortHash, withStageIcons } from "../scripts/lib/package/diff";
import { parseAliasRecord, parseVersionRecord } from "../scripts/lib/release/records";
import {
  publish,
  release,
  watch,
  type EngineDeps,
  type ReleaseInput,
} from "../scripts/lib/release/operations";
import type { StackOutputs } from "../scripts/lib/stack/outputs";
import type { FunctionsPort } from "../scripts/lib/ports";
import { METRICS_DELAY_MS } from "../scripts/lib/release/canary/run";
import { createFakeMetrics, type FakeMetrics } from "./fakes/metrics";
import { createSmapiPorts, type SmapiPorts } from "../scripts/lib/adapters/smapi";
import { FAKE_SKILL_ID, startFakeSmapi, type FakeSmapi, type FakeSmapiOptions } from "./fakes/smapi";
import { createLambdaModel, type LambdaModel } from "./fakes/lambda";
import { readEnvironment } from "../scripts/lib/core/env";
import type { RetryPolicy } from "../scripts/lib/core/retry";
import { solidPng } from "./png";
import { recordingRetry } from "./retry";

const recorded = recordingRetry(5);

/**
 * The retry bound of the scenarios: a few attempts, and the waits between them (the jittered backoff, and the
 * `Retry-After` the fakes answer with) recorded in {@link retryWaits} instead of slept.
 */
export const fastRetry: RetryPolicy = recorded.policy;

/** Every wait between two attempts the scenarios' retries asked for, in ms (tests may empty it). */
export const retryWaits: number[] = recorded.waits;

const arn = (qualifier: string): string => `arn:aws:lambda:eu-west-1:123456789012:function:${qualifier}`;

/** The prod stack's outputs the scenarios release with. */
export const prodOutputs: StackOutputs = {
  skillId: FAKE_SKILL_ID,
  stack: "prod",
  endpointKind: "lambda",
  functionName: "jokebox-prod",
  functionArn: arn("jokebox-prod"),
  developmentEndpoint: arn("jokebox-dev"),
  aliasEndpoints: { blue: arn("jokebox-prod:blue"), green: arn("jokebox-prod:green") },
};

/** A clock that a pause moves on at once (after letting pending I/O run). */
export interface VirtualClock {
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Every pause asked for, in ms. */
  readonly pauses: number[];
}

/**
 * A virtual clock starting at `start`; by default the next whole minute, so that CloudWatch's minutes and a
 * scenario's times line up, and close to now, so that its records compare with the fakes' real timestamps.
 */
export function virtualClock(start = Math.ceil(Date.now() / 60_000) * 60_000): VirtualClock {
  let time = start;
  const pauses: number[] = [];
  return {
    now: () => time,
    pauses,
    async sleep(ms) {
      pauses.push(ms);
      time += ms;
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

/** An alias change the engine made during a canary scenario, with the virtual time it was made at. */
export interface AliasMove {
  at: number;
  alias: string;
  version: string;
  weights: Record<string, number>;
  description: string;
}

/** A scenario's world. */
export interface ReleaseWorld {
  fake: FakeSmapi;
  lambda: LambdaModel;
  /** The health signals, scripted per version on {@link clock}, with CloudWatch's delay. */
  metrics: FakeMetrics;
  clock: VirtualClock;
  /** Every alias change made through `canaryDeps()`, in order. */
  aliasMoves: AliasMove[];
  outputs: StackOutputs;
  /** The package being released; scenarios change it to make a model change. */
  pkg: SkillPackage;
  /** The bundle being released; `newCode()` deploys another one. */
  bundle: string;
  /** The Skill Management API ports `deps()` uses (one client, one token). */
  ports: SmapiPorts;
  deps(overrides?: Partial<EngineDeps>): EngineDeps;
  /** Dependencies on the virtual clock (waits, records, the metrics' visibility), recording alias moves. */
  canaryDeps(overrides?: Partial<EngineDeps>): EngineDeps;
  /** Skill Management API ports over a client of their own (their own Login with Amazon token), as each command makes. */
  commandPorts(): SmapiPorts;
  releaseInput(overrides?: Partial<ReleaseInput>): ReleaseInput;
  /** Builds and deploys new code to `$LATEST` (what the pipeline does before `skillship release`). */
  newCode(): string;
  /** Changes the interaction model of en-US (a model change). */
  changeModel(): void;
  /** Changes the small icon's bytes (an icon-only change: the JSON stays the same). */
  changeIcon(): void;
  /** Changes en-US's "what's new" text in the manifest (a manifest-only change: no model touched). */
  changeManifest(): void;
  /** The end state of both services. */
  world(): WorldState;
  close(): Promise<void>;
}

/** What scenarios assert. */
export interface WorldState {
  versions: { version: string; codeSha256: string; model?: string; tag?: string }[];
  aliases: Record<string, { version: string; change?: string; replaced?: string; model?: string }>;
  liveEndpoint?: string;
  developmentEndpoint?: string;
  liveVersion?: string;
  certifications: { status: string; publicationMethod: string; versionMessage?: string }[];
  /** The skill's versions as the fake keeps them (one per submission), oldest first. */
  skillVersions: { version: string; message?: string; status: string }[];
  /** Submissions the fake took (each makes a certification), whether or not their answer arrived. */
  submissions: number;
  developmentHasPackage: boolean;
}

type Json = Record<string, unknown>;

let codeCounter = 0;

/** What a world is made of, beside the fake's options. */
export interface ReleaseWorldOptions {
  /**
   * The skill package released: Jokebox's `skill-package` by default; `examples/home-hub/skill-package` is a
   * smart-home package (no interaction models).
   */
  packageRoot?: string;
  /** Every Lambda client (the CLI's own too) talks to the world's Lambda model, not only the engine's. */
  allLambdaClients?: boolean;
}

/** The variable the smart-home sample's `accountLinking.json` names for its client secret (`clientSecretEnv`). */
export const HOME_HUB_SECRET_ENV = "HOME_HUB_LINKING_CLIENT_SECRET";

/** The account linking client secret the worlds' `readSecret` gives for {@link HOME_HUB_SECRET_ENV}. */
export const HOME_HUB_SECRET = "linking-secret-of-the-tests";

/** The smart-home sample's package: a manifest with `apis.smartHome`, account linking, no interaction models. */
export const HOME_HUB_PACKAGE = "examples/home-hub/skill-package";

/** The package file every locale's small icon names. */
export const SMALL_ICON = "assets/images/icon-108.png";

/**
 * Starts a world: dev stage holding the package on the dev endpoint (built, its icons hosted), no live stage,
 * blue = green = 1.
 */
export async function startReleaseWorld(
  options: FakeSmapiOptions & ReleaseWorldOptions = {},
): Promise<ReleaseWorld> {
  const { packageRoot = "skill-package", allLambdaClients = false, ...fakeOptions } = options;
  const pkg = await readSkillPackage(packageRoot);
  const development = {
    manifest: withEndpoint(pkg.manifest, { uri: prodOutputs.developmentEndpoint }),
    models: structuredClone(pkg.models),
    ...(pkg.files === undefined ? {} : { files: pkg.files }),
  };
  const fake = await startFakeSmapi({
    buildPolls: 1,
    certificationPolls: 2,
    publicationPolls: 1,
    rollbackPolls: 1,
    ...fakeOptions,
    skills: [{ skillId: FAKE_SKILL_ID, development }],
  });
  codeCounter += 1;
  const bundle = `bundle-${codeCounter}-a=`;
  const lambda = createLambdaModel({
    functionName: prodOutputs.functionName,
    codeSha256: "pulumi-initial=",
    allInstances: allLambdaClients,
  });
  lambda.deploy(bundle);
  const ports = createSmapiPorts({ env: readEnvironment(fake.env), retryPolicy: fastRetry });
  const { skills, packages, validations } = ports;
  const functions = createFunctionsPort({ client: lambda.client, retry: fastRetry });
  let revisions = 0;
  let modelChanges = 0;
  const clock = virtualClock();
  const metrics = createFakeMetrics({ now: clock.now, delayMs: METRICS_DELAY_MS });
  const aliasMoves: AliasMove[] = [];
  const recordedFunctions: FunctionsPort = {
    ...functions,
    async updateAlias(functionName, alias, input) {
      const moved = await functions.updateAlias(functionName, alias, input);
      aliasMoves.push({
        at: clock.now(),
        alias,
        version: moved.functionVersion,
        weights: { ...moved.additionalVersionWeights },
        description: moved.description,
      });
      return moved;
    },
  };
  let iconChanges = 0;
  let manifestChanges = 0;

  const world: ReleaseWorld = {
    fake,
    lambda,
    metrics,
    clock,
    aliasMoves,
    outputs: prodOutputs,
    pkg,
    bundle,
    ports,
    deps(overrides = {}) {
      return {
        skills,
        packages,
        validations,
        functions,
        outputs: prodOutputs,
        pkg: world.pkg,
        wait: { pollIntervalMs: 1, timeoutMs: 5000 },
        retry: fastRetry,
        metrics,
        readSecret: (name) => (name === HOME_HUB_SECRET_ENV ? HOME_HUB_SECRET : undefined),
        ...overrides,
      };
    },
    canaryDeps(overrides = {}) {
      return world.deps({
        functions: recordedFunctions,
        now: () => new Date(clock.now()),
        wait: { pollIntervalMs: 1, timeoutMs: 60 * 60_000, now: clock.now, sleep: clock.sleep },
        ...overrides,
      });
    },
    commandPorts() {
      return createSmapiPorts({ env: readEnvironment(fake.env), retryPolicy: fastRetry });
    },
    releaseInput(overrides = {}) {
      return {
        bundleSha256: world.bundle,
        tag: `v1.${revisions}.0`,
        commit: "0123456789abcdef0123456789abcdef01234567",
        message: "a release",
        publicationMethod: "MANUAL_PUBLISHING",
        dryRun: false,
        ...overrides,
      };
    },
    newCode() {
      revisions += 1;
      world.bundle = `bundle-${codeCounter}-${revisions}=`;
      lambda.deploy(world.bundle);
      return world.bundle;
    },
    changeModel() {
      const next = structuredClone(world.pkg);
      const model = next.models["en-US"] as {
        interactionModel: { languageModel: { intents: { name: string; samples?: string[] }[] } };
      };
      const intent = model.interactionModel.languageModel.intents.find((i) => i.name === "PlayClipIntent");
      modelChanges += 1;
      intent?.samples?.push(`play a joke number ${modelChanges} please`);
      world.pkg = next;
    },
    changeIcon() {
      iconChanges += 1;
      world.pkg = {
        ...world.pkg,
        files: { ...world.pkg.files, [SMALL_ICON]: solidPng(108, 108, [iconChanges * 40, 120, 200]) },
      };
    },
    changeManifest() {
      manifestChanges += 1;
      const next = structuredClone(world.pkg);
      const locales = (next.manifest.manifest as { publishingInformation: { locales: Record<string, Json> } })
        .publishingInformation.locales;
      locales["en-US"].updatesDescription = `Release notes, revision ${manifestChanges}.`;
      world.pkg = next;
    },
    world() {
      const skill = fake.skill(FAKE_SKILL_ID);
      return {
        versions: lambda.versions.map((v) => {
          const record = parseVersionRecord(v.description);
          return {
            version: v.version,
            codeSha256: v.codeSha256,
            ...(record === undefined ? {} : { model: record.model, tag: record.tag }),
          };
        }),
        aliases: Object.fromEntries(
          Object.values(lambda.aliases).map((a) => {
            const record = parseAliasRecord(a.description);
            return [
              a.name,
              {
                version: a.functionVersion,
                ...(record === undefined
                  ? {}
                  : { change: record.change, replaced: record.replaced, model: record.model }),
              },
            ];
          }),
        ),
        liveEndpoint: endpointOf(skill.stages.live?.manifest?.value),
        developmentEndpoint: endpointOf(skill.stages.development.manifest?.value),
        liveVersion: skill.liveVersion,
        certifications: skill.certifications.map((c) => ({
          status: c.status,
          publicationMethod: c.publicationMethod,
          ...(c.versionMessage === undefined ? {} : { versionMessage: c.versionMessage }),
        })),
        skillVersions: skill.versions.map((v) => ({
          version: v.version,
          ...(v.message === undefined ? {} : { message: v.message }),
          status: v.status,
        })),
        submissions: skill.certifications.length,
        developmentHasPackage:
          sameManifest(world.pkg.manifest, skill.stages.development.manifest?.value) &&
          canonicalJson(Object.keys(skill.stages.development.models).sort()) ===
            canonicalJson(Object.keys(world.pkg.models).sort()) &&
          Object.entries(world.pkg.models).every(
            ([locale, model]) =>
              canonicalJson(skill.stages.development.models[locale]?.value.interactionModel ?? null) ===
              canonicalJson(model.interactionModel),
          ),
      };
    },
    async close() {
      lambda.restore();
      await fake.close();
    },
  };
  return world;
}

/** True when a stage's manifest is the repository's, endpoints aside and `file://` icons as the stage hosts them. */
function sameManifest(repo: Record<string, unknown>, stage: Record<string, unknown> | undefined): boolean {
  return (
    stage !== undefined &&
    canonicalJson(withoutEndpoints(stage)) === canonicalJson(withoutEndpoints(withStageIcons(repo, stage)))
  );
}

/**
 * Takes the world's package live: released, certified (the fake's default outcome) and published, so that the
 * first colour, blue, is live. Throws when certification does not leave it ready to publish.
 */
export async function releaseAndPublish(w: ReleaseWorld): Promise<void> {
  await release(w.deps(), w.releaseInput());
  const watched = await watch(w.deps());
  if (!watched.readyToPublish) {
    throw new Error(`the release is not ready to publish after watching: ${watched.outcome}`);
  }
  await publish(w.deps(), { dryRun: false });
}

/** The short model hash of a package, as recorded. */
export function modelHashOf(pkg: SkillPackage): string {
  return shortHash(interactionModelHash(pkg));
}
