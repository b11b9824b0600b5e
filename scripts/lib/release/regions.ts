/**
 * Releases across Alexa's regions. A stack that serves regional endpoints (`alexaRegions`) has the home function
 * (the stack's own region, whose records the planners read) and replicas: the same function in each other AWS
 * region, with their own version numbers. The planners plan for the home function; {@link withReplicas} (pure)
 * then makes every version and alias step of the plan carry each replica's own part, mapped by code hash, and
 * first puts back in line any replica whose alias does not serve the home alias's code (what an interrupted run
 * can leave), so that a re-run converges. The applier moves an alias in every replica, the home one last, and puts
 * the moved ones back when one of them fails (`apply-regions.ts`).
 */
import { ALEXA_REGIONS } from "../../../contracts/alexa-regions";
import { OperationError } from "../core/errors";
import type { FunctionAlias, FunctionsPort } from "../ports";
import type { StackOutputs } from "../stack/outputs";
import { formatAliasRecord, parseAliasRecord, parseVersionRecord } from "./records";
import { colours, type Colour, type ReleaseSnapshot, type VersionState } from "./snapshot";
import type {
  AlignReplicasStep,
  MoveAliasStep,
  Plan,
  PublishReplicaVersionsStep,
  ReplicaMove,
  ReplicaTarget,
  ReplicaVersionRef,
  Step,
} from "./steps";

/** A replica with the port that reaches its region. */
export interface Replica extends ReplicaTarget {
  functions: FunctionsPort;
}

/** What Lambda holds of a replica: `$LATEST`, its versions (oldest first) and both aliases. */
export interface ReplicaState extends ReplicaTarget {
  latest: { codeSha256: string; revisionId: string };
  versions: VersionState[];
  aliases: Record<Colour, FunctionAlias | undefined>;
}

/** The AWS region of a Lambda ARN. */
export function awsRegionOfArn(arn: string): string {
  return arn.split(":")[3] ?? "";
}

/**
 * The replicas the stack outputs name: one per AWS region other than the home function's, labelled with the
 * Alexa regions it serves. None for a stack without regional endpoints.
 */
export function replicaTargetsOf(outputs: StackOutputs): ReplicaTarget[] {
  const home = awsRegionOfArn(outputs.functionArn);
  const byRegion = new Map<string, ReplicaTarget & { serves: string[] }>();
  for (const alexaRegion of ALEXA_REGIONS) {
    const regional = outputs.alexaRegions?.[alexaRegion];
    if (regional === undefined || regional.awsRegion === home) continue;
    const known = byRegion.get(regional.awsRegion);
    if (known !== undefined) {
      known.serves.push(alexaRegion);
      continue;
    }
    byRegion.set(regional.awsRegion, {
      awsRegion: regional.awsRegion,
      functionName: regional.functionName,
      label: "",
      serves: [alexaRegion],
    });
  }
  return [...byRegion.values()].map(({ serves, ...target }) => ({
    ...target,
    label: `${serves.join("/")} (${target.awsRegion})`,
  }));
}

/** The label of the home function's region, for people. */
export function homeLabelOf(outputs: StackOutputs): string {
  const home = awsRegionOfArn(outputs.functionArn);
  const serves = ALEXA_REGIONS.filter((region) => outputs.alexaRegions?.[region]?.awsRegion === home);
  return serves.length === 0 ? home : `${serves.join("/")} (${home})`;
}

/** The version of a replica that holds a code: the one with the same release record first, else the newest. */
function replicaVersionOf(
  replica: ReplicaState,
  code: { codeSha256: string; description?: string; model?: string },
): VersionState | undefined {
  const same = replica.versions.filter((version) => version.codeSha256 === code.codeSha256);
  const sameModel = same.filter((version) => version.record?.model === code.model);
  return (
    same.find((version) => version.description === code.description) ??
    sameModel[sameModel.length - 1] ??
    same[same.length - 1]
  );
}

/** What a home alias step targets: the code, and the release record of its version. */
interface TargetCode {
  codeSha256: string;
  description?: string;
  model?: string;
}

