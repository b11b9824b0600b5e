/**
 * The contracts `infra/` shares with the other two sides, joined here so that neither side can change alone:
 * the stack outputs the CLI reads (`scripts/lib/stack/outputs.ts`), the environment the stack gives the skill
 * function (`skill/config.ts`), and which media files are clips (MEDIA_CLIPS).
 */
import { AUDIO_EXTENSIONS as STACK_AUDIO_EXTENSIONS } from "../../infra/components/MediaBucket";
import { readSkillConfig } from "../../skill/config";
import { AUDIO_EXTENSIONS as SKILL_AUDIO_EXTENSIONS } from "../../skill/media/types";
import { stackOutputsSchema } from "../../scripts/lib/stack/outputs";
import { type ProgramRun, account, fakeBundle, region, runProgram, skillId } from "./support/program";

const devFunctionArn = `arn:aws:lambda:${region}:${account}:function:skillship-dev-skill`;

/** Variables Node or Lambda read themselves; the skill's own configuration does not. */
const runtimeVariables = new Set(["NODE_OPTIONS"]);

/** The variable names `readSkillConfig` asks for, when it reads `env`. */
function variablesReadBySkill(env: Record<string, string>): Set<string> {
  const read = new Set<string>();
  const recording = new Proxy(env, {
    get(target, name) {
      if (typeof name === "string") read.add(name);
      return target[name as string];
    },
  });
  readSkillConfig(recording);
  return read;
}

describe.each([
  ["dev", { skillId, bundleDir: fakeBundle() }],
  [
    "prod",
    {
      skillId,
      bundleDir: fakeBundle(),
      developmentEndpoint: devFunctionArn,
      githubRepository: "acme/jokebox",
      stateBucket: "acme-pulumi-state",
    },
  ],
])("the %s stack's contracts", (stack, config) => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runProgram({ stack: stack as "dev" | "prod", config });
  });

  it("exports exactly the outputs the CLI's schema declares, and they parse", () => {
    expect(run.error).toBeUndefined();
    const declared = Object.keys(stackOutputsSchema.shape).sort();
    const exported = Object.keys(run.outputs).sort();
    // Every exported output is declared; every declared output that is not optional is exported.
    expect(exported.filter((key) => !declared.includes(key))).toEqual([]);
    const required = declared.filter(
      (key) => !stackOutputsSchema.shape[key as keyof typeof stackOutputsSchema.shape].isOptional(),
    );
    expect(required.filter((key) => !exported.includes(key))).toEqual([]);
    const parsed = stackOutputsSchema.safeParse(run.outputs);
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
  });

  it("gives the skill function only variables the skill reads", () => {
    const [fn] = run.ofType("aws:lambda/function:Function");
    const variables: Record<string, string> = fn.inputs.environment.variables;
    // Lambda itself sets AWS_REGION in every function's environment.
    const read = variablesReadBySkill({ ...variables, AWS_REGION: region });
    const unread = Object.keys(variables).filter((name) => !runtimeVariables.has(name) && !read.has(name));
    expect(unread).toEqual([]);
  });
});

it("counts the same files as clips on both sides (the stack's MEDIA_CLIPS, the skill's listing)", () => {
  expect([...STACK_AUDIO_EXTENSIONS].sort()).toEqual([...SKILL_AUDIO_EXTENSIONS].sort());
});
