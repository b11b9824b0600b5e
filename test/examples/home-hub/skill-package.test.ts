/**
 * The home-hub skill package (`examples/home-hub/skill-package/`, ASK CLI layout): a smart-home manifest that
 * the Skill Management API's own OpenAPI document accepts, served in Alexa's three regions with every locale's
 * region among them, with the permission asynchronous reporting needs; and an account linking file that holds
 * no secret and goes through the platform's upload preparation.
 */
import { existsSync } from "node:fs";
import * as path from "node:path";
import Ajv from "ajv-draft-04";
import { AWS_REGION_OF, type AlexaRegion } from "../../../examples/home-hub/src/gateway";
import { prepareAccountLinking } from "../../../scripts/lib/package/account-linking";
import { ALEXA_REGION_OF_LOCALE } from "../../../contracts/alexa-regions";
import { readSkillPackage, type SkillPackage } from "../../../scripts/lib/package/skill-package";

const ROOT = path.resolve(__dirname, "..", "..", "..", "examples", "home-hub", "skill-package");

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the manifest is read as data
let manifest: any;
let pkg: SkillPackage;

beforeAll(async () => {
  pkg = await readSkillPackage(ROOT);
  manifest = (pkg.manifest as { manifest: unknown }).manifest;
});

/** The SMAPI OpenAPI document's validator of one of its definitions. */
function smapiValidator(definition: string) {
  const spec = require("ask-smapi-model/spec.json"); // eslint-disable-line @typescript-eslint/no-require-imports
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
  return ajv.compile({ $ref: `#/definitions/${definition}`, definitions: spec.definitions });
}

describe("the home-hub skill package", () => {
  it("is a smart-home skill only: protocol version 3, no interaction model", () => {
    expect(Object.keys(manifest.apis)).toEqual(["smartHome"]);
    expect(manifest.apis.smartHome.protocolVersion).toBe("3");
    expect(pkg.models).toEqual({});
    expect(manifest.publishingInformation.category).toBe("SMART_HOME");
  });

  it("passes the Skill Management API's schema of a manifest, which refuses a broken one", () => {
    const validate = smapiValidator("v1.skill.Manifest.SkillManifestEnvelope");
    expect(validate(pkg.manifest) ? [] : validate.errors).toEqual([]);

    const broken = structuredClone(pkg.manifest) as typeof manifest;
    broken.manifest.apis.smartHome.protocolVersion = "4";
    broken.manifest.permissions = [{ name: "alexa::async_event:send" }];
    expect(validate(broken)).toBe(false);
    expect(validate.errors?.map((error) => error.instancePath)).toEqual([
      "/manifest/permissions/0/name",
      "/manifest/apis/smartHome/protocolVersion",
    ]);
  });

  it("asks for alexa::async_event:write, without which Alexa sends no AcceptGrant and refuses ChangeReports", () => {
    expect(manifest.permissions).toEqual([{ name: "alexa::async_event:write" }]);
  });

  it("has an endpoint in each of Alexa's regions, each in the AWS region Alexa invokes there", () => {
    const regions = manifest.apis.smartHome.regions as Record<AlexaRegion, { endpoint: { uri: string } }>;
    expect(Object.keys(regions).sort()).toEqual(["EU", "FE", "NA"]);
    for (const [region, { endpoint }] of Object.entries(regions)) {
      expect({ region, awsRegion: endpoint.uri.split(":")[3] }).toEqual({
        region,
        awsRegion: AWS_REGION_OF[region as AlexaRegion],
      });
    }
    expect(manifest.apis.smartHome.endpoint.uri).toBe(regions.NA.endpoint.uri);
  });

  it("serves every locale from a region it has an endpoint in", () => {
    const locales = Object.keys(manifest.publishingInformation.locales);
    expect(locales.sort()).toEqual(["de-DE", "en-AU", "en-GB", "en-US", "fr-CA", "fr-FR", "ja-JP"]);
    const served = new Set(locales.map((locale) => ALEXA_REGION_OF_LOCALE[locale]));
    expect([...served].sort()).toEqual(Object.keys(manifest.apis.smartHome.regions).sort());
    expect(Object.keys(manifest.privacyAndCompliance.locales).sort()).toEqual(locales.sort());
  });

  it("has its icons in the package", () => {
    for (const info of Object.values(manifest.publishingInformation.locales) as Array<
      Record<string, string>
    >) {
      for (const uri of [info.smallIconUri, info.largeIconUri]) {
        expect(existsSync(path.join(ROOT, uri.replace(/^file:\/\//, "")))).toBe(true);
      }
    }
  });
});

describe("its account linking", () => {
  const file = path.join(ROOT, "accountLinking.json");

  it("is an authorization-code grant over HTTPS, with scopes and domains, that SMAPI's schema accepts", () => {
    const request = (pkg.accountLinking as { accountLinkingRequest: Record<string, unknown> })
      .accountLinkingRequest;
    expect(request).toMatchObject({ type: "AUTH_CODE", accessTokenScheme: "HTTP_BASIC" });
    expect(request.scopes).toEqual(["devices:read", "devices:control"]);
    expect(request.domains).toEqual([new URL(String(request.authorizationUrl)).hostname]);
    const validate = smapiValidator("v1.skill.accountLinking.AccountLinkingRequestPayload");
    expect(validate(request) ? [] : validate.errors).toEqual([]);
  });

  it("holds no secret: the platform fills it from the variable the file names, at upload", () => {
    expect(JSON.stringify(pkg.accountLinking)).not.toContain('clientSecret"');
    const prepared = prepareAccountLinking(pkg.accountLinking as Record<string, unknown>, file, (name) =>
      name === "HOME_HUB_LINKING_CLIENT_SECRET" ? "from-the-environment" : undefined,
    );
    expect(prepared.accountLinkingRequest).toMatchObject({
      clientSecret: "from-the-environment",
      clientId: "alexa-home-hub",
    });
    expect(() =>
      prepareAccountLinking(pkg.accountLinking as Record<string, unknown>, file, () => undefined),
    ).toThrow(
      /Environment variable HOME_HUB_LINKING_CLIENT_SECRET \(or ASK_ACCOUNT_LINKING_CLIENT_SECRET\) is required/,
    );
  });
});
