/**
 * Renderers of the cash-flow projection (`finproc.cashflow/1`) and its stress test: table
 * (with a text chart on the terminal), CSV, JSON, Markdown and a self-contained HTML page
 * with an inline SVG chart. Amounts are strings with two decimals; grouped with Swiss
 * apostrophes in tables and HTML. Chart geometry is computed in integers from the centimes.
 */
import { MONTH_NAMES, type CashflowReport, type MonthRow } from '../core/cashflow.js';
import { centsToString, type Cents } from '../core/ledger.js';
import { percentOf, type StressReport } from '../core/stress.js';
import type { InputFile } from '../io/books.js';
import type { TopLevelSpec } from 'vega-lite';
import { CHART_CONFIG, renderChart } from './charts.js';
import { toCsv, type CsvColumn, type CsvDialect } from './csv.js';
import { escapeHtml, fitTable, groupDigits, mdTable, mdText, textTable, wrapText, type Column, type Fitted } from './text.js';

export const CASHFLOW_SCHEMA = 'finproc.cashflow/1';

export interface CashflowContext {
  names: Map<string, string>;
  inputs: InputFile[];
  /** The policy file the reserve rule came from, as named in reports. */
  policyFile: string;
  /** The as-of date was not given: how it was chosen. */
  asOfNote?: string;
}
export interface Style {
  bold: (s: string) => string;
  red: (s: string) => string;
  yellow: (s: string) => string;
}
const noStyle: Style = { bold: (s) => s, red: (s) => s, yellow: (s) => s };

const m = centsToString;
const g = (c: Cents) => groupDigits(centsToString(c));
const ym = (r: CashflowReport, month: number) => `${r.year}-${String(month).padStart(2, '0')}`;
const monthName = (month: number) => MONTH_NAMES[month - 1]!;
const nameOf = (ctx: CashflowContext, iso3: string) => ctx.names.get(iso3) ?? iso3;

// ---------------------------------------------------------------- words shared by every format

export function modelText(r: CashflowReport, fmt: (c: Cents) => string = g): string[] {
  const next = `the day after ${r.asOf}`;
  return [
    `Receipts up to ${r.asOf}: the payments received (purpose isu to operating cash, reserve to the reserve).`,
    `After ${r.asOf}: open pledges (isu, reserve) at their expected date (an overdue pledge: ${next}); the unpledged rest of each State's open invoices (${r.year} and arrears) by the State's own history of past invoices (paid in full on the date of the last allocation, oldest first): of the outcomes later than the days already elapsed since the due date, not expected if "not paid in full" is the more frequent, else the due date plus the median delay (lower median); not expected if it was never this late and then paid; a State with no history on the due date; a date already past: ${next}.`,
    `Reserve: target ${fmt(r.rule.target)}; a shortfall is closing cash below ${fmt(r.rule.minimumCash)}; ${r.rule.repay === 'surplus' ? 'what is drawn is repaid from later cash above that minimum' : 'what is drawn is not repaid from operating cash (only voluntary contributions refill the reserve)'}${r.rule.defaulted ? ' (defaults: the policy has no reserve key)' : ''}.`,
    spendingText(r),
  ];
}

/** Where each month's spending comes from: the plan, or the actual spending of the months past. */
export function spendingText(r: CashflowReport): string {
  const actual = r.spendingBasis.flatMap((b, i) => (b === 'actual' ? [ym(r, i + 1)] : []));
  const restricted = 'Sponsorship and meeting-cost money are restricted funds, outside this projection.';
  if (actual.length === 0) return `Spending: the expenditure plan, month by month. ${restricted}`;
  const span = actual.length === 1 ? actual[0]! : `${actual[0]} to ${actual[actual.length - 1]}`;
  return `Spending: the actual spending of expenditure.csv for the months ended on or before ${r.asOf} (${span}), the expenditure plan for the others. ${restricted}`;
}

