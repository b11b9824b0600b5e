/**
 * README.md and docs/*.md kept true to the code: every `skillship` line names a command and flags of the real
 * program (`buildProgram()`), every command and visible flag is in the CLI reference, every `npm` line names a
 * script of package.json, every relative link and anchor resolves, and the README stays a front page whose Quick
 * start is exactly the two commands CI relies on. Each check is also run on a broken example, so a check that
 * can no longer fail is noticed.
 */
import { Command, Option } from "commander";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, sep } from "node:path";
import { buildProgram } from "../../scripts/cli";
import { checkDocCommands, undocumented, type DocContext } from "./support/doc-commands";
import { brokenLinks, type PathLookup } from "./support/links";
import { codeBlocksUnder, githubSlugs, parseMarkdown, type MarkdownDoc } from "./support/markdown";

const root = join(__dirname, "..", "..");
const scripts = (
  JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }
).scripts;
const docFiles = [
  "README.md",
  ...readdirSync(join(root, "docs"))
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => join("docs", name)),
];

/** The Quick start commands, in order: `.ci/run` and the workflows run the second one as it is written. */
const QUICK_START = ["npm ci && npm start", "npm test"];
const README_MAX_LINES = 200;
/** Prettier pads a table's rows to its widest cell; past this width a table no longer reads in an editor. */
const TABLE_MAX_WIDTH = 120;

const context = (): DocContext => ({ scripts, program: buildProgram() });
const read = (file: string): Promise<MarkdownDoc> =>
  parseMarkdown(join(root, file), readFileSync(join(root, file), "utf8"));
/** A problem with the repository's absolute paths made relative, as a reader names the files. */
const shorten = (problem: string): string => problem.split(`${root}${sep}`).join("");

/** The README's front-page rules: its length, and a Quick start of exactly the two commands. */
function readmeProblems(readme: MarkdownDoc): string[] {
  const problems: string[] = [];
  if (readme.lineCount > README_MAX_LINES) {
    problems.push(
      `README has ${readme.lineCount} lines, more than ${README_MAX_LINES}: move reference to docs/`,
    );
  }
  const blocks = codeBlocksUnder(readme, "Quick start");
  if (blocks === undefined) return [...problems, 'README has no "Quick start" heading'];
  const commands = blocks.flatMap((block) =>
    block.value
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line !== "" && !line.startsWith("#")),
  );
  if (JSON.stringify(commands) !== JSON.stringify(QUICK_START)) {
    problems.push(`Quick start runs ${JSON.stringify(commands)}, not exactly ${JSON.stringify(QUICK_START)}`);
  }
  return problems;
}

/** Table lines wider than {@link TABLE_MAX_WIDTH}, outside code blocks. */
function wideTableLines(file: string, text: string): string[] {
  let fenced = false;
  return text.split("\n").flatMap((line, i) => {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    return !fenced && line.trimStart().startsWith("|") && line.length > TABLE_MAX_WIDTH
      ? [`${file}:${i + 1}: a table line of ${line.length} characters: shorten the cells or use a list`]
      : [];
  });
}

/** A lookup over the file system, with the anchors of every Markdown file among `docs` or linked from them. */
async function fileLookup(docs: readonly MarkdownDoc[]): Promise<PathLookup> {
  const anchors = new Map<string, ReadonlySet<string>>();
  for (const doc of docs) anchors.set(doc.file, new Set(doc.headings.map((h) => h.slug)));
  const targets = docs.flatMap((doc) =>
    doc.links.map((link) => join(doc.file, "..", decodeURIComponent(link.value.split("#")[0]!))),
  );
  for (const target of targets) {
    if (anchors.has(target) || !target.endsWith(".md") || !existsSync(target)) continue;
    const doc = await parseMarkdown(target, readFileSync(target, "utf8"));
    anchors.set(target, new Set(doc.headings.map((h) => h.slug)));
  }
  return (path) => ({
    exists: existsSync(path) && (statSync(path).isFile() || statSync(path).isDirectory()),
    anchors: anchors.get(path),
  });
}

describe("README.md and docs/", () => {
  let docs: MarkdownDoc[];
  beforeAll(async () => {
    docs = await Promise.all(docFiles.map(read));
  });

  it("name only commands and flags of the skillship program, and only scripts of package.json", () => {
    expect(checkDocCommands(docs, context()).problems.map(shorten)).toEqual([]);
  });

  it("document every command and every visible flag in docs/cli.md", () => {
    const reference = docs.filter((doc) => doc.file === join(root, "docs", "cli.md"));
    expect(reference).toHaveLength(1);
    const { usages } = checkDocCommands(reference, context());
    expect(undocumented(buildProgram(), usages)).toEqual([]);
  });

  it("link only to files and headings that exist", async () => {
    const lookup = await fileLookup(docs);
    expect(docs.flatMap((doc) => brokenLinks(doc, lookup)).map(shorten)).toEqual([]);
  });

  it("keep the README a front page whose Quick start is exactly the two commands", () => {
    const readme = docs.find((doc) => doc.file === join(root, "README.md"))!;
    expect(readmeProblems(readme)).toEqual([]);
    expect(readFileSync(join(root, ".ci", "run"), "utf8")).toMatch(new RegExp(`^${QUICK_START[1]}$`, "m"));
  });

  it("keep every table line readable in an editor", () => {
    expect(docFiles.flatMap((file) => wideTableLines(file, readFileSync(join(root, file), "utf8")))).toEqual(
      [],
    );
  });
});

