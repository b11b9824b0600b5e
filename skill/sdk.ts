/**
 * The parts of ask-sdk-core the skill uses, imported from their own modules: the package's index loads every part
 * of the SDK (skill components, viewport utilities, the HTTP API client, content helpers), which a cold start would
 * parse and run for nothing. Types come from the index; they cost nothing at run time.
 */
export { ResponseFactory } from "ask-sdk-core/dist/response/ResponseFactory";
export { CustomSkill as Skill } from "ask-sdk-core/dist/skill/CustomSkill";
export { SkillBuilders } from "ask-sdk-core/dist/skill/SkillBuilders";
export {
  getIntentName,
  getRequest,
  getRequestType,
  getSlotValue,
} from "ask-sdk-core/dist/util/RequestEnvelopeUtils";
export type {
  ErrorHandler,
  HandlerInput,
  RequestHandler,
  RequestInterceptor,
  ResponseInterceptor,
  SkillConfiguration,
} from "ask-sdk-core";
