/**
 * Arrears as of a date (docs/ledger.md, "Arrears as of D"): per State, what is outstanding,
 * for which year, how old, and the flags. Pure; amounts in centimes.
 */
import { daysBetween, eventsByState, replay, type Cents, type Ledger, type StateEvents, type Account } from './ledger.js';
import type { PledgeStatus } from './pledges.js';

export const FLAGS = ['arrears', 'art19', 'never-paid', 'credit', 'pledge-overdue'] as const;
export type Flag = (typeof FLAGS)[number];
export const FLAG_TEXT: Record<Flag, string> = {
  arrears: 'unpaid assessments of earlier years',
  art19: 'arrears equal to or above the assessments of the two preceding years (UN Charter Art. 19 test)',
  'never-paid': 'something is past due and no payment was ever received',
  credit: 'a credit balance',
  'pledge-overdue': 'a pledge not fully paid after its expected date',
};
export const DEFAULT_BUCKETS = [30, 90, 180, 365];

export interface YearBalance {
  year: number;
  due: Cents;
  settled: Cents;
  outstanding: Cents;
}

export interface StateArrears {
  iso3: string;
  assessed: Cents;
  /** Reassessed − credit notes − write-offs. */
  adjusted: Cents;
  paid: Cents;
  refunded: Cents;
  outstanding: Cents;
  credit: Cents;
  balance: Cents;
  arrears: Cents;
  /** Due amounts of the lines of the two preceding years (the Art. 19 threshold). */
  twoYearsDue: Cents;
  byYear: YearBalance[];
  /** One amount per bucket: not yet due, then each `buckets` range, then over the last. */
  byAge: Cents[];
  oldestUnpaidYear?: number;
  lastPayment?: string;
  /** The bank reference (AcctSvcrRef) of the last payment, if it came from a bank file. */
  lastPaymentBankRef?: string;
  flags: Flag[];
}

export interface ArrearsReport {
  asOf: string;
  buckets: number[];
  states: StateArrears[];
  years: (YearBalance & { ratePermille: bigint | null })[];
  totals: { assessed: Cents; adjusted: Cents; paid: Cents; refunded: Cents; outstanding: Cents; credit: Cents; balance: Cents; arrears: Cents; byAge: Cents[] };
}

export function bucketLabels(buckets: readonly number[]): string[] {
  const out = ['not yet due'];
  let from = 1;
  for (const b of buckets) {
    out.push(`${from}–${b}`);
    from = b + 1;
  }
  out.push(`over ${buckets[buckets.length - 1] ?? 0}`);
  return out;
}

function bucketOf(days: number, buckets: readonly number[]): number {
  if (days <= 0) return 0;
  for (let i = 0; i < buckets.length; i++) if (days <= buckets[i]!) return i + 1;
  return buckets.length + 1;
}

export interface ArrearsInput {
  ledger: Ledger;
  asOf: string;
  buckets?: readonly number[];
  /** Pledges as of the same date, for the pledge-overdue flag. */
  pledges?: readonly PledgeStatus[];
  /** Events already grouped (reuse across reports). */
  events?: Map<string, StateEvents>;
  /** Accounts already replayed as of `asOf` (see loadLedger's `stream`), by ISO3. */
  accounts?: Map<string, Account>;
}

