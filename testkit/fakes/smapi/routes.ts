/**
 * The Skill Management API calls the fake models, by name. A name stands for its `METHOD /template` route of
 * the OpenAPI document, which is how requests are matched, failures injected and the call log keyed.
 */

/**
 * The routes of the calls the `SkillsPort` and the simulation use, by name, as `failAt` and the call log
 * name them (`METHOD /template` of the OpenAPI document).
 */
export const SMAPI_ROUTES = {
  getManifest: "GET /v1/skills/{skillId}/stages/{stageV2}/manifest",
  updateManifest: "PUT /v1/skills/{skillId}/stages/{stageV2}/manifest",
  getInteractionModel: "GET /v1/skills/{skillId}/stages/{stageV2}/interactionModel/locales/{locale}",
  setInteractionModel: "PUT /v1/skills/{skillId}/stages/{stageV2}/interactionModel/locales/{locale}",
  getSkillStatus: "GET /v1/skills/{skillId}/status",
  getAccountLinking: "GET /v1/skills/{skillId}/stages/{stageV2}/accountLinkingClient",
  updateAccountLinking: "PUT /v1/skills/{skillId}/stages/{stageV2}/accountLinkingClient",
  submitForCertification: "POST /v1/skills/{skillId}/submit",
  withdrawFromCertification: "POST /v1/skills/{skillId}/withdraw",
  listCertifications: "GET /v1/skills/{skillId}/certifications",
  getCertification: "GET /v1/skills/{skillId}/certifications/{certificationId}",
  publish: "POST /v1/skills/{skillId}/publications",
  getPublication: "GET /v1/skills/{skillId}/publications/~latest",
  listSkillVersions: "GET /v1/skills/{skillId}/versions",
  rollbackSkill: "POST /v1/skills/{skillId}/rollbacks",
  getRollback: "GET /v1/skills/{skillId}/rollbacks/{rollbackRequestId}",
  simulateSkill: "POST /v2/skills/{skillId}/stages/{stage}/simulations",
  getSimulation: "GET /v2/skills/{skillId}/stages/{stage}/simulations/{simulationId}",
  getVendorList: "GET /v1/vendors",
  createExport: "POST /v1/skills/{skillId}/stages/{stage}/exports",
  getExport: "GET /v1/skills/exports/{exportId}",
  createUploadUrl: "POST /v1/skills/uploads",
  importPackage: "POST /v1/skills/{skillId}/imports",
  getImportStatus: "GET /v1/skills/imports/{importId}",
  submitValidation: "POST /v1/skills/{skillId}/stages/{stage}/validations",
  getValidation: "GET /v1/skills/{skillId}/stages/{stage}/validations/{validationId}",
  getBetaTest: "GET /v1/skills/{skillId}/betaTest",
  createBetaTest: "POST /v1/skills/{skillId}/betaTest",
  startBetaTest: "POST /v1/skills/{skillId}/betaTest/start",
  listTesters: "GET /v1/skills/{skillId}/betaTest/testers",
  addTesters: "POST /v1/skills/{skillId}/betaTest/testers/add",
  sendReminder: "POST /v1/skills/{skillId}/betaTest/testers/sendReminder",
} as const;

/** A route's name in {@link SMAPI_ROUTES}. */
export type SmapiRouteName = keyof typeof SMAPI_ROUTES;

/** The route a call names: a name of {@link SMAPI_ROUTES} becomes its `METHOD /template`; anything else stays. */
export function resolveRoute(call: SmapiRouteName | string): string {
  const named = (SMAPI_ROUTES as Record<string, string>)[call];
  return named ?? call;
}

/** True when the fake models the route (a `METHOD /template` of {@link SMAPI_ROUTES}). */
export function isModelledRoute(route: string): boolean {
  return Object.values(SMAPI_ROUTES).includes(route as (typeof SMAPI_ROUTES)[SmapiRouteName]);
}
