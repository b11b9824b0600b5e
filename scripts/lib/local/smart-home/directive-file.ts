/**
 * Directive files (`examples/home-hub/directives/*.yaml`): a sequence of directives sent to a smart-home
 * skill, each with what the answer must be. The smart-home counterpart of the dialog files, replayed by the
 * tests and by `skillship directive --replay`.
 *
 * ```yaml
 * description: The hall light
 * token: hub-token-alice              # default bearer token of every step
 * steps:
 *   - directive: Alexa.PowerController.TurnOn
 *     endpoint: entree-lumiere
 *     expect:
 *       event: Alexa.Response
 *       properties: { Alexa.PowerController.powerState: "ON" }
 *   - directive: Alexa.RangeController.SetRangeValue
 *     endpoint: salon-volet
 *     instance: Shutter.Position
 *     payload: { rangeValue: 120 }
 *     expect: { event: Alexa.ErrorResponse, error: VALUE_OUT_OF_RANGE }
 *   - given: { hub: down }              # for this step only: the local fake hub does not answer
 *     directive: Alexa.ReportState
 *     endpoint: entree-lumiere
 *     expect: { event: Alexa.ErrorResponse, error: BRIDGE_UNREACHABLE }
 * ```
 */
import { readFile } from "node:fs/promises";
import { isNode, LineCounter, parseDocument, type Document } from "yaml";
import { z } from "zod";
import { ConfigError } from "../../core/errors";

/** Conditions a step sets up on the local fake hub, undone after the step. */
export interface StepGiven {
  /** The hub answers normally, resets connections, or never answers. */
  hub?: "up" | "down" | "hanging";
  /** Devices the hub cannot reach during the step. */
  offline?: string[];
}

/** What a step's answer must be; every field but `event` is optional. */
export interface StepExpectation {
  /** `namespace.name` of the answer: `Alexa.Response`, `Alexa.ErrorResponse`, `Alexa.StateReport`, … */
  event: string;
  /** `payload.type` of an error response. */
  error?: string;
  /** Context properties, keyed `Namespace.name` or `Namespace.name[instance]`, with their value. */
  properties?: Record<string, unknown>;
  /** Discover.Response: exactly these endpoint ids, each with at least these capability interfaces. */
  endpoints?: Record<string, string[]>;
}

/** One step of a directive file. */
export interface DirectiveStep {
  /** `Namespace.Name`, e.g. `Alexa.PowerController.TurnOn`. */
  directive: string;
  endpoint?: string;
  instance?: string;
  /** The bearer token; `null` sends none; default the file's. */
  token?: string | null;
  /** The directive's payload; `${name}` in a string is a variable the replaying harness provides. */
  payload?: Record<string, unknown>;
  given?: StepGiven;
  expect: StepExpectation;
  /** 1-based line of the step in its file. */
  line: number;
}

/** A parsed directive file. */
export interface DirectiveFile {
  file: string;
  description?: string;
  token?: string;
  steps: DirectiveStep[];
}

const qualifiedName = z.string().regex(/^[A-Za-z][\w]*(\.[A-Za-z][\w]*)+$/, {
  error: "must be Namespace.Name, e.g. Alexa.PowerController.TurnOn",
});

const stepSchema = z
  .object({
    directive: qualifiedName,
    endpoint: z.string().min(1).optional(),
    instance: z.string().min(1).optional(),
    token: z.string().min(1).nullable().optional(),
    payload: z.record(z.string(), z.unknown()).optional(),
    given: z
      .object({
        hub: z.enum(["up", "down", "hanging"]).optional(),
        offline: z.array(z.string().min(1)).optional(),
      })
      .strict()
      .optional(),
    expect: z
      .object({
        event: qualifiedName,
        error: z
          .string()
          .regex(/^[A-Z_]+$/, { error: "must be an error type such as NO_SUCH_ENDPOINT" })
          .optional(),
        properties: z
          .record(
            z.string().regex(/^[A-Za-z][\w.]*\.[A-Za-z]\w*(\[[^\]]+\])?$/, {
              error: "property keys are Namespace.name or Namespace.name[instance]",
            }),
            z.unknown(),
          )
          .optional(),
        endpoints: z.record(z.string(), z.array(z.string())).optional(),
      })
      .strict(),
  })
  .strict();

const fileSchema = z
  .object({
    description: z.string().optional(),
    token: z.string().min(1).optional(),
    steps: z.array(stepSchema).min(1, { error: "must list at least one step" }),
  })
  .strict();

/**
 * Parses the text of a directive file. Throws an Error listing every problem at once, each as
 * `file:line: field: what is wrong`.
 */
export function parseDirectiveFile(text: string, file: string): DirectiveFile {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: true });
  if (document.errors.length > 0) {
    const problems = document.errors.map(
      (error) => `${file}:${error.linePos?.[0].line ?? 1}: ${error.message.split("\n")[0]}`,
    );
    throw new ConfigError(`Directive file ${file} is not valid YAML:\n  ${problems.join("\n  ")}`);
  }
  const parsed = fileSchema.safeParse(document.toJS());
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const keys = issue.code === "unrecognized_keys" ? issue.keys : [];
      const at = issue.path.map((key) => (typeof key === "symbol" ? String(key) : key));
      const field = at
        .map((key) => (typeof key === "number" ? `[${key}]` : `.${key}`))
        .join("")
        .replace(/^\./, "");
      // A record key's own rule is nested under "Invalid key in record".
      const keyRule = issue.code === "invalid_key" ? issue.issues[0]?.message : undefined;
      const message = keys.length > 0 ? `unknown field(s) ${keys.join(", ")}` : (keyRule ?? issue.message);
      return `${file}:${lineAt(document, lines, keys.length > 0 ? [...at, keys[0]] : at)}: ${field || "(top level)"}: ${message}`;
    });
    throw new ConfigError(
      `Directive file ${file} has the wrong shape:\n  ${problems.join("\n  ")}\n` +
        "  (expected: description, token, steps: [{ directive, endpoint, instance, token, payload, given, expect: " +
        "{ event, error, properties, endpoints } }])",
    );
  }
  const { description, token, steps } = parsed.data;
  return {
    file,
    ...(description === undefined ? {} : { description }),
    ...(token === undefined ? {} : { token }),
    steps: steps.map((step, index) => ({ ...step, line: lineAt(document, lines, ["steps", index]) })),
  };
}

/**
 * Reads and parses a directive file; a file that cannot be read is a {@link ConfigError} naming it. Messages
 * and the result name it `shown` (default `file`), e.g. as the user typed it.
 */
export async function readDirectiveFile(file: string, shown: string = file): Promise<DirectiveFile> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new ConfigError(`Directive file ${shown} cannot be read: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return parseDirectiveFile(text, shown);
}

/** The line of the node at `at`, or of its nearest existing parent. */
function lineAt(document: Document, lines: LineCounter, at: readonly PropertyKey[]): number {
  for (let depth = at.length; depth >= 0; depth -= 1) {
    const node = depth === 0 ? document.contents : document.getIn(at.slice(0, depth), true);
    if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
  }
  return 1;
}
