/**
 * Renderers of the financial report to the Meeting of States Parties (`finproc.report/1`):
 * table, Markdown, JSON, CSV (one table), and one self-contained HTML page (printed to PDF
 * by Chromium). The workbook (.xlsx) is in render/report-xlsx.ts, from the same tables.
 *
 * Every tabular format is built from one list of tables (`reportTables`): the CSV of a table
 * and the sheet of the same name hold the same rows and numbers. Amounts are strings with two
 * decimals in JSON and CSV, grouped with Swiss apostrophes for people.
 */
import { bucketLabels, FLAG_TEXT, FLAGS, permilleToPercent } from '../core/arrears.js';
import { averageCents } from '../core/sponsorship.js';
import { MONTH_NAMES } from '../core/cashflow.js';
import { centsToString, type Cents } from '../core/ledger.js';
import type { FinancialReport } from '../core/report.js';
import type { InputFile } from '../io/books.js';
import { toCsv, type CsvDialect } from './csv.js';
import { escapeHtml, fitTable, groupDigits, mdTable, mdText, wrapText, type Column } from './text.js';

export const REPORT_SCHEMA = 'finproc.report/1';

export interface ReportContext {
  names: Map<string, string>;
  inputs: InputFile[];
  /** The policy file the reserve rule came from, as named in reports. */
  policyFile: string;
}

/** text; money: centimes written `1234.50`; int: a whole number (a year, a count); pct: a percentage with one decimal, `91.2`. */
export type Kind = 'text' | 'money' | 'int' | 'pct';
export interface TableColumn {
  key: string;
  title: string;
  kind: Kind;
}
export interface ReportTable {
  id: string;
  title: string;
  columns: TableColumn[];
  /** Cells as machine text ('' is an empty cell). */
  rows: string[][];
  /** A totals row for people and the workbook; never in the CSV, which is data only. */
  total?: string[];
}

export const TABLE_IDS = ['states', 'contributions', 'years', 'art19', 'reserve', 'sponsorship', 'meetings', 'budget', 'budget-months'] as const;
export type TableId = (typeof TABLE_IDS)[number];

const m = centsToString;
const g = (c: Cents) => groupDigits(centsToString(c));
const pct = (p: bigint | null) => (p === null ? '' : permilleToPercent(p));
const ym = (r: FinancialReport, month: number) => `${r.year}-${String(month).padStart(2, '0')}`;
const nameOf = (ctx: ReportContext, iso3: string) => ctx.names.get(iso3) ?? iso3;
const col = (key: string, title: string, kind: Kind): TableColumn => ({ key, title, kind });

// ---------------------------------------------------------------- the tables

