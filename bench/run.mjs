// npm run bench: speed and memory of finproc, each against a baseline measured in the same
// run (the machine's noise moves both). Prints a table and writes bench/results.json.
//
// 1. `finproc apportion` on the example books, whole process, vs `node -e 0`.
// 2. Apportioning 10,000 synthetic parties over 5 categories with bounds: time and peak RSS.
// 3. `finproc arrears` on a synthetic ledger (bench/ledger.mjs: 1,000,000 payment rows, 200
//    States, 30 years), whole process: time and peak RSS against the target (3 s, 500 MB),
//    and hledger's balance by State on the same data as a journal, per payment row; the
//    balances per State of both are cross-checked on the first 100,000 rows.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

// Ledger: generate the books once (not timed), then time the whole `arrears` process.
const LEDGER_N = Number(process.env.BENCH_LEDGER_PAYMENTS ?? 1_000_000);
const SLICE = Math.min(100_000, LEDGER_N);
const HLEDGER_MAX_S = 60; // run hledger on the full set only if it should take less than this
const { makeLedgerBooks, sliceBooks, toJournal } = await import('./ledger.mjs');
const ldir = mkdtempSync(path.join(tmpdir(), 'finproc-bench-ledger-'));
const lbooks = path.join(ldir, 'books');
const lslice = path.join(ldir, 'slice');
const gen = makeLedgerBooks(lbooks, { payments: LEDGER_N });
sliceBooks(lbooks, lslice, SLICE);
const hasTime = existsSync('/usr/bin/time');
/** Whole process, stdout to /dev/null: wall ms and (with /usr/bin/time) peak RSS in MB. */
function timed(cmd, args, { timeoutMs } = {}) {
  const rss = path.join(ldir, 'rss');
  const [c, a] = hasTime ? ['/usr/bin/time', ['-f', '%M', '-o', rss, cmd, ...args]] : [cmd, args];
  const t = process.hrtime.bigint();
  const r = spawnSync(c, a, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], timeout: timeoutMs, killSignal: 'SIGKILL' });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.signal) return { ms, killed: true };
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return { ms, rssMB: hasTime ? Number(readFileSync(rss, 'utf8').trim().split('\n').pop()) / 1024 : NaN };
}
const arrearsArgs = (books) => [bin, 'arrears', '--as-of', '2026-12-31', '--books', books, '--format', 'json'];
const hv = spawnSync('hledger', ['--version'], { encoding: 'utf8' });
const hledger = hv.error ? undefined : hv.stdout.trim();
const hledgerArgs = (journal, ...more) => ['-f', journal, 'bal', 'assets:receivable', '--depth', '3', '-e', '2027-01-01', ...more];
let hRows = 0;
let hEstimateMs;
let jfile;
if (hledger) {
  // The slice first (a warm-up, and an estimate of the full set by rows); the full set only
  // if it should finish within HLEDGER_MAX_S.
  const jslice = path.join(ldir, 'slice.journal');
  toJournal(lbooks, jslice, { limit: SLICE });
  [jfile, hRows] = [jslice, SLICE];
  if (SLICE < LEDGER_N) hEstimateMs = (timed('hledger', hledgerArgs(jslice)).ms * LEDGER_N) / SLICE;
  if (SLICE < LEDGER_N && hEstimateMs < HLEDGER_MAX_S * 1000) {
    const jfull = path.join(ldir, 'full.journal');
    toJournal(lbooks, jfull);
    if (!timed('hledger', hledgerArgs(jfull), { timeoutMs: 2 * HLEDGER_MAX_S * 1000 }).killed) [jfile, hRows] = [jfull, LEDGER_N];
  }
}
const fin = [];
const finSlice = [];
const hl = [];
for (let i = 0; i < Number(process.env.BENCH_BIG_RUNS ?? 5); i++) {
  fin.push(timed(process.execPath, arrearsArgs(lbooks)));
  if (SLICE < LEDGER_N) finSlice.push(timed(process.execPath, arrearsArgs(lslice)));
  if (hledger) hl.push(timed('hledger', hledgerArgs(jfile)));
}
// Cross-check on the slice: finproc's balance per State (outstanding - credit) is assessed -
// paid here (no adjustments), which is hledger's receivable balance.
let check;
if (hledger) {
  const cents = (s) => { if (s === '0') return 0n; const m = /^(-?)(\d+)\.(\d\d)$/.exec(s.replace(/^CHF /, '').replace(/^(-?)CHF /, '$1')); if (!m) throw new Error(`not an amount: ${s}`); return (m[1] ? -1n : 1n) * BigInt(m[2] + m[3]); };
  const fr = spawnSync(process.execPath, arrearsArgs(lslice), { cwd: root, encoding: 'utf8', maxBuffer: 1 << 30 });
  const f = new Map(JSON.parse(fr.stdout).states.map((s) => [s.iso3, cents(s.balance)]));
  const hr = spawnSync('hledger', hledgerArgs(path.join(ldir, 'slice.journal'), '-E', '-O', 'csv'), { encoding: 'utf8', maxBuffer: 1 << 30 });
  const h = new Map();
  for (const line of hr.stdout.trim().split('\n').slice(1)) {
    const [acct, bal] = line.split('","').map((x) => x.replace(/"/g, ''));
    if (acct.startsWith('assets:receivable:')) h.set(acct.slice('assets:receivable:'.length), cents(bal));
  }
  const all = [...new Set([...f.keys(), ...h.keys()])].sort();
  const differ = all.filter((k) => (f.get(k) ?? 0n) !== (h.get(k) ?? 0n));
  check = { rows: SLICE, states: all.length, agree: differ.length === 0, differ: differ.slice(0, 10) };
}
if (SLICE === LEDGER_N) finSlice.push(...fin);
rmSync(ldir, { recursive: true, force: true }); // books and journals: ~300 MB
const lmed = median(fin.map((r) => r.ms));
const hmed = hledger ? median(hl.map((r) => r.ms)) : undefined;

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
  ledger: {
    states: gen.states,
    years: gen.years,
    assessment_lines: gen.lines,
    payments: LEDGER_N,
    paid_pct_of_assessed: (gen.paidCents / gen.assessedCents) * 100,
    arrears_ms: lmed,
    arrears_min_ms: min(fin.map((r) => r.ms)),
    arrears_peak_rss_mb: Math.max(...fin.map((r) => r.rssMB)),
    target_ms: 3000,
    target_rss_mb: 500,
    slice_payments: SLICE,
    arrears_slice_ms: median(finSlice.map((r) => r.ms)),
    arrears_slice_peak_rss_mb: Math.max(...finSlice.map((r) => r.rssMB)),
    finproc_s_per_row: lmed / 1000 / LEDGER_N,
    hledger: hledger
      ? {
          version: hledger,
          payments: hRows,
          ms: hmed,
          min_ms: min(hl.map((r) => r.ms)),
          peak_rss_mb: Math.max(...hl.map((r) => r.rssMB)),
          full_estimate_ms: hEstimateMs ?? null,
          s_per_row: hmed / 1000 / hRows,
          // finproc per row (full set) / hledger per row (the set it ran on)
          ratio: lmed / LEDGER_N / (hmed / hRows),
          // both on the same rows
          ratio_same_rows: median((hRows === LEDGER_N ? fin : finSlice).map((r) => r.ms)) / hmed,
        }
      : null,
    crosscheck: check ?? null,
  },
};
writeFileSync(process.env.BENCH_RESULTS ?? path.join(root, 'bench', 'results.json'), JSON.stringify(results, null, 2) + '\n');
const f = (x) => x.toFixed(1);
console.log(`finproc bench (${RUNS} interleaved runs; median, and fastest in brackets; node ${process.version})`);
console.log(`  node -e 0 (baseline)                      ${f(results.baseline_node_e0_ms)} ms (${f(results.baseline_node_e0_min_ms)})`);
console.log(`  apportion, example books, whole process   ${f(results.apportion_example_ms)} ms (${f(results.apportion_example_min_ms)}) = ${results.apportion_vs_baseline.toFixed(2)} x baseline (${results.apportion_vs_baseline_min.toFixed(2)} x)  (target < 2x)`);
console.log(`  apportion, ${N} parties x 5 categories    ${f(results.synthetic.job_ms)} ms (${f(results.synthetic.job_min_ms)}) in the command = ${(results.synthetic.job_ms / results.baseline_node_e0_ms).toFixed(1)} x baseline (target < 1000 ms); ${f(results.synthetic.process_ms)} ms whole process; peak RSS ${f(results.synthetic.peak_rss_mb)} MB`);
const L = results.ledger;
const mb = (x) => (Number.isNaN(x) ? 'n/a (no /usr/bin/time)' : `${f(x)} MB`);
console.log(`  arrears, ${L.payments} payments x ${L.states} States x ${L.years} years, whole process   ${f(L.arrears_ms)} ms (${f(L.arrears_min_ms)}); peak RSS ${mb(L.arrears_peak_rss_mb)}  (target < ${L.target_ms} ms: ${L.arrears_ms < L.target_ms ? 'met' : 'NOT met'}; < ${L.target_rss_mb} MB: ${L.arrears_peak_rss_mb < L.target_rss_mb ? 'met' : 'NOT met'})`);
if (L.slice_payments < L.payments) console.log(`  arrears, first ${L.slice_payments} payments, whole process   ${f(L.arrears_slice_ms)} ms; peak RSS ${mb(L.arrears_slice_peak_rss_mb)}`);
if (L.hledger) {
  const H = L.hledger;
  const on = H.payments === L.payments ? 'the full set' : `the first ${H.payments} payment rows (full set estimated at ${f(H.full_estimate_ms / 1000)} s from them, over ${HLEDGER_MAX_S} s)`;
  console.log(`  hledger bal by State, on ${on}   ${f(H.ms)} ms (${f(H.min_ms)}); peak RSS ${mb(H.peak_rss_mb)}  [${H.version}]`);
  console.log(`  per payment row: finproc ${(L.finproc_s_per_row * 1e6).toFixed(2)} µs, hledger ${(H.s_per_row * 1e6).toFixed(2)} µs: ratio ${H.ratio.toFixed(3)} (finproc / hledger; ${H.ratio_same_rows.toFixed(3)} on the same ${H.payments} rows)`);
  const C = L.crosscheck;
  console.log(C.agree ? `  balances agree for ${C.states} States (finproc arrears vs hledger, first ${C.rows} payment rows)` : `  balances DIFFER for ${C.differ.length}+ of ${C.states} States (first ${C.rows} payment rows): ${C.differ.join(' ')}`);
} else console.log('  hledger is not installed: the comparison with hledger is skipped');

// ---- invoices (issue 4): HTML invoices for 200 States in 3 languages (en, fr, ar) ----------
{
  const { benchInvoices } = await import('./invoices.mjs');
  const file = process.env.BENCH_RESULTS ?? path.join(root, 'bench', 'results.json');
  const inv = benchInvoices({ root, bin, runs: Number(process.env.BENCH_BIG_RUNS ?? 5), states: Number(process.env.BENCH_INVOICE_STATES ?? 200) });
  const all = JSON.parse(readFileSync(file, 'utf8'));
  all.invoices = inv;
  writeFileSync(file, JSON.stringify(all, null, 2) + '\n');
  const g = (x) => x.toFixed(1);
  console.log(`  invoice, ${inv.documents} HTML invoices (${inv.states} States, languages ${inv.languages.join(', ')}), whole process   ${g(inv.html_ms)} ms (${g(inv.html_min_ms)}) = ${inv.html_vs_baseline.toFixed(1)} x baseline (${g(inv.baseline_ms)} ms in the same rounds)  (target < ${inv.target_ms} ms: ${inv.html_ms < inv.target_ms ? 'met' : 'NOT met'})`);
  console.log(`  invoice, the same with a Swiss QR-bill for ${inv.with_qr_bills} States   ${g(inv.html_qr_ms)} ms: ${g(inv.ms_per_qr_bill)} ms per QR-bill`);
}

// ---- QR-bills (issue 13): 600 invoices, each with its Swiss QR-bill ------------------------
{
  const { benchQrBills } = await import('./invoices.mjs');
  const file = process.env.BENCH_RESULTS ?? path.join(root, 'bench', 'results.json');
  const Q = benchQrBills({ root, bin, runs: Number(process.env.BENCH_BIG_RUNS ?? 5), states: Number(process.env.BENCH_QR_STATES ?? 600) });
  writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), qr_bills: Q }, null, 2) + '\n');
  const g = (x) => x.toFixed(1);
  console.log(`  invoice, ${Q.documents} HTML invoices each with a Swiss QR-bill (${Q.qr_bills} bills), whole process   ${g(Q.ms)} ms (${g(Q.min_ms)}) = ${Q.vs_baseline.toFixed(1)} x baseline (${g(Q.baseline_ms)} ms in the same rounds)  (target < ${Q.target_ms} ms: ${Q.ms < Q.target_ms ? 'met' : 'NOT met'})`);
  console.log(`  per QR-bill: ${Q.ms_per_bill.toFixed(2)} ms (the same invoices without bills: ${g(Q.without_bills_ms)} ms); swissqrbill's SVG class, measured in this run: ${Q.old_svg_ms_per_bill.toFixed(2)} ms a bill = ${Q.speedup_per_bill.toFixed(1)} x the one-path drawing`);
}

