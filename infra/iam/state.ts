/**
 * The pipeline roles' access to the Pulumi state backend (an S3 bucket with Pulumi's project-scoped layout):
 * which stacks' files a role reads or writes, which key it may use, and the administrator-only stack it is denied.
 */
import type { AccountContext, PolicyStatement } from "./documents";

/**
 * The Pulumi state backend the roles work with: an S3 bucket, the KMS key of the app stacks' `awskms://` secrets
 * provider, and the administrator-only stack whose state and key every role is denied. Undefined for Pulumi Cloud,
 * where access to stacks is a matter of Pulumi Cloud's own teams.
 */
export interface StateBackend {
  bucket: string;
  /** The key of the app stacks (dev, prod): they hold no secrets, but Pulumi decrypts their data key on start. */
  kmsKeyArn?: string;
  /** The administrator-only stack's name and, when known, its key. */
  adminStack: string;
  adminKmsKeyArn?: string;
}

/** Where the S3 backend keeps one stack's files (Pulumi's project-scoped layout, `.pulumi/…`). */
export function stackStatePaths(
  bucketArn: string,
  project: string,
  stack: string,
): { state: string[]; history: string; backups: string; locks: string } {
  return {
    // The checkpoint (and its .gz, .bak), and the stack's tags.
    state: [
      `${bucketArn}/.pulumi/stacks/${project}/${stack}.json*`,
      `${bucketArn}/.pulumi/stacks/${project}/${stack}.pulumi-tags`,
    ],
    history: `${bucketArn}/.pulumi/history/${project}/${stack}/*`,
    backups: `${bucketArn}/.pulumi/backups/${project}/${stack}/*`,
    // Locks are named by the stack's fully qualified name, whose organization is "organization" in this backend.
    locks: `${bucketArn}/.pulumi/locks/organization/${project}/${stack}/*`,
  };
}

/**
 * State backend access: read the backend's metadata and the named app stacks' checkpoints, write the files of
 * `writableStacks` (a `pulumi preview` takes no lock, so a read-only role writes nothing), use the app stacks' key;
 * and, whatever else a role is ever given, never touch the administrator-only stack's files or key.
 */
export function stateBackendStatements(
  ctx: AccountContext,
  backend: StateBackend | undefined,
  project: string,
  stacks: { read: string[]; write: string[] },
): PolicyStatement[] {
  if (backend === undefined) return [];
  const bucketArn = `arn:${ctx.partition}:s3:::${backend.bucket}`;
  const readable = [...new Set([...stacks.read, ...stacks.write])];
  const statements: PolicyStatement[] = [
    { Sid: "ListState", Effect: "Allow", Action: "s3:ListBucket", Resource: bucketArn },
    {
      Sid: "ReadState",
      Effect: "Allow",
      Action: "s3:GetObject",
      Resource: [
        `${bucketArn}/.pulumi/meta.yaml`,
        ...readable.flatMap((stack) => stackStatePaths(bucketArn, project, stack).state),
      ],
    },
  ];
  if (stacks.write.length > 0) {
    statements.push({
      Sid: "WriteState",
      Effect: "Allow",
      Action: ["s3:PutObject", "s3:DeleteObject"],
      Resource: stacks.write.flatMap((stack) => {
        const paths = stackStatePaths(bucketArn, project, stack);
        return [...paths.state, paths.history, paths.backups, paths.locks];
      }),
    });
  }
  if (backend.kmsKeyArn !== undefined) {
    statements.push({
      Sid: "StateSecrets",
      Effect: "Allow",
      Action:
        stacks.write.length === 0 ? ["kms:Decrypt"] : ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
      Resource: backend.kmsKeyArn,
    });
  }
  const admin = stackStatePaths(bucketArn, project, backend.adminStack);
  statements.push({
    Sid: "DenyAdminState",
    Effect: "Deny",
    Action: "s3:*",
    Resource: [...admin.state, admin.history, admin.backups, admin.locks],
  });
  if (backend.adminKmsKeyArn !== undefined) {
    statements.push({
      Sid: "DenyAdminKey",
      Effect: "Deny",
      Action: "kms:*",
      Resource: backend.adminKmsKeyArn,
    });
  }
  return statements;
}
