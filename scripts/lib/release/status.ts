/**
 * `skillship status`: a view of the release state the snapshot reads (no state file, and no reader of its own):
 * each stage's endpoint and what it names, the version behind each alias with the release recorded in its
 * description, the live colour, a canary in progress, the newest certification and whether a certified
 * candidate waits to be published. Unlike a release, it works with a skill id alone and without AWS credentials.
 */
import type { EndpointInterface } from "../package/endpoint";
import type { Certification, FunctionsPort, MetricsPort, Publication, SkillsPort } from "../ports";
import { canarySettingsOf, colourOf, type Colour, type StackOutputs } from "../stack/outputs";
import { readCanaryStatus, type CanaryStatus } from "./canary/status";
import type { AliasRecord, VersionRecord } from "./records";
import { aliasStateOf, isReadyToPublish, readFunctionSide, readSkillSide, type RawStage } from "./snapshot";
import { ALEXA_REGIONS } from "../../../contracts/alexa-regions";
import { awsRegionOfArn, type Replica } from "./regions";

/** What a stage's endpoint names, as far as the stack outputs tell. */
export type EndpointTarget = Colour | "dev" | "function" | "other" | "none";

/** One stage. */
export interface StageStatus {
  /** The endpoint URI of the custom (or smart-home) interface; undefined when the stage has no manifest or no endpoint. */
  endpoint?: string;
  target: EndpointTarget;
}

/** One blue/green alias. */
export interface AliasStatus {
  version: string;
  /** The release recorded in the version's description; undefined for a version not published by Skillship. */
  release?: VersionRecord;
  /** How the alias got this version (its description). */
  change?: AliasRecord;
  /** Weighted routing: the other version and its share of the traffic, in percent. */
  split?: { version: string; percent: number };
}

/** One AWS region's function of a stack with regional endpoints. */
export interface RegionStatus {
  /** The Alexa regions it serves (NA, EU, FE). */
  alexaRegions: string[];
  awsRegion: string;
  /** True for the stack's own function, whose records the release engine reads. */
  home: boolean;
  /** Each alias's version in this region (numbers differ between regions) and the code it serves. */
  aliases: Partial<Record<Colour, { version: string; codeSha256?: string }>>;
  /** True when every alias serves the same code as the home region's; false: the next release puts it in line. */
  inLine: boolean;
}

/** The whole picture. */
export interface SkillStatusReport {
  skillId: string;
  /**
   * The interface the skill's manifest declares (development stage, else live): `smartHome` has no interaction
   * model, so what a release records as its `model` hash is the hash of its package (manifest and files).
   */
  api?: EndpointInterface;
  stack?: StackOutputs["stack"];
  endpointKind?: StackOutputs["endpointKind"];
  stages: { development: StageStatus; live?: StageStatus };
  /** The colour the live stage points at (prod stack only). */
  liveColour?: Colour;
  /** The function's `$LATEST` code (what the dev stack serves). */
  latest?: { functionName: string; codeSha256: string };
  aliases?: Partial<Record<Colour, AliasStatus>>;
  /** A canary in progress (or any weighted routing) on an alias. */
  canary?: CanaryStatus;
  certification?: Certification;
  /** The latest publication request, when the skill has ever been published. */
  publication?: Publication;
  /** True when the newest certification passed but its candidate colour is not live yet: `skillship publish`. */
  readyToPublish: boolean;
  /** Each AWS region's function, for a stack with regional endpoints. */
  regions?: RegionStatus[];
  /** What could not be read (e.g. no AWS credentials): the rest is still reported. */
  unavailable: string[];
}

function targetOf(endpoint: string | undefined, outputs: StackOutputs | undefined): EndpointTarget {
  if (endpoint === undefined) return "none";
  if (outputs === undefined) return "other";
  const colour = colourOf(outputs, endpoint);
  if (colour !== undefined) return colour;
  if (endpoint === outputs.developmentEndpoint) return "dev";
  if (endpoint === outputs.functionArn) return "function";
  return "other";
}

function stageStatus(raw: RawStage, outputs: StackOutputs | undefined): StageStatus {
  return {
    ...(raw.endpoint === undefined ? {} : { endpoint: raw.endpoint }),
    target: targetOf(raw.endpoint, outputs),
  };
}

function colourTarget(target: EndpointTarget | undefined): Colour | undefined {
  return target === "blue" || target === "green" ? target : undefined;
}

/**
 * Reads the status. Skill Management API failures propagate (nothing useful can be said without it); Lambda
 * failures are listed in `unavailable`, so a person without AWS credentials still sees the skill's side.
 */
