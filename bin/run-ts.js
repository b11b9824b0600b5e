#!/usr/bin/env node
// Runs a TypeScript file of this repository (the benchmark, for instance) through tsx's require hook.
require("tsx/cjs");
const path = require("node:path");
const file = process.argv[2];
if (!file) {
  console.error("usage: node bin/run-ts.js FILE.ts [args...]");
  process.exit(2);
}
process.argv.splice(1, 2, path.resolve(file));
require(path.resolve(file));
