import {
  diffPackages,
  interactionModelHash,
  shortHash,
  type PackageContent,
} from "../../../../scripts/lib/package/diff";
import { formatDiff } from "../../../../scripts/lib/package/diff-format";

const arn = "arn:aws:lambda:eu-west-1:123456789012:function:jokebox";

function model(invocationName: string, samples: string[] = ["tell me a joke"]): Record<string, unknown> {
  return {
    interactionModel: {
      languageModel: {
        invocationName,
        intents: [{ name: "PlayClipIntent", samples, slots: [{ name: "number", type: "AMAZON.NUMBER" }] }],
        types: [],
      },
    },
  };
}

function repoPackage(): PackageContent {
  return {
    manifest: {
      manifest: {
        manifestVersion: "1.0",
        publishingInformation: {
          locales: { "en-US": { name: "Joke Box" }, "de-DE": { name: "Witze Kiste" } },
        },
        apis: { custom: { endpoint: { uri: arn }, interfaces: [{ type: "AUDIO_PLAYER" }] } },
      },
    },
    models: { "en-US": model("joke box"), "de-DE": model("witze kiste", ["erzähl mir einen witz"]) },
  };
}

/** The same package as the Skill Management API returns it: other key order, other endpoint, model metadata. */
function stagePackage(): PackageContent {
  const repo = repoPackage();
  const manifest = repo.manifest?.manifest as Record<string, unknown>;
  return {
    manifest: {
      manifest: {
        apis: {
          custom: {
            interfaces: [{ type: "AUDIO_PLAYER" }],
            endpoint: { uri: "https://example.com/alexa", sslCertificateType: "Wildcard" },
            regions: { EU: { endpoint: { uri: `${arn}:blue` } } },
          },
        },
        publishingInformation: manifest.publishingInformation,
        manifestVersion: "1.0",
      },
    },
    models: {
      "de-DE": { version: "3", description: "from the console", ...repo.models["de-DE"] },
      "en-US": { version: "7", ...repo.models["en-US"] },
    },
  };
}

describe("diffPackages", () => {
  it("finds identical packages whatever the key order, endpoints and model metadata", () => {
    const diff = diffPackages(repoPackage(), stagePackage(), "development");
    expect(diff.identical).toBe(true);
    expect(diff.manifest.kind).toBe("unchanged");
    expect(Object.values(diff.locales).map((c) => c.kind)).toEqual(["unchanged", "unchanged"]);
    expect(formatDiff(diff, "text")).toBe(
      "The skill package is identical to the development stage (endpoints excluded).\n",
    );
  });

  it("reports a manifest-only change", () => {
    const repo = repoPackage();
    (repo.manifest?.manifest as { manifestVersion: string }).manifestVersion = "1.1";
    const diff = diffPackages(repo, stagePackage(), "live");
    expect(diff.identical).toBe(false);
    expect(diff.manifest).toMatchObject({ kind: "changed", additions: 1, deletions: 1 });
    expect(diff.manifest.patch).toContain('-    "manifestVersion": "1.0",');
    expect(diff.manifest.patch).toContain('+    "manifestVersion": "1.1",');
    expect(diff.manifest.patch).toContain("--- live/skill.json\n+++ repository/skill.json");
    expect(diff.locales["en-US"].kind).toBe("unchanged");
  });

  it("reports one locale changed with a readable unified diff", () => {
    const repo = repoPackage();
    repo.models["de-DE"] = model("witze kiste", ["erzähl mir einen witz", "spiel clip {number}"]);
    const diff = diffPackages(repo, stagePackage(), "development");
    expect(diff.manifest.kind).toBe("unchanged");
    expect(diff.locales["en-US"].kind).toBe("unchanged");
    expect(diff.locales["de-DE"]).toMatchObject({ kind: "changed", additions: 2, deletions: 1 });
    expect(diff.locales["de-DE"].patch).toContain("+++ repository/interactionModels/custom/de-DE.json");
    expect(diff.locales["de-DE"].patch).toContain('+            "spiel clip {number}"');
    const text = formatDiff(diff, "text");
    expect(text).toMatch(/de-DE\s+changed \+2 −1/);
    expect(text).toMatch(/en-US\s+unchanged\n/);
  });

  it("ignores a change of endpoint alone", () => {
    const repo = repoPackage();
    const stage = repoPackage();
    const apis = (stage.manifest?.manifest as { apis: { custom: Record<string, unknown> } }).apis;
    apis.custom.endpoint = { uri: `${arn}:green` };
    apis.custom.regions = { NA: { endpoint: { uri: `${arn}:green` } } };
    expect(diffPackages(repo, stage).identical).toBe(true);
  });

  it("reports locales only in the repository or only on the stage, and a stage with nothing yet", () => {
    const repo = repoPackage();
    repo.models["fr-FR"] = model("boîte à blagues");
    delete repo.models["de-DE"];
    const diff = diffPackages(repo, stagePackage());
    expect(diff.locales["fr-FR"].kind).toBe("added");
    expect(diff.locales["de-DE"].kind).toBe("removed");
    const empty = diffPackages(repoPackage(), undefined, "live");
    expect(empty.manifest.kind).toBe("added");
    expect(Object.values(empty.locales).every((c) => c.kind === "added")).toBe(true);
  });
});