describe("the docs checks", () => {
  const doc = (text: string, file = "/repo/docs/example.md"): Promise<MarkdownDoc> =>
    parseMarkdown(file, text);

  it("report an unknown command, flag, value or script, and a command block not marked sh", async () => {
    const { problems } = checkDocCommands(
      [
        await doc(
          [
            "Run `skillship relase` or `npx skillship lint --fix`.",
            "",
            "```sh",
            "npm start -- --tunel",
            "npx skillship diff --format html --outputs outputs.json",
            "npm run deploy",
            "npm bench",
            "skillship say",
            "```",
            "",
            "```",
            "npx skillship status --outputs o.json",
            "```",
          ].join("\n"),
        ),
      ],
      context(),
    );
    expect(problems).toEqual([
      expect.stringContaining("`skillship dev` has no option --tunel"),
      expect.stringContaining("--format html is refused by `skillship diff`"),
      expect.stringContaining('package.json has no script "deploy"'),
      expect.stringContaining('"npm bench" is neither an npm command (ci, install, pack) nor a script'),
      expect.stringContaining("`skillship say` needs 1 argument(s), got 0"),
      expect.stringContaining("a code block with commands must be marked sh"),
      expect.stringContaining('"relase" is not a command of skillship'),
      expect.stringContaining("`skillship lint` has no option --fix"),
    ]);
  });

  it("accept optional brackets, placeholders, prose references and npm scripts that are the CLI", async () => {
    const { problems, usages } = checkDocCommands(
      [
        await doc(
          [
            "The `skillship` CLI: `skillship say`, `npx skillship COMMAND`, `npm run NAME`, `npx skillship --help`.",
            "",
            "```sh",
            "skillship diff --outputs FILE [--stage STAGE] [--format FORMAT] \\",
            "  [--json]",
            'npm run say -- "open joke box" --locale de-DE',
            "npm ci && npm test && npm run --silent skillship -- release watch --timeout 5m | tee log",
            "```",
          ].join("\n"),
        ),
      ],
      context(),
    );
    expect(problems).toEqual([]);
    expect(usages).toEqual(
      expect.arrayContaining([
        { path: "diff", flags: ["--outputs", "--stage", "--format", "--json"] },
        { path: "say", flags: ["--locale"] },
        { path: "release watch", flags: ["--timeout"] },
      ]),
    );
  });

  it("report a command or a flag the CLI reference leaves out, but not a hidden one", () => {
    const program = new Command("skillship");
    program.command("lint").option("--package <dir>").option("--json");
    const release = program.command("release").option("--dry-run");
    release.addOption(new Option("--poll-interval <duration>").hideHelp());
    release.command("watch");
    expect(
      undocumented(program, [
        { path: "lint", flags: ["--package"] },
        { path: "release", flags: [] },
      ]),
    ).toEqual([
      "flag --json of `skillship lint`",
      "flag --dry-run of `skillship release`",
      "command `skillship release watch`",
    ]);
  });

  it("report a link to a file or heading that does not exist", async () => {
    const example = await doc(
      "# Title\n\n## Second part\n\n[a](#second-part) [b](#third-part) [c](cli.md#nowhere) [d](gone.md) " +
        "[e](../README.md) [f](https://example.com/x#y) [g](../skill/)",
    );
    const files: Record<string, ReadonlySet<string> | undefined> = {
      "/repo/docs/example.md": new Set(example.headings.map((h) => h.slug)),
      "/repo/docs/cli.md": new Set(["skillship-lint"]),
      "/repo/README.md": new Set(),
      "/repo/skill": undefined,
    };
    const lookup: PathLookup = (path) => ({ exists: path in files, anchors: files[path] });
    expect(brokenLinks(example, lookup)).toEqual([
      expect.stringContaining(
        "link #third-part: no heading of /repo/docs/example.md has the anchor #third-part",
      ),
      expect.stringContaining("link cli.md#nowhere: no heading of /repo/docs/cli.md has the anchor #nowhere"),
      expect.stringContaining("link gone.md: /repo/docs/gone.md does not exist"),
    ]);
  });

  it("report a README that grows too long or whose Quick start is not exactly the two commands", async () => {
    const quickStart =
      "# X\n\n## Quick start\n\n```sh\nnpm ci && npm start\n```\n\n```sh\nnpm test\n```\n\n## Next\n";
    expect(readmeProblems(await doc(quickStart, "/repo/README.md"))).toEqual([]);
    expect(readmeProblems(await doc(quickStart + "line\n".repeat(200), "/repo/README.md"))).toEqual([
      expect.stringContaining("more than 200"),
    ]);
    const third = quickStart.replace("npm test\n", "npm test\nnpm run say -- hi\n");
    expect(readmeProblems(await doc(third, "/repo/README.md"))).toEqual([
      expect.stringContaining("not exactly"),
    ]);
    expect(readmeProblems(await doc("# X\n", "/repo/README.md"))).toEqual([
      expect.stringContaining('no "Quick start"'),
    ]);
  });

  it("report a table line too wide to read, but not a wide line of code", () => {
    const wide = `| ${"x".repeat(TABLE_MAX_WIDTH)} |`;
    expect(wideTableLines("a.md", `text\n${wide}\n`)).toEqual([expect.stringContaining("a.md:2")]);
    expect(wideTableLines("a.md", `\`\`\`\n${wide}\n\`\`\`\n`)).toEqual([]);
  });

  it("give headings GitHub's anchors", () => {
    expect(
      githubSlugs([
        "`skillship release watch`",
        "3. The refresh token",
        "Reaching Alexa: `--tunnel`",
        "Lint",
        "Lint",
      ]),
    ).toEqual([
      "skillship-release-watch",
      "3-the-refresh-token",
      "reaching-alexa---tunnel",
      "lint",
      "lint-1",
    ]);
  });
});
