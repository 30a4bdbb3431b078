/**
 * finproc cashflow: the hand-built year worked out by hand, the cash identity as a property,
 * the stress test's reproducibility and convergence, and the command as a user meets it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { projectMonths, type CashflowReport, type MonthFlows, type ReserveRule } from '../src/core/cashflow.js';
import { percentOf, stress, Xoshiro128 } from '../src/core/stress.js';
import { handBooks } from './cashflow-books.js';
import { ROOT, run } from './helpers.js';
import { findPython } from './python.js';

interface JsonMonth {
  month: string;
  opening: string;
  receipts: string;
  spending: string;
  closing_before_reserve: string;
  reserve_opening: string;
  reserve_contributions: string;
  reserve_drawn: string;
  reserve_repaid: string;
  reserve_closing: string;
  closing: string;
  uncovered_gap: string;
}
interface JsonDoc {
  schema: string;
  as_of: string;
  months: JsonMonth[];
  flags: { first_draw: { month: string; amount: string } | null; largest_draw: { month: string; amount: string } | null; uncovered: { month: string; gap: string }[]; reserve_at_year_end: string; contributions_to_restore: string; advanced_at_year_end: string };
  receipts: { date: string | null; iso3: string; ref: string; amount: string; source: string }[];
  stress?: { runs: number; seed: number; reserve_drawn: { runs: number; probability_pct: string }; uncovered_gap: { runs: number; probability_pct: string }; months: { month: string; projected_cash: string; cash: { p10: string; p50: string; p90: string } }[] };
}

async function json(args: string[]): Promise<JsonDoc> {
  const r = await run(['cashflow', ...args, '--format', 'json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as JsonDoc;
}
const col = (d: JsonDoc, k: keyof JsonMonth) => d.months.map((m) => m[k]);
const K = (n: number) => `${n * 1000}.00`;

describe('the hand-built year: one large State pays six months late', () => {
  it('draws the reserve April to July and repays it in August (figures worked by hand)', async () => {
    const dir = handBooks();
    const d = await json(['--year', '2026', '--as-of', '2026-01-31', '--books', dir]);
    // Expected receipts (as of 2026-01-31, nothing of 2026 paid yet):
    //   CHE: due 2026-02-14 − 10 days (its median, −10, −10, −10) = 2026-02-04 → February
    //   AUT: due 2026-02-14 + 0 = 2026-02-14 → February
    //   DEU: delays 175, 181, 190 → median 181; 2026-02-14 + 181 days = 2026-08-14 → August
    //        (Feb 14 → Mar 14 = 28, Apr 14 = 59, May 14 = 89, Jun 14 = 120, Jul 14 = 150, Aug 14 = 181)
    //   MEX: 2026 history 1 paid (+30) and 2 not paid in full → not expected; its 2024 and 2025
    //        arrears are 717 and 351 days past due, later than its one paid delay → not expected
    //        (2024-02-14 → 2025-02-14 = 366 days, 29 February 2024 included; → 2026-01-31 = 351).
    expect(d.receipts.filter((r) => r.source === 'assessment').map((r) => [r.iso3, r.ref, r.date, r.amount])).toEqual([
      ['CHE', 'INV-2026-CHE', '2026-02-04', '40000.00'],
      ['AUT', 'INV-2026-AUT', '2026-02-14', '60000.00'],
      ['DEU', 'INV-2026-DEU', '2026-08-14', '500000.00'],
      ['MEX', 'INV-2024-MEX', null, '10000.00'],
      ['MEX', 'INV-2025-MEX', null, '10000.00'],
      ['MEX', 'INV-2026-MEX', null, '10000.00'],
    ]);
    // Month by month, in thousands (spending 50 each month; opening cash 50, reserve 400):
    //   Jan  50 +   0 − 50 =   0  (not below 0: no draw)
    //   Feb   0 + 100 − 50 =  50
    //   Mar  50 +   0 − 50 =   0
    //   Apr   0 − 50 = −50 → draw 50, reserve 350, cash 0
    //   May, Jun, Jul likewise → reserve 300, 250, 200; drawn 200 in all
    //   Aug   0 + 500 − 50 = 450 → repay the 200 drawn → cash 250, reserve 400
    //   Sep 200, Oct 150, Nov 100, Dec 50
    expect(col(d, 'receipts')).toEqual([0, 100, 0, 0, 0, 0, 0, 500, 0, 0, 0, 0].map(K));
    expect(col(d, 'closing_before_reserve')).toEqual([0, 50, 0, -50, -50, -50, -50, 450, 200, 150, 100, 50].map(K));
    expect(col(d, 'reserve_drawn')).toEqual([0, 0, 0, 50, 50, 50, 50, 0, 0, 0, 0, 0].map(K));
    expect(col(d, 'reserve_repaid')).toEqual([0, 0, 0, 0, 0, 0, 0, 200, 0, 0, 0, 0].map(K));
    expect(col(d, 'reserve_closing')).toEqual([400, 400, 400, 350, 300, 250, 200, 400, 400, 400, 400, 400].map(K));
    expect(col(d, 'closing')).toEqual([0, 50, 0, 0, 0, 0, 0, 250, 200, 150, 100, 50].map(K));
    expect(col(d, 'uncovered_gap')).toEqual(Array(12).fill('0.00'));
    expect(d.flags.first_draw).toEqual({ month: '2026-04', amount: '50000.00' });
    expect(d.flags.largest_draw).toEqual({ month: '2026-04', amount: '50000.00' });
    expect(d.flags.uncovered).toEqual([]);
    expect(d.flags.contributions_to_restore).toBe('0.00');
    // --fail-on: a draw holds (exit 4), a gap does not (exit 0).
    expect((await run(['cashflow', '--year', '2026', '--as-of', '2026-01-31', '--books', dir, '--fail-on', 'draw'])).code).toBe(4);
    expect((await run(['cashflow', '--year', '2026', '--as-of', '2026-01-31', '--books', dir, '--fail-on', 'gap'])).code).toBe(0);
  });

  it('a reserve of 120,000 runs out in June: the uncovered gaps and what restoring it takes', async () => {
    const dir = handBooks({ reserve: '120000.00' });
    const d = await json(['--year', '2026', '--as-of', '2026-01-31', '--books', dir]);
    // Apr draw 50 (reserve 70), May draw 50 (20); Jun needs 50, only 20 left → cash −30, gap 30;
    // Jul −30 − 50 = −80, reserve empty → gap 80; Aug −80 + 500 − 50 = 370 → repay the 120
    // drawn → cash 250, reserve 120; then 200, 150, 100, 50. Restore: 400 − 120 = 280.
    expect(col(d, 'reserve_drawn')).toEqual([0, 0, 0, 50, 50, 20, 0, 0, 0, 0, 0, 0].map(K));
    expect(col(d, 'reserve_repaid')).toEqual([0, 0, 0, 0, 0, 0, 0, 120, 0, 0, 0, 0].map(K));
    expect(col(d, 'closing')).toEqual([0, 50, 0, 0, 0, -30, -80, 250, 200, 150, 100, 50].map(K));
    expect(col(d, 'reserve_closing')).toEqual([120, 120, 120, 70, 20, 0, 0, 120, 120, 120, 120, 120].map(K));
    expect(d.flags.uncovered).toEqual([
      { month: '2026-06', gap: '30000.00' },
      { month: '2026-07', gap: '80000.00' },
    ]);
    expect(d.flags.contributions_to_restore).toBe('280000.00');
    const r = await run(['cashflow', '--year', '2026', '--as-of', '2026-01-31', '--books', dir, '--fail-on', 'gap']);
    expect(r.code).toBe(4);
    expect(r.stdout).toContain("NOT COVERED even by the reserve: Jun CHF 30'000.00, Jul CHF 80'000.00");
  });

  it('with repay: none the reserve stays drawn; a reserve pledge refills it in its month', async () => {
    const dir = handBooks({
      reserve: '120000.00',
      policyReserve: '\nreserve:\n  target: "400000.00"\n  minimum_cash: "0.00"\n  repay: none\n',
      pledges: ['PLG-R1,NOR,reserve,30000.00,CHF,2026-01-10,2026-06-30,2026,top-up'],
    });
    const d = await json(['--year', '2026', '--as-of', '2026-01-31', '--books', dir]);
    // Apr 50 (70 left), May 50 (20), Jun: 20 + the pledge 30 = 50 available, needs 50 → draw
    // 50, reserve 0, no gap; Jul needs 50, nothing left → gap 50, cash −50; Aug −50 + 500 − 50
    // = 400, nothing repaid; cash 350, 300, 250, 200, 150. Restore: 400 − 0 = 400.
    expect(col(d, 'reserve_contributions')).toEqual([0, 0, 0, 0, 0, 30, 0, 0, 0, 0, 0, 0].map(K));
    expect(col(d, 'reserve_drawn')).toEqual([0, 0, 0, 50, 50, 50, 0, 0, 0, 0, 0, 0].map(K));
    expect(col(d, 'reserve_repaid')).toEqual(Array(12).fill('0.00'));
    expect(col(d, 'closing')).toEqual([0, 50, 0, 0, 0, 0, -50, 400, 350, 300, 250, 200].map(K));
    expect(d.flags.uncovered).toEqual([{ month: '2026-07', gap: '50000.00' }]);
    expect(d.flags.contributions_to_restore).toBe('400000.00');
    expect(d.flags.advanced_at_year_end).toBe('150000.00');
  });

  it('payments received up to the as-of date are actual; a State late beyond its median moves on', async () => {
    // As of 2026-08-31 AUT and CHE have paid (actual), DEU has not: 198 days elapsed, its
    // history delays later than that: 190... no, 175, 181, 190 are all ≤ 198 → never this late
    // and then paid → not expected.
    const dir = handBooks({ extraPayments: ['PAY-900,AUT,2026-02-16,60000.00,CHF,,isu,,,,,', 'PAY-901,CHE,2026-02-04,40000.00,CHF,,isu,,,,,'] });
    const d = await json(['--year', '2026', '--as-of', '2026-08-31', '--books', dir]);
    expect(d.receipts.filter((r) => r.source === 'payment').map((r) => [r.ref, r.date])).toEqual([
      ['PAY-901', '2026-02-04'],
      ['PAY-900', '2026-02-16'],
    ]);
    expect(d.receipts.find((r) => r.ref === 'INV-2026-DEU')!.date).toBeNull();
    // As of 2026-08-20 (187 days elapsed) only the 190-day outcome is left → 2026-08-23.
    const e = await json(['--year', '2026', '--as-of', '2026-08-20', '--books', dir]);
    expect(e.receipts.find((r) => r.ref === 'INV-2026-DEU')!.date).toBe('2026-08-23');
  });
});

// ---------------------------------------------------------------- properties

const cents = fc.bigInt({ min: 0n, max: 20_000_000n });
const flowsArb = fc.record({
  receipts: fc.array(cents, { minLength: 12, maxLength: 12 }),
  spending: fc.array(cents, { minLength: 12, maxLength: 12 }),
  reserveIn: fc.array(fc.oneof(fc.constant(0n), cents), { minLength: 12, maxLength: 12 }),
});
const ruleArb = fc.record({ target: fc.bigInt({ min: 0n, max: 50_000_000n }), minimumCash: fc.bigInt({ min: 0n, max: 5_000_000n }), repay: fc.constantFrom('surplus' as const, 'none' as const), defaulted: fc.constant(false) });
const openingArb = fc.record({ cash: fc.bigInt({ min: -5_000_000n, max: 50_000_000n }), reserve: fc.bigInt({ min: 0n, max: 50_000_000n }) });

describe('properties of the monthly arithmetic', () => {
  it('cash identity every month; reserve movements balance; the reserve is drawn only for a shortfall', () => {
    fc.assert(
      fc.property(openingArb, flowsArb, ruleArb, (opening, flows: MonthFlows, rule: ReserveRule) => {
        const rows = projectMonths(opening, flows, rule);
        let cash = opening.cash;
        let reserve = opening.reserve;
        let advanced = 0n;
        for (const x of rows) {
          expect(x.opening).toBe(cash);
          expect(x.reserveOpening).toBe(reserve);
          expect(x.closingBefore).toBe(x.opening + x.receipts - x.spending);
          expect(x.closing).toBe(x.closingBefore + x.drawn - x.repaid);
          expect(x.reserveClosing).toBe(x.reserveOpening + x.reserveIn - x.drawn + x.repaid);
          expect(x.drawn >= 0n && x.repaid >= 0n && x.reserveClosing >= 0n).toBe(true);
          expect(x.drawn > 0n && x.repaid > 0n).toBe(false);
          if (x.drawn > 0n) expect(x.closingBefore < rule.minimumCash).toBe(true);
          if (x.repaid > 0n) expect(x.repaid <= advanced && x.closing >= rule.minimumCash && rule.repay === 'surplus').toBe(true);
          // A gap only when the reserve is exhausted; then it is exactly what is missing.
          expect(x.gap).toBe(x.closing < rule.minimumCash ? rule.minimumCash - x.closing : 0n);
          if (x.gap > 0n) expect(x.reserveClosing).toBe(0n);
          advanced += x.drawn - x.repaid;
          expect(x.advanced).toBe(advanced);
          cash = x.closing;
          reserve = x.reserveClosing;
        }
        // Over the year, cash and reserve together moved by exactly the flows.
        const sum = (k: keyof MonthFlows) => flows[k].reduce((a, b) => a + b, 0n);
        expect(cash + reserve).toBe(opening.cash + opening.reserve + sum('receipts') + sum('reserveIn') - sum('spending'));
      }),
      { numRuns: 300 },
    );
  });

  it("the stress test's integer loop gives the projection exactly when nothing varies", () => {
    fc.assert(
      fc.property(openingArb, flowsArb, ruleArb, (opening, flows: MonthFlows, rule: ReserveRule) => {
        const months = projectMonths(opening, flows, rule);
        const receipts = flows.receipts.flatMap((amount, i) => [
          { date: `2026-${String(i + 1).padStart(2, '0')}-15`, month: i + 1, fund: 'operating' as const, source: 'payment' as const, iso3: 'AUT', ref: `P${i}`, amount, basis: '' },
          { date: `2026-${String(i + 1).padStart(2, '0')}-15`, month: i + 1, fund: 'reserve' as const, source: 'payment' as const, iso3: 'AUT', ref: `R${i}`, amount: flows.reserveIn[i]!, basis: '' },
        ]);
        const r = { year: 2026, asOf: '2025-12-31', rule, opening: { year: 2026, operating: opening.cash, reserve: opening.reserve, note: '' }, months, flows, receipts, uncertain: [] } as unknown as CashflowReport;
        const st = stress(r, { runs: 3, seed: 7 });
        st.months.forEach((m, i) => {
          expect([m.cash.p10, m.cash.p50, m.cash.p90]).toEqual([months[i]!.closing, months[i]!.closing, months[i]!.closing]);
          expect(m.reserve.p50).toBe(months[i]!.reserveClosing);
        });
        expect(st.drawnRuns).toBe(months.some((m) => m.drawn > 0n) ? 3 : 0);
        expect(st.gapRuns).toBe(months.some((m) => m.gap > 0n) ? 3 : 0);
      }),
      { numRuns: 200 },
    );
  });
});

// ---------------------------------------------------------------- stress test

describe('stress test', () => {
  it('the generator: xoshiro128** from SplitMix32, the same sequence on every machine', () => {
    const a = new Xoshiro128(1);
    const b = new Xoshiro128(1);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(xs.every((x) => Number.isInteger(x) && x >= 0 && x < 2 ** 32)).toBe(true);
    // Uniform enough: 60,000 draws among 6 outcomes, each within 5 % of 10,000.
    const c = new Xoshiro128(20261128);
    const counts = [0, 0, 0, 0, 0, 0];
    for (let i = 0; i < 60000; i++) counts[c.below(6)]!++;
    for (const n of counts) expect(Math.abs(n - 10000)).toBeLessThan(500);
    expect(percentOf(1, 8)).toBe('12.5');
    expect(percentOf(1, 3)).toBe('33.3');
    expect(percentOf(1, 16)).toBe('6.2'); // 6.25 → half-even
  });

  it('the generator agrees with an independent Python transcription of the reference code', () => {
    const ref = (args: string[]) => JSON.parse(spawnSync(findPython(), [path.join(ROOT, 'test/oracle/xoshiro.py'), ...args], { encoding: 'utf8' }).stdout) as number[];
    for (const seed of [0, 1, 42, 4294967295]) {
      const g = new Xoshiro128(seed);
      expect(Array.from({ length: 50 }, () => g.next())).toEqual(ref([String(seed), '50']));
      const h = new Xoshiro128(seed);
      expect(Array.from({ length: 200 }, () => h.below(7))).toEqual(ref([String(seed), '200', '7']));
    }
  });

  it('is reproducible for a seed, and differs with another seed', async () => {
    const dir = handBooks();
    const args = ['--year', '2026', '--as-of', '2026-01-31', '--books', dir, '--stress', '2000'];
    const a = await run(['cashflow', ...args, '--seed', '5', '--format', 'json']);
    const b = await run(['cashflow', ...args, '--seed', '5', '--format', 'json']);
    const c = await run(['cashflow', ...args, '--seed', '6', '--format', 'json']);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(c.stdout).not.toBe(a.stdout);
  });

  it('converges: with no spread in the delays, P10 = P50 = P90 = the projection (tolerance 0)', async () => {
    // DEU 181 days late every year, AUT and CHE always on time, MEX left out: every run draws
    // the same dates. (With MEX, whose history is one payment and two misses, runs differ.)
    const dir = handBooks({ deu: { 2023: '2023-08-14', 2024: '2024-08-13', 2025: '2025-08-14' }, noMex: true });
    const d = await json(['--year', '2026', '--as-of', '2026-01-31', '--books', dir, '--stress', '10000', '--seed', '3']);
    const st = d.stress!;
    expect(st.runs).toBe(10000);
    for (const m of st.months) expect([m.cash.p10, m.cash.p50, m.cash.p90]).toEqual([m.projected_cash, m.projected_cash, m.projected_cash]);
    expect(st.months.map((m) => m.projected_cash)).toEqual(col(d, 'closing'));
    expect(st.reserve_drawn.runs).toBe(10000);
  });

  it('converges: DEU pays 181 days late twice in three, never once in three → P(gap) ≈ 1/3', async () => {
    // DEU paid its 2023 and 2024 invoices 181 days late and its 2025 invoice not at all (351
    // days past due on the as-of date, later than any delay it paid with: that arrears is not
    // expected). Its 2026 invoice: outcomes {181, 181, not paid}, each equally likely.
    // Paid (2/3): the reserve is drawn Apr–Jul and repaid in August, no gap. Never paid (1/3):
    // 50 drawn every month from April, the 400 are gone after November, December is short →
    // a gap (MEX paying its 10 in March, 1 run in 3, only makes it 40 short). So P(drawn) = 1
    // and P(gap) = 1/3; over 10,000 runs the standard deviation of the estimate is 0.47 %:
    // within 3 % is more than six of them.
    const dir = handBooks({ deu: { 2023: '2023-08-14', 2024: '2024-08-13', 2025: null } });
    const d = await json(['--year', '2026', '--as-of', '2026-01-31', '--books', dir, '--stress', '10000', '--seed', '11']);
    const st = d.stress!;
    expect(st.reserve_drawn.runs).toBe(10000);
    expect(Math.abs(st.uncovered_gap.runs / 10000 - 1 / 3)).toBeLessThan(0.03);
    // The deterministic projection takes DEU's median (181): no gap.
    expect(d.flags.uncovered).toEqual([]);
  });
});

// ---------------------------------------------------------------- the command

describe('finproc cashflow on the example books', () => {
  it('--help teaches: description, examples', async () => {
    for (const c of ['cashflow', 'sponsorship']) {
      const r = await run([c, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Examples:\n\s+finproc /);
    }
  });

  it('the same books give the same bytes in every format; JSON amounts are strings', async () => {
    for (const f of ['table', 'csv', 'json', 'md', 'html']) {
      const a = await run(['cashflow', '--year', '2026', '--as-of', '2026-03-31', '--format', f]);
      const b = await run(['cashflow', '--year', '2026', '--as-of', '2026-03-31', '--format', f], { env: { TZ: 'Pacific/Kiritimati', LANG: 'de_CH.UTF-8' } });
      expect(a.code).toBe(0);
      expect(a.stdout).toBe(b.stdout);
    }
    const d = await json(['--year', '2026', '--as-of', '2026-03-31']);
    expect(d.schema).toBe('finproc.cashflow/1');
    expect(d.months).toHaveLength(12);
    for (const m of d.months) for (const v of Object.values(m)) expect(typeof v).toBe('string');
  });

  it('defaults --as-of to the latest payment in the books and says so', async () => {
    const r = await run(['cashflow', '--year', '2026']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/as of 2026-08-\d\d \(CHF\) — as of the latest payment in the books/);
    expect(r.stdout).toContain('Model:');
  });

  it('without --year: the year of --as-of, else of the latest payment (finproc cashflow --stress N --seed S works as written)', async () => {
    const a = await run(['cashflow', '--stress', '200', '--seed', '9', '--format', 'json']);
    const b = await run(['cashflow', '--year', '2026', '--stress', '200', '--seed', '9', '--format', 'json']);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect((JSON.parse((await run(['cashflow', '--as-of', '2025-05-31', '--format', 'json'])).stdout) as { year: number }).year).toBe(2025);
  });

  it('HTML is self-contained: inline SVG, no script, no external resource; text from the books escaped', async () => {
    const dir = handBooks({ openingNote: '<script>alert(1)</script> & "quoted"' });
    const r = await run(['cashflow', '--year', '2026', '--as-of', '2026-01-31', '--books', dir, '--format', 'html']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^<!DOCTYPE html>/);
    expect(r.stdout).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
    expect(r.stdout).not.toMatch(/<script|<link|src=|@import|url\(/i);
    expect(r.stdout.replace('xmlns="http://www.w3.org/2000/svg"', '')).not.toMatch(/https?:/);
    expect(r.stdout).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot;');
    // The gap-free draw months are shaded, with their amounts.
    expect(r.stdout).toContain("<title>Apr: reserve drawn CHF 50'000.00</title>");
  });

  it('the terminal shows a chart with the gap months marked', async () => {
    const dir = handBooks({ reserve: '120000.00' });
    const r = await run(['cashflow', '--year', '2026', '--as-of', '2026-01-31', '--books', dir], { tty: true, env: { FORCE_COLOR: '0' } });
    expect(r.stdout).toMatch(/^Jun .* GAP 30'000\.00$/m);
    expect(r.stdout).toMatch(/^Apr .* drawn 50'000\.00$/m);
  });

  it('writes every format to a directory', async () => {
    const dir = handBooks();
    const out = path.join(dir, 'out');
    const r = await run(['cashflow', '--year', '2026', '--as-of', '2026-01-31', '--books', dir, '--out', out]);
    expect(r.code).toBe(0);
    for (const e of ['txt', 'csv', 'json', 'md', 'html']) expect(existsSync(path.join(out, `cashflow-2026.${e}`))).toBe(true);
    expect(readFileSync(path.join(out, 'cashflow-2026.csv'), 'utf8').split('\r\n')[0]).toBe('month,opening,receipts,spending,closing_before_reserve,reserve_opening,reserve_contributions,reserve_drawn,reserve_repaid,reserve_closing,closing,uncovered_gap');
  });

  it('a missing expenditure plan or opening balance is a clear problem, not a crash', async () => {
    const dir = handBooks();
    rmSync(path.join(dir, 'expenditure-plan.csv'));
    const r = await run(['cashflow', '--year', '2026', '--books', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error [file-missing]');
    expect(r.stderr).toContain('finproc cashflow needs expenditure-plan.csv');
    const s = await run(['cashflow', '--year', '2027', '--books', handBooks()]);
    expect(s.code).toBe(1);
    expect(s.stderr).toContain('error [plan-missing] the expenditure plan has no month of 2027');
    expect(s.stderr).toContain('error [plan-missing] no opening balances for 2027');
  });

  it('bad cells in the new files point at file:line:column', async () => {
    const dir = handBooks();
    const r = await run(['cashflow', '--year', '2026', '--books', dir], { cwd: dir });
    expect(r.code).toBe(0);
    const bad = handBooks();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path.join(bad, 'expenditure-plan.csv'), 'month,line,amount,note\n2026-13,staff,50000.00,\n2026-02,Staff!,50\'000.00,\n2026-03,travel,"1,000",\n');
    const s = await run(['cashflow', '--year', '2026', '--books', bad], { cwd: bad });
    expect(s.code).toBe(1);
    expect(s.stderr).toContain('expenditure-plan.csv:2:1: error [date-invalid]');
    expect(s.stderr).toContain('expenditure-plan.csv:3:9: error [value-invalid]');
    expect(s.stderr).toContain('expenditure-plan.csv:4:16: error [amount-ambiguous]');
  });

  it('finproc check validates the new files too', async () => {
    const bad = handBooks();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path.join(bad, 'opening-balances.csv'), 'year,operating_cash,reserve\n2026,50000.00,-1.00\n');
    writeFileSync(path.join(bad, 'sponsored-delegates.csv'), 'meeting,date,iso3,delegates,cost\nIM-2026,2026-05-11,XYZ,1,3000.00\n');
    const r = await run(['check', '--books', bad], { cwd: bad });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('opening-balances.csv:2:15: error [amount-negative]');
    expect(r.stderr).toContain('sponsored-delegates.csv:2:20: error [iso3-unknown]');
  });

  it('usage errors exit 2', async () => {
    expect((await run(['cashflow', '--year', '2026', '--seed', '3'])).code).toBe(2);
    expect((await run(['cashflow', '--year', '2026', '--stress', '0'])).code).toBe(2);
    expect((await run(['cashflow', '--year', '2026', '--stress', '10', '--seed', '-1'])).code).toBe(2);
    expect((await run(['cashflow', '--year', '2026', '--format', 'pdf'])).code).toBe(2);
  });

  it('amounts beyond exact integers in doubles stop the stress test with a clear message (the projection stays exact)', async () => {
    const dir = handBooks();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path.join(dir, 'opening-balances.csv'), 'year,operating_cash,reserve\n2026,90000000000000.00,400000.00\n');
    const r = await run(['cashflow', '--year', '2026', '--as-of', '2026-01-31', '--books', dir, '--stress', '10']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--stress: the amounts of the year reach CHF');
    const d = await json(['--year', '2026', '--as-of', '2026-01-31', '--books', dir]);
    expect(d.months[11]!.closing).toBe('90000000000000.00'); // receipts 600,000 = spending 600,000
  });

  it('no progress bar when stderr is not a terminal', async () => {
    const r = await run(['cashflow', '--year', '2026', '--stress', '20000', '--format', 'csv']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
  });
});
