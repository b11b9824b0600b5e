/**
 * The stack outputs the CLI works from: what `pulumi stack output --json > FILE` writes, validated so that a
 * missing or mistyped key is reported with the file and the key, before any remote call.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { ALEXA_REGIONS, type AlexaRegion } from "../../../contracts/alexa-regions";
import { CANARY_LIMITS, DEFAULT_CANARY, type CanarySettings } from "../../../contracts/canary";
import { ConfigError, UsageError } from "../core/errors";

const nonEmpty = z.string().trim().min(1, "must be a non-empty string");

/** The `canary` output: the prod stack's canary settings (`contracts/canary.ts`), as `infra/config.ts` made them. */
const canarySchema = z.object({
  steps: z
    .array(
      z.object({
        percent: z.number().gt(0).lt(100),
        bakeMinutes: z.number().int().min(1).max(CANARY_LIMITS.maxBakeMinutes),
      }),
    )
    .max(CANARY_LIMITS.maxSteps),
  minRequests: z.number().int().min(0),
  maxErrorRate: z.number().min(0).max(100),
  maxErrorRateIncrease: z.number().min(0).max(100),
  maxLatencyMs: z.number().int().min(1),
  pollSeconds: z.number().int().min(1),
}) satisfies z.ZodType<CanarySettings>;

/** One Alexa region's function (the `alexaRegions` output): where it lives and what endpoints name it. */
const regionSchema = z.object({
  awsRegion: nonEmpty,
  functionName: nonEmpty,
  functionArn: nonEmpty,
  developmentEndpoint: nonEmpty,
  aliasEndpoints: z.object({ blue: nonEmpty, green: nonEmpty }).optional(),
});

/** One Alexa region's function, as the stack outputs give it. */
export type RegionOutputs = z.infer<typeof regionSchema>;

/**
 * The stack outputs the CLI reads: the contract with `infra/stack.ts`, whose outputs a test parses with this
 * schema for both stacks, so neither side changes alone. Other keys of the file (those the administrator-only
 * stack reads) are ignored.
 */
export const stackOutputsSchema = z.object({
  skillId: nonEmpty,
  stack: z.enum(["dev", "prod"]),
  endpointKind: z.enum(["lambda", "https"]),
  functionName: nonEmpty,
  functionArn: nonEmpty,
  developmentEndpoint: nonEmpty,
  aliasEndpoints: z.object({ blue: nonEmpty, green: nonEmpty }).optional(),
  alexaRegions: z.partialRecord(z.enum(ALEXA_REGIONS), regionSchema).optional(),
  canary: canarySchema.optional(),
  mediaBucket: nonEmpty.optional(),
});

/** The outputs of one Pulumi stack (dev or prod), as the CLI reads them. */
export type StackOutputs = z.infer<typeof stackOutputsSchema>;

/** The two blue/green colours of the prod stack's aliases. */
export type Colour = "blue" | "green";

/** What to do about any problem with the outputs file. */
function remedy(file: string): string {
  return `run \`pulumi stack output --json > ${file}\` in the stack's project`;
}

/**
 * Reads and validates the stack outputs file. `overrides.skillId` (the `--skill-id` flag) replaces the file's
 * `skillId`. Throws a {@link ConfigError} naming the file and every wrong key.
 */
