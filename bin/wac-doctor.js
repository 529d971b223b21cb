#!/usr/bin/env node
'use strict';
/**
 * Runs the compiled CLI (npm install builds it through `prepare`): the esbuild bundle dist/cli/wac-doctor.js
 * (cli/esbuild.js; one file, loaded with a V8 code cache beside it) when it is at least as new as the tsc build,
 * else the tsc output dist/cli/main.js, so a `tsc`-only development build never runs a stale bundle.
 */
const { statSync } = require('node:fs');
const { join } = require('node:path');

const DIST = join(__dirname, '..', 'dist');
const BUNDLE = join(DIST, 'cli', 'wac-doctor.js');

const mtime = (path) => {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
};

/** The tsc build's time: its build info (a checkout), or its entry (an installed package ships no build info). */
function bundleIsCurrent() {
  const bundle = mtime(BUNDLE);
  if (bundle === undefined) return false;
  const tsc = mtime(join(DIST, '.tsbuildinfo')) ?? mtime(join(DIST, 'cli', 'main.js'));
  return tsc === undefined || bundle >= tsc;
}

let cli;
let saveCache = () => false;
if (bundleIsCurrent()) {
  const loaded = require('./code-cache').loadWithCodeCache(BUNDLE, `${BUNDLE}.${process.versions.v8}.cache`);
  cli = loaded.exports;
  saveCache = loaded.save;
} else {
  cli = require('../dist/cli/main.js');
}
cli.main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
  saveCache();
});
