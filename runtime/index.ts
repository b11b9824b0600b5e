/**
 * `skillship/runtime`: what Skillship gives a skill at run time. A skill hosted as a web service (an HTTPS endpoint,
 * not a Lambda ARN) must check every request as Alexa requires: the request verifier does, cheapest check first,
 * and loads its signature check only on the first request that gets that far. Jokebox's HTTPS handler and
 * `skillship dev`'s local endpoint use this same module. A skill whose stack names secrets
 * (`skillship:functionSecrets`) reads them from Parameter Store with {@link withFunctionSecrets} when it starts.
 */
export {
  createRequestVerifier,
  timestampProblem,
  MAX_REQUEST_BYTES,
  SKILL_EVENT_TOLERANCE_MS,
  TIMESTAMP_TOLERANCE_MS,
  type AcceptedRequest,
  type CertificateOptions,
  type RefusedRequest,
  type RequestVerifier,
  type RequestVerifierOptions,
  type VerificationResult,
} from "./verify";
export { applicationIdOf, assertEnvelope, envelopeProblem } from "./envelope";
export {
  FunctionSecretsError,
  withFunctionSecrets,
  type Environment,
  type FunctionSecretsOptions,
  type ParameterStoreClient,
} from "./secrets";