export function reportTables(r: FinancialReport, ctx: ReportContext): ReportTable[] {
  const c = r.contributions;
  const y = r.year;
  const t = c.totals;
  const sumStates = (f: (s: FinancialReport['contributions']['states'][number]) => Cents) => c.states.reduce((a, s) => a + f(s), 0n);
  // The statement's window: 1 January of the year to the as-of date.
  const period = r.asOf.startsWith(`${y}-`) ? `in ${y}` : `${y}-01-01 to ${r.asOf}`;
  const states: ReportTable = {
    id: 'states',
    title: `Status of contributions by State, ${y}, as of ${r.asOf}`,
    columns: [
      col('iso3', 'ISO3', 'text'),
      col('state', 'State', 'text'),
      col('opening_balance', `Balance 1 Jan ${y}`, 'money'),
      col('assessed_in_year', `Assessed ${period}`, 'money'),
      col('paid_in_year', `Paid ${period}`, 'money'),
      col('adjustments_in_year', 'Adjustments', 'money'),
      col('closing_balance', `Balance ${r.asOf}`, 'money'),
      col('outstanding', 'Outstanding', 'money'),
      col('arrears', 'of which arrears', 'money'),
      col('credit', 'Credit', 'money'),
      col('art19_threshold', 'Art. 19 threshold', 'money'),
      col('oldest_unpaid_year', 'Oldest unpaid', 'int'),
      col('flags', 'Flags', 'text'),
    ],
    rows: c.states.map((s) => {
      const p = s.position;
      return [s.iso3, nameOf(ctx, s.iso3), m(s.opening), m(s.assessedInYear), m(s.paidInYear), m(s.adjustmentsInYear), m(s.closing), m(p.outstanding), m(p.arrears), m(p.credit), m(p.twoYearsDue), p.oldestUnpaidYear ? String(p.oldestUnpaidYear) : '', p.flags.join(' ')];
    }),
    total: ['', 'Total', m(sumStates((s) => s.opening)), m(sumStates((s) => s.assessedInYear)), m(sumStates((s) => s.paidInYear)), m(sumStates((s) => s.adjustmentsInYear)), m(sumStates((s) => s.closing)), m(t.outstanding), m(t.arrears), m(t.credit), '', '', ''],
  };
  const contributions: ReportTable = {
    id: 'contributions',
    title: `Contributions by State and assessment year, as of ${r.asOf}`,
    columns: [col('iso3', 'ISO3', 'text'), col('state', 'State', 'text'), col('year', 'Year', 'int'), col('assessed', 'Assessed', 'money'), col('received', 'Received', 'money'), col('outstanding', 'Outstanding', 'money')],
    rows: c.stateYears.map((x) => [x.iso3, nameOf(ctx, x.iso3), String(x.year), m(x.assessed), m(x.received), m(x.outstanding)]),
    total: ['', 'Total', '', m(c.yearTotal.due), m(c.yearTotal.settled), m(c.yearTotal.outstanding)],
  };
  const years: ReportTable = {
    id: 'years',
    title: `Contributions by assessment year (all States), as of ${r.asOf}`,
    columns: [col('year', 'Year', 'int'), col('assessed', 'Assessed', 'money'), col('received', 'Received', 'money'), col('outstanding', 'Outstanding', 'money'), col('collection_rate_pct', 'Collected %', 'pct')],
    rows: c.years.map((x) => [String(x.year), m(x.due), m(x.settled), m(x.outstanding), pct(x.ratePermille)]),
    total: ['Total', m(c.yearTotal.due), m(c.yearTotal.settled), m(c.yearTotal.outstanding), pct(c.yearTotal.ratePermille)],
  };
  const art19: ReportTable = {
    id: 'art19',
    title: `States under Art. 19 conditions (arrears at or above the assessments of the two preceding years), as of ${r.asOf}`,
    columns: [col('iso3', 'ISO3', 'text'), col('state', 'State', 'text'), col('arrears', 'Arrears', 'money'), col('art19_threshold', `Assessed ${Number(r.asOf.slice(0, 4)) - 2}–${Number(r.asOf.slice(0, 4)) - 1}`, 'money'), col('outstanding', 'Outstanding', 'money'), col('oldest_unpaid_year', 'Oldest unpaid', 'int'), col('last_payment', 'Last payment', 'text')],
    rows: c.art19.map((s) => [s.iso3, nameOf(ctx, s.iso3), m(s.arrears), m(s.twoYearsDue), m(s.outstanding), s.oldestUnpaidYear ? String(s.oldestUnpaidYear) : '', s.lastPayment ?? '']),
    total: ['', 'Total', m(c.art19.reduce((a, s) => a + s.arrears, 0n)), '', m(c.art19.reduce((a, s) => a + s.outstanding, 0n)), '', ''],
  };
  const rv = r.reserve;
  const reserve: ReportTable = {
    id: 'reserve',
    title: `Capital reserve ${y}, month by month (actual to ${r.asOf}, then projected)`,
    columns: [col('month', 'Month', 'text'), col('basis', 'Basis', 'text'), col('reserve_opening', 'Opening', 'money'), col('contributions', 'Contributions', 'money'), col('drawn', 'Drawn', 'money'), col('repaid', 'Repaid', 'money'), col('reserve_closing', 'Closing', 'money'), col('operating_cash_closing', 'Operating cash', 'money')],
    rows: rv.months.map((x) => [ym(r, x.month), x.basis, m(x.opening), m(x.contributions), m(x.drawn), m(x.repaid), m(x.closing), m(x.cash)]),
    total: ['Year', '', m(rv.opening), m(rv.contributions), m(rv.drawn), m(rv.repaid), m(rv.closing), m(r.cashflow.months[11]!.closing)],
  };
  const sp = r.sponsorship;
  const sponsorship: ReportTable = {
    id: 'sponsorship',
    title: `Sponsorship programme by year, as of ${r.asOf}`,
    columns: [col('year', 'Year', 'int'), col('received', 'Received', 'money'), col('delegates', 'Delegates', 'int'), col('cost', 'Cost', 'money'), col('average_per_delegate', 'Average per delegate', 'money')],
    rows: sp.history.map((h) => [String(h.year), m(h.received), String(h.delegates), m(h.cost), h.delegates > 0 ? m(averageCents(h.cost, h.delegates)) : '']),
    total: ['Total', m(sp.history.reduce((a, h) => a + h.received, 0n)), String(sp.history.reduce((a, h) => a + h.delegates, 0)), m(sp.history.reduce((a, h) => a + h.cost, 0n)), ''],
  };
  const meetings: ReportTable = {
    id: 'meetings',
    title: `Delegates sponsored in ${sp.year}, by meeting, as of ${r.asOf}`,
    columns: [col('meeting', 'Meeting', 'text'), col('date', 'Date', 'text'), col('delegates', 'Delegates', 'int'), col('cost', 'Cost', 'money'), col('states', 'States', 'text')],
    rows: sp.meetings.map((x) => [x.meeting, x.date, String(x.delegates), m(x.cost), x.states.join(' ')]),
    total: ['Total', '', String(sp.delegates), m(sp.cost), ''],
  };
  const b = r.budget;
  const lineRow = (l: FinancialReport['budget']['total']) => [l.line, m(l.budget), m(l.planToDate), m(l.actualToDate), m(l.variance), pct(l.spentPermille), m(l.remaining), m(l.projected)];
  const budget: ReportTable = {
    id: 'budget',
    title: `Budget against actual ${y}, by budget line (actual: ${actualSpan(r) || 'no month yet'})`,
    columns: [col('line', 'Budget line', 'text'), col('budget', `Budget ${y}`, 'money'), col('plan_to_date', 'Plan to date', 'money'), col('actual_to_date', 'Actual to date', 'money'), col('variance', 'Variance', 'money'), col('spent_pct', 'Spent %', 'pct'), col('remaining', 'Remaining', 'money'), col('projected', 'Projected year', 'money')],
    rows: b.lines.map(lineRow),
    total: lineRow(b.total),
  };
  const budgetMonths: ReportTable = {
    id: 'budget-months',
    title: `Spending ${y} month by month: plan, actual, and what the cash flow uses`,
    columns: [col('month', 'Month', 'text'), col('basis', 'Basis', 'text'), col('plan', 'Plan', 'money'), col('actual', 'Actual', 'money'), col('spending', 'Spending used', 'money')],
    rows: b.months.map((x) => [ym(r, x.month), x.basis, m(x.plan), x.actual === null ? '' : m(x.actual), m(x.spending)]),
    total: ['Year', '', m(b.months.reduce((a, x) => a + x.plan, 0n)), m(b.months.reduce((a, x) => a + (x.actual ?? 0n), 0n)), m(b.months.reduce((a, x) => a + x.spending, 0n))],
  };
  return [states, contributions, years, art19, reserve, sponsorship, meetings, budget, budgetMonths];
}

