import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createOutput, formatElapsed, type OutputStream } from "../../../../scripts/lib/core/output";
import { readEnvironment } from "../../../../scripts/lib/core/env";

/** A stream that records what is written; `tty` makes it look like a terminal (with the cursor calls ora uses). */
function recorder(tty = false): OutputStream & { text: () => string } {
  const chunks: string[] = [];
  return {
    isTTY: tty,
    write(text: string) {
      chunks.push(text);
      return true;
    },
    text: () => chunks.join(""),
    ...(tty ? { clearLine() {}, cursorTo() {}, moveCursor() {} } : {}),
  } as OutputStream & { text: () => string };
}

/** A clock the test moves by hand. */
function clock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

const ANSI = new RegExp(String.fromCharCode(27) + "\\[");

describe("createOutput in plain mode (not a terminal)", () => {
  it("prints headings, lines, a table without colour codes and a numbered step list", () => {
    const out = recorder();
    const output = createOutput({ json: false, stream: out, env: readEnvironment({}) });
    output.heading("Plan");
    output.table(
      [{ stage: "development", endpoint: "arn:x" }, { stage: "live" }],
      ["stage", { key: "endpoint", header: "Endpoint" }],
    );
    output.steps(Array.from({ length: 10 }, (_, i) => `step ${i + 1}`));
    const text = out.text();
    expect(text).toContain("Plan");
    expect(text).toMatch(/│ stage\s+│ Endpoint\s+│/);
    expect(text).toMatch(/│ development │ arn:x\s+│/);
    expect(text).toContain(" 1. step 1\n");
    expect(text).toContain("10. step 10\n");
    expect(text).not.toMatch(ANSI);
  });

  it("shows progress as plain lines with the elapsed time, one line per change of text", () => {
    const out = recorder();
    const time = clock();
    const output = createOutput({ json: false, stream: out, env: readEnvironment({}), now: time.now });
    const progress = output.progress("Building the interaction model");
    time.advance(4000);
    progress.update("1/2 built");
    progress.update("1/2 built");
    time.advance(70_000);
    progress.succeed("2 built");
    expect(out.text().split("\n")).toEqual([
      "Building the interaction model…",
      "… Building the interaction model: 1/2 built (4s)",
      "✔ Building the interaction model: 2 built (1m 14s)",
      "",
    ]);
  });

  it("stays plain on a terminal under CI", () => {
    const out = recorder(true);
    const output = createOutput({ json: false, stream: out, env: readEnvironment({ CI: "true" }) });
    output.progress("Waiting").fail("refused");
    output.table([{ a: 1 }], ["a"]);
    expect(out.text()).toContain("✖ Waiting: refused (0s)");
    expect(out.text()).not.toMatch(ANSI);
  });
});

describe("createOutput on a terminal", () => {
  it("animates progress with a spinner and ends it with the elapsed time", () => {
    const out = recorder(true);
    const time = clock();
    const output = createOutput({ json: false, stream: out, env: readEnvironment({}), now: time.now });
    const progress = output.progress("Certification");
    time.advance(12_000);
    progress.update("in review");
    progress.succeed("passed");
    const text = out.text();
    expect(text).toMatch(ANSI);
    expect(text).toContain("Certification: passed (12s)");
    expect(text).not.toContain("Certification…\n");
  });
});

