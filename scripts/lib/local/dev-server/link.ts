/**
 * `skillship dev --tunnel --link`: points the development stage of the skill at the tunnel (certificate type
 * Wildcard, as ngrok's URLs need) and, on the way out, puts back the endpoint it had, so a developer's session
 * never leaves the beta testers' stage pointing at a laptop that went to sleep.
 */
import { ConfigError } from "../../core/errors";
import type { WaitOptions } from "../../core/wait";
import { endpointOf, manifestBody, withEndpoint, type ManifestEndpoint } from "../../package/endpoint";
import { isRecord } from "../../package/skill-package";
import { waitForManifestUpdate } from "../../package/stage-waits";
import { TUNNEL_CERTIFICATE_TYPE, type SkillsPort } from "../../ports";

type Json = Record<string, unknown>;

/** A development stage pointed at the tunnel. */
export interface EndpointLink {
  /** The endpoint URI the stage had before (undefined when it had none). */
  readonly previousUri?: string;
  /** Puts the previous endpoint (and regional endpoints) back; safe to call twice. */
  restore(): Promise<void>;
}

/** Timing of the manifest update waits (default: every 2 s for up to 2 minutes); tests shrink it. */
export type LinkWaitOptions = Pick<WaitOptions, "pollIntervalMs" | "timeoutMs">;

/**
 * Points the development stage's custom endpoint (and every regional one) at `url` and waits for the update.
 * A skill the credentials cannot see is a {@link ConfigError}; a refused update an {@link OperationError}.
 */
export async function linkDevelopmentEndpoint(
  skills: SkillsPort,
  skillId: string,
  url: string,
  wait: LinkWaitOptions = {},
): Promise<EndpointLink> {
  const current = await skills.getManifest(skillId, "development");
  if (current === undefined) {
    throw new ConfigError(
      `Skill ${skillId} has no development stage these credentials can read: check --skill-id (or --outputs) and that the credentials belong to the skill's account`,
    );
  }
  const saved = savedEndpoints(current.value);
  const endpoint: ManifestEndpoint = { uri: url, sslCertificateType: TUNNEL_CERTIFICATE_TYPE };
  await skills.updateManifest(skillId, "development", withEndpoint(current.value, endpoint), current.etag);
  await waitForManifest(skills, skillId, wait, `Pointing the development stage at ${url}`);
  let restored = false;
  return {
    previousUri: endpointOf(current.value),
    async restore() {
      if (restored) return;
      restored = true;
      const now = await skills.getManifest(skillId, "development");
      if (now === undefined) return;
      await skills.updateManifest(skillId, "development", withSavedEndpoints(now.value, saved), now.etag);
      await waitForManifest(skills, skillId, wait, "Restoring the development endpoint");
    },
  };
}

interface SavedEndpoints {
  endpoint: unknown;
  regions: Record<string, unknown>;
}

function customOf(document: Json): Json | undefined {
  const apis = manifestBody(document).apis;
  const custom = isRecord(apis) ? apis.custom : undefined;
  return isRecord(custom) ? custom : undefined;
}

function savedEndpoints(document: Json): SavedEndpoints {
  const custom = customOf(document);
  const regions: Record<string, unknown> = {};
  if (isRecord(custom?.regions)) {
    for (const [name, region] of Object.entries(custom.regions)) {
      if (isRecord(region)) regions[name] = structuredClone(region.endpoint);
    }
  }
  return { endpoint: structuredClone(custom?.endpoint), regions };
}

// Only the endpoints go back: anything else changed on the stage meanwhile (a model deployment) is kept.
function withSavedEndpoints(document: Json, saved: SavedEndpoints): Json {
  const copy = structuredClone(document);
  const custom = customOf(copy);
  if (custom === undefined) return copy;
  if (saved.endpoint === undefined) delete custom.endpoint;
  else custom.endpoint = saved.endpoint;
  if (isRecord(custom.regions)) {
    for (const [name, region] of Object.entries(custom.regions)) {
      if (!isRecord(region)) continue;
      if (saved.regions[name] === undefined) delete region.endpoint;
      else region.endpoint = saved.regions[name];
    }
  }
  return copy;
}

function waitForManifest(
  skills: SkillsPort,
  skillId: string,
  wait: LinkWaitOptions,
  label: string,
): Promise<void> {
  return waitForManifestUpdate(
    skills,
    skillId,
    { pollIntervalMs: wait.pollIntervalMs ?? 2000, timeoutMs: wait.timeoutMs ?? 120_000 },
    { label, failure: `The Skill Management API refused: ${label.toLowerCase()}` },
  );
}