function actualSpan(r: FinancialReport): string {
  const months = r.budget.months.filter((x) => x.basis === 'actual').map((x) => ym(r, x.month));
  return months.length === 0 ? '' : months.length === 1 ? months[0]! : `${months[0]} to ${months[months.length - 1]}`;
}

// ---------------------------------------------------------------- words shared by every format

export function headline(r: FinancialReport): string {
  return `Financial report ${r.year} to the Meeting of States Parties, as of ${r.asOf} (CHF)`;
}

export function summaryLines(r: FinancialReport, fmt: (c: Cents) => string = g): { title: string; lines: string[] }[] {
  const c = r.contributions;
  const cur = c.years.find((x) => x.year === r.year);
  const inArrears = c.arrears.states.filter((s) => s.flags.includes('arrears')).length;
  const rv = r.reserve;
  const sp = r.sponsorship;
  const b = r.budget;
  const span = actualSpan(r);
  const lastActual = [...b.months].reverse().find((x) => x.basis === 'actual');
  return [
    {
      title: 'Status of contributions',
      lines: [
        `Assessed ${c.years.length ? `${c.years[0]!.year}–${c.years[c.years.length - 1]!.year}` : '(none)'}: ${fmt(c.yearTotal.due)}; received ${fmt(c.yearTotal.settled)}; outstanding ${fmt(c.yearTotal.outstanding)}, of which ${fmt(c.totals.arrears)} from years before ${r.asOf.slice(0, 4)}.`,
        cur ? `${r.year}: assessed ${fmt(cur.due)}, received ${fmt(cur.settled)}, outstanding ${fmt(cur.outstanding)}; collection rate ${cur.ratePermille === null ? '—' : `${permilleToPercent(cur.ratePermille)} %`}.` : `No assessment of ${r.year} on or before ${r.asOf}.`,
        `${inArrears} State${inArrears === 1 ? '' : 's'} in arrears; ${c.art19.length} under Art. 19 conditions (arrears at or above the assessments of the two preceding years), owing ${fmt(c.art19.reduce((a, s) => a + s.arrears, 0n))} of arrears; credits ${fmt(c.totals.credit)}.`,
      ],
    },
    {
      title: 'Capital reserve',
      lines: [
        `1 January ${r.year}: ${fmt(rv.opening)}; contributions ${fmt(rv.contributions)}, drawn ${fmt(rv.drawn)}, repaid ${fmt(rv.repaid)}; 31 December${rv.months[11]!.basis === 'projected' ? ' (projected)' : ''}: ${fmt(rv.closing)} against the target of ${fmt(rv.target)}.`,
        rv.restore > 0n ? `Voluntary contributions needed to restore the reserve to its target: ${fmt(rv.restore)}.` : 'The reserve is at or above its target at year end: no contribution is needed to restore it.',
        ...(rv.uncovered.length ? [`Months the reserve cannot cover: ${rv.uncovered.map((u) => `${MONTH_NAMES[u.month - 1]} (${fmt(u.gap)})`).join(', ')}.`] : []),
        rv.months.some((x) => x.basis === 'actual')
          ? `Months ended on or before ${r.asOf} are actual (receipts received${b.actualMonths ? ', spending spent' : ''}); later months are projected as in finproc cashflow.`
          : `No month of ${r.year} had ended on ${r.asOf}: every month is projected as in finproc cashflow.`,
      ],
    },
    {
      title: 'Sponsorship programme',
      lines: [
        `Received in ${sp.year} to ${sp.asOf}: ${fmt(sp.received)}; pledged and not yet paid: ${fmt(sp.pledgedOutstanding)}.`,
        sp.delegates > 0 ? `Delegates sponsored in ${sp.year}: ${sp.delegates}, costing ${fmt(sp.cost)} (average ${fmt(sp.average!)}).` : `No delegate sponsored in ${sp.year} up to ${sp.asOf}.`,
        `Funds in hand: ${fmt(sp.fundsInHand)}${sp.covered !== null ? `, covering ${sp.covered} delegate${sp.covered === 1 ? '' : 's'} at the average cost (${sp.coveredWithPledges} with the pledges outstanding paid)` : ''}.`,
        'Historic reference: CHF 52,800 a year on average in 2016–2019, about 17 delegates a year.',
      ],
    },
    {
      title: 'Budget against actual',
      lines: [
        `Budget ${r.year} (the expenditure plan): ${fmt(b.total.budget)}${b.adopted !== null ? `; adopted: ${fmt(b.adopted)}` : ''}.`,
        span
          ? `Actual spending ${span}: ${fmt(b.total.actualToDate)} against a plan of ${fmt(b.total.planToDate)} for those months (variance ${fmt(b.total.variance)}); ${b.total.spentPermille === null ? '' : `${permilleToPercent(b.total.spentPermille)} % of the budget spent; `}remaining ${fmt(b.total.remaining)}.`
          : `No month of ${r.year} with actual spending ended on or before ${r.asOf}.`,
        `Projected for the year (${lastActual ? `actual to ${ym(r, lastActual.month)}, then the plan` : 'the plan'}): ${fmt(b.total.projected)}.`,
      ],
    },
  ];
}

