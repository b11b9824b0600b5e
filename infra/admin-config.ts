/**
 * The configuration of the administrator-only stack (`Pulumi.admin.yaml`): the delivery pipeline (GitHub's OIDC
 * provider, the preview, beta, release and watch roles) and the GitHub repository settings, with every secret the
 * pipeline needs (a repository-admin token, the Login with Amazon credentials). No workflow previews or deploys
 * this stack, and no pipeline role can read its state or decrypt with its key. Validated like the app stacks:
 * every problem at once, each naming its key; secrets are read as secret outputs and never printed.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { type RawStackConfig, fromJson, projectName, qualified, stackFile } from "./config";
import { StackConfigError } from "./errors";

const repositoryPattern = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;
const iamOidcArnPattern =
  /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/;
const kmsKeyArnPattern = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;
const stackReferencePattern = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

const rawSchema = z.object({
  stage: z.literal("admin", { error: 'expected "admin"' }).optional(),
  githubRepository: z
    .string({ error: 'is required: "owner/name", as in github.com/owner/name' })
    .regex(repositoryPattern, { error: 'expected "owner/name", as in github.com/owner/name' }),
  githubSubjectFormat: z.enum(["repo", "id"], { error: 'expected "repo" or "id"' }).optional(),
  githubOwnerId: z.string().regex(/^\d+$/, { error: "expected the numeric owner id" }).optional(),
  githubRepositoryId: z.string().regex(/^\d+$/, { error: "expected the numeric repository id" }).optional(),
  oidcProviderArn: z
    .string()
    .regex(iamOidcArnPattern, { error: "expected the ARN of the IAM OIDC provider for GitHub Actions" })
    .optional(),
  stateBucket: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, {
      error: "expected the S3 bucket name of the Pulumi backend",
    })
    .optional(),
  appStateKmsKeyArn: z
    .string()
    .regex(kmsKeyArnPattern, { error: "expected a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)" })
    .optional(),
  adminStateKmsKeyArn: z
    .string()
    .regex(kmsKeyArnPattern, { error: "expected a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)" })
    .optional(),
  pulumiOrganization: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, { error: "expected a Pulumi Cloud organization name" })
    .optional(),
  devStack: z
    .string()
    .regex(stackReferencePattern, { error: 'expected "organization/project/stack"' })
    .optional(),
  prodStack: z
    .string()
    .regex(stackReferencePattern, { error: 'expected "organization/project/stack"' })
    .optional(),
  githubReviewers: z
    .preprocess(
      fromJson,
      z.array(z.coerce.number().int().positive(), { error: "expected a list of numeric GitHub user ids" }),
    )
    .optional(),
});

/** Keys read with `getSecret`: never validated into plain strings nor printed. */
export const adminSecretKeys = ["githubToken", "askClientId", "askClientSecret", "askRefreshToken"] as const;
type SecretKey = (typeof adminSecretKeys)[number];

/** Every key the admin stack reads. */
export const adminKeys: readonly string[] = [...Object.keys(rawSchema.shape), ...adminSecretKeys];

/** Where the Pulumi state lives: an S3 bucket (with the KMS keys of both kinds of stacks) or Pulumi Cloud. */
export type StateBackendConfig =
  | { kind: "s3"; bucket: string; appKeyArn?: string; adminKeyArn?: string }
  | { kind: "cloud"; organization: string };

/** The validated admin stack configuration. */
export interface AdminStackConfig {
  project: string;
  stage: "admin";
  /** The admin stack's own name: its state is what the pipeline roles are denied. */
  stackName: string;
  /** Prefix of the roles' names. */
  prefix: string;
  source: {
    owner: string;
    name: string;
    subjectFormat: "repo" | "id";
    ownerId?: string;
    repositoryId?: string;
  };
  oidcProviderArn?: string;
  backend: StateBackendConfig;
  /** The app stacks whose outputs scope the roles, as stack references (`organization/skillship/prod`). */
  stacks: { dev: string; prod: string };
  /** With a token, the repository's environments, variables and environment secrets are managed too. */
  github?: {
    token: pulumi.Output<string>;
    reviewers: number[];
    secrets: Partial<
      Record<"ASK_LWA_CLIENT_ID" | "ASK_LWA_CLIENT_SECRET" | "ASK_REFRESH_TOKEN", pulumi.Output<string>>
    >;
  };
}

/** What {@link parseAdminConfig} reads: the raw values, the secrets as outputs, the stack name. */
export interface RawAdminConfig extends RawStackConfig {
  secrets?: Partial<Record<SecretKey, pulumi.Output<string>>>;
}

