/**
 * Pledges against payments (docs/ledger.md, "Pledges and payments"). Pure.
 *
 * Pledges may be in any currency; a payment counts toward a pledge in the pledge's currency:
 * the amount sent when the currencies agree, else the CHF credited converted at the rate of
 * the day it was received. The rest of a pledge is valued in CHF at the rate of the as-of day.
 */
import { D, Decimal } from './decimal.js';
import { centsToString, type PaymentRecord, type Purpose } from './ledger.js';
import { cmp } from './problem.js';

export interface PledgeRecord {
  id: string;
  iso3: string;
  purpose: Purpose;
  amount: Decimal;
  currency: string;
  pledged: string;
  expected: string;
  year: number;
  note: string;
}

export interface RateRecord {
  date: string;
  currency: string;
  /** CHF for one unit. */
  chf: Decimal;
}

export interface PledgeStatus {
  pledge: PledgeRecord;
  paid: Decimal;
  outstanding: Decimal;
  /** The outstanding amount in CHF at the as-of rate; null if no rate is known. */
  outstandingChf: Decimal | null;
  /** Rate used for the valuation (pledges in CHF: none). */
  rate?: RateRecord;
  payments: { id: string; received: string; counted: Decimal }[];
  overdue: boolean;
  status: 'paid' | 'part-paid' | 'open' | 'overdue';
}

export interface MissingRate {
  currency: string;
  date: string;
  why: string;
}

export interface PledgeBook {
  statuses: PledgeStatus[];
  /** Voluntary payments (sponsorship, reserve) not counted toward any pledge, with what is left of them in CHF. */
  unpledged: { payment: PaymentRecord; chf: Decimal }[];
  missing: MissingRate[];
}

export class RateTable {
  private readonly by = new Map<string, RateRecord[]>();
  constructor(rates: readonly RateRecord[]) {
    for (const r of rates) {
      let l = this.by.get(r.currency);
      if (!l) this.by.set(r.currency, (l = []));
      l.push(r);
    }
    for (const l of this.by.values()) l.sort((a, b) => cmp(a.date, b.date));
  }
  /** The rate of the latest date on or before `date`. */
  at(currency: string, date: string): RateRecord | undefined {
    const l = this.by.get(currency);
    if (!l) return undefined;
    let lo = 0;
    let hi = l.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (l[mid]!.date <= date) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? undefined : l[lo - 1];
  }
}


export function pledgeBook(pledges: readonly PledgeRecord[], payments: readonly PaymentRecord[], rates: RateTable, asOf: string): PledgeBook {
  const missing: MissingRate[] = [];
  const open = [...pledges].filter((p) => p.pledged <= asOf).sort((a, b) => cmp(a.expected, b.expected) || cmp(a.pledged, b.pledged) || cmp(a.id, b.id));
  const state = new Map(open.map((p) => [p.id, { pledge: p, paid: D('0'), payments: [] as PledgeStatus['payments'] }]));
  const unpledged: PledgeBook['unpledged'] = [];
  // Only payments that can count toward a pledge or are voluntary matter here (not a million assessed ones).
  const pledgers = new Set(open.map((p) => `${p.iso3}:${p.purpose}`));
  const received = payments.filter((p) => p.received <= asOf && (p.purpose === 'sponsorship' || p.purpose === 'reserve' || pledgers.has(`${p.iso3}:${p.purpose}`))).sort((a, b) => cmp(a.received, b.received) || cmp(a.id, b.id));
  for (const pay of received) {
    const candidates = open.filter((p) => p.iso3 === pay.iso3 && p.purpose === pay.purpose && p.pledged <= pay.received && p.id !== pay.pledge);
    const named = pay.pledge ? open.find((p) => p.id === pay.pledge) : undefined;
    if (named) candidates.unshift(named);
    let leftChf = D(centsToString(pay.chf));
    for (const p of candidates) {
      if (leftChf.isZero()) break;
      const s = state.get(p.id)!;
      const rest = p.amount.minus(s.paid);
      if (rest.lte(0)) continue;
      // The payment's remaining value in the pledge's currency.
      const whole = D(centsToString(pay.chf));
      let value: Decimal;
      if (p.currency === 'CHF') value = leftChf;
      else if (p.currency === pay.currency) value = D(pay.amount).times(leftChf).div(whole).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN);
      else {
        const r = rates.at(p.currency, pay.received);
        if (!r) {
          missing.push({ currency: p.currency, date: pay.received, why: `payment ${pay.id} toward pledge ${p.id}` });
          break;
        }
        value = leftChf.div(r.chf).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN);
      }
      if (value.lte(0)) break;
      const counted = value.lt(rest) ? value : rest;
      s.paid = s.paid.plus(counted);
      s.payments.push({ id: pay.id, received: pay.received, counted });
      // What is left of the payment, back in CHF, in proportion.
      leftChf = counted.eq(value) ? D('0') : leftChf.times(value.minus(counted)).div(value).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN);
    }
    if ((pay.purpose === 'sponsorship' || pay.purpose === 'reserve') && leftChf.gt(0)) unpledged.push({ payment: pay, chf: leftChf });
  }
  const statuses: PledgeStatus[] = [];
  for (const p of [...open].sort((a, b) => cmp(a.id, b.id))) {
    const s = state.get(p.id)!;
    const outstanding = p.amount.minus(s.paid);
    let outstandingChf: Decimal | null = outstanding;
    let rate: RateRecord | undefined;
    if (p.currency !== 'CHF' && outstanding.gt(0)) {
      rate = rates.at(p.currency, asOf);
      if (rate) outstandingChf = outstanding.times(rate.chf).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN);
      else {
        outstandingChf = null;
        missing.push({ currency: p.currency, date: asOf, why: `the unpaid rest of pledge ${p.id}` });
      }
    } else if (p.currency !== 'CHF') outstandingChf = D('0');
    const overdue = outstanding.gt(0) && p.expected < asOf;
    statuses.push({
      pledge: p,
      paid: s.paid,
      outstanding,
      outstandingChf,
      ...(rate ? { rate } : {}),
      payments: s.payments,
      overdue,
      status: outstanding.lte(0) ? 'paid' : overdue ? 'overdue' : s.paid.gt(0) ? 'part-paid' : 'open',
    });
  }
  return { statuses, unpledged, missing };
}

