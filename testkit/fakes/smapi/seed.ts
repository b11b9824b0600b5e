/** Skills as a test seeds them, turned into the fake's state: every seeded job already complete. */
import type { FakeSkillSeed, FakeStageSeed } from "./types";
import {
  cloneStage,
  documentOf,
  type FakeDocument,
  type FakeJob,
  type FakeSkill,
  type FakeStage,
} from "./state";

/** A minimal development manifest: one en-US locale, a Lambda endpoint. */
export function minimalManifest(): Record<string, unknown> {
  return {
    manifest: {
      manifestVersion: "1.0",
      publishingInformation: { locales: { "en-US": { name: "Fake skill" } } },
      apis: { custom: { endpoint: { uri: "arn:aws:lambda:us-east-1:123456789012:function:fake" } } },
    },
  };
}

function completedJob(): FakeJob {
  return { status: "SUCCEEDED", pollsLeft: 0, outcome: "SUCCEEDED", errors: [] };
}

/** Hosts a file for a skill and returns its URL (the fake's upload target does). */
export type HostFile = (skillId: string, name: string, bytes: Uint8Array) => string;

/** The manifest with each `file://` icon found in `files` replaced by the URL it is hosted at. */
function withHostedIcons(
  skillId: string,
  manifest: Record<string, unknown>,
  files: Record<string, Uint8Array> | undefined,
  host: HostFile | undefined,
): Record<string, unknown> {
  if (files === undefined || host === undefined) return manifest;
  const copy = structuredClone(manifest) as {
    manifest?: { publishingInformation?: { locales?: Record<string, Record<string, unknown>> } };
  };
  for (const [locale, entry] of Object.entries(copy.manifest?.publishingInformation?.locales ?? {})) {
    for (const field of ["smallIconUri", "largeIconUri"]) {
      const uri = entry[field];
      const bytes = typeof uri === "string" && uri.startsWith("file://") ? files[uri.slice(7)] : undefined;
      if (bytes !== undefined) entry[field] = host(skillId, `${locale}_${field}.png`, bytes);
    }
  }
  return copy as Record<string, unknown>;
}

function stageFromSeed(skillId: string, seed: FakeStageSeed, host?: HostFile): FakeStage {
  const models: Record<string, FakeDocument> = {};
  for (const [locale, model] of Object.entries(seed.models ?? {})) {
    models[locale] = documentOf(model);
  }
  return {
    manifest:
      seed.manifest === undefined
        ? undefined
        : documentOf(withHostedIcons(skillId, seed.manifest, seed.files, host)),
    models,
    accountLinking: seed.accountLinking === undefined ? undefined : documentOf(seed.accountLinking),
  };
}

/**
 * The state of a seeded skill: development as given (or minimal), a `live` stage as live version "1"; the icons
 * of a stage seeded with its files are hosted through `host`.
 */
export function skillFromSeed(seed: FakeSkillSeed, host?: HostFile): FakeSkill {
  const development = stageFromSeed(seed.skillId, seed.development ?? { manifest: minimalManifest() }, host);
  const skill: FakeSkill = {
    skillId: seed.skillId,
    stages: { development },
    modelBuilds: {},
    certifications: [],
    versions: [],
    rollbacks: {},
    simulations: {},
    sessionOpen: {},
  };
  for (const locale of Object.keys(development.models)) {
    skill.modelBuilds[locale] = completedJob();
  }
  if (development.manifest !== undefined) {
    skill.manifestUpdate = completedJob();
  }
  if (seed.live !== undefined) {
    const live = stageFromSeed(seed.skillId, seed.live, host);
    skill.versions.push({
      version: "1",
      message: "seeded live version",
      creationTime: new Date(0).toISOString(),
      status: "LIVE",
      wasLive: true,
      snapshot: cloneStage(live),
    });
    skill.stages.live = live;
    skill.liveVersion = "1";
  }
  return skill;
}
