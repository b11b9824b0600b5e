/**
 * The registry of `skillship` commands. Each module in this folder exports `register(program)`, which adds one
 * command (or a group) to the program; this list is the only place that knows them all.
 */
import type { Command } from "commander";
import type { CommandContext } from "./context";
import * as betaTest from "./beta-test";
import * as build from "./build";
import * as deployModel from "./deploy-model";
import * as dev from "./dev";
import * as dialog from "./dialog";
import * as directive from "./directive";
import * as diff from "./diff";
import * as drift from "./drift";
import * as importCommand from "./import";
import * as init from "./init";
import * as lint from "./lint";
import * as lwa from "./lwa";
import * as publish from "./publish";
import * as pulumiToken from "./pulumi-token";
import * as release from "./release";
import * as rollback from "./rollback";
import * as say from "./say";
import * as status from "./status";
import * as validate from "./validate";
import * as withdraw from "./withdraw";

/** A command module: registers itself on the program; its actions use the run's context. */
export interface CommandModule {
  register(program: Command, context: CommandContext): void;
}

// One line per command module, in the order `skillship --help` lists them.
export const commandModules: CommandModule[] = [
  init,
  importCommand,
  lint,
  build,
  dev,
  say,
  dialog,
  directive,
  diff,
  drift,
  deployModel,
  validate,
  betaTest,
  status,
  lwa,
  release,
  publish,
  rollback,
  withdraw,
  pulumiToken,
  // @command-registry
];
