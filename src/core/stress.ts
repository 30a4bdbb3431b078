/**
 * The stress test of the cash-flow projection (docs/cashflow.md, "Stress test"). Pure.
 *
 * Each run draws, for every assessment whose receipt is uncertain, one outcome of the
 * State's own history (a delay after the due date, or "not paid in full"), each outcome of
 * the history equally likely, and replays the year month by month with the same rules as
 * the projection. Everything else (payments received, pledges, the plan) is as projected.
 *
 * Random numbers: xoshiro128** (Blackman and Vigna, 2018), its state seeded from the 32-bit
 * seed by SplitMix32; a draw among n outcomes is unbiased (rejection sampling). Integer
 * arithmetic only, so the same seed gives the same runs on every machine.
 *
 * Money in the hot loop: integer centimes held in JS numbers. Every value the loop makes is
 * bounded by T = |opening cash| + reserve + minimum cash + reserve target + Σ receipts + Σ spending +
 * Σ contributions + Σ open invoices (cash never strays further from its opening than the flows and what the
 * reserve can lend); `stress` checks 2·T ≤ 2^53 − 1 before it starts, so every sum is an
 * exact integer. Percentiles are read from the sorted runs by nearest rank.
 */
import { dateWithDelay, flowsOf, monthOf, nearestRank, type CashflowReport, type MonthRow } from './cashflow.js';
import type { Cents } from './ledger.js';

export const GENERATOR = 'xoshiro128** seeded by SplitMix32';

