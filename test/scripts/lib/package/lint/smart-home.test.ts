/**
 * The rules that depend on the kind of skill, on the home-hub sample (a smart-home package) and on Jokebox (a
 * custom one), each broken on purpose in memory: the kind's API and models, the protocol version, the
 * asynchronous-event permission, Alexa's regions for the published locales, and account linking.
 */
import { join } from "node:path";
import { lintSkillPackage, type Problem } from "../../../../../scripts/lib/package/lint";
import { readSkillPackage, type SkillPackage } from "../../../../../scripts/lib/package/skill-package";
import { skillKind } from "../../../../../scripts/lib/project/kinds";

/* eslint-disable @typescript-eslint/no-explicit-any -- the tests edit parsed JSON freely */

const HOME_HUB = join("examples", "home-hub", "skill-package");
const smartHome = skillKind("smartHome");
const custom = skillKind("custom");

let homeHub: SkillPackage;
let jokebox: SkillPackage;

beforeAll(async () => {
  [homeHub, jokebox] = await Promise.all([readSkillPackage(HOME_HUB), readSkillPackage("skill-package")]);
});

/** The home-hub package, edited. */
function homeHubWith(edit: (manifest: any, pkg: SkillPackage) => void): SkillPackage {
  const pkg = structuredClone(homeHub);
  edit((pkg.manifest as any).manifest, pkg);
  return pkg;
}

const lintSmartHome = (pkg: SkillPackage, asyncEvents = true) =>
  lintSkillPackage(pkg, { kind: smartHome, asyncEvents });
const show = (problems: Problem[]) => problems.map((p) => `${p.severity} ${p.rule} ${p.path} ${p.message}`);
const MANIFEST = join(HOME_HUB, "skill.json");

