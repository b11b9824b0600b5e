/**
 * The rules that depend on the kind of skill: "skill-kind" (the manifest declares the API of the project's
 * kind and no other; a smart-home skill has no interaction model, a supported protocol version, and the
 * permission that asynchronous events need), "regions" (regional endpoints only in NA, EU and FE; a smart-home
 * skill has one for the region of every locale it publishes, each in the AWS region Alexa invokes there) and
 * "account-linking" (`accountLinking.json` present when the kind needs it, and valid: HTTPS on 443, the
 * authorization code grant for smart home, scopes, domains, no secret in the file).
 */
import { join } from "node:path";
import { z } from "zod";
import type { SkillKind } from "../../project/kinds";
import { accountLinkingProblems } from "../account-linking";
import {
  ALEXA_REGION_OF_LOCALE,
  ALEXA_REGIONS,
  alexaRegionsOfLocales,
  AWS_REGION_OF,
  type AlexaRegion,
} from "../../../../contracts/alexa-regions";
import { isRecord, MODELS_DIR, type SkillPackage } from "../skill-package";
import type { ManifestFacts } from "./manifest";
import { modelFile } from "./model";
import { jsonPath, type PathStep, type Problem } from "./types";
import { fromZodIssues } from "./zod-problems";

/** The smart-home protocol versions Amazon certifies (`apis.smartHome.protocolVersion`). */
export const SMART_HOME_PROTOCOL_VERSIONS = ["3", "3.0", "3.5"] as const;

/** The permission a skill needs to send events to Alexa's event gateway and to receive AcceptGrant. */
export const ASYNC_EVENT_PERMISSION = "alexa::async_event:write";

/** What the kind rules are told about the project. */
export interface KindLintOptions {
  kind: SkillKind;
  /** `smartHome.asyncEvents` of the project file: the skill sends events to Alexa's event gateway. */
  asyncEvents?: boolean;
}

type Report = (
  rule: string,
  message: string,
  steps: PathStep[],
  severity?: Problem["severity"],
  file?: string,
) => void;

/** What each kind rule reads: the package, its manifest object, the project's kind, and where problems go. */
interface KindRuleInput {
  pkg: SkillPackage;
  manifest: Record<string, unknown>;
  options: KindLintOptions;
  problems: Problem[];
  report: Report;
}

/** Runs the rules "skill-kind", "regions" and "account-linking" on `pkg`. */
export function lintKind(
  pkg: SkillPackage,
  facts: ManifestFacts,
  options: KindLintOptions,
  problems: Problem[],
): void {
  const input: KindRuleInput = {
    pkg,
    manifest: isRecord(pkg.manifest.manifest) ? pkg.manifest.manifest : {},
    options,
    problems,
    report: (rule, message, steps, severity = "error", file = facts.file) =>
      problems.push({ severity, rule, file, path: jsonPath(steps), message }),
  };
  lintSkillKind(input);
  lintRegions(input, facts.locales);
  lintAccountLinking(input);
}

