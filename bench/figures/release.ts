/**
 * Figure 5, release round trips: the release engine against the local fakes with 50 ms added to every call (the
 * fake Skill Management API and Login with Amazon on loopback, and the in-memory Lambda model behind a port that
 * waits 50 ms per call). For a code-only release, a certified submission in five locales and a rollback: the
 * sequential calls (waves of calls that overlap in time count once) and the wall time. Each operation runs as a
 * command does, with a Skill Management API client of its own, so its Login with Amazon token requests count.
 * And the model builds: deploying and building five locales against one, to show the builds are waited in parallel.
 */
import type { FunctionsPort } from "../../scripts/lib/ports";
import { deployModel } from "../../scripts/lib/package/deploy";
import { release, rollback, publish, watch } from "../../scripts/lib/release/operations";
import type { SkillPackage } from "../../scripts/lib/package/skill-package";
import { FAKE_SKILL_ID } from "../../testkit/fakes/smapi";
import { startReleaseWorld, type ReleaseWorld } from "../../testkit/release-world";
import type { Figure } from "../lib/report";
import { summarize } from "../lib/stats";

const LATENCY_MS = 50;

interface Interval {
  start: number;
  end: number;
}

/** The Lambda port with the benchmark's latency and a log of when each call ran. */
function slowFunctions(inner: FunctionsPort, log: Interval[]): FunctionsPort {
  const wrap =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const start = performance.now();
      await new Promise((resolve) => setTimeout(resolve, LATENCY_MS));
      try {
        return await call(...args);
      } finally {
        log.push({ start, end: performance.now() });
      }
    };
  return {
    getLatest: wrap(inner.getLatest.bind(inner)),
    publishVersion: wrap(inner.publishVersion.bind(inner)),
    listVersions: wrap(inner.listVersions.bind(inner)),
    getAlias: wrap(inner.getAlias.bind(inner)),
    updateAlias: wrap(inner.updateAlias.bind(inner)),
  };
}

/** Calls that overlap in time ran in parallel: the number of merged intervals is the number of sequential calls. */
export function sequentialCalls(intervals: readonly Interval[]): number {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  let waves = 0;
  let reach = -Infinity;
  for (const { start, end } of sorted) {
    if (start >= reach) waves += 1;
    reach = Math.max(reach, end);
  }
  return waves;
}

interface Measured {
  calls: number;
  sequential: number;
  wallMs: number;
}

/** Runs `operation` in the world and measures its calls to both services. */
async function measured(
  world: ReleaseWorld,
  lambdaLog: Interval[],
  operation: () => Promise<unknown>,
): Promise<Measured> {
  const smapiBefore = world.fake.calls.length;
  lambdaLog.length = 0;
  const started = performance.now();
  await operation();
  const wallMs = performance.now() - started;
  const intervals = [
    ...world.fake.calls.slice(smapiBefore).map((c) => ({ start: c.startedAt, end: c.endedAt })),
    ...lambdaLog,
  ];
  return { calls: intervals.length, sequential: sequentialCalls(intervals), wallMs };
}

async function slowWorld(): Promise<{
  world: ReleaseWorld;
  lambdaLog: Interval[];
  deps: () => ReturnType<ReleaseWorld["deps"]>;
}> {
  const world = await startReleaseWorld({ latencyMs: LATENCY_MS, buildPolls: 2, certificationPolls: 1 });
  const lambdaLog: Interval[] = [];
  const functions = slowFunctions(world.deps().functions, lambdaLog);
  // A new Skill Management API client per operation, as each command is a process of its own.
  const deps = () =>
    world.deps({
      ...world.commandPorts(),
      functions,
      wait: { pollIntervalMs: 10, timeoutMs: 60_000 },
    });
  return { world, lambdaLog, deps };
}

/** One run of the three operations; each starts from the state the previous left. */
interface OperationsRun {
  codeOnly: Measured;
  submission: Measured;
  rollback: Measured;
}

async function operationsRun(): Promise<OperationsRun> {
  const { world, lambdaLog, deps } = await slowWorld();
  try {
    // Live first (not measured): release, certification, publish.
    await release(deps(), world.releaseInput());
    await watch(deps());
    await publish(deps(), { dryRun: false });
    world.newCode();
    // All at once: a canary's bake is waiting, not calls.
    const codeOnly = await measured(world, lambdaLog, () =>
      release(deps(), world.releaseInput({ allAtOnce: true })),
    );
    const back = await measured(world, lambdaLog, () => rollback(deps(), { force: false, dryRun: false }));
    world.newCode();
    world.changeModel();
    const submission = await measured(world, lambdaLog, () => release(deps(), world.releaseInput()));
    return { codeOnly, submission, rollback: back };
  } finally {
    await world.close();
  }
}

