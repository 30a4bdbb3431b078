/**
 * `npm run bench` keeps working (one quick run of each measurement). No timing is
 * asserted here: speed targets live in the benchmark and its report, not in tests.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { ROOT } from './helpers.js';

it('the benchmark runs end to end and writes its results', () => {
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'finproc-bench-test-')), 'results.json');
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bench', 'run.mjs')], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, BENCH_RUNS: '1', BENCH_BIG_RUNS: '1', BENCH_LEDGER_PAYMENTS: '5000', BENCH_STRESS_RUNS: '100', BENCH_INVOICE_STATES: '12', BENCH_SWEEP_STEP: '8.25', BENCH_BANK_ENTRIES: '2000', BENCH_RESULTS: out } });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const res = JSON.parse(readFileSync(out, 'utf8')) as {
    synthetic: { parties: number; peak_rss_mb: number };
    ledger: { payments: number; states: number; arrears_ms: number; hledger: unknown; crosscheck: { agree: boolean } | null };
    invoices: { states: number; documents: number; html_ms: number; with_qr_bills: number };
    simulate: { points: number; feasible: number; ms: number; apportion_check: { agree: boolean } };
    cashflow: { stress_runs: number; stress_ms: number; cashflow_ms: number };
  };
  expect(res.synthetic.parties).toBe(10000);
  expect(res.synthetic.peak_rss_mb).toBeGreaterThan(0);
  expect(res.ledger.payments).toBe(5000);
  expect(res.ledger.states).toBe(200);
  expect(res.ledger.arrears_ms).toBeGreaterThan(0);
  // One invoice per State, each in one of the three languages.
  expect(res.invoices.states).toBe(12);
  expect(res.invoices.documents).toBe(12);
  expect(res.invoices.with_qr_bills).toBe(3);
  expect(res.invoices.html_ms).toBeGreaterThan(0);
  // The sweep: a 4 x 4 grid at this step, its points checked against apportion.
  expect(res.simulate.points).toBe(16);
  expect(res.simulate.feasible).toBe(16);
  expect(res.simulate.ms).toBeGreaterThan(0);
  expect(res.simulate.apportion_check.agree).toBe(true);
  expect(res.cashflow.stress_runs).toBe(100);
  expect(res.cashflow.stress_ms).toBeGreaterThan(0);
  expect(res.cashflow.cashflow_ms).toBeGreaterThan(0);
  // With hledger installed, finproc's balance per State equals hledger's.
  if (res.ledger.hledger) expect(res.ledger.crosscheck?.agree).toBe(true);
});
