/**
 * Cash-flow projection of the ISU's operating cash against the capital reserve
 * (docs/cashflow.md is the specification). Pure; money in CHF centimes as BigInt.
 *
 * Month by month:
 *   closing before the reserve = opening + receipts − spending
 *   if that is below the minimum cash, the reserve is drawn (at most its balance); what the
 *   reserve cannot cover is the uncovered gap; with `repay: surplus`, cash above the minimum
 *   pays back what was drawn earlier in the year.
 *   closing = closing before the reserve + drawn − repaid
 *   reserve closing = reserve opening + contributions − drawn + repaid
 *
 * Worked example (one month): opening 0, receipts 0, spending 50,000.00, reserve 400,000.00
 * → closing before −50,000.00, drawn 50,000.00, closing 0.00, reserve 350,000.00.
 *
 * Expected receipts: payments received up to the as-of date; after it, open pledges at their
 * expected date, and the unpledged rest of each State's open invoices (the year's and its
 * arrears) at the date its own payment history predicts: of the outcomes of its past
 * invoices still possible after the days already elapsed, the median delay after the due
 * date, or nothing when "not paid in full" is the more frequent.
 */
import { addDays } from './dates.js';
import { daysInMonth } from './parse.js';
import { daysBetween, eventsByState, replay, type Cents, type Ledger } from './ledger.js';
import type { PledgeStatus } from './pledges.js';
import type { ReservePolicy } from './policy.js';
import { cmp } from './problem.js';

export interface PlanRow {
  /** YYYY-MM */
  month: string;
  line: string;
  amount: Cents;
  note: string;
}
export interface OpeningRow {
  year: number;
  operating: Cents;
  reserve: Cents;
  note: string;
}
export interface DelegateRow {
  meeting: string;
  date: string;
  iso3: string;
  delegates: number;
  cost: Cents;
  note: string;
}

/** The reserve policy in centimes. */
export interface ReserveRule {
  target: Cents;
  minimumCash: Cents;
  repay: 'surplus' | 'none';
  defaulted: boolean;
}
export function reserveRule(p: ReservePolicy): ReserveRule {
  const c = (d: ReservePolicy['target']) => BigInt(d.toFixed(2).replace('.', ''));
  return { target: c(p.target), minimumCash: c(p.minimumCash), repay: p.repay, defaulted: p.defaulted };
}

// ---------------------------------------------------------------- the monthly arithmetic

export interface MonthFlows {
  /** Operating receipts per month (12). */
  receipts: Cents[];
  /** Planned spending per month (12). */
  spending: Cents[];
  /** Voluntary contributions to the reserve per month (12). */
  reserveIn: Cents[];
}

export interface MonthRow {
  month: number;
  opening: Cents;
  receipts: Cents;
  spending: Cents;
  closingBefore: Cents;
  reserveOpening: Cents;
  reserveIn: Cents;
  drawn: Cents;
  repaid: Cents;
  reserveClosing: Cents;
  closing: Cents;
  /** How far the closing cash is below the minimum even after the reserve: 0 when covered. */
  gap: Cents;
  /** Drawn and not yet repaid, at the end of the month. */
  advanced: Cents;
}

/** The twelve months, exactly. Nothing is rounded: every input is already in centimes. */
export function projectMonths(opening: { cash: Cents; reserve: Cents }, flows: MonthFlows, rule: ReserveRule): MonthRow[] {
  const rows: MonthRow[] = [];
  let cash = opening.cash;
  let reserve = opening.reserve;
  let advanced = 0n;
  for (let m = 0; m < 12; m++) {
    const receipts = flows.receipts[m]!;
    const spending = flows.spending[m]!;
    const reserveIn = flows.reserveIn[m]!;
    const closingBefore = cash + receipts - spending;
    const available = reserve + reserveIn;
    let drawn = 0n;
    let repaid = 0n;
    if (closingBefore < rule.minimumCash) {
      const need = rule.minimumCash - closingBefore;
      drawn = need < available ? need : available;
    } else if (rule.repay === 'surplus' && advanced > 0n) {
      const surplus = closingBefore - rule.minimumCash;
      repaid = surplus < advanced ? surplus : advanced;
    }
    const closing = closingBefore + drawn - repaid;
    const reserveClosing = available - drawn + repaid;
    advanced += drawn - repaid;
    rows.push({ month: m + 1, opening: cash, receipts, spending, closingBefore, reserveOpening: reserve, reserveIn, drawn, repaid, reserveClosing, closing, gap: closing < rule.minimumCash ? rule.minimumCash - closing : 0n, advanced });
    cash = closing;
    reserve = reserveClosing;
  }
  return rows;
}

