import { createLambdaHandlers, type DirectHandler, type HttpsHandler } from "./endpoints";

export type { DirectHandler, HttpApiEvent, HttpApiResult, HttpsHandler } from "./endpoints";

// Read once per container, at start-up: a missing or invalid setting fails the init, naming the variable.
const handlers = createLambdaHandlers();

/** Lambda handler `index.handler`: Alexa invokes the function directly. */
export const handler: DirectHandler = handlers.handler;

/** Lambda handler `index.httpsHandler`: API Gateway HTTP API in front, Alexa request signatures verified here. */
export const httpsHandler: HttpsHandler = handlers.httpsHandler;
