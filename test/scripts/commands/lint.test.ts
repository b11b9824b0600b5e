/* eslint-disable @typescript-eslint/no-explicit-any -- the tests edit parsed JSON freely */
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "../../../scripts/cli";

let workdir: string;
let stdout: string;
let stderr: string;

beforeAll(async () => {
  workdir = await mkdtemp(join(tmpdir(), "skillship-lint-cmd-"));
});
afterAll(async () => {
  await rm(workdir, { recursive: true, force: true });
});
beforeEach(() => {
  stdout = "";
  stderr = "";
  jest.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  jest.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
});
afterEach(() => {
  jest.restoreAllMocks();
});

/** A copy of the real package whose skill.json and en-US model are edited. */
async function copyWith(edit: { manifest?: (m: any) => void; enUS?: (m: any) => void }): Promise<string> {
  const root = await mkdtemp(join(workdir, "pkg-"));
  await cp("skill-package", root, { recursive: true });
  const files: [string, ((value: any) => void) | undefined][] = [
    ["skill.json", edit.manifest],
    [join("interactionModels", "custom", "en-US.json"), edit.enUS],
  ];
  for (const [path, change] of files) {
    if (!change) continue;
    const value = JSON.parse(await readFile(join(root, path), "utf8"));
    change(value);
    await writeFile(join(root, path), JSON.stringify(value));
  }
  return root;
}

describe("skillship lint", () => {
  it("passes on the repository's package and handlers", async () => {
    expect(await run(["lint"])).toBe(0);
    expect(stdout).toBe("Skill package OK: no problems found.\n");
    expect(stderr).toBe("");
  });

  it("exits 1 on errors, listing each with file and JSON path, and prints warnings too", async () => {
    const root = await copyWith({
      manifest: (value) => {
        value.manifest.apis.custom.endpoint = { uri: "https://example.com/alexa" };
      },
      enUS: (value) => {
        value.interactionModel.languageModel.invocationName = "Joke Box";
      },
    });
    expect(await run(["lint", "--package", root])).toBe(1);
    expect(stdout).toContain(`${join(root, "skill.json")}\n  warning  $.manifest.apis.custom.endpoint  `);
    expect(stdout).toContain(
      `${join(root, "interactionModels", "custom", "en-US.json")}\n` +
        '  error    $.interactionModel.languageModel.invocationName  "Joke Box" must be all lowercase  (invocation-name)',
    );
    expect(stdout).toMatch(/1 error, 1 warning\n$/);
    expect(stderr).toBe(`skillship: ${root} has 1 error: fix them and run skillship lint again\n`);
  });

  it("exits 0 when there are warnings only", async () => {
    const root = await copyWith({
      enUS: (value) => {
        value.interactionModel.languageModel.intents[0].slots.push({ name: "extra", type: "AMAZON.NUMBER" });
      },
    });
    // Another locale lacking the slot would be an error; give every locale the same slot.
    for (const locale of ["de-DE", "en-GB", "es-ES", "fr-FR"]) {
      const file = join(root, "interactionModels", "custom", `${locale}.json`);
      const value = JSON.parse(await readFile(file, "utf8"));
      value.interactionModel.languageModel.intents[0].slots.push({ name: "extra", type: "AMAZON.NUMBER" });
      await writeFile(file, JSON.stringify(value));
    }
    expect(await run(["lint", "--package", root])).toBe(0);
    expect(stdout).toMatch(/0 errors, 5 warnings\n$/);
    expect(stderr).toBe("");
  });

  it("prints JSON for machines with --json", async () => {
    const root = await copyWith({
      enUS: (value) => {
        value.interactionModel.languageModel.intents[0].samples.push("play clip {count}");
      },
    });
    expect(await run(["lint", "--package", root, "--json"])).toBe(1);
    const report = JSON.parse(stdout);
    // One document, failure included: the report with the exit code and the error.
    expect(report).toEqual({
      exitCode: 1,
      error: { type: "OperationError", message: expect.stringContaining("has 1 error: fix them") },
      package: root,
      errors: 1,
      warnings: 0,
      off: [],
      skipped: [],
      problems: [
        {
          severity: "error",
          rule: "slots",
          file: join(root, "interactionModels", "custom", "en-US.json"),
          path: expect.stringMatching(/^\$\.interactionModel\.languageModel\.intents\[0\]\.samples\[\d+\]$/),
          message: expect.stringContaining("uses slot {count}"),
        },
      ],
    });
  });

  it("exits 2 naming the file when the package cannot be read", async () => {
    const missing = join(workdir, "no-such-package");
    expect(await run(["lint", "--package", missing])).toBe(2);
    expect(stderr).toContain(`${join(missing, "skill.json")} is missing`);
    expect(stdout).toBe("");
  });
});
