/**
 * A State's statement of account between two dates (docs/ledger.md): the opening balance,
 * every assessment, payment, allocation and adjustment in the order the ledger applied them,
 * and the closing balance. It reconciles line by line: each row's balance is the previous
 * balance plus its debit minus its credit, and the last one is the closing balance.
 */
import { arrearsReport, type StateArrears } from './arrears.js';
import { centsToString, replay, type Cents, type StateEvents } from './ledger.js';
import type { CurrentInvoice } from './invoice.js';

export type RowKind = 'assessment' | 'payment' | 'allocation' | 'release' | 'credit-note' | 'write-off' | 'reassessment' | 'refund' | 'refund-from';

export interface StatementRow {
  date: string;
  kind: RowKind;
  /** Invoice, payment id or adjustment id. */
  ref: string;
  text: string;
  /** Raises the balance (the State owes more). */
  debit: Cents;
  /** Lowers it. */
  credit: Cents;
  /** Balance after the row; null for rows that only say where money went. */
  balance: Cents | null;
}

export interface Statement {
  iso3: string;
  from: string;
  asOf: string;
  opening: Cents;
  rows: StatementRow[];
  closing: Cents;
  totals: { assessed: Cents; paid: Cents; adjustments: Cents };
  /** The State as of `asOf`, as in the arrears report. */
  position: StateArrears | undefined;
}

export function statement(iso3: string, events: StateEvents, from: string, asOf: string, buckets?: readonly number[], current: ReadonlyMap<string, CurrentInvoice> = new Map()): Statement {
  // A reissued invoice is cited by its current number (currentInvoices), the recorded one in brackets.
  const cite = (n: string) => {
    const c = current.get(n);
    return c ? `${c.number} (reissue of ${n})` : n;
  };
  const before = replay(iso3, events, undefined, false, from);
  let balance = before.lines.reduce((s, l) => s + l.due - l.settled, 0n) - before.credit;
  const opening = balance;
  const acc = replay(iso3, events, asOf, true);
  const rows: StatementRow[] = [];
  const totals = { assessed: 0n, paid: 0n, adjustments: 0n };
  const move = (r: Omit<StatementRow, 'balance'>) => {
    balance += r.debit - r.credit;
    rows.push({ ...r, balance });
  };
  const info = (r: Omit<StatementRow, 'balance' | 'debit' | 'credit'>) => rows.push({ ...r, debit: 0n, credit: 0n, balance: null });
  for (const e of acc.entries!) {
    if (e.date < from) continue;
    switch (e.kind) {
      case 'line':
        totals.assessed += e.line.amount;
        move({ date: e.date, kind: 'assessment', ref: current.get(e.line.invoice)?.number ?? e.line.invoice, text: `${e.line.year} ${e.line.purpose === 'meeting' ? 'meeting costs' : 'assessment'}, ${e.line.category}, due ${e.line.due}${current.has(e.line.invoice) ? `, reissued as ${current.get(e.line.invoice)!.number} (recorded as ${e.line.invoice})` : ''}`, debit: e.line.amount, credit: 0n });
        break;
      case 'payment': {
        const p = e.payment;
        totals.paid += p.chf;
        const sent = p.currency === 'CHF' ? '' : ` (${p.amount} ${p.currency} sent)`;
        const mark = p.earmark ? `, earmarked ${p.earmark.invoice ?? [p.earmark.year, p.earmark.category].filter((x) => x !== undefined).join(' ')}` : '';
        move({ date: e.date, kind: 'payment', ref: p.id, text: `payment received${sent}${mark}${p.reference ? `, ref. ${p.reference}` : ''}${p.bankRef ? `, bank ref. ${p.bankRef}` : ''}`, debit: 0n, credit: p.chf });
        break;
      }
      case 'adjustment': {
        const a = e.adjustment;
        const up = a.kind === 'reassessment' || a.kind === 'refund';
        totals.adjustments += up ? a.amount : -a.amount;
        const target = a.invoice ? ` of ${cite(a.invoice)} ${a.category ?? ''}`.trimEnd() : '';
        move({ date: e.date, kind: a.kind, ref: a.id, text: `${a.kind}${target}: ${a.reason}`, debit: up ? a.amount : 0n, credit: up ? 0n : a.amount });
        break;
      }
      case 'allocation':
        info({ date: e.date, kind: 'allocation', ref: e.payment || '(credit)', text: `${centsToString(e.amount)} applied to ${cite(e.invoice)} ${e.category}` });
        break;
      case 'release':
        info({ date: e.date, kind: 'release', ref: e.payment || '(credit)', text: `${centsToString(e.amount)} taken back from ${e.invoice} ${e.category} to credit` });
        break;
      case 'refund-from':
        info({ date: e.date, kind: 'refund-from', ref: e.payment || '(credit)', text: `${centsToString(e.amount)} of the refund taken from this payment's credit` });
        break;
    }
  }
  const closing = acc.lines.reduce((s, l) => s + l.due - l.settled, 0n) - acc.credit;
  if (closing !== balance) throw new Error(`internal: statement of ${iso3} does not reconcile (${centsToString(balance)} ≠ ${centsToString(closing)})`);
  const position = arrearsReport({ ledger: { lines: [], payments: [], adjustments: [] }, asOf, ...(buckets ? { buckets } : {}), events: new Map([[iso3, events]]) }).states[0];
  return { iso3, from, asOf, opening, rows, closing, totals, position };
}
