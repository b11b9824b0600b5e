/**
 * Runs a dialog file turn by turn through a {@link TurnExecutor} and compares each answer with the turn's
 * expectations. The executor decides where the skill runs: in-process (`local.ts`, offline) or deployed, through
 * the Skill Management API's simulation (`remote.ts`).
 */
import type { DialogFile, DialogTurn, TurnExpectation } from "./format";
import { speechMatches } from "./format";

/** One directive of a response, reduced to what a person checks. */
export interface TurnDirective {
  type: string;
  /** AudioPlayer.Play: the stream URL. */
  url?: string;
  /** AudioPlayer.Play: the stream token. */
  token?: string;
  /** AudioPlayer.Play: REPLACE_ALL, ENQUEUE or REPLACE_ENQUEUED. */
  playBehavior?: string;
}

/** What the skill answered to one utterance. */
export interface TurnResult {
  /** The request type sent (LaunchRequest, IntentRequest, SessionEndedRequest, …). */
  requestType: string;
  /** The intent resolved, for an IntentRequest. */
  intent?: string;
  /** The output speech as plain text (SSML tags removed). */
  speech?: string;
  card?: { title?: string; text?: string };
  directives: TurnDirective[];
  /** True unless the response keeps the session open (`shouldEndSession: false`). */
  sessionEnded: boolean;
  /** The response envelope (or the simulation result) as received. */
  raw: unknown;
}

/** Sends one utterance to the skill and reports its answer; keeps whatever state a device keeps between turns. */
export interface TurnExecutor {
  turn(say: string, locale: string): Promise<TurnResult>;
}

/** The outcome of one turn. */
export interface TurnReport {
  /** 0-based. */
  index: number;
  say: string;
  line: number;
  passed: boolean;
  /** One readable sentence per expectation that did not hold (or the error that stopped the turn). */
  failures: string[];
  result?: TurnResult;
}

/** The outcome of a dialog file. */
export interface DialogReport {
  file: string;
  locale: string;
  passed: boolean;
  turns: TurnReport[];
  /** Turns not run because an earlier turn failed to run. */
  notRun: number;
}

/**
 * Runs every turn of the dialog in order. A turn whose executor throws is reported as failed and ends the run,
 * because the turns after it depend on the state it should have left.
 */
export async function runDialog(dialog: DialogFile, executor: TurnExecutor): Promise<DialogReport> {
  const turns: TurnReport[] = [];
  for (const [index, turn] of dialog.turns.entries()) {
    let result: TurnResult;
    try {
      result = await executor.turn(turn.say, dialog.locale);
    } catch (error) {
      turns.push({
        index,
        say: turn.say,
        line: turn.line,
        passed: false,
        failures: [`the turn failed: ${error instanceof Error ? error.message : String(error)}`],
      });
      break;
    }
    const failures = checkTurn(turn, result);
    turns.push({ index, say: turn.say, line: turn.line, passed: failures.length === 0, failures, result });
  }
  const passed = turns.length === dialog.turns.length && turns.every((turn) => turn.passed);
  return {
    file: dialog.file,
    locale: dialog.locale,
    passed,
    turns,
    notRun: dialog.turns.length - turns.length,
  };
}

/** Compares one answer with its turn's expectations; returns one message per mismatch. */
export function checkTurn(turn: Pick<DialogTurn, "expect">, result: TurnResult): string[] {
  const expected: TurnExpectation = turn.expect;
  const failures: string[] = [];
  const answeredAs = result.intent ?? result.requestType;
  if (expected.intent !== undefined && expected.intent !== answeredAs) {
    failures.push(`intent: expected ${expected.intent}, got ${answeredAs}`);
  }
  if (expected.speech !== undefined && !speechMatches(expected.speech, result.speech ?? "")) {
    failures.push(
      `speech: expected ${JSON.stringify(expected.speech)}, got ${result.speech === undefined ? "no speech" : JSON.stringify(result.speech)}`,
    );
  }
  if (expected.directives !== undefined) {
    const types = result.directives.map((directive) => directive.type);
    if (types.join("\n") !== expected.directives.join("\n")) {
      failures.push(`directives: expected ${listOrNone(expected.directives)}, got ${listOrNone(types)}`);
    }
  }
  if (expected.sessionEnded !== undefined && expected.sessionEnded !== result.sessionEnded) {
    failures.push(
      `sessionEnded: expected ${expected.sessionEnded}, got ${result.sessionEnded} (the session ${result.sessionEnded ? "ended" : "stays open"})`,
    );
  }
  return failures;
}

/** A report a person reads: one line per turn, the mismatches under the failed ones. */
export function formatDialogReport(report: DialogReport): string {
  const lines = [`${report.passed ? "PASS" : "FAIL"} ${report.file} (${report.locale})`];
  for (const turn of report.turns) {
    lines.push(`  ${turn.passed ? "ok  " : "FAIL"} turn ${turn.index + 1} (line ${turn.line}): ${turn.say}`);
    for (const failure of turn.failures) lines.push(`         ${failure}`);
  }
  if (report.notRun > 0) lines.push(`  (${report.notRun} later turn(s) not run)`);
  return lines.join("\n");
}

function listOrNone(types: string[]): string {
  return types.length === 0 ? "none" : `[${types.join(", ")}]`;
}