/** Plans a replica's part of an alias change, publishing there when it has no version of that code yet. */
function replicaRef(
  replica: ReplicaState,
  target: TargetCode,
  publishes: Map<string, PublishReplicaVersionsStep["versions"][number]>,
): ReplicaVersionRef {
  const existing = replicaVersionOf(replica, target);
  if (existing !== undefined) {
    return { kind: "existing", version: existing.version };
  }
  if (replica.latest.codeSha256 !== target.codeSha256) {
    throw new OperationError(
      `${replica.functionName} in ${replica.label} has no version of code ${target.codeSha256} and its $LATEST ` +
        `holds ${replica.latest.codeSha256}: deploy the stack (\`pulumi up\`) so that every region's $LATEST ` +
        `holds this build, then run the command again. Nothing was changed.`,
      { resource: `function ${replica.functionName} (${replica.awsRegion})` },
    );
  }
  const key = `${replica.awsRegion} ${target.codeSha256}`;
  if (!publishes.has(key)) {
    publishes.set(key, {
      awsRegion: replica.awsRegion,
      functionName: replica.functionName,
      label: replica.label,
      codeSha256: target.codeSha256,
      revisionId: replica.latest.revisionId,
      description: target.description ?? "",
    });
  }
  return { kind: "published", codeSha256: target.codeSha256 };
}

/** The replica's code behind an alias, when the alias points at one of its listed versions. */
function aliasCode(replica: ReplicaState, alias: FunctionAlias | undefined): string | undefined {
  return replica.versions.find((version) => version.version === alias?.functionVersion)?.codeSha256;
}

/** The alias description a replica records: the home record, with the version it replaced in its own numbers. */
function replicaDescription(
  homeDescription: string,
  replica: ReplicaState,
  from: string,
  homeVersions: readonly VersionState[],
): string {
  const record = parseAliasRecord(homeDescription);
  if (record === undefined) return homeDescription;
  const replacedHome = homeVersions.find((version) => version.version === record.replaced);
  const replaced =
    replacedHome === undefined ? from : (replicaVersionOf(replica, replacedHome)?.version ?? from);
  return formatAliasRecord({ ...record, replaced });
}

/**
 * The plan with every replica's part: each alias move moves the alias in every replica too (to the version of
 * the same code there, published first where missing), and replicas whose alias left the home alias's code are
 * put back in line before anything else. Unchanged for a stack without replicas. Throws an
 * {@link OperationError} for a canary (a stack with regional endpoints releases all at once) and for a replica
 * that cannot hold the code.
 */