/** xoshiro128**: 128 bits of state, period 2^128 − 1; outputs unsigned 32-bit integers. */
export class Xoshiro128 {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  constructor(seed: number) {
    let a = seed >>> 0;
    const next = () => {
      a = (a + 0x9e3779b9) >>> 0;
      let z = a;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // the one state xoshiro must avoid
  }
  next(): number {
    const r = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return r;
  }
  /** A uniform integer in [0, n), without modulo bias. */
  below(n: number): number {
    if (n <= 1) return 0;
    const limit = 0x100000000 - (0x100000000 % n);
    for (;;) {
      const r = this.next();
      if (r < limit) return r % n;
    }
  }
}
function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

export interface Band {
  p10: Cents;
  p50: Cents;
  p90: Cents;
}
export interface StressMonth {
  month: number;
  cash: Band;
  reserve: Band;
  /** Runs in which the reserve is drawn in this month / an uncovered gap remains at its end. */
  drawnRuns: number;
  gapRuns: number;
  /** The deterministic projection of the month, for comparison. */
  projected: Cents;
}
export interface StressReport {
  runs: number;
  seed: number;
  generator: string;
  uncertain: number;
  /** Runs in which the reserve is drawn in some month; runs with an uncovered gap in some month. */
  drawnRuns: number;
  gapRuns: number;
  months: StressMonth[];
  restore: Band;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** The books' amounts are too large for exact integer centimes in doubles (2·T > 2^53 − 1). */
export class StressBoundError extends Error {
  constructor(readonly bound: Cents) {
    super(`the amounts of the year reach CHF ${bound / 100n} in all; the stress test computes exactly only up to CHF ${MAX_SAFE / 200n / 100n}`);
  }
}

export function stress(r: CashflowReport, opts: { runs: number; seed: number; onProgress?: (done: number) => void }): StressReport {
  const { runs, seed } = opts;
  const year = r.year;
  // What does not vary: every receipt but the assessments' rest.
  const base = flowsOf(year, r.receipts.filter((x) => x.source !== 'assessment'), []);
  const spending = r.flows.spending;
  const rule = r.rule;
  let bound = abs(r.opening.operating) + r.opening.reserve + abs(rule.minimumCash) + abs(rule.target);
  for (let m = 0; m < 12; m++) bound += abs(base.receipts[m]!) + spending[m]! + base.reserveIn[m]!;
  for (const u of r.uncertain) bound += u.amount;
  if (2n * bound > MAX_SAFE) throw new StressBoundError(bound);

  const N = (c: Cents) => Number(c);
  const baseRec = base.receipts.map(N);
  const spend = spending.map(N);
  const resIn = base.reserveIn.map(N);
  const minimum = N(rule.minimumCash);
  const target = N(rule.target);
  const repay = rule.repay === 'surplus';
  const uncertain = r.uncertain.map((u) => ({
    amount: N(u.amount),
    // The month index (0–11) of each outcome of the history, −1 when it brings nothing this year.
    months: Int8Array.from(u.outcomes.map((d) => {
      if (d === null) return -1;
      // monthOf, not string comparisons: the date may be past 9999-12-31 ("10000-01-01").
      return monthOf(dateWithDelay(u.due, d, r.asOf), year) - 1;
    })),
  }));
  const rng = new Xoshiro128(seed);
  const cash = Array.from({ length: 12 }, () => new Float64Array(runs));
  const reserveAt = Array.from({ length: 12 }, () => new Float64Array(runs));
  const restore = new Float64Array(runs);
  const drawnIn = new Array<number>(12).fill(0);
  const gapIn = new Array<number>(12).fill(0);
  let drawnRuns = 0;
  let gapRuns = 0;
  const rec = new Array<number>(12);
  const step = Math.max(1, Math.floor(runs / 100));
  for (let run = 0; run < runs; run++) {
    for (let m = 0; m < 12; m++) rec[m] = baseRec[m]!;
    for (const u of uncertain) {
      const k = u.months.length === 1 ? 0 : rng.below(u.months.length);
      const m = u.months[k]!;
      if (m >= 0) rec[m] = rec[m]! + u.amount;
    }
    // The same arithmetic as projectMonths, in integer centimes (a property test compares them).
    let c = N(r.opening.operating);
    let res = N(r.opening.reserve);
    let adv = 0;
    let drew = false;
    let gapped = false;
    for (let m = 0; m < 12; m++) {
      const before = c + rec[m]! - spend[m]!;
      const available = res + resIn[m]!;
      let drawn = 0;
      let repaid = 0;
      if (before < minimum) {
        const need = minimum - before;
        drawn = need < available ? need : available;
      } else if (repay && adv > 0) {
        const surplus = before - minimum;
        repaid = surplus < adv ? surplus : adv;
      }
      c = before + drawn - repaid;
      res = available - drawn + repaid;
      adv += drawn - repaid;
      cash[m]![run] = c;
      reserveAt[m]![run] = res;
      if (drawn > 0) {
        drawnIn[m]!++;
        drew = true;
      }
      if (c < minimum) {
        gapIn[m]!++;
        gapped = true;
      }
    }
    restore[run] = res < target ? target - res : 0;
    if (drew) drawnRuns++;
    if (gapped) gapRuns++;
    if (opts.onProgress && (run + 1) % step === 0) opts.onProgress(run + 1);
  }
  const band = (xs: Float64Array): Band => {
    xs.sort();
    const at = (p: number) => BigInt(nearestRank(xs as unknown as number[], p));
    return { p10: at(10), p50: at(50), p90: at(90) };
  };
  return {
    runs,
    seed,
    generator: GENERATOR,
    uncertain: uncertain.length,
    drawnRuns,
    gapRuns,
    months: r.months.map((pm: MonthRow, m) => ({ month: m + 1, cash: band(cash[m]!), reserve: band(reserveAt[m]!), drawnRuns: drawnIn[m]!, gapRuns: gapIn[m]!, projected: pm.closing })),
    restore: band(restore),
  };
}

function abs(c: Cents): Cents {
  return c < 0n ? -c : c;
}

/** "12.3" — count/runs as a percentage with one decimal, rounded half-even, exactly (integers only). */
export function percentOf(count: number, runs: number): string {
  const num = BigInt(count) * 1000n;
  const den = BigInt(runs);
  let q = num / den;
  const r2 = 2n * (num % den);
  if (r2 > den || (r2 === den && q % 2n === 1n)) q++;
  return `${q / 10n}.${q % 10n}`;
}
