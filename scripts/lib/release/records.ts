/**
 * The release records kept in Lambda descriptions, the only place besides the Skill Management API where release
 * state lives. A version's description says what it was built from; an alias's description says how it got its
 * version and which one it replaced. Both are `key=value` pairs joined by `; `, within Lambda's 256 characters,
 * readable in the console and parseable here.
 */
import { UsageError } from "../core/errors";

/**
 * Times in records are the Skill Management API's (the runner's clock corrected by the offset measured from the
 * service's `Date` header), so that they compare with its submission and version timestamps whichever runner
 * wrote them. `Date` has a resolution of one second, so a submission seconds after its record is told by this
 * margin: a service time counts as at or after a recorded one when it is at most this much earlier.
 */
export const CLOCK_TOLERANCE_MS = 2000;

/** True when the service's `serviceTime` is at or after `recorded`, within {@link CLOCK_TOLERANCE_MS}. */
export function notBefore(serviceTime: string, recorded: string): boolean {
  return Date.parse(serviceTime) >= Date.parse(recorded) - CLOCK_TOLERANCE_MS;
}

/** Lambda's limit on a version's or an alias's description. */
export const DESCRIPTION_LIMIT = 256;

/** The Skill Management API's limit on a skill version's message (`versionMessage` of a submission). */
export const VERSION_MESSAGE_LIMIT = 300;

/** What a published version was built from. */
export interface VersionRecord {
  /** The release tag (e.g. `v1.4.0`). */
  tag: string;
  /** The commit the bundle was built from. */
  commit: string;
  /** The bundle's sha256, base64, as Lambda reports `CodeSha256`. */
  bundle: string;
  /** The interaction-model hash of the skill package the code was released with. */
  model: string;
  /** The release's message, shortened to fit. */
  message?: string;
}

/** How an alias got its current version. */
export type AliasChange =
  /** A code-only release moved the live alias (all at once, or at the end of its canary). */
  | "code"
  /** A code-only release's canary is under way: the alias sends a share of its traffic to another version. */
  | "canary"
  /** The idle colour was pointed at a certification candidate. */
  | "candidate"
  /** A code-only rollback moved the live alias back. */
  | "rollback"
  /** The colour is being made live again by a skill rollback (written before the rollback starts). */
  | "restore";

/** What an alias's description records. */
export interface AliasRecord {
  change: AliasChange;
  /** The version the alias pointed at before this change ("" when it pointed nowhere known). */
  replaced: string;
  /** The interaction-model hash the alias's code serves with. */
  model: string;
  /**
   * When the change was made (ISO-8601): certifications submitted later belong to this candidate; for a canary,
   * when its current step began.
   */
  at: string;
  /** For `canary`: when the canary began (its first step). */
  started?: string;
  /**
   * When the alias's candidacy cycle began (ISO-8601): its first candidate change since it was last live,
   * carried over by later changes. Skill versions submitted between a colour's cycle start and the other
   * colour's belong to that colour.
   */
  since?: string;
  /** The release tag, when the change was a release. */
  tag?: string;
  /** For `restore`: the skill rollback request under way, once the Skill Management API has accepted it. */
  request?: string;
}

const changes: readonly AliasChange[] = ["code", "canary", "candidate", "rollback", "restore"];

/** Formats a version description; throws a {@link UsageError} when the tag or commit cannot be recorded. */
export function formatVersionRecord(record: VersionRecord): string {
  checkValue("release tag", record.tag);
  checkValue("commit", record.commit);
  const fixed = `tag=${record.tag}; commit=${record.commit}; bundle=${record.bundle}; model=${record.model}`;
  if (fixed.length > DESCRIPTION_LIMIT) {
    throw new UsageError(
      `The release tag "${record.tag}" is too long to record in the Lambda version description ` +
        `(${DESCRIPTION_LIMIT} characters in all); use a shorter tag`,
    );
  }
  if (record.message === undefined || record.message.trim() === "") {
    return fixed;
  }
  return `${fixed}; msg=${shorten(oneLine(record.message), DESCRIPTION_LIMIT - fixed.length - 6)}`;
}

/**
 * The message a certification submission gives the new skill version: the release's message on one line,
 * shortened to the API's limit; undefined when there is no message.
 */
export function formatVersionMessage(message: string | undefined): string | undefined {
  if (message === undefined || message.trim() === "") {
    return undefined;
  }
  return shorten(oneLine(message), VERSION_MESSAGE_LIMIT);
}

/** Parses a version description written by {@link formatVersionRecord}; undefined for any other description. */
export function parseVersionRecord(description: string): VersionRecord | undefined {
  const fields = parseFields(description);
  const { tag, commit, bundle, model, msg } = fields;
  if (tag === undefined || commit === undefined || bundle === undefined || model === undefined) {
    return undefined;
  }
  return msg === undefined ? { tag, commit, bundle, model } : { tag, commit, bundle, model, message: msg };
}

/** Formats an alias description. */
export function formatAliasRecord(record: AliasRecord): string {
  const parts = [
    `change=${record.change}`,
    `replaced=${record.replaced}`,
    `model=${record.model}`,
    `at=${record.at}`,
  ];
  if (record.started !== undefined) {
    parts.push(`started=${record.started}`);
  }
  if (record.since !== undefined) {
    parts.push(`since=${record.since}`);
  }
  if (record.request !== undefined) {
    parts.push(`request=${record.request}`);
  }
  if (record.tag !== undefined) {
    parts.push(`tag=${record.tag}`);
  }
  return shorten(parts.join("; "), DESCRIPTION_LIMIT);
}

/** Parses an alias description written by {@link formatAliasRecord}; undefined for any other description. */
export function parseAliasRecord(description: string): AliasRecord | undefined {
  const fields = parseFields(description);
  const change = fields.change as AliasChange | undefined;
  if (
    change === undefined ||
    !changes.includes(change) ||
    fields.replaced === undefined ||
    fields.at === undefined
  ) {
    return undefined;
  }
  const record: AliasRecord = { change, replaced: fields.replaced, model: fields.model ?? "", at: fields.at };
  if (fields.started !== undefined) record.started = fields.started;
  if (fields.since !== undefined) record.since = fields.since;
  if (fields.tag !== undefined) record.tag = fields.tag;
  if (fields.request !== undefined) record.request = fields.request;
  return record;
}

// `msg` comes last and may hold anything, so it takes the rest of the text.
function parseFields(description: string): Record<string, string> {
  const fields: Record<string, string> = {};
  let rest = description.trim();
  while (rest !== "") {
    const match = /^([a-z]+)=/.exec(rest);
    if (match === null) {
      return {};
    }
    const key = match[1];
    const valueStart = match[0].length;
    if (key === "msg") {
      fields.msg = rest.slice(valueStart);
      break;
    }
    const end = rest.indexOf("; ", valueStart);
    fields[key] = end === -1 ? rest.slice(valueStart) : rest.slice(valueStart, end);
    rest = end === -1 ? "" : rest.slice(end + 2);
  }
  return fields;
}

function checkValue(what: string, value: string): void {
  if (value.trim() === "" || /[;\s=]/.test(value)) {
    throw new UsageError(
      `The ${what} "${value}" cannot be recorded in a Lambda description: it must be non-empty, without spaces, ";" or "="`,
    );
  }
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}
