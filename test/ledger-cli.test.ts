/**
 * The ledger commands end to end on the example books: golden arrears and statement outputs,
 * `apportion --record`, `meeting-costs`, `pledges`, bad input, and reruns.
 *
 * How the golden numbers were checked: the golden arrears JSON is compared here, State by
 * State, with the independent Python oracle (test/oracle/ledger.py, written from
 * docs/ledger.md without reading src/); the golden statement's closing balance and its
 * outstanding amounts by year are compared with the same oracle, and its rows are checked to
 * reconcile one by one. The text around the numbers was reviewed by reading it.
 * To regenerate after a deliberate change: UPDATE_GOLDEN=1 npx vitest run test/ledger-cli.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATA, ROOT, run } from './helpers.js';
import { findPython } from './python.js';

const GOLDEN = path.join(ROOT, 'test', 'golden');
const AS_OF = '2026-08-18';

function golden(file: string, actual: string): void {
  const p = path.join(GOLDEN, file);
  if (process.env.UPDATE_GOLDEN) writeFileSync(p, actual);
  expect(existsSync(p), `${file} is missing: run UPDATE_GOLDEN=1 npx vitest run test/ledger-cli.test.ts and review it`).toBe(true);
  expect(actual).toBe(readFileSync(p, 'utf8'));
}

function oracle(books: string, asOf: string): { states: Record<string, { balance: string; outstanding: string; credit: string; arrears: string; flags: string[]; by_year: Record<string, { outstanding: string }> }> } {
  const r = spawnSync(findPython(), [path.join(ROOT, 'test/oracle/ledger.py'), books, '--as-of', asOf], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

function copyBooks(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'finproc-books-'));
  cpSync(DATA, dir, { recursive: true });
  return dir;
}

describe('golden arrears and statements on the example books', () => {
  for (const [fmt, ext] of [['table', 'txt'], ['csv', 'csv'], ['json', 'json'], ['md', 'md']] as const) {
    it(`arrears-${AS_OF}.${ext}`, async () => {
      const r = await run(['arrears', '--as-of', AS_OF, '--format', fmt]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      golden(`arrears-${AS_OF}.${ext}`, r.stdout);
    });
  }
  it('the golden arrears JSON agrees with the oracle, State by State', () => {
    const doc = JSON.parse(readFileSync(path.join(GOLDEN, `arrears-${AS_OF}.json`), 'utf8')) as { states: { iso3: string; balance: string; outstanding: string; credit: string; arrears: string; flags: string[] }[] };
    const o = oracle(DATA, AS_OF);
    const accounts = doc.states.filter((s) => s.iso3 in o.states);
    expect(accounts.length).toBeGreaterThan(100);
    for (const s of accounts) {
      const w = o.states[s.iso3]!;
      expect([s.iso3, s.balance, s.outstanding, s.credit, s.arrears, s.flags], s.iso3).toEqual([s.iso3, w.balance, w.outstanding, w.credit, w.arrears, w.flags]);
    }
  });
  // Mexico: years of partial payments; ISL: a duplicate transfer refunded; STP: credit notes.
  for (const iso3 of ['MEX', 'ISL', 'STP']) {
    it(`statement ${iso3} 2019-01-01 to ${AS_OF}`, async () => {
      const r = await run(['statement', iso3, '--as-of', AS_OF, '--from', '2019-01-01', '--format', 'json']);
      expect(r.code, r.stderr).toBe(0);
      golden(`statement-${iso3}.json`, r.stdout);
      const text = await run(['statement', iso3, '--as-of', AS_OF, '--from', '2019-01-01']);
      golden(`statement-${iso3}.txt`, text.stdout);
      const doc = JSON.parse(r.stdout) as { opening_balance: string; closing_balance: string; rows: { debit: string; credit: string; balance: string | null }[]; position: { by_year: { year: number; outstanding: string }[] } };
      let cents = BigInt(doc.opening_balance.replace('.', ''));
      for (const row of doc.rows) {
        cents += BigInt(row.debit.replace('.', '')) - BigInt(row.credit.replace('.', ''));
        if (row.balance !== null) expect(BigInt(row.balance.replace('.', ''))).toBe(cents);
      }
      const o = oracle(DATA, AS_OF).states[iso3]!;
      expect(doc.closing_balance).toBe(o.balance);
      expect(Object.fromEntries(doc.position.by_year.map((y) => [String(y.year), y.outstanding]))).toEqual(Object.fromEntries(Object.entries(o.by_year).map(([y, v]) => [y, v.outstanding])));
    });
  }
});

describe('as of a date', () => {
  it('the same books give the same bytes for the same date, from any directory, time zone or locale', async () => {
    const a = spawnSync('node', [path.join(ROOT, 'bin/finproc.cjs'), 'arrears', '--as-of', '2024-06-30', '--format', 'json'], { cwd: tmpdir(), encoding: 'utf8', env: { ...process.env, TZ: 'Pacific/Kiritimati', LANG: 'de_CH.UTF-8' } });
    const b = await run(['arrears', '--as-of', '2024-06-30', '--format', 'json']);
    expect(a.status).toBe(0);
    expect(a.stdout).toBe(b.stdout);
  });
  it('--fail-on exits 4 when a State is in arrears, 0 otherwise', async () => {
    expect((await run(['arrears', '--as-of', AS_OF, '--fail-on', 'art19', '--format', 'json'])).code).toBe(4);
    expect((await run(['arrears', '--as-of', '2019-01-02', '--fail-on', 'arrears', '--format', 'json'])).code).toBe(0);
  });
});

describe('apportion --record', () => {
  it("reproduces the example books' 2026 assessments byte for byte, and refuses to record them twice", async () => {
    const dir = copyBooks();
    const file = path.join(dir, 'assessments.csv');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.split('\n').filter((l) => !l.startsWith('ISU-2026-')).join('\n'));
    const r = await run(['apportion', '--books', dir, '--year', '2026', '--record', '--issue-date', '2026-01-15']);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(original);
    const again = await run(['apportion', '--books', dir, '--year', '2026', '--record', '--issue-date', '2026-01-15']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/\[already-recorded\] 2026 is already recorded/);
    expect(readFileSync(file, 'utf8')).toBe(original);
  });
  it('records a new year whose lines sum to the budget', async () => {
    const dir = copyBooks();
    writeFileSync(path.join(dir, 'budgets.csv'), readFileSync(path.join(dir, 'budgets.csv'), 'utf8') + '2027,630000.00,CHF,policy.yaml,test\n');
    const r = await run(['apportion', '--books', dir, '--year', '2027', '--record', '--issue-date', '2027-01-12']);
    expect(r.code, r.stderr).toBe(0);
    const rows = readFileSync(path.join(dir, 'assessments.csv'), 'utf8').split('\n').filter((l) => l.startsWith('ISU-2027-'));
    expect(rows.reduce((s, l) => s + BigInt(l.split(',')[5]!.replace('.', '')), 0n)).toBe(63000000n);
    expect(rows.every((l) => l.endsWith(',CHF,2027-01-12,2027-02-11,'))).toBe(true);
  });
});

describe('meeting-costs (Article 14)', () => {
  const participants = (dir: string) => {
    const f = path.join(dir, 'participants.csv');
    writeFileSync(f, 'iso3,name\nAUT,Austria\nFRA,France\nUSA,not a party\nIND,not a party\nNER,Niger\nVAT,Holy See\n');
    return f;
  };
  it('shares the estimate among parties and non-parties by the renormalised scale; differences sum to final − estimate', async () => {
    const dir = copyBooks();
    const r = await run(['meeting-costs', '--books', dir, '--meeting', 'MSP14', '--year', '2026', '--estimate', '450000.00', '--final', '431250.00', '--currency', 'USD', '--participants', participants(dir), '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { shares: { iso3: string; status: string; estimate: string; final: string; difference: string }[] };
    const sum = (k: 'estimate' | 'final' | 'difference') => doc.shares.reduce((s, x) => s + BigInt(x[k].replace('.', '')), 0n);
    expect(sum('estimate')).toBe(45000000n);
    expect(sum('final')).toBe(43125000n);
    expect(sum('difference')).toBe(-1875000n);
    expect(doc.shares.find((s) => s.iso3 === 'USA')!.status).toBe('not party');
    // By hand: rates AUT 0.626, FRA 3.858, IND 1.106, NER 0.004, USA 22, VAT 0.001 (notional) sum to 27.595;
    // Austria's exact share is 450000 × 0.626 / 27.595 = 10208.371…, so 10208.37.
    expect(doc.shares.find((s) => s.iso3 === 'AUT')!.estimate).toBe('10208.37');
  });
  it('records the shares as assessments, then the final cost as adjustments, and arrears follows them', async () => {
    const dir = copyBooks();
    const p = participants(dir);
    const base = ['meeting-costs', '--books', dir, '--meeting', 'MSP14', '--year', '2026', '--estimate', '45000.00', '--participants', p];
    expect((await run([...base, '--record', '--issue-date', '2026-03-02'])).code).toBe(0);
    const lines = readFileSync(path.join(dir, 'assessments.csv'), 'utf8').split('\n').filter((l) => l.startsWith('MSP14-'));
    expect(lines).toHaveLength(6);
    expect(lines.reduce((s, l) => s + BigInt(l.split(',')[5]!.replace('.', '')), 0n)).toBe(4500000n);
    expect((await run([...base, '--record', '--issue-date', '2026-03-02'])).code).toBe(1);
    expect((await run([...base, '--final', '47000.00', '--record', '--issue-date', '2026-06-30'])).code).toBe(0);
    const adj = readFileSync(path.join(dir, 'adjustments.csv'), 'utf8').split('\n').filter((l) => l.startsWith('MSP14-FINAL-'));
    expect(adj.length).toBeGreaterThan(0);
    expect(adj.every((l) => l.includes(',reassessment,'))).toBe(true);
    const a = JSON.parse((await run(['arrears', '--books', dir, '--as-of', '2026-08-18', '--format', 'json'])).stdout) as { states: { iso3: string; by_year: { year: number; due: string }[] }[] };
    const usa = a.states.find((s) => s.iso3 === 'USA')!;
    expect(usa.by_year.find((y) => y.year === 2026)).toBeDefined();
  });
});

describe('pledges', () => {
  it('lists the 2026 pledges with the two overdue sponsorship pledges of the example books', async () => {
    const r = await run(['pledges', '--year', '2026', '--as-of', AS_OF, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { pledges: { pledge_id: string; status: string; amount: string; paid: string; outstanding: string }[] };
    expect(doc.pledges.filter((p) => p.status === 'overdue').map((p) => p.pledge_id)).toEqual(['PLG-2026-01', 'PLG-2026-04']);
    const cents = (s: string) => BigInt(s.replace('.', ''));
    for (const p of doc.pledges) expect(cents(p.paid) + cents(p.outstanding)).toBe(cents(p.amount));
  });
});

describe('bad ledger input is refused with file, line and column, and nothing is written', () => {
  const cases: { name: string; file: string; edit: (t: string) => string; at: RegExp }[] = [
    { name: 'a payment for an unknown State', file: 'payments.csv', edit: (t) => t + 'PAY-X-1,XYZ,2026-03-01,10.00,CHF,,isu,,,,,\n', at: /payments\.csv:\d+:9: error \[iso3-unknown\]/ },
    { name: 'a negative amount', file: 'payments.csv', edit: (t) => t + 'PAY-X-1,AUT,2026-03-01,-10.00,CHF,,isu,,,,,\n', at: /payments\.csv:\d+:24: error \[amount-negative\]/ },
    { name: 'an earmark to a year never assessed', file: 'payments.csv', edit: (t) => t + 'PAY-X-1,AUT,2026-03-01,10.00,CHF,,isu,2017,,,,\n', at: /payments\.csv:\d+:\d+: error \[ledger-reference\] earmark_year: AUT was never assessed for 2017/ },
    { name: 'a duplicate payment id', file: 'payments.csv', edit: (t) => t + t.split('\n')[1] + '\n', at: /payments\.csv:\d+:1: error \[row-duplicate\]/ },
    { name: 'a CHF amount missing for a foreign-currency payment', file: 'payments.csv', edit: (t) => t + 'PAY-X-1,AUT,2026-03-01,10.00,EUR,,isu,,,,,\n', at: /payments\.csv:\d+:\d+: error \[value-missing\] chf: no CHF amount for a payment sent in EUR/ },
    { name: 'a refund beyond the credit', file: 'adjustments.csv', edit: (t) => t + 'ADJ-X,AUT,2026-03-01,refund,,,100.00,test\n', at: /adjustments\.csv:\d+:\d+: error \[ledger-rule\]/ },
    { name: 'an adjustment without a reason', file: 'adjustments.csv', edit: (t) => t + 'ADJ-X,AUT,2026-03-01,write-off,ISU-2026-006,scale,1.00,\n', at: /adjustments\.csv:\d+:\d+: error \[value-missing\]/ },
    { name: 'an ambiguous date', file: 'payments.csv', edit: (t) => t + 'PAY-X-1,AUT,3.4.2026,10.00,CHF,,isu,,,,,\n', at: /payments\.csv:\d+:13: error \[date-ambiguous\]/ },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const dir = copyBooks();
      writeFileSync(path.join(dir, c.file), c.edit(readFileSync(path.join(dir, c.file), 'utf8')));
      const out = path.join(dir, 'report.json');
      writeFileSync(out, 'previous report\n');
      const r = await run(['arrears', '--books', dir, '--as-of', AS_OF, '--out', out]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(c.at);
      expect(readFileSync(out, 'utf8')).toBe('previous report\n');
      expect((await run(['check', '--books', dir])).code).toBe(1);
    });
  }
});

describe('the example ledger is what its generator makes', () => {
  it('node scripts/make-ledger.mjs --check', () => {
    const r = spawnSync('node', [path.join(ROOT, 'scripts/make-ledger.mjs'), '--check'], { encoding: 'utf8' });
    expect(r.status, r.stdout + r.stderr).toBe(0);
  }, 60_000);
});

describe('payments read in any order', () => {
  it('the arrears are the same whether the payments file is in date order (replayed while read) or shuffled (read twice)', async () => {
    const dir = copyBooks();
    const file = path.join(dir, 'payments.csv');
    const [head, ...rows] = readFileSync(file, 'utf8').trimEnd().split('\n');
    // A fixed shuffle: reverse, then interleave halves.
    const rev = rows.reverse();
    const mixed = rev.map((_, i) => rev[i % 2 === 0 ? i / 2 : rev.length - 1 - (i - 1) / 2]!);
    writeFileSync(file, [head, ...mixed].join('\n') + '\n');
    const strip = (s: string) => JSON.stringify({ ...JSON.parse(s), inputs: undefined });
    const shuffled = await run(['arrears', '--books', dir, '--as-of', AS_OF, '--format', 'json']);
    const ordered = await run(['arrears', '--as-of', AS_OF, '--format', 'json']);
    expect(shuffled.code, shuffled.stderr).toBe(0);
    expect(strip(shuffled.stdout)).toBe(strip(ordered.stdout));
  });
});
