/**
 * How a package diff reads: a plain summary and patches for people (`text`), a table and folded patches for a pull
 * request comment or a job summary (`markdown`, kept under GitHub's size limit), or the diff itself (`json`).
 */
import type { Change, ChangeKind, PackageDiff } from "./diff";

/** Output formats of {@link formatDiff}. */
export type DiffFormat = "text" | "markdown" | "json";

interface Part {
  name: string;
  change: Change;
}

function parts(diff: PackageDiff): Part[] {
  return [
    { name: "manifest", change: diff.manifest },
    ...Object.entries(diff.locales).map(([locale, change]) => ({ name: locale, change })),
    ...(diff.accountLinking === undefined ? [] : [{ name: "account linking", change: diff.accountLinking }]),
  ];
}

const kindWords: Record<ChangeKind, string> = {
  unchanged: "unchanged",
  changed: "changed",
  added: "new (not on the stage yet)",
  removed: "only on the stage",
};

/** GitHub refuses comments over 65,536 characters; the markdown form stays under this by shortening patches. */
export const MARKDOWN_LIMIT = 60_000;

/**
 * Renders a diff for people (`text`), a pull request (`markdown`, at most `maxChars` characters: long patches
 * are cut with a note saying how to see them whole) or machines (`json`).
 */
export function formatDiff(
  diff: PackageDiff,
  format: DiffFormat,
  options: { maxChars?: number } = {},
): string {
  if (format === "json") {
    return `${JSON.stringify(diff, null, 2)}\n`;
  }
  if (format === "text") {
    return text(diff);
  }
  const limit = options.maxChars ?? MARKDOWN_LIMIT;
  let rendered = markdown(diff, Number.POSITIVE_INFINITY);
  // Halve the lines shown per patch until the comment fits; the table always shows every part.
  for (let maxLines = 400; rendered.length > limit && maxLines >= 1; maxLines = Math.floor(maxLines / 2)) {
    rendered = markdown(diff, maxLines);
  }
  return rendered;
}

function cut(patch: string, maxLines: number): string {
  const lines = patch.trimEnd().split("\n");
  if (lines.length <= maxLines) {
    return lines.join("\n");
  }
  return `${lines.slice(0, maxLines).join("\n")}\n… ${lines.length - maxLines} more lines (run \`skillship diff\` to see them all)`;
}

function counts(change: Change): string {
  return change.kind === "unchanged" ? "" : `+${change.additions} −${change.deletions}`;
}

function text(diff: PackageDiff): string {
  if (diff.identical) {
    return `The skill package is identical to the ${diff.stage} stage (endpoints excluded).\n`;
  }
  const lines = [`The skill package differs from the ${diff.stage} stage (endpoints excluded):`];
  const all = parts(diff);
  const width = Math.max(...all.map((part) => part.name.length));
  for (const part of all) {
    lines.push(
      `  ${part.name.padEnd(width)}  ${kindWords[part.change.kind]} ${counts(part.change)}`.trimEnd(),
    );
  }
  lines.push("");
  for (const part of all) {
    if (part.change.patch !== "") {
      lines.push(part.change.patch.trimEnd(), "");
    }
  }
  return `${lines.join("\n")}\n`;
}

function markdown(diff: PackageDiff, maxLines: number): string {
  const lines = [`### Skill package against the ${diff.stage} stage`, ""];
  if (diff.identical) {
    lines.push(
      "No difference: the manifest (endpoints excluded) and every locale's interaction model match" +
        (diff.accountLinking === undefined ? "." : ", and so does account linking."),
    );
    return `${lines.join("\n")}\n`;
  }
  lines.push("| part | change | lines |", "| --- | --- | --- |");
  for (const part of parts(diff)) {
    lines.push(`| ${part.name} | ${kindWords[part.change.kind]} | ${counts(part.change)} |`);
  }
  lines.push("");
  for (const part of parts(diff)) {
    if (part.change.patch === "") continue;
    // A longer fence than any backtick run in the patch keeps the block intact whatever the model contains.
    const patch = cut(part.change.patch, maxLines);
    const fence = "`".repeat(Math.max(3, longestBacktickRun(patch) + 1));
    lines.push(
      "<details>",
      `<summary>${part.name}: ${kindWords[part.change.kind]}, ${counts(part.change)}</summary>`,
      "",
      `${fence}diff`,
      patch,
      fence,
      "",
      "</details>",
      "",
    );
  }
  return `${lines.join("\n")}\n`;
}

function longestBacktickRun(text: string): number {
  return Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
}
