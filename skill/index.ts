import {
  getRequestType,
  Skill,
  SkillBuilders,
  type RequestInterceptor,
  type ResponseInterceptor,
  type SkillConfiguration,
} from "./sdk";
import type { IntentRequest, RequestEnvelope, ResponseEnvelope } from "ask-sdk-model";
import { attachRequestContext, elapsedMs, logFieldsOf } from "./context";
import { describeError, ResponseRuleError } from "./errors";
import { errorHandler } from "./errorHandler";
import { requestHandlers } from "./handlers";
import { resolveLocale, translatorFor } from "./i18n";
import { logJsonLine, type SkillLog } from "./log";
import type { MediaLibrary } from "./media/types";
import { outcomeOf, withSignals, type MetricSource } from "./metrics";
import { responseViolations } from "./rules";
import { withReadableStack } from "./stack";

export type { MediaLibrary } from "./media/types";

export type { SkillLog } from "./log";

/** Options of {@link createSkill}. */
export interface CreateSkillOptions {
  /** Where the clips come from. */
  readonly media: MediaLibrary;
  /** When set, requests for any other skill are rejected. */
  readonly skillId?: string;
  /** One entry per request; default: a JSON line on stdout (CloudWatch on Lambda). */
  readonly log?: SkillLog;
  /** Randomness in [0, 1) for clip choice and token nonces; default Math.random. */
  readonly random?: () => number;
  /**
   * The Lambda function and version running the skill: when set, each log line also carries the request's health
   * signals for that version as CloudWatch embedded metric format (see contracts/skill-metrics.ts).
   */
  readonly metricSource?: MetricSource;
}

// Wraps invoke so that every request, including one refused before dispatch (wrong skill id), logs one line.
class JokeboxSkill extends Skill {
  constructor(
    configuration: SkillConfiguration,
    private readonly log: SkillLog,
    private readonly metricSource: MetricSource | undefined,
  ) {
    super(configuration);
  }

  override async invoke(envelope: RequestEnvelope, context?: unknown): Promise<ResponseEnvelope> {
    const started = process.hrtime.bigint();
    let failure: unknown;
    try {
      return await super.invoke(envelope, context);
    } catch (error) {
      // Lambda logs the stack of what a handler throws: make it point at the sources.
      failure = withReadableStack(error);
      throw failure;
    } finally {
      const request = envelope.request;
      const fields = logFieldsOf(envelope);
      const latencyMs = elapsedMs(started);
      // The error handler puts the failure it answered in `error`; a failure it could not answer is thrown.
      const handlerError = failure !== undefined || fields.error !== undefined;
      const entry = {
        level: failure === undefined ? "info" : "error",
        requestId: request.requestId,
        requestType: request.type,
        intent: request.type === "IntentRequest" ? (request as IntentRequest).intent.name : undefined,
        locale: request.locale,
        latencyMs,
        ...fields,
        ...(failure === undefined ? {} : { error: describeError(failure) }),
      };
      this.log(withSignals(entry, this.metricSource, outcomeOf(envelope, handlerError, latencyMs)));
    }
  }
}

/**
 * Builds the Jokebox skill: ask-sdk-core's custom skill with every handler of `skill/handlers`, a request
 * interceptor giving handlers the media library and a translator, a response interceptor that refuses any response
 * breaking Alexa's rules (logged, answered safely by the error handler instead), and one log entry per request,
 * with the request's health signals when `metricSource` is set.
 */
export function createSkill(options: CreateSkillOptions): Skill {
  const random = options.random ?? Math.random;
  const contextInterceptor: RequestInterceptor = {
    process(input) {
      const locale = input.requestEnvelope.request.locale;
      attachRequestContext(input, {
        media: options.media,
        t: translatorFor(locale),
        locale: resolveLocale(locale),
        random,
      });
    },
  };
  const rulesInterceptor: ResponseInterceptor = {
    process(input, response) {
      const violations = responseViolations(getRequestType(input.requestEnvelope), response);
      if (violations.length > 0) throw new ResponseRuleError(violations);
    },
  };
  const builder = SkillBuilders.custom()
    .addRequestHandlers(...requestHandlers)
    .addRequestInterceptors(contextInterceptor)
    .addResponseInterceptors(rulesInterceptor)
    .addErrorHandlers(errorHandler);
  if (options.skillId !== undefined) builder.withSkillId(options.skillId);
  return new JokeboxSkill(builder.getSkillConfiguration(), options.log ?? logJsonLine, options.metricSource);
}