/** Rule "skill-kind": the manifest's API, models and permissions match the project's kind. */
function lintSkillKind({ pkg, manifest, options, report }: KindRuleInput): void {
  const apis = isRecord(manifest.apis) ? manifest.apis : {};
  const { kind } = options;
  const toKind = 'set "kind" in skillship.json to the skill\'s kind (docs/project-file.md)';
  for (const api of Object.keys(apis).filter((key) => key !== kind.manifestApi)) {
    if (api === "custom" || api === "smartHome") {
      report(
        "skill-kind",
        `the project is a ${kind.title} (kind ${kind.name}) but the manifest declares apis.${api}: a skill has ` +
          `one API; remove apis.${api}, or ${toKind}`,
        ["manifest", "apis", api],
      );
    }
  }
  if (kind.hasInteractionModels) return;
  for (const locale of Object.keys(pkg.models).sort()) {
    report(
      "skill-kind",
      `a ${kind.title} has no interaction model (Alexa resolves its utterances itself): delete ` +
        `${join(MODELS_DIR, `${locale}.json`)}, or ${toKind}`,
      [],
      "error",
      modelFile(pkg, locale),
    );
  }
  const smartHome = isRecord(apis.smartHome) ? apis.smartHome : undefined;
  if (smartHome === undefined) {
    report(
      "skill-kind",
      `a ${kind.title} declares apis.smartHome: add { "smartHome": { "protocolVersion": "3" } }, or ${toKind}`,
      ["manifest", "apis"],
    );
  } else if (!(SMART_HOME_PROTOCOL_VERSIONS as readonly unknown[]).includes(smartHome.protocolVersion)) {
    report(
      "skill-kind",
      `protocolVersion must be ${SMART_HOME_PROTOCOL_VERSIONS.map((v) => `"${v}"`).join(", ")} (a string), ` +
        `found ${JSON.stringify(smartHome.protocolVersion) ?? "nothing"}: Amazon certifies version 3 of the ` +
        "Smart Home API only",
      ["manifest", "apis", "smartHome", "protocolVersion"],
    );
  }
  const permissions = Array.isArray(manifest.permissions) ? manifest.permissions : [];
  const asks = permissions.some((entry) => isRecord(entry) && entry.name === ASYNC_EVENT_PERMISSION);
  if (options.asyncEvents === true && !asks) {
    report(
      "skill-kind",
      `the project says the skill sends events (smartHome.asyncEvents) but the manifest lacks the permission ` +
        `${ASYNC_EVENT_PERMISSION}: without it Alexa sends no AcceptGrant and refuses every ChangeReport; add ` +
        `{ "name": "${ASYNC_EVENT_PERMISSION}" } to manifest.permissions`,
      ["manifest", "permissions"],
    );
  }
  if (options.asyncEvents !== true && asks) {
    report(
      "skill-kind",
      `the manifest asks for ${ASYNC_EVENT_PERMISSION} but the project does not say the skill sends events: ` +
        `Alexa will send it AcceptGrant on linking; set "smartHome": { "asyncEvents": true } in skillship.json, ` +
        "or drop the permission",
      ["manifest", "permissions"],
      "warning",
    );
  }
}

const LAMBDA_ARN = /^arn:aws[\w-]*:lambda:([a-z0-9-]+):\d{12}:function:[\w-]+(:[\w$-]+)?$/;

/** Rule "regions": regional endpoints in NA, EU and FE only; for smart home, one per published region. */
function lintRegions({ manifest, options, report }: KindRuleInput, locales: readonly string[]): void {
  const api = options.kind.manifestApi;
  // Without the kind's API the "skill-kind" rule has said what is wrong already.
  if (!isRecord(manifest.apis) || !isRecord(manifest.apis[api])) return;
  const declared = manifest.apis[api];
  const at = ["manifest", "apis", api, "regions"];
  const regions = isRecord(declared.regions) ? declared.regions : {};
  if (declared.regions !== undefined && !isRecord(declared.regions)) {
    report("regions", "must be an object of regions (NA, EU, FE), each with its endpoint", at);
  }
  for (const key of Object.keys(regions)) {
    if (!(ALEXA_REGIONS as readonly string[]).includes(key)) {
      report(
        "regions",
        `unknown region "${key}": Alexa's regions are ${ALEXA_REGIONS.join(", ")} (docs/infrastructure.md#alexa-regions)`,
        [...at, key],
      );
    }
  }
  if (!options.kind.answersDirectives) return;

  const derived = alexaRegionsOfLocales(locales);
  for (const locale of derived.unknown) {
    report(
      "regions",
      `Alexa has no region serving ${locale}: smart-home skills are published in ${Object.keys(ALEXA_REGION_OF_LOCALE).join(", ")}`,
      ["manifest", "publishingInformation", "locales", locale],
    );
  }
  const served = new Map<AlexaRegion, string[]>(
    derived.regions.map((region) => [region.alexaRegion, region.locales]),
  );
  // One region alone is served by the default endpoint; more need an endpoint each, in the right AWS region.
  if (served.size > 1) {
    for (const [region, locales] of served) {
      const entry = regions[region];
      if (!isRecord(entry) || !isRecord(entry.endpoint)) {
        report(
          "regions",
          `${locales.join(", ")} ${locales.length === 1 ? "is" : "are"} served by Alexa's ${region} region, which ` +
            `has no endpoint here: add "${region}": { "endpoint": {} } (the deploy fills its uri with the function ` +
            `in ${AWS_REGION_OF[region]}); without it those users' directives never reach the skill`,
          [...at, region],
        );
      }
    }
  }
  for (const region of ALEXA_REGIONS) {
    const entry = regions[region];
    if (!isRecord(entry)) continue;
    if (!served.has(region)) {
      report(
        "regions",
        `no published locale is in Alexa's ${region} region: Alexa never calls this endpoint; remove it or ` +
          "publish a locale of that region",
        [...at, region],
        "warning",
      );
    }
    const uri = isRecord(entry.endpoint) ? entry.endpoint.uri : undefined;
    const arn = typeof uri === "string" ? LAMBDA_ARN.exec(uri) : null;
    if (arn !== null && arn[1] !== AWS_REGION_OF[region]) {
      report(
        "regions",
        `the ${region} endpoint's function is in ${arn[1]}, but Alexa invokes a smart-home skill's ${region} ` +
          `endpoint in ${AWS_REGION_OF[region]} only: deploy the function there`,
        [...at, region, "endpoint", "uri"],
      );
    }
  }
}

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

