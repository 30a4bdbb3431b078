#!/usr/bin/env node
// finproc: see README.md. The compiled program lives in dist/ (npm ci builds it).
import { main } from '../dist/cli/main.js';

const code = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });
process.exitCode = code;
