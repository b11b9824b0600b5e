import { ConfigError } from "../../../../scripts/lib/core/errors";
import {
  accountLinkingChanges,
  prepareAccountLinking,
} from "../../../../scripts/lib/package/account-linking";

const repository = {
  clientSecretEnv: "HOME_HUB_LINKING_CLIENT_SECRET",
  accountLinkingRequest: {
    type: "AUTH_CODE",
    authorizationUrl: "https://hub.example.com/oauth/authorize",
    clientId: "alexa-home-hub",
    scopes: ["devices:read", "devices:control"],
  },
};

describe("accountLinkingChanges", () => {
  it("finds nothing when the stage holds the repository's fields, whatever it adds and however keys are ordered", () => {
    // What the Skill Management API reads back: no secret, its own redirect URLs, keys in its own order.
    const stage = {
      scopes: ["devices:read", "devices:control"],
      clientId: "alexa-home-hub",
      redirectUrls: ["https://pitangui.amazon.com/api/skill/link/M2AAAAAAAAAAAA"],
      authorizationUrl: "https://hub.example.com/oauth/authorize",
      type: "AUTH_CODE",
    };
    expect(accountLinkingChanges(repository, stage)).toEqual([]);
  });

  it("names each field whose value differs or is missing, and every field of a stage without account linking", () => {
    const stage = {
      type: "AUTH_CODE",
      clientId: "another-client",
      scopes: ["devices:control", "devices:read"],
    };
    expect(accountLinkingChanges(repository, stage)).toEqual(["authorizationUrl", "clientId", "scopes"]);
    expect(accountLinkingChanges(repository, undefined)).toEqual([
      "authorizationUrl",
      "clientId",
      "scopes",
      "type",
    ]);
  });

  it("never compares the client secret, which the service does not read back", () => {
    const withSecret = {
      accountLinkingRequest: { ...repository.accountLinkingRequest, clientSecret: "not-in-git" },
    };
    expect(accountLinkingChanges(withSecret, repository.accountLinkingRequest)).toEqual([]);
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
