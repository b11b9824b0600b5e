/** The pure planners over hand-made snapshots: the decisions, the guards and the refusals, with no I/O. */
import { DEFAULT_CANARY } from "../../../../contracts/canary";
import { OperationError, UsageError } from "../../../../scripts/lib/core/errors";
import { planPublish, planWithdraw } from "../../../../scripts/lib/release/plan-publish";
import { planRelease, type ReleaseIntent } from "../../../../scripts/lib/release/plan-release";
import { planRollback } from "../../../../scripts/lib/release/plan-rollback";
import { formatAliasRecord, formatVersionRecord } from "../../../../scripts/lib/release/records";
import type { AliasState, ReleaseSnapshot, VersionState } from "../../../../scripts/lib/release/snapshot";
import { describeStep } from "../../../../scripts/lib/release/steps";

const BLUE = "arn:aws:lambda:eu-west-1:123456789012:function:f:blue";
const GREEN = "arn:aws:lambda:eu-west-1:123456789012:function:f:green";
const DEV = "arn:aws:lambda:eu-west-1:123456789012:function:f-dev";

function version(n: string, code: string, model: string): VersionState {
  const record = { tag: `v${n}`, commit: "c", bundle: code, model };
  return { version: n, codeSha256: code, description: formatVersionRecord(record), record };
}

function alias(name: string, target: VersionState, record?: AliasState["record"]): AliasState {
  return {
    name,
    functionVersion: target.version,
    revisionId: `rev-${name}`,
    description: record === undefined ? "" : formatAliasRecord(record),
    target,
    ...(record === undefined ? {} : { record }),
  };
}

/** Blue live with version 2 (code A, model M1); green holds version 1. */
function liveOnBlue(overrides: Partial<ReleaseSnapshot> = {}): ReleaseSnapshot {
  const v1 = version("1", "code-0", "m0");
  const v2 = version("2", "code-A", "m1");
  return {
    skillId: "skill",
    functionName: "f",
    developmentEndpoint: DEV,
    aliasEndpoints: { blue: BLUE, green: GREEN },
    latest: { codeSha256: "code-A", revisionId: "latest-rev" },
    versions: [v1, v2],
    aliases: {
      blue: alias("blue", v2, {
        change: "candidate",
        replaced: "1",
        model: "m1",
        at: "2026-01-02T00:00:00.000Z",
      }),
      green: alias("green", v1, {
        change: "candidate",
        replaced: "",
        model: "m0",
        at: "2026-01-01T00:00:00.000Z",
      }),
    },
    live: {
      exists: true,
      endpoint: BLUE,
      colour: "blue",
      onDevelopmentEndpoint: false,
      hasPackage: true,
      modelHash: "x",
    },
    development: { exists: true, endpoint: DEV, onDevelopmentEndpoint: true, hasPackage: true },
    developmentBuilt: true,
    certification: { id: "cert-1", status: "SUCCEEDED", submittedAt: "2026-01-02T00:01:00.000Z" },
    ...overrides,
  };
}

const intent = (overrides: Partial<ReleaseIntent> = {}): ReleaseIntent => ({
  bundleSha256: "code-A",
  modelHash: "m1",
  tag: "v9",
  commit: "c9",
  message: "m",
  publicationMethod: "MANUAL_PUBLISHING",
  now: "2026-02-01T00:00:00.000Z",
  rollout: { steps: [], judgement: DEFAULT_CANARY },
  locales: ["en-US", "de-DE"],
  ...overrides,
});

