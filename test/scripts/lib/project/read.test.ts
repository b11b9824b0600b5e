/** The project file: found from the working directory up, validated at once, or read from an ASK CLI project. */
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { ConfigError, ExitCode } from "../../../../scripts/lib/core/errors";
import { projectJsonSchema, readProject } from "../../../../scripts/lib/project";

const repoRoot = path.resolve(__dirname, "..", "..", "..", "..");

async function folder(files: Record<string, unknown> = {}): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "skillship-project-"));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), typeof content === "string" ? content : JSON.stringify(content));
  }
  return dir;
}

describe("readProject", () => {
  it("reads this repository's small skillship.json with the defaults filled in", () => {
    const project = readProject({ cwd: path.join(repoRoot, "skill", "handlers") });
    expect(project.source).toBe("skillship.json");
    expect(project.root).toBe(repoRoot);
    expect(project.kind.name).toBe("custom");
    expect(project.paths).toEqual({
      skillPackage: path.join(repoRoot, "skill-package"),
      entry: path.join(repoRoot, "skill", "lambda.ts"),
      local: path.join(repoRoot, "skill", "local.ts"),
      handlers: path.join(repoRoot, "skill", "handlers", "index.ts"),
      watch: [path.join(repoRoot, "skill"), path.join(repoRoot, "skill-package")],
    });
    expect(project.settings.local.settings).toEqual({ mediaFolder: "media" });
  });

  it("uses the defaults in a folder with no project file", async () => {
    const dir = await folder();
    const project = readProject({ cwd: dir });
    expect(project.source).toBe("defaults");
    expect(project.paths.skillPackage).toBe(path.join(dir, "skill-package"));
    expect(project.settings.lint.rules).toEqual({});
  });

  it("reports every problem of a wrong file at once, each with its key and what is expected (exit 2)", async () => {
    const dir = await folder({
      "skillship.json": {
        kind: "smartWatch",
        skillPackage: "",
        code: { entry: 3, locals: "x" },
        lint: { rules: { icons: { off: true }, nonsense: { off: true, reason: "x" } } },
        color: "blue",
      },
    });
    let error: unknown;
    try {
      readProject({ cwd: dir });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).exitCode).toBe(ExitCode.usage);
    const message = (error as Error).message;
    expect(message).toContain(`${path.join(dir, "skillship.json")} has 7 problems:`);
    expect(message).toContain('- kind: expected one of "custom"');
    expect(message).toContain("- skillPackage: expected the skill package folder");
    expect(message).toContain("- code.entry: expected the module Lambda runs");
    expect(message).toContain(
      '- code: unknown key "locals": the keys here are entry, local, handlers, watch',
    );
    expect(message).toContain("- lint.rules.icons.reason: is required (expected a reason: say why the rule");
    expect(message).toContain(
      '- lint.rules: unknown rule "nonsense": the rules are manifest, locales, model',
    );
    expect(message).toContain('- unknown key "color": the keys here are $schema, kind, skillPackage, code');
    expect(message).toContain("docs/project-file.md");
  });

  it("reads the home-hub sample as a smart-home skill: no interaction models, directives, account linking", () => {
    const root = path.join(repoRoot, "examples", "home-hub");
    const project = readProject({ cwd: path.join(root, "src", "handlers") });

    expect(project.root).toBe(root);
    expect(project.kind).toMatchObject({
      name: "smartHome",
      manifestApi: "smartHome",
      hasInteractionModels: false,
      answersDirectives: true,
      requiresAccountLinking: true,
      httpsEndpoint: false,
    });
    expect(project.paths.entry).toBe(path.join(root, "src", "index.ts"));
    expect(project.settings.smartHome).toEqual({ asyncEvents: true });
  });

  it("refuses smartHome settings on a project that is not a smart-home skill, naming the fix", async () => {
    const custom = await folder({ "skillship.json": { smartHome: { asyncEvents: true } } });
    const wrong = await folder({
      "skillship.json": { kind: "smartHome", smartHome: { asyncEvents: "yes" } },
    });

    expect(() => readProject({ cwd: custom })).toThrow(
      'has a problem:\n  - smartHome: applies to smart-home skills only: set "kind": "smartHome" or remove the key',
    );
    expect(() => readProject({ cwd: wrong })).toThrow(
      "has a problem:\n  - smartHome.asyncEvents: expected true or false",
    );
  });

  it("names the line and column of a file that is not JSON", async () => {
    const dir = await folder({ "skillship.json": '{\n  "kind": "custom",\n}' });
    expect(() => readProject({ cwd: dir })).toThrow(/skillship\.json is not valid JSON at line 3, column 1/);
  });

  describe("an ASK CLI project, read as it is", () => {
    const resources = {
      askcliResourcesVersion: "2020-03-31",
      profiles: {
        default: {
          skillMetadata: { src: "./skill-package" },
          code: { default: { src: "./lambda" } },
          skillInfrastructure: {
            type: "@ask-cli/lambda-deployer",
            userConfig: { runtime: "nodejs18.x", handler: "app.handler" },
          },
        },
        beta: { skillMetadata: { src: "./beta-package" }, code: { NA: { src: "./lambda-na" } } },
      },
    };
    const states = {
      askcliStatesVersion: "2020-03-31",
      profiles: {
        default: { skillId: "amzn1.ask.skill.00000000-0000-4000-8000-00000000000d" },
        beta: { skillId: "amzn1.ask.skill.00000000-0000-4000-8000-00000000000b" },
      },
    };

    it("takes the skill package, the code entry and the skill id of the profile", async () => {
      const dir = await folder({
        "ask-resources.json": resources,
        ".ask/ask-states.json": states,
        "lambda/app.js": "exports.handler = () => undefined;",
      });
      const project = readProject({ cwd: path.join(dir, "lambda") });
      expect(project.source).toBe("ask-resources.json");
      expect(project.paths.skillPackage).toBe(path.join(dir, "skill-package"));
      expect(project.paths.entry).toBe(path.join(dir, "lambda", "app.js"));
      expect(project.skillId).toBe("amzn1.ask.skill.00000000-0000-4000-8000-00000000000d");
      expect(project.paths.watch).toEqual([path.join(dir, "lambda"), path.join(dir, "skill-package")]);

      const beta = readProject({ cwd: dir, profile: "beta" });
      expect(beta.paths.skillPackage).toBe(path.join(dir, "beta-package"));
      expect(beta.paths.entry).toBe(path.join(dir, "lambda-na", "index.js"));
      expect(beta.skillId).toBe("amzn1.ask.skill.00000000-0000-4000-8000-00000000000b");
    });

    it("names the profiles there are when the one asked for is missing", async () => {
      const dir = await folder({ "ask-resources.json": resources });
      expect(() => readProject({ cwd: dir, profile: "prod" })).toThrow(
        /has no profile "prod" \(it has default, beta\): pass --profile NAME or set ASK_DEFAULT_PROFILE/,
      );
    });

    it("prefers skillship.json beside it, and still takes the skill id the ASK CLI deployed", async () => {
      const dir = await folder({
        "ask-resources.json": resources,
        ".ask/ask-states.json": states,
        "skillship.json": { code: { entry: "lambda/app.js", handlers: "lambda/handlers.js" } },
      });
      const project = readProject({ cwd: dir });
      expect(project.source).toBe("skillship.json");
      expect(project.paths.handlers).toBe(path.join(dir, "lambda", "handlers.js"));
      expect(project.skillId).toBe("amzn1.ask.skill.00000000-0000-4000-8000-00000000000d");
    });
  });
});

describe("skillship.schema.json", () => {
  it("is the JSON schema of the project file's validator (npm run schema writes it)", async () => {
    const committed = JSON.parse(await readFile(path.join(repoRoot, "skillship.schema.json"), "utf8"));
    expect(committed).toEqual(projectJsonSchema());
  });
});
