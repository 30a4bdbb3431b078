/**
 * Invariants of invoices (docs/invoices.md) on random ledgers, with fast-check:
 * - total = contributions + arrears − credits, credits within the contributions, nothing
 *   negative, and the arrears those of `arrearsReport` on the same date;
 * - RF references valid and one per number;
 * - the register: a second plan with the same amounts adds nothing; changed amounts are
 *   refused, or, with --reissue, cancelled by credit notes and issued again under gapless
 *   new numbers.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arrearsReport } from '../src/core/arrears.js';
import { addDays } from '../src/core/dates.js';
import { creditorReference, invoiceAmounts, isCreditorReference, planIssue, type Invoice } from '../src/core/invoice.js';
import { eventsByState, NO_EVENTS, type AssessmentLine, type Ledger, type PaymentRecord } from '../src/core/ledger.js';

const STATES = ['AAA', 'BBB'];
const YEARS = [2022, 2023, 2024];

const ledgerArb = fc
  .tuple(
    fc.array(fc.tuple(fc.bigInt({ min: 1n, max: 90_000n }), fc.bigInt({ min: 0n, max: 40_000n })), { minLength: STATES.length * YEARS.length, maxLength: STATES.length * YEARS.length }),
    fc.array(fc.record({ s: fc.integer({ min: 0, max: 1 }), at: fc.integer({ min: 0, max: 1200 }), chf: fc.bigInt({ min: 1n, max: 120_000n }) }), { maxLength: 10 }),
  )
  .map(([amounts, pays]): Ledger => {
    const lines: AssessmentLine[] = [];
    let k = 0;
    for (const year of YEARS)
      STATES.forEach((iso3, i) => {
        const [a, b] = amounts[k++]!;
        const invoice = `ISU-${year}-${String(i + 1).padStart(3, '0')}`;
        const issued = `${year}-01-15`;
        lines.push({ invoice, iso3, year, purpose: 'isu', category: 'scale', amount: a, issued, due: addDays(issued, 30), note: '' });
        if (b > 0n) lines.push({ invoice, iso3, year, purpose: 'isu', category: 'base', amount: b, issued, due: addDays(issued, 30), note: '' });
      });
    const payments: PaymentRecord[] = pays.map((p, i) => ({ id: `P${String(i).padStart(3, '0')}`, iso3: STATES[p.s]!, received: addDays('2022-01-01', p.at), amount: '1', currency: 'CHF', chf: p.chf, purpose: 'isu', reference: '' }));
    return { lines, payments, adjustments: [] };
  });

const issueArb = fc.record({ y: fc.constantFrom(...YEARS), later: fc.integer({ min: 0, max: 400 }) });

describe('invoice amounts', () => {
  it('total = contributions + arrears − credits, and the arrears are those of the arrears report', () => {
    fc.assert(
      fc.property(ledgerArb, issueArb, (ledger, { y, later }) => {
        const issued = addDays(`${y}-01-15`, later);
        const events = eventsByState(ledger);
        const report = arrearsReport({ ledger, asOf: issued });
        for (const [i, iso3] of STATES.entries()) {
          const number = `ISU-${y}-${String(i + 1).padStart(3, '0')}`;
          const r = invoiceAmounts(iso3, events.get(iso3) ?? NO_EVENTS, number, y, issued)!;
          const a = r.amounts;
          expect(a.total).toBe(a.contributions + a.arrearsTotal - a.credits);
          expect(a.credits).toBe(a.settled - a.adjustments);
          expect(a.credits >= 0n && a.credits <= a.contributions).toBe(true);
          expect(a.total >= 0n).toBe(true);
          expect(a.contributions).toBe(ledger.lines.filter((l) => l.invoice === number && l.iso3 === iso3).reduce((s, l) => s + l.amount, 0n));
          for (const x of a.arrears) expect(x.amount > 0n && x.year < y).toBe(true);
          const st = report.states.find((s) => s.iso3 === iso3)!;
          expect(a.arrearsTotal).toBe(st.byYear.filter((b) => b.year < y).reduce((s, b) => s + b.outstanding, 0n));
          // What is still owed on this invoice is the year's outstanding (one invoice a year here).
          expect(a.contributions - a.credits).toBe(st.byYear.find((b) => b.year === y)!.outstanding);
          // Credit is left over only when everything up to this invoice is paid.
          if (a.creditAfter > 0n) expect(a.total).toBe(0n);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('references', () => {
  it('every RF reference validates, and distinct numbers give distinct references', () => {
    const numberArb = fc.tuple(fc.constantFrom('ISU', 'CN', 'MSP14'), fc.integer({ min: 2000, max: 2099 }), fc.integer({ min: 1, max: 9999 })).map(([p, y, n]) => `${p}-${y}-${String(n).padStart(3, '0')}`);
    fc.assert(
      fc.property(fc.uniqueArray(numberArb, { minLength: 2, maxLength: 20 }), (numbers) => {
        const refs = numbers.map(creditorReference);
        for (const r of refs) expect(isCreditorReference(r)).toBe(true);
        expect(new Set(refs).size).toBe(refs.length);
        // Any one character changed (another digit) is caught.
        const r = refs[0]!;
        const pos = r.length - 1;
        const other = r.slice(0, pos) + String((Number(r[pos]) + 1) % 10);
        expect(isCreditorReference(other)).toBe(false);
      }),
    );
  });
});

describe('the register', () => {
  const inv = (iso3: string, n: number, total: bigint): Invoice => ({ kind: 'invoice', number: `ISU-2026-${String(n).padStart(3, '0')}`, iso3, year: 2026, issued: '2026-01-15', due: '2026-02-14', currency: 'CHF', lines: [{ category: 'scale', amount: total }], reference: creditorReference(`ISU-2026-${String(n).padStart(3, '0')}`), contributions: total, arrears: [], arrearsTotal: 0n, credits: 0n, settled: 0n, adjustments: 0n, total, creditAfter: 0n });
  const opts = (reissue: boolean, taken: string[]) => ({ reissue, issued: '2026-03-01', termsDays: 30, language: () => 'en', taken });

  it('same amounts add nothing; changed ones are refused, or reissued under gapless numbers with credit notes', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.bigInt({ min: 1n, max: 10_000n }), fc.boolean()), { minLength: 1, maxLength: 12 }), (spec) => {
        const codes = spec.map((_, i) => `S${String.fromCharCode(65 + Math.floor(i / 26))}${String.fromCharCode(65 + (i % 26))}`);
        const first = spec.map(([t], i) => inv(codes[i]!, i + 1, t));
        const taken = first.map((f) => f.number);
        const p1 = planIssue(first, [], opts(false, taken));
        expect(p1.append.map((r) => r.number)).toEqual(taken);
        const register = p1.append;
        // The same again: nothing new, the same documents.
        const p2 = planIssue(first, register, opts(true, taken));
        expect(p2.append).toEqual([]);
        expect(p2.documents.map((d) => d.number)).toEqual(taken);
        // Some totals change.
        const next = spec.map(([t, change], i) => inv(codes[i]!, i + 1, change ? t + 1n : t));
        const changed = spec.filter(([, c]) => c).length;
        const refused = planIssue(next, register, opts(false, taken));
        expect(refused.changed.map((c) => c.registered.iso3)).toEqual(codes.filter((_, i) => spec[i]![1]));
        expect(refused.append).toEqual([]);
        const p3 = planIssue(next, register, opts(true, taken));
        const notes = p3.append.filter((r) => r.kind === 'credit-note');
        const fresh = p3.append.filter((r) => r.kind === 'invoice');
        expect(notes.map((r) => r.number)).toEqual(Array.from({ length: changed }, (_, i) => `CN-2026-${String(i + 1).padStart(3, '0')}`));
        expect(fresh.map((r) => r.number)).toEqual(Array.from({ length: changed }, (_, i) => `ISU-2026-${String(spec.length + i + 1).padStart(3, '0')}`));
        for (const [i, n] of notes.entries()) {
          const old = register.find((r) => r.number === n.replaces)!;
          expect(n.total).toBe(-old.total);
          expect(fresh[i]!.replaces).toBe(old.number);
        }
        // After the reissue, the register is settled: a further plan adds nothing.
        const p4 = planIssue(next, [...register, ...p3.append], opts(true, taken));
        expect(p4.append).toEqual([]);
        expect(p4.changed).toEqual([]);
        for (const r of p3.append) expect(r.total).toBe(r.contributions + r.arrears - r.credits);
      }),
      { numRuns: 100 },
    );
  });
});