/** Validates the admin stack's configuration; throws a {@link StackConfigError} listing every problem. */
export function parseAdminConfig(raw: RawAdminConfig): AdminStackConfig {
  const problems: string[] = [];
  const secretKeys = new Set(raw.secretKeys ?? []);
  for (const key of Object.keys(raw.values)) {
    if ((adminSecretKeys as readonly string[]).includes(key)) {
      if (!secretKeys.has(qualified(key))) {
        problems.push(
          `${qualified(key)} is in plain text in ${stackFile(raw.stackName)}: remove it and set it again with ` +
            `pulumi config set --secret --stack ${raw.stackName} ${qualified(key)}`,
        );
      }
    } else if (!adminKeys.includes(key)) {
      problems.push(
        `${qualified(key)} is not a key of the administrator-only stack, which declares the delivery pipeline ` +
          `only (known keys: ${adminKeys.join(", ")}); the skill's keys belong in Pulumi.dev.yaml and Pulumi.prod.yaml`,
      );
    }
  }
  const values = Object.fromEntries(
    Object.entries(raw.values).filter(([key]) => Object.keys(rawSchema.shape).includes(key)),
  );
  const parsed = rawSchema.safeParse(values);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? "");
      const value = values[key];
      problems.push(
        `${qualified(key)}: ${issue.message}${value === undefined ? "" : ` (got ${JSON.stringify(value)})`}`,
      );
    }
    throw new StackConfigError(problems, { cause: parsed.error });
  }
  const v = parsed.data;
  const secrets = raw.secrets ?? {};

  const subjectFormat = v.githubSubjectFormat ?? "repo";
  if (subjectFormat === "id") {
    for (const key of ["githubOwnerId", "githubRepositoryId"] as const) {
      if (v[key] === undefined) {
        problems.push(`${qualified(key)}: is required when ${qualified("githubSubjectFormat")} is "id"`);
      }
    }
  }
  let backend: StateBackendConfig | undefined;
  if ((v.stateBucket === undefined) === (v.pulumiOrganization === undefined)) {
    problems.push(
      `${qualified("stateBucket")} or ${qualified("pulumiOrganization")}: set exactly one: the S3 bucket of a ` +
        "self-managed backend, or the Pulumi Cloud organization",
    );
  } else if (v.stateBucket !== undefined) {
    if (v.appStateKmsKeyArn !== undefined && v.appStateKmsKeyArn === v.adminStateKmsKeyArn) {
      problems.push(
        `${qualified("adminStateKmsKeyArn")}: the admin stack needs a key of its own, not the app stacks' ` +
          `(${qualified("appStateKmsKeyArn")}), or every pipeline role could decrypt its secrets`,
      );
    }
    backend = {
      kind: "s3",
      bucket: v.stateBucket,
      ...(v.appStateKmsKeyArn === undefined ? {} : { appKeyArn: v.appStateKmsKeyArn }),
      ...(v.adminStateKmsKeyArn === undefined ? {} : { adminKeyArn: v.adminStateKmsKeyArn }),
    };
  } else {
    for (const key of ["appStateKmsKeyArn", "adminStateKmsKeyArn"] as const) {
      if (v[key] !== undefined) {
        problems.push(
          `${qualified(key)}: only with ${qualified("stateBucket")}; Pulumi Cloud encrypts the state itself`,
        );
      }
    }
    backend = { kind: "cloud", organization: v.pulumiOrganization! };
  }

  let github: AdminStackConfig["github"];
  if (secrets.githubToken !== undefined) {
    if (v.githubReviewers === undefined || v.githubReviewers.length === 0) {
      problems.push(
        `${qualified("githubReviewers")}: the production environment needs required reviewers: ` +
          "a list of numeric GitHub user ids",
      );
    }
    github = {
      token: secrets.githubToken,
      reviewers: v.githubReviewers ?? [],
      secrets: {
        ASK_LWA_CLIENT_ID: secrets.askClientId,
        ASK_LWA_CLIENT_SECRET: secrets.askClientSecret,
        ASK_REFRESH_TOKEN: secrets.askRefreshToken,
      },
    };
  } else {
    for (const key of ["askClientId", "askClientSecret", "askRefreshToken"] as const) {
      if (secrets[key] !== undefined) {
        problems.push(
          `${qualified(key)}: is written to the repository only with ${qualified("githubToken")}; set it or remove ${qualified(key)}`,
        );
      }
    }
  }
  if (problems.length > 0 || backend === undefined) throw new StackConfigError(problems);

  const [owner = "", name = ""] = v.githubRepository.split("/");
  const organization = backend.kind === "cloud" ? backend.organization : "organization";
  const project = raw.project ?? projectName;
  return {
    project,
    stage: "admin",
    stackName: raw.stackName,
    prefix: `${project}-pipeline`,
    source: {
      owner,
      name,
      subjectFormat,
      ...(v.githubOwnerId === undefined ? {} : { ownerId: v.githubOwnerId }),
      ...(v.githubRepositoryId === undefined ? {} : { repositoryId: v.githubRepositoryId }),
    },
    ...(v.oidcProviderArn === undefined ? {} : { oidcProviderArn: v.oidcProviderArn }),
    backend,
    // A self-managed backend names every stack "organization/<project>/<stack>"; Pulumi Cloud, the organization's.
    stacks: {
      dev: v.devStack ?? `${organization}/${project}/dev`,
      prod: v.prodStack ?? `${organization}/${project}/prod`,
    },
    ...(github === undefined ? {} : { github }),
  };
}

/** Reads the admin stack's configuration (plain keys, secret keys as secret outputs) and validates it. */
export function loadAdminConfig(raw: RawStackConfig): AdminStackConfig {
  const config = new pulumi.Config(projectName);
  const secrets: RawAdminConfig["secrets"] = {};
  for (const key of adminSecretKeys) {
    const value = config.getSecret(key);
    if (value !== undefined) secrets[key] = value;
  }
  return parseAdminConfig({ ...raw, secrets });
}
