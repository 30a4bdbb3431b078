/**
 * The ledger: each State's assessed account, event by event (docs/ledger.md).
 *
 * Pure. Money is in CHF centimes as BigInt: exact, and cheap enough for a million payments.
 * An account is the result of its events taken in a fixed order (date, kind, id); a report
 * as of D replays the events dated on or before D and no others, so a record dated after D
 * can never change it.
 *
 *   lines A (2024, 100.00) and B (2025, 100.00); payment 150.00 → A settled, B 50.00 left.
 */
import { dayNumber } from './dates.js';
import { cmp } from './problem.js';

export type Cents = bigint;
export const ASSESSED_PURPOSES = ['isu', 'meeting'] as const;
export const PURPOSES = ['isu', 'meeting', 'sponsorship', 'reserve'] as const;
export type Purpose = (typeof PURPOSES)[number];
export const ADJUSTMENT_KINDS = ['credit-note', 'write-off', 'reassessment', 'refund'] as const;
export type AdjustmentKind = (typeof ADJUSTMENT_KINDS)[number];

export interface AssessmentLine {
  invoice: string;
  iso3: string;
  year: number;
  purpose: 'isu' | 'meeting';
  category: string;
  amount: Cents;
  issued: string;
  due: string;
  note: string;
}

export interface Earmark {
  year?: number;
  category?: string;
  invoice?: string;
}

export interface PaymentRecord {
  id: string;
  iso3: string;
  received: string;
  /** Amount as sent, in `currency`, as written (validated). */
  amount: string;
  currency: string;
  chf: Cents;
  purpose: Purpose;
  earmark?: Earmark;
  pledge?: string;
  reference: string;
}

export interface AdjustmentRecord {
  id: string;
  iso3: string;
  date: string;
  kind: AdjustmentKind;
  invoice?: string;
  category?: string;
  amount: Cents;
  reason: string;
}

export interface Ledger {
  lines: AssessmentLine[];
  /** Every payment, of any purpose. */
  payments: PaymentRecord[];
  adjustments: AdjustmentRecord[];
}

/** Same-day order of event kinds (docs/ledger.md, "Events and their order"). */
const RANK = { line: 0, reassessment: 1, 'credit-note': 2, 'write-off': 3, payment: 4, refund: 5 } as const;

export type LedgerEvent =
  | { kind: 'line'; date: string; line: AssessmentLine }
  | { kind: 'payment'; date: string; payment: PaymentRecord }
  | { kind: 'adjustment'; date: string; adjustment: AdjustmentRecord };

function rankOf(e: LedgerEvent): number {
  return e.kind === 'line' ? RANK.line : e.kind === 'payment' ? RANK.payment : RANK[e.adjustment.kind];
}
function idOf(e: LedgerEvent): string {
  return e.kind === 'line' ? `${e.line.invoice}\u0000${e.line.category}` : e.kind === 'payment' ? e.payment.id : e.adjustment.id;
}
export function compareEvents(a: LedgerEvent, b: LedgerEvent): number {
  return cmp(a.date, b.date) || rankOf(a) - rankOf(b) || cmp(idOf(a), idOf(b));
}

/** Oldest first: year, due, issued, invoice, category. */
export function compareLines(a: AssessmentLine, b: AssessmentLine): number {
  return a.year - b.year || cmp(a.due, b.due) || cmp(a.issued, b.issued) || cmp(a.invoice, b.invoice) || cmp(a.category, b.category);
}

/** Every State's events, in processing order. Voluntary payments are left out. */
export function eventsByState(ledger: Ledger): Map<string, LedgerEvent[]> {
  const by = new Map<string, LedgerEvent[]>();
  const add = (iso3: string, e: LedgerEvent) => {
    let list = by.get(iso3);
    if (!list) by.set(iso3, (list = []));
    list.push(e);
  };
  for (const line of ledger.lines) add(line.iso3, { kind: 'line', date: line.issued, line });
  for (const payment of ledger.payments) if (payment.purpose === 'isu' || payment.purpose === 'meeting') add(payment.iso3, { kind: 'payment', date: payment.received, payment });
  for (const adjustment of ledger.adjustments) add(adjustment.iso3, { kind: 'adjustment', date: adjustment.date, adjustment });
  // Timsort: payments usually come in date order, so this is close to linear.
  for (const list of by.values()) list.sort(compareEvents);
  return new Map([...by].sort((a, b) => cmp(a[0], b[0])));
}

