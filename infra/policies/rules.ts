/**
 * The CrossGuard policies of the project, as plain objects: `infra/policies/index.ts` packs them for
 * `pulumi preview --policy-pack infra/policies`, and tests call `validateResource` on mocked resources.
 * Values still unknown during a preview (computed from other resources) are skipped, not guessed.
 */
import type { ResourceValidationArgs, ResourceValidationPolicy, ReportViolation } from "@pulumi/policy";

/** A policy with one validation over the plain `{ type, props }` of a resource. */
export type SkillshipPolicy = Omit<ResourceValidationPolicy, "validateResource"> & {
  validateResource: (args: Pick<ResourceValidationArgs, "type" | "props">, report: ReportViolation) => void;
};

const types = {
  bucketPublicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
  lambdaFunction: "aws:lambda/function:Function",
  lambdaPermission: "aws:lambda/permission:Permission",
  role: "aws:iam/role:Role",
} as const;

const alexaPrincipals = ["alexa-appkit.amazon.com", "alexa-connectedhome.amazon.com"];
const githubIssuerHost = "token.actions.githubusercontent.com";

interface Statement {
  Effect?: string;
  Principal?: unknown;
  Action?: string | string[];
  Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

/** A policy document given as JSON text or an object; undefined when unknown (preview) or not a document. */
function statementsOf(policy: unknown): Statement[] | undefined {
  let value = policy;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (value === null || typeof value !== "object") return undefined;
  const statement = (value as { Statement?: unknown }).Statement;
  if (statement === undefined) return undefined;
  return (Array.isArray(statement) ? statement : [statement]) as Statement[];
}

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

/** The media bucket (every bucket here) can never be made public: all four public-access blocks on. */
export const bucketPublicAccessBlocked: SkillshipPolicy = {
  name: "s3-public-access-fully-blocked",
  description: "Every S3 public access block sets all four settings to true.",
  enforcementLevel: "mandatory",
  validateResource: ({ type, props }, report) => {
    if (type !== types.bucketPublicAccessBlock) return;
    for (const key of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]) {
      if (props[key] !== true) report(`${key} must be true (got ${JSON.stringify(props[key])})`);
    }
  },
};

/** Every bucket policy refuses requests that are not made over TLS. */
export const bucketPolicyTlsOnly: SkillshipPolicy = {
  name: "s3-bucket-policy-tls-only",
  description: 'Every bucket policy denies s3:* when "aws:SecureTransport" is false.',
  enforcementLevel: "mandatory",
  validateResource: ({ type, props }, report) => {
    if (type !== types.bucketPolicy) return;
    const statements = statementsOf(props.policy);
    if (statements === undefined) return;
    const deniesPlainHttp = statements.some((statement) => {
      const secure = statement.Condition?.Bool?.["aws:SecureTransport"];
      return (
        statement.Effect === "Deny" &&
        asList(statement.Action).some((action) => action === "s3:*") &&
        (secure === "false" || secure === false)
      );
    });
    if (!deniesPlainHttp) report('the bucket policy must deny "s3:*" when "aws:SecureTransport" is "false"');
  },
};

/** Lambda functions run the runtime the bundle is built for. */
export const lambdaRuntime: SkillshipPolicy = {
  name: "lambda-runtime-nodejs22",
  description: "Lambda functions use the nodejs22.x runtime.",
  enforcementLevel: "mandatory",
  validateResource: ({ type, props }, report) => {
    if (type !== types.lambdaFunction) return;
    if (props.runtime !== "nodejs22.x")
      report(`runtime must be nodejs22.x (got ${JSON.stringify(props.runtime)})`);
  },
};

/** An Alexa invoke permission without `eventSourceToken` would let any skill invoke the function. */
export const alexaPermissionBound: SkillshipPolicy = {
  name: "alexa-permission-bound-to-skill",
  description: "Alexa invoke permissions carry the skill id as eventSourceToken.",
  enforcementLevel: "mandatory",
  validateResource: ({ type, props }, report) => {
    if (type !== types.lambdaPermission || !alexaPrincipals.includes(props.principal)) return;
    const token = props.eventSourceToken;
    if (typeof token !== "string" || !/^amzn1\.ask\.skill\.[0-9a-f-]{36}$/.test(token)) {
      report(`the Alexa permission must set eventSourceToken to the skill id (got ${JSON.stringify(token)})`);
    }
  },
};

/** Roles trusted by GitHub's OIDC provider accept exact audience and subject claims only. */
export const oidcTrustExact: SkillshipPolicy = {
  name: "github-oidc-trust-exact-subject",
  description: "GitHub OIDC trust policies match aud and sub with StringEquals, without wildcards.",
  enforcementLevel: "mandatory",
  validateResource: ({ type, props }, report) => {
    if (type !== types.role) return;
    const statements = statementsOf(props.assumeRolePolicy);
    if (statements === undefined) return;
    for (const statement of statements) {
      const federated = (statement.Principal as { Federated?: unknown } | undefined)?.Federated;
      if (!asList(federated).some((arn) => typeof arn === "string" && arn.includes(githubIssuerHost)))
        continue;
      if (statement.Effect !== "Allow") continue;
      const conditions = statement.Condition ?? {};
      for (const operator of Object.keys(conditions)) {
        if (operator !== "StringEquals") {
          report(`GitHub trust must use StringEquals only (found ${operator}: a pattern could match a fork)`);
        }
      }
      const equals = conditions.StringEquals ?? {};
      const audience = asList(equals[`${githubIssuerHost}:aud`]);
      if (audience.length !== 1 || audience[0] !== "sts.amazonaws.com") {
        report(`GitHub trust must require ${githubIssuerHost}:aud = sts.amazonaws.com`);
      }
      const subjects = equals[`${githubIssuerHost}:sub`];
      if (subjects === undefined || asList(subjects).length === 0) {
        report(`GitHub trust must list the exact ${githubIssuerHost}:sub claims it accepts`);
      }
      for (const subject of subjects === undefined ? [] : asList(subjects)) {
        if (typeof subject !== "string" || /[*?]/.test(subject)) {
          report(`GitHub trust subject ${JSON.stringify(subject)} must be exact, without wildcards`);
        }
      }
    }
  },
};

/** Every policy of the pack, in the order CrossGuard reports them. */
export const policies: SkillshipPolicy[] = [
  bucketPublicAccessBlocked,
  bucketPolicyTlsOnly,
  lambdaRuntime,
  alexaPermissionBound,
  oidcTrustExact,
];
