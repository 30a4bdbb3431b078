/**
 * Invariants of the apportionment, for random scales, policies and budgets (fast-check).
 */
import fc from 'fast-check';
import Fraction from 'fraction.js';
import { describe, expect, it } from 'vitest';
import { apportion, quotaOf, type Apportionment, type Payer } from '../src/core/apportion.js';
import { D, toFraction } from '../src/core/decimal.js';
import type { Policy } from '../src/core/policy.js';
import { payer, tryPolicyOf } from './helpers.js';

const rateArb = fc.integer({ min: 1, max: 22000 }).map((n) => (n / 1000).toFixed(3)); // 0.001 … 22.000
const payerArb = fc.record({ rate: rateArb, ldc: fc.boolean(), months: fc.integer({ min: 1, max: 12 }) });

/** Split 100 into k positive shares with up to 2 decimals. */
const sharesArb = (k: number) =>
  fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: k, maxLength: k }).map((ws) => {
    const total = ws.reduce((a, b) => a + b, 0);
    const cents = ws.map((w) => Math.floor((w * 10000) / total));
    cents[0]! += 10000 - cents.reduce((a, b) => a + b, 0);
    return cents.map((c) => (c / 100).toFixed(2).replace(/\.?0+$/, ''));
  });

const boundsArb = fc.option(
  fc.record({
    min: fc.option(fc.constantFrom('0.001', '0.01', '0.05', '0.5'), { nil: undefined }),
    max: fc.option(fc.constantFrom('10', '22', '40', '60'), { nil: undefined }),
    ldc_max: fc.option(fc.constantFrom('0.01', '0.5'), { nil: undefined }),
    of: fc.constantFrom('total', 'category'),
  }),
  { nil: undefined },
);

const caseArb = fc
  .record({
    payers: fc.uniqueArray(fc.tuple(fc.stringMatching(/^[A-Z]{3}$/), payerArb), { minLength: 5, maxLength: 40, selector: ([k]) => k }),
    k: fc.integer({ min: 1, max: 3 }),
    unit: fc.constantFrom('0.01', '0.05', '1'),
    method: fc.constantFrom('largest-remainder', 'largest-remainder', 'half-up', 'half-even'),
    units: fc.bigInt({ min: 1000n, max: 10n ** 9n }),
    proRata: fc.constantFrom('none', 'months'),
    // The rest of the policy language: fixed amounts per State, a flat amount, a voluntary
    // share, the last category taking "rest", a fixed share.
    host: fc.option(fc.integer({ min: 1, max: 300 }), { nil: undefined }),
    flat: fc.option(fc.integer({ min: 1, max: 300 }), { nil: undefined }),
    voluntary: fc.boolean(),
    rest: fc.boolean(),
    fixedShare: fc.option(fc.constantFrom('1', '12.5', '33.333'), { nil: undefined }),
  })
  .chain((c) =>
    fc.record({
      c: fc.constant(c),
      shares: sharesArb(c.k),
      bases: fc.array(fc.constantFrom('equal', 'scale'), { minLength: c.k, maxLength: c.k }),
      members: fc.array(fc.constantFrom('all', 'ldc', 'non-ldc', 'all'), { minLength: c.k, maxLength: c.k }),
      bounds: fc.array(boundsArb, { minLength: c.k, maxLength: c.k }),
    }),
  )
  .map(({ c, shares, bases, members, bounds }) => {
    const codes = c.payers.map(([iso3]) => iso3);
    const amountOf = (n: number) => D(String(n)).times(D(c.unit)).toFixed();
    // With a voluntary part, the others' shares are scaled to 90 % (exactly: they are given in hundredths).
    const scaledShare = (x: string) => (c.voluntary ? D(x).times('0.9').toFixed() : x);
    const policy = tryPolicyOf({
      pro_rata: c.proRata,
      rounding: { unit: c.unit, method: c.method },
      categories: [
        ...(c.host ? [{ id: 'host', name: 'host', basis: 'fixed', amounts: { [codes[0]!]: amountOf(c.host) } }] : []),
        ...(c.flat ? [{ id: 'flat', name: 'flat', basis: 'equal', amount: amountOf(c.flat), members: { iso3: [codes[1]!, codes[2]!] } }] : []),
        ...shares.map((share, i) => {
          const b = bounds[i];
          const bound = (p: string | undefined) => (p ? { percent: p, of: b!.of } : undefined);
          const bs = b && { ...(b.min ? { min: bound(b.min) } : {}), ...(b.max ? { max: bound(b.max) } : {}), ...(b.ldc_max ? { ldc_max: bound(b.ldc_max) } : {}) };
          const last = i === shares.length - 1;
          return {
            id: `c${i}`,
            name: `c${i}`,
            basis: bases[i],
            share: scaledShare(share),
            members: last && c.rest && i > 0 ? 'rest' : members[i],
            ...(bs && Object.keys(bs).length ? { bounds: bs } : {}),
            ...(i === 0 && c.fixedShare && members[0] === 'all' ? { fixed_shares: { [codes[3]!]: c.fixedShare } } : {}),
          };
        }),
        ...(c.voluntary ? [{ id: 'vol', name: 'vol', basis: 'voluntary', share: '10' }] : []),
      ],
    });
    const payers: Payer[] = c.payers.map(([iso3, p]) => payer(iso3, p.rate, { ldc: p.ldc, months: c.proRata === 'months' ? p.months : 12 }));
    const budget = D(c.units.toString()).times(D(c.unit));
    return { policy: policy!, payers, budget, valid: policy !== undefined };
  })
  // A minimum above the maximum of the same base is refused by the policy check itself.
  .filter((x) => x.valid);