function accountLinkingSchema(smartHome: boolean) {
  const nonEmpty = (what: string) =>
    z
      .string({ error: `must be ${what}` })
      .trim()
      .min(1, `must be ${what}`);
  return z.object({
    accountLinkingRequest: z.object({
      type: smartHome
        ? z.literal("AUTH_CODE", {
            error:
              "must be AUTH_CODE: smart-home skills link accounts with the authorization code grant only",
          })
        : z.enum(["AUTH_CODE", "IMPLICIT"], { error: "must be AUTH_CODE or IMPLICIT" }),
      authorizationUrl: nonEmpty("the URL of the login page Alexa opens"),
      accessTokenUrl: smartHome
        ? nonEmpty("the URL Alexa exchanges the code for tokens at")
        : z.string().optional(),
      clientId: nonEmpty("the client id Alexa presents to the authorization server"),
      scopes: z
        .array(nonEmpty("a scope"), { error: "must be a list of scopes" })
        .min(smartHome ? 1 : 0, "must name at least one scope: what Alexa may do with the user's account"),
      domains: z
        .array(
          z.string().regex(HOSTNAME, "must be a domain name such as auth.example.com (no scheme, no path)"),
          { error: "must be a list of domain names" },
        )
        .max(30, "at most 30 domains")
        .optional(),
      accessTokenScheme: z
        .enum(["HTTP_BASIC", "REQUEST_BODY_CREDENTIALS"], {
          error: "must be HTTP_BASIC or REQUEST_BODY_CREDENTIALS",
        })
        .optional(),
      defaultTokenExpirationInSeconds: z
        .number()
        .int("must be a whole number of seconds")
        .positive("must be a positive number of seconds")
        .optional(),
    }),
  });
}

/** Rule "account-linking": present when the kind needs it, and what Alexa accepts. */
function lintAccountLinking({ pkg, options, problems, report }: KindRuleInput): void {
  const file = join(pkg.root, "accountLinking.json");
  const document = pkg.accountLinking;
  if (document === undefined) {
    if (options.kind.requiresAccountLinking) {
      report(
        "account-linking",
        `a ${options.kind.title} needs account linking (Alexa cannot reach a user's devices without it): add ` +
          "accountLinking.json with the authorization code grant (docs/smart-home.md#account-linking)",
        [],
        "error",
        file,
      );
    }
    return;
  }
  const smartHome = options.kind.requiresAccountLinking;
  const parsed = accountLinkingSchema(smartHome).safeParse(document, { reportInput: true });
  if (!parsed.success) problems.push(...fromZodIssues(parsed.error.issues, file, "account-linking"));
  for (const found of accountLinkingProblems(document)) {
    report("account-linking", found.problem, found.steps, "error", file);
  }
}
