/**
 * Account linking: stored as written, client secret included, and read back without the secret, as the API
 * does. Its URLs are checked the way the API checks them (HTTPS on port 443).
 */
import {
  badRequest,
  errorReply,
  isObject,
  isRefusal,
  readableStage,
  stageForWrite,
  type SkillRoutes,
} from "../context";
import { documentOf } from "../state";

function httpsUrlOn443(value: unknown): boolean {
  if (typeof value !== "string") {
    return false;
  }
  try {
    const url = new URL(value);
    return url.protocol === "https:" && (url.port === "" || url.port === "443");
  } catch {
    return false;
  }
}

/** Handlers for reading and updating a stage's account-linking client. */
export function accountLinkingRoutes(): SkillRoutes<"getAccountLinking" | "updateAccountLinking"> {
  return {
    getAccountLinking: (request, skill) => {
      const document = readableStage(skill, request.params.stageV2)?.accountLinking;
      if (document === undefined) {
        return errorReply(
          404,
          `Skill ${skill.skillId} has no account linking in the ${request.params.stageV2} stage.`,
        );
      }
      const { clientSecret: _secret, ...visible } = document.value;
      return { status: 200, body: visible, headers: { etag: document.etag } };
    },
    updateAccountLinking: (request, skill) => {
      const stage = stageForWrite(request, skill, (development) => development.accountLinking);
      if (isRefusal(stage)) return stage;
      const payload = isObject(request.body) ? request.body.accountLinkingRequest : undefined;
      if (!isObject(payload)) {
        return badRequest("The request body must be { accountLinkingRequest: { … } }.");
      }
      if (!httpsUrlOn443(payload.authorizationUrl)) {
        return badRequest("Authorization Url is invalid: it must be an HTTPS URL on port 443.");
      }
      if (payload.type !== "IMPLICIT" && !httpsUrlOn443(payload.accessTokenUrl)) {
        return badRequest("Access Token Url is invalid: it must be an HTTPS URL on port 443.");
      }
      stage.accountLinking = documentOf(payload);
      return { status: 204, headers: { etag: stage.accountLinking.etag } };
    },
  };
}
