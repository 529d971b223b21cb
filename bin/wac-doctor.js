#!/usr/bin/env node
'use strict';
// Runs the compiled CLI (npm install builds it through `prepare`).
require('../dist/cli/main.js')
  .main(process.argv.slice(2))
  .then((code) => { process.exitCode = code; });
