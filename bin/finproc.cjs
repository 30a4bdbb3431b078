#!/usr/bin/env node
'use strict';
// finproc: see README.md. `npm run build` (run by npm ci) bundles the program into
// dist/finproc.cjs; scripts/load-bundle.cjs loads it with V8's code cache.
const { loadBundle } = require('../scripts/load-bundle.cjs');

// A closed pipe (finproc … | head) is normal: stop quietly. Any other failure to write
// the output (a full disk) is one line, not a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code !== 'EPIPE') process.stderr.write(`error: cannot write the output: ${e.message}\n`);
    process.exit(e.code === 'EPIPE' ? 0 : 1);
  });
}

const { main } = loadBundle();
main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() }).then((code) => {
  process.exitCode = code;
});
