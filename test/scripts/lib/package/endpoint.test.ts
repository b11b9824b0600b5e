import {
  endpointOf,
  hasNoInteractionModels,
  manifestEndpoint,
  parseEndpoint,
  skillInterface,
  withEndpoint,
  withoutEndpoints,
} from "../../../../scripts/lib/package/endpoint";
import { UsageError } from "../../../../scripts/lib/core/errors";

const ARN = "arn:aws:lambda:eu-west-1:123456789012:function:jokebox-prod:blue";

function manifest(): Record<string, unknown> {
  return {
    manifest: {
      apis: {
        custom: {
          endpoint: { uri: "arn:aws:lambda:us-east-1:123456789012:function:old" },
          regions: { EU: { endpoint: { uri: "arn:aws:lambda:eu-west-1:123456789012:function:old" } } },
          interfaces: [{ type: "AUDIO_PLAYER" }],
        },
      },
    },
  };
}

describe("parseEndpoint and manifestEndpoint", () => {
  it("takes a Lambda ARN (with or without alias) as { uri }", () => {
    expect(manifestEndpoint(parseEndpoint(ARN))).toEqual({ uri: ARN });
    expect(parseEndpoint("arn:aws:lambda:eu-west-1:123456789012:function:jokebox").kind).toBe("lambda");
  });

  it("takes an https URL as { uri, sslCertificateType }, Trusted unless told", () => {
    const url = "https://abc123.execute-api.eu-west-1.amazonaws.com/green";
    expect(manifestEndpoint(parseEndpoint(url))).toEqual({ uri: url, sslCertificateType: "Trusted" });
    expect(manifestEndpoint(parseEndpoint(url), "Wildcard").sslCertificateType).toBe("Wildcard");
  });

  it("refuses anything else, naming where it came from", () => {
    for (const bad of ["http://example.com/alexa", "jokebox-prod", "arn:aws:s3:::bucket", ""]) {
      expect(() => parseEndpoint(bad, "developmentEndpoint of outputs.json")).toThrow(UsageError);
    }
    expect(() => parseEndpoint("http://example.com")).toThrow(/^--endpoint must be a Lambda function ARN/);
  });
});

describe("manifest endpoints", () => {
  it("sets the custom endpoint and every region's, leaving the original untouched", () => {
    const original = manifest();
    const updated = withEndpoint(original, { uri: ARN });
    expect(endpointOf(updated)).toBe(ARN);
    expect(updated).toMatchObject({
      manifest: { apis: { custom: { regions: { EU: { endpoint: { uri: ARN } } } } } },
    });
    expect(endpointOf(original)).toBe("arn:aws:lambda:us-east-1:123456789012:function:old");
  });

  it("refuses a manifest with neither a custom nor a smart-home interface, naming the file", () => {
    expect(() => withEndpoint({ manifest: { apis: {} } }, { uri: ARN }, "pkg/skill.json")).toThrow(
      /^pkg\/skill\.json: the manifest declares neither apis\.custom nor apis\.smartHome/,
    );
    expect(() => withEndpoint({ manifest: { apis: { video: {} } } }, { uri: ARN }, "pkg/skill.json")).toThrow(
      UsageError,
    );
  });

  it("sets a smart-home skill's endpoint and every region's; it has no interaction model", () => {
    const smartHome = {
      manifest: {
        apis: {
          smartHome: {
            protocolVersion: "3",
            endpoint: { uri: "arn:aws:lambda:us-east-1:123456789012:function:old" },
            regions: { NA: { endpoint: { uri: "arn:aws:lambda:us-east-1:123456789012:function:old" } } },
          },
        },
      },
    };
    const updated = withEndpoint(smartHome, { uri: ARN });
    expect(endpointOf(updated)).toBe(ARN);
    expect(updated).toMatchObject({
      manifest: {
        apis: { smartHome: { protocolVersion: "3", regions: { NA: { endpoint: { uri: ARN } } } } },
      },
    });
    expect(skillInterface(updated)?.name).toBe("smartHome");
    expect(hasNoInteractionModels(updated)).toBe(true);
    expect(hasNoInteractionModels(manifest())).toBe(false);
  });

  it("refuses an HTTPS endpoint for a smart-home skill: Alexa calls those through Lambda only", () => {
    const smartHome = { manifest: { apis: { smartHome: { protocolVersion: "3" } } } };
    const https = manifestEndpoint(parseEndpoint("https://abc123.execute-api.eu-west-1.amazonaws.com/green"));
    expect(() => withEndpoint(smartHome, https, "home/skill.json")).toThrow(
      /^home\/skill\.json: manifest\.apis\.smartHome needs a Lambda function ARN/,
    );
  });

  it("gives each region its regional endpoint, adding a region the stack serves, the rest the default", () => {
    const na = "arn:aws:lambda:us-east-1:123456789012:function:jokebox-prod:blue";
    const updated = withEndpoint(manifest(), { uri: ARN }, "skill.json", { NA: na });
    expect(updated).toMatchObject({
      manifest: {
        apis: {
          custom: {
            endpoint: { uri: ARN },
            regions: { NA: { endpoint: { uri: na } }, EU: { endpoint: { uri: ARN } } },
          },
        },
      },
    });
  });

  it("reads and writes a smart-home skill's endpoints under apis.smartHome", () => {
    const smartHome = { manifest: { apis: { smartHome: { protocolVersion: "3", regions: { FE: {} } } } } };
    const fe = "arn:aws:lambda:us-west-2:123456789012:function:hub:green";
    const updated = withEndpoint(smartHome, { uri: ARN }, "skill.json", { FE: fe });
    expect(endpointOf(updated)).toBe(ARN);
    expect(updated).toEqual({
      manifest: {
        apis: {
          smartHome: {
            protocolVersion: "3",
            endpoint: { uri: ARN },
            regions: { FE: { endpoint: { uri: fe } } },
          },
        },
      },
    });
  });

  it("removes every endpoint for comparison, and empty regions with them", () => {
    const stripped = withoutEndpoints(manifest());
    expect(stripped).toEqual({ manifest: { apis: { custom: { interfaces: [{ type: "AUDIO_PLAYER" }] } } } });
    expect(endpointOf(stripped)).toBeUndefined();
    expect(endpointOf(undefined)).toBeUndefined();
  });
});
