/**
 * Invariants of the ledger (docs/ledger.md) on random books, with fast-check:
 * - the identity assessed + adjusted − paid + refunded = outstanding − credit, per State, at
 *   every as-of date;
 * - nothing lost or counted twice: allocations + credit + refunds = payments, per State;
 * - no negative outstanding amount or credit, nothing settled beyond what is due;
 * - a record dated after D never changes the report as of D;
 * - tracing a statement changes no number; the statement reconciles row by row.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arrearsReport } from '../src/core/arrears.js';
import { addDays } from '../src/core/dates.js';
import { eventsByState, NO_EVENTS, replay, type AdjustmentRecord, type AssessmentLine, type Ledger, type PaymentRecord } from '../src/core/ledger.js';
import { statement } from '../src/core/statement.js';

type Of<A> = A extends fc.Arbitrary<infer T> ? T : never;
const STATES = ['AAA', 'BBB', 'CCC'];
const day = (n: number) => addDays('2020-01-01', n);

const lineArb = fc.record({ s: fc.integer({ min: 0, max: 2 }), y: fc.integer({ min: 0, max: 4 }), cat: fc.constantFrom('a', 'b'), amount: fc.bigInt({ min: 0n, max: 50_000n }), issue: fc.integer({ min: 0, max: 300 }) });
const payArb = fc.record({
  s: fc.integer({ min: 0, max: 2 }),
  at: fc.integer({ min: 0, max: 2000 }),
  chf: fc.bigInt({ min: 1n, max: 60_000n }),
  mark: fc.option(fc.oneof(fc.record({ year: fc.integer({ min: 2020, max: 2024 }) }), fc.record({ year: fc.integer({ min: 2020, max: 2024 }), category: fc.constantFrom('a', 'b') }), fc.record({ inv: fc.integer({ min: 0, max: 4 }) })), { nil: undefined }),
});
const adjArb = fc.record({ s: fc.integer({ min: 0, max: 2 }), at: fc.integer({ min: 0, max: 2000 }), kind: fc.constantFrom('credit-note', 'write-off', 'reassessment', 'refund'), y: fc.integer({ min: 0, max: 4 }), cat: fc.constantFrom('a', 'b'), amount: fc.bigInt({ min: 1n, max: 20_000n }) });

/** Random books that follow the rules (a reduction or refund the rules forbid is dropped, as the loader would refuse it). */
function build(ls: Of<typeof lineArb>[], ps: Of<typeof payArb>[], as: Of<typeof adjArb>[]): Ledger {
  const seen = new Set<string>();
  const lines: AssessmentLine[] = [];
  for (const l of ls) {
    const iso3 = STATES[l.s]!;
    const year = 2020 + l.y;
    const invoice = `INV-${year}-${iso3}`;
    if (seen.has(`${invoice}/${l.cat}`)) continue;
    seen.add(`${invoice}/${l.cat}`);
    const issued = addDays(`${year}-01-01`, l.issue);
    lines.push({ invoice, iso3, year, purpose: 'isu', category: l.cat, amount: l.amount, issued, due: addDays(issued, 30), note: '' });
  }
  const payments: PaymentRecord[] = ps.map((p, i) => {
    const iso3 = STATES[p.s]!;
    const m = p.mark;
    const earmark = m === undefined ? undefined : 'inv' in m ? { invoice: `INV-${2020 + m.inv}-${iso3}` } : m;
    return { id: `P${String(i).padStart(4, '0')}`, iso3, received: day(p.at), amount: '1', currency: 'CHF', chf: p.chf, purpose: 'isu', ...(earmark ? { earmark } : {}), reference: '' };
  });
  const adjustments: AdjustmentRecord[] = [];
  const ledger: Ledger = { lines, payments, adjustments };
  as.forEach((a, i) => {
    const iso3 = STATES[a.s]!;
    const year = 2020 + a.y;
    const line = lines.find((l) => l.iso3 === iso3 && l.year === year && l.category === a.cat);
    if (a.kind !== 'refund' && !line) return;
    const date = line && day(a.at) < line.issued ? line.issued : day(a.at);
    const adj: AdjustmentRecord = { id: `A${i}`, iso3, date, kind: a.kind as AdjustmentRecord['kind'], ...(a.kind !== 'refund' ? { invoice: line!.invoice, category: line!.category } : {}), amount: a.amount, reason: 'test' };
    adjustments.push(adj);
    // Keep it only if the whole history stays within the rules.
    const events = eventsByState(ledger).get(iso3) ?? NO_EVENTS;
    if (replay(iso3, events).violations.length > 0) adjustments.pop();
  });
  return ledger;
}

