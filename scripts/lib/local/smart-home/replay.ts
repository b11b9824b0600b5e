/**
 * Replays a directive file against a smart-home skill: each step's directive built and sent, the answer
 * checked against the step's expectations, Amazon's message schema (when a validator is given) and the rule
 * that every answer echoes the directive's correlation token. Steps run in order; a failed step does not stop
 * the others.
 */
import { isDeepStrictEqual } from "node:util";
import type { DirectiveFile, DirectiveStep, StepGiven } from "./directive-file";
import { directive, type DirectiveEvent } from "./directives";

/** What the replay runs against. */
export interface ReplayHarness {
  /** Sends a directive to the skill and returns its answer. */
  invoke(event: DirectiveEvent): Promise<unknown>;
  /** Problems of a message against Amazon's schema (see `smartHomeValidator`). */
  validate?(message: unknown): string[];
  /** The value of a `${name}` variable in a payload, or undefined when the harness has none of that name. */
  variable?(name: string): string | undefined;
  /** Sets up a step's `given`; returns what undoes it. A harness without one fails such steps. */
  given?(given: StepGiven): Promise<() => Promise<void> | void>;
}

/** The outcome of one step. */
export interface StepResult {
  line: number;
  /** `Alexa.PowerController.TurnOn entree-lumiere`. */
  label: string;
  problems: string[];
  answer?: unknown;
}

/** The outcome of a file. */
export interface ReplayReport {
  file: string;
  passed: boolean;
  steps: StepResult[];
}

type Message = {
  event?: {
    header?: { namespace?: string; name?: string; correlationToken?: string };
    payload?: Record<string, unknown>;
  };
  context?: { properties?: Array<{ namespace?: string; name?: string; instance?: string; value?: unknown }> };
};

function substitute(
  value: unknown,
  variable: (name: string) => string | undefined,
  problems: string[],
): unknown {
  if (typeof value === "string") {
    return value.replace(/\$\{(\w+)\}/g, (_, name: string) => {
      const found = variable(name);
      if (found === undefined) problems.push(`payload uses \${${name}}, which the harness does not provide`);
      return found ?? "";
    });
  }
  if (Array.isArray(value)) return value.map((item) => substitute(item, variable, problems));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, substitute(item, variable, problems)]),
    );
  }
  return value;
}

/** Everything wrong with `answer` for `step`. */
function check(step: DirectiveStep, sent: DirectiveEvent, answer: unknown, harness: ReplayHarness): string[] {
  const problems: string[] = [];
  const message = (answer ?? {}) as Message;
  const header = message.event?.header;
  const got = `${header?.namespace}.${header?.name}`;
  const { expect } = step;
  if (got !== expect.event) problems.push(`answered ${got}, expected ${expect.event}`);
  const payload = message.event?.payload ?? {};
  if (expect.error !== undefined && payload.type !== expect.error) {
    problems.push(
      `error type ${JSON.stringify(payload.type)}, expected ${expect.error} (${String(payload.message)})`,
    );
  }
  const sentToken = sent.directive.header.correlationToken;
  if (sentToken !== undefined && header?.correlationToken !== sentToken) {
    problems.push("the answer does not echo the directive's correlationToken");
  }
  for (const [key, expected] of Object.entries(expect.properties ?? {})) {
    const match = /^(.+)\.(\w+)(?:\[(.+)\])?$/.exec(key) as RegExpExecArray;
    const [, namespace, name, instance] = match;
    const found = (message.context?.properties ?? []).find(
      (property) =>
        property.namespace === namespace && property.name === name && property.instance === instance,
    );
    if (found === undefined) problems.push(`context has no property ${key}`);
    else if (!isDeepStrictEqual(found.value, expected)) {
      problems.push(`${key} is ${JSON.stringify(found.value)}, expected ${JSON.stringify(expected)}`);
    }
  }
  if (expect.endpoints !== undefined) {
    const endpoints = (Array.isArray(payload.endpoints) ? payload.endpoints : []) as Array<{
      endpointId?: string;
      capabilities?: Array<{ interface?: string }>;
    }>;
    const ids = endpoints.map((endpoint) => String(endpoint.endpointId)).sort();
    const wanted = Object.keys(expect.endpoints).sort();
    if (!isDeepStrictEqual(ids, wanted))
      problems.push(`endpoints ${JSON.stringify(ids)}, expected ${JSON.stringify(wanted)}`);
    for (const [id, interfaces] of Object.entries(expect.endpoints)) {
      const have = new Set(
        endpoints.find((endpoint) => endpoint.endpointId === id)?.capabilities?.map((c) => c.interface),
      );
      const missing = interfaces.filter((name) => !have.has(name));
      if (missing.length > 0 && ids.includes(id)) problems.push(`endpoint ${id} lacks ${missing.join(", ")}`);
    }
  }
  for (const problem of harness.validate?.(answer) ?? []) problems.push(`Amazon's schema: ${problem}`);
  return problems;
}

/** Replays every step of `file` through `harness`. */
export async function replayDirectiveFile(
  file: DirectiveFile,
  harness: ReplayHarness,
): Promise<ReplayReport> {
  const steps: StepResult[] = [];
  for (const step of file.steps) {
    const label = [step.directive, step.endpoint].filter(Boolean).join(" ");
    const problems: string[] = [];
    const payload = substitute(step.payload ?? {}, harness.variable ?? (() => undefined), problems) as Record<
      string,
      unknown
    >;
    const token = step.token === null ? undefined : (step.token ?? file.token);
    const sent = directive(step.directive, {
      ...(token === undefined ? {} : { token }),
      ...(step.endpoint === undefined ? {} : { endpointId: step.endpoint }),
      ...(step.instance === undefined ? {} : { instance: step.instance }),
      payload,
    });
    let answer: unknown;
    if (problems.length === 0) {
      let undo: (() => Promise<void> | void) | undefined;
      try {
        if (step.given !== undefined) {
          if (harness.given === undefined)
            throw new Error("this step needs a `given` the harness cannot set up");
          undo = await harness.given(step.given);
        }
        answer = await harness.invoke(sent);
        problems.push(...check(step, sent, answer, harness));
      } catch (error) {
        problems.push(`failed: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        await undo?.();
      }
    }
    steps.push({ line: step.line, label, problems, answer });
  }
  return { file: file.file, passed: steps.every((step) => step.problems.length === 0), steps };
}

/** The report as text: one line per step, its problems under it. */
export function formatReplayReport(report: ReplayReport): string {
  const lines = [`${report.file}: ${report.passed ? "passed" : "FAILED"}`];
  for (const step of report.steps) {
    lines.push(`  ${step.problems.length === 0 ? "ok  " : "FAIL"} line ${step.line}: ${step.label}`);
    for (const problem of step.problems) lines.push(`         ${problem}`);
  }
  return lines.join("\n");
}
