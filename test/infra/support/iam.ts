/**
 * A small IAM policy evaluator for tests: explicit deny wins, otherwise an allow whose action, resource and
 * conditions match. It implements the operators our documents use (StringEquals, StringLike, Bool) with IAM's
 * semantics: every operator and key must match; a key matches when the request value equals any listed value.
 */
import type { PolicyDocument, PolicyStatement } from "../../../infra/iam/documents";

/** A request: the action, the resource ARN (if any), and the request context keys (claims, s3:prefix, …). */
export interface IamRequest {
  action: string;
  resource?: string;
  context?: Record<string, string>;
}

const list = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** IAM wildcard matching: `*` any run of characters, `?` one character; case-insensitive for actions only. */
function globMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${source}$`, ignoreCase ? "i" : "").test(value);
}

function conditionsMatch(statement: PolicyStatement, context: Record<string, string>): boolean {
  for (const [operator, keys] of Object.entries(statement.Condition ?? {})) {
    for (const [key, expected] of Object.entries(keys)) {
      const actual = context[key];
      if (actual === undefined) return false;
      const values = list(expected).map(String);
      const ok =
        operator === "StringEquals" || operator === "Bool"
          ? values.includes(actual)
          : operator === "StringLike"
            ? values.some((pattern) => globMatch(pattern, actual))
            : (() => {
                throw new Error(`the test evaluator does not know condition operator ${operator}`);
              })();
      if (!ok) return false;
    }
  }
  return true;
}

function statementMatches(statement: PolicyStatement, request: IamRequest): boolean {
  if (!list(statement.Action).some((action) => globMatch(action, request.action, true))) return false;
  if (statement.Resource !== undefined) {
    if (request.resource === undefined) return false;
    if (!list(statement.Resource).some((resource) => globMatch(resource, request.resource!))) return false;
  }
  return conditionsMatch(statement, request.context ?? {});
}

/** Whether the policy allows the request. */
export function isAllowed(policy: PolicyDocument, request: IamRequest): boolean {
  const matching = policy.Statement.filter((statement) => statementMatches(statement, request));
  if (matching.some((statement) => statement.Effect === "Deny")) return false;
  return matching.some((statement) => statement.Effect === "Allow");
}

/** Whether an explicit deny of the policy matches the request (a deny-only bucket policy refuses it). */
export function isDenied(policy: PolicyDocument, request: IamRequest): boolean {
  return policy.Statement.some(
    (statement) => statement.Effect === "Deny" && statementMatches(statement, request),
  );
}

/** The OIDC claims of a GitHub Actions token, as IAM sees them in a trust policy. */
export function githubClaims(sub: string, aud = "sts.amazonaws.com"): Record<string, string> {
  return {
    "token.actions.githubusercontent.com:sub": sub,
    "token.actions.githubusercontent.com:aud": aud,
  };
}

/** Whether a trust policy lets a GitHub token with these claims assume the role through `providerArn`. */
export function canAssumeWithToken(
  trust: PolicyDocument,
  providerArn: string,
  claims: Record<string, string>,
): boolean {
  const trusted = trust.Statement.filter((statement) => {
    const principal = statement.Principal;
    if (principal === undefined || principal === "*") return principal === "*";
    return list(principal.Federated).includes(providerArn);
  });
  return isAllowed(
    { Version: "2012-10-17", Statement: trusted },
    {
      action: "sts:AssumeRoleWithWebIdentity",
      context: claims,
    },
  );
}
