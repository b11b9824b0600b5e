/**
 * The remote turn executor: each utterance goes to the deployed skill through the Skill Management API's
 * simulation (v2), polled until it is SUCCESSFUL or FAILED. The intent and request type come from the request
 * the skill received, speech, directives and session end from its response (Alexa's caption when the response
 * has no speech). The session is Alexa's: the first turn forces a new one, later turns continue it.
 */
import type { ResponseEnvelope } from "ask-sdk-model";
import { OperationError } from "../../core/errors";
import type { Simulation, SimulationPort, SkillStage } from "../../ports";
import { turnResultOf } from "./result";
import type { TurnExecutor, TurnResult } from "./runner";

/** The request type reported when Alexa answered without invoking the skill. */
export const NOT_INVOKED = "(skill not invoked)";

/** Options of {@link createRemoteExecutor}. */
export interface RemoteExecutorOptions {
  simulations: SimulationPort;
  skillId: string;
  stage: SkillStage;
  /** Between two reads of a running simulation. Default 1000 ms. */
  pollIntervalMs?: number;
  /** How long one turn may take. Default 60 s. */
  turnTimeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Creates an executor that runs each turn as a simulation of the deployed skill. */
export function createRemoteExecutor(options: RemoteExecutorOptions): TurnExecutor {
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const turnTimeoutMs = options.turnTimeoutMs ?? 60_000;
  const sleep = options.sleep ?? defaultSleep;
  let firstTurn = true;

  const waitFor = async (simulationId: string, say: string): Promise<Simulation> => {
    const deadline = Date.now() + turnTimeoutMs;
    for (;;) {
      const simulation = await options.simulations.getSimulation(
        options.skillId,
        options.stage,
        simulationId,
      );
      if (simulation.status !== "IN_PROGRESS") {
        return simulation;
      }
      if (Date.now() >= deadline) {
        throw new OperationError(
          `The simulation of "${say}" (${simulationId}) on the ${options.stage} stage of ${options.skillId} did ` +
            `not finish within ${Math.round(turnTimeoutMs / 1000)}s`,
        );
      }
      await sleep(pollIntervalMs);
    }
  };

  return {
    async turn(say: string, locale: string): Promise<TurnResult> {
      const simulationId = await options.simulations.startSimulation(options.skillId, options.stage, {
        utterance: say,
        locale,
        newSession: firstTurn,
      });
      firstTurn = false;
      const simulation = await waitFor(simulationId, say);
      if (simulation.status === "FAILED") {
        throw new OperationError(
          `The simulation of "${say}" on the ${options.stage} stage of ${options.skillId} failed: ` +
            (simulation.error ?? "no reason given"),
        );
      }
      return remoteTurnResult(simulation);
    },
  };
}

/** The turn result of a finished simulation. */
export function remoteTurnResult(simulation: Simulation): TurnResult {
  const caption = simulation.alexaSpeech.length > 0 ? simulation.alexaSpeech.join(" ") : undefined;
  const invocation = simulation.invocations.at(-1);
  if (invocation === undefined) {
    return {
      requestType: NOT_INVOKED,
      ...(caption === undefined ? {} : { speech: caption }),
      directives: [],
      sessionEnded: true,
      raw: simulation.raw,
    };
  }
  const request = invocation.request.request as { type?: string; intent?: { name?: string } } | undefined;
  const type = request?.type ?? "(unknown request)";
  const intent = type === "IntentRequest" ? request?.intent?.name : undefined;
  const response = invocation.response as ResponseEnvelope | undefined;
  if (response?.response === undefined) {
    throw new OperationError(
      `The skill received the ${intent ?? type} of simulation ${simulation.id} but its response has no ` +
        "`response` object (did the skill fail? see its logs)",
    );
  }
  const result = turnResultOf({ type, intent }, response);
  if (result.speech === undefined && caption !== undefined) {
    result.speech = caption;
  }
  result.raw = simulation.raw;
  return result;
}