function run(policy: Policy, payers: Payer[], budget: ReturnType<typeof D>) {
  return apportion({ year: 2026, budget, policy, payers, scaleColumn: 'rate' });
}

/** Everything of a result that a user can see, as plain strings. */
function fingerprint(a: Apportionment): string {
  return JSON.stringify({
    cats: a.categories.map((c) => [c.id, c.amount.toFixed(), c.roundingDifference.toFixed(), c.lines.map((l) => [l.iso3, l.amount.toFixed(), quotaOf(l).toFraction(), l.bound?.kind ?? ''])]),
    states: a.states.map((s) => [s.iso3, s.total.toFixed()]),
  });
}

// Real impossibilities only: bounds that cannot hold, a category with nobody in it, or a
// "rest" that the categories before it left empty.
const ACCEPTED_REFUSALS = new Set(['policy-bounds', 'category-empty']);

describe('apportionment invariants (property tests)', () => {
  it('sums exactly: lines to each category (largest remainder), categories to the budget; nothing negative; each line within one unit of its quota', () => {
    fc.assert(
      fc.property(caseArb, ({ policy, payers, budget }) => {
        const { result, problems } = run(policy, payers, budget);
        if (!result) {
          // Only a real impossibility may stop it: bounds that cannot hold, or no member.
          expect(problems.length).toBeGreaterThan(0);
          for (const p of problems) expect(ACCEPTED_REFUSALS.has(p.code)).toBe(true);
          return;
        }
        const unit = toFraction(policy.rounding.unit);
        let catSum = D('0');
        for (const c of result.categories) {
          catSum = catSum.plus(c.amount);
          if (!c.invoiced) {
            expect(c.lines).toEqual([]); // voluntary: reported, not invoiced
            continue;
          }
          const lines = c.lines.reduce((s, l) => s.plus(l.amount), D('0'));
          expect(lines.plus(c.roundingDifference).eq(c.amount)).toBe(true);
          if (policy.rounding.method === 'largest-remainder') expect(c.roundingDifference.isZero()).toBe(true);
          const quotas = c.lines.reduce((s, l) => s.add(quotaOf(l)), new Fraction(0));
          expect(quotas.equals(toFraction(c.amount))).toBe(true);
          for (const l of c.lines) {
            expect(l.amount.isNegative()).toBe(false);
            expect(quotaOf(l).s >= 0n).toBe(true);
            const diff = toFraction(l.amount).sub(quotaOf(l)).abs();
            if (policy.rounding.method === 'largest-remainder') expect(diff.lt(unit)).toBe(true);
            else expect(diff.lte(unit.div(2))).toBe(true);
            expect(toFraction(l.amount).div(unit).d).toBe(1n);
          }
        }
        expect(catSum.eq(budget)).toBe(true);
        expect(result.assessedTotal.plus(result.voluntaryTotal).plus(result.roundingDifference).eq(budget)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('holds the bounds: every quota lies within its minimum and maximum (LDC maximum for LDCs)', () => {
    fc.assert(
      fc.property(caseArb, ({ policy, payers, budget }) => {
        const { result } = run(policy, payers, budget);
        if (!result) return;
        const B = toFraction(budget);
        for (const c of result.categories) {
          const pc = policy.categories.find((x) => x.id === c.id)!;
          const abs = (b: typeof pc.bounds.min) => (b ? (b.of === 'total' ? B : toFraction(c.amount)).mul(toFraction(b.percent)).div(100) : undefined);
          const min = abs(pc.bounds.min);
          const max = abs(pc.bounds.max);
          const ldcMax = abs(pc.bounds.ldcMax);
          for (const l of c.lines) {
            if (l.fixedShare) continue; // a fixed share is taken out before the bounds (docs/policy.md step 7)
            const ldc = payers.find((p) => p.iso3 === l.iso3)!.ldc;
            const q = quotaOf(l);
            if (min) expect(q.gte(min)).toBe(true);
            if (max) expect(q.lte(max)).toBe(true);
            if (ldc && ldcMax) expect(q.lte(ldcMax)).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('does not depend on the order of the input rows, and a rerun is identical', () => {
    fc.assert(
      fc.property(caseArb, fc.integer(), ({ policy, payers, budget }, seed) => {
        const a = run(policy, payers, budget);
        const shuffled = [...payers].sort((x, y) => ((hash(x.iso3) ^ seed) >>> 0) - ((hash(y.iso3) ^ seed) >>> 0));
        const b = run(policy, shuffled, budget);
        const again = run(policy, payers, budget);
        expect(Boolean(a.result)).toBe(Boolean(b.result));
        if (a.result && b.result && again.result) {
          expect(fingerprint(b.result)).toBe(fingerprint(a.result));
          expect(fingerprint(again.result)).toBe(fingerprint(a.result));
        } else expect(b.problems.map((p) => p.message)).toEqual(a.problems.map((p) => p.message));
      }),
      { numRuns: 200 },
    );
  });
});

function hash(s: string): number {
  let h = 2166136261;
  for (const ch of s) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return h;
}
