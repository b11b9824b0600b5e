import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";

/** One GitHub environment of the repository and what protects it. */
export interface EnvironmentSettings {
  name: string;
  /** Numeric ids of the users who must approve a job in the environment (none: no review). */
  reviewers?: number[];
  /** Branch name patterns allowed to deploy to it. With neither branches nor tags, any ref may. */
  branches?: string[];
  /** Tag name patterns allowed to deploy to it (`v*`). */
  tags?: string[];
  /** Whether the Login with Amazon credentials are written as this environment's secrets. */
  lwaSecrets: boolean;
}

/** Arguments of {@link RepositorySettings}. */
export interface RepositorySettingsArgs {
  owner: string;
  repository: string;
  /** A GitHub token allowed to administer the repository (a Pulumi config secret). */
  token: pulumi.Input<string>;
  environments: EnvironmentSettings[];
  /** Repository variables the workflows read (role ARNs, region, state backend). */
  variables: Record<string, pulumi.Input<string>>;
  /**
   * The Login with Amazon credentials, written as secrets of the environments with `lwaSecrets` (never as
   * repository secrets, which every job could read); only those configured are written.
   */
  secrets: Record<string, pulumi.Input<string> | undefined>;
  /** Switch the repository's OIDC subject template to the id-based format the roles trust. */
  idSubjects: boolean;
}

/** A logical-name fragment for a ref pattern (`v*` → `v_`). */
const slug = (pattern: string): string => pattern.replace(/[^A-Za-z0-9-]/g, "_");

/**
 * The repository side of the pipeline through `@pulumi/github`: its environments (`production` with required
 * reviewers, limited to release tags and `main`; `beta`; `preview`), each with its deployment refs and secrets;
 * the repository variables the workflows use; and, for the id-based subject format, the subject claim template
 * that makes GitHub issue it.
 */
export class RepositorySettings extends pulumi.ComponentResource {
  constructor(name: string, args: RepositorySettingsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("skillship:index:RepositorySettings", name, {}, opts);
    const provider = new github.Provider(
      `${name}-github`,
      { owner: args.owner, token: args.token },
      { parent: this },
    );
    const child = { parent: this, provider };

    for (const settings of args.environments) {
      const branches = settings.branches ?? [];
      const tags = settings.tags ?? [];
      const reviewers = settings.reviewers ?? [];
      const restricted = branches.length > 0 || tags.length > 0;
      const environment = new github.RepositoryEnvironment(
        `${name}-env-${settings.name}`,
        {
          repository: args.repository,
          environment: settings.name,
          ...(reviewers.length > 0 ? { preventSelfReview: true, reviewers: [{ users: reviewers }] } : {}),
          ...(restricted
            ? { deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true } }
            : {}),
        },
        child,
      );
      const refs = [
        ...branches.map((value) => ({ kind: "branch", value, pattern: { branchPattern: value } })),
        ...tags.map((value) => ({ kind: "tag", value, pattern: { tagPattern: value } })),
      ];
      for (const { kind, value, pattern } of refs) {
        new github.RepositoryEnvironmentDeploymentPolicy(
          `${name}-env-${settings.name}-${kind}-${slug(value)}`,
          { repository: args.repository, environment: environment.environment, ...pattern },
          child,
        );
      }
      if (!settings.lwaSecrets) continue;
      for (const [secretName, value] of Object.entries(args.secrets)) {
        if (value === undefined) continue;
        new github.ActionsEnvironmentSecret(
          `${name}-env-${settings.name}-secret-${secretName.toLowerCase()}`,
          {
            repository: args.repository,
            environment: environment.environment,
            secretName,
            value: pulumi.secret(value),
          },
          child,
        );
      }
    }
    for (const [variableName, value] of Object.entries(args.variables)) {
      new github.ActionsVariable(
        `${name}-var-${variableName.toLowerCase()}`,
        { repository: args.repository, variableName, value },
        child,
      );
    }
    if (args.idSubjects) {
      new github.ActionsRepositoryOidcSubjectClaimCustomizationTemplate(
        `${name}-oidc-subject`,
        {
          repository: args.repository,
          useDefault: false,
          includeClaimKeys: ["repository_owner_id", "repository_id", "context"],
        },
        child,
      );
    }
    this.registerOutputs({});
  }
}
