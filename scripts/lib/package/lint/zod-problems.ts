/** Turns zod issues into lint problems that name the file, the JSON path and what is expected. */
import type { z } from "zod";
import { jsonPath, type PathStep, type Problem } from "./types";

/** One error per issue, located at the issue's path inside the file. */
export function fromZodIssues(issues: readonly z.core.$ZodIssue[], file: string, rule: string): Problem[] {
  return issues.map((issue) => ({
    severity: "error",
    rule,
    file,
    path: jsonPath(issue.path.filter((step): step is PathStep => typeof step !== "symbol")),
    message: describeIssue(issue),
  }));
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type" && issue.input === undefined) {
    return `is required (expected ${issue.expected})`;
  }
  if (issue.code === "invalid_type") {
    return `must be ${article(issue.expected)}, found ${describeValue(issue.input)}`;
  }
  return issue.message;
}

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `${typeof value} ${JSON.stringify(value)}`;
}
