// Over 350 lines on purpose: both services' sides of the release state, read and joined in one place.
/**
 * The release state, read in one round of parallel calls from the two services that hold it (there is no state
 * file): Lambda's `$LATEST`, versions and blue/green aliases with the records in their descriptions, and the
 * Skill Management API's stages, certifications and publication. The planners are pure functions of this.
 */
import { endpointOf, skillInterface, type EndpointInterface } from "../package/endpoint";
import { ConfigError } from "../core/errors";
import {
  diffPackages,
  interactionModelHash,
  readStageToCompare,
  shortHash,
  type PackageContent,
} from "../package/diff";
import { developmentHoldsFiles, liveHoldsFiles, type HostedFiles } from "../package/stage-files";
import type {
  Certification,
  SkillStatus,
  FunctionAlias,
  FunctionsPort,
  FunctionVersion,
  Publication,
  SkillStage,
  SkillsPort,
  SkillVersion,
} from "../ports";
import { colourOf, type Colour, type StackOutputs } from "../stack/outputs";
import { parseAliasRecord, parseVersionRecord, type AliasRecord, type VersionRecord } from "./records";
import type { Replica, ReplicaState } from "./regions";

export type { Colour } from "../stack/outputs";

/** Both colours, in the order a first release picks them. */
export const colours: readonly Colour[] = ["blue", "green"];

/** The other colour. */
export function otherColour(colour: Colour): Colour {
  return colour === "blue" ? "green" : "blue";
}

/** A published version with its parsed release record (undefined when its description is not ours). */
export interface VersionState extends FunctionVersion {
  record?: VersionRecord;
}

/** An alias with its parsed record and the version it points at. */
export interface AliasState extends FunctionAlias {
  record?: AliasRecord;
  /** The version the alias points at, when it is a published version the listing holds. */
  target?: VersionState;
}

/** What a stage of the skill looks like against the repository's package. */
export interface StageState {
  /** False when the stage has no manifest (the live stage of a skill never published). */
  exists: boolean;
  /** The endpoint URI of the custom (or smart-home) interface. */
  endpoint?: string;
  /** The colour whose alias the endpoint names. */
  colour?: Colour;
  /** True when the endpoint is the stack's `developmentEndpoint`. */
  onDevelopmentEndpoint: boolean;
  /** True when the stage holds the repository's package (manifest without endpoints, every model). */
  hasPackage: boolean;
  /** The short interaction-model hash of what the stage holds (undefined when it does not exist). */
  modelHash?: string;
  /** The interface the stage's manifest declares: a custom skill's, or a smart-home skill's (no models). */
  api?: EndpointInterface;
}

/** Everything a release, publish, rollback or withdraw plan is computed from. */
export interface ReleaseSnapshot {
  skillId: string;
  functionName: string;
  developmentEndpoint: string;
  aliasEndpoints: Record<Colour, string>;
  latest: { codeSha256: string; revisionId: string };
  /** Oldest first. */
  versions: VersionState[];
  aliases: Record<Colour, AliasState>;
  live: StageState;
  development: StageState;
  /** True when every build of the development stage (manifest and each model) has succeeded. */
  developmentBuilt: boolean;
  /** The newest certification submission. */
  certification?: Certification;
  publication?: Publication;
  /** Newest first; read only when asked for (rollback). */
  skillVersions?: SkillVersion[];
  /** The function in each other AWS region the stack serves (regional endpoints); absent for one region. */
  replicas?: ReplicaState[];
}

/** Inputs of {@link readSnapshot}. */
export interface SnapshotInput {
  skills: SkillsPort;
  functions: FunctionsPort;
  outputs: StackOutputs;
  /** The repository's skill package (stages are compared with it); without it no stage `hasPackage`. */
  pkg?: PackageContent;
  /** Reads the icons the development stage hosts (without it, a package with files is never on that stage). */
  packages?: HostedFiles;
  /**
   * `rollback`: the stages' manifests only (no models, builds, certifications or publication) and the skill's
   * versions, all in one round, so that a code-only rollback is one round of reads and one alias move.
   */
  scope?: "full" | "rollback";
  /** The function in each other AWS region (regional endpoints): read in the same round. */
  replicas?: readonly Replica[];
}

/** What the Skill Management API holds of a skill's release state. */
export interface SkillSide {
  live: RawStage;
  development: RawStage;
  status: SkillStatus;
  /** The newest certification submission. */
  certification?: Certification;
  publication?: Publication;
  /** Newest first; read only when asked for. */
  skillVersions?: SkillVersion[];
}

/** A stage as read, before the stack outputs say what its endpoint names. */
export interface RawStage {
  exists: boolean;
  endpoint?: string;
  /** The interface the stage's manifest declares: a custom skill's, or a smart-home skill's (no models). */
  api?: EndpointInterface;
  hasPackage: boolean;
  modelHash?: string;
}

/**
 * Reads the skill's side in one round of parallel calls. `manifestOnly` reads the stages' manifests and nothing
 * else of the builds, certifications or publication (what a rollback and `status` need); with `pkg` the stages
 * are compared with the repository's package.
 */