// ---------------------------------------------------------------- payment history

/** One past invoice of a State: paid in full `delay` days after its due date, or not paid in full (null). */
export interface PastInvoice {
  invoice: string;
  year: number;
  due: string;
  paidOn: string | null;
  delay: number | null;
}

/** An invoice of the State still open on the as-of date (of the year projected, or arrears of an earlier year). */
export interface OpenInvoice {
  invoice: string;
  year: number;
  due: string;
  outstanding: Cents;
}

/**
 * Each State's history and its open invoices, replayed as of `asOf` by the ledger rules.
 * History: its ISU invoices of years before `year` due on or before `asOf`; an invoice is
 * paid in full on the date of the last allocation to its lines once every line is settled
 * (oldest first, so a State in arrears pays each year's invoice late); one reduced to nothing
 * is left out. Open: its ISU invoices of `year` and earlier with something outstanding.
 */
export function paymentHistories(ledger: Ledger, year: number, asOf: string): { history: Map<string, PastInvoice[]>; open: Map<string, OpenInvoice[]> } {
  const history = new Map<string, PastInvoice[]>();
  const openBy = new Map<string, OpenInvoice[]>();
  for (const [iso3, ev] of eventsByState(ledger)) {
    const acc = replay(iso3, ev, asOf, true);
    const lastAlloc = new Map<string, string>();
    for (const e of acc.entries ?? []) if (e.kind === 'allocation') lastAlloc.set(`${e.invoice}\u0000${e.category}`, e.date);
    const byInvoice = new Map<string, { year: number; due: string; owed: Cents; settled: Cents; last: string }>();
    for (const s of acc.lines) {
      const l = s.line;
      if (l.purpose !== 'isu' || l.year > year) continue;
      let inv = byInvoice.get(l.invoice);
      if (!inv) byInvoice.set(l.invoice, (inv = { year: l.year, due: l.due, owed: 0n, settled: 0n, last: '' }));
      inv.owed += s.due;
      inv.settled += s.settled;
      const last = s.due > 0n ? lastAlloc.get(`${l.invoice}\u0000${l.category}`) : undefined;
      if (last && last > inv.last) inv.last = last;
    }
    const past: PastInvoice[] = [];
    const open: OpenInvoice[] = [];
    for (const [invoice, inv] of [...byInvoice].sort((a, b) => a[1].year - b[1].year || cmp(a[1].due, b[1].due) || cmp(a[0], b[0]))) {
      if (inv.owed > inv.settled) open.push({ invoice, year: inv.year, due: inv.due, outstanding: inv.owed - inv.settled });
      if (inv.year === year || inv.due > asOf || inv.owed === 0n) continue;
      const paid = inv.settled >= inv.owed && inv.last !== '';
      past.push({ invoice, year: inv.year, due: inv.due, paidOn: paid ? inv.last : null, delay: paid ? daysBetween(inv.due, inv.last) : null });
    }
    if (past.length) history.set(iso3, past);
    if (open.length) openBy.set(iso3, open);
  }
  return { history, open: openBy };
}

/** The nearest-rank percentile of sorted values: the value at rank ⌈p·n/100⌉ (1-based). P50 of [3, 5] is 3. */
export function nearestRank<T>(sorted: readonly T[], p: number): T {
  const rank = Math.max(1, Math.ceil((p * sorted.length) / 100));
  return sorted[rank - 1]!;
}

export interface StateModel {
  iso3: string;
  /** Past invoices in the history. */
  invoices: number;
  paidInFull: number;
  /** Median delay in days of the invoices paid in full (lower median); null when none was. */
  medianDelay: number | null;
  /** Over the whole history (each open invoice is then judged on the outcomes still possible, see `expectation`): expected, not-paying (usually does not pay in full), no-history (assumed to pay on the due date). */
  rule: 'expected' | 'not-paying' | 'no-history';
  /** Delays of the history (null = not paid in full), oldest first: what the stress test draws from. */
  outcomes: (number | null)[];
}