// --- simulate --sweep (issue 6): bench/simulate.mjs ---------------------------------------
{
  const { benchSimulate } = await import('./simulate.mjs');
  const S = benchSimulate({ root, bin, runs: Number(process.env.BENCH_BIG_RUNS ?? 5), step: process.env.BENCH_SWEEP_STEP ?? '0.25', wall });
  const file = process.env.BENCH_RESULTS ?? path.join(root, 'bench', 'results.json');
  writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), simulate: S }, null, 2) + '\n');
  const mbS = Number.isNaN(S.peak_rss_mb) ? 'n/a' : `${S.peak_rss_mb.toFixed(1)} MB`;
  console.log(`  simulate --sweep, ${S.points} splits (${S.feasible} feasible) x ${S.states} States x ${S.categories} categories with bounds, whole process   ${S.ms.toFixed(1)} ms (${S.min_ms.toFixed(1)}) = ${S.vs_baseline.toFixed(1)} x baseline; peak RSS ${mbS}  (target < ${S.target_ms} ms: ${S.ms < S.target_ms ? 'met' : 'NOT met'})`);
  console.log(S.apportion_check.agree ? `  sweep points agree with apportion of the same policy (${S.apportion_check.points} points checked State by State)` : `  sweep points DIFFER from apportion: ${S.apportion_check.differ.join('; ')}`);
}

