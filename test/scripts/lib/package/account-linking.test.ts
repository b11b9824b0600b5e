import { ConfigError } from "../../../../scripts/lib/core/errors";
import { prepareAccountLinking } from "../../../../scripts/lib/package/account-linking";
import { diffPackages, type PackageContent } from "../../../../scripts/lib/package/diff";
import { formatDiff } from "../../../../scripts/lib/package/diff-format";

const repository = {
  clientSecretEnv: "HOME_HUB_LINKING_CLIENT_SECRET",
  accountLinkingRequest: {
    type: "AUTH_CODE",
    authorizationUrl: "https://hub.example.com/oauth/authorize",
    clientId: "alexa-home-hub",
    scopes: ["devices:read", "devices:control"],
  },
};

describe("account linking in the package diff", () => {
  const manifest = { manifest: { publishingInformation: { locales: { "en-US": {} } } } };
  const repo: PackageContent = { manifest, models: {}, accountLinking: repository };
  const against = (stageAccountLinking: Record<string, unknown> | null | undefined) =>
    diffPackages(repo, { manifest, models: {}, stageAccountLinking }, "development");

  it("finds nothing when the stage holds the repository's fields, whatever it adds and however keys are ordered", () => {
    // What the Skill Management API reads back: no secret, its own redirect URLs, keys in its own order.
    const diff = against({
      scopes: ["devices:read", "devices:control"],
      clientId: "alexa-home-hub",
      redirectUrls: ["https://pitangui.amazon.com/api/skill/link/M2AAAAAAAAAAAA"],
      authorizationUrl: "https://hub.example.com/oauth/authorize",
      type: "AUTH_CODE",
    });
    expect(diff.accountLinking?.kind).toBe("unchanged");
    expect(diff.identical).toBe(true);
  });

  it("shows each field whose value differs or is missing, and the whole request for a stage without it", () => {
    const diff = against({
      type: "AUTH_CODE",
      clientId: "another-client",
      scopes: ["devices:control", "devices:read"],
    });
    expect(diff.identical).toBe(false);
    expect(diff.accountLinking).toMatchObject({ kind: "changed", additions: 4, deletions: 3 });
    expect(diff.accountLinking?.patch).toContain(
      '+    "authorizationUrl": "https://hub.example.com/oauth/authorize",',
    );
    expect(diff.accountLinking?.patch).toContain('-    "clientId": "another-client",');
    expect(diff.accountLinking?.patch).toContain('+    "clientId": "alexa-home-hub",');
    expect(formatDiff(diff, "text")).toMatch(/^ {2}account linking +changed \+4 −3$/m);
    expect(against(null).accountLinking?.kind).toBe("added");
    expect(diffPackages(repo, undefined, "live").accountLinking?.kind).toBe("added");
  });

  it("never compares or shows the client secret, which the service does not read back", () => {
    const withSecret: PackageContent = {
      ...repo,
      accountLinking: {
        accountLinkingRequest: { ...repository.accountLinkingRequest, clientSecret: "not-in-git" },
      },
    };
    const diff = diffPackages(withSecret, { manifest, models: {}, stageAccountLinking: null });
    expect(JSON.stringify(diff)).not.toContain("not-in-git");
    expect(JSON.stringify(diff)).not.toContain("clientSecret");
    const same = { manifest, models: {}, stageAccountLinking: repository.accountLinkingRequest };
    expect(diffPackages(withSecret, same).accountLinking?.kind).toBe("unchanged");
  });

  it("is left out when the repository has no accountLinking.json or the stage's was not read", () => {
    expect(against(undefined).accountLinking).toBeUndefined();
    expect(against(undefined).identical).toBe(true);
    const { accountLinking: _, ...withoutLinking } = repo;
    expect(
      diffPackages(withoutLinking, { manifest, models: {}, stageAccountLinking: { type: "IMPLICIT" } })
        .accountLinking,
    ).toBeUndefined();
  });
});

describe("prepareAccountLinking: where the client secret comes from", () => {
  const document = {
    ...repository,
    accountLinkingRequest: {
      ...repository.accountLinkingRequest,
      accessTokenUrl: "https://hub.example.com/token",
    },
  };
  const secretOf = (vars: Record<string, string>): unknown =>
    (
      prepareAccountLinking(document, "accountLinking.json", (name) => vars[name]).accountLinkingRequest as {
        clientSecret?: unknown;
      }
    ).clientSecret;

  it("reads the variable the file names, else ASK_ACCOUNT_LINKING_CLIENT_SECRET (the one the workflows set)", () => {
    expect(
      secretOf({ HOME_HUB_LINKING_CLIENT_SECRET: "named", ASK_ACCOUNT_LINKING_CLIENT_SECRET: "default" }),
    ).toBe("named");
    expect(secretOf({ ASK_ACCOUNT_LINKING_CLIENT_SECRET: "from-ci" })).toBe("from-ci");
  });

  it("without either, names both variables and never a value", () => {
    expect(() => secretOf({ OTHER: "x" })).toThrow(ConfigError);
    expect(() => secretOf({})).toThrow(
      /^Environment variable HOME_HUB_LINKING_CLIENT_SECRET \(or ASK_ACCOUNT_LINKING_CLIENT_SECRET\) is required/,
    );
  });
});
