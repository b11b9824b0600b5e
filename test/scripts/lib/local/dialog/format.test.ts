import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  parseDialogFile,
  readDialogFile,
  speechMatches,
} from "../../../../../scripts/lib/local/dialog/format";
import { ConfigError } from "../../../../../scripts/lib/core/errors";

const valid = `locale: de-DE
description: Start
turns:
  - say: "öffne witze kiste"
    expect: { intent: LaunchRequest, speech: "Willkommen", directives: [AudioPlayer.Play], sessionEnded: true }
  - say: pause
`;

function errorOf(text: string, file = "test/dialogs/x.yaml"): ConfigError {
  try {
    parseDialogFile(text, file);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("parseDialogFile", () => {
  it("reads locale, turns, expectations and the line of each turn", () => {
    const dialog = parseDialogFile(valid, "d.yaml");
    expect(dialog.locale).toBe("de-DE");
    expect(dialog.turns).toEqual([
      {
        say: "öffne witze kiste",
        line: 4,
        expect: {
          intent: "LaunchRequest",
          speech: "Willkommen",
          directives: ["AudioPlayer.Play"],
          sessionEnded: true,
        },
      },
      { say: "pause", line: 6, expect: {} },
    ]);
  });

  it("names file, line and field of a wrong type", () => {
    const error = errorOf(valid.replace("sessionEnded: true", 'sessionEnded: "yes"'));
    expect(error.message).toContain("test/dialogs/x.yaml:5: turns[0].expect.sessionEnded:");
  });

  it("names an unknown field with its line", () => {
    const error = errorOf(valid.replace("  - say: pause", "  - say: pause\n    expct: { intent: X }"));
    expect(error.message).toContain("test/dialogs/x.yaml:7: turns[1]: unknown field(s) expct");
  });

  it("reports every problem at once, a missing field at its parent", () => {
    const error = errorOf("locale: german\nturns:\n  - expect: {}\n");
    expect(error.message).toContain("x.yaml:1: locale: must be a locale such as en-US or de-DE");
    expect(error.message).toMatch(/x\.yaml:3: turns\[0\]\.say: /);
  });

  it("rejects an invalid speech regex", () => {
    const error = errorOf(valid.replace('speech: "Willkommen"', 'speech: "/(unclosed/"'));
    expect(error.message).toMatch(/x\.yaml:5: turns\[0\]\.expect\.speech: not a valid \/regex\/flags/);
  });

  it("reports YAML syntax errors with a line", () => {
    const error = errorOf("locale: en-US\nturns:\n  - say: [unclosed\n");
    expect(error.message).toMatch(/x\.yaml:\d+: /);
    expect(error.message).toContain("not valid YAML");
  });

  it("names a file that cannot be read", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "dialog-"));
    await expect(readDialogFile(path.join(dir, "missing.yaml"))).rejects.toThrow(/missing\.yaml/);
    await writeFile(path.join(dir, "ok.yaml"), valid);
    await expect(readDialogFile(path.join(dir, "ok.yaml"))).resolves.toMatchObject({ locale: "de-DE" });
  });
});

describe("speechMatches", () => {
  it("matches a case-insensitive substring or a /regex/flags", () => {
    expect(speechMatches("willkommen", "Willkommen bei der Witzekiste")).toBe(true);
    expect(speechMatches("hallo", "Willkommen")).toBe(false);
    expect(speechMatches("/^welcome.*box$/i", "Welcome to Joke Box")).toBe(true);
    expect(speechMatches("/^box/", "Welcome to Joke Box")).toBe(false);
  });
});