export function stateModel(iso3: string, past: readonly PastInvoice[]): StateModel {
  const outcomes = past.map((p) => p.delay);
  const paid = outcomes.filter((d): d is number => d !== null).sort((a, b) => a - b);
  const unpaid = outcomes.length - paid.length;
  const medianDelay = paid.length ? nearestRank(paid, 50) : null;
  const rule = outcomes.length === 0 ? 'no-history' : unpaid > paid.length ? 'not-paying' : 'expected';
  return { iso3, invoices: outcomes.length, paidInFull: paid.length, medianDelay, rule, outcomes };
}

/**
 * When an open invoice is expected, given that it was not paid by the as-of date: the
 * outcomes of the State's history still possible (not paid in full, or a delay longer than
 * the days already elapsed since the due date). Not expected when "not paid in full" is the
 * more frequent of them, or when none is left (the State was never this late and then paid);
 * else at the median of the delays left. A State with no history is expected on the due date.
 */
export function expectation(model: StateModel, due: string, asOf: string): { delay: number | null; outcomes: (number | null)[]; basis: string } {
  if (model.invoices === 0) return { delay: 0, outcomes: [0], basis: 'no payment history: the due date' };
  const elapsed = daysBetween(due, asOf);
  const left = model.outcomes.filter((d) => d === null || d > elapsed);
  const paid = left.filter((d): d is number => d !== null).sort((a, b) => a - b);
  const unpaid = left.length - paid.length;
  const since = elapsed >= 0 ? ` of the ${left.length} outcomes of its history later than the ${elapsed} days already elapsed` : '';
  if (left.length === 0) return { delay: null, outcomes: [null], basis: `not expected: ${elapsed} days past due, later than any invoice it paid in full` };
  if (unpaid > paid.length) return { delay: null, outcomes: left, basis: `not expected: not paid in full ${unpaid} times${since || ` of ${left.length}`}` };
  const median = nearestRank(paid, 50);
  return { delay: median, outcomes: left, basis: `due ${due} + median delay ${median} days${since}` };
}

// ---------------------------------------------------------------- expected receipts

export type ReceiptSource = 'payment' | 'pledge' | 'assessment';
export interface Receipt {
  /** The date the money is (expected to be) received; undefined when it is not expected at all. */
  date?: string;
  /** 1–12, or 0 when after the year (or not expected). */
  month: number;
  fund: 'operating' | 'reserve';
  source: ReceiptSource;
  iso3: string;
  /** Payment id, pledge id or invoice. */
  ref: string;
  amount: Cents;
  /** How the date was found. */
  basis: string;
}

/** An assessment whose date of receipt is uncertain: the stress test draws it. */
export interface Uncertain {
  iso3: string;
  invoice: string;
  due: string;
  amount: Cents;
  outcomes: (number | null)[];
}

export interface CashflowInput {
  year: number;
  asOf: string;
  ledger: Ledger;
  /** Pledges as of the as-of date (pledgeBook), with their outstanding CHF. */
  pledges: readonly PledgeStatus[];
  plan: readonly PlanRow[];
  /**
   * Actual spending (expenditure.csv), when the books have it: each month of the year that
   * ended on or before the as-of date takes its actual spending instead of the plan.
   */
  actual?: readonly PlanRow[];
  opening: OpeningRow;
  rule: ReserveRule;
}

export interface CashflowReport {
  year: number;
  asOf: string;
  rule: ReserveRule;
  opening: OpeningRow;
  months: MonthRow[];
  flows: MonthFlows;
  receipts: Receipt[];
  models: StateModel[];
  uncertain: Uncertain[];
  planLines: { line: string; amounts: Cents[]; total: Cents }[];
  /** Per month: whether its spending is the actual (expenditure.csv) or the plan. */
  spendingBasis: ('actual' | 'plan')[];
  totals: { receipts: Cents; spending: Cents; reserveIn: Cents; drawn: Cents; repaid: Cents; afterYear: Cents; notExpected: Cents };
  flags: CashflowFlags;
  notes: string[];
}

