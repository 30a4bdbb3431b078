/**
 * The financial report to the Meeting of States Parties (docs/report.md): the status of
 * contributions, the capital reserve's movements, the sponsorship programme and budget
 * against actual, as of one date. Pure; CHF centimes.
 *
 * Nothing here is computed a second way: the contributions are the arrears report
 * (src/core/arrears.ts) and each State's statement of account (src/core/statement.ts), the
 * reserve is the cash-flow projection (src/core/cashflow.ts), the programme is
 * src/core/sponsorship.ts. Only budget against actual is new, and it is built from the same
 * plan and actual rows the projection spends, so that its projected year-end total is the
 * projection's spending to the centime.
 */
import { ratePermille, type ArrearsReport, type StateArrears, type YearBalance } from './arrears.js';
import { monthEnd, type CashflowReport, type PlanRow } from './cashflow.js';
import { centsToString, type Cents, type StateEvents } from './ledger.js';
import { cmp } from './problem.js';
import type { SponsorshipReport } from './sponsorship.js';
import { statement } from './statement.js';

export interface StateLine {
  iso3: string;
  /** Balance on 1 January of the report year (owed − credit), from the statement of account. */
  opening: Cents;
  /** Assessed, paid and adjusted (+ raises, − lowers) from 1 January to the as-of date. */
  assessedInYear: Cents;
  paidInYear: Cents;
  adjustmentsInYear: Cents;
  /** Balance on the as-of date: the statement's closing balance, = arrears' outstanding − credit. */
  closing: Cents;
  position: StateArrears;
}

export interface StateYear {
  iso3: string;
  year: number;
  assessed: Cents;
  received: Cents;
  outstanding: Cents;
}

export interface ReserveMonth {
  month: number;
  /** actual: the month ended on or before the as-of date; projected: later. */
  basis: 'actual' | 'projected';
  opening: Cents;
  contributions: Cents;
  drawn: Cents;
  repaid: Cents;
  closing: Cents;
  cash: Cents;
}

export interface BudgetLine {
  line: string;
  /** The line's plan for the whole year. */
  budget: Cents;
  /** The plan of the months whose actual spending is used (like for like). */
  planToDate: Cents;
  actualToDate: Cents;
  /** actual − plan to date: above zero is overspent. */
  variance: Cents;
  /** Actual to date as a share of the year's plan, in tenths of a percent (null: no plan). */
  spentPermille: bigint | null;
  /** The year's plan − actual to date. */
  remaining: Cents;
  /** Actual to date + the plan of the other months: what the projection spends. */
  projected: Cents;
}

export interface BudgetMonth {
  month: number;
  plan: Cents;
  /** null: the month is not past, or expenditure.csv has no row for it. */
  actual: Cents | null;
  basis: 'actual' | 'plan';
  /** What the projection spends in the month (the actual when there is one, else the plan). */
  spending: Cents;
}

export interface FinancialReport {
  year: number;
  asOf: string;
  contributions: {
    states: StateLine[];
    stateYears: StateYear[];
    years: ArrearsReport['years'];
    yearTotal: { due: Cents; settled: Cents; outstanding: Cents; ratePermille: bigint | null };
    art19: StateArrears[];
    totals: ArrearsReport['totals'];
    arrears: ArrearsReport;
  };
  reserve: { months: ReserveMonth[]; opening: Cents; closing: Cents; target: Cents; restore: Cents; contributions: Cents; drawn: Cents; repaid: Cents; advancedAtEnd: Cents; uncovered: CashflowReport['flags']['uncovered'] };
  sponsorship: SponsorshipReport;
  budget: { lines: BudgetLine[]; total: BudgetLine; months: BudgetMonth[]; adopted: Cents | null; actualMonths: number };
  cashflow: CashflowReport;
  notes: string[];
}

export interface ReportInput {
  year: number;
  asOf: string;
  arrears: ArrearsReport;
  /** Each State's ledger events (eventsByState), for its statement of account. */
  events: Map<string, StateEvents>;
  cashflow: CashflowReport;
  sponsorship: SponsorshipReport;
  plan: readonly PlanRow[];
  actual: readonly PlanRow[] | undefined;
  /** The adopted budget of the year (budgets.csv), if any. */
  adopted: Cents | null;
}

