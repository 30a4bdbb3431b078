/**
 * The worked example of docs/policy.md (from the project's domain brief), checked by hand there: budget CHF 1,000.00; 20 % shared
 * equally, 80 % by the scale; rates 0.5, 0.3, 0.2; largest remainder to 0.01.
 * Equal part 200.00 / 3 = 66.666… → 66.67, 66.67, 66.66 (the two larger rates get the units).
 * Scale part 400.00, 240.00, 160.00. Totals 466.67 + 306.67 + 226.66 = 1,000.00.
 */
import { describe, expect, it } from 'vitest';
import { apportion, quotaOf } from '../src/core/apportion.js';
import { D } from '../src/core/decimal.js';
import { payer, policyOf } from './helpers.js';

describe('the worked example of docs/policy.md', () => {
  const policy = policyOf({
    categories: [
      { id: 'equal', name: 'Equal', basis: 'equal', share: '20' },
      { id: 'scale', name: 'Scale', basis: 'scale', share: '80' },
    ],
  });
  // ISO3 order is the reverse of rate order, so that the tie-break by rate is what decides.
  const payers = [payer('CCC', '0.5'), payer('BBB', '0.3'), payer('AAA', '0.2')];
  const { result, problems } = apportion({ year: 2026, budget: D('1000.00'), policy, payers, scaleColumn: 'rate' });

  it('gives 466.67 / 306.67 / 226.66', () => {
    expect(problems).toEqual([]);
    expect(result!.states.map((s) => [s.iso3, s.total.toFixed(2)])).toEqual([
      ['AAA', '226.66'],
      ['BBB', '306.67'],
      ['CCC', '466.67'],
    ]);
  });

  it('splits the equal part 66.67 / 66.67 / 66.66 and the scale part 400 / 240 / 160', () => {
    const [eq, sc] = result!.categories;
    // lines are in ISO3 order: AAA (0.2), BBB (0.3), CCC (0.5)
    expect(eq!.lines.map((l) => l.amount.toFixed(2))).toEqual(['66.66', '66.67', '66.67']);
    expect(sc!.lines.map((l) => l.amount.toFixed(2))).toEqual(['160.00', '240.00', '400.00']);
    expect(result!.assessedTotal.toFixed(2)).toBe('1000.00');
  });

  it('breaks the tie of equal remainders by the larger rate', () => {
    // All three equal quotas are 200/3 with the same remainder and quota: the tie goes to
    // the larger rate, so CCC (0.5) and BBB (0.3) get the two missing centimes, not AAA,
    // although AAA comes first in ISO3 order.
    const eq = result!.categories[0]!;
    expect(eq.lines.map((l) => quotaOf(l).toFraction())).toEqual(['200/3', '200/3', '200/3']);
    expect(Object.fromEntries(eq.lines.map((l) => [l.iso3, l.amount.toFixed(2)]))).toEqual({ AAA: '66.66', BBB: '66.67', CCC: '66.67' });
  });
});