export interface CashflowFlags {
  firstDraw: { month: number; amount: Cents } | null;
  largestDraw: { month: number; amount: Cents } | null;
  uncovered: { month: number; gap: Cents }[];
  /** Voluntary contributions needed to bring the reserve back to its target at year end. */
  restore: Cents;
  /** Drawn in the year and not repaid at its end. */
  advancedAtEnd: Cents;
}

/**
 * Dates made here can be past 9999-12-31: addDays('9999-12-31', 1) is "10000-01-01" (the day
 * after an as-of date of 31 December 9999, or a due date plus a long delay). Such a string
 * neither compares nor parses as a four-digit date ("10000-01-01" < "2026-01-01"; dayNumber
 * reads its year as 1000), so every date that may be one is compared by `cmpDate` and placed
 * in a month by `monthOf`, both of which read the year as a number; none is passed to addDays.
 */
const yearOfDate = (date: string): number => Number(date.slice(0, -6));
/** Dates in order: a longer year is a later one, then the ISO text. */
export function cmpDate(a: string, b: string): number {
  return a.length - b.length || cmp(a, b);
}
/** The month (1–12) of the year a receipt on `date` counts in: 1 before the year, 0 after it. */
export function monthOf(date: string, year: number): number {
  const y = yearOfDate(date);
  return y < year ? 1 : y > year ? 0 : Number(date.slice(-5, -3));
}

/** The date an invoice is expected with a delay: never on or before the as-of date (it would have been received). */
export function dateWithDelay(due: string, delay: number, asOf: string): string {
  const d = addDays(due, delay);
  return cmpDate(d, asOf) <= 0 ? addDays(asOf, 1) : d;
}

export function cashflow(input: CashflowInput): CashflowReport {
  const { year, asOf, ledger, rule } = input;
  const first = `${year}-01-01`;
  const receipts: Receipt[] = [];
  const notes: string[] = [];
  // Actual receipts of the year up to the as-of date.
  for (const p of ledger.payments) {
    if (p.received < first || p.received > asOf || p.received > `${year}-12-31` || (p.purpose !== 'isu' && p.purpose !== 'reserve')) continue;
    receipts.push({ date: p.received, month: monthOf(p.received, year), fund: p.purpose === 'reserve' ? 'reserve' : 'operating', source: 'payment', iso3: p.iso3, ref: p.id, amount: p.chf, basis: 'received' });
  }
  // Open pledges (ISU and reserve) at their expected date.
  const pledgedFor = new Map<string, { year: number; amount: Cents }[]>();
  for (const s of input.pledges) {
    const p = s.pledge;
    if ((p.purpose !== 'isu' && p.purpose !== 'reserve') || !s.outstandingChf || s.outstandingChf.lte(0)) continue;
    const amount = BigInt(s.outstandingChf.toFixed(2).replace('.', ''));
    const date = p.expected <= asOf ? addDays(asOf, 1) : p.expected;
    receipts.push({ date, month: monthOf(date, year), fund: p.purpose === 'reserve' ? 'reserve' : 'operating', source: 'pledge', iso3: p.iso3, ref: p.id, amount, basis: p.expected <= asOf ? `pledge expected ${p.expected}, overdue: the day after the as-of date` : 'pledge expected date' });
    if (p.purpose === 'isu') {
      let list = pledgedFor.get(p.iso3);
      if (!list) pledgedFor.set(p.iso3, (list = []));
      list.push({ year: p.year, amount });
    }
  }
  // The unpledged rest of each State's open invoices (the year's and arrears), by its own history.
  const { history, open } = paymentHistories(ledger, year, asOf);
  const models: StateModel[] = [];
  const uncertain: Uncertain[] = [];
  for (const [iso3, invoices] of open) {
    const model = stateModel(iso3, history.get(iso3) ?? []);
    models.push(model);
    const rests = unpledgedRest(invoices, pledgedFor.get(iso3) ?? []);
    for (const [i, inv] of invoices.entries()) {
      const rest = rests[i]!;
      if (rest === 0n) continue;
      const e = expectation(model, inv.due, asOf);
      uncertain.push({ iso3, invoice: inv.invoice, due: inv.due, amount: rest, outcomes: e.outcomes });
      const date = e.delay === null ? undefined : dateWithDelay(inv.due, e.delay, asOf);
      receipts.push({ ...(date ? { date } : {}), month: date ? monthOf(date, year) : 0, fund: 'operating', source: 'assessment', iso3, ref: inv.invoice, amount: rest, basis: e.basis });
    }
  }
  models.sort((a, b) => cmp(a.iso3, b.iso3));
  // By date (a receipt not expected at all last), then State and reference.
  receipts.sort((a, b) => (a.date === undefined ? (b.date === undefined ? 0 : 1) : b.date === undefined ? -1 : cmpDate(a.date, b.date)) || cmp(a.iso3, b.iso3) || cmp(a.ref, b.ref));
  uncertain.sort((a, b) => cmp(a.iso3, b.iso3) || cmp(a.invoice, b.invoice));

  const spent = spendingOf(year, asOf, input.plan, input.actual);
  const flows = flowsOf(year, receipts, spent.rows);
  for (const m of spent.missing) notes.push(`No actual spending for ${m} in expenditure.csv: the plan is used for that month.`);
  const months = projectMonths({ cash: input.opening.operating, reserve: input.opening.reserve }, flows, rule);
  const sum = (xs: Cents[]) => xs.reduce((a, b) => a + b, 0n);
  const afterYear = sum(receipts.filter((r) => r.month === 0 && r.date !== undefined).map((r) => r.amount));
  const notExpected = sum(receipts.filter((r) => r.date === undefined).map((r) => r.amount));
  if (!ledger.lines.some((l) => l.year === year && l.purpose === 'isu' && l.issued <= asOf))
    notes.push(`No ${year} assessment was issued on or before ${asOf}: no assessed contribution is expected (record them with finproc apportion --record).`);
  return {
    year,
    asOf,
    rule,
    opening: input.opening,
    months,
    flows,
    receipts,
    models,
    uncertain,
    planLines: planLines(year, input.plan),
    spendingBasis: spent.basis,
    totals: { receipts: sum(flows.receipts), spending: sum(flows.spending), reserveIn: sum(flows.reserveIn), drawn: sum(months.map((m) => m.drawn)), repaid: sum(months.map((m) => m.repaid)), afterYear, notExpected },
    flags: flagsOf(months, rule),
    notes,
  };
}

