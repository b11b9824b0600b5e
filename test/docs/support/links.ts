/**
 * Relative links of the docs: `[text](path)`, `[text](path#anchor)` and `[text](#anchor)` must point at a file or
 * folder that exists, and an anchor at a heading of the Markdown file it names (GitHub's anchors).
 */
import { dirname, resolve } from "node:path";
import type { MarkdownDoc } from "./markdown";

/** What a link check needs to know about a path: whether it exists and, for Markdown, its heading anchors. */
export type PathLookup = (absolutePath: string) => { exists: boolean; anchors?: ReadonlySet<string> };

const EXTERNAL = /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i;

/** Every relative link of `doc` that resolves to nothing, as `file:line: problem`. */
export function brokenLinks(doc: MarkdownDoc, lookup: PathLookup): string[] {
  const problems: string[] = [];
  for (const link of doc.links) {
    if (link.value === "" || EXTERNAL.test(link.value)) continue;
    const hash = link.value.indexOf("#");
    const pathPart = decodeURIComponent(hash < 0 ? link.value : link.value.slice(0, hash));
    const anchor = hash < 0 ? undefined : decodeURIComponent(link.value.slice(hash + 1));
    const target = pathPart === "" ? doc.file : resolve(dirname(doc.file), pathPart);
    const where = `${doc.file}:${link.line}: link ${link.value}`;
    const found = lookup(target);
    if (!found.exists) {
      problems.push(`${where}: ${target} does not exist`);
      continue;
    }
    if (anchor === undefined) continue;
    if (found.anchors === undefined) {
      problems.push(`${where}: an anchor can only point into a Markdown file`);
    } else if (!found.anchors.has(anchor)) {
      problems.push(
        `${where}: no heading of ${target} has the anchor #${anchor} (anchors: ${[...found.anchors].join(", ")})`,
      );
    }
  }
  return problems;
}