// ---- cashflow (issue 5): `cashflow --year 2026 [--stress 10000]` on the example books ----
{
  const { benchCashflow } = await import('./cashflow.mjs');
  const C = benchCashflow({ root, bin, runs: Number(process.env.BENCH_BIG_RUNS ?? 5), stressRuns: Number(process.env.BENCH_STRESS_RUNS ?? 10_000) });
  const file = process.env.BENCH_RESULTS ?? path.join(root, 'bench', 'results.json');
  writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), cashflow: C }, null, 2) + '\n');
  console.log(`  cashflow --year 2026, example books, whole process   ${f(C.cashflow_ms)} ms = ${C.cashflow_vs_baseline.toFixed(2)} x baseline (${f(C.baseline_node_e0_ms)} ms)`);
  console.log(`  cashflow --stress ${C.stress_runs}, whole process   ${f(C.stress_ms)} ms (${f(C.stress_min_ms)}) = ${C.stress_vs_baseline.toFixed(2)} x baseline  (target < ${C.target_ms} ms: ${C.stress_ms < C.target_ms ? 'met' : 'NOT met'})`);
}
// ---- end cashflow ----

// ---- bank import (issue 11): a camt.053 of 100,000 entries, bench/bank.mjs ----
{
  const { benchBank } = await import('./bank.mjs');
  const B = benchBank({ runs: Math.min(3, Number(process.env.BENCH_BIG_RUNS ?? 3)) });
  const file = process.env.BENCH_RESULTS ?? path.join(root, 'bench', 'results.json');
  writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), bank: B }, null, 2) + '\n');
  const mbB = Number.isNaN(B.peak_rss_mb) ? 'n/a' : `${B.peak_rss_mb.toFixed(1)} MB`;
  console.log(`  bank import, camt.053 of ${B.entries} entries (${B.file_mb.toFixed(1)} MB; ${B.booked} booked, ${B.to_review} to review), whole process   proposal ${f(B.propose_ms)} ms, --apply ${f(B.apply_ms)} ms (${f(B.apply_min_ms)}) = ${B.apply_vs_check.toFixed(1)} x finproc check of the same books (${f(B.baseline_check_ms)} ms); peak RSS ${mbB}  (target < ${B.target_ms} ms: ${B.apply_ms < B.target_ms ? 'met' : 'NOT met'}; < ${B.target_rss_mb} MB: ${B.peak_rss_mb < B.target_rss_mb ? 'met' : 'NOT met'})`);
  console.log(`    one more --apply with --timings: ${Object.entries(B.phases_ms).map(([k, v]) => `${k} ${v}`).join(', ')}; without the reading of the XML: ${f(B.apply_without_reading_ms)} ms`);
}
// ---- end bank import ----
// ---- problem reporting (issue 12): bench/problems.mjs ----
{
  const { benchProblems } = await import('./problems.mjs');
  const P = benchProblems({ root, bin, runs: Number(process.env.BENCH_PROBLEM_RUNS ?? 3) });
  const file = process.env.BENCH_RESULTS ?? path.join(root, 'bench', 'results.json');
  writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), problems: P }, null, 2) + '\n');
  console.log(`  check with ${P.problems_small} / ${P.problems_large} problems (unknown policy keys + bad payment rows), whole process   ${P.check_small_ms.toFixed(0)} / ${P.check_large_ms.toFixed(0)} ms (check of the example books ${P.check_example_ms.toFixed(0)} ms, node -e 0 ${P.baseline_node_e0_ms.toFixed(0)} ms): ${P.us_per_problem_small.toFixed(1)} / ${P.us_per_problem_large.toFixed(1)} µs per problem, growth ${P.growth_ratio.toFixed(2)} (1 = linear, 10 = quadratic)`);
}
// ---- end problem reporting ----