/**
 * What is left of each open invoice of a State (oldest first, as `paymentHistories` gives
 * them) once its open `isu` pledges are set against them (docs/cashflow.md, step 3): first
 * each pledge against the invoice(s) of its own year, then what is left of all the pledges
 * against the oldest open invoices. The part an expected pledge covers is not also expected
 * from the history (it would be counted twice: a pledge "for 2025" is the 2025 arrears).
 * Which pledge covers which part does not matter: only the rest of each invoice is used.
 *
 *   open 2025: 10,000, 2026: 10,000; a pledge of 15,000 for 2026
 *   → 2026 covered 10,000 (own year), 5,000 left → 2025 covered 5,000 (oldest) → rests 5,000, 0.
 */
export function unpledgedRest(invoices: readonly OpenInvoice[], pledges: readonly { year: number; amount: Cents }[]): Cents[] {
  const rests = invoices.map((inv) => inv.outstanding);
  const take = (i: number, avail: Cents): Cents => {
    const covered = avail < rests[i]! ? avail : rests[i]!;
    rests[i] = rests[i]! - covered;
    return avail - covered;
  };
  let left = 0n;
  for (const p of pledges) {
    let avail = p.amount;
    for (let i = 0; i < invoices.length && avail > 0n; i++) if (invoices[i]!.year === p.year) avail = take(i, avail);
    left += avail;
  }
  for (let i = 0; i < invoices.length && left > 0n; i++) left = take(i, left);
  return rests;
}

/** The last day of month `m` (1–12) of `year`, as an ISO date. */
export function monthEnd(year: number, m: number): string {
  return `${year}-${String(m).padStart(2, '0')}-${daysInMonth(year, m)}`;
}