function flagLines(r: CashflowReport, g: (c: Cents) => string): string[] {
  const f = r.flags;
  const out: string[] = [];
  out.push(f.firstDraw ? `First month the reserve is drawn: ${monthName(f.firstDraw.month)} ${r.year} (CHF ${g(f.firstDraw.amount)})` : 'The reserve is not drawn.');
  if (f.largestDraw) out.push(`Largest draw: CHF ${g(f.largestDraw.amount)} in ${monthName(f.largestDraw.month)}`);
  if (f.uncovered.length) out.push(`NOT COVERED even by the reserve: ${f.uncovered.map((u) => `${monthName(u.month)} CHF ${g(u.gap)}`).join(', ')}`);
  out.push(`Reserve at year end: CHF ${g(r.months[11]!.reserveClosing)} of the target CHF ${g(r.rule.target)}; voluntary contributions needed to restore it: CHF ${g(f.restore)}`);
  if (f.advancedAtEnd > 0n) out.push(`Drawn and not repaid at year end: CHF ${g(f.advancedAtEnd)}`);
  return out;
}

// ---------------------------------------------------------------- table

const monthColumns: Column[] = [
  { title: 'Month' },
  { title: 'Opening', align: 'right' },
  { title: 'Receipts', align: 'right' },
  { title: 'Spending', align: 'right' },
  { title: 'Before reserve', align: 'right' },
  { title: 'Drawn', align: 'right' },
  { title: 'Repaid', align: 'right' },
  { title: 'Reserve', align: 'right' },
  { title: 'Closing', align: 'right' },
  { title: 'Gap', align: 'right' },
];
function monthCells(r: CashflowReport, x: MonthRow, fmt: (c: Cents) => string): string[] {
  return [ym(r, x.month), fmt(x.opening), fmt(x.receipts), fmt(x.spending), fmt(x.closingBefore), fmt(x.drawn), fmt(x.repaid), fmt(x.reserveClosing), fmt(x.closing), fmt(x.gap)];
}
function totalCells(r: CashflowReport, fmt: (c: Cents) => string): string[] {
  const t = r.totals;
  return ['Year', fmt(r.opening.operating), fmt(t.receipts), fmt(t.spending), '', fmt(t.drawn), fmt(t.repaid), fmt(r.months[11]!.reserveClosing), fmt(r.months[11]!.closing), ''];
}

/** Bars of cash and reserve at month end, scaled to the largest; gap months marked. Integer geometry. */
export function textChart(r: CashflowReport, style: Style = noStyle, width = 30, lineWidth?: number): string {
  let max = 1n;
  for (const x of r.months) for (const v of [x.closing < 0n ? -x.closing : x.closing, x.reserveClosing]) if (v > max) max = v;
  const bar = (v: Cents, ch: string) => ch.repeat(Number(((v < 0n ? -v : v) * BigInt(width) + max / 2n) / max));
  const out = wrapText(`Cash (█, ▒ below zero) and reserve (░) at month end, scale CHF ${g(max)} = ${width} characters`, lineWidth);
  for (const x of r.months) {
    const cash = x.closing < 0n ? bar(x.closing, '▒') : bar(x.closing, '█');
    const mark = x.gap > 0n ? style.red(` GAP ${g(x.gap)}`) : x.drawn > 0n ? style.yellow(` drawn ${g(x.drawn)}`) : '';
    out.push(`${monthName(x.month)} ${cash.padEnd(width)} ${g(x.closing).padStart(12)} | ${bar(x.reserveClosing, '░').padEnd(width)} ${g(x.reserveClosing).padStart(12)}${mark}`);
  }
  return out.join('\n') + '\n';
}

export interface TableOptions {
  /** Fit this many columns (a terminal's COLUMNS): text wraps, derived columns are left out, wide tables are split; undefined: no limit. */
  width?: number;
  /** List every receipt expected after the as-of date (by default one line says how many and where to find them). */
  receipts?: boolean;
}

