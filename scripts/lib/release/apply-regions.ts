/**
 * The applier's replica steps (a stack with regional endpoints, `regions.ts`): publishing in the replicas, and
 * moving an alias in every region so that all of them serve the same code at the end. The replicas move first
 * and the home alias last: the home alias, whose records the planners read, changes only once every replica has.
 * When one move fails (throttled past the retries, a stale revision, a timeout), the alias is read back (a call
 * that went through counts as done) and the replicas already moved are put back, each guarded by the revision
 * its move returned. A replica that cannot be put back is named, and the next run puts it in line first.
 */
import { OperationError } from "../core/errors";
import type { FunctionsPort } from "../ports";
import type { AlignReplicasStep, MoveAliasStep, PublishReplicaVersionsStep, ReplicaMove } from "./steps";

/** What the replica steps need of the applier's context. */
export interface ReplicaContext {
  /** The Lambda port of each replica's AWS region. */
  replicas?: Readonly<Record<string, FunctionsPort>>;
}

/** What the replica steps add to the applier's result. */
export interface ReplicaResult {
  /**
   * The version each replica's moved alias now serves, or the one published there, by AWS region: the numbers
   * differ from region to region.
   */
  replicaVersions?: Record<string, string>;
  /** Versions published by this run, by "<AWS region> <code sha256>". */
  publishedInReplicas?: Record<string, string>;
}

function portOf(context: ReplicaContext, awsRegion: string): FunctionsPort {
  const port = context.replicas?.[awsRegion];
  if (port === undefined) {
    throw new OperationError(`Internal error: no Lambda port for the replica in ${awsRegion}`);
  }
  return port;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0];
}

/** Publishes `$LATEST` in each replica that needs a version of the code. */
export async function publishInReplicas(
  step: PublishReplicaVersionsStep,
  context: ReplicaContext,
  result: ReplicaResult,
): Promise<string> {
  const done: string[] = [];
  for (const entry of step.versions) {
    const published = await portOf(context, entry.awsRegion).publishVersion(entry.functionName, {
      codeSha256: entry.codeSha256,
      description: entry.description,
      revisionId: entry.revisionId,
    });
    (result.publishedInReplicas ??= {})[`${entry.awsRegion} ${entry.codeSha256}`] = published.version;
    (result.replicaVersions ??= {})[entry.awsRegion] = published.version;
    done.push(`${entry.label} version ${published.version}`);
  }
  return `published ${done.join(", ")}`;
}

/** One alias moved, with what puts it back. */
interface Moved {
  part: ReplicaMove;
  version: string;
  revisionId: string;
}

function versionOf(part: ReplicaMove, result: ReplicaResult): string {
  if (part.to.kind === "existing") return part.to.version;
  const version = result.publishedInReplicas?.[`${part.awsRegion} ${part.to.codeSha256}`];
  if (version === undefined) {
    throw new OperationError(`Internal error: the plan moves ${part.label} to a version no step published`);
  }
  return version;
}

/**
 * Moves one alias; when the call fails, reads the alias back and counts the move as done if it went through (a
 * timeout after Lambda made the change).
 */
export async function moveOne(
  functions: FunctionsPort,
  functionName: string,
  colour: string,
  input: { functionVersion: string; description: string; revisionId: string },
): Promise<string> {
  try {
    return (await functions.updateAlias(functionName, colour, input)).revisionId;
  } catch (error) {
    const now = await functions.getAlias(functionName, colour).catch(() => undefined);
    if (
      now !== undefined &&
      now.functionVersion === input.functionVersion &&
      now.description === input.description &&
      now.additionalVersionWeights === undefined
    ) {
      return now.revisionId;
    }
    throw error;
  }
}

async function moveReplica(
  part: ReplicaMove,
  colour: string,
  context: ReplicaContext,
  result: ReplicaResult,
): Promise<Moved> {
  const version = versionOf(part, result);
  const revisionId = await moveOne(portOf(context, part.awsRegion), part.functionName, colour, {
    functionVersion: version,
    description: part.description,
    revisionId: part.revisionId,
  });
  (result.replicaVersions ??= {})[part.awsRegion] = version;
  return { part, version, revisionId };
}

/** Puts moved replicas back (newest move first); says what it did, naming any it could not. */
async function putBack(moved: readonly Moved[], colour: string, context: ReplicaContext): Promise<string> {
  const back: string[] = [];
  const stuck: string[] = [];
  for (const { part, revisionId } of [...moved].reverse()) {
    try {
      await moveOne(portOf(context, part.awsRegion), part.functionName, colour, {
        functionVersion: part.from,
        description: part.fromDescription,
        revisionId,
      });
      back.push(`${part.label} (version ${part.from})`);
    } catch (error) {
      stuck.push(`${part.label} (${firstLine(error)})`);
    }
  }
  const said = back.length === 0 ? "" : ` The ${colour} alias was put back in ${back.join(", ")}.`;
  return stuck.length === 0
    ? `${said} No region serves other code than before.`
    : `${said} It could not be put back in ${stuck.join(", ")}: run the command again, it first puts every ` +
        "region in line with the home region.";
}

/**
 * Moves the step's alias in every replica, then the home alias with `moveHome`; if any move fails, the replicas
 * already moved go back before the error is thrown.
 */
export async function moveEverywhere(
  step: MoveAliasStep,
  context: ReplicaContext,
  result: ReplicaResult,
  moveHome: () => Promise<string>,
): Promise<string> {
  const moved: Moved[] = [];
  let where = "";
  try {
    for (const part of step.replicas ?? []) {
      where = part.label;
      moved.push(await moveReplica(part, step.colour, context, result));
    }
    where = "the home region";
    const home = await moveHome();
    const regional = moved.map((entry) => `${entry.part.label} version ${entry.version}`);
    return regional.length === 0 ? home : `${home}; ${regional.join(", ")}`;
  } catch (error) {
    const after = await putBack(moved, step.colour, context);
    throw new OperationError(
      `Moving the ${step.role} ${step.colour} in ${where} failed: ${firstLine(error)}.${after}`,
      { cause: error, resource: `alias ${step.colour} (${where})` },
    );
  }
}

/** Brings replicas' aliases back on the home alias's code; never undone (it only brings regions together). */
export async function alignReplicas(
  step: AlignReplicasStep,
  context: ReplicaContext,
  result: ReplicaResult,
): Promise<string> {
  const done: string[] = [];
  for (const part of step.replicas) {
    const moved = await moveReplica(part, step.colour, context, result);
    done.push(`${part.label} ${step.colour} → version ${moved.version}`);
  }
  return done.join(", ");
}
