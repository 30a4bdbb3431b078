#!/usr/bin/env node
// finproc: see README.md. The program is bundled into dist/finproc.mjs by `npm run build`
// (npm ci runs it): one file loads much faster than a tree of modules.
import { main } from '../dist/finproc.mjs';

const code = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });
process.exitCode = code;
