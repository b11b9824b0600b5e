/**
 * The skill of a local run, from the project file alone: a local factory, an exported ask-sdk Skill, or a Lambda
 * handler (callback or promise), in projects made in temporary folders with plain ask-sdk-core code.
 */
import { mkdir, mkdtemp, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import type { ResponseEnvelope } from "ask-sdk-model";
import { ConfigError } from "../../../../scripts/lib/core/errors";
import { verifyMediaUrl } from "../../../../scripts/lib/local/media-urls";
import { loadLocalSkill } from "../../../../scripts/lib/local/skill";
import { readProject } from "../../../../scripts/lib/project";
import { launchRequest } from "../../../../testkit/envelopes";

const repoRoot = path.resolve(__dirname, "..", "..", "..", "..");
const secret = Buffer.alloc(32, 7);
const SKILL_ID = "amzn1.ask.skill.00000000-0000-4000-8000-0000000000ee";

const builder = `const Alexa = require("ask-sdk-core");
const Launch = {
  canHandle: (input) => Alexa.getRequestType(input.requestEnvelope) === "LaunchRequest",
  handle: (input) => input.responseBuilder.speak("Hello from a plain skill").getResponse(),
};
const builder = () => Alexa.SkillBuilders.custom().addRequestHandlers(Launch);
`;

async function project(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "skillship-local-"));
  await symlink(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  return dir;
}

async function load(dir: string, env: Record<string, string> = {}) {
  return loadLocalSkill(readProject({ cwd: dir }), { env, origin: () => "http://127.0.0.1:3000", secret });
}

const speech = (answer: ResponseEnvelope) => JSON.stringify(answer.response.outputSpeech);

describe("loadLocalSkill", () => {
  it.each([
    [
      "a Lambda handler answering through its callback (ask-sdk's .lambda())",
      "exports.handler = builder().lambda();",
    ],
    [
      "a Lambda handler returning a promise",
      "const skill = builder().create();\nexports.handler = async (event, context) => skill.invoke(event, context);",
    ],
    ["an exported ask-sdk Skill", "exports.skill = builder().create();"],
    ["an ask-sdk Skill as the default export", "module.exports = { default: builder().create() };"],
  ])("runs the code entry when it is %s", async (_, exported) => {
    const dir = await project({
      "skillship.json": JSON.stringify({ code: { entry: "lambda/index.js" } }),
      "lambda/index.js": `${builder}${exported}\n`,
    });
    const skill = await load(dir);
    expect(speech(await skill.invoke(launchRequest()))).toContain("Hello from a plain skill");
  });

  it("builds the skill with the local factory, given settings, env, a media URL maker and a log", async () => {
    const dir = await project({
      "skillship.json": JSON.stringify({
        code: { entry: "lambda/index.js", local: "lambda/local.js" },
        local: { settings: { greeting: "Howdy" } },
      }),
      "lambda/index.js": "throw new Error('the Lambda entry needs the cloud');\n",
      "lambda/local.js": `${builder}
exports.createLocalSkill = (context) => {
  context.log({ level: "info", built: true });
  const url = context.mediaUrl("en/a.mp3", 60);
  return {
    skillId: context.env.SKILL_ID,
    mediaFolder: context.root + "/clips",
    async invoke() {
      return { version: "1.0", response: { outputSpeech: { type: "PlainText", text: context.settings.greeting + " " + url } } };
    },
    async describe() { return [{ label: "Greeting", value: context.settings.greeting }]; },
  };
};
`,
    });
    const logged: Record<string, unknown>[] = [];
    const skill = await loadLocalSkill(readProject({ cwd: dir }), {
      env: { SKILL_ID },
      origin: () => "https://tunnel.example",
      secret,
      log: (entry) => logged.push(entry),
    });
    expect(skill.skillId).toBe(SKILL_ID);
    expect(skill.mediaFolder).toBe(path.join(dir, "clips"));
    expect(await skill.describe!()).toEqual([{ label: "Greeting", value: "Howdy" }]);
    expect(logged).toEqual([{ level: "info", built: true }]);
    const text = JSON.parse(speech(await skill.invoke(launchRequest()))).text as string;
    expect(text).toMatch(/^Howdy https:\/\/tunnel\.example\/media\/en\/a\.mp3\?expires=\d+&sig=/);
    const url = new URL(text.split(" ")[1]);
    expect(verifyMediaUrl(url.pathname + url.search, secret).result).toBe("ok");
  });

  it("answers to SKILL_ID, else to the skill id the ASK CLI deployed", async () => {
    const dir = await project({
      "ask-resources.json": JSON.stringify({
        profiles: {
          default: { skillMetadata: { src: "./skill-package" }, code: { default: { src: "./lambda" } } },
        },
      }),
      ".ask/ask-states.json": JSON.stringify({ profiles: { default: { skillId: SKILL_ID } } }),
      "lambda/index.js": `${builder}exports.handler = builder().lambda();\n`,
    });
    expect((await load(dir)).skillId).toBe(SKILL_ID);
    const other = "amzn1.ask.skill.00000000-0000-4000-8000-0000000000ff";
    expect((await load(dir, { SKILL_ID: other })).skillId).toBe(other);
  });

  it("names the setting and the file when the code cannot serve", async () => {
    const missing = await project({
      "skillship.json": JSON.stringify({ code: { entry: "lambda/index.js" } }),
    });
    await expect(load(missing)).rejects.toThrow(ConfigError);
    await expect(load(missing)).rejects.toThrow(
      /code\.entry \(.*lambda\/index\.js\) of skillship\.json does not exist/,
    );

    const nothing = await project({
      "skillship.json": JSON.stringify({ code: { entry: "index.js" } }),
      "index.js": "exports.version = 1;\n",
    });
    await expect(load(nothing)).rejects.toThrow(/exports neither an ask-sdk Skill .* nor a Lambda handler/);

    const failing = await project({
      "skillship.json": JSON.stringify({ code: { local: "local.js" } }),
      "local.js": "exports.createLocalSkill = () => { throw new Error('MEDIA_BUCKET is not a bucket'); };\n",
    });
    await expect(load(failing)).rejects.toThrow(
      /local\.js \(code\.local\) could not build the skill: MEDIA_BUCKET/,
    );

    const junk = await project({
      "skillship.json": JSON.stringify({ code: { local: "local.js" } }),
      "local.js": "exports.createLocalSkill = () => ({ answer: 42 });\n",
    });
    await expect(load(junk)).rejects.toThrow(/returned no object with invoke\(envelope\)/);

    const noFactory = await project({
      "skillship.json": JSON.stringify({ code: { local: "local.js" } }),
      "local.js": "exports.somethingElse = 1;\n",
    });
    await expect(load(noFactory)).rejects.toThrow(/exports no createLocalSkill\(context\)/);

    const broken = await project({
      "skillship.json": JSON.stringify({ code: { entry: "index.js" } }),
      "index.js": "this is not javascript\n",
    });
    await expect(load(broken)).rejects.toThrow(/index\.js \(code\.entry\) failed to load/);
  });
});
