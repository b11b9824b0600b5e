/**
 * Where a skill stands, read from the two services that hold release state (no state file): each stage's
 * endpoint and what it names, the version behind each alias with the release recorded in its description, the
 * live colour, and the newest certification.
 */
import { endpointOf } from "../package/endpoint";
import type { Certification, FunctionsPort, Publication, SkillStage, SkillsPort } from "../ports";
import {
  parseAliasRecord,
  parseVersionRecord,
  type AliasRecord,
  type VersionRecord,
} from "./records";
import { colourOf, type Colour, type StackOutputs } from "../stack/outputs";

/** What a stage's endpoint names, as far as the stack outputs tell. */
export type EndpointTarget = Colour | "dev" | "function" | "other" | "none";

/** One stage. */
export interface StageStatus {
  /** The custom endpoint's URI; undefined when the stage has no manifest or no endpoint. */
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
}

/** The whole picture. */
export interface SkillStatusReport {
  skillId: string;
  stack?: StackOutputs["stack"];
  endpointKind?: StackOutputs["endpointKind"];
  stages: { development: StageStatus; live?: StageStatus };
  /** The colour the live stage points at (prod stack only). */
  liveColour?: Colour;
  /** The function's `$LATEST` code (what the dev stack serves). */
  latest?: { functionName: string; codeSha256: string };
  aliases?: Partial<Record<Colour, AliasStatus>>;
  certification?: Certification;
  /** The latest publication request, when the skill has ever been published. */
  publication?: Publication;
  /** True when the newest certification passed but its candidate colour is not live yet: `skillship publish`. */
  readyToPublish: boolean;
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

/**
 * Reads the status. Skill Management API failures propagate (nothing useful can be said without it); Lambda
 * failures are listed in `unavailable`, so a person without AWS credentials still sees the skill's side.
 */
export async function readStatus(
  ports: { skills: SkillsPort; functions?: FunctionsPort },
  target: { skillId: string; outputs?: StackOutputs },
): Promise<SkillStatusReport> {
  const { skills, functions } = ports;
  const { skillId, outputs } = target;
  const stage = async (name: SkillStage): Promise<StageStatus | undefined> => {
    const manifest = await skills.getManifest(skillId, name);
    if (manifest === undefined) return undefined;
    const endpoint = endpointOf(manifest.value);
    return { ...(endpoint === undefined ? {} : { endpoint }), target: targetOf(endpoint, outputs) };
  };
  const [development, live, certifications, publication] = await Promise.all([
    stage("development"),
    stage("live"),
    skills.listCertifications(skillId),
    skills.getPublication(skillId),
  ]);
  const report: SkillStatusReport = {
    skillId,
    ...(outputs === undefined ? {} : { stack: outputs.stack, endpointKind: outputs.endpointKind }),
    stages: { development: development ?? { target: "none" }, ...(live === undefined ? {} : { live }) },
    readyToPublish: false,
    unavailable: [],
  };
  if (certifications[0] !== undefined) {
    report.certification = certifications[0];
  }
  if (publication !== undefined) {
    report.publication = publication;
  }
  if (live?.target === "blue" || live?.target === "green") {
    report.liveColour = live.target;
  }
  const candidate = report.stages.development.target;
  const publishing = publication?.status === "IN_PROGRESS" || publication?.status === "SCHEDULED";
  report.readyToPublish =
    report.certification?.status === "SUCCEEDED" &&
    (candidate === "blue" || candidate === "green") &&
    candidate !== report.liveColour &&
    !publishing;
  if (outputs !== undefined && functions !== undefined) {
    await readFunction(functions, outputs, report);
  }
  return report;
}

async function readFunction(
  functions: FunctionsPort,
  outputs: StackOutputs,
  report: SkillStatusReport,
): Promise<void> {
  const name = outputs.functionName;
  try {
    const latest = await functions.getLatest(name);
    report.latest = { functionName: name, codeSha256: latest.codeSha256 };
  } catch (error) {
    report.unavailable.push(`$LATEST of ${name}: ${(error as Error).message}`);
  }
  if (outputs.aliasEndpoints === undefined) {
    return;
  }
  try {
    const [blue, green, versions] = await Promise.all([
      functions.getAlias(name, "blue"),
      functions.getAlias(name, "green"),
      functions.listVersions(name),
    ]);
    const describe = (alias: typeof blue): AliasStatus | undefined => {
      if (alias === undefined) return undefined;
      const version = versions.find((candidate) => candidate.version === alias.functionVersion);
      const release = version === undefined ? undefined : parseVersionRecord(version.description);
      const change = parseAliasRecord(alias.description);
      return {
        version: alias.functionVersion,
        ...(release === undefined ? {} : { release }),
        ...(change === undefined ? {} : { change }),
      };
    };
    const aliases: Partial<Record<Colour, AliasStatus>> = {};
    const blueStatus = describe(blue);
    const greenStatus = describe(green);
    if (blueStatus !== undefined) aliases.blue = blueStatus;
    if (greenStatus !== undefined) aliases.green = greenStatus;
    report.aliases = aliases;
  } catch (error) {
    report.unavailable.push(`aliases of ${name}: ${(error as Error).message}`);
  }
}
