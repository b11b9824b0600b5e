/**
 * Reads a Markdown file the way the docs test needs it: headings (with the anchors GitHub gives them), fenced code
 * blocks, code spans and link targets, each with its line. Parsed by Prettier's own Markdown parser, the one that
 * formats these files in `npm run lint`, so what counts as a code span or a link here is what it is there.
 */
import { parsers } from "prettier/plugins/markdown";
import type { ParserOptions } from "prettier";

/** A heading and the anchor GitHub gives it. */
export interface Heading {
  readonly depth: number;
  readonly text: string;
  readonly slug: string;
  readonly line: number;
}

/** A fenced (or indented) code block. */
export interface CodeBlock {
  readonly lang?: string;
  readonly value: string;
  readonly line: number;
}

/** A code span or a link target, with its line. */
export interface Located {
  readonly value: string;
  readonly line: number;
}

/** What the docs test reads from one Markdown file. */
export interface MarkdownDoc {
  /** The path as given (absolute for the repository's files). */
  readonly file: string;
  readonly lineCount: number;
  readonly headings: Heading[];
  readonly codeBlocks: CodeBlock[];
  readonly codeSpans: Located[];
  readonly links: Located[];
}

interface MdNode {
  type: string;
  value?: string;
  url?: string;
  lang?: string | null;
  depth?: number;
  children?: MdNode[];
  position?: { start: { line: number } };
}

/** Parses Markdown text; `file` only labels it. */
export async function parseMarkdown(file: string, text: string): Promise<MarkdownDoc> {
  const root = (await parsers.markdown.parse(text, {} as ParserOptions)) as MdNode;
  const headings: { depth: number; text: string; line: number }[] = [];
  const codeBlocks: CodeBlock[] = [];
  const codeSpans: Located[] = [];
  const links: Located[] = [];
  const visit = (node: MdNode): void => {
    const line = node.position?.start.line ?? 0;
    switch (node.type) {
      case "heading":
        headings.push({ depth: node.depth ?? 0, text: plainText(node), line });
        break;
      case "code":
        codeBlocks.push({ lang: node.lang ?? undefined, value: node.value ?? "", line });
        return;
      case "inlineCode":
        codeSpans.push({ value: node.value ?? "", line });
        return;
      case "link":
      case "image":
      case "definition":
        links.push({ value: node.url ?? "", line });
        break;
    }
    node.children?.forEach(visit);
  };
  visit(root);
  const slugs = githubSlugs(headings.map((heading) => heading.text));
  return {
    file,
    lineCount: text.endsWith("\n") ? text.split("\n").length - 1 : text.split("\n").length,
    headings: headings.map((heading, i) => ({ ...heading, slug: slugs[i]! })),
    codeBlocks,
    codeSpans,
    links,
  };
}

/** The text a reader sees in a node: markup dropped, code spans kept without their backticks. */
function plainText(node: MdNode): string {
  if (node.type === "text" || node.type === "inlineCode") return node.value ?? "";
  return (node.children ?? []).map(plainText).join("");
}

/**
 * The anchor GitHub gives a heading: lower case, punctuation and symbols dropped (hyphens and underscores kept),
 * each space a hyphen. Written here because the rule is two lines and github-slugger is not among our packages.
 */
export function slugOf(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
    .replace(/ /g, "-");
}

/** The anchors of a file's headings in order: a repeated slug gets `-1`, `-2`, … as on GitHub. */
export function githubSlugs(texts: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return texts.map((text) => {
    const base = slugOf(text);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    return count === 0 ? base : `${base}-${count}`;
  });
}

/** The code blocks between a heading and the next heading of the same or a higher level. */
export function codeBlocksUnder(doc: MarkdownDoc, headingText: string): CodeBlock[] | undefined {
  const index = doc.headings.findIndex((heading) => heading.text === headingText);
  if (index < 0) return undefined;
  const heading = doc.headings[index]!;
  const next = doc.headings.slice(index + 1).find((other) => other.depth <= heading.depth);
  const end = next?.line ?? Number.POSITIVE_INFINITY;
  return doc.codeBlocks.filter((block) => block.line > heading.line && block.line < end);
}
