/**
 * Interaction models, one per locale: a write validates the language model and starts that locale's build,
 * which fails when the test scripted `failingLocales` for it.
 */
import {
  badRequest,
  errorReply,
  isObject,
  isRefusal,
  readableStage,
  stageForWrite,
  type FakeContext,
  type SkillRoutes,
} from "../context";
import { documentOf, newJob } from "../state";

/** Handlers for reading and writing a locale's interaction model. */
export function interactionModelRoutes({
  knobs,
}: FakeContext): SkillRoutes<"getInteractionModel" | "setInteractionModel"> {
  return {
    getInteractionModel: (request, skill) => {
      const document = readableStage(skill, request.params.stageV2)?.models[request.params.locale];
      if (document === undefined) {
        return errorReply(
          404,
          `No interaction model for ${request.params.locale} in the ${request.params.stageV2} stage.`,
        );
      }
      return { status: 200, body: document.value, headers: { etag: document.etag } };
    },
    setInteractionModel: (request, skill) => {
      const locale = request.params.locale;
      const stage = stageForWrite(request, skill, (development) => development.models[locale]);
      if (isRefusal(stage)) return stage;
      const body = request.body;
      const languageModel =
        isObject(body) && isObject(body.interactionModel) && body.interactionModel.languageModel;
      if (!isObject(languageModel) || typeof languageModel.invocationName !== "string") {
        return badRequest("The interaction model is invalid.", [
          {
            code: "MISSING_REQUIRED_PROPERTY",
            message:
              "Object instance at path $.interactionModel.languageModel is missing property invocationName",
          },
        ]);
      }
      stage.models[locale] = documentOf(body as Record<string, unknown>);
      const failure = knobs.failingLocales[locale];
      skill.modelBuilds[locale] = newJob(
        knobs.buildPolls,
        failure === undefined ? "SUCCEEDED" : "FAILED",
        failure,
      );
      return {
        status: 202,
        headers: {
          location: `/v1/skills/${skill.skillId}/status?resource=interactionModel`,
        },
      };
    },
  };
}
