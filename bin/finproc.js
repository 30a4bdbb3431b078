#!/usr/bin/env node
// finproc: see README.md. The program is bundled into dist/finproc.mjs by `npm run build`
// (npm ci runs it): one file loads much faster than a tree of modules.
import { main } from '../dist/finproc.mjs';

// A closed pipe (finproc … | head) is normal: stop quietly. Any other failure to write
// the output (a full disk) is one line, not a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code !== 'EPIPE') process.stderr.write(`error: cannot write the output: ${e.message}\n`);
    process.exit(e.code === 'EPIPE' ? 0 : 1);
  });
}

const code = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });
process.exitCode = code;