describe("createOutput with --json", () => {
  it("prints exactly one JSON document on stdout, progress and warnings on stderr", () => {
    const out = recorder();
    const err = recorder();
    const output = createOutput({ json: true, stream: out, errorStream: err, env: readEnvironment({}) });
    output.heading("Status");
    output.line("a line for people");
    output.table([{ a: 1 }], ["a"]);
    output.steps(["one"]);
    output.progress("Building").succeed("done");
    output.warn("careful");
    output.result({ ok: true, stages: ["development"] });
    expect(() => output.result({ again: true })).toThrow(/exactly one document/);
    expect(out.text()).toBe("");
    output.end({ exitCode: 0 });
    output.end({ exitCode: 0 });
    expect(JSON.parse(out.text())).toEqual({ ok: true, stages: ["development"], exitCode: 0 });
    expect(err.text()).toContain("✔ Building: done");
    expect(err.text()).toContain("warning: careful");
  });

  it("on a failure, prints what was recorded so far with the exit code and the error, masked", () => {
    const out = recorder();
    const env = readEnvironment({ ASK_REFRESH_TOKEN: "Atzr|secret-token" });
    const output = createOutput({ json: true, stream: out, errorStream: recorder(), env });
    output.record({ operation: "release", steps: [] });
    output.record({ steps: [{ kind: "publish-version" }] });
    const error = Object.assign(new Error("refused with Atzr|secret-token"), {
      name: "ConcurrentChangeError",
      resource: "alias f:blue",
    });
    output.end({ exitCode: 1, error });
    expect(JSON.parse(out.text())).toEqual({
      operation: "release",
      steps: [{ kind: "publish-version" }],
      exitCode: 1,
      error: { type: "ConcurrentChangeError", message: "refused with ***", resource: "alias f:blue" },
    });
  });

  it("prints nothing for people", () => {
    const out = recorder();
    const output = createOutput({ json: false, stream: out, env: readEnvironment({}) });
    output.result({ hidden: true });
    output.end({ exitCode: 1, error: new Error("x") });
    expect(out.text()).toBe("");
  });
});

describe("job summary", () => {
  it("appends markdown to GITHUB_STEP_SUMMARY on Actions", () => {
    const dir = mkdtempSync(join(tmpdir(), "skillship-summary-"));
    const file = join(dir, "summary.md");
    const output = createOutput({
      json: false,
      stream: recorder(),
      env: readEnvironment({ GITHUB_ACTIONS: "true", GITHUB_STEP_SUMMARY: file }),
    });
    output.summary("### One\n");
    output.summary("### Two");
    expect(readFileSync(file, "utf8")).toBe("### One\n\n### Two\n\n");
  });
});

describe("secrets", () => {
  it("masks the values of secret variables and added secrets in every channel", () => {
    const dir = mkdtempSync(join(tmpdir(), "skillship-summary-"));
    const file = join(dir, "summary.md");
    const out = recorder();
    const err = recorder();
    const env = readEnvironment({ ASK_REFRESH_TOKEN: "Atzr|very-secret", GITHUB_STEP_SUMMARY: file });
    const output = createOutput({ json: false, stream: out, errorStream: err, env });
    output.addSecret("linking-secret");
    output.line("token Atzr|very-secret and linking-secret");
    output.warn("refused Atzr|very-secret");
    output.summary("summary Atzr|very-secret");
    expect(out.text()).toBe("token *** and ***\n");
    expect(err.text()).not.toContain("very-secret");
    expect(readFileSync(file, "utf8")).toBe("summary ***\n\n");
  });

  it("masks Login with Amazon tokens and bearer credentials no variable names, in text and in --json", () => {
    const out = recorder();
    const err = recorder();
    const env = readEnvironment({ ASK_LWA_CLIENT_SECRET: 'sec"ret\\value' });
    const text = createOutput({ json: false, stream: out, errorStream: err, env });
    text.line("answer: Authorization: Bearer Atza|IwEBIAbCdEf0123456789");
    text.warn("echoed Atzr|IwEBIRefresh987 and Atza%7CIwEBIEncoded");
    text.progress("Waiting").fail("Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig");
    const json = recorder();
    const document = createOutput({ json: true, stream: json, errorStream: recorder(), env });
    document.result({ echoed: "Bearer Atza|IwEBIInJson", secret: 'sec"ret\\value' });
    document.end({ exitCode: 0 });

    const everything = out.text() + err.text() + json.text();
    for (const leaked of [
      "IwEBIAbCdEf",
      "IwEBIRefresh",
      "IwEBIEncoded",
      "eyJhbGci",
      "IwEBIInJson",
      String.raw`ret\\value`, // the secret as JSON escapes it
    ]) {
      expect(everything).not.toContain(leaked);
    }
    expect(out.text()).toContain("Authorization: Bearer Atza|***");
    expect(err.text()).toContain("echoed Atzr|*** and Atza%7C***");
    expect(JSON.parse(json.text())).toEqual({ echoed: "Bearer Atza|***", secret: "***", exitCode: 0 });
  });
});

describe("formatElapsed", () => {
  it("shows seconds, then minutes and seconds", () => {
    expect(formatElapsed(999)).toBe("0s");
    expect(formatElapsed(59_000)).toBe("59s");
    expect(formatElapsed(3 * 60_000 + 5_000)).toBe("3m 05s");
  });
});