export interface LineState {
  line: AssessmentLine;
  due: Cents;
  settled: Cents;
  reassessed: Cents;
  reduced: Cents;
  /** Allocations still standing, in order (trace mode only), for undoing latest first. */
  parts?: { payment: string; amount: Cents }[];
}

interface Piece {
  payment: string;
  left: Cents;
  earmark?: Earmark | undefined;
}

/** One movement of the account, for statements (trace mode). */
export type Entry =
  | { kind: 'line'; date: string; line: AssessmentLine }
  | { kind: 'payment'; date: string; payment: PaymentRecord }
  | { kind: 'adjustment'; date: string; adjustment: AdjustmentRecord }
  | { kind: 'allocation'; date: string; payment: string; invoice: string; category: string; amount: Cents }
  | { kind: 'release'; date: string; payment: string; invoice: string; category: string; amount: Cents }
  | { kind: 'refund-from'; date: string; payment: string; amount: Cents };

/** Something the rules forbid, found while replaying (a reduction below zero, a refund beyond the credit). */
export interface LedgerViolation {
  adjustment: AdjustmentRecord;
  message: string;
}

export class Account {
  /** Lines, oldest first. */
  readonly lines: LineState[] = [];
  private readonly byKey = new Map<string, LineState>();
  private pieces: Piece[] = [];
  private firstOpen = 0;
  paid = 0n;
  refunded = 0n;
  lastPayment: string | undefined;
  readonly entries: Entry[] | undefined;
  readonly violations: LedgerViolation[] = [];

  constructor(
    readonly iso3: string,
    readonly trace = false,
  ) {
    if (trace) this.entries = [];
  }

  get credit(): Cents {
    let c = 0n;
    for (const p of this.pieces) c += p.left;
    return c;
  }

  line(invoice: string, category: string): LineState | undefined {
    return this.byKey.get(`${invoice}\u0000${category}`);
  }

  apply(e: LedgerEvent): void {
    if (e.kind === 'line') this.addLine(e.line);
    else if (e.kind === 'payment') {
      const p = e.payment;
      this.paid += p.chf;
      this.lastPayment = p.received;
      this.entries?.push({ kind: 'payment', date: p.received, payment: p });
      this.pieces.push({ payment: p.id, left: p.chf, earmark: p.earmark });
    } else this.adjust(e.adjustment);
    if (this.pieces.length > 0) this.settle(e.date);
  }