// ---------------------------------------------------------------- JSON

export function reportJson(r: FinancialReport, ctx: ReportContext): string {
  const c = r.contributions;
  const labels = bucketLabels(c.arrears.buckets);
  const sp = r.sponsorship;
  const b = r.budget;
  const line = (l: FinancialReport['budget']['total']) => ({ line: l.line, budget: m(l.budget), plan_to_date: m(l.planToDate), actual_to_date: m(l.actualToDate), variance: m(l.variance), spent_pct: l.spentPermille === null ? null : permilleToPercent(l.spentPermille), remaining: m(l.remaining), projected: m(l.projected) });
  const doc = {
    schema: REPORT_SCHEMA,
    year: r.year,
    as_of: r.asOf,
    currency: 'CHF',
    contributions: {
      totals: { assessed: m(c.yearTotal.due), received: m(c.yearTotal.settled), outstanding: m(c.yearTotal.outstanding), collection_rate_pct: c.yearTotal.ratePermille === null ? null : permilleToPercent(c.yearTotal.ratePermille), arrears: m(c.totals.arrears), credit: m(c.totals.credit), balance: m(c.totals.balance), paid: m(c.totals.paid), by_age: Object.fromEntries(labels.map((l, i) => [l, m(c.totals.byAge[i]!)])) },
      years: c.years.map((x) => ({ year: x.year, assessed: m(x.due), received: m(x.settled), outstanding: m(x.outstanding), collection_rate_pct: x.ratePermille === null ? null : permilleToPercent(x.ratePermille) })),
      states: c.states.map((s) => ({
        iso3: s.iso3,
        name: nameOf(ctx, s.iso3),
        opening_balance: m(s.opening),
        assessed_in_year: m(s.assessedInYear),
        paid_in_year: m(s.paidInYear),
        adjustments_in_year: m(s.adjustmentsInYear),
        closing_balance: m(s.closing),
        outstanding: m(s.position.outstanding),
        arrears: m(s.position.arrears),
        credit: m(s.position.credit),
        art19_threshold: m(s.position.twoYearsDue),
        oldest_unpaid_year: s.position.oldestUnpaidYear ?? null,
        last_payment: s.position.lastPayment ?? null,
        flags: s.position.flags,
        by_year: s.position.byYear.map((x) => ({ year: x.year, assessed: m(x.due), received: m(x.settled), outstanding: m(x.outstanding) })),
      })),
      art19: c.art19.map((s) => s.iso3),
      flags: Object.fromEntries(FLAGS.map((f) => [f, FLAG_TEXT[f]])),
    },
    reserve: {
      opening: m(r.reserve.opening),
      contributions: m(r.reserve.contributions),
      drawn: m(r.reserve.drawn),
      repaid: m(r.reserve.repaid),
      closing: m(r.reserve.closing),
      target: m(r.reserve.target),
      contributions_to_restore: m(r.reserve.restore),
      advanced_at_year_end: m(r.reserve.advancedAtEnd),
      uncovered: r.reserve.uncovered.map((u) => ({ month: ym(r, u.month), gap: m(u.gap) })),
      policy: ctx.policyFile,
      months: r.reserve.months.map((x) => ({ month: ym(r, x.month), basis: x.basis, opening: m(x.opening), contributions: m(x.contributions), drawn: m(x.drawn), repaid: m(x.repaid), closing: m(x.closing), operating_cash_closing: m(x.cash) })),
    },
    sponsorship: {
      year: sp.year,
      received: m(sp.received),
      pledged_outstanding: m(sp.pledgedOutstanding),
      delegates: sp.delegates,
      cost: m(sp.cost),
      average_per_delegate: sp.average === null ? null : m(sp.average),
      funds_in_hand: m(sp.fundsInHand),
      delegates_covered: sp.covered,
      delegates_covered_with_pledges: sp.coveredWithPledges,
      meetings: sp.meetings.map((x) => ({ meeting: x.meeting, date: x.date, delegates: x.delegates, cost: m(x.cost), states: x.states })),
      history: sp.history.map((h) => ({ year: h.year, received: m(h.received), delegates: h.delegates, cost: m(h.cost) })),
    },
    budget: {
      adopted: b.adopted === null ? null : m(b.adopted),
      actual_months: b.months.filter((x) => x.basis === 'actual').map((x) => ym(r, x.month)),
      lines: b.lines.map(line),
      total: line(b.total),
      months: b.months.map((x) => ({ month: ym(r, x.month), basis: x.basis, plan: m(x.plan), actual: x.actual === null ? null : m(x.actual), spending: m(x.spending) })),
    },
    notes: r.notes,
    inputs: ctx.inputs.map((i) => ({ file: i.name, sha256: i.sha256 })),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

// ---------------------------------------------------------------- CSV: one table

export function reportCsv(r: FinancialReport, ctx: ReportContext, table: TableId, dialect: CsvDialect): string {
  const t = reportTables(r, ctx).find((x) => x.id === table)!;
  return toCsv(t.columns.map((c) => ({ title: c.key, kind: c.kind === 'text' ? 'text' : 'number' })), t.rows, dialect);
}

// ---------------------------------------------------------------- table and Markdown

const forPeople = (t: ReportTable, fmt: (s: string) => string) => (row: string[]) => row.map((v, i) => (t.columns[i]!.kind === 'money' && v !== '' ? fmt(v) : v));
const columnsOf = (t: ReportTable): Column[] => t.columns.map((c) => ({ title: c.title, ...(c.kind === 'text' ? {} : { align: 'right' as const }) }));

/**
 * The report for people. `width`: fit a terminal (COLUMNS): prose and the flags wrap, and a table still too wide is split into blocks that repeat its key columns (ISO3 and State,
 * or the year or month). Without a width (a file, a pipe): every table whole, one line a row.
 */
export function reportTable(r: FinancialReport, ctx: ReportContext, style?: { bold: (s: string) => string }, width?: number): string {
  const bold = style?.bold ?? ((s: string) => s);
  const say = (l: string, indent = 0) => wrapText(l, width, indent);
  const out = [...say(headline(r)).map((l) => bold(l)), ''];
  for (const s of summaryLines(r)) out.push(...say(s.title).map((l) => bold(l)), ...s.lines.flatMap((l) => say(`  ${l}`, 2)), '');
  const table = (columns: Column[], rows: string[][], rule: number[]) => {
    // The leading text columns (ISO3 and State, the year, the month) are the key each block
    // repeats, never wrapped (a name cut as "Afghanista/n" reads badly); later text columns may wrap.
    let key = 0;
    while (key < columns.length && columns[key]!.align !== 'right') key++;
    const wrap = columns.map((c, i) => (i >= key && c.align !== 'right' ? i : -1)).filter((i) => i >= 0);
    return fitTable(columns, rows, { width, ...(style ? { style: style.bold } : {}), rule, key: Math.max(1, key), wrap }).text;
  };
  for (const t of reportTables(r, ctx)) {
    if (t.id === 'contributions') continue; // long: in the CSV, JSON and workbook; the outstanding by year is below
    const people = forPeople(t, groupDigits);
    const rows = t.rows.map(people);
    out.push(...say(`${t.title} (CHF)`).map((l) => bold(l)));
    out.push(rows.length ? table(columnsOf(t), t.total ? [...rows, people(t.total)] : rows, t.total ? [rows.length] : []) : '(none)\n');
  }
  const o = outstandingMatrix(r, ctx, g);
  out.push(...say(`Outstanding by State and assessment year, as of ${r.asOf} (CHF)`).map((l) => bold(l)), o.rows.length ? table(o.columns, o.rows, [o.rows.length - 1]) : '(nothing outstanding)\n');
  for (const n of r.notes) out.push(...say(`Note: ${n}`, 2));
  out.push('Inputs (SHA-256):', ...ctx.inputs.map((f) => `  ${f.sha256}  ${f.name}`), '');
  return out.join('\n');
}

/** The States with anything outstanding, one column per assessment year, and a total row. */
function outstandingMatrix(r: FinancialReport, ctx: ReportContext, fmt: (c: Cents) => string): { columns: Column[]; rows: string[][] } {
  const years = r.contributions.years.filter((y) => y.outstanding !== 0n).map((y) => y.year);
  const columns: Column[] = [{ title: 'ISO3' }, { title: 'State' }, ...years.map((y) => ({ title: String(y), align: 'right' as const })), { title: 'Total', align: 'right' }];
  const rows = r.contributions.states
    .filter((s) => s.position.outstanding !== 0n)
    .map((s) => {
      const by = new Map(s.position.byYear.map((y) => [y.year, y.outstanding]));
      return [s.iso3, nameOf(ctx, s.iso3), ...years.map((y) => (by.get(y) ? fmt(by.get(y)!) : '')), fmt(s.position.outstanding)];
    });
  if (rows.length) rows.push(['', 'Total', ...years.map((y) => fmt(r.contributions.years.find((x) => x.year === y)!.outstanding)), fmt(r.contributions.totals.outstanding)]);
  return { columns, rows };
}

export function reportMarkdown(r: FinancialReport, ctx: ReportContext): string {
  const out = [`# ${mdText(headline(r))}`, ''];
  for (const s of summaryLines(r, m)) out.push(`## ${s.title}`, '', ...s.lines.map((l) => `- ${mdText(l)}`), '');
  for (const t of reportTables(r, ctx)) {
    if (t.id === 'contributions') continue;
    out.push(`### ${mdText(t.title)} (CHF)`, '');
    out.push(t.rows.length ? mdTable(columnsOf(t), t.total ? [...t.rows, t.total.map((v, i) => (i === 0 || (i === 1 && v === 'Total') ? `**${v || 'Total'}**` : v))] : t.rows) : '(none)\n');
  }
  const o = outstandingMatrix(r, ctx, m);
  out.push(`### Outstanding by State and assessment year, as of ${r.asOf} (CHF)`, '', o.rows.length ? mdTable(o.columns, o.rows) : '(nothing outstanding)\n');
  if (r.notes.length) out.push('## Notes', '', ...r.notes.map((n) => `- ${mdText(n)}`), '');
  out.push('## Inputs', '', mdTable([{ title: 'File' }, { title: 'SHA-256' }], ctx.inputs.map((f) => [f.name, `\`${f.sha256}\``])));
  return out.join('\n');
}

// ---------------------------------------------------------------- HTML (and PDF)

export function reportHtml(r: FinancialReport, ctx: ReportContext): string {
  const e = escapeHtml;
  const tables = new Map(reportTables(r, ctx).map((t) => [t.id, t]));
  const html = (t: ReportTable, cls = '') => {
    const people = forPeople(t, groupDigits);
    const cell = (tag: string, v: string, i: number) => `<${tag}${t.columns[i]!.kind !== 'text' ? ' class="n"' : ''}>${e(v)}</${tag}>`;
    const head = `<tr>${t.columns.map((c, i) => cell('th', c.title, i)).join('')}</tr>`;
    const body = t.rows.map((row) => `<tr>${people(row).map((v, i) => cell('td', v, i)).join('')}</tr>`).join('\n');
    const foot = t.total ? `<tfoot><tr>${people(t.total).map((v, i) => cell('td', v, i)).join('')}</tr></tfoot>` : '';
    if (!t.rows.length) return `<h3>${e(t.title)}</h3>\n<p class="none">None.</p>`;
    return `<h3>${e(t.title)} <span class="unit">(CHF)</span></h3>\n<table${cls ? ` class="${cls}"` : ''}><thead>${head}</thead><tbody>\n${body}\n</tbody>${foot}</table>`;
  };
  const summary = summaryLines(r);
  const section = (i: number, ids: TableId[], extra = '') => `<section>\n<h2>${i + 1}. ${e(summary[i]!.title)}</h2>\n<ul class="summary">${summary[i]!.lines.map((l) => `<li>${e(l)}</li>`).join('')}</ul>\n${extra}${ids.map((id) => html(tables.get(id)!, id === 'states' ? 'small' : '')).join('\n')}\n</section>`;
  const o = outstandingMatrix(r, ctx, g);
  const matrix = o.rows.length
    ? `<h3>Outstanding by State and assessment year <span class="unit">(CHF)</span></h3>\n<table class="small"><thead><tr>${o.columns.map((c) => `<th${c.align ? ' class="n"' : ''}>${e(c.title)}</th>`).join('')}</tr></thead><tbody>\n${o.rows
        .slice(0, -1)
        .map((row) => `<tr>${row.map((v, i) => `<td${o.columns[i]!.align ? ' class="n"' : ''}>${e(v)}</td>`).join('')}</tr>`)
        .join('\n')}\n</tbody><tfoot><tr>${o.rows[o.rows.length - 1]!.map((v, i) => `<td${o.columns[i]!.align ? ' class="n"' : ''}>${e(v)}</td>`).join('')}</tr></tfoot></table>`
    : '';
  const body = [
    `<header><p class="doc">Convention on Cluster Munitions · Implementation Support Unit</p>\n<h1>${e(headline(r))}</h1>\n<p class="meta">Amounts in Swiss francs. Only records dated on or before ${e(r.asOf)} are counted; the same books give the same report whenever it is produced.</p></header>`,
    section(0, ['years', 'art19'], ''),
    section(1, ['reserve']),
    section(2, ['meetings', 'sponsorship']),
    section(3, ['budget', 'budget-months']),
    `<section class="annex">\n<h2>Annex: status of contributions by State</h2>\n${html(tables.get('states')!, 'small')}\n${matrix}\n</section>`,
    r.notes.length ? `<section>\n<h2>Notes</h2>\n<ul>${r.notes.map((n) => `<li>${e(n)}</li>`).join('')}</ul>\n</section>` : '',
    `<section class="inputs">\n<h2>Inputs (SHA-256)</h2>\n<table class="small"><thead><tr><th>File</th><th>SHA-256</th></tr></thead><tbody>\n${ctx.inputs.map((f) => `<tr><td>${e(f.name)}</td><td class="hash">${e(f.sha256)}</td></tr>`).join('\n')}\n</tbody></table>\n</section>`,
  ].filter((x) => x !== '');
  // Printed: the document's title and "Page x of y" at the foot of every page (a 9-page
  // document for the meeting, handed round as loose sheets, had neither).
  const cssString = (v: string) => `"${v.replace(/[\\"]/g, '\\$&').replace(/[\r\n]+/g, ' ').replace(/</g, '\\3c ')}"`;
  const box = 'font-family: "Noto Sans", "DejaVu Sans", sans-serif; font-size: 8pt; color: #555;';
  const footer = `@bottom-left { content: ${cssString(headline(r))}; ${box} } @bottom-right { content: "Page " counter(page) " of " counter(pages); ${box} }`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${e(headline(r))}</title>
<style>
@page { size: A4; margin: 16mm 14mm 18mm; ${footer} }
body { font-family: "Noto Sans", "DejaVu Sans", sans-serif; margin: 2em auto; max-width: 1100px; color: #1d1d1d; font-size: 14px; line-height: 1.4; }
header { border-bottom: 2px solid #1d4e89; margin-bottom: 1em; }
.doc { color: #1d4e89; font-weight: bold; margin: 0; letter-spacing: 0.02em; }
h1 { font-size: 22px; margin: 0.3em 0; }
h2 { font-size: 18px; color: #1d4e89; border-bottom: 1px solid #ccd; padding-bottom: 2px; margin-top: 1.6em; }
h3 { font-size: 14px; margin: 1.2em 0 0.3em; }
.unit { font-weight: normal; color: #666; }
.meta { color: #555; font-size: 12px; }
ul.summary { margin: 0.3em 0 0.8em; padding-left: 1.2em; }
table { border-collapse: collapse; margin: 0.3em 0 1em; font-size: 12px; }
th, td { border-bottom: 1px solid #dde; padding: 2px 7px; text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid #1d4e89; background: #eef2f8; }
tfoot td { font-weight: bold; border-top: 2px solid #1d4e89; }
.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.small { font-size: 10.5px; }
td.hash { font-family: "DejaVu Sans Mono", monospace; font-size: 9.5px; }
tr { break-inside: avoid; }
thead { display: table-header-group; }
tfoot { display: table-row-group; }
table.small td { white-space: nowrap; }
section.annex { break-before: page; page: annex; }
@page annex { size: A4 landscape; margin: 12mm 12mm 15mm; ${footer} }
h2, h3 { break-after: avoid; page-break-after: avoid; }
td:last-child { white-space: nowrap; }
@media print { body { margin: 0; max-width: none; font-size: 12px; } }
</style>
</head>
<body>
${body.join('\n')}
</body>
</html>
`;
}
