/**
 * finproc's arrears against an independent oracle: test/oracle/ledger.py, written in Python
 * from docs/ledger.md alone (integer centimes, its own event loop), without reading src/.
 * Its hand-worked cases are in test/oracle/ledger_selftest.py. Compared: every State's
 * assessed, adjusted, paid, refunded, outstanding, credit, balance, arrears, by-year and
 * by-age amounts, flags, the per-year collection rates, and which payment settled which line.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../src/core/dates.js';
import { centsToString, eventsByState, NO_EVENTS, replay } from '../src/core/ledger.js';
import { FileReader, loadBooks } from '../src/io/books.js';
import { loadLedger } from '../src/io/ledger.js';
import { DATA, ROOT, run } from './helpers.js';
import { findPython } from './python.js';

const PY = findPython();
const ORACLE = path.join(ROOT, 'test', 'oracle', 'ledger.py');

interface OracleState {
  assessed: string;
  adjusted: string;
  paid: string;
  refunded: string;
  outstanding: string;
  credit: string;
  balance: string;
  arrears: string;
  by_year: Record<string, { due: string; settled: string; outstanding: string }>;
  by_age: Record<string, string>;
  flags: string[];
  allocations: { payment: string; invoice: string; category: string; amount: string }[];
}
interface OracleReport {
  states: Record<string, OracleState>;
  years: Record<string, { due: string; settled: string; rate_pct: string | null }>;
}

function oracle(books: string, asOf: string, buckets?: string): OracleReport {
  const r = spawnSync(PY, [ORACLE, books, '--as-of', asOf, ...(buckets ? ['--buckets', buckets] : [])], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`oracle failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as OracleReport;
}

interface FinprocState {
  iso3: string;
  assessed: string;
  adjusted: string;
  paid: string;
  refunded: string;
  outstanding: string;
  credit: string;
  balance: string;
  arrears: string;
  flags: string[];
  by_year: { year: number; due: string; settled: string; outstanding: string }[];
  by_age: Record<string, string>;
}

/** finproc's report in the oracle's shape (allocations from a traced replay of the same books). */
async function finproc(books: string, asOf: string, buckets?: string): Promise<OracleReport> {
  const r = await run(['arrears', '--books', books, '--as-of', asOf, '--format', 'json', ...(buckets ? ['--buckets', buckets] : [])]);
  if (r.code !== 0) throw new Error(`finproc failed: ${r.stderr}`);
  const doc = JSON.parse(r.stdout) as { states: FinprocState[]; years: { year: number; due: string; settled: string; collection_rate_pct: string | null }[] };
  const reader = new FileReader(books);
  const problems: never[] = [];
  const { books: b } = loadBooks(books, reader);
  const lb = loadLedger(b!, reader, problems)!;
  const events = eventsByState(lb.ledger);
  const states: Record<string, OracleState> = {};
  for (const s of doc.states) {
    if (s.assessed === '0.00' && s.paid === '0.00' && s.flags.join() === 'pledge-overdue') continue; // a pledge only: the oracle lists account holders
    const acc = replay(s.iso3, events.get(s.iso3) ?? NO_EVENTS, asOf, true);
    const net = new Map<string, bigint>();
    for (const e of acc.entries!) {
      if (e.kind !== 'allocation' && e.kind !== 'release') continue;
      const k = `${e.payment}\u0000${e.invoice}\u0000${e.category}`;
      net.set(k, (net.get(k) ?? 0n) + (e.kind === 'allocation' ? e.amount : -e.amount));
    }
    const allocations = [...net]
      .filter(([, v]) => v !== 0n)
      .map(([k, v]) => {
        const [payment, invoice, category] = k.split('\u0000') as [string, string, string];
        return { payment, invoice, category, amount: centsToString(v) };
      })
      .sort((a, b) => (a.invoice + a.category + a.payment < b.invoice + b.category + b.payment ? -1 : 1));
    states[s.iso3] = {
      assessed: s.assessed,
      adjusted: s.adjusted,
      paid: s.paid,
      refunded: s.refunded,
      outstanding: s.outstanding,
      credit: s.credit,
      balance: s.balance,
      arrears: s.arrears,
      by_year: Object.fromEntries(s.by_year.map((y) => [String(y.year), { due: y.due, settled: y.settled, outstanding: y.outstanding }])),
      by_age: Object.fromEntries(Object.entries(s.by_age).map(([k, v]) => [k.replace('–', '-'), v])),
      flags: s.flags,
      allocations,
    };
  }
  return { states, years: Object.fromEntries(doc.years.map((y) => [String(y.year), { due: y.due, settled: y.settled, rate_pct: y.collection_rate_pct }])) };
}

function comparable(o: OracleReport): OracleReport {
  const states: Record<string, OracleState> = {};
  for (const [k, s] of Object.entries(o.states)) states[k] = { ...s, allocations: s.allocations.map(({ payment, invoice, category, amount }) => ({ payment, invoice, category, amount })).sort((a, b) => (a.invoice + a.category + a.payment < b.invoice + b.category + b.payment ? -1 : 1)) };
  return { states, years: o.years };
}

