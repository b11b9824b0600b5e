import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";

/** Arguments of {@link RepositorySettings}. */
export interface RepositorySettingsArgs {
  owner: string;
  repository: string;
  /** A GitHub token allowed to administer the repository (a Pulumi config secret). */
  token: pulumi.Input<string>;
  environment: string;
  /** Numeric ids of the users who must approve a job in the environment. */
  reviewers: number[];
  /** Tags whose workflows may deploy to the environment (`v*`). */
  tagPattern: string;
  /** Repository variables the workflows read (role ARNs, region, state backend). */
  variables: Record<string, pulumi.Input<string>>;
  /** Repository secrets (the Login with Amazon credentials); only those configured are written. */
  secrets: Record<string, pulumi.Input<string> | undefined>;
  /** Switch the repository's OIDC subject template to the id-based format the roles trust. */
  idSubjects: boolean;
}

/**
 * The repository side of the pipeline through `@pulumi/github`: the `production` environment with required
 * reviewers, limited to release tags; the variables and secrets the workflows use; and, for the id-based subject
 * format, the subject claim template that makes GitHub issue it.
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

    const environment = new github.RepositoryEnvironment(
      `${name}-environment`,
      {
        repository: args.repository,
        environment: args.environment,
        preventSelfReview: true,
        reviewers: [{ users: args.reviewers }],
        deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
      },
      child,
    );
    new github.RepositoryEnvironmentDeploymentPolicy(
      `${name}-release-tags`,
      { repository: args.repository, environment: environment.environment, tagPattern: args.tagPattern },
      child,
    );
    for (const [variableName, value] of Object.entries(args.variables)) {
      new github.ActionsVariable(
        `${name}-var-${variableName.toLowerCase()}`,
        { repository: args.repository, variableName, value },
        child,
      );
    }
    for (const [secretName, value] of Object.entries(args.secrets)) {
      if (value === undefined) continue;
      new github.ActionsSecret(
        `${name}-secret-${secretName.toLowerCase()}`,
        { repository: args.repository, secretName, value: pulumi.secret(value) },
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