export async function readSkillSide(
  skills: SkillsPort,
  skillId: string,
  options: {
    pkg?: PackageContent;
    packages?: HostedFiles;
    manifestOnly?: boolean;
    skillVersions?: boolean;
    certifications?: boolean;
  },
): Promise<SkillSide> {
  const manifestOnly = options.manifestOnly === true;
  const jobs = manifestOnly
    ? Promise.all([
        Promise.resolve({ interactionModel: {} } as SkillStatus),
        options.certifications === true ? skills.listCertifications(skillId) : Promise.resolve([]),
        options.certifications === true ? skills.getPublication(skillId) : Promise.resolve(undefined),
      ])
    : Promise.all([
        skills.getSkillStatus(skillId),
        skills.listCertifications(skillId),
        skills.getPublication(skillId),
      ]);
  const [live, development, [status, certifications, publication], skillVersions] = await Promise.all([
    // The stages are read after the jobs: a publication or rollback seen finished is then seen in the stages.
    jobs.then(() => readStage(skills, skillId, "live", options, manifestOnly)),
    jobs.then(() => readStage(skills, skillId, "development", options, manifestOnly)),
    jobs,
    options.skillVersions === true ? skills.listSkillVersions(skillId) : Promise.resolve(undefined),
  ]);
  return {
    live,
    development,
    status,
    ...(certifications[0] === undefined ? {} : { certification: certifications[0] }),
    ...(publication === undefined ? {} : { publication }),
    ...(skillVersions === undefined ? {} : { skillVersions }),
  };
}

/** What Lambda holds of the release state: `$LATEST`, the published versions with their records, both aliases. */
export interface FunctionSide {
  latest: { codeSha256: string; revisionId: string };
  /** Oldest first. */
  versions: VersionState[];
  aliases: Record<Colour, FunctionAlias | undefined>;
}

/** Reads the function's side in one round of parallel calls. */
export async function readFunctionSide(
  functions: FunctionsPort,
  functionName: string,
): Promise<FunctionSide> {
  const [latest, versions, blue, green] = await Promise.all([
    functions.getLatest(functionName),
    functions.listVersions(functionName),
    functions.getAlias(functionName, "blue"),
    functions.getAlias(functionName, "green"),
  ]);
  return { latest, versions: versions.map(withVersionRecord), aliases: { blue, green } };
}

function withVersionRecord(version: FunctionVersion): VersionState {
  const record = parseVersionRecord(version.description);
  return record === undefined ? { ...version } : { ...version, record };
}

/** An alias with its record and the version it points at, from the versions listed beside it. */
export function aliasStateOf(alias: FunctionAlias, versions: readonly VersionState[]): AliasState {
  const record = parseAliasRecord(alias.description);
  const target = versions.find((version) => version.version === alias.functionVersion);
  return {
    ...alias,
    ...(record === undefined ? {} : { record }),
    ...(target === undefined ? {} : { target }),
  };
}

/** What a stage's endpoint names, by the stack outputs. */
export function stageStateOf(raw: RawStage, outputs: StackOutputs): StageState {
  const colour = colourOf(outputs, raw.endpoint);
  return {
    exists: raw.exists,
    ...(raw.endpoint === undefined ? {} : { endpoint: raw.endpoint }),
    ...(colour === undefined ? {} : { colour }),
    onDevelopmentEndpoint: raw.endpoint === outputs.developmentEndpoint,
    hasPackage: raw.hasPackage,
    ...(raw.modelHash === undefined ? {} : { modelHash: raw.modelHash }),
    ...(raw.api === undefined ? {} : { api: raw.api }),
  };
}

/**
 * True when the newest certification passed and its candidate (the colour the development stage names) is not
 * live yet, with no publication under way: what `skillship publish` is for.
 */
export function isReadyToPublish(state: {
  certification?: Certification;
  publication?: Publication;
  developmentColour?: Colour;
  liveColour?: Colour;
}): boolean {
  const publishing = state.publication?.status === "IN_PROGRESS" || state.publication?.status === "SCHEDULED";
  return (
    state.certification?.status === "SUCCEEDED" &&
    state.developmentColour !== undefined &&
    state.developmentColour !== state.liveColour &&
    !publishing
  );
}

/**
 * Reads the snapshot. Throws a {@link ConfigError} when the outputs are not a prod stack's (no blue/green alias
 * endpoints) or an alias does not exist yet (the prod stack creates both).
 */
