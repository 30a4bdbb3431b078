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
  earmark?: Earmark | undefined;
  pledge?: string | undefined;
  reference: string;
  /** The bank's reference (AcctSvcrRef) of a payment imported from a bank file. */
  bankRef?: string | undefined;
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

/**
 * A State's records, each list in event order. Replaying merges the three lists as it goes
 * (by date, then kind): no event object is made per payment, and a payments file already in
 * date order is not sorted again.
 */
export interface StateEvents {
  lines: AssessmentLine[];
  payments: PaymentRecord[];
  adjustments: AdjustmentRecord[];
}
export const NO_EVENTS: StateEvents = Object.freeze({ lines: [], payments: [], adjustments: [] }) as unknown as StateEvents;

const byLine = (a: AssessmentLine, b: AssessmentLine) => cmp(a.issued, b.issued) || cmp(a.invoice, b.invoice) || cmp(a.category, b.category);
const byPayment = (a: PaymentRecord, b: PaymentRecord) => cmp(a.received, b.received) || cmp(a.id, b.id);
const byAdjustment = (a: AdjustmentRecord, b: AdjustmentRecord) => cmp(a.date, b.date) || RANK[a.kind] - RANK[b.kind] || cmp(a.id, b.id);

function sortIfNeeded<T>(list: T[], order: (a: T, b: T) => number): void {
  for (let i = 1; i < list.length; i++) {
    if (order(list[i - 1]!, list[i]!) > 0) {
      list.sort(order);
      return;
    }
  }
}

/** Oldest first: year, due, issued, invoice, category. */
export function compareLines(a: AssessmentLine, b: AssessmentLine): number {
  return a.year - b.year || cmp(a.due, b.due) || cmp(a.issued, b.issued) || cmp(a.invoice, b.invoice) || cmp(a.category, b.category);
}

/** Every State's records, in processing order, by ISO3. Voluntary payments are left out. */
export function eventsByState(ledger: Ledger): Map<string, StateEvents> {
  const by = new Map<string, StateEvents>();
  const of = (iso3: string) => {
    let e = by.get(iso3);
    if (!e) by.set(iso3, (e = { lines: [], payments: [], adjustments: [] }));
    return e;
  };
  for (const line of ledger.lines) of(line.iso3).lines.push(line);
  for (const payment of ledger.payments) if (payment.purpose === 'isu' || payment.purpose === 'meeting') of(payment.iso3).payments.push(payment);
  for (const adjustment of ledger.adjustments) of(adjustment.iso3).adjustments.push(adjustment);
  for (const e of by.values()) {
    sortIfNeeded(e.lines, byLine);
    sortIfNeeded(e.payments, byPayment);
    sortIfNeeded(e.adjustments, byAdjustment);
  }
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
  private readonly pieces: Piece[] = [];
  private firstOpen = 0;
  /** Pieces that still carry an earmark (so that `waiting` need not look when there are none). */
  private earmarked = 0;
  /** Some piece may be spent (left 0): `compact` has something to drop. */
  private spent = false;
  /**
   * Every line is settled and every piece still earmarked names no line, as the last `settle`
   * left them (no line or adjustment since): a new payment can then only wait as credit.
   */
  private clean = false;
  paid = 0n;
  refunded = 0n;
  lastPayment: string | undefined;
  /** The bank's reference of the last payment, when it was imported from a bank file. */
  lastPaymentBankRef: string | undefined;
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
    if (e.kind === 'payment') return this.pay(e.payment);
    if (e.kind === 'line') this.addLine(e.line);
    else this.adjust(e.adjustment);
    if (this.pieces.length > 0) this.settle(e.date);
  }

  /** A payment into the account: a piece of credit, applied at once where it can be. */
  pay(p: PaymentRecord): void {
    this.paid += p.chf;
    this.lastPayment = p.received;
    this.lastPaymentBankRef = p.bankRef;
    this.entries?.push({ kind: 'payment', date: p.received, payment: p });
    if (this.clean && p.chf > 0n) {
      // What `settle` would do, without going through every piece of credit: nothing is open,
      // so the new piece only loses an earmark that names a line (all settled) or keeps waiting.
      const piece: Piece = { payment: p.id, left: p.chf, earmark: p.earmark };
      if (piece.earmark && this.lines.some((s) => matches(piece.earmark!, s.line))) piece.earmark = undefined;
      this.pieces.push(piece);
      if (piece.earmark) this.earmarked++;
      return;
    }
    this.pieces.push({ payment: p.id, left: p.chf, earmark: p.earmark });
    if (p.earmark) this.earmarked++;
    if (p.chf <= 0n) this.spent = true;
    this.settle(p.received);
  }

  private addLine(line: AssessmentLine): void {
    this.clean = false;
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
    this.clean = false;
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
      this.spent = true;
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
        this.earmarked--;
      }
      while (piece.left > 0n) {
        while (this.firstOpen < this.lines.length && this.lines[this.firstOpen]!.settled >= this.lines[this.firstOpen]!.due) this.firstOpen++;
        if (this.firstOpen >= this.lines.length) break;
        this.allocate(piece, this.lines[this.firstOpen]!, date);
      }
      if (this.firstOpen >= this.lines.length && !this.waiting()) break;
    }
    this.compact();
    while (this.firstOpen < this.lines.length && this.lines[this.firstOpen]!.settled >= this.lines[this.firstOpen]!.due) this.firstOpen++;
    this.clean = this.firstOpen >= this.lines.length;
  }

  /** Is an earmarked piece still waiting for its line? */
  private waiting(): boolean {
    if (this.earmarked === 0) return false;
    for (const p of this.pieces) if (p.earmark && p.left > 0n) return true;
    return false;
  }

  private allocate(piece: Piece, s: LineState, date: string): void {
    const open = s.due - s.settled;
    if (open <= 0n) return;
    const take = piece.left < open ? piece.left : open;
    piece.left -= take;
    if (piece.left === 0n) this.spent = true;
    s.settled += take;
    if (s.parts) {
      const last = s.parts[s.parts.length - 1];
      if (last && last.payment === piece.payment) last.amount += take;
      else s.parts.push({ payment: piece.payment, amount: take });
    }
    this.entries?.push({ kind: 'allocation', date, payment: piece.payment, invoice: s.line.invoice, category: s.line.category, amount: take });
  }

  /** Drop the spent pieces, in place (this runs after every payment; it looks only when a piece was spent since). */
  private compact(): void {
    if (!this.spent) return;
    this.spent = false;
    let w = 0;
    for (const p of this.pieces) {
      if (p.left > 0n) this.pieces[w++] = p;
      else if (p.earmark) this.earmarked--;
    }
    this.pieces.length = w;
  }
}