/**
 * The terminal table: the headline first (the flags, and with --stress the probabilities),
 * then the months, the chart, the model and the stress test's percentiles.
 */
export function cashflowTable(r: CashflowReport, ctx: CashflowContext, style?: Style, stress?: StressReport, opts: TableOptions = {}): string {
  const s = style ?? noStyle;
  const W = opts.width;
  const out: string[] = [];
  const say = (l: string, indent = 2) => out.push(...wrapText(l, W, indent));
  const fitNote = (f: Fitted, what: string) => out.push(...fitNoteLines(f, what, W));
  out.push(...wrapText(`Cash-flow projection ${r.year}, as of ${r.asOf} (CHF)${ctx.asOfNote ? ` — ${ctx.asOfNote}` : ''}`, W).map((l, i) => (i === 0 ? s.bold(l) : l)));
  say(`Opening on 1 January: operating cash ${g(r.opening.operating)}, capital reserve ${g(r.opening.reserve)}${r.opening.note ? ` (${r.opening.note})` : ''}`);
  out.push('');
  for (const l of flagLines(r, g)) for (const w of wrapText(l, W)) out.push(l.startsWith('NOT COVERED') ? s.red(w) : w);
  if (stress) {
    out.push('');
    for (const l of stressText(stress, r, g).slice(0, 3)) say(l);
  }
  out.push('');
  const months = fitTable(monthColumns, [...r.months.map((x) => monthCells(r, x, g)), totalCells(r, g)], { width: W, rule: [12], ...(style ? { style: s.bold } : {}), drop: [4, 1], key: 1 });
  out.push(months.text);
  if (months.dropped.length) {
    fitNote({ ...months, dropped: months.dropped.map((t) => (t === 'Opening' ? 'Opening (the month before\'s Closing)' : t === 'Before reserve' ? 'Before reserve (Opening + Receipts − Spending)' : t)) }, 'Months');
    out.push('');
  }
  if (style) out.push(textChart(r, s, W === undefined ? 30 : Math.max(8, Math.min(30, Math.floor((W - 52) / 2))), W));
  out.push(...modelLinesText(r, ctx, g, W, opts.receipts === true));
  if (stress) {
    out.push('');
    const st = fitTable(stressColumns, stressRows(stress, r, g), { width: W, key: 1, groups: [[2, 3, 4], [5, 6, 7], [8, 9]] });
    out.push(st.text.trimEnd());
    fitNote(st, 'Stress test');
    say(stressText(stress, r, g).at(-1)!);
  }
  for (const n of r.notes) say(`Note: ${n}`);
  return out.join('\n') + '\n';
}

/** What a fitted table left out or split, in one wrapped sentence (nothing when it fitted as it is). */
function fitNoteLines(f: Fitted, what: string, W: number | undefined): string[] {
  const parts = [...(f.dropped.length ? [`left out ${f.dropped.join(', ')}`] : []), ...(f.blocks > 1 ? [`columns in ${f.blocks} blocks`] : [])];
  return parts.length ? wrapText(`(${what}, to fit ${W} columns: ${parts.join('; ')}. A wider terminal, or --format md, csv or html, shows every column.)`, W, 1) : [];
}

