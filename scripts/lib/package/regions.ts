/**
 * The manifest's regions against the stack's: a stack with regional endpoints (`alexaRegions` output) fills
 * `apis.<custom|smartHome>.regions.<NA|EU|FE>.endpoint` from its functions, so the manifest must list exactly
 * the regions the stack serves; a region the manifest lists and the stack does not serve would send those users
 * to the default endpoint's region, and one the stack serves but the manifest does not would never be called.
 */
import { join } from "node:path";
import { ConfigError } from "../core/errors";
import { alexaRegionsOf, type StackOutputs } from "../stack/outputs";
import { skillInterface } from "./endpoint";

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The regions the manifest lists under its interface, as written. */
export function manifestRegions(manifest: Json): string[] {
  const regions = skillInterface(manifest)?.api.regions;
  return isRecord(regions) ? Object.keys(regions) : [];
}

/**
 * Throws a {@link ConfigError} naming the file, the regions that differ and the exact fix when the manifest's
 * regions are not the stack's. A stack without regional endpoints accepts any (each region gets its endpoint).
 */
export function assertManifestRegions(manifest: Json, outputs: StackOutputs, root: string): void {
  const served = alexaRegionsOf(outputs);
  if (served.length === 0) return;
  const found = skillInterface(manifest);
  const listed = manifestRegions(manifest);
  const missing = served.filter((region) => !listed.includes(region));
  const extra = listed.filter((region) => !(served as string[]).includes(region));
  if (missing.length === 0 && extra.length === 0) return;
  const file = join(root, "skill.json");
  const where = `manifest.apis.${found?.name ?? "custom"}.regions`;
  const fixes = [
    ...(missing.length === 0
      ? []
      : [
          `add ${missing.map((region) => `"${region}": {}`).join(", ")} under ${where} (the endpoints are filled at upload)`,
        ]),
    ...(extra.length === 0
      ? []
      : [`remove ${extra.map((region) => `"${region}"`).join(", ")} from ${where}`]),
  ];
  throw new ConfigError(
    `${file}: ${where} lists ${listed.length === 0 ? "no region" : listed.join(", ")}, but the stack ` +
      `"${outputs.stack}" serves ${served.join(", ")} with regional endpoints: ${fixes.join(", and ")}; or set ` +
      `skillship:alexaRegions to "${listed.filter((region) => ["NA", "EU", "FE"].includes(region)).join(",") || "the regions you serve"}" in the ` +
      `stack and run \`pulumi up\`. Nothing was changed.`,
    { resource: file },
  );
}
