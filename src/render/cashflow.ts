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
import { toCsv, type CsvColumn, type CsvDialect } from './csv.js';
import { escapeHtml, groupDigits, mdTable, mdText, textTable, type Column } from './text.js';

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
export function textChart(r: CashflowReport, style: Style = noStyle, width = 30): string {
  let max = 1n;
  for (const x of r.months) for (const v of [x.closing < 0n ? -x.closing : x.closing, x.reserveClosing]) if (v > max) max = v;
  const bar = (v: Cents, ch: string) => ch.repeat(Number(((v < 0n ? -v : v) * BigInt(width) + max / 2n) / max));
  const out = [`Cash (█, ▒ below zero) and reserve (░) at month end, scale CHF ${g(max)} = ${width} characters`];
  for (const x of r.months) {
    const cash = x.closing < 0n ? bar(x.closing, '▒') : bar(x.closing, '█');
    const mark = x.gap > 0n ? style.red(` GAP ${g(x.gap)}`) : x.drawn > 0n ? style.yellow(` drawn ${g(x.drawn)}`) : '';
    out.push(`${monthName(x.month)} ${cash.padEnd(width)} ${g(x.closing).padStart(12)} | ${bar(x.reserveClosing, '░').padEnd(width)} ${g(x.reserveClosing).padStart(12)}${mark}`);
  }
  return out.join('\n') + '\n';
}

export function cashflowTable(r: CashflowReport, ctx: CashflowContext, style?: Style, stress?: StressReport): string {
  const s = style ?? noStyle;
  const out: string[] = [];
  out.push(s.bold(`Cash-flow projection ${r.year}, as of ${r.asOf} (CHF)`) + (ctx.asOfNote ? ` — ${ctx.asOfNote}` : ''));
  out.push(`Opening on 1 January: operating cash ${g(r.opening.operating)}, capital reserve ${g(r.opening.reserve)}${r.opening.note ? ` (${r.opening.note})` : ''}`);
  out.push('');
  out.push(textTable(monthColumns, [...r.months.map((x) => monthCells(r, x, g)), totalCells(r, g)], { rule: [12], ...(style ? { style: s.bold } : {}) }));
  if (style) out.push(textChart(r, s));
  out.push(...flagLines(r, g).map((l) => (l.startsWith('NOT COVERED') ? s.red(l) : l)));
  out.push('');
  out.push(...modelLinesText(r, ctx, g));
  if (stress) out.push('', ...stressText(stress, r, g));
  for (const n of r.notes) out.push(`Note: ${n}`);
  return out.join('\n') + '\n';
}

