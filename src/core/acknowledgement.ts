/**
 * The acknowledgement of a payment (docs/invoices.md, "Acknowledgements of payment"): what a
 * payment received settled, invoice line by invoice line, what was left as credit, and what the
 * State still owes, all as of the day the payment was received (records dated later do not
 * change the letter). Pure: computed by replaying the State's ledger with its trace.
 */
import { replay, type Cents, type PaymentRecord, type StateEvents } from './ledger.js';

export interface AcknowledgedLine {
  invoice: string;
  year: number;
  amount: Cents;
}

export interface Acknowledgement {
  iso3: string;
  payment: PaymentRecord;
  /** What the payment settled on the day it was received, by invoice (lines of an invoice added up). */
  applied: AcknowledgedLine[];
  /** What was left of it as credit on the account. */
  credit: Cents;
  /** What the State still owes after it, as of the day received. */
  outstanding: Cents;
}

export function acknowledgementFor(iso3: string, events: StateEvents, paymentId: string): Acknowledgement | undefined {
  const payment = events.payments.find((p) => p.id === paymentId);
  if (!payment) return undefined;
  const acc = replay(iso3, events, payment.received, true);
  const years = new Map(events.lines.map((l) => [l.invoice, l.year]));
  const by = new Map<string, Cents>();
  for (const e of acc.entries ?? []) {
    if (e.kind === 'allocation' && e.payment === paymentId && e.date === payment.received) by.set(e.invoice, (by.get(e.invoice) ?? 0n) + e.amount);
    if (e.kind === 'release' && e.payment === paymentId && e.date === payment.received) by.set(e.invoice, (by.get(e.invoice) ?? 0n) - e.amount);
  }
  const applied = [...by]
    .filter(([, a]) => a !== 0n)
    .map(([invoice, amount]) => ({ invoice, year: years.get(invoice) ?? 0, amount }))
    .sort((a, b) => a.year - b.year || (a.invoice < b.invoice ? -1 : a.invoice > b.invoice ? 1 : 0));
  const used = applied.reduce((s, l) => s + l.amount, 0n);
  const outstanding = acc.lines.reduce((s, l) => s + l.due - l.settled, 0n);
  return { iso3, payment, applied, credit: payment.chf - used, outstanding };
}
