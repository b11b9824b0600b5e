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

function stageFromSeed(seed: FakeStageSeed): FakeStage {
  const models: Record<string, FakeDocument> = {};
  for (const [locale, model] of Object.entries(seed.models ?? {})) {
    models[locale] = documentOf(model);
  }
  return {
    manifest: seed.manifest === undefined ? undefined : documentOf(seed.manifest),
    models,
    accountLinking: seed.accountLinking === undefined ? undefined : documentOf(seed.accountLinking),
  };
}

/** The state of a seeded skill: development as given (or minimal), a `live` stage as live version "1". */
export function skillFromSeed(seed: FakeSkillSeed): FakeSkill {
  const development = stageFromSeed(seed.development ?? { manifest: minimalManifest() });
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
    const live = stageFromSeed(seed.live);
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
