/**
 * Who may assume each pipeline role: GitHub's OIDC tokens whose audience and subject match exactly, one kind of
 * workflow run per role.
 */
import { document, type PolicyDocument } from "./documents";

/** GitHub's OIDC issuer, as IAM names its claims (`token.actions.githubusercontent.com:sub`). */
export const githubIssuerHost = "token.actions.githubusercontent.com";

/** The four pipeline roles and the workflows that may assume each. */
export type PipelineRole = "preview" | "beta" | "release" | "watch";

/** The branch and the environments the roles' subjects name. */
export interface SubjectNames {
  betaBranch: string;
  releaseEnvironment: string;
  watchEnvironment: string;
  /** The environment of the read-only Login with Amazon token, whose jobs (the drift check) may preview too. */
  previewEnvironment: string;
}

/** The repository and the subject claim format its tokens carry. */
export interface SubjectSource {
  owner: string;
  name: string;
  subjectFormat: "repo" | "id";
  ownerId?: string;
  repositoryId?: string;
}

/**
 * The exact `sub` claims a role accepts: pull requests and jobs in the `preview` environment (the scheduled drift
 * check) for preview, pushes to `develop` for beta, jobs in the `production` environment for release, jobs in the
 * `beta` environment for watch. A job of a called (reusable) workflow presents its caller's subject. Trusting
 * `preview` jobs gives nobody more than a pull request already has: that environment admits any branch, and the
 * role only reads. `repo` is GitHub's default format; `id` is the immutable one GitHub issues once the
 * repository's subject template includes `repository_owner_id`, `repository_id`, `context`.
 */
export function githubSubjects(source: SubjectSource, role: PipelineRole, names: SubjectNames): string[] {
  const contexts = {
    preview: ["pull_request", `environment:${names.previewEnvironment}`],
    beta: [`ref:refs/heads/${names.betaBranch}`],
    release: [`environment:${names.releaseEnvironment}`],
    watch: [`environment:${names.watchEnvironment}`],
  }[role];
  const subject =
    source.subjectFormat === "id"
      ? `repository_owner_id:${source.ownerId}:repository_id:${source.repositoryId}`
      : `repo:${source.owner}/${source.name}`;
  return contexts.map((context) => `${subject}:${context}`);
}

/** Trust policy of a pipeline role: GitHub's OIDC tokens whose audience and subject match exactly. */
export function githubTrustPolicy(providerArn: string, subjects: string[]): PolicyDocument {
  return document({
    Effect: "Allow",
    Principal: { Federated: providerArn },
    Action: "sts:AssumeRoleWithWebIdentity",
    Condition: {
      StringEquals: {
        [`${githubIssuerHost}:aud`]: "sts.amazonaws.com",
        [`${githubIssuerHost}:sub`]: subjects,
      },
    },
  });
}
