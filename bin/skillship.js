#!/usr/bin/env node
// The `skillship` CLI: dist/cli/skillship.js, the bundle `npm ci` (prepare) or `npm pack` built, which starts
// without compiling anything. In a checkout of Skillship itself, when a source the bundle was built from changed
// since, the TypeScript sources run instead, through tsx, so a stale bundle never hides a change.
const fs = require("node:fs");
const path = require("node:path");

// Node 22 keeps the compiled code of every module it loads in a cache on disk: later starts skip compiling it.
try {
  require("node:module").enableCompileCache?.();
} catch {
  // An unwritable cache only makes the start slower.
}

const root = path.join(__dirname, "..");
const bundle = path.join(root, "dist", "cli", "skillship.js");

function sourcesChangedSince(builtAt) {
  let inputs;
  try {
    inputs = JSON.parse(fs.readFileSync(path.join(root, "dist", "cli", "inputs.json"), "utf8"));
  } catch {
    return true;
  }
  return inputs.some((input) => {
    try {
      return fs.statSync(path.join(root, input)).mtimeMs > builtAt;
    } catch {
      return true;
    }
  });
}

function runFromSources() {
  const checkout = fs.existsSync(path.join(root, "scripts", "main.ts"));
  if (!checkout) return false;
  let builtAt;
  try {
    builtAt = fs.statSync(bundle).mtimeMs;
  } catch {
    return true;
  }
  return sourcesChangedSince(builtAt);
}

if (runFromSources()) {
  require("tsx/cjs");
  require("../scripts/main.ts");
} else {
  require(bundle);
}