export async function readStatus(
  ports: {
    skills: SkillsPort;
    functions?: FunctionsPort;
    metrics?: MetricsPort;
    replicas?: readonly Replica[];
  },
  target: { skillId: string; outputs?: StackOutputs },
  options: { now?: () => Date } = {},
): Promise<SkillStatusReport> {
  const { skills, functions } = ports;
  const { skillId, outputs } = target;
  const skill = await readSkillSide(skills, skillId, { manifestOnly: true, certifications: true });
  const development = stageStatus(skill.development, outputs);
  const live = skill.live.exists ? stageStatus(skill.live, outputs) : undefined;
  const liveColour = colourTarget(live?.target);
  const api = skill.development.api ?? skill.live.api;
  const report: SkillStatusReport = {
    skillId,
    ...(api === undefined ? {} : { api }),
    ...(outputs === undefined ? {} : { stack: outputs.stack, endpointKind: outputs.endpointKind }),
    stages: { development, ...(live === undefined ? {} : { live }) },
    ...(liveColour === undefined ? {} : { liveColour }),
    ...(skill.certification === undefined ? {} : { certification: skill.certification }),
    ...(skill.publication === undefined ? {} : { publication: skill.publication }),
    readyToPublish: isReadyToPublish({
      certification: skill.certification,
      publication: skill.publication,
      developmentColour: colourTarget(development.target),
      liveColour,
    }),
    unavailable: [],
  };
  if (outputs !== undefined && functions !== undefined) {
    await readFunction(
      { functions, metrics: ports.metrics, now: options.now?.() ?? new Date() },
      outputs,
      report,
    );
    if (outputs.alexaRegions !== undefined) {
      report.regions = await readRegions(functions, ports.replicas ?? [], outputs, report);
    }
  }
  return report;
}

/** Each region's aliases beside the home region's, and whether they serve the same code. */
async function readRegions(
  functions: FunctionsPort,
  replicas: readonly Replica[],
  outputs: StackOutputs,
  report: SkillStatusReport,
): Promise<RegionStatus[]> {
  const homeRegion = awsRegionOfArn(outputs.functionArn);
  const sides = await Promise.all(
    [{ awsRegion: homeRegion, functionName: outputs.functionName, functions }, ...replicas].map(
      async (entry) => {
        try {
          return { entry, side: await readFunctionSide(entry.functions, entry.functionName) };
        } catch (error) {
          report.unavailable.push(
            `aliases of ${entry.functionName} in ${entry.awsRegion}: ${(error as Error).message}`,
          );
          return { entry, side: undefined };
        }
      },
    ),
  );
  const codeOf = (side: (typeof sides)[number]["side"], colour: Colour): string | undefined =>
    side?.versions.find((version) => version.version === side.aliases[colour]?.functionVersion)?.codeSha256;
  const home = sides[0].side;
  return sides.flatMap(({ entry, side }) => {
    if (side === undefined) return [];
    const aliases: RegionStatus["aliases"] = {};
    for (const colour of ["blue", "green"] as const) {
      const alias = side.aliases[colour];
      if (alias === undefined) continue;
      const codeSha256 = codeOf(side, colour);
      aliases[colour] = {
        version: alias.functionVersion,
        ...(codeSha256 === undefined ? {} : { codeSha256 }),
      };
    }
    return [
      {
        alexaRegions: ALEXA_REGIONS.filter(
          (region) => outputs.alexaRegions?.[region]?.awsRegion === entry.awsRegion,
        ),
        awsRegion: entry.awsRegion,
        home: entry.awsRegion === homeRegion,
        aliases,
        inLine: (["blue", "green"] as const).every((colour) => codeOf(side, colour) === codeOf(home, colour)),
      },
    ];
  });
}

async function readFunction(
  ports: { functions: FunctionsPort; metrics?: MetricsPort; now: Date },
  outputs: StackOutputs,
  report: SkillStatusReport,
): Promise<void> {
  const { functions } = ports;
  const name = outputs.functionName;
  if (outputs.aliasEndpoints === undefined) {
    try {
      const latest = await functions.getLatest(name);
      report.latest = { functionName: name, codeSha256: latest.codeSha256 };
    } catch (error) {
      report.unavailable.push(`$LATEST of ${name}: ${(error as Error).message}`);
    }
    return;
  }
  let side;
  try {
    side = await readFunctionSide(functions, name);
  } catch (error) {
    report.unavailable.push(`aliases of ${name}: ${(error as Error).message}`);
    return;
  }
  report.latest = { functionName: name, codeSha256: side.latest.codeSha256 };
  const aliases: Partial<Record<Colour, AliasStatus>> = {};
  for (const colour of ["blue", "green"] as const) {
    const alias = side.aliases[colour];
    if (alias === undefined) continue;
    const state = aliasStateOf(alias, side.versions);
    const { canary, unavailable } = await readCanaryStatus(state, colour, {
      functionName: name,
      settings: canarySettingsOf(outputs),
      ...(ports.metrics === undefined ? {} : { metrics: ports.metrics }),
      now: ports.now,
    });
    aliases[colour] = {
      version: state.functionVersion,
      ...(state.target?.record === undefined ? {} : { release: state.target.record }),
      ...(state.record === undefined ? {} : { change: state.record }),
      ...(canary === undefined ? {} : { split: { version: canary.to, percent: canary.percent } }),
    };
    // Only the live alias's traffic reaches users; a split elsewhere is shown in the aliases alone.
    if (canary !== undefined && (report.liveColour === colour || report.canary === undefined)) {
      report.canary = canary;
    }
    if (unavailable !== undefined) report.unavailable.push(unavailable);
  }
  report.aliases = aliases;
}
