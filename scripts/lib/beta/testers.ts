/**
 * Who tests the beta: the project's list of tester e-mail addresses (`beta-testers.json` beside the project file),
 * opt-in (no file, no beta test). Read here and nowhere else. Addresses are
 * personal data: every message shows them masked (`j***@example.com`), never in full.
 */
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { ConfigError } from "../core/errors";

/** The beta testers as configured. */
export interface BetaTestersConfig {
  /** The file they were read from. */
  file: string;
  /** Every address, as written, without duplicates (compared case-insensitively). */
  testers: string[];
  /** Where testers' feedback goes, when set. */
  feedbackEmail?: string;
}

// Deliberately simple: Alexa checks the address itself; this catches what is plainly not one.
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

const schema = z.object({
  testers: z.array(z.string()),
  feedbackEmail: z.string().optional(),
});

/** `j***@example.com`: the first character of the local part and the domain; `***` for what is no address. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  if (at <= 0) return "***";
  return `${email.charAt(0)}***${email.slice(at)}`;
}

/**
 * Reads the testers' file. Throws a {@link ConfigError} naming the file when it is missing (beta testing is
 * opt-in: the file turns it on), and every problem at once otherwise, each by its JSON path, addresses masked.
 */
export async function readBetaTesters(file: string): Promise<BetaTestersConfig> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new ConfigError(
      (error as NodeJS.ErrnoException).code === "ENOENT"
        ? `${file} is missing: beta testing is opt-in; list the testers' e-mail addresses there ` +
            `({ "testers": ["…"] }) to turn it on`
        : `${file} cannot be read: ${(error as Error).message}`,
      { cause: error, resource: file },
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${file} is not valid JSON: ${(error as Error).message}`, {
      cause: error,
      resource: file,
    });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      `${file}: ${parsed.error.issues
        .map(
          (issue) =>
            `$${issue.path.map((step) => (typeof step === "number" ? `[${step}]` : `.${String(step)}`)).join("")} ${issue.message}`,
        )
        .join("; ")} (expected { "testers": ["name@example.com", …], "feedbackEmail"?: "…" })`,
      { resource: file },
    );
  }
  const problems: string[] = [];
  const seen = new Map<string, number>();
  const testers: string[] = [];
  parsed.data.testers.forEach((entry, i) => {
    const email = entry.trim();
    if (!EMAIL.test(email)) {
      problems.push(`$.testers[${i}] (${maskEmail(email)}) is not an e-mail address`);
      return;
    }
    const first = seen.get(email.toLowerCase());
    if (first !== undefined) {
      problems.push(`$.testers[${i}] repeats $.testers[${first}] (${maskEmail(email)})`);
      return;
    }
    seen.set(email.toLowerCase(), i);
    testers.push(email);
  });
  const feedbackEmail = parsed.data.feedbackEmail?.trim();
  if (feedbackEmail !== undefined && !EMAIL.test(feedbackEmail)) {
    problems.push(`$.feedbackEmail (${maskEmail(feedbackEmail)}) is not an e-mail address`);
  }
  if (problems.length > 0) {
    throw new ConfigError(`${file}: ${problems.join("; ")}`, { resource: file });
  }
  return { file, testers, ...(feedbackEmail === undefined ? {} : { feedbackEmail }) };
}