describe("planRelease", () => {
  it("does nothing when the live alias serves the code and the live stage has the package", () => {
    const plan = planRelease(liveOnBlue(), intent());
    expect(plan).toMatchObject({ path: "noop", steps: [] });
  });

  it("moves the live alias for new code under the same package, recording the replaced version", () => {
    const snapshot = liveOnBlue({ latest: { codeSha256: "code-B", revisionId: "r" } });
    const plan = planRelease(snapshot, intent({ bundleSha256: "code-B" }));
    expect(plan.path).toBe("code-only");
    expect(plan.steps.map((s) => s.kind)).toEqual(["publish-version", "move-alias"]);
    expect(plan.steps[1]).toMatchObject({
      colour: "blue",
      from: "2",
      revisionId: "rev-blue",
      to: { kind: "published" },
    });
    expect(plan.steps[1].kind === "move-alias" && plan.steps[1].description).toMatch(
      /^change=code; replaced=2; model=m1; at=2026-02-01T00:00:00.000Z; since=2026-01-02T00:00:00.000Z; tag=v9$/,
    );
  });

  it("sends a package change to the idle colour, reusing a version that already has this code and model", () => {
    const snapshot = liveOnBlue({ live: { ...liveOnBlue().live, hasPackage: false } });
    const plan = planRelease(snapshot, intent());
    expect(plan.path).toBe("candidate");
    // The development stage already holds this package, built: only its endpoint moves to the candidate.
    expect(plan.steps.map((s) => s.kind)).toEqual([
      "move-alias",
      "set-development-endpoint",
      "validate",
      "submit",
    ]);
    expect(plan.steps[0]).toMatchObject({ colour: "green", to: { kind: "existing", version: "2" } });
    expect(plan.steps[1]).toMatchObject({ endpoint: GREEN, back: false });
    expect(plan.restore).toEqual({
      fromStep: 1,
      steps: [
        {
          kind: "set-development-endpoint",
          endpoint: DEV,
          label: "the dev stack's endpoint",
          back: true,
          onlyFrom: GREEN,
        },
      ],
    });
  });

  it("uploads the package with the dev endpoint and points the stage at the candidate only once it is built", () => {
    const snapshot = liveOnBlue({
      live: { ...liveOnBlue().live, hasPackage: false },
      development: { ...liveOnBlue().development, hasPackage: false },
    });
    const plan = planRelease(snapshot, intent());
    expect(plan.steps.map((s) => s.kind)).toEqual([
      "move-alias",
      "deploy-model",
      "set-development-endpoint",
      "validate",
      "submit",
    ]);
    expect(plan.steps[1]).toEqual({ kind: "deploy-model", endpoint: DEV, label: "the dev stack's endpoint" });
    expect(plan.steps[2]).toMatchObject({ endpoint: GREEN });
    // Alexa validates the stage as it will be submitted: on the candidate, every locale, before the submission.
    expect(plan.steps[3]).toEqual({ kind: "validate", locales: ["de-DE", "en-US"] });
    // A failure from the endpoint move on (the validation's included) puts the stage back; a failed build
    // leaves it on the dev stack anyway.
    expect(plan.restore?.fromStep).toBe(2);
    const described = plan.steps.map((step) => describeStep(step, "f"));
    expect(described[1]).toMatch(/^Upload the skill package \(on the dev stack's endpoint, .*f-dev\)/);
    expect(described[3]).toBe(
      "Run Alexa's certification validations on the development stage (de-DE, en-US); stop before submitting on any REQUIRED failure",
    );
  });

  it("validates before submitting also when the stage already names the built candidate (a re-run)", () => {
    const snapshot = liveOnBlue({
      live: { ...liveOnBlue().live, hasPackage: false },
      development: {
        ...liveOnBlue().development,
        colour: "green",
        endpoint: GREEN,
        onDevelopmentEndpoint: false,
      },
    });
    const plan = planRelease(snapshot, intent());
    expect(plan.steps.map((s) => s.kind).slice(-2)).toEqual(["validate", "submit"]);
    expect(plan.restore?.fromStep).toBeLessThanOrEqual(plan.steps.findIndex((s) => s.kind === "validate"));
  });

  it("submits with the release's message as the skill version's message, on one line within 300 characters", () => {
    const snapshot = liveOnBlue({ live: { ...liveOnBlue().live, hasPackage: false } });
    const short = planRelease(snapshot, intent({ message: "v9: help\n  answers" })).steps.at(-1);
    expect(short).toMatchObject({ kind: "submit", versionMessage: "v9: help answers" });
    expect(describeStep(short!, "f")).toBe(
      'Submit the skill for certification (MANUAL_PUBLISHING) with version message "v9: help answers"',
    );

    const long = planRelease(snapshot, intent({ message: "word ".repeat(100) })).steps.at(-1);
    const sent = long?.kind === "submit" ? (long.versionMessage ?? "") : "";
    expect(sent).toHaveLength(300);
    expect(sent.endsWith("…")).toBe(true);
  });

  it("refuses to publish when $LATEST holds other code than the local bundle", () => {
    const snapshot = liveOnBlue({ live: { ...liveOnBlue().live, hasPackage: false } });
    expect(() => planRelease(snapshot, intent({ bundleSha256: "code-Z" }))).toThrow(
      /\$LATEST holds code code-A, but the local bundle .* is code-Z: deploy the stack first/,
    );
  });

  it("refuses while another candidate is in certification", () => {
    const snapshot = liveOnBlue({
      live: { ...liveOnBlue().live, hasPackage: false },
      certification: { id: "cert-2", status: "IN_PROGRESS" },
    });
    expect(() => planRelease(snapshot, intent())).toThrow(OperationError);
    expect(() => planRelease(snapshot, intent())).toThrow(/cert-2 is in progress for another candidate/);
  });

  it("is pure: the same snapshot and intent give the same plan", () => {
    const snapshot = liveOnBlue({ latest: { codeSha256: "code-B", revisionId: "r" } });
    expect(planRelease(snapshot, intent({ bundleSha256: "code-B" }))).toEqual(
      planRelease(structuredClone(snapshot), intent({ bundleSha256: "code-B" })),
    );
  });
});

describe("planRollback", () => {
  it("refuses --to a version built for another model unless forced", () => {
    const snapshot = liveOnBlue();
    expect(() => planRollback(snapshot, { to: "1", force: false, now: "n" })).toThrow(
      /built for interaction model m0, but the live stage has model m1/,
    );
    expect(planRollback(snapshot, { to: "1", force: true, now: "n" }).steps).toHaveLength(1);
  });

  it("says there is nothing earlier to go back to after the first certified release", () => {
    const first = liveOnBlue();
    first.aliases.green = alias("green", first.versions[0]);
    first.skillVersions = [{ version: "1", creationTime: "2026-01-02T00:01:00.000Z" }];
    expect(() => planRollback(first, { force: false, now: "n" })).toThrow(/no earlier live version/);
  });

  it("rolls the skill back to the version submitted while the previous colour was the candidate", () => {
    const snapshot = liveOnBlue();
    snapshot.aliases.blue.record = { ...snapshot.aliases.blue.record!, at: "2026-01-03T00:00:00.000Z" };
    snapshot.skillVersions = [
      { version: "3", creationTime: "2026-01-03T00:01:00.000Z" },
      { version: "2", creationTime: "2026-01-01T00:02:00.000Z" },
      { version: "1", creationTime: "2025-12-01T00:00:00.000Z" },
    ];
    const plan = planRollback(snapshot, { force: false, now: "2026-02-01T00:00:00.000Z" });
    expect(plan.path).toBe("skill");
    expect(plan.steps.map((s) => s.kind)).toEqual(["move-alias", "rollback-skill"]);
    expect(plan.steps[1]).toMatchObject({ targetVersion: "2", colour: "green" });
  });

  it("skips skill versions whose submission failed, was withdrawn or is in review; the window breaks the tie", () => {
    const snapshot = liveOnBlue();
    snapshot.aliases.blue.record = { ...snapshot.aliases.blue.record!, at: "2026-01-03T00:00:00.000Z" };
    snapshot.skillVersions = [
      { version: "7", creationTime: "2026-01-03T00:01:00.000Z", status: "LIVE" },
      { version: "6", creationTime: "2026-01-02T18:00:00.000Z", status: "IN_REVIEW" },
      { version: "5", creationTime: "2026-01-02T12:00:00.000Z", status: "WITHDRAWN_FROM_CERTIFICATION" },
      { version: "4", creationTime: "2026-01-02T06:00:00.000Z", status: "FAILED_CERTIFICATION" },
      { version: "3", creationTime: "2026-01-01T00:03:00.000Z", status: "CERTIFIED" },
      { version: "2", creationTime: "2026-01-01T00:02:00.000Z", status: "CERTIFIED" },
      { version: "1", creationTime: "2025-12-01T00:00:00.000Z", status: "CERTIFIED" },
    ];
    const plan = planRollback(snapshot, { force: false, now: "2026-02-01T00:00:00.000Z" });
    expect(plan.steps[1]).toMatchObject({ kind: "rollback-skill", targetVersion: "3", colour: "green" });

    // A listing without statuses leaves the choice to the window alone.
    snapshot.skillVersions = snapshot.skillVersions.map(({ status: _status, ...version }) => version);
    expect(planRollback(snapshot, { force: false, now: "n" }).steps[1]).toMatchObject({ targetVersion: "6" });

    // Only versions that never went live in the window: refused, naming them.
    snapshot.skillVersions = [
      { version: "5", creationTime: "2026-01-02T12:00:00.000Z", status: "WITHDRAWN_FROM_CERTIFICATION" },
      { version: "4", creationTime: "2026-01-02T06:00:00.000Z", status: "FAILED_CERTIFICATION" },
    ];
    expect(() => planRollback(snapshot, { force: false, now: "n" })).toThrow(
      /only 5 \(WITHDRAWN_FROM_CERTIFICATION\), 4 \(FAILED_CERTIFICATION\)\) while the green alias was the candidate/,
    );
  });

  it("names the versions that exist when --to names none", () => {
    expect(() => planRollback(liveOnBlue(), { to: "7", force: false, now: "n" })).toThrow(UsageError);
  });
});

describe("planPublish and planWithdraw", () => {
  it("refuses to publish what is not certified, saying where certification stands", () => {
    const snapshot = liveOnBlue({ certification: { id: "cert-3", status: "FAILED" } });
    expect(() => planPublish(snapshot)).toThrow(/the newest certification, cert-3, ended FAILED/);
    expect(() => planPublish(liveOnBlue(), { publishesAt: "tomorrow" })).toThrow(/--at "tomorrow"/);
  });

  it("withdraws a pending certification and restores the development stage", () => {
    const snapshot = liveOnBlue({
      certification: { id: "cert-4", status: "IN_PROGRESS" },
      development: {
        exists: true,
        endpoint: GREEN,
        colour: "green",
        onDevelopmentEndpoint: false,
        hasPackage: true,
      },
    });
    const plan = planWithdraw(snapshot, { reason: "discovered issue" });
    expect(plan.steps).toEqual([
      { kind: "withdraw", certificationId: "cert-4", reason: "DISCOVERED_ISSUE" },
      { kind: "set-development-endpoint", endpoint: DEV, label: "the dev stack's endpoint", back: true },
    ]);
    expect(() => planWithdraw(snapshot, { reason: "OTHER" })).toThrow(/--reason OTHER needs --message/);
  });
});
