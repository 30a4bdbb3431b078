/**
 * The sponsorship programme (docs/cashflow.md, "Sponsorship programme"). Pure; CHF centimes.
 *
 * Contributions received and pledged for the programme against the delegates it sponsored
 * and their cost; the average cost per delegate; how many delegates the funds in hand cover.
 *
 *   received 52,800.00, 17 delegates costing 51,000.00 → average 3,000.00;
 *   funds in hand 10,000.00 cover ⌊10,000.00 × 17 / 51,000.00⌋ = 3 delegates.
 */
import type { DelegateRow } from './cashflow.js';
import type { Cents, PaymentRecord } from './ledger.js';
import type { PledgeStatus } from './pledges.js';
import { cmp } from './problem.js';

export interface SponsorshipYear {
  year: number;
  received: Cents;
  delegates: number;
  cost: Cents;
}
export interface SponsorshipMeeting {
  meeting: string;
  date: string;
  delegates: number;
  cost: Cents;
  states: string[];
}
export interface SponsorshipReport {
  year: number;
  asOf: string;
  pledges: { id: string; iso3: string; currency: string; amount: string; paid: string; outstandingChf: Cents | null; expected: string; status: PledgeStatus['status'] }[];
  /** Sponsorship payments received in the year, on or before the as-of date. */
  payments: { id: string; iso3: string; received: string; chf: Cents; pledge: string }[];
  received: Cents;
  /** Unpaid rest of the year's pledges, in CHF at the as-of rate. */
  pledgedOutstanding: Cents;
  meetings: SponsorshipMeeting[];
  delegates: number;
  cost: Cents;
  /** Average cost per delegate in the year, rounded to the centime half-even (null: no delegate). */
  average: Cents | null;
  /** The average used for coverage: the year's, else the whole history's. */
  basis: { delegates: number; cost: Cents; years: string } | null;
  /** Since the books begin: all sponsorship received minus all delegate costs, up to the as-of date. */
  fundsInHand: Cents;
  /** Delegates the funds in hand cover at the average cost (and with the pledges outstanding paid). */
  covered: number | null;
  coveredWithPledges: number | null;
  history: SponsorshipYear[];
}

/** a / b rounded to the centime half-even; a in centimes, b a count. */
export function averageCents(cost: Cents, delegates: number): Cents {
  const d = BigInt(delegates);
  let q = cost / d;
  const r2 = 2n * (cost % d);
  if (r2 > d || (r2 === d && q % 2n === 1n)) q++;
  return q;
}

export function sponsorship(input: { year: number; asOf: string; payments: readonly PaymentRecord[]; pledges: readonly PledgeStatus[]; delegates: readonly DelegateRow[] }): SponsorshipReport {
  const { year, asOf } = input;
  const inYear = (d: string) => d.startsWith(`${year}-`) && d <= asOf;
  const payments = input.payments
    .filter((p) => p.purpose === 'sponsorship' && inYear(p.received))
    .map((p) => ({ id: p.id, iso3: p.iso3, received: p.received, chf: p.chf, pledge: p.pledge ?? '' }))
    .sort((a, b) => cmp(a.received, b.received) || cmp(a.id, b.id));
  const pledges = input.pledges
    .filter((s) => s.pledge.purpose === 'sponsorship' && s.pledge.year === year)
    .map((s) => ({ id: s.pledge.id, iso3: s.pledge.iso3, currency: s.pledge.currency, amount: s.pledge.amount.toFixed(2), paid: s.paid.toFixed(2), outstandingChf: s.outstandingChf === null ? null : cents(s.outstandingChf.toFixed(2)), expected: s.pledge.expected, status: s.status }));
  const received = payments.reduce((a, p) => a + p.chf, 0n);
  const pledgedOutstanding = pledges.reduce((a, p) => a + (p.outstandingChf ?? 0n), 0n);

  const byMeeting = new Map<string, SponsorshipMeeting>();
  const history = new Map<number, SponsorshipYear>();
  const yearOf = (y: number) => {
    let h = history.get(y);
    if (!h) history.set(y, (h = { year: y, received: 0n, delegates: 0, cost: 0n }));
    return h;
  };
  let fundsInHand = 0n;
  for (const p of input.payments) {
    if (p.purpose !== 'sponsorship' || p.received > asOf) continue;
    fundsInHand += p.chf;
    yearOf(Number(p.received.slice(0, 4))).received += p.chf;
  }
  let allDelegates = 0;
  let allCost = 0n;
  for (const d of input.delegates) {
    if (d.date > asOf) continue;
    fundsInHand -= d.cost;
    allDelegates += d.delegates;
    allCost += d.cost;
    const h = yearOf(Number(d.date.slice(0, 4)));
    h.delegates += d.delegates;
    h.cost += d.cost;
    if (!inYear(d.date)) continue;
    const key = `${d.date}\u0000${d.meeting}`;
    let m = byMeeting.get(key);
    if (!m) byMeeting.set(key, (m = { meeting: d.meeting, date: d.date, delegates: 0, cost: 0n, states: [] }));
    m.delegates += d.delegates;
    m.cost += d.cost;
    if (!m.states.includes(d.iso3)) m.states.push(d.iso3);
  }
  const meetings = [...byMeeting.values()].sort((a, b) => cmp(a.date, b.date) || cmp(a.meeting, b.meeting));
  for (const m of meetings) m.states.sort(cmp);
  const delegates = meetings.reduce((a, m) => a + m.delegates, 0);
  const cost = meetings.reduce((a, m) => a + m.cost, 0n);
  const basis = delegates > 0 ? { delegates, cost, years: String(year) } : allDelegates > 0 ? { delegates: allDelegates, cost: allCost, years: 'all years in the books' } : null;
  // ⌊funds × delegates / cost⌋, exactly: how many delegates at the average cost. A cost of
  // 0.00 is refused when sponsored-delegates.csv is read (src/io/cashflow.ts), so a basis
  // always has a cost; the guard only keeps a division by zero out of reach.
  const cover = (funds: Cents) => (!basis || basis.cost === 0n ? null : funds <= 0n ? 0 : Number((funds * BigInt(basis.delegates)) / basis.cost));
  return {
    year,
    asOf,
    pledges,
    payments,
    received,
    pledgedOutstanding,
    meetings,
    delegates,
    cost,
    average: delegates > 0 ? averageCents(cost, delegates) : null,
    basis,
    fundsInHand,
    covered: cover(fundsInHand),
    coveredWithPledges: cover(fundsInHand + pledgedOutstanding),
    history: [...history.values()].sort((a, b) => a.year - b.year),
  };
}

function cents(s: string): Cents {
  return BigInt(s.replace('.', ''));
}
