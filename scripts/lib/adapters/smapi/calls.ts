/**
 * The four ways the adapter calls the Skill Management API, so that each port method says only which one it is:
 * a read (retried while transient; 404 may mean "none"), a guarded whole-document write (retried, and read back
 * when a retry meets its own earlier success), and a call that must never be repeated blindly (submission,
 * publishing, rollback, simulation). Every failure goes through {@link translateSmapiError}.
 */
import { isDeepStrictEqual } from "node:util";
import type { services } from "ask-smapi-model";
import { isTransient, withRetries, type RetryPolicy } from "../../core/retry";
import { ConcurrentChangeError, type SkillStage, type Versioned } from "../../ports";
import { LwaTokenError } from "../lwa";
import { SmapiError, translateSmapiError, type SdkError } from "./errors";
import type { ServiceClock } from "./transport";

/** The SDK's client. */
export type SmapiClient = services.skillManagement.SkillManagementServiceClient;

type Json = Record<string, unknown>;

/** An SDK response with its headers (the `call…` twins of the SDK's methods). */
export interface WithHeaders {
  headers: { key: string; value: string }[];
}

/** A response header by lower-case name. */
export function header(response: WithHeaders, name: string): string | undefined {
  return response.headers.find((entry) => entry.key.toLowerCase() === name)?.value;
}

/** "development stage" / "live stage", as messages name a stage. */
export function stageName(stage: SkillStage): string {
  return `${stage} stage`;
}

/** The calling conventions over one SDK client. */
export class SmapiCalls {
  constructor(
    /** The SDK client, for the port methods to name the call they make. */
    readonly client: SmapiClient,
    /** The secret values signed in with (client secret and token): removed from any message. */
    private readonly secrets: readonly string[],
    /** The retry bound, also for the calls beside the API (the package upload). */
    readonly policy: RetryPolicy,
    /** The base URLs of the Skill Management API and of Login with Amazon, named when one cannot be reached. */
    private readonly endpoints: { api: string; lwa: string },
    /** The service's clock, read from its answers. */
    readonly clock: ServiceClock,
  ) {}

  /** A read, retried while transient. */
  read<T>(operation: string, call: () => Promise<T>): Promise<T> {
    return this.guard(operation, () => withRetries(call, this.policy, retryable), { retried: true });
  }

  /** A read where 404 means "there is none". */
  async readOrMissing<T>(operation: string, call: () => Promise<T>): Promise<T | undefined> {
    try {
      return await this.read(operation, call);
    } catch (error) {
      if (error instanceof SmapiError && error.statusCode === 404) {
        return undefined;
      }
      throw error;
    }
  }

  /** A read of a document with its ETag; undefined on 404. */
  async readVersioned(
    operation: string,
    call: () => Promise<{ body?: unknown } & WithHeaders>,
  ): Promise<Versioned<Json> | undefined> {
    const response = await this.readOrMissing(operation, call);
    if (response === undefined) {
      return undefined;
    }
    return { value: (response.body ?? {}) as Json, etag: header(response, "etag") };
  }

  /**
   * A PUT of a whole document, retried while transient. If a retry is refused with 412 after an attempt whose
   * answer was lost, the document is read back: when it already holds what was written, the write succeeded.
   */
  async idempotentWrite<T extends WithHeaders>(
    operation: string,
    target: { resource: string; stage: SkillStage },
    call: () => Promise<T>,
    readBack: () => Promise<Json | undefined>,
    written: Json,
  ): Promise<T | { headers: [] }> {
    let attempts = 0;
    const counted = (): Promise<T> => {
      attempts += 1;
      return call();
    };
    try {
      return await this.guard(operation, () => withRetries(counted, this.policy, retryable), {
        ...target,
        retried: true,
      });
    } catch (error) {
      if (
        error instanceof ConcurrentChangeError &&
        attempts > 1 &&
        isDeepStrictEqual(await readBack(), written)
      ) {
        return { headers: [] };
      }
      throw error;
    }
  }

  /**
   * A write that is safe to repeat but is no whole document (adding beta testers): retried while transient.
   */
  repeatable<T>(operation: string, call: () => Promise<T>): Promise<T> {
    return this.read(operation, call);
  }

  /**
   * A call that must not be repeated blindly (submission, publishing, rollback, simulation, an import): no
   * retries. `target` names what a guarded call (`If-Match`) changes, for the 412 and 409 messages.
   */
  once<T>(
    operation: string,
    call: () => Promise<T>,
    target?: { resource: string; stage: SkillStage },
  ): Promise<T> {
    return this.guard(operation, call, { ...target, retried: false });
  }

  private async guard<T>(
    operation: string,
    call: () => Promise<T>,
    target: { resource?: string; stage?: SkillStage; retried: boolean },
  ): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw translateSmapiError(error, {
        operation,
        ...target,
        retried: target.retried && this.policy.attempts > 1,
        endpoints: this.endpoints,
        redact: (text) => this.redact(text),
      });
    }
  }

  /** Removes the credential values from a message that quotes anything from the network. */
  private redact(message: string): string {
    let safe = message;
    for (const secret of this.secrets) {
      for (const form of new Set([secret, encodeURIComponent(secret)])) {
        safe = safe.split(form).join("***");
      }
    }
    return safe;
  }
}

/**
 * Transient for a read or an idempotent write: 429, 5xx, or a connection that failed or dropped before an answer
 * (the SDK's client reports those without a status). A token request that failed has had its own retries.
 */
function retryable(error: unknown): boolean {
  if (error instanceof LwaTokenError) {
    return false;
  }
  if (isTransient(error)) {
    return true;
  }
  const e = error as SdkError | null;
  return (
    typeof e === "object" && e !== null && e.statusCode === undefined && /ApiClient Error$/.test(e.name ?? "")
  );
}