function onlyLocale(pkg: SkillPackage, locale: string): SkillPackage {
  const manifest = structuredClone(pkg.manifest) as {
    manifest: { publishingInformation: { locales: Record<string, unknown> } };
  };
  const locales = manifest.manifest.publishingInformation.locales;
  manifest.manifest.publishingInformation.locales = { [locale]: locales[locale] };
  return { ...pkg, manifest, models: { [locale]: pkg.models[locale] } };
}

/** The package with one more sample utterance in every locale's PlayClipIntent: every model changes. */
function everyModelChanged(pkg: SkillPackage, round: number): SkillPackage {
  const next = structuredClone(pkg);
  for (const model of Object.values(next.models)) {
    const intents = (
      model as { interactionModel: { languageModel: { intents: { name: string; samples?: string[] }[] } } }
    ).interactionModel.languageModel.intents;
    intents.find((intent) => intent.name === "PlayClipIntent")?.samples?.push(`play joke variant ${round}`);
  }
  return next;
}

/**
 * Deploys a change to every model of the package (all five locales, or en-US alone) on a fresh fake and returns
 * the wall time of that deployment: the package imported, then the builds waited. Before it, untimed, the development stage is
 * brought to the same locales, so both runs change the models and nothing else.
 */
async function modelBuildRun(locales: "five" | "one"): Promise<number> {
  const { world } = await slowWorld();
  try {
    const base = locales === "five" ? world.pkg : onlyLocale(world.pkg, "en-US");
    const deploy = (pkg: SkillPackage) =>
      deployModel(
        { skills: world.ports.skills, packages: world.ports.packages },
        {
          skillId: FAKE_SKILL_ID,
          stage: "development",
          pkg,
          endpoint: { uri: world.outputs.developmentEndpoint },
          pollIntervalMs: 10,
          timeoutMs: 60_000,
          readSecret: () => undefined,
        },
      );
    await deploy(base);
    const changed = everyModelChanged(base, 1);
    const started = performance.now();
    await deploy(changed);
    return performance.now() - started;
  } finally {
    await world.close();
  }
}

/** Measures the release figures over `runs` runs. */
export async function measureRelease(runs: number): Promise<Figure[]> {
  const results: OperationsRun[] = [];
  const five: number[] = [];
  const one: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    results.push(await operationsRun());
    five.push(await modelBuildRun("five"));
    one.push(await modelBuildRun("one"));
  }
  const figures: Figure[] = [];
  const describe = (name: string, pick: (r: OperationsRun) => Measured, budget?: number) => {
    const sequential = summarize(results.map((r) => pick(r).sequential));
    const wall = summarize(results.map((r) => pick(r).wallMs));
    const calls = summarize(results.map((r) => pick(r).calls));
    figures.push({
      group: "release round trips",
      name: `${name}: sequential calls`,
      value: sequential.median,
      unit: "calls",
      spread: `${sequential.min}–${sequential.max} (n=${sequential.runs}); ${calls.median} calls in all`,
      ...(budget === undefined ? {} : { budget: `≤ ${budget}`, met: sequential.median <= budget }),
    });
    figures.push({
      group: "release round trips",
      name: `${name}: wall time`,
      value: wall.median,
      unit: "ms",
      spread: `IQR ${wall.p25.toFixed(0)}–${wall.p75.toFixed(0)} ms (n=${wall.runs}, +${LATENCY_MS} ms per call)`,
    });
  };
  describe("code-only release", (r) => r.codeOnly);
  describe("certified submission, five locales", (r) => r.submission);
  describe("rollback", (r) => r.rollback, 3);
  const ratio = summarize(five.map((t, i) => t / one[i]));
  const fiveSummary = summarize(five);
  figures.push({
    group: "release round trips",
    name: "model deploy + builds: five locales ÷ one",
    value: ratio.median,
    unit: "×",
    spread: `five ${fiveSummary.median.toFixed(0)} ms, one ${summarize(one).median.toFixed(0)} ms (n=${ratio.runs})`,
    budget: "≤ 1.5× (parallel, not 5×)",
    met: ratio.median <= 1.5,
  });
  return figures;
}
