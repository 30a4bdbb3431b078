// npm run bench: speed and memory of finproc, each against a baseline measured in the same
// run (the machine's noise moves both). Prints a table and writes bench/results.json.
//
// 1. `finproc apportion` on the example books, whole process, vs `node -e 0`.
// 2. Apportioning 10,000 synthetic parties over 5 categories with bounds: time and peak RSS.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'finproc.cjs');
const RUNS = Number(process.env.BENCH_RUNS ?? 25);

function wall(args) {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
  return ms;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const min = (xs) => Math.min(...xs);

// Interleave the runs so that a change in machine load hits both series alike.
const base = [];
const app = [];
for (let i = 0; i < RUNS; i++) {
  base.push(wall(['-e', '0']));
  app.push(wall([bin, 'apportion', '--year', '2026', '--format', 'json']));
}

// Synthetic books: 10,000 parties with random (seeded) rates, 1 in 5 an LDC.
let seed = 20261128;
const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
const dir = mkdtempSync(path.join(tmpdir(), 'finproc-bench-'));
const N = 10_000;
const codes = [];
for (let i = 0; codes.length < N; i++) codes.push(String.fromCharCode(65 + Math.floor(i / 676) % 26, 65 + Math.floor(i / 26) % 26, 65 + (i % 26)));
const ldc = codes.filter((_, i) => i % 5 === 0);
const rate = () => (1 + Math.floor(rnd() * 2000)) / 1000;
writeFileSync(path.join(dir, 'states.csv'), 'iso3,name_en,name_fr,name_es,language\n' + codes.map((c) => `${c},State ${c},État ${c},Estado ${c},en`).join('\n') + '\n');
writeFileSync(path.join(dir, 'parties.csv'), 'iso3,participant,entry_into_force,withdrawal_effective\n' + codes.map((c, i) => `${c},State ${c},${i % 37 === 0 ? '2026-07-01' : '2010-08-01'},`).join('\n') + '\n');
writeFileSync(path.join(dir, 'scale.csv'), 'iso3,rate_2025_2027_pct\n' + codes.map((c, i) => `${c},${i === 1 ? '1.500' : rate().toFixed(3)}`).join('\n') + '\n');
writeFileSync(path.join(dir, 'ldc.csv'), 'iso3\n' + ldc.join('\n') + '\n');
writeFileSync(path.join(dir, 'budgets.csv'), 'year,amount,currency\n2026,12345678.90,CHF\n');
writeFileSync(
  path.join(dir, 'policy.yaml'),
  `schema: finproc.policy/1
id: bench-5-categories
title: Synthetic benchmark policy
source: synthetic, for npm run bench
scale:
  periods: [{ from: "2025", to: "2027", column: rate_2025_2027_pct }]
pro_rata: months
categories:
  - { id: base, name: Equal, basis: equal, share: "10", members: all }
  - id: scale
    name: Scale with floor and ceilings
    basis: scale
    share: "40"
    bounds:
      min: { percent: "0.004", of: total }
      max: { percent: "0.05", of: total }
      ldc_max: { percent: "0.005", of: total }
  - { id: nonldc, name: Non-LDC scale, basis: scale, share: "20", members: non-ldc, bounds: { max: { percent: "0.03", of: category } } }
  - { id: ldc-equal, name: LDC equal, basis: equal, share: "10", members: ldc }
  - { id: large, name: Larger rates, basis: scale, share: "20", members: { rate_at_least: "1" }, fixed_shares: { AAB: "3" } }
`,
);
const big = [];
for (let i = 0; i < Number(process.env.BENCH_BIG_RUNS ?? 5); i++) {
  const r = spawnSync(process.execPath, [path.join(root, 'bench', 'job.mjs'), 'apportion', '--books', dir, '--year', '2026', '--format', 'json'], { cwd: root, encoding: 'utf8' });
  const last = r.stderr.trim().split('\n').pop();
  const m = JSON.parse(last);
  if (m.code !== 0) throw new Error(`synthetic apportion failed:\n${r.stderr}`);
  big.push(m);
}

const results = {
  machine: { node: process.version, cpus: (await import('node:os')).cpus().length },
  runs: RUNS,
  baseline_node_e0_ms: median(base),
  apportion_example_ms: median(app),
  apportion_vs_baseline: median(app) / median(base),
  // The fastest run of each is the least disturbed by the machine's noise.
  baseline_node_e0_min_ms: min(base),
  apportion_example_min_ms: min(app),
  apportion_vs_baseline_min: min(app) / min(base),
  synthetic: {
    parties: N,
    categories: 5,
    job_ms: median(big.map((b) => b.jobMs)),
    job_min_ms: min(big.map((b) => b.jobMs)),
    process_ms: median(big.map((b) => b.uptimeMs)),
    peak_rss_mb: Math.max(...big.map((b) => b.maxRssMB)),
  },
};
writeFileSync(process.env.BENCH_RESULTS ?? path.join(root, 'bench', 'results.json'), JSON.stringify(results, null, 2) + '\n');
const f = (x) => x.toFixed(1);
console.log(`finproc bench (${RUNS} interleaved runs; median, and fastest in brackets; node ${process.version})`);
console.log(`  node -e 0 (baseline)                      ${f(results.baseline_node_e0_ms)} ms (${f(results.baseline_node_e0_min_ms)})`);
console.log(`  apportion, example books, whole process   ${f(results.apportion_example_ms)} ms (${f(results.apportion_example_min_ms)}) = ${results.apportion_vs_baseline.toFixed(2)} x baseline (${results.apportion_vs_baseline_min.toFixed(2)} x)  (target < 2x)`);
console.log(`  apportion, ${N} parties x 5 categories    ${f(results.synthetic.job_ms)} ms (${f(results.synthetic.job_min_ms)}) in the command = ${(results.synthetic.job_ms / results.baseline_node_e0_ms).toFixed(1)} x baseline (target < 1000 ms); ${f(results.synthetic.process_ms)} ms whole process; peak RSS ${f(results.synthetic.peak_rss_mb)} MB`);
