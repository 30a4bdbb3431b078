// Runs one finproc command in this process and reports, on the last line of stderr, its
// wall time (from process start) and peak resident memory. Used by bench/run.mjs.
import { Writable } from 'node:stream';
import loader from '../scripts/load-bundle.cjs';

const { main } = loader.loadBundle();

const sink = new Writable({ write(_c, _e, cb) { cb(); } });
const t0 = performance.now();
const code = await main(process.argv.slice(2), { stdout: sink, stderr: process.stderr, env: {}, cwd: process.cwd() });
const jobMs = performance.now() - t0;
process.stderr.write(`\n${JSON.stringify({ code, jobMs, uptimeMs: process.uptime() * 1000, maxRssMB: process.resourceUsage().maxRSS / 1024 })}\n`);
process.exitCode = code;
