/**
 * Reminders (docs/invoices.md, "Reminders"): for each State in arrears as of a date, what it
 * owes invoice by invoice on earlier years, and the level of the letter by the age of the
 * oldest unpaid year: 1 (one year), 2 (two years), 3 (three years or more). Pure.
 */
import { replay, type Cents, type StateEvents } from './ledger.js';
import { creditorReference, type CurrentInvoice } from './invoice.js';

export type ReminderLevel = 1 | 2 | 3;

export interface ReminderItem {
  year: number;
  invoice: string;
  reference: string;
  /** Due date of the invoice. */
  dueSince: string;
  assessed: Cents;
  settled: Cents;
  outstanding: Cents;
}

export interface Reminder {
  iso3: string;
  asOf: string;
  level: ReminderLevel;
  items: ReminderItem[];
  total: Cents;
}

/** The reminder of one State as of `asOf`, or undefined when nothing of an earlier year is owed. */
export function reminderFor(iso3: string, events: StateEvents, asOf: string, current: ReadonlyMap<string, CurrentInvoice> = new Map()): Reminder | undefined {
  const year = Number(asOf.slice(0, 4));
  const acc = replay(iso3, events, asOf);
  const byInvoice = new Map<string, ReminderItem>();
  for (const l of acc.lines) {
    if (l.line.year >= year) continue;
    const out = l.due - l.settled;
    if (out === 0n) continue;
    const k = l.line.invoice;
    // A reissued invoice is cited by its current number and reference (currentInvoices).
    const cur = current.get(k);
    const it = byInvoice.get(k) ?? { year: l.line.year, invoice: cur?.number ?? k, reference: cur?.reference ?? creditorReference(k), dueSince: l.line.due, assessed: 0n, settled: 0n, outstanding: 0n };
    it.assessed += l.due;
    it.settled += l.settled;
    it.outstanding += out;
    if (l.line.due < it.dueSince) it.dueSince = l.line.due;
    byInvoice.set(k, it);
  }
  if (byInvoice.size === 0) return undefined;
  // An invoice part paid is shown whole: its lines already settled are added to its figures.
  for (const l of acc.lines) {
    const it = byInvoice.get(l.line.invoice);
    if (!it || l.due - l.settled !== 0n) continue;
    it.assessed += l.due;
    it.settled += l.settled;
  }
  const items = [...byInvoice.values()].sort((a, b) => a.year - b.year || (a.invoice < b.invoice ? -1 : a.invoice > b.invoice ? 1 : 0));
  const age = year - items[0]!.year;
  return { iso3, asOf, level: (age >= 3 ? 3 : age) as ReminderLevel, items, total: items.reduce((s, i) => s + i.outstanding, 0n) };
}