function modelLinesText(r: CashflowReport, ctx: CashflowContext, fmt: (c: Cents) => string, W: number | undefined, list: boolean): string[] {
  const out = ['Model:', ...modelText(r).flatMap((l) => wrapText(`  ${l}`, W, 2)), ''];
  const say = (l: string) => out.push(...wrapText(l, W));
  const rows = expectedRows(r, ctx, fmt);
  if (rows.length === 0) say(`No receipt is expected after ${r.asOf}.`);
  else if (!list) {
    const expected = r.receipts.filter((x) => x.source !== 'payment');
    const dated = expected.filter((x) => x.date);
    const sum = (xs: typeof expected) => xs.reduce((a, x) => a + x.amount, 0n);
    say(`Receipts expected after ${r.asOf}: ${dated.length} with a date (${fmt(sum(dated))}), ${expected.length - dated.length} not expected (${fmt(sum(expected) - sum(dated))}); --receipts lists them (so do --format md, html and json).`);
  } else {
    say(`Receipts expected after ${r.asOf}:`);
    const f = fitTable(expectedColumns, rows, { width: W, wrap: [4, 8, 7], minWrap: 12, drop: [1, 2], key: 1 });
    out.push(f.text.trimEnd(), ...fitNoteLines(f, 'Receipts', W));
  }
  say(`Total receipts in ${r.year}: ${fmt(r.totals.receipts)} to operating cash, ${fmt(r.totals.reserveIn)} to the reserve; expected after the year: ${fmt(r.totals.afterYear)}; not expected: ${fmt(r.totals.notExpected)}.`);
  return out;
}

const expectedColumns: Column[] = [{ title: 'Date' }, { title: 'Fund' }, { title: 'Source' }, { title: 'ISO3' }, { title: 'State' }, { title: 'Ref' }, { title: 'Amount', align: 'right' }, { title: 'History (paid in full / invoices, median delay)' }, { title: 'Basis' }];
function expectedRows(r: CashflowReport, ctx: CashflowContext, fmt: (c: Cents) => string): string[][] {
  const models = new Map(r.models.map((x) => [x.iso3, x]));
  return r.receipts
    .filter((x) => x.source !== 'payment')
    .map((x) => {
      const mo = x.source === 'assessment' ? models.get(x.iso3) : undefined;
      const hist = mo ? `${mo.paidInFull}/${mo.invoices}${mo.medianDelay !== null ? `, ${mo.medianDelay} d` : ''}` : '';
      return [x.date ?? 'not expected', x.fund, x.source, x.iso3, nameOf(ctx, x.iso3), x.ref, fmt(x.amount), hist, x.basis];
    });
}

function stressText(st: StressReport, r: CashflowReport, fmt: (c: Cents) => string): string[] {
  const out = [
    `Stress test: ${st.runs} runs, seed ${st.seed}, ${st.generator}; ${st.uncertain} assessments drawn from their State's history.`,
    `Probability that the reserve is drawn: ${percentOf(st.drawnRuns, st.runs)} % (${st.drawnRuns} runs); of an uncovered gap: ${percentOf(st.gapRuns, st.runs)} % (${st.gapRuns} runs).`,
    `Contributions needed to restore the reserve at year end: P10 ${fmt(st.restore.p10)}, P50 ${fmt(st.restore.p50)}, P90 ${fmt(st.restore.p90)}.`,
    '',
  ];
  out.push(textTable(stressColumns, stressRows(st, r, fmt)).trimEnd());
  out.push('Percentiles by nearest rank over the runs (P10 = the value of run ⌈0.10 × runs⌉ in ascending order).');
  return out;
}
const stressColumns: Column[] = [
  { title: 'Month' },
  { title: 'Projected cash', align: 'right' },
  { title: 'Cash P10', align: 'right' },
  { title: 'Cash P50', align: 'right' },
  { title: 'Cash P90', align: 'right' },
  { title: 'Reserve P10', align: 'right' },
  { title: 'Reserve P50', align: 'right' },
  { title: 'Reserve P90', align: 'right' },
  { title: 'P(drawn) %', align: 'right' },
  { title: 'P(gap) %', align: 'right' },
];
function stressRows(st: StressReport, r: CashflowReport, fmt: (c: Cents) => string): string[][] {
  return st.months.map((x) => [ym(r, x.month), fmt(x.projected), fmt(x.cash.p10), fmt(x.cash.p50), fmt(x.cash.p90), fmt(x.reserve.p10), fmt(x.reserve.p50), fmt(x.reserve.p90), percentOf(x.drawnRuns, st.runs), percentOf(x.gapRuns, st.runs)]);
}