export function withReplicas(plan: Plan, snapshot: ReleaseSnapshot): Plan {
  const replicas = snapshot.replicas ?? [];
  if (replicas.length === 0) return plan;
  // A canary started before the stack served several regions ran on the home alias only: ending it (rollback)
  // puts the home alias back on the code the replicas serve.
  if (plan.operation !== "rollback" && plan.steps.some((step) => step.kind.startsWith("canary-"))) {
    throw new OperationError(
      "A stack with regional endpoints releases code all at once in every region, and a canary is in progress on " +
        "the home region's live alias: end it with `skillship rollback`, then release again. Nothing was changed.",
    );
  }
  const publishes = new Map<string, PublishReplicaVersionsStep["versions"][number]>();
  const published = plan.steps.find((step) => step.kind === "publish-version");
  const codeOf = (step: MoveAliasStep): TargetCode => {
    if (step.to.kind === "published") {
      if (published?.kind !== "publish-version") {
        throw new OperationError(
          `Internal error: the plan moves ${step.colour} to a version no step published`,
        );
      }
      const model = parseVersionRecord(published.description)?.model;
      return {
        codeSha256: published.codeSha256,
        description: published.description,
        ...(model === undefined ? {} : { model }),
      };
    }
    const version = step.to.version;
    const home = snapshot.versions.find((candidate) => candidate.version === version);
    if (home === undefined) {
      throw new OperationError(`Version ${version} of ${snapshot.functionName} is not among its versions`);
    }
    return { codeSha256: home.codeSha256, description: home.description };
  };

  // Each replica's part of moving `colour` to `target`: none for a replica whose alias already serves that code.
  const partsOf = (
    colour: Colour,
    target: TargetCode,
    homeDescription: string,
    toPublish = publishes,
  ): ReplicaMove[] =>
    replicas.flatMap((replica) => {
      const alias = requireAlias(replica, colour);
      if (aliasCode(replica, alias) === target.codeSha256 && alias.additionalVersionWeights === undefined) {
        return [];
      }
      return [
        {
          awsRegion: replica.awsRegion,
          functionName: replica.functionName,
          label: replica.label,
          from: alias.functionVersion,
          fromDescription: alias.description,
          to: replicaRef(replica, target, toPublish),
          revisionId: alias.revisionId,
          description: replicaDescription(homeDescription, replica, alias.functionVersion, snapshot.versions),
        },
      ];
    });

  const moved = new Set<Colour>();
  const steps: Step[] = plan.steps.map((step) => {
    if (step.kind !== "move-alias") return step;
    moved.add(step.colour);
    return { ...step, replicas: partsOf(step.colour, codeOf(step), step.description) };
  });

  const prelude: Step[] = [];
  const unaligned: string[] = [];
  for (const colour of colours) {
    if (moved.has(colour)) continue;
    const home = snapshot.aliases[colour];
    if (home.target === undefined) continue;
    const { codeSha256, description } = home.target;
    let parts: ReplicaMove[];
    // Published only if every region can be put in line.
    const toPublish = new Map(publishes);
    try {
      parts = partsOf(colour, { codeSha256, description }, home.description, toPublish);
      for (const [key, entry] of toPublish) publishes.set(key, entry);
    } catch (error) {
      // A region added since that code was released has no version of it and cannot publish one: the alias
      // stays until a plan moves it to new code (blocking this one would block every release).
      if (!(error instanceof OperationError)) throw error;
      unaligned.push(`${colour} (version ${home.functionVersion}, code ${codeSha256})`);
      continue;
    }
    if (parts.length > 0) {
      const align: AlignReplicasStep = {
        kind: "align-replicas",
        colour,
        homeVersion: home.functionVersion,
        replicas: parts,
      };
      prelude.push(align);
    }
  }

  const firstPublish: Step[] =
    publishes.size === 0 ? [] : [{ kind: "publish-replica-versions", versions: [...publishes.values()] }];
  const all = [...firstPublish, ...prelude, ...steps];
  // The home version is published before the replicas' (their records name it), and before any move.
  const homePublish = all.findIndex((step) => step.kind === "publish-version");
  if (homePublish > 0) {
    const [step] = all.splice(homePublish, 1);
    all.unshift(step);
  }
  const added = all.length - plan.steps.length;
  const aligned = prelude.flatMap((step) =>
    step.kind === "align-replicas" ? step.replicas.map((part) => `${part.label} ${step.colour}`) : [],
  );
  const notes =
    unaligned.length === 0
      ? ""
      : ` The home region's ${unaligned.join(" and ")} is older than some region (no version of that code ` +
        "there): that alias stays as it is in those regions until a release moves it.";
  return {
    ...plan,
    summary: `${plan.summary}${notes}`,
    ...(plan.steps.length === 0 && aligned.length > 0
      ? {
          path: "align-regions",
          summary:
            `${plan.summary} But not every region serves the same code: the ${aligned.join(", ")} alias ` +
            `goes back in line with the home region's first.${notes}`,
        }
      : {}),
    steps: all,
    ...(plan.restore === undefined
      ? {}
      : { restore: { ...plan.restore, fromStep: plan.restore.fromStep + added } }),
  };
}

function requireAlias(replica: ReplicaState, colour: Colour): FunctionAlias {
  const alias = replica.aliases[colour];
  if (alias === undefined) {
    throw new OperationError(
      `Alias ${replica.functionName}:${colour} does not exist in ${replica.label}: the prod stack creates the ` +
        "blue and green aliases in every region it serves; run `pulumi up` on the prod stack first. Nothing was changed.",
      { resource: `alias ${replica.functionName}:${colour} (${replica.awsRegion})` },
    );
  }
  return alias;
}