function modelLinesText(r: CashflowReport, ctx: CashflowContext, fmt: (c: Cents) => string): string[] {
  const out = ['Model:', ...modelText(r).map((l) => `  ${l}`), ''];
  const rows = expectedRows(r, ctx, fmt);
  if (rows.length) {
    out.push(`Receipts expected after ${r.asOf}:`);
    out.push(textTable(expectedColumns, rows).trimEnd());
  } else out.push(`No receipt is expected after ${r.asOf}.`);
  out.push(`Total receipts in ${r.year}: ${fmt(r.totals.receipts)} to operating cash, ${fmt(r.totals.reserveIn)} to the reserve; expected after the year: ${fmt(r.totals.afterYear)}; not expected: ${fmt(r.totals.notExpected)}.`);
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


/** The chart: cash and reserve at month end, the minimum-cash line, months with a draw or a gap shaded. */
export function svgChart(r: CashflowReport, stress?: StressReport): string {
  const W = 720;
  const H = 320;
  const L = 90;
  const R = 20;
  const T = 20;
  const B = 60;
  const values: Cents[] = [0n, r.rule.minimumCash, r.rule.target, r.opening.operating, r.opening.reserve];
  for (const x of r.months) values.push(x.closing, x.reserveClosing);
  if (stress) for (const x of stress.months) values.push(x.cash.p10, x.cash.p90);
  let lo = values.reduce((a, b) => (b < a ? b : a));
  let hi = values.reduce((a, b) => (b > a ? b : a));
  if (hi === lo) hi = lo + 100n;
  const pad = (hi - lo) / 20n;
  lo -= pad;
  hi += pad;
  const span = hi - lo;
  const y = (v: Cents) => T + Number(((hi - v) * BigInt(H - T - B)) / span);
  const step = Math.floor((W - L - R) / 12);
  const x = (i: number) => L + step * i + Math.floor(step / 2);
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="Cash and reserve at month end, ${r.year}">`);
  r.months.forEach((mo, i) => {
    if (mo.gap > 0n) parts.push(`<rect x="${L + step * i}" y="${T}" width="${step}" height="${H - T - B}" fill="#f4c7c3"><title>${MONTH_NAMES[i]}: uncovered gap CHF ${g(mo.gap)}</title></rect>`);
    else if (mo.drawn > 0n) parts.push(`<rect x="${L + step * i}" y="${T}" width="${step}" height="${H - T - B}" fill="#fce8b2"><title>${MONTH_NAMES[i]}: reserve drawn CHF ${g(mo.drawn)}</title></rect>`);
  });
  // Gridlines at a round step (1, 2 or 5 × 10^k francs), about four of them.
  const raw = span / 4n;
  let tick = 100n;
  while (tick * 5n < raw) tick *= 10n;
  tick = tick >= raw ? tick : tick * 2n >= raw ? tick * 2n : tick * 5n;
  const firstTick = lo >= 0n ? ((lo + tick - 1n) / tick) * tick : -((-lo / tick) * tick);
  for (let v = firstTick; v <= hi; v += tick) {
    parts.push(`<line x1="${L}" x2="${W - R}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/><text x="${L - 6}" y="${y(v) + 4}" font-size="11" text-anchor="end">${groupDigits((v / 100n).toString())}</text>`);
  }
  parts.push(`<line x1="${L}" x2="${W - R}" y1="${y(r.rule.minimumCash)}" y2="${y(r.rule.minimumCash)}" stroke="#a00" stroke-dasharray="4 3"><title>minimum cash CHF ${g(r.rule.minimumCash)}</title></line>`);
  parts.push(`<line x1="${L}" x2="${W - R}" y1="${y(r.rule.target)}" y2="${y(r.rule.target)}" stroke="#2a7" stroke-dasharray="2 4"><title>reserve target CHF ${g(r.rule.target)}</title></line>`);
  if (stress) {
    const up = stress.months.map((s, i) => `${x(i)},${y(s.cash.p90)}`);
    const down = [...stress.months].reverse().map((s, j) => `${x(11 - j)},${y(s.cash.p10)}`);
    parts.push(`<polygon points="${[...up, ...down].join(' ')}" fill="#1f5fa8" fill-opacity="0.15"><title>cash P10–P90 (${stress.runs} runs)</title></polygon>`);
  }
  parts.push(`<polyline points="${r.months.map((mo, i) => `${x(i)},${y(mo.reserveClosing)}`).join(' ')}" fill="none" stroke="#2a7" stroke-width="2"/>`);
  parts.push(`<polyline points="${r.months.map((mo, i) => `${x(i)},${y(mo.closing)}`).join(' ')}" fill="none" stroke="#1f5fa8" stroke-width="2"/>`);
  r.months.forEach((mo, i) => {
    parts.push(`<circle cx="${x(i)}" cy="${y(mo.closing)}" r="3" fill="#1f5fa8"><title>${MONTH_NAMES[i]}: cash CHF ${g(mo.closing)}</title></circle>`);
    parts.push(`<circle cx="${x(i)}" cy="${y(mo.reserveClosing)}" r="3" fill="#2a7"><title>${MONTH_NAMES[i]}: reserve CHF ${g(mo.reserveClosing)}</title></circle>`);
    parts.push(`<text x="${x(i)}" y="${H - B + 16}" font-size="11" text-anchor="middle">${MONTH_NAMES[i]}</text>`);
  });
  parts.push(`<text x="${L}" y="${H - 24}" font-size="11"><tspan fill="#1f5fa8">— operating cash</tspan><tspan dx="14" fill="#2a7">— capital reserve</tspan><tspan dx="14" fill="#a00">- - minimum cash</tspan><tspan dx="14" fill="#2a7">· · reserve target</tspan></text>`);
  parts.push(`<text x="${L}" y="${H - 8}" font-size="11" fill="#555">shaded months: reserve drawn (yellow), uncovered gap (red)${stress ? `; blue band: cash P10–P90 over ${stress.runs} runs` : ''}</text>`);
  parts.push('</svg>');
  return parts.join('\n');
}

export function cashflowHtml(r: CashflowReport, ctx: CashflowContext, stress?: StressReport): string {
  const e = escapeHtml;
  const table = (cols: Column[], rows: string[][], cls = '') =>
    `<table${cls ? ` class="${cls}"` : ''}><thead><tr>${cols.map((c) => `<th${c.align === 'right' ? ' class="n"' : ''}>${e(c.title)}</th>`).join('')}</tr></thead><tbody>\n${rows.map((row) => `<tr>${row.map((v, i) => `<td${cols[i]?.align === 'right' ? ' class="n"' : ''}>${e(v)}</td>`).join('')}</tr>`).join('\n')}\n</tbody></table>`;
  const monthRows = r.months.map((x) => monthCells(r, x, g));
  const body: string[] = [];
  body.push(`<h1>Cash-flow projection ${r.year}, as of ${e(r.asOf)}</h1>`);
  if (ctx.asOfNote) body.push(`<p>${e(ctx.asOfNote)}</p>`);
  body.push(`<p>Opening on 1 January: operating cash CHF ${g(r.opening.operating)}, capital reserve CHF ${g(r.opening.reserve)}${r.opening.note ? ` (${e(r.opening.note)})` : ''}.</p>`);
  body.push(svgChart(r, stress));
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
</style>
</head>
<body>
${body.join('\n')}
</body>
</html>
`;
}