/**
 * The spending rows of the year (docs/cashflow.md, "Spending"): a month that ended on or
 * before the as-of date is past, and takes its actual spending when the books have
 * expenditure.csv and it has rows for that month (else the plan, and the month is named in
 * `missing`); every other month takes the plan. Without `actual`, the plan throughout.
 */
export function spendingOf(year: number, asOf: string, plan: readonly PlanRow[], actual: readonly PlanRow[] | undefined): { rows: PlanRow[]; basis: ('actual' | 'plan')[]; missing: string[] } {
  const basis: ('actual' | 'plan')[] = Array.from({ length: 12 }, () => 'plan');
  const missing: string[] = [];
  if (!actual) return { rows: plan.filter((p) => p.month.startsWith(`${year}-`)), basis, missing };
  const actualMonths = new Set(actual.map((a) => a.month));
  for (let m = 1; m <= 12; m++) {
    if (cmpDate(monthEnd(year, m), asOf) > 0) break;
    const ym = `${year}-${String(m).padStart(2, '0')}`;
    if (actualMonths.has(ym)) basis[m - 1] = 'actual';
    else missing.push(ym);
  }
  const monthIndex = (ym: string) => Number(ym.slice(5, 7)) - 1;
  const rows = [...plan.filter((p) => p.month.startsWith(`${year}-`) && basis[monthIndex(p.month)] === 'plan'), ...actual.filter((a) => a.month.startsWith(`${year}-`) && basis[monthIndex(a.month)] === 'actual')];
  return { rows, basis, missing };
}

/** Receipts and the plan, month by month. Receipts outside the year (month 0) are left out. */
export function flowsOf(year: number, receipts: readonly Receipt[], plan: readonly PlanRow[]): MonthFlows {
  const zero = () => Array.from({ length: 12 }, () => 0n);
  const flows: MonthFlows = { receipts: zero(), spending: zero(), reserveIn: zero() };
  for (const r of receipts) {
    if (r.month === 0) continue;
    if (r.fund === 'reserve') flows.reserveIn[r.month - 1]! += r.amount;
    else flows.receipts[r.month - 1]! += r.amount;
  }
  const prefix = `${year}-`;
  for (const p of plan) if (p.month.startsWith(prefix)) flows.spending[Number(p.month.slice(5, 7)) - 1]! += p.amount;
  return flows;
}

function planLines(year: number, plan: readonly PlanRow[]): CashflowReport['planLines'] {
  const by = new Map<string, Cents[]>();
  for (const p of plan) {
    if (!p.month.startsWith(`${year}-`)) continue;
    let a = by.get(p.line);
    if (!a) by.set(p.line, (a = Array.from({ length: 12 }, () => 0n)));
    a[Number(p.month.slice(5, 7)) - 1]! += p.amount;
  }
  return [...by].map(([line, amounts]) => ({ line, amounts, total: amounts.reduce((a, b) => a + b, 0n) }));
}

export function flagsOf(months: readonly MonthRow[], rule: ReserveRule): CashflowFlags {
  let firstDraw: CashflowFlags['firstDraw'] = null;
  let largestDraw: CashflowFlags['largestDraw'] = null;
  for (const m of months) {
    if (m.drawn === 0n) continue;
    firstDraw ??= { month: m.month, amount: m.drawn };
    if (!largestDraw || m.drawn > largestDraw.amount) largestDraw = { month: m.month, amount: m.drawn };
  }
  const last = months[months.length - 1]!;
  return {
    firstDraw,
    largestDraw,
    uncovered: months.filter((m) => m.gap > 0n).map((m) => ({ month: m.month, gap: m.gap })),
    restore: last.reserveClosing < rule.target ? rule.target - last.reserveClosing : 0n,
    advancedAtEnd: last.advanced,
  };
}

export const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The date of the latest payment in the books ('' when there is none). */
export function latestPayment(ledger: Ledger): string {
  let latest = '';
  for (const p of ledger.payments) if (p.received > latest) latest = p.received;
  return latest;
}

/** The default as-of date: the latest payment in the books, but not after the end of the year. */
export function defaultAsOf(ledger: Ledger, year: number): string {
  const latest = latestPayment(ledger);
  const end = `${year}-12-31`;
  return latest === '' || latest > end ? end : latest;
}