const booksArb = fc.tuple(fc.array(lineArb, { maxLength: 12 }), fc.array(payArb, { maxLength: 15 }), fc.array(adjArb, { maxLength: 6 })).map(([l, p, a]) => build(l, p, a));
const asOfArb = fc.integer({ min: 0, max: 2100 }).map(day);

describe('ledger invariants', () => {
  it('identity per State at every as-of date; nothing lost, nothing negative', () => {
    fc.assert(
      fc.property(booksArb, asOfArb, (ledger, asOf) => {
        const r = arrearsReport({ ledger, asOf });
        for (const s of r.states) {
          expect(s.assessed + s.adjusted - s.paid + s.refunded).toBe(s.outstanding - s.credit);
          expect(s.outstanding >= 0n && s.credit >= 0n).toBe(true);
          for (const y of s.byYear) expect(y.outstanding >= 0n && y.settled <= y.due && y.settled >= 0n).toBe(true);
          expect(s.byAge.reduce((a, b) => a + b, 0n)).toBe(s.outstanding);
          expect(s.byYear.reduce((a, y) => a + y.outstanding, 0n)).toBe(s.outstanding);
          // Split payments: what went to lines + what is credit + what was refunded = what was paid.
          const settled = s.byYear.reduce((a, y) => a + y.settled, 0n);
          expect(settled + s.credit + s.refunded).toBe(s.paid);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('a record dated after D never changes the report as of D', () => {
    fc.assert(
      fc.property(booksArb, asOfArb, payArb, lineArb, (ledger, asOf, p, l) => {
        const before = arrearsReport({ ledger, asOf });
        const later = addDays(asOf, 1 + (p.at % 400));
        const iso3 = STATES[p.s]!;
        const more: Ledger = {
          lines: [...ledger.lines, { invoice: 'LATE-1', iso3, year: 2020 + l.y, purpose: 'isu', category: 'z', amount: l.amount, issued: later, due: addDays(later, 30), note: '' }],
          payments: [...ledger.payments, { id: 'LATE-P', iso3, received: later, amount: '1', currency: 'CHF', chf: p.chf, purpose: 'isu', reference: '' }],
          adjustments: ledger.adjustments,
        };
        expect(arrearsReport({ ledger: more, asOf })).toEqual(before);
      }),
      { numRuns: 300 },
    );
  });

  it('the statement reconciles row by row and traces without changing a number', () => {
    fc.assert(
      fc.property(booksArb, asOfArb, fc.integer({ min: 0, max: 2000 }), (ledger, asOf, f) => {
        const from = day(f) <= asOf ? day(f) : asOf;
        for (const [iso3, events] of eventsByState(ledger)) {
          const s = statement(iso3, events, from, asOf);
          let b = s.opening;
          for (const row of s.rows) {
            b += row.debit - row.credit;
            if (row.balance !== null) expect(row.balance).toBe(b);
          }
          expect(b).toBe(s.closing);
          expect(s.opening + s.totals.assessed - s.totals.paid + s.totals.adjustments).toBe(s.closing);
          const plain = replay(iso3, events, asOf);
          const traced = replay(iso3, events, asOf, true);
          expect(traced.lines.map((l) => [l.due, l.settled])).toEqual(plain.lines.map((l) => [l.due, l.settled]));
          expect(traced.credit).toBe(plain.credit);
          // Allocations minus releases per line = what the line shows settled.
          const net = new Map<string, bigint>();
          for (const e of traced.entries!) {
            if (e.kind === 'allocation') net.set(`${e.invoice}/${e.category}`, (net.get(`${e.invoice}/${e.category}`) ?? 0n) + e.amount);
            if (e.kind === 'release') net.set(`${e.invoice}/${e.category}`, (net.get(`${e.invoice}/${e.category}`) ?? 0n) - e.amount);
          }
          for (const l of traced.lines) expect(net.get(`${l.line.invoice}/${l.line.category}`) ?? 0n).toBe(l.settled);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('the order of the records in the files changes nothing', () => {
    fc.assert(
      fc.property(booksArb, asOfArb, (ledger, asOf) => {
        const shuffled: Ledger = { lines: [...ledger.lines].reverse(), payments: [...ledger.payments].reverse(), adjustments: [...ledger.adjustments].reverse() };
        expect(arrearsReport({ ledger: shuffled, asOf })).toEqual(arrearsReport({ ledger, asOf }));
      }),
      { numRuns: 200 },
    );
  });
});

describe('dates', () => {
  it('dayNumber and addDays agree with the calendar', async () => {
    const { dayNumber, fromDayNumber } = await import('../src/core/dates.js');
    fc.assert(
      fc.property(fc.integer({ min: -200_000, max: 200_000 }), (n) => {
        const iso = new Date(n * 86_400_000).toISOString().slice(0, 10);
        expect(dayNumber(iso)).toBe(n);
        expect(fromDayNumber(n)).toBe(iso);
      }),
    );
  });
});