describe("formatDiff", () => {
  it("renders markdown for a pull request: a summary table and collapsible diff blocks", () => {
    const repo = repoPackage();
    repo.models["de-DE"] = model("witze kiste", ["spiel ```code``` ab"]);
    const markdown = formatDiff(diffPackages(repo, stagePackage(), "development"), "markdown");
    expect(markdown).toContain("### Skill package against the development stage");
    expect(markdown).toContain("| part | change | lines |\n| --- | --- | --- |\n| manifest | unchanged |  |");
    expect(markdown).toContain("| de-DE | changed | +1 −1 |");
    expect(markdown).toContain("<details>\n<summary>de-DE: changed, +1 −1</summary>\n\n````diff\n");
    expect(markdown).not.toContain("<summary>en-US");
    expect(markdown.match(/<details>/g)).toHaveLength(1);
  });

  it("says plainly when there is no difference, and gives JSON for machines", () => {
    const diff = diffPackages(repoPackage(), stagePackage(), "live");
    expect(formatDiff(diff, "markdown")).toContain("No difference");
    expect(JSON.parse(formatDiff(diff, "json"))).toMatchObject({ stage: "live", identical: true });
  });
});

describe("interactionModelHash", () => {
  it("is stable across key order and endpoints and changes with any model or manifest change", () => {
    const hash = interactionModelHash(repoPackage());
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(interactionModelHash(stagePackage())).toBe(hash);
    const changed = repoPackage();
    changed.models["en-US"] = model("joke box", ["tell me a joke", "play a clip"]);
    expect(interactionModelHash(changed)).not.toBe(hash);
    expect(shortHash(hash)).toBe(hash.slice(0, 12));
  });
});

describe("formatDiff markdown limit", () => {
  it("shortens long patches to fit a pull request comment, keeping every part in the table", () => {
    const repo = repoPackage();
    const many = Array.from({ length: 3000 }, (_, i) => `tell me joke number ${i}`);
    repo.models["en-US"] = model("joke box", many);
    repo.models["de-DE"] = model("witze kiste", many);
    const diff = diffPackages(repo, stagePackage(), "development");
    const full = formatDiff(diff, "markdown", { maxChars: Number.POSITIVE_INFINITY });
    const short = formatDiff(diff, "markdown", { maxChars: 20_000 });
    expect(full.length).toBeGreaterThan(100_000);
    expect(short.length).toBeLessThanOrEqual(20_000);
    expect(short).toContain("| en-US | changed | +3000 −1 |");
    expect(short).toContain("| de-DE | changed |");
    expect(short).toMatch(/… \d+ more lines \(run `skillship diff` to see them all\)/);
    expect(formatDiff(diff, "markdown").length).toBeLessThanOrEqual(60_000);
  });
});

describe("icons", () => {
  it("does not count a local file:// icon against the stage's hosted icon as a difference", () => {
    const withIcons = (uri: string): PackageContent => {
      const pkg = repoPackage();
      const locales = (
        pkg.manifest?.manifest as { publishingInformation: { locales: Record<string, object> } }
      ).publishingInformation.locales;
      locales["en-US"] = { ...locales["en-US"], smallIconUri: uri, largeIconUri: uri };
      return pkg;
    };
    const hosted = "https://s3.amazonaws.com/CAPI-PROD-SKILLS-IMAGES/icon.png";
    expect(diffPackages(withIcons("file://assets/images/icon-108.png"), withIcons(hosted)).identical).toBe(
      true,
    );
    // Two hosted URLs are compared as they are.
    expect(diffPackages(withIcons("https://example.com/new.png"), withIcons(hosted)).identical).toBe(false);
  });
});
