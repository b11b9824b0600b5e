/**
 * The Skill Management API's simulation (v2), for dialog files run against a deployed stage.
 */
import type { SkillStage } from "./skills";

/** One simulated utterance, as the Skill Management API's simulation (v2) takes it. */
export interface SimulationInput {
  utterance: string;
  locale: string;
  /** Starts a new session instead of continuing the open one (`FORCE_NEW_SESSION`). */
  newSession?: boolean;
}

/** Status of a simulation: note `SUCCESSFUL`, not `SUCCEEDED`. */
export type SimulationStatus = "IN_PROGRESS" | "SUCCESSFUL" | "FAILED";

/** A simulation as far as it has got. */
export interface Simulation {
  id: string;
  status: SimulationStatus;
  /** Why a FAILED simulation failed. */
  error?: string;
  /** The requests the skill received and its response envelopes (usually one). */
  invocations: { request: Record<string, unknown>; response?: Record<string, unknown> }[];
  /** What Alexa said (the captions of `alexaResponses`). */
  alexaSpeech: string[];
  /** The intents Alexa considered, best first. */
  consideredIntents: string[];
  /** The simulation result as received. */
  raw: unknown;
}

/** The Skill Management API's simulation calls, for dialog files run against a deployed stage. */
export interface SimulationPort {
  /** Starts simulating one utterance; returns the simulation id. Never retried (it moves the session on). */
  startSimulation(skillId: string, stage: SkillStage, input: SimulationInput): Promise<string>;
  getSimulation(skillId: string, stage: SkillStage, simulationId: string): Promise<Simulation>;
}