describe("lint of a smart-home skill", () => {
  it("passes the home-hub sample without a problem, though it has no interaction model", () => {
    expect(show(lintSmartHome(homeHub))).toEqual([]);
  });

  it("refuses apis.custom and interaction models, saying how to fix either side", () => {
    const pkg = homeHubWith((manifest, copy) => {
      manifest.apis.custom = { interfaces: [] };
      copy.models["en-US"] = structuredClone(jokebox.models["en-US"]);
    });

    const problems = lintSmartHome(pkg);

    expect(problems).toEqual([
      expect.objectContaining({
        severity: "error",
        rule: "skill-kind",
        file: MANIFEST,
        path: "$.manifest.apis.custom",
        message: expect.stringContaining(
          "the project is a smart-home skill (kind smartHome) but the manifest declares apis.custom",
        ),
      }),
      expect.objectContaining({
        rule: "skill-kind",
        file: join(HOME_HUB, "interactionModels", "custom", "en-US.json"),
        message: expect.stringContaining("a smart-home skill has no interaction model"),
      }),
    ]);
  });

  it("needs apis.smartHome with protocol version 3", () => {
    const none = homeHubWith((manifest) => delete manifest.apis.smartHome);
    const v2 = homeHubWith((manifest) => (manifest.apis.smartHome.protocolVersion = "2"));
    const v35 = homeHubWith((manifest) => (manifest.apis.smartHome.protocolVersion = "3.5"));

    expect(show(lintSmartHome(none))).toEqual([
      expect.stringMatching(
        /^error skill-kind \$\.manifest\.apis a smart-home skill declares apis\.smartHome/,
      ),
    ]);
    expect(show(lintSmartHome(v2))).toEqual([
      expect.stringMatching(
        /^error skill-kind \$\.manifest\.apis\.smartHome\.protocolVersion protocolVersion must be "3", "3\.0", "3\.5" \(a string\), found "2"/,
      ),
    ]);
    expect(lintSmartHome(v35)).toEqual([]);
  });

  it("requires alexa::async_event:write when the project says the skill sends events, and warns the other way", () => {
    const without = homeHubWith((manifest) => (manifest.permissions = []));

    expect(show(lintSmartHome(without, true))).toEqual([
      expect.stringMatching(
        /^error skill-kind \$\.manifest\.permissions .*lacks the permission alexa::async_event:write: without it Alexa sends no AcceptGrant/,
      ),
    ]);
    expect(lintSmartHome(without, false)).toEqual([]);
    expect(show(lintSmartHome(homeHub, false))).toEqual([
      expect.stringMatching(
        /^warning skill-kind \$\.manifest\.permissions the manifest asks for alexa::async_event:write/,
      ),
    ]);
  });

  it("needs an endpoint in the region of every published locale, each function in the AWS region Alexa invokes", () => {
    const pkg = homeHubWith((manifest) => {
      delete manifest.apis.smartHome.regions.FE;
      manifest.apis.smartHome.regions.EU.endpoint.uri =
        "arn:aws:lambda:eu-central-1:000000000000:function:home-hub-skill:live";
      manifest.apis.smartHome.regions.SA = { endpoint: {} };
    });

    expect(show(lintSmartHome(pkg))).toEqual([
      expect.stringMatching(
        /^error regions \$\.manifest\.apis\.smartHome\.regions\.SA unknown region "SA": Alexa's regions are NA, EU, FE/,
      ),
      expect.stringMatching(
        /^error regions \$\.manifest\.apis\.smartHome\.regions\.FE en-AU, ja-JP are served by Alexa's FE region, which has no endpoint here: .*us-west-2/,
      ),
      expect.stringMatching(
        /^error regions \$\.manifest\.apis\.smartHome\.regions\.EU\.endpoint\.uri the EU endpoint's function is in eu-central-1, but .* in eu-west-1 only/,
      ),
    ]);
  });

  it("lets one region be served by the default endpoint, and warns of an endpoint no locale uses", () => {
    const pkg = homeHubWith((manifest) => {
      for (const locale of ["en-GB", "fr-FR", "de-DE", "en-AU", "ja-JP"]) {
        delete manifest.publishingInformation.locales[locale];
        delete manifest.privacyAndCompliance.locales[locale];
      }
      delete manifest.apis.smartHome.regions.EU;
      delete manifest.apis.smartHome.regions.NA;
    });

    expect(show(lintSmartHome(pkg))).toEqual([
      expect.stringMatching(
        /^warning regions \$\.manifest\.apis\.smartHome\.regions\.FE no published locale is in Alexa's FE region/,
      ),
    ]);
  });

  it("requires account linking with the authorization code grant, HTTPS on 443, scopes, domains and no secret", () => {
    const missing = homeHubWith((_, copy) => delete copy.accountLinking);
    const broken = homeHubWith((_, copy) => {
      const request = (copy.accountLinking as any).accountLinkingRequest;
      request.type = "IMPLICIT";
      request.accessTokenUrl = "https://hub.example.com:8443/oauth/token";
      request.scopes = [];
      request.domains = ["https://hub.example.com/login"];
      request.clientSecret = "s3cr3t";
    });
    const file = join(HOME_HUB, "accountLinking.json");

    expect(show(lintSmartHome(missing))).toEqual([
      expect.stringMatching(/^error account-linking \$ a smart-home skill needs account linking/),
    ]);
    const problems = lintSmartHome(broken);
    expect(problems.every((p) => p.file === file && p.rule === "account-linking")).toBe(true);
    expect(show(problems)).toEqual([
      expect.stringMatching(
        /^error account-linking \$\.accountLinkingRequest\.type must be AUTH_CODE: smart-home skills/,
      ),
      "error account-linking $.accountLinkingRequest.scopes must name at least one scope: what Alexa may do with the user's account",
      "error account-linking $.accountLinkingRequest.domains[0] must be a domain name such as auth.example.com (no scheme, no path)",
      'error account-linking $.accountLinkingRequest.accessTokenUrl must be an HTTPS URL on port 443, got "https://hub.example.com:8443/oauth/token"',
      expect.stringMatching(
        /^error account-linking \$\.accountLinkingRequest\.clientSecret must not be in the repository/,
      ),
    ]);
    expect(JSON.stringify(problems)).not.toContain("s3cr3t");
  });

  it("does not run the interaction-model rules", () => {
    const rules = new Set(
      lintSmartHome(
        homeHubWith((manifest) => (manifest.permissions = [])),
        true,
      ).map((p) => p.rule),
    );

    expect([...rules]).toEqual(["skill-kind"]);
  });
});

describe("lint of a custom skill, the other way round", () => {
  it("refuses apis.smartHome in a custom skill's manifest, pointing at the project's kind", () => {
    const pkg = structuredClone(jokebox);
    (pkg.manifest as any).manifest.apis.smartHome = { protocolVersion: "3" };

    const problems = lintSkillPackage(pkg, { kind: custom }).filter((p) => p.rule === "skill-kind");

    expect(show(problems)).toEqual([
      expect.stringMatching(
        /^error skill-kind \$\.manifest\.apis\.smartHome the project is a custom skill \(kind custom\) but the manifest declares apis\.smartHome: .*set "kind" in skillship\.json/,
      ),
    ]);
  });

  it("accepts regional endpoints only in NA, EU and FE, and checks an account linking file it has", () => {
    const pkg = structuredClone(jokebox);
    (pkg.manifest as any).manifest.apis.custom.regions = { EU: { endpoint: {} }, APAC: { endpoint: {} } };
    pkg.accountLinking = {
      accountLinkingRequest: {
        type: "IMPLICIT",
        authorizationUrl: "http://auth.example.com/",
        clientId: "c",
        scopes: [],
      },
    };

    const problems = lintSkillPackage(pkg, { kind: custom }).filter((p) =>
      ["regions", "account-linking"].includes(p.rule),
    );

    expect(show(problems)).toEqual([
      expect.stringMatching(/^error regions \$\.manifest\.apis\.custom\.regions\.APAC unknown region "APAC"/),
      'error account-linking $.accountLinkingRequest.authorizationUrl must be an HTTPS URL on port 443, got "http://auth.example.com/"',
    ]);
  });
});