// ---------------------------------------------------------------- Markdown

export function cashflowMarkdown(r: CashflowReport, ctx: CashflowContext, stress?: StressReport): string {
  const out: string[] = [];
  out.push(`# Cash-flow projection ${r.year}, as of ${r.asOf} (CHF)`, '');
  if (ctx.asOfNote) out.push(mdText(ctx.asOfNote), '');
  out.push(`Opening on 1 January: operating cash ${m(r.opening.operating)}, capital reserve ${m(r.opening.reserve)}.`, '');
  out.push(mdTable(monthColumns, [...r.months.map((x) => monthCells(r, x, m)), totalCells(r, m)]));
  out.push('## Flags', '', ...flagLines(r, m).map((l) => `- ${mdText(l)}`), '');
  out.push('## Model', '', ...modelText(r, m).map((l) => `- ${mdText(l)}`), '');
  const rows = expectedRows(r, ctx, m);
  if (rows.length) out.push(`### Receipts expected after ${r.asOf}`, '', mdTable(expectedColumns, rows));
  if (stress) {
    const lines = stressText(stress, r, m);
    out.push('## Stress test', '', ...lines.slice(0, 3).map((l) => mdText(l)), '', mdTable(stressColumns, stressRows(stress, r, m)), mdText(lines[lines.length - 1]!), '');
  }
  for (const n of r.notes) out.push(`Note: ${mdText(n)}`, '');
  return out.join('\n').replace(/\n+$/, '\n');
}

// ---------------------------------------------------------------- CSV

export function cashflowCsv(r: CashflowReport, dialect: CsvDialect, stress?: StressReport): string {
  if (stress) {
    const cols: CsvColumn[] = [{ title: 'month', kind: 'text' }, ...['projected_cash', 'cash_p10', 'cash_p50', 'cash_p90', 'reserve_p10', 'reserve_p50', 'reserve_p90', 'drawn_runs', 'gap_runs', 'runs'].map((t) => ({ title: t, kind: 'number' as const }))];
    return toCsv(cols, stress.months.map((x) => [ym(r, x.month), m(x.projected), m(x.cash.p10), m(x.cash.p50), m(x.cash.p90), m(x.reserve.p10), m(x.reserve.p50), m(x.reserve.p90), String(x.drawnRuns), String(x.gapRuns), String(stress.runs)]), dialect);
  }
  const cols: CsvColumn[] = [{ title: 'month', kind: 'text' }, ...['opening', 'receipts', 'spending', 'closing_before_reserve', 'reserve_opening', 'reserve_contributions', 'reserve_drawn', 'reserve_repaid', 'reserve_closing', 'closing', 'uncovered_gap'].map((t) => ({ title: t, kind: 'number' as const }))];
  return toCsv(cols, r.months.map((x) => [ym(r, x.month), m(x.opening), m(x.receipts), m(x.spending), m(x.closingBefore), m(x.reserveOpening), m(x.reserveIn), m(x.drawn), m(x.repaid), m(x.reserveClosing), m(x.closing), m(x.gap)]), dialect);
}

// ---------------------------------------------------------------- JSON