export function financialReport(input: ReportInput): FinancialReport {
  const { year, asOf, arrears, cashflow: cf } = input;
  const notes: string[] = [];
  const from = `${year}-01-01`;

  // Status of contributions: the arrears report, and each State's statement for the year.
  const states: StateLine[] = [];
  const stateYears: StateYear[] = [];
  for (const position of arrears.states) {
    const events = input.events.get(position.iso3);
    if (!events) continue; // a State with only an overdue pledge: no account
    const s = statement(position.iso3, events, from, asOf, arrears.buckets);
    states.push({ iso3: position.iso3, opening: s.opening, assessedInYear: s.totals.assessed, paidInYear: s.totals.paid, adjustmentsInYear: s.totals.adjustments, closing: s.closing, position });
    for (const y of position.byYear) stateYears.push({ iso3: position.iso3, year: y.year, assessed: y.due, received: y.settled, outstanding: y.outstanding });
  }
  const sum = (ys: readonly YearBalance[], k: 'due' | 'settled' | 'outstanding') => ys.reduce((a, y) => a + y[k], 0n);
  const due = sum(arrears.years, 'due');
  const settled = sum(arrears.years, 'settled');
  const yearTotal = { due, settled, outstanding: sum(arrears.years, 'outstanding'), ratePermille: due === 0n ? null : ratePermille(settled, due) };
  const art19 = arrears.states.filter((s) => s.flags.includes('art19'));

  // The capital reserve, month by month, from the projection.
  const months: ReserveMonth[] = cf.months.map((m) => ({
    month: m.month,
    basis: cmp(monthEnd(year, m.month), asOf) <= 0 ? 'actual' : 'projected',
    opening: m.reserveOpening,
    contributions: m.reserveIn,
    drawn: m.drawn,
    repaid: m.repaid,
    closing: m.reserveClosing,
    cash: m.closing,
  }));
  const last = cf.months[cf.months.length - 1]!;
  const reserve = {
    months,
    opening: cf.opening.reserve,
    closing: last.reserveClosing,
    target: cf.rule.target,
    restore: cf.flags.restore,
    contributions: cf.totals.reserveIn,
    drawn: cf.totals.drawn,
    repaid: cf.totals.repaid,
    advancedAtEnd: cf.flags.advancedAtEnd,
    uncovered: cf.flags.uncovered,
  };

  const budget = budgetAgainstActual(year, cf, input.plan, input.actual, input.adopted);
  if (input.adopted !== null && input.adopted !== budget.total.budget)
    notes.push(`The expenditure plan of ${year} adds up to ${centsToString(budget.total.budget)}, the adopted budget is ${centsToString(input.adopted)}: budget against actual uses the plan.`);
  if (input.actual === undefined) notes.push('The books have no expenditure.csv: no actual spending, the plan is used for every month.');
  notes.push(...cf.notes.filter((n) => n.startsWith('No actual spending')));

  return {
    year,
    asOf,
    contributions: { states, stateYears, years: arrears.years, yearTotal, art19, totals: arrears.totals, arrears },
    reserve,
    sponsorship: input.sponsorship,
    budget,
    cashflow: cf,
    notes,
  };
}

/**
 * Budget against actual per budget line (docs/report.md): the months whose spending in the
 * projection is actual (cashflow.spendingBasis) are compared with their plan; the other
 * months keep the plan. Lines in the order of the plan, then lines only spent on.
 */
export function budgetAgainstActual(year: number, cf: CashflowReport, plan: readonly PlanRow[], actual: readonly PlanRow[] | undefined, adopted: Cents | null): FinancialReport['budget'] {
  const prefix = `${year}-`;
  const isActual = (month: string) => cf.spendingBasis[Number(month.slice(5, 7)) - 1] === 'actual';
  const by = new Map<string, { budget: Cents; planToDate: Cents; actualToDate: Cents }>();
  const lineOf = (line: string) => {
    let l = by.get(line);
    if (!l) by.set(line, (l = { budget: 0n, planToDate: 0n, actualToDate: 0n }));
    return l;
  };
  const monthPlan = Array.from({ length: 12 }, () => 0n);
  const monthActual = Array.from({ length: 12 }, () => 0n);
  for (const p of plan) {
    if (!p.month.startsWith(prefix)) continue;
    const l = lineOf(p.line);
    l.budget += p.amount;
    if (isActual(p.month)) l.planToDate += p.amount;
    monthPlan[Number(p.month.slice(5, 7)) - 1]! += p.amount;
  }
  for (const a of actual ?? []) {
    if (!a.month.startsWith(prefix) || !isActual(a.month)) continue;
    lineOf(a.line).actualToDate += a.amount;
    monthActual[Number(a.month.slice(5, 7)) - 1]! += a.amount;
  }
  const make = (line: string, l: { budget: Cents; planToDate: Cents; actualToDate: Cents }): BudgetLine => ({
    line,
    budget: l.budget,
    planToDate: l.planToDate,
    actualToDate: l.actualToDate,
    variance: l.actualToDate - l.planToDate,
    spentPermille: l.budget > 0n && l.actualToDate >= 0n ? ratePermille(l.actualToDate, l.budget) : null,
    remaining: l.budget - l.actualToDate,
    projected: l.budget - l.planToDate + l.actualToDate,
  });
  const lines = [...by].map(([line, l]) => make(line, l));
  const t = { budget: 0n, planToDate: 0n, actualToDate: 0n };
  for (const l of lines) {
    t.budget += l.budget;
    t.planToDate += l.planToDate;
    t.actualToDate += l.actualToDate;
  }
  const months: BudgetMonth[] = cf.flows.spending.map((spending, i) => ({ month: i + 1, plan: monthPlan[i]!, actual: cf.spendingBasis[i] === 'actual' ? monthActual[i]! : null, basis: cf.spendingBasis[i]!, spending }));
  return { lines, total: make('Total', t), months, adopted, actualMonths: cf.spendingBasis.filter((b) => b === 'actual').length };
}