export function readStackOutputs(file: string, overrides: { skillId?: string } = {}): StackOutputs {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
    throw new ConfigError(
      missing
        ? `Stack outputs file ${file} does not exist: ${remedy(file)}`
        : `Stack outputs file ${file} cannot be read (${(error as Error).message}): ${remedy(file)}`,
      { cause: error },
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(
      `Stack outputs file ${file} is not valid JSON (${(error as Error).message}): ${remedy(file)}`,
      { cause: error },
    );
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new ConfigError(`Stack outputs file ${file} must hold a JSON object: ${remedy(file)}`);
  }
  const merged = overrides.skillId === undefined ? raw : { ...raw, skillId: overrides.skillId };
  const parsed = stackOutputsSchema.safeParse(merged);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = issue.path.length > 0 ? issue.path.join(".") : "(file)";
      const value = issue.path.length > 0 ? valueAt(merged, issue.path) : merged;
      if (value === undefined) return `key ${key} is missing`;
      return typeof value === "string"
        ? `key ${key}: ${issue.message} (got "${value}")`
        : `key ${key}: ${issue.message}`;
    });
    throw new ConfigError(
      `Stack outputs file ${file}: ${problems.join("; ")}. ${upperFirst(remedy(file))} ` +
        `(a secret output shows as "[secret]" unless --show-secrets is given).`,
      { cause: parsed.error },
    );
  }
  return parsed.data;
}

/** The canary settings of the stack; {@link DEFAULT_CANARY} for outputs written before the stack had them. */
export function canarySettingsOf(outputs: StackOutputs): CanarySettings {
  return outputs.canary ?? { ...DEFAULT_CANARY, steps: [...DEFAULT_CANARY.steps] };
}

/** What a command works on: the skill id, and the stack outputs when a file was given. */
export interface SkillTarget {
  skillId: string;
  outputs?: StackOutputs;
}

/**
 * Resolves `--outputs FILE` and `--skill-id ID` into a target. One of them is required; the flag wins over the
 * file's `skillId`.
 */
export function resolveSkillTarget(flags: { outputs?: string; skillId?: string }): SkillTarget {
  if (flags.outputs !== undefined) {
    const outputs = readStackOutputs(flags.outputs, { skillId: flags.skillId });
    return { skillId: outputs.skillId, outputs };
  }
  if (flags.skillId !== undefined && flags.skillId.trim() !== "") {
    return { skillId: flags.skillId.trim() };
  }
  throw new UsageError(
    "Which skill? Pass --outputs FILE (written by `pulumi stack output --json > FILE`) or --skill-id ID",
  );
}

/** The Alexa regions the stack serves with regional endpoints, in Amazon's order (none: one endpoint for all). */
export function alexaRegionsOf(outputs: StackOutputs): AlexaRegion[] {
  return ALEXA_REGIONS.filter((region) => outputs.alexaRegions?.[region] !== undefined);
}

/**
 * The regional endpoints that go with `endpoint` (the development endpoint or an alias endpoint of the home
 * function): each region's counterpart, by Alexa region. Empty for a stack without regional endpoints, or an
 * endpoint that is neither (a tunnel): every region then uses `endpoint` itself.
 */
export function regionalEndpointsOf(
  outputs: StackOutputs,
  endpoint: string,
): Partial<Record<AlexaRegion, string>> {
  const entries = alexaRegionsOf(outputs).flatMap((region) => {
    const regional = outputs.alexaRegions?.[region];
    if (regional === undefined) return [];
    if (endpoint === outputs.developmentEndpoint) return [[region, regional.developmentEndpoint]];
    const colour = colourOf(outputs, endpoint);
    const aliasEndpoint = colour === undefined ? undefined : regional.aliasEndpoints?.[colour];
    if (aliasEndpoint !== undefined) return [[region, aliasEndpoint]];
    if (endpoint === outputs.functionArn) return [[region, regional.functionArn]];
    return [];
  });
  return Object.fromEntries(entries) as Partial<Record<AlexaRegion, string>>;
}

/** The colour whose alias endpoint is `endpoint`, or undefined when it is neither. */
export function colourOf(outputs: StackOutputs, endpoint: string | undefined): Colour | undefined {
  if (endpoint === undefined || outputs.aliasEndpoints === undefined) {
    return undefined;
  }
  if (endpoint === outputs.aliasEndpoints.blue) return "blue";
  if (endpoint === outputs.aliasEndpoints.green) return "green";
  return undefined;
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function upperFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
