/**
 * The Lambda calls the release engine makes: `$LATEST`, versions and aliases. `adapters/lambda.ts` implements it
 * over the AWS SDK v3 Lambda client.
 */

/** A published Lambda version. */
export interface FunctionVersion {
  version: string;
  codeSha256: string;
  description: string;
}

/** A Lambda alias as the release engine sees it. */
export interface FunctionAlias {
  name: string;
  functionVersion: string;
  description: string;
  revisionId: string;
  /**
   * Weighted routing (`RoutingConfig.AdditionalVersionWeights`): another published version and the share of the
   * traffic it gets (0 ≤ share < 1), `functionVersion` getting the rest. Absent when all of it goes to
   * `functionVersion`.
   */
  additionalVersionWeights?: Readonly<Record<string, number>>;
}

/** The Lambda calls the platform uses. */
export interface FunctionsPort {
  /** `$LATEST`: its code hash and revision. */
  getLatest(functionName: string): Promise<{ codeSha256: string; revisionId: string }>;
  /** Publishes `$LATEST`; refused when `$LATEST`'s code hash is no longer `codeSha256`. */
  publishVersion(
    functionName: string,
    input: { codeSha256: string; description: string; revisionId?: string },
  ): Promise<FunctionVersion>;
  listVersions(functionName: string): Promise<FunctionVersion[]>;
  getAlias(functionName: string, alias: string): Promise<FunctionAlias | undefined>;
  /**
   * Moves the alias; refused when `revisionId` is stale. With `additionalVersionWeights`, the alias also sends that
   * share of the traffic to that other published version (a canary step); without (or empty), all of it goes to
   * `functionVersion` and any weighted routing is cleared.
   */
  updateAlias(
    functionName: string,
    alias: string,
    input: {
      functionVersion: string;
      description: string;
      revisionId: string;
      additionalVersionWeights?: Readonly<Record<string, number>>;
    },
  ): Promise<FunctionAlias>;
}
