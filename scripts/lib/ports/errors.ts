/**
 * Errors with one meaning whichever service raised them, so that domain code can branch on the meaning and
 * adapters say what happened in the service's own terms.
 */
import { OperationError } from "../core/errors";

/**
 * A guarded write was refused because someone changed the resource since it was read (Skill Management API
 * `If-Match` → 412, Lambda `RevisionId` or `CodeSha256`): nothing was overwritten. Exit 1; re-run to plan again.
 */
export class ConcurrentChangeError extends OperationError {
  /** The resource that changed, for people: "the manifest of skill … (development stage)", "alias f:blue". */
  override readonly resource: string;
  /** The HTTP status the service answered with, when it did. */
  readonly statusCode?: number;

  constructor(message: string, resource: string, options: { statusCode?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause, resource });
    this.resource = resource;
    this.statusCode = options.statusCode;
  }
}

/**
 * A development-stage write was refused because the skill is in certification: its development stage is locked
 * until the certification ends or is withdrawn.
 */
export class StageLockedError extends OperationError {
  /** The HTTP status the service answered with. */
  readonly statusCode?: number;

  constructor(message: string, options: { statusCode?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.statusCode = options.statusCode;
  }
}