  private addLine(line: AssessmentLine): void {
    const s: LineState = { line, due: line.amount, settled: 0n, reassessed: 0n, reduced: 0n, ...(this.trace ? { parts: [] } : {}) };
    // Binary search for the place of the line, oldest first.
    let lo = 0;
    let hi = this.lines.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareLines(this.lines[mid]!.line, line) <= 0) lo = mid + 1;
      else hi = mid;
    }
    this.lines.splice(lo, 0, s);
    if (lo <= this.firstOpen) this.firstOpen = lo;
    this.byKey.set(`${line.invoice}\u0000${line.category}`, s);
    this.entries?.push({ kind: 'line', date: line.issued, line });
  }

  private adjust(a: AdjustmentRecord): void {
    this.entries?.push({ kind: 'adjustment', date: a.date, adjustment: a });
    if (a.kind === 'refund') {
      if (a.amount > this.credit) {
        this.violations.push({ adjustment: a, message: `the refund of ${centsToString(a.amount)} exceeds the credit of ${centsToString(this.credit)} on ${a.date}` });
        return;
      }
      this.refunded += a.amount;
      let rest = a.amount;
      for (let i = this.pieces.length - 1; i >= 0 && rest > 0n; i--) {
        const p = this.pieces[i]!;
        const take = p.left < rest ? p.left : rest;
        if (take === 0n) continue;
        p.left -= take;
        rest -= take;
        this.entries?.push({ kind: 'refund-from', date: a.date, payment: p.payment, amount: take });
      }
      this.compact();
      return;
    }
    const s = this.line(a.invoice ?? '', a.category ?? '');
    if (!s) return; // validated by the loader
    if (a.kind === 'reassessment') {
      s.due += a.amount;
      s.reassessed += a.amount;
      const i = this.lines.indexOf(s);
      if (i < this.firstOpen) this.firstOpen = i;
      return;
    }
    if (a.amount > s.due) {
      this.violations.push({ adjustment: a, message: `the ${a.kind} of ${centsToString(a.amount)} would take line ${a.invoice} ${a.category} below zero (due ${centsToString(s.due)} on ${a.date})` });
      return;
    }
    s.due -= a.amount;
    s.reduced += a.amount;
    if (s.settled > s.due) {
      let excess = s.settled - s.due;
      s.settled = s.due;
      if (s.parts) {
        while (excess > 0n) {
          const part = s.parts[s.parts.length - 1]!;
          const take = part.amount < excess ? part.amount : excess;
          part.amount -= take;
          if (part.amount === 0n) s.parts.pop();
          excess -= take;
          this.pieces.push({ payment: part.payment, left: take });
          this.entries?.push({ kind: 'release', date: a.date, payment: part.payment, invoice: s.line.invoice, category: s.line.category, amount: take });
        }
      } else this.pieces.push({ payment: '', left: excess });
    }
  }

  /** Apply the pieces of credit, in the order they were created. */
  private settle(date: string): void {
    for (const piece of this.pieces) {
      if (piece.left === 0n) continue;
      if (piece.earmark) {
        let named = false;
        for (const s of this.lines) {
          if (!matches(piece.earmark, s.line)) continue;
          named = true;
          if (piece.left > 0n) this.allocate(piece, s, date);
        }
        if (!named) continue; // waits, earmarked
        piece.earmark = undefined;
      }
      while (piece.left > 0n) {
        while (this.firstOpen < this.lines.length && this.lines[this.firstOpen]!.settled >= this.lines[this.firstOpen]!.due) this.firstOpen++;
        if (this.firstOpen >= this.lines.length) break;
        this.allocate(piece, this.lines[this.firstOpen]!, date);
      }
      if (this.firstOpen >= this.lines.length && !this.pieces.some((p) => p.earmark && p.left > 0n)) break;
    }
    this.compact();
  }

  private allocate(piece: Piece, s: LineState, date: string): void {
    const open = s.due - s.settled;
    if (open <= 0n) return;
    const take = piece.left < open ? piece.left : open;
    piece.left -= take;
    s.settled += take;
    if (s.parts) {
      const last = s.parts[s.parts.length - 1];
      if (last && last.payment === piece.payment) last.amount += take;
      else s.parts.push({ payment: piece.payment, amount: take });
    }
    this.entries?.push({ kind: 'allocation', date, payment: piece.payment, invoice: s.line.invoice, category: s.line.category, amount: take });
  }

  private compact(): void {
    if (this.pieces.some((p) => p.left === 0n)) this.pieces = this.pieces.filter((p) => p.left > 0n);
  }
}

function matches(m: Earmark, line: AssessmentLine): boolean {
  if (m.invoice !== undefined) return line.invoice === m.invoice;
  if (m.year !== undefined && line.year !== m.year) return false;
  if (m.category !== undefined && line.category !== m.category) return false;
  return true;
}

/** Replay a State's events dated on or before `asOf` (all of them when undefined). */
export function replay(iso3: string, events: readonly LedgerEvent[], asOf?: string, trace = false): Account {
  const a = new Account(iso3, trace);
  for (const e of events) {
    if (asOf !== undefined && e.date > asOf) break;
    a.apply(e);
  }
  return a;
}

export function centsToString(c: Cents): string {
  const neg = c < 0n;
  const s = (neg ? -c : c).toString().padStart(3, '0');
  return `${neg ? '-' : ''}${s.slice(0, -2)}.${s.slice(-2)}`;
}

/** Days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}
