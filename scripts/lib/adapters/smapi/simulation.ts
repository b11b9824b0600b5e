/**
 * {@link SimulationPort} over `ask-smapi-sdk` (simulation v2): one utterance at a time against a deployed stage.
 * Starting a simulation is never retried (it moves the session on); reading one is.
 */
import type { Simulation, SimulationInput, SimulationPort, SkillStage } from "../../ports";
import { stageName, type SmapiCalls } from "./calls";
import { SmapiError } from "./errors";

type Json = Record<string, unknown>;

/** The Skill Management API adapter of {@link SimulationPort}. */
export class SmapiSimulation implements SimulationPort {
  constructor(private readonly calls: SmapiCalls) {}

  async startSimulation(skillId: string, stage: SkillStage, input: SimulationInput): Promise<string> {
    const response = await this.calls.once(
      `simulating "${input.utterance}" on skill ${skillId} (${stageName(stage)})`,
      () =>
        this.calls.client.simulateSkillV2(skillId, stage, {
          input: { content: input.utterance },
          device: { locale: input.locale },
          session: { mode: input.newSession === true ? "FORCE_NEW_SESSION" : "DEFAULT" },
        }),
    );
    if (response.id === undefined) {
      throw new SmapiError(`The simulation of skill ${skillId} started without an id`, "simulating", {});
    }
    return response.id;
  }

  async getSimulation(skillId: string, stage: SkillStage, simulationId: string): Promise<Simulation> {
    const response = await this.calls.read(`reading simulation ${simulationId} of skill ${skillId}`, () =>
      this.calls.client.getSkillSimulationV2(skillId, stage, simulationId),
    );
    const result = response.result;
    return {
      id: response.id ?? simulationId,
      status: response.status ?? "IN_PROGRESS",
      error: result?.error?.message,
      invocations: (result?.skillExecutionInfo?.invocations ?? []).map((invocation) => ({
        request: (invocation.invocationRequest?.body ?? {}) as Json,
        response: invocation.invocationResponse?.body as Json | undefined,
      })),
      alexaSpeech: (result?.alexaExecutionInfo?.alexaResponses ?? [])
        .map((response) => response.content?.caption)
        .filter((caption): caption is string => caption !== undefined),
      consideredIntents: (result?.alexaExecutionInfo?.consideredIntents ?? [])
        .map((intent) => intent.name)
        .filter((name): name is string => name !== undefined),
      raw: result,
    };
  }
}