export function cashflowJson(r: CashflowReport, ctx: CashflowContext, stress?: StressReport): string {
  const f = r.flags;
  const doc = {
    schema: CASHFLOW_SCHEMA,
    year: r.year,
    as_of: r.asOf,
    currency: 'CHF',
    reserve_policy: { target: m(r.rule.target), minimum_cash: m(r.rule.minimumCash), repay: r.rule.repay, from: r.rule.defaulted ? 'defaults' : ctx.policyFile },
    opening: { operating_cash: m(r.opening.operating), reserve: m(r.opening.reserve), note: r.opening.note },
    months: r.months.map((x) => ({
      month: ym(r, x.month),
      opening: m(x.opening),
      receipts: m(x.receipts),
      spending: m(x.spending),
      spending_basis: r.spendingBasis[x.month - 1],
      closing_before_reserve: m(x.closingBefore),
      reserve_opening: m(x.reserveOpening),
      reserve_contributions: m(x.reserveIn),
      reserve_drawn: m(x.drawn),
      reserve_repaid: m(x.repaid),
      reserve_closing: m(x.reserveClosing),
      closing: m(x.closing),
      uncovered_gap: m(x.gap),
      advanced: m(x.advanced),
    })),
    totals: { receipts: m(r.totals.receipts), spending: m(r.totals.spending), reserve_contributions: m(r.totals.reserveIn), reserve_drawn: m(r.totals.drawn), reserve_repaid: m(r.totals.repaid), expected_after_year: m(r.totals.afterYear), not_expected: m(r.totals.notExpected) },
    flags: {
      first_draw: f.firstDraw ? { month: ym(r, f.firstDraw.month), amount: m(f.firstDraw.amount) } : null,
      largest_draw: f.largestDraw ? { month: ym(r, f.largestDraw.month), amount: m(f.largestDraw.amount) } : null,
      uncovered: f.uncovered.map((u) => ({ month: ym(r, u.month), gap: m(u.gap) })),
      reserve_at_year_end: m(r.months[11]!.reserveClosing),
      contributions_to_restore: m(f.restore),
      advanced_at_year_end: m(f.advancedAtEnd),
    },
    model: {
      rules: modelText(r, m),
      states: r.models.map((x) => ({ iso3: x.iso3, name: nameOf(ctx, x.iso3), invoices: x.invoices, paid_in_full: x.paidInFull, median_delay_days: x.medianDelay, rule: x.rule, delays: x.outcomes })),
    },
    receipts: r.receipts.map((x) => ({ date: x.date ?? null, month: x.month === 0 ? null : ym(r, x.month), fund: x.fund, source: x.source, iso3: x.iso3, ref: x.ref, amount: m(x.amount), basis: x.basis })),
    plan: r.planLines.map((l) => ({ line: l.line, months: l.amounts.map(m), total: m(l.total) })),
    ...(stress
      ? {
          stress: {
            runs: stress.runs,
            seed: stress.seed,
            generator: stress.generator,
            percentiles: 'nearest rank',
            uncertain_assessments: stress.uncertain,
            reserve_drawn: { runs: stress.drawnRuns, probability_pct: percentOf(stress.drawnRuns, stress.runs) },
            uncovered_gap: { runs: stress.gapRuns, probability_pct: percentOf(stress.gapRuns, stress.runs) },
            contributions_to_restore: { p10: m(stress.restore.p10), p50: m(stress.restore.p50), p90: m(stress.restore.p90) },
            months: stress.months.map((x) => ({ month: ym(r, x.month), projected_cash: m(x.projected), cash: { p10: m(x.cash.p10), p50: m(x.cash.p50), p90: m(x.cash.p90) }, reserve: { p10: m(x.reserve.p10), p50: m(x.reserve.p50), p90: m(x.reserve.p90) }, drawn_runs: x.drawnRuns, gap_runs: x.gapRuns })),
          },
        }
      : {}),
    notes: r.notes,
    inputs: ctx.inputs.map((i) => ({ file: i.name, sha256: i.sha256 })),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

// ---------------------------------------------------------------- HTML


/**
 * The chart, as a Vega-Lite specification: operating cash and the capital reserve at month
 * end (lines, a tooltip on each point), the minimum cash and the reserve target (dashed
 * rules), months with a draw or an uncovered gap shaded, and with --stress the P10–P90 band
 * of cash. Months are ordinal labels (never dates: no time zone can move them); amounts are
 * numbers for the geometry only, the tooltips carry the exact amounts.
 */
export function cashflowChartSpec(r: CashflowReport, stress?: StressReport): TopLevelSpec {
  const num = (c: Cents) => Number(m(c));
  const months = r.months.map((x, i) => ({ month: MONTH_NAMES[i]!, mo: x }));
  const lines = months.flatMap(({ month, mo }) => [
    { month, series: 'operating cash', value: num(mo.closing), tip: `${month}: cash CHF ${g(mo.closing)}` },
    { month, series: 'capital reserve', value: num(mo.reserveClosing), tip: `${month}: reserve CHF ${g(mo.reserveClosing)}` },
  ]);
  const shaded = months.flatMap(({ month, mo }) =>
    mo.gap > 0n ? [{ month, kind: 'uncovered gap', tip: `${month}: uncovered gap CHF ${g(mo.gap)}` }] : mo.drawn > 0n ? [{ month, kind: 'reserve drawn', tip: `${month}: reserve drawn CHF ${g(mo.drawn)}` }] : [],
  );
  const rules = [
    { value: num(r.rule.minimumCash), kind: 'minimum cash', tip: `minimum cash CHF ${g(r.rule.minimumCash)}` },
    { value: num(r.rule.target), kind: 'reserve target', tip: `reserve target CHF ${g(r.rule.target)}` },
  ];
  const x = { field: 'month', type: 'ordinal', sort: [...MONTH_NAMES], axis: { title: `month end, ${r.year}`, labelAngle: 0 } } as const;
  const y = { type: 'quantitative', axis: { title: 'CHF', titleAngle: 0, titleAlign: 'right', titleY: -8, titleX: -4 }, scale: { zero: true } } as const;
  const band = stress
    ? [
        {
          data: { values: stress.months.map((s, i) => ({ month: MONTH_NAMES[i]!, p10: num(s.cash.p10), p90: num(s.cash.p90), tip: `${MONTH_NAMES[i]}: cash P10 CHF ${g(s.cash.p10)}, P90 CHF ${g(s.cash.p90)} (${stress.runs} runs)` })) },
          mark: { type: 'area', color: '#1f5fa8', opacity: 0.15 },
          encoding: { x: { ...x, bandPosition: 0.5 }, y: { ...y, field: 'p10' }, y2: { field: 'p90' }, description: { value: `cash P10–P90 (${stress.runs} runs)` } },
        },
      ]
    : [];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: CHART_CONFIG as never,
    padding: 6,
    width: 760,
    height: 280,
    layer: [
      ...(shaded.length
        ? [{ data: { values: shaded }, mark: { type: 'rect', opacity: 0.6 }, encoding: { x, color: { field: 'kind', type: 'nominal', scale: { domain: ['reserve drawn', 'uncovered gap'], range: ['#fce8b2', '#f4c7c3'] }, legend: null }, description: { field: 'tip' } } }]
        : []),
      ...band,
      { data: { values: rules }, mark: { type: 'rule', strokeDash: [5, 4], strokeWidth: 1.5 }, encoding: { y: { ...y, field: 'value' }, color: { field: 'kind', type: 'nominal', scale: { domain: ['minimum cash', 'reserve target'], range: ['#aa0000', '#22aa77'] }, legend: null }, description: { field: 'tip' } } },
      {
        data: { values: lines },
        encoding: {
          x: { ...x, bandPosition: 0.5 },
          y: { ...y, field: 'value' },
          stroke: { field: 'series', type: 'nominal', scale: { domain: ['operating cash', 'capital reserve'], range: ['#1f5fa8', '#22aa77'] }, legend: { title: null, orient: 'top', symbolType: 'stroke', symbolStrokeWidth: 2 } },
        },
        layer: [
          { mark: { type: 'line', strokeWidth: 2, aria: false } },
          { mark: { type: 'point', filled: true, size: 30, opacity: 1 }, encoding: { fill: { field: 'series', type: 'nominal', scale: { domain: ['operating cash', 'capital reserve'], range: ['#1f5fa8', '#22aa77'] }, legend: null }, description: { field: 'tip' } } },
        ],
      },
    ],
    resolve: { scale: { color: 'independent' } },
  } as TopLevelSpec;
}

/** The chart rendered to SVG (asynchronous: Vega renders in Node), for cashflowHtml. */
export function cashflowChart(r: CashflowReport, stress?: StressReport): Promise<string> {
  return renderChart(cashflowChartSpec(r, stress), 'cf');
}

/**
 * The HTML page: self-contained (the chart inline as SVG, no script, nothing fetched). `chart`
 * comes from cashflowChart (rendered beforehand); without it the page has the tables only.
 */
export function cashflowHtml(r: CashflowReport, ctx: CashflowContext, stress?: StressReport, chart?: string): string {
  const e = escapeHtml;
  const table = (cols: Column[], rows: string[][], cls = '') =>
    `<table${cls ? ` class="${cls}"` : ''}><thead><tr>${cols.map((c) => `<th${c.align === 'right' ? ' class="n"' : ''}>${e(c.title)}</th>`).join('')}</tr></thead><tbody>\n${rows.map((row) => `<tr>${row.map((v, i) => `<td${cols[i]?.align === 'right' ? ' class="n"' : ''}>${e(v)}</td>`).join('')}</tr>`).join('\n')}\n</tbody></table>`;
  const monthRows = r.months.map((x) => monthCells(r, x, g));
  const body: string[] = [];
  body.push(`<h1>Cash-flow projection ${r.year}, as of ${e(r.asOf)}</h1>`);
  if (ctx.asOfNote) body.push(`<p>${e(ctx.asOfNote)}</p>`);
  body.push(`<p>Opening on 1 January: operating cash CHF ${g(r.opening.operating)}, capital reserve CHF ${g(r.opening.reserve)}${r.opening.note ? ` (${e(r.opening.note)})` : ''}.</p>`);
  if (chart) {
    body.push(`<figure>${chart}<figcaption>Operating cash (blue) and capital reserve (green) at month end, in CHF; dashed: the minimum cash (red) and the reserve target (green); shaded months: reserve drawn (yellow), uncovered gap (red)${stress ? `; blue band: cash P10–P90 over ${stress.runs} runs` : ''}. Hover over a point for the amount.</figcaption></figure>`);
  }
  body.push('<h2>Flags</h2>', `<ul>${flagLines(r, g).map((l) => `<li${l.startsWith('NOT COVERED') ? ' class="gap"' : ''}>${e(l)}</li>`).join('')}</ul>`);
  body.push('<h2>Month by month (CHF)</h2>', table(monthColumns, [...monthRows, totalCells(r, g)]));
  if (stress) {
    const lines = stressText(stress, r, g);
    body.push('<h2>Stress test</h2>', ...lines.slice(0, 3).filter((l) => l !== '').map((l) => `<p>${e(l)}</p>`), table(stressColumns, stressRows(stress, r, g)), `<p>${e(lines[lines.length - 1]!)}</p>`);
  }
  body.push('<h2>Model</h2>', `<ul>${modelText(r).map((l) => `<li>${e(l)}</li>`).join('')}</ul>`);
  const rows = expectedRows(r, ctx, g);
  if (rows.length) body.push(`<h3>Receipts expected after ${e(r.asOf)}</h3>`, table(expectedColumns, rows));
  for (const n of r.notes) body.push(`<p>Note: ${e(n)}</p>`);
  body.push('<h2>Inputs</h2>', table([{ title: 'File' }, { title: 'SHA-256' }], ctx.inputs.map((i) => [i.name, i.sha256])));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Cash-flow projection ${r.year}</title>
<style>
body { font-family: sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; font-size: 13px; }
th, td { border: 1px solid #ccc; padding: 3px 6px; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
li.gap { color: #a00; font-weight: bold; }
figure { margin: 1em 0; }
figcaption { font-size: 13px; color: #444; max-width: 780px; }
</style>
</head>
<body>
${body.join('\n')}
</body>
</html>
`;
}