function matches(m: Earmark, line: AssessmentLine): boolean {
  if (m.invoice !== undefined) return line.invoice === m.invoice;
  if (m.year !== undefined && line.year !== m.year) return false;
  if (m.category !== undefined && line.category !== m.category) return false;
  return true;
}

/**
 * A State's replay, fed its payments one at a time in event order (from a list, or straight
 * from a payments file being read): the lines and adjustments, known beforehand, are applied
 * as the payments pass their dates (by date, then kind: docs/ledger.md, "Events and their
 * order"). Records dated after `asOf`, or on or after `before`, are left out.
 */
export class Replayer {
  readonly account: Account;
  private i = 0;
  private k = 0;
  private last: PaymentRecord | undefined;

  constructor(
    iso3: string,
    private readonly ev: Pick<StateEvents, 'lines' | 'adjustments'>,
    private readonly asOf?: string,
    private readonly before?: string,
    trace = false,
  ) {
    this.account = new Account(iso3, trace);
  }

  private excluded(date: string): boolean {
    return (this.asOf !== undefined && date > this.asOf) || (this.before !== undefined && date >= this.before);
  }

  /** Apply the lines and adjustments that come before an event at (date, rank); all of them without a date. */
  private upTo(date: string | undefined, rank: number): void {
    const { lines, adjustments } = this.ev;
    for (;;) {
      const l = lines[this.i];
      const x = adjustments[this.k];
      if (!l && !x) return;
      const useLine = l !== undefined && (x === undefined || l.issued < x.date || (l.issued === x.date && RANK.line < RANK[x.kind]));
      const d = useLine ? l.issued : x!.date;
      const r = useLine ? RANK.line : RANK[x!.kind];
      if (date !== undefined && !(d < date || (d === date && r < rank))) return;
      if (this.excluded(d)) return;
      if (useLine) this.account.apply({ kind: 'line', date: d, line: lines[this.i++]! });
      else this.account.apply({ kind: 'adjustment', date: d, adjustment: adjustments[this.k++]! });
    }
  }

  /** The next payment; false (and nothing done) if it comes before the previous one. */
  pay(p: PaymentRecord): boolean {
    if (this.last && byPayment(this.last, p) > 0) return false;
    this.last = p;
    this.upTo(p.received, RANK.payment);
    if (!this.excluded(p.received)) this.account.pay(p);
    return true;
  }

  /** The account once every record is in. */
  finish(): Account {
    this.upTo(undefined, 0);
    return this.account;
  }
}

/** Replay a State's records dated on or before `asOf` (all of them when undefined) and, with `before`, only those dated before it. */
export function replay(iso3: string, ev: StateEvents, asOf?: string, trace = false, before?: string): Account {
  const r = new Replayer(iso3, ev, asOf, before, trace);
  for (const p of ev.payments) r.pay(p);
  return r.finish();
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
