#!/usr/bin/env node
// The `skillship` CLI runs from TypeScript sources through tsx's require hook, so a fresh clone needs no build step.
require("tsx/cjs");
require("../scripts/main.ts");