describe('arrears on the example books agree with the oracle', () => {
  for (const asOf of ['2019-06-30', '2021-12-31', '2024-01-01', '2025-03-06', '2026-08-18']) {
    it(`as of ${asOf}`, async () => {
      expect(comparable(await finproc(DATA, asOf))).toEqual(comparable(oracle(DATA, asOf)));
    });
  }
  it('with other buckets', async () => {
    expect(comparable(await finproc(DATA, '2026-08-18', '10,45,400'))).toEqual(comparable(oracle(DATA, '2026-08-18', '10,45,400')));
  });
});

/** Random small ledgers written as books files (reference data from data/). */
const STATES = ['AUT', 'BEL', 'NER', 'CHE'];
const csvBooks = fc
  .record({
    lines: fc.array(fc.record({ s: fc.nat(3), y: fc.nat(4), cat: fc.constantFrom('base', 'scale'), cents: fc.integer({ min: 0, max: 90_000 }), issue: fc.nat(200) }), { maxLength: 14 }),
    pays: fc.array(fc.record({ s: fc.nat(3), at: fc.nat(2000), cents: fc.integer({ min: 1, max: 80_000 }), mark: fc.nat(9) }), { maxLength: 16 }),
    adjs: fc.array(fc.record({ s: fc.nat(3), at: fc.nat(2000), kind: fc.constantFrom('credit-note', 'write-off', 'reassessment', 'refund'), y: fc.nat(4), cat: fc.constantFrom('base', 'scale'), cents: fc.integer({ min: 1, max: 20_000 }) }), { maxLength: 5 }),
    asOf: fc.nat(2200),
  })
  .map(({ lines, pays, adjs, asOf }) => {
    const day = (n: number) => addDays('2020-01-01', n);
    const money = (c: number) => centsToString(BigInt(c));
    const a = ['invoice,iso3,year,purpose,category,amount,currency,issued,due,note'];
    const seen = new Set<string>();
    const issuedOf = new Map<string, string>();
    for (const l of lines) {
      const iso3 = STATES[l.s]!;
      const year = 2020 + l.y;
      const inv = `ISU-${year}-${iso3}`;
      if (seen.has(`${inv}/${l.cat}`)) continue;
      seen.add(`${inv}/${l.cat}`);
      const issued = issuedOf.get(inv) ?? addDays(`${year}-01-01`, l.issue);
      issuedOf.set(inv, issued);
      a.push(`${inv},${iso3},${year},isu,${l.cat},${money(l.cents)},CHF,${issued},${addDays(issued, 30)},`);
    }
    const p = ['payment_id,iso3,received,amount,currency,chf,purpose,earmark_year,earmark_category,earmark_invoice,pledge,reference'];
    pays.forEach((x, i) => {
      const iso3 = STATES[x.s]!;
      const years = [...seen].filter((k) => k.includes(iso3)).map((k) => k.slice(4, 8));
      const y = years[x.mark % Math.max(1, years.length)];
      const mark = y && x.mark < 2 ? `${y},,` : y && x.mark === 2 ? `,,ISU-${y}-${iso3}` : ',,';
      p.push(`P${String(i).padStart(3, '0')},${iso3},${day(x.at)},${money(x.cents)},CHF,,isu,${mark},,`);
    });
    const d = ['adjustment_id,iso3,date,kind,invoice,category,amount,reason'];
    adjs.forEach((x, i) => {
      const iso3 = STATES[x.s]!;
      const inv = `ISU-${2020 + x.y}-${iso3}`;
      if (x.kind === 'refund') d.push(`A${i},${iso3},${day(x.at)},refund,,,${money(x.cents)},test`);
      else if (seen.has(`${inv}/${x.cat}`)) {
        const date = day(x.at) < issuedOf.get(inv)! ? issuedOf.get(inv)! : day(x.at);
        d.push(`A${i},${iso3},${date},${x.kind},${inv},${x.cat},${money(x.cents)},test`);
      }
    });
    return { assessments: a.join('\n') + '\n', payments: p.join('\n') + '\n', adjustments: d.join('\n') + '\n', asOf: day(asOf) };
  });

describe('arrears on random books agree with the oracle', () => {
  it('40 random ledgers (books the rules refuse are skipped by both)', async () => {
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(csvBooks, async (b) => {
        const dir = mkdtempSync(path.join(tmpdir(), 'finproc-ledger-'));
        for (const f of ['states.csv', 'parties.csv', 'scale.csv', 'ldc.csv', 'budgets.csv', 'policy.yaml']) cpSync(path.join(DATA, f), path.join(dir, f));
        writeFileSync(path.join(dir, 'assessments.csv'), b.assessments);
        writeFileSync(path.join(dir, 'payments.csv'), b.payments);
        writeFileSync(path.join(dir, 'adjustments.csv'), b.adjustments);
        const check = await run(['check', '--books', dir]);
        const o = spawnSync(PY, [ORACLE, dir, '--as-of', '2099-12-31'], { encoding: 'utf8' });
        // The two must agree on whether the books break a rule (a reduction below zero, a refund beyond the credit).
        expect(check.code === 0, `${check.stderr}\n${o.stderr}`).toBe(o.status === 0);
        if (check.code !== 0) return;
        compared++;
        expect(comparable(await finproc(dir, b.asOf))).toEqual(comparable(oracle(dir, b.asOf)));
      }),
      { numRuns: 40 },
    );
    expect(compared).toBeGreaterThan(15);
  }, 240_000);
});
