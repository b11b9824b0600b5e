/**
 * The v2 simulation API: a simulation asks the test's `simulate` function for the turn and reports it, after
 * a number of reads, the way the API shapes it (Alexa's responses, the considered intents, the skill's
 * invocation). The simulated user stays in a session until the skill ends it.
 */
import { badRequest, errorReply, isObject, type FakeContext, type SkillRoutes } from "../context";
import type { FakeSimulation } from "../state";
import type { SimulatedTurn } from "../types";

interface SkillResponseEnvelope {
  response?: { outputSpeech?: unknown; shouldEndSession?: boolean };
}

/** Strips SSML tags, as the simulator's caption shows speech as text. */
function speechText(outputSpeech: unknown): string | undefined {
  if (!isObject(outputSpeech)) {
    return undefined;
  }
  if (typeof outputSpeech.text === "string") {
    return outputSpeech.text;
  }
  if (typeof outputSpeech.ssml === "string") {
    return outputSpeech.ssml
      .replace(/<[^>]+>/g, "")
      .replace(/\s+/g, " ")
      .trim();
  }
  return undefined;
}

function fail(simulation: FakeSimulation, code: string, message: string): void {
  simulation.failed = true;
  simulation.result = { error: { code, message } };
}

/** The `result` of a simulation whose turn the test answered. */
function resultOf(turn: SimulatedTurn, endpoint: string, executionMs: number): Record<string, unknown> {
  const response = turn.invocation?.response as SkillResponseEnvelope | undefined;
  const caption = speechText(response?.response?.outputSpeech);
  return {
    alexaExecutionInfo: {
      alexaResponses: caption === undefined ? [] : [{ type: "Speech", content: { caption } }],
      consideredIntents: (turn.consideredIntents ?? []).map((intent) => ({
        name: intent.name,
        confirmationStatus: "NONE",
        slots: intent.slots ?? {},
      })),
    },
    skillExecutionInfo: {
      invocations:
        turn.invocation === undefined
          ? []
          : [
              {
                invocationRequest: { endpoint, body: turn.invocation.request },
                invocationResponse: { body: turn.invocation.response },
                metrics: { skillExecutionTimeInMilliseconds: executionMs },
              },
            ],
    },
  };
}

/** Handlers for starting a simulation and reading its result. */
export function simulationRoutes({
  knobs,
  simulate,
  violations,
  nextId,
}: FakeContext): SkillRoutes<"simulateSkill" | "getSimulation"> {
  return {
    simulateSkill: (request, skill) => {
      const stageName = request.params.stage;
      if (stageName !== "development" && stageName !== "live") {
        return badRequest(`Simulation stage must be development or live, not ${stageName}.`);
      }
      const stage = skill.stages[stageName];
      if (stage === undefined) {
        return errorReply(404, `Skill ${skill.skillId} has no ${stageName} stage.`);
      }
      if (Object.values(skill.simulations).some((simulation) => simulation.status === "IN_PROGRESS")) {
        return errorReply(409, "Another simulation of this skill is still in progress.", "CONFLICT");
      }
      if (simulate === undefined) {
        violations.push("POST simulations: the fake was started without a simulate function");
        return errorReply(501, "skillship fake: start the fake with a simulate function to use simulations");
      }
      const body = request.body as {
        input?: { content?: string };
        device?: { locale?: string };
        session?: { mode?: string };
      };
      const utterance = body.input?.content;
      const locale = body.device?.locale;
      if (typeof utterance !== "string" || typeof locale !== "string") {
        return badRequest("input.content and device.locale are required.");
      }
      const newSession = body.session?.mode === "FORCE_NEW_SESSION" || skill.sessionOpen[stageName] !== true;
      const id = nextId("simulation");
      const simulation: FakeSimulation = {
        id,
        stage: stageName,
        status: "IN_PROGRESS",
        pollsLeft: Math.max(1, knobs.simulationPolls),
      };
      skill.simulations[id] = simulation;
      const endpoint =
        (stage.manifest?.value as { manifest?: { apis?: { custom?: { endpoint?: { uri?: string } } } } })
          ?.manifest?.apis?.custom?.endpoint?.uri ?? "";
      const started = performance.now();
      simulate({ skillId: skill.skillId, stage: stageName, locale, utterance, newSession }).then(
        (turn) => {
          if (turn.error !== undefined) {
            fail(simulation, "SIMULATION_FAILED", turn.error);
            return;
          }
          const response = turn.invocation?.response as SkillResponseEnvelope | undefined;
          skill.sessionOpen[stageName] =
            turn.invocation !== undefined && response?.response?.shouldEndSession !== true;
          simulation.result = resultOf(turn, endpoint, Math.round(performance.now() - started));
        },
        (cause: unknown) => {
          fail(simulation, "SKILL_INVOCATION_FAILED", cause instanceof Error ? cause.message : String(cause));
        },
      );
      return {
        status: 200,
        body: { id, status: "IN_PROGRESS" },
        headers: { location: `/v2/skills/${skill.skillId}/stages/${stageName}/simulations/${id}` },
      };
    },
    getSimulation: (request, skill) => {
      const simulation = skill.simulations[request.params.simulationId];
      if (simulation === undefined || simulation.stage !== request.params.stage) {
        return errorReply(404, `No simulation ${request.params.simulationId} for skill ${skill.skillId}.`);
      }
      if (simulation.status === "IN_PROGRESS") {
        simulation.pollsLeft -= 1;
        if (simulation.pollsLeft <= 0 && simulation.result !== undefined) {
          simulation.status = simulation.failed === true ? "FAILED" : "SUCCESSFUL";
        }
      }
      return {
        status: 200,
        body: {
          id: simulation.id,
          status: simulation.status,
          ...(simulation.status === "IN_PROGRESS" ? {} : { result: simulation.result }),
        },
      };
    },
  };
}