export async function readSnapshot(input: SnapshotInput): Promise<ReleaseSnapshot> {
  const { skills, functions, outputs, pkg } = input;
  const aliasEndpoints = outputs.aliasEndpoints;
  if (aliasEndpoints === undefined) {
    throw new ConfigError(
      `The stack outputs have no aliasEndpoints: releases work on the prod stack's outputs ` +
        `(stack "${outputs.stack}" given); run \`pulumi stack output --json\` on the prod stack`,
    );
  }
  const { skillId, functionName } = outputs;
  const rollbackScope = input.scope === "rollback";
  const files = { pkg, packages: input.packages };
  const [fn, skill, replicas] = await Promise.all([
    readFunctionSide(functions, functionName),
    readSkillSide(skills, skillId, { ...files, manifestOnly: rollbackScope, skillVersions: rollbackScope }),
    Promise.all(
      (input.replicas ?? []).map(async ({ functions: port, ...target }): Promise<ReplicaState> => ({
        ...target,
        ...(await readFunctionSide(port, target.functionName)),
      })),
    ),
  ]);
  const aliasState = (colour: Colour): AliasState => {
    const alias = fn.aliases[colour];
    if (alias === undefined) {
      throw new ConfigError(
        `Alias ${functionName}:${colour} does not exist: the prod stack creates the blue and green aliases; ` +
          `run \`pulumi up\` on the prod stack first`,
      );
    }
    return aliasStateOf(alias, fn.versions);
  };
  const { status } = skill;
  const developmentBuilt =
    (status.manifest === undefined || status.manifest.status === "SUCCEEDED") &&
    Object.keys(pkg?.models ?? status.interactionModel).every(
      (locale) => status.interactionModel[locale]?.status === "SUCCEEDED",
    );

  const aliases = { blue: aliasState("blue"), green: aliasState("green") };
  const live = stageStateOf(skill.live, outputs);
  const liveRecord = live.colour === undefined ? undefined : aliases[live.colour].record;
  live.hasPackage &&= pkg !== undefined && liveHoldsFiles(pkg, liveRecord?.model);

  return {
    skillId,
    functionName,
    developmentEndpoint: outputs.developmentEndpoint,
    aliasEndpoints,
    latest: fn.latest,
    versions: fn.versions,
    aliases,
    live,
    development: stageStateOf(skill.development, outputs),
    developmentBuilt,
    ...(skill.certification === undefined ? {} : { certification: skill.certification }),
    ...(skill.publication === undefined ? {} : { publication: skill.publication }),
    ...(skill.skillVersions === undefined ? {} : { skillVersions: skill.skillVersions }),
    ...(replicas.length === 0 ? {} : { replicas }),
  };
}

async function readStage(
  skills: SkillsPort,
  skillId: string,
  stage: SkillStage,
  { pkg, packages }: { pkg?: PackageContent; packages?: HostedFiles },
  manifestOnly: boolean,
): Promise<RawStage> {
  if (manifestOnly) {
    const manifest = await skills.getManifest(skillId, stage);
    const endpoint = endpointOf(manifest?.value);
    const api = manifest === undefined ? undefined : skillInterface(manifest.value)?.name;
    return {
      exists: manifest !== undefined,
      ...(endpoint === undefined ? {} : { endpoint }),
      ...(api === undefined ? {} : { api }),
      hasPackage: false,
    };
  }
  const content = await readStageToCompare(skills, skillId, stage, pkg ?? { models: {} });
  if (content === undefined) {
    return { exists: false, hasPackage: false };
  }
  const endpoint = endpointOf(content.manifest);
  const api = content.manifest === undefined ? undefined : skillInterface(content.manifest)?.name;
  // The files (icons) count too: the development stage proves them here, the live stage by its release record.
  // Account linking (a smart-home skill's is required) is the stage's too: a change to it is a package change.
  const hasPackage =
    pkg !== undefined &&
    diffPackages(pkg, content, stage).identical &&
    (stage === "live" || (await developmentHoldsFiles(packages, pkg, content.manifest ?? {})));
  return {
    exists: true,
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(api === undefined ? {} : { api }),
    hasPackage,
    modelHash: shortHash(interactionModelHash(content)),
  };
}

/**
 * What a release's recorded hash stands for, in messages: the interaction model of a custom skill, the skill
 * package (manifest and files) of a smart-home skill, which has no model.
 */
export function recordedPackageName(snapshot: Pick<ReleaseSnapshot, "live" | "development">): string {
  return (snapshot.live.api ?? snapshot.development.api) === "smartHome"
    ? "skill package"
    : "interaction model";
}

/**
 * When the alias's current candidacy cycle began: the first candidate change since it was last live (re-runs
 * and new attempts after a failed certification keep it), carried over by code-only changes and rollbacks.
 * Undefined when the alias has no release record.
 */
export function candidacyOf(alias: AliasState): string | undefined {
  const record = alias.record;
  return record === undefined ? undefined : (record.since ?? record.at);
}

/**
 * True when the colour holds a candidate that never went live: it became a candidate after the live colour did
 * (or nothing is live). Such a colour no longer serves the code of the previous live version.
 */
export function holdsUnreleasedCandidate(snapshot: ReleaseSnapshot, colour: Colour): boolean {
  const alias = snapshot.aliases[colour];
  if (alias.record?.change !== "candidate") {
    return false;
  }
  const liveColour = snapshot.live.colour;
  if (liveColour === undefined || liveColour === colour) {
    return liveColour === undefined;
  }
  // Moved as a candidate after the live colour's cycle began: it has not been live since.
  const liveSince = candidacyOf(snapshot.aliases[liveColour]);
  return liveSince === undefined || Date.parse(alias.record.at) > Date.parse(liveSince);
}
