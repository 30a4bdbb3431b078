/**
 * finproc sponsorship: a hand-built programme worked out by hand, and the example books.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { averageCents } from '../src/core/sponsorship.js';
import { booksWith, run } from './helpers.js';

function programme(): string {
  return booksWith({
    'payments.csv': (t) => t.split('\n').filter((l) => !l.includes(',sponsorship,')).join('\n').replace(/\n?$/, '\n') + 'PAY-S1,NOR,2025-04-01,30000.00,CHF,,sponsorship,,,,,\nPAY-S2,AUS,2026-03-10,20000.00,CHF,,sponsorship,,,,PLG-S1,\n',
    // The example's sponsorship records are replaced by these (its reserve pledges stay).
    'pledges.csv': (t) => t.split('\n').filter((l) => !l.includes(',sponsorship,')).join('\n').replace(/\n?$/, '\n') + 'PLG-S1,AUS,sponsorship,20000.00,CHF,2026-02-01,2026-03-15,2026,\nPLG-S2,NZL,sponsorship,15000.00,CHF,2026-06-01,2026-09-30,2026,\n',
    'sponsored-delegates.csv': 'meeting,date,iso3,delegates,cost,note\nIM-2025,2025-05-12,AFG,1,3000.00,\n13MSP,2025-09-15,BDI,2,6400.00,two\nIM-2026,2026-05-11,BEN,1,2900.00,\nIM-2026,2026-05-11,GIN,1,3100.00,\n',
  });
}

describe('finproc sponsorship, worked by hand', () => {
  it('2026 as of 2026-08-18', async () => {
    const r = await run(['sponsorship', '--year', '2026', '--as-of', '2026-08-18', '--books', programme(), '--format', 'json']);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d.schema).toBe('finproc.sponsorship/1');
    // Received in 2026: AUS 20,000.00; NZL's 15,000.00 still pledged.
    expect([d.received, d.pledged_outstanding]).toEqual(['20000.00', '15000.00']);
    // Delegates 2026: BEN 2,900 + GIN 3,100 = 6,000.00 for 2 → 3,000.00 each.
    expect([d.delegates, d.cost, d.average_per_delegate]).toEqual([2, '6000.00', '3000.00']);
    // Funds in hand: 30,000 + 20,000 − (3,000 + 6,400) − 6,000 = 34,600.00;
    // at 3,000 a delegate: ⌊34,600 × 2 / 6,000⌋ = ⌊11.53⌋ = 11; with NZL's 15,000: ⌊49,600 × 2 / 6,000⌋ = 16.
    expect(d.funds_in_hand).toBe('34600.00');
    expect(d.coverage).toMatchObject({ delegates_covered: 11, delegates_covered_with_pledges: 16, average_of: '2026' });
    expect(d.meetings).toEqual([{ meeting: 'IM-2026', date: '2026-05-11', delegates: 2, cost: '6000.00', states: ['BEN', 'GIN'] }]);
    expect(d.history).toEqual([
      { year: 2025, received: '30000.00', delegates: 3, cost: '9400.00' },
      { year: 2026, received: '20000.00', delegates: 2, cost: '6000.00' },
    ]);
  });

  it('2025: the average is rounded to the centime half-even, the coverage is exact', async () => {
    const r = await run(['sponsorship', '--year', '2025', '--as-of', '2025-12-31', '--books', programme(), '--format', 'json']);
    const d = JSON.parse(r.stdout);
    // 9,400.00 / 3 = 3,133.333… → 3,133.33; funds 30,000 − 9,400 = 20,600 → ⌊20,600 × 3 / 9,400⌋ = ⌊6.57⌋ = 6.
    expect([d.average_per_delegate, d.funds_in_hand, d.coverage.delegates_covered]).toEqual(['3133.33', '20600.00', 6]);
    expect(averageCents(5n, 2)).toBe(2n); // 0.025 → 0.02 (half-even)
    expect(averageCents(7n, 2)).toBe(4n); // 0.035 → 0.04
  });

  it('the table quotes the historic reference; the example books run in every format', async () => {
    for (const f of ['table', 'csv', 'json', 'md']) {
      const r = await run(['sponsorship', '--year', '2025', '--format', f]);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
    }
    const t = await run(['sponsorship', '--year', '2025']);
    expect(t.stdout).toContain("CHF 52'800 a year on average in 2016–2019");
  });

  it('bad rows point at file:line:column; a State twice at one meeting is a duplicate', async () => {
    const dir = booksWith({ 'sponsored-delegates.csv': 'meeting,date,iso3,delegates,cost,note\nIM-2026,2026-05-11,BEN,1,2900.00,\nIM-2026,2026-05-11,BEN,1,2900.00,again\nIM-2026,11.5.2026,GIN,0,3100.00,\n' });
    const r = await run(['sponsorship', '--year', '2026', '--books', dir], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('sponsored-delegates.csv:3:20: error [row-duplicate] iso3: IM-2026 BEN is listed twice (first on line 2)');
    expect(r.stderr).toContain('sponsored-delegates.csv:4:9: error [date-ambiguous]');
    expect(r.stderr).toContain('sponsored-delegates.csv:4:23: error [amount-invalid] delegates');
  });

  it('a missing sponsored-delegates.csv is a clear problem', async () => {
    const dir = booksWith();
    rmSync(path.join(dir, 'sponsored-delegates.csv'));
    const r = await run(['sponsorship', '--year', '2026', '--books', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error [file-missing]');
    expect(r.stderr).toContain('finproc sponsorship needs sponsored-delegates.csv');
  });
});