export function arrearsReport(input: ArrearsInput): ArrearsReport {
  const { asOf } = input;
  const buckets = input.buckets ?? DEFAULT_BUCKETS;
  const year = Number(asOf.slice(0, 4));
  const accounts = input.accounts ?? new Map([...(input.events ?? eventsByState(input.ledger))].map(([iso3, ev]) => [iso3, replay(iso3, ev, asOf)]));
  const overduePledges = new Set((input.pledges ?? []).filter((p) => p.overdue).map((p) => p.pledge.iso3));
  const zeros = () => Array.from({ length: buckets.length + 2 }, () => 0n);
  const totals = { assessed: 0n, adjusted: 0n, paid: 0n, refunded: 0n, outstanding: 0n, credit: 0n, balance: 0n, arrears: 0n, byAge: zeros() };
  const years = new Map<number, YearBalance>();
  const states: StateArrears[] = [];
  const seen = new Set<string>();
  for (const [iso3, acc] of accounts) {
    if (acc.lines.length === 0 && acc.paid === 0n) continue;
    seen.add(iso3);
    const s: StateArrears = { iso3, assessed: 0n, adjusted: 0n, paid: acc.paid, refunded: acc.refunded, outstanding: 0n, credit: acc.credit, balance: 0n, arrears: 0n, twoYearsDue: 0n, byYear: [], byAge: zeros(), flags: [] };
    let pastDue = false;
    const byYear = new Map<number, YearBalance>();
    for (const l of acc.lines) {
      const y = l.line.year;
      const out = l.due - l.settled;
      s.assessed += l.line.amount;
      s.adjusted += l.reassessed - l.reduced;
      s.outstanding += out;
      if (y < year) s.arrears += out;
      if (y === year - 1 || y === year - 2) s.twoYearsDue += l.due;
      if (l.line.due < asOf) pastDue = true;
      if (out > 0n) {
        s.byAge[bucketOf(daysBetween(l.line.due, asOf), buckets)]! += out;
        if (s.oldestUnpaidYear === undefined || y < s.oldestUnpaidYear) s.oldestUnpaidYear = y;
      }
      for (const m of [byYear, years]) {
        let b = m.get(y);
        if (!b) m.set(y, (b = { year: y, due: 0n, settled: 0n, outstanding: 0n }));
        b.due += l.due;
        b.settled += l.settled;
        b.outstanding += out;
      }
    }
    s.byYear = [...byYear.values()].sort((a, b) => a.year - b.year);
    s.balance = s.outstanding - s.credit;
    if (acc.lastPayment) s.lastPayment = acc.lastPayment;
    if (acc.lastPaymentBankRef) s.lastPaymentBankRef = acc.lastPaymentBankRef;
    if (s.arrears > 0n) s.flags.push('arrears');
    if (s.arrears > 0n && s.arrears >= s.twoYearsDue) s.flags.push('art19');
    if (pastDue && acc.paid === 0n) s.flags.push('never-paid');
    if (s.credit > 0n) s.flags.push('credit');
    if (overduePledges.has(iso3)) s.flags.push('pledge-overdue');
    states.push(s);
    for (const k of ['assessed', 'adjusted', 'paid', 'refunded', 'outstanding', 'credit', 'balance', 'arrears'] as const) totals[k] += s[k];
    s.byAge.forEach((v, i) => (totals.byAge[i]! += v));
  }
  // A State with an overdue pledge but no account still gets its flag.
  for (const iso3 of [...overduePledges].sort()) {
    if (seen.has(iso3)) continue;
    states.push({ iso3, assessed: 0n, adjusted: 0n, paid: 0n, refunded: 0n, outstanding: 0n, credit: 0n, balance: 0n, arrears: 0n, twoYearsDue: 0n, byYear: [], byAge: zeros(), flags: ['pledge-overdue'] });
  }
  states.sort((a, b) => (a.iso3 < b.iso3 ? -1 : a.iso3 > b.iso3 ? 1 : 0));
  return {
    asOf,
    buckets: [...buckets],
    states,
    years: [...years.values()].sort((a, b) => a.year - b.year).map((y) => ({ ...y, ratePermille: y.due === 0n ? null : ratePermille(y.settled, y.due) })),
    totals,
  };
}

/**
 * settled / due in tenths of a percent, rounded half-even, but never rounded up to 100.0 while
 * anything is outstanding (CHF 39.27 of 548,900.00 is 99.9 %, not 100.0 %), nor down to 0.0
 * once anything is settled.
 */
export function ratePermille(settled: Cents, due: Cents): bigint {
  const num = settled * 1000n;
  let q = num / due;
  const r = num % due;
  if (2n * r > due || (2n * r === due && q % 2n === 1n)) q += 1n;
  if (q >= 1000n && settled < due) return 999n;
  if (q === 0n && settled > 0n) return 1n;
  return q;
}

export function permilleToPercent(p: bigint): string {
  return `${p / 10n}.${p % 10n}`;
}
