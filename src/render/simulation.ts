/**
 * Renderers of the simulation report: one function per format, each a pure function of
 * the report and the view (which States, in which order, grouped how). JSON is the report
 * serialised (schema `finproc.simulation/1`); HTML draws the indicators as inline SVG.
 */
import { unitsFormatter } from '../core/apportion.js';
import { scaled } from '../core/decimal.js';
import { describeRounding } from '../core/policy.js';
import { cmp } from '../core/problem.js';
import { groupTotals, ratio, type Column, type Indicators } from '../core/simulate.js';
import type { ScenarioResult, Simulation } from '../io/simulate.js';
import { prettyWithCompactRows } from './apportionment.js';
import { toCsv, type CsvColumn, type CsvDialect } from './csv.js';
import type { TopLevelSpec } from 'vega-lite';
import { CHART_CONFIG, DECREASE, INCREASE, renderChart } from './charts.js';
import { escapeHtml, fitTable, groupDigits, mdTable, mdText, tableWidth, wrapText, type Column as TextColumn, type Fitted } from './text.js';

export const SIMULATION_SCHEMA = 'finproc.simulation/1';

const COUNTS = new Set(['payers', 'more', 'less', 'same', 'joined', 'left']);

export interface View {
  /** Only these States in the per-State tables (indicators always count every State). */
  states?: string[];
  /** The N States whose amount moves most (largest change in any scenario shown). */
  top?: number;
  sort: 'iso3' | 'baseline' | 'change';
  group?: 'ldc' | 'region';
}

/** Scenarios shown State by State: the named ones (a sweep's points are in JSON and CSV). */
function named(s: Simulation): ScenarioResult[] {
  return s.scenarios.filter((x) => x.kind !== 'sweep');
}

function money(s: Simulation): (u: bigint) => string {
  return unitsFormatter(s.unit);
}

/** Change in percent of the baseline, two decimals; 'new' for a State with no baseline amount. */
function changePct(u: bigint, b: bigint, basePayer: boolean, payer: boolean): string {
  if (!basePayer) return payer ? 'new' : '';
  if (b === 0n) return u === 0n ? '0.00' : 'new';
  return ratio((u - b) * 100n, b, 2);
}

function signed(s: string): string {
  return s.startsWith('-') || s === '' || /^[0.]+$/.test(s) ? s : `+${s}`;
}

/** The per-State rows chosen by the view, as indexes into `s.states`. */
export function rowsOf(s: Simulation, v: View, shown: ScenarioResult[]): number[] {
  const base = s.baseline.column;
  let idx = s.states.map((_, i) => i);
  if (v.states) {
    const want = new Set(v.states);
    idx = idx.filter((i) => want.has(s.states[i]!.iso3));
  }
  const change = (i: number) => shown.reduce((m, x) => {
    const d = x.column ? x.column.units[i]! - base.units[i]! : 0n;
    const a = d < 0n ? -d : d;
    return a > m ? a : m;
  }, 0n);
  const sort = v.top !== undefined && v.sort === 'iso3' ? 'change' : v.sort;
  if (sort === 'baseline') idx.sort((a, b) => (base.units[b]! > base.units[a]! ? 1 : base.units[b]! < base.units[a]! ? -1 : cmp(s.states[a]!.iso3, s.states[b]!.iso3)));
  if (sort === 'change') {
    const c = new Map(idx.map((i) => [i, change(i)]));
    idx.sort((a, b) => (c.get(b)! > c.get(a)! ? 1 : c.get(b)! < c.get(a)! ? -1 : cmp(s.states[a]!.iso3, s.states[b]!.iso3)));
  }
  return v.top !== undefined ? idx.slice(0, v.top) : idx;
}

interface IndicatorCell {
  key: string;
  title: string;
  value: (i: Indicators) => string;
  /** Numeric value to chart, as a fraction, or null. */
  chart?: (i: Indicators) => [bigint, bigint] | null;
}

function indicatorCells(s: Simulation): IndicatorCell[] {
  const m = money(s);
  const pct = (n: bigint, d: bigint) => (d === 0n ? '' : ratio(n * 100n, d, 2));
  const dp = s.unit.decimalPlaces();
  const step = scaled(s.unit, dp);
  const median = (i: Indicators) => {
    const d = s.unit.times(i.medianTwice.toString()).div(2);
    return d.decimalPlaces() > dp ? d.toFixed() : d.toFixed(dp);
  };
  const amt = (u: bigint): [bigint, bigint] => [u * step, 10n ** BigInt(dp)];
  return [
    { key: 'payers', title: 'Payers', value: (i) => String(i.payers) },
    { key: 'assessed', title: 'Assessed', value: (i) => m(i.assessedUnits) },
    { key: 'more', title: 'Pay more', value: (i) => String(i.more), chart: (i) => [BigInt(i.more), 1n] },
    { key: 'less', title: 'Pay less', value: (i) => String(i.less), chart: (i) => [BigInt(i.less), 1n] },
    { key: 'same', title: 'Same', value: (i) => String(i.same) },
    { key: 'joined', title: 'Joined', value: (i) => String(i.joined) },
    { key: 'left', title: 'Left', value: (i) => String(i.left) },
    { key: 'largest_increase_iso3', title: 'Largest increase', value: (i) => i.largestIncrease?.iso3 ?? '' },
    { key: 'largest_increase', title: 'by', value: (i) => (i.largestIncrease ? m(i.largestIncrease.units) : ''), chart: (i) => (i.largestIncrease ? amt(i.largestIncrease.units) : amt(0n)) },
    { key: 'largest_relative_iso3', title: 'Largest relative', value: (i) => i.largestRelative?.iso3 ?? '' },
    { key: 'largest_relative_pct', title: 'by %', value: (i) => (i.largestRelative ? ratio(i.largestRelative.num * 100n, i.largestRelative.den, 2) : ''), chart: (i) => (i.largestRelative ? [i.largestRelative.num * 100n, i.largestRelative.den] : [0n, 1n]) },
    { key: 'ldc_total', title: 'LDCs pay', value: (i) => m(i.ldcUnits), chart: (i) => amt(i.ldcUnits) },
    { key: 'ldc_share_pct', title: 'LDC %', value: (i) => pct(i.ldcUnits, i.assessedUnits) },
    { key: 'small_total', title: 'Small pay', value: (i) => m(i.smallUnits), chart: (i) => amt(i.smallUnits) },
    { key: 'small_share_pct', title: 'Small %', value: (i) => pct(i.smallUnits, i.assessedUnits) },
    { key: 'top5_share_pct', title: 'Top-5 %', value: (i) => pct(i.top5Units, i.assessedUnits), chart: (i) => (i.assessedUnits === 0n ? null : [i.top5Units * 100n, i.assessedUnits]) },
    { key: 'hhi', title: 'HHI', value: (i) => ratio(i.hhiNum * 10000n, i.hhiDen, 2), chart: (i) => [i.hhiNum * 10000n, i.hhiDen] },
    { key: 'min_iso3', title: 'Minimum', value: (i) => i.min?.iso3 ?? '' },
    { key: 'min', title: 'min', value: (i) => (i.min ? m(i.min.units) : ''), chart: (i) => (i.min ? amt(i.min.units) : null) },
    { key: 'median', title: 'Median', value: median, chart: (i) => [i.medianTwice * step, 2n * 10n ** BigInt(dp)] },
  ];
}

const CHART_TITLES: Record<string, string> = {
  more: 'States that pay more than in the baseline',
  less: 'States that pay less than in the baseline',
  largest_increase: 'Largest increase of one State',
  largest_relative_pct: 'Largest relative increase of one State',
  ldc_total: 'Total paid by the least developed countries',
  small_total: 'Total paid by the small contributors',
  top5_share_pct: 'Share of the five largest payers',
  hhi: 'Concentration (Herfindahl index)',
  min: 'Smallest contribution',
  median: 'Median contribution',
};

function shareText(x: ScenarioResult): string {
  return x.shares
    .filter((c) => c.share !== null)
    .map((c) => `${c.category} ${c.share!.toFixed()}`)
    .join(' / ');
}

function header(s: Simulation): string[] {
  const b = s.baseline;
  return [
    `Baseline:  ${b.policy.id} (${s.policyFile}): ${b.policy.title}`,
    `Source:    ${b.policy.source.replace(/\s+/g, ' ').trim()}`,
    `Rounding:  ${describeRounding(b.policy)}`,
    s.article14
      ? `Meeting:   Article 14: an estimate of ${s.currency} ${groupDigits(s.budget.toFixed(s.unit.decimalPlaces()))} (--meeting-estimate) shared among the participants by ${s.article14.column}; scenarios add States not party`
      : `Budget:    ${s.currency} ${groupDigits(s.budget.toFixed(s.unit.decimalPlaces()))} (${s.budgetSource === 'books' ? 'budgets.csv' : '--budget'})`,
    `Small contributors: States whose rate is below ${s.smallBelow.toFixed()} %`,
    ...(s.sweep ? [`Sweep:     ${s.sweep.axes.map((a) => `${a.category} ${a.from.toFixed()} to ${a.to.toFixed()} step ${a.step.toFixed()}`).join(' × ')}; ${s.sweep.absorb} takes the rest; ${s.sweep.points} points${s.sweep.skipped ? `, ${s.sweep.skipped} left out (shares above 100 %)` : ''}`] : []),
  ];
}

function scenarioRows(s: Simulation): string[][] {
  return [s.baseline, ...s.scenarios.filter((x) => x.kind !== 'sweep')].map((x) => [x.id, x.kind, x.title, shareText(x), x.changes.join('; ') || '—']);
}
const scenarioColumns: TextColumn[] = [{ title: 'Scenario' }, { title: 'Kind' }, { title: 'Title' }, { title: 'Shares %' }, { title: 'Changes' }];

function indicatorRows(s: Simulation, fmt: (v: string, key: string) => string): { columns: TextColumn[]; rows: string[][] } {
  const cells = indicatorCells(s);
  const columns: TextColumn[] = [{ title: 'Scenario' }, { title: 'Shares %' }, ...cells.map((c) => ({ title: c.title, align: 'right' as const }))];
  const rows = [s.baseline, ...s.scenarios].map((x) => [x.id, shareText(x), ...(x.indicators ? cells.map((c) => fmt(c.value(x.indicators!), c.key)) : [`not feasible: ${x.failure ?? ''}`])]);
  return { columns, rows };
}

function stateTable(s: Simulation, v: View, fmt: (d: string) => string): { columns: TextColumn[]; rows: string[][] } | undefined {
  const shown = named(s);
  if (shown.length === 0 && !v.states && v.top === undefined) return undefined;
  const m = money(s);
  const base = s.baseline.column;
  const region = v.group === 'region';
  const columns: TextColumn[] = [
    { title: 'ISO3' },
    { title: 'State' },
    { title: 'LDC' },
    ...(region ? [{ title: 'Region' }] : []),
    { title: 'baseline', align: 'right' as const },
    ...shown.flatMap((x) => [{ title: x.id, align: 'right' as const }, { title: 'Δ', align: 'right' as const }, { title: '%', align: 'right' as const }]),
  ];
  const rows = rowsOf(s, v, shown).map((i) => {
    const st = s.states[i]!;
    return [
      st.iso3,
      st.name,
      st.ldc ? 'yes' : '',
      ...(region ? [st.region ?? ''] : []),
      base.payer[i] ? fmt(m(base.units[i]!)) : '',
      ...shown.flatMap((x) => {
        const c = x.column!;
        return [c.payer[i] ? fmt(m(c.units[i]!)) : '', c.payer[i] || base.payer[i] ? signed(fmt(m(c.units[i]! - base.units[i]!))) : '', changePct(c.units[i]!, base.units[i]!, base.payer[i]!, c.payer[i]!)];
      }),
    ];
  });
  return { columns, rows };
}

function groupTable(s: Simulation, v: View, fmt: (d: string) => string): { columns: TextColumn[]; rows: string[][] } | undefined {
  if (!v.group) return undefined;
  const shown = named(s);
  const m = money(s);
  const cols: Column[] = [s.baseline.column, ...shown.map((x) => x.column!)];
  const groups = groupTotals(s.states, cols, v.group);
  const columns: TextColumn[] = [{ title: v.group === 'ldc' ? 'Group' : 'Region' }, { title: 'States', align: 'right' }, { title: 'baseline', align: 'right' }, ...shown.flatMap((x) => [{ title: x.id, align: 'right' as const }, { title: 'Δ', align: 'right' as const }, { title: '%', align: 'right' as const }])];
  const rows = groups.map((g) => [g.group, String(g.count), fmt(m(g.units[0]!)), ...shown.flatMap((_, k) => [fmt(m(g.units[k + 1]!)), signed(fmt(m(g.units[k + 1]! - g.units[0]!))), changePct(g.units[k + 1]!, g.units[0]!, true, true)])]);
  return { columns, rows };
}

function footer(s: Simulation): string[] {
  return [
    'Δ: amount in the scenario minus the baseline; %: that difference in percent of the baseline (new: not a payer in the baseline).',
    'Pay more / less / same: States that pay in both; Joined / Left: payers of one only. HHI: Σ(share of the total)² × 10,000.',
    ...s.notes,
  ];
}

export interface TableStyle {
  bold: (x: string) => string;
  /** Increases (a State pays more) and decreases; no colour when absent. */
  up?: (x: string) => string;
  down?: (x: string) => string;
}

/**
 * The terminal table. `width`: fit the terminal (COLUMNS): long text wraps, then the amount
 * in each scenario is left out (baseline + Δ gives it), then the scenarios are shown a few
 * at a time, each block repeating the State columns; what was left out is said. Without a
 * width (a file, a pipe): every column.
 */
export function simulationTable(s: Simulation, v: View, style: TableStyle = { bold: (x) => x }, width?: number): string {
  const ind = indicatorRows(s, (x, key) => (/^(assessed|largest_increase|ldc_total|small_total|min|median)$/.test(key) ? groupDigits(x) : x));
  const st = stateTable(s, v, groupDigits);
  const gt = groupTable(s, v, groupDigits);
  const out: string[] = [];
  const say = (l: string, indent = 2) => out.push(...wrapText(l, width, indent));
  const fitNote = (f: Fitted, what: string) => {
    const parts = [
      ...(f.dropped.length ? [`left out ${f.dropped.join(', ')}`] : []),
      ...(f.blocks > 1 ? [`columns in ${f.blocks} blocks`] : []),
    ];
    if (parts.length) say(`(${what}, to fit ${width} columns: ${parts.join('; ')}. A wider terminal, or --format md, csv or html, shows every column.)`, 1);
  };
  const bold = style.bold;
  out.push(...wrapText(`Simulation ${s.year}: ${s.currency} ${groupDigits(s.budget.toFixed(s.unit.decimalPlaces()))}, baseline and ${s.scenarios.length} scenario${s.scenarios.length === 1 ? '' : 's'}`, width).map((l) => bold(l)));
  out.push('');
  for (const l of header(s)) say(l, 11);
  out.push('');
  const sc = fitTable(scenarioColumns, scenarioRows(s), { width, style: bold, wrap: [2, 4, 3], key: 1 });
  out.push(sc.text);
  const it = fitTable(ind.columns, ind.rows, { width, style: bold, rule: [1], key: 1, wrap: [2], groups: [[9, 10], [11, 12], [13, 14], [15, 16], [19, 20]] });
  out.push(it.text);
  fitNote(it, 'Indicators');
  if (it.blocks > 1 || it.dropped.length) out.push('');
  // Δ and % coloured: red where a State (or group) pays more, green where it pays less.
  const paintOf = (t: { columns: TextColumn[]; rows: string[][] }) => (x: string, row: number, col: number) => {
    const title = t.columns[col]!.title;
    const d = title.startsWith('Δ') ? x : title === '%' && t.columns[col - 1]?.title.startsWith('Δ') ? (t.rows[row]![col - 1] ?? '') : undefined;
    if (d === undefined) return x;
    return d.startsWith('+') ? (style.up ?? String)(x) : d.startsWith('-') ? (style.down ?? String)(x) : x;
  };
  // Too wide for the terminal: each scenario's amount left out (baseline + Δ gives it), its
  // name moved to the Δ column; then the scenarios a few at a time, the key columns repeated.
  const perScenario = (t: { columns: TextColumn[]; rows: string[][] }, key: number, what: string, wrap: number[]) => {
    let cols = t.columns.map((_, i) => i);
    let left = false;
    if (width !== undefined && tableWidth(t.columns, t.rows) > width) {
      cols = cols.filter((i) => i < key || (i - key) % 3 !== 0);
      left = true;
    }
    const columns = cols.map((i) => (i >= key && (i - key) % 3 === 1 && left ? { ...t.columns[i]!, title: `Δ ${t.columns[i - 1]!.title}` } : t.columns[i]!));
    const c = { columns, rows: t.rows.map((r) => cols.map((i) => r[i] ?? '')) };
    const groups: number[][] = [];
    for (let i = key; i + 1 < columns.length; i += left ? 2 : 3) groups.push(left ? [i, i + 1] : [i, i + 1, i + 2]);
    const f = fitTable(c.columns, c.rows, { width, style: bold, paint: paintOf(c), wrap, minWrap: 12, key, groups });
    out.push(f.text);
    if (left) f.dropped = ['the amount in each scenario (baseline + Δ gives it)'];
    fitNote(f, what);
    if (f.blocks > 1 || f.dropped.length) out.push('');
  };
  if (gt) perScenario(gt, 3, 'Group totals', [0]);
  if (st) {
    const key = st.columns.findIndex((c) => c.title === 'baseline') + 1;
    perScenario(st, key, 'Amounts per State', [1, ...(key === 5 ? [3] : [])]);
  } else if (s.sweep) {
    say('Amounts per State at each point of the sweep: --format json or --format csv --table states.');
    out.push('');
  }
  for (const l of footer(s)) say(l);
  out.push('', 'Inputs (SHA-256):');
  for (const f of s.inputs) {
    const l = `  ${f.sha256}  ${f.name}`;
    if (width === undefined || l.length <= width) out.push(l);
    else out.push(...wrapText(`  ${f.name}`, width), `    ${f.sha256}`);
  }
  out.push('');
  return out.join('\n');
}

export function simulationMarkdown(s: Simulation, v: View): string {
  const ind = indicatorRows(s, (x) => x);
  const st = stateTable(s, v, (x) => x);
  const gt = groupTable(s, v, (x) => x);
  return [
    `# Simulation ${s.year}: ${s.currency} ${s.budget.toFixed(s.unit.decimalPlaces())}`,
    '',
    ...header(s).map((l) => `- ${mdText(l).replace(/^([\w ]+?):\s+/, '**$1:** ')}`),
    '',
    '## Scenarios',
    '',
    mdTable(scenarioColumns, scenarioRows(s)),
    '## Indicators',
    '',
    mdTable(ind.columns, ind.rows),
    ...(gt ? ['## Groups', '', mdTable(gt.columns, gt.rows)] : []),
    ...(st ? ['## States', '', mdTable(st.columns, st.rows)] : []),
    ...footer(s).map((l) => `${mdText(l)}\n`),
    '## Inputs',
    '',
    mdTable([{ title: 'File' }, { title: 'SHA-256' }], s.inputs.map((f) => [f.name, `\`${f.sha256}\``])),
  ].join('\n');
}

/** CSV: one table. `states`: one row per State and scenario (long form); `indicators`: one row per scenario; `groups`: per group and scenario. */
export function simulationCsv(s: Simulation, v: View, table: 'states' | 'indicators' | 'groups', dialect: CsvDialect): string {
  const m = money(s);
  const all = [s.baseline, ...s.scenarios];
  const shareCols = s.baseline.shares.map((c) => c.category);
  if (table === 'indicators') {
    const cells = indicatorCells(s);
    const columns: CsvColumn[] = [{ title: 'scenario', kind: 'text' }, { title: 'kind', kind: 'text' }, ...shareCols.map((c) => ({ title: `share_${c}`, kind: 'number' as const })), { title: 'status', kind: 'text' }, ...cells.map((c) => ({ title: c.key, kind: (/iso3$/.test(c.key) ? 'text' : 'number') as CsvColumn['kind'] }))];
    const rows = all.map((x) => [x.id, x.kind, ...shareCols.map((c) => x.shares.find((y) => y.category === c)?.share?.toFixed() ?? ''), x.indicators ? 'ok' : `not feasible: ${x.failure ?? ''}`, ...cells.map((c) => (x.indicators ? c.value(x.indicators) : ''))]);
    return toCsv(columns, rows, dialect);
  }
  if (table === 'groups') {
    const by = v.group ?? 'ldc';
    const groups = groupTotals(s.states, all.map((x) => x.column ?? s.baseline.column), by);
    const columns: CsvColumn[] = [{ title: 'group', kind: 'text' }, { title: 'states', kind: 'number' }, { title: 'scenario', kind: 'text' }, { title: 'baseline', kind: 'number' }, { title: 'amount', kind: 'number' }, { title: 'difference', kind: 'number' }, { title: 'change_pct', kind: 'number' }];
    const rows = groups.flatMap((g) => all.slice(1).filter((x) => x.column).map((x) => {
      const k = all.indexOf(x);
      return [g.group, String(g.count), x.id, m(g.units[0]!), m(g.units[k]!), m(g.units[k]! - g.units[0]!), changePct(g.units[k]!, g.units[0]!, true, true)];
    }));
    return toCsv(columns, rows, dialect);
  }
  const base = s.baseline.column;
  const columns: CsvColumn[] = [{ title: 'iso3', kind: 'text' }, { title: 'name', kind: 'text' }, { title: 'ldc', kind: 'text' }, { title: 'region', kind: 'text' }, { title: 'scenario', kind: 'text' }, { title: 'baseline', kind: 'number' }, { title: 'amount', kind: 'number' }, { title: 'difference', kind: 'number' }, { title: 'change_pct', kind: 'number' }];
  const idx = rowsOf(s, v, s.scenarios.filter((x) => x.column));
  const rows: string[][] = [];
  for (const i of idx) {
    const st = s.states[i]!;
    for (const x of s.scenarios) {
      const c = x.column;
      if (!c) continue;
      rows.push([st.iso3, st.name, st.ldc ? 'yes' : 'no', st.region ?? '', x.id, base.payer[i] ? m(base.units[i]!) : '', c.payer[i] ? m(c.units[i]!) : '', m(c.units[i]! - base.units[i]!), changePct(c.units[i]!, base.units[i]!, base.payer[i]!, c.payer[i]!)]);
    }
  }
  return toCsv(columns, rows, dialect);
}

export function simulationJson(s: Simulation, v: View): string {
  const m = money(s);
  const cells = indicatorCells(s);
  const all = [s.baseline, ...s.scenarios];
  const scen = (x: ScenarioResult) => ({
    id: x.id,
    kind: x.kind,
    title: x.title,
    ...(x.file ? { file: x.file } : {}),
    ...(x.note ? { note: x.note } : {}),
    changes: x.changes,
    shares: Object.fromEntries(x.shares.map((c) => [c.category, c.share ? c.share.toFixed() : null])),
    policy: { id: x.policy.id, rounding: { unit: x.policy.rounding.unit.toFixed(), method: x.policy.rounding.method }, pro_rata: x.policy.proRata },
    status: x.indicators ? 'ok' : 'not feasible',
    ...(x.failure ? { failure: x.failure } : {}),
    // Counts as numbers; amounts, percentages and the index as strings (exact decimals).
    indicators: x.indicators ? Object.fromEntries(cells.map((c) => [c.key, COUNTS.has(c.key) ? Number(c.value(x.indicators!)) : c.value(x.indicators!) || null])) : null,
  });
  const base = s.baseline.column;
  const withCol = s.scenarios.filter((x) => x.column);
  // Each State on one line: {"iso3":…,"baseline":…,"scenarios":{id: amount}} (null: not a payer).
  const states = rowsOf(s, { ...v, sort: v.sort }, withCol).map((i) => {
    const st = s.states[i]!;
    const amounts = withCol.map((x) => `${JSON.stringify(x.id)}:${x.column!.payer[i] ? `"${m(x.column!.units[i]!)}"` : 'null'}`).join(',');
    return `{"iso3":"${st.iso3}","name":${JSON.stringify(st.name)},"ldc":${st.ldc},"region":${st.region === null ? 'null' : JSON.stringify(st.region)},"baseline":${base.payer[i] ? `"${m(base.units[i]!)}"` : 'null'},"scenarios":{${amounts}}}`;
  });
  const groups = v.group
    ? groupTotals(s.states, all.map((x) => x.column ?? s.baseline.column), v.group).map((g) => JSON.stringify({ group: g.group, states: g.count, baseline: m(g.units[0]!), scenarios: Object.fromEntries(all.slice(1).flatMap((x, k) => (x.column ? [[x.id, m(g.units[k + 1]!)]] : []))) }))
    : undefined;
  const doc: Record<string, unknown> = {
    schema: SIMULATION_SCHEMA,
    year: s.year,
    currency: s.currency,
    total: s.budget.toFixed(s.unit.decimalPlaces()),
    budget_source: s.budgetSource,
    baseline: { ...scen(s.baseline), policy: { id: s.baseline.policy.id, title: s.baseline.policy.title, source: s.baseline.policy.source, file: s.policyFile, rounding: { unit: s.baseline.policy.rounding.unit.toFixed(), method: s.baseline.policy.rounding.method, rule: describeRounding(s.baseline.policy) }, pro_rata: s.baseline.policy.proRata } },
    small_below_pct: s.smallBelow.toFixed(),
    sweep: s.sweep ? { axes: s.sweep.axes.map((a) => ({ category: a.category, from: a.from.toFixed(), to: a.to.toFixed(), step: a.step.toFixed() })), absorb: s.sweep.absorb, points: s.sweep.points, skipped: s.sweep.skipped } : null,
    scenarios: s.scenarios.map((x) => JSON.stringify(scen(x))),
    states,
    ...(groups ? { groups } : {}),
    inputs: s.inputs.map((f) => JSON.stringify({ file: f.name, sha256: f.sha256 })),
    notes: s.notes,
  };
  return prettyWithCompactRows(doc, ['scenarios', 'states', 'groups', 'inputs']);
}

const esc = escapeHtml;

/** An HTML table; `signs`: a Δ column's increases and decreases coloured (td.up, td.down). */
function htmlTable(columns: TextColumn[], rows: string[][], signs = false): string {
  const th = columns.map((c) => `<th${c.align === 'right' ? ' class="r"' : ''}>${esc(c.title)}</th>`).join('');
  const cls = (x: string, i: number) => {
    if (columns[i]?.align !== 'right') return '';
    const dir = signs && columns[i]!.title === 'Δ' ? (x.startsWith('+') ? ' up' : x.startsWith('-') ? ' down' : '') : '';
    return ` class="r${dir}"`;
  };
  const tr = rows.map((r) => `<tr>${r.map((x, i) => `<td${cls(x, i)}>${esc(x)}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${tr}\n</tbody></table>`;
}

// ---------------------------------------------------------------- charts (Vega-Lite, rendered to SVG)

/** The unit of each charted indicator, for its axis title. */
function unitOf(s: Simulation, key: string): string {
  if (key === 'more' || key === 'less') return 'States';
  if (key === 'largest_relative_pct' || key === 'top5_share_pct') return '%';
  if (key === 'hhi') return 'points of 10,000';
  return s.currency;
}

/** A fraction as a number for the chart's geometry only (the labels and tooltips keep the exact text). */
const num = (v: [bigint, bigint]) => Number(ratio(v[0], v[1], 6));

/**
 * One indicator across the scenarios: horizontal bars (the baseline in grey), or, along a
 * sweep, a line over the swept share with the baseline's share marked.
 */
export function indicatorSpec(s: Simulation, cell: IndicatorCell): TopLevelSpec | undefined {
  const pts = (s.sweep ? s.scenarios.filter((x) => x.kind === 'sweep') : [s.baseline, ...s.scenarios]).map((x) => ({ x, v: x.indicators ? cell.chart!(x.indicators) : null }));
  const vals = pts.filter((p) => p.v !== null) as { x: ScenarioResult; v: [bigint, bigint] }[];
  if (vals.length === 0) return undefined;
  const unit = unitOf(s, cell.key);
  const label = (v: [bigint, bigint]) => (COUNTS.has(cell.key) ? ratio(v[0], v[1], 0) : groupDigits(ratio(v[0], v[1], 2)));
  const valueAxis = { title: unit === '%' ? 'percent' : unit, ...(COUNTS.has(cell.key) ? { tickMinStep: 1, format: 'd' } : {}) };
  if (!s.sweep) {
    const values = vals.map((p) => ({ scenario: p.x.id, value: num(p.v), kind: p.x.kind === 'baseline' ? 'baseline' : 'scenario', tip: `${p.x.id}: ${label(p.v)} ${unit}` }));
    return {
      ...base(),
      width: 240,
      height: { step: 16 },
      data: { values },
      mark: { type: 'bar', height: { band: 0.75 } },
      encoding: {
        y: { field: 'scenario', type: 'nominal', sort: null, title: null, axis: { labelLimit: 120 } },
        x: { field: 'value', type: 'quantitative', axis: valueAxis },
        color: { field: 'kind', type: 'nominal', scale: { domain: ['baseline', 'scenario'], range: ['#999999', '#5b8cc4'] }, legend: null },
        description: { field: 'tip' },
      },
    } as TopLevelSpec;
  }
  const axes = s.sweep.axes;
  const one = axes.length === 1;
  const share = (x: ScenarioResult) => x.shares.find((c) => c.category === axes[0]!.category)?.share?.toFixed() ?? '';
  const values = vals.map((p, k) => ({ x: one ? Number(share(p.x)) : k + 1, value: num(p.v), tip: `${p.x.id}: ${label(p.v)} ${unit}` }));
  const b = s.baseline.shares.find((c) => c.category === axes[0]!.category)?.share;
  const mark = one && b && b.gte(axes[0]!.from) && b.lte(axes[0]!.to) ? [{ x: Number(b.toFixed()), tip: `baseline: ${axes[0]!.category} ${b.toFixed()} %` }] : [];
  return {
    ...base(),
    width: 260,
    height: 150,
    layer: [
      ...(mark.length ? [{ data: { values: mark }, mark: { type: 'rule', color: '#b33', strokeDash: [4, 3] }, encoding: { x: { field: 'x', type: 'quantitative' }, description: { field: 'tip' } } }] : []),
      {
        data: { values },
        encoding: {
          x: { field: 'x', type: 'quantitative', scale: { zero: false }, axis: { title: one ? `share of ${axes[0]!.category} (%)` : 'point of the sweep, in grid order', ...(one ? {} : { tickMinStep: 1, format: 'd' }) } },
          y: { field: 'value', type: 'quantitative', scale: { zero: false }, axis: valueAxis },
        },
        layer: [
          { mark: { type: 'line', color: '#1f5fa6', aria: false } },
          // A point with its value as a tooltip for each split, up to 200 (a large grid: the line, and the table).
          ...(values.length <= 200 ? [{ mark: { type: 'point', filled: true, size: 18, color: '#1f5fa6', opacity: 1 }, encoding: { description: { field: 'tip' } } }] : []),
        ],
      },
    ],
  } as TopLevelSpec;
}

function base(): Partial<TopLevelSpec> {
  return { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', config: CHART_CONFIG as never, padding: 6 } as Partial<TopLevelSpec>;
}

interface StateBar {
  state: string;
  group: string;
  change: number;
  dir: 'pays more' | 'pays less' | 'no change';
  tip: string;
}

/** The change of each State shown, in one scenario, grouped by LDC or region. */
function stateBars(s: Simulation, v: View, x: ScenarioResult, rows: number[]): StateBar[] {
  const m = money(s);
  const base = s.baseline.column;
  const c = x.column!;
  const by = v.group ?? 'ldc';
  return rows
    .filter((i) => base.payer[i] || c.payer[i])
    .map((i) => {
      const st = s.states[i]!;
      const d = c.units[i]! - base.units[i]!;
      const pct = changePct(c.units[i]!, base.units[i]!, base.payer[i]!, c.payer[i]!);
      const amount = (p: boolean, u: bigint) => (p ? groupDigits(m(u)) : 'not a payer');
      return {
        state: `${st.iso3} ${st.name}`,
        group: by === 'ldc' ? (st.ldc ? 'LDC' : 'non-LDC') : (st.region ?? '(no region)'),
        change: Number(m(d)),
        dir: d > 0n ? 'pays more' : d < 0n ? 'pays less' : 'no change',
        tip: `${st.name} (${st.iso3}): ${amount(base.payer[i]!, base.units[i]!)} → ${amount(c.payer[i]!, c.units[i]!)} ${s.currency}; ${signed(groupDigits(m(d)))} ${s.currency}${pct === 'new' ? ' (new payer)' : pct ? ` (${signed(pct)} %)` : ''}`,
      };
    });
}

/**
 * The change per State in one scenario: a diverging bar chart (increases to the right in
 * red, decreases to the left in blue), largest increase on top, in one panel per group (LDC
 * or not, or region). The change axis is symmetric around zero, scaled to the scenario's
 * largest change (scenarios differ by orders of magnitude: one franc of rounding, or tens
 * of thousands for a ceiling); its ticks are labelled in the currency.
 */
export function stateChangeSpec(s: Simulation, v: View, x: ScenarioResult, rows: number[]): TopLevelSpec {
  const values = stateBars(s, v, x, rows);
  const groups = [...new Set(values.map((b) => b.group))].sort(cmp);
  const most = values.reduce((a, b) => Math.max(a, Math.abs(b.change)), 0) || 1;
  const domain = [-most, most];
  return {
    ...base(),
    data: { values },
    facet: { row: { field: 'group', type: 'nominal', sort: groups, title: null, header: { labelAngle: 0, labelAlign: 'left', labelAnchor: 'start', labelOrient: 'top', labelPadding: 2 } } },
    spacing: 8,
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: 210,
      height: { step: 9 },
      layer: [
        {
          mark: { type: 'bar', height: { band: 0.8 } },
          encoding: {
            y: { field: 'state', type: 'nominal', sort: { field: 'change', order: 'descending' }, title: null, axis: { labelLimit: 130, labelFontSize: 8.5, ticks: false } },
            x: { field: 'change', type: 'quantitative', scale: { domain, nice: true }, axis: { title: `change (${s.currency})`, orient: 'top', tickCount: 4, labelFlush: true } },
            color: { field: 'dir', type: 'nominal', scale: { domain: ['pays more', 'pays less', 'no change'], range: [INCREASE, DECREASE, '#999999'] }, legend: null },
            description: { field: 'tip' },
          },
        },
        { mark: { type: 'rule', color: '#555' }, encoding: { x: { datum: 0 } } },
      ],
    },
  } as TopLevelSpec;
}

export interface SimulationCharts {
  /** One chart per named scenario: the change per State, with its caption. */
  states: { caption: string; svg: string }[];
  /** One chart per charted indicator, with its caption. */
  indicators: { caption: string; svg: string }[];
}

/** Every chart of the HTML report, rendered to SVG (asynchronous: Vega renders in Node). */
export async function simulationCharts(s: Simulation, v: View): Promise<SimulationCharts> {
  const shown = named(s).filter((x) => x.column);
  const rows = rowsOf(s, v, shown);
  const states: SimulationCharts['states'] = [];
  for (const [k, x] of shown.entries()) states.push({ caption: `${x.id}: ${x.title}`, svg: await renderChart(stateChangeSpec(s, v, x, rows), `st${k + 1}`) });
  const indicators: SimulationCharts['indicators'] = [];
  for (const [k, c] of indicatorCells(s).filter((c) => c.chart).entries()) {
    const spec = indicatorSpec(s, c);
    if (spec) indicators.push({ caption: `${CHART_TITLES[c.key] ?? c.title} (${unitOf(s, c.key)})`, svg: await renderChart(spec, `ind${k + 1}`) });
  }
  return { states, indicators };
}

/** The indicator table in two parts (who pays more or less; burden and concentration), each narrow enough for a 1200-px page. */
const INDICATOR_PARTS: { title: string; keys: string[] }[] = [
  { title: 'Who pays more or less', keys: ['payers', 'assessed', 'more', 'less', 'same', 'joined', 'left', 'largest_increase_iso3', 'largest_increase', 'largest_relative_iso3', 'largest_relative_pct'] },
  { title: 'Burden and concentration', keys: ['ldc_total', 'ldc_share_pct', 'small_total', 'small_share_pct', 'top5_share_pct', 'hhi', 'min_iso3', 'min', 'median'] },
];

function indicatorPart(s: Simulation, ind: { columns: TextColumn[]; rows: string[][] }, keys: string[]): { columns: TextColumn[]; rows: string[][] } {
  const cells = indicatorCells(s);
  const pick = [0, 1, ...keys.map((k) => 2 + cells.findIndex((c) => c.key === k))];
  return { columns: pick.map((i) => ind.columns[i]!), rows: ind.rows.map((r) => (r.length === 3 && r[2]!.startsWith('not feasible') ? r : pick.map((i) => r[i] ?? ''))) };
}

/**
 * The HTML report: self-contained (charts inline as SVG, no script, nothing fetched). The
 * charts come from simulationCharts (rendered beforehand: Vega renders asynchronously);
 * without them the page has the tables only.
 */
export function simulationHtml(s: Simulation, v: View, charts?: SimulationCharts): string {
  const ind = indicatorRows(s, (x, key) => (/^(assessed|largest_increase|ldc_total|small_total|min|median)$/.test(key) ? groupDigits(x) : x));
  const st = stateTable(s, v, groupDigits);
  const gt = groupTable(s, v, groupDigits);
  const by = v.group === 'region' ? 'region' : 'LDC or not';
  const figures = (figs: { caption?: string; svg: string }[]) => `<div class="charts">\n${figs.map((x) => `<figure>${x.caption ? `<figcaption>${esc(x.caption)}</figcaption>` : ''}${x.svg}</figure>`).join('\n')}\n</div>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${esc(`Simulation ${s.year}`)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:1.5em auto;padding:0 1em;max-width:1200px;color:#222;box-sizing:border-box}
table{border-collapse:collapse;margin:0.5em 0 1.5em;font-size:12px}
th,td{border:1px solid #ccc;padding:2px 5px}
th{background:#f3f3f3;vertical-align:bottom}
td.r,th.r{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.up{color:#c0392b}td.down{color:#2166ac}
.wide{overflow-x:auto;max-width:100%}
.wide td{white-space:nowrap}
.charts{display:flex;flex-wrap:wrap;gap:0.5em 1.5em;align-items:flex-start}
figure{margin:0;width:min-content}
figcaption{font-size:13px;font-weight:600;margin:0 0 2px 6px}
h3{font-size:14px;margin:1em 0 0}
p.key{font-size:13px;color:#444}
.sw{display:inline-block;width:0.9em;height:0.9em;vertical-align:-0.1em}
</style>
</head>
<body>
<h1>${esc(`Simulation ${s.year}: ${s.currency} ${groupDigits(s.budget.toFixed(s.unit.decimalPlaces()))}`)}</h1>
<ul>
${header(s).map((l) => `<li>${esc(l)}</li>`).join('\n')}
</ul>
<h2>Scenarios</h2>
${htmlTable(scenarioColumns, scenarioRows(s))}
${charts?.states.length ? `<h2>Change per State</h2>\n<p class="key">Each State's amount in the scenario minus the baseline, in ${esc(s.currency)}: <span class="sw" style="background:${INCREASE}"></span> pays more, <span class="sw" style="background:${DECREASE}"></span> pays less; <span class="sw" style="background:#999"></span> no change; largest increase on top, by ${by}. Each chart's axis is scaled to its scenario's largest change: read the amounts on the axis. Hover over a bar for the amounts.</p>\n${figures(charts.states)}` : ''}
<h2>Indicators</h2>
${charts?.indicators.length ? `${s.sweep && s.sweep.axes.length === 1 ? `<p class="key">Each point is one split of the sweep; the dashed red line is the baseline\'s share.${s.sweep.points <= 200 ? ' Hover over a point for its value.' : ''}</p>\n` : '<p class="key">The baseline in grey. Hover over a bar for its value.</p>\n'}${figures(charts.indicators)}` : ''}
${INDICATOR_PARTS.map((p) => {
    const t = indicatorPart(s, ind, p.keys);
    return `<h3>${esc(p.title)}</h3>\n${htmlTable(t.columns, t.rows)}`;
  }).join('\n')}
${gt ? `<h2>Groups</h2>\n<div class="wide">${htmlTable(gt.columns, gt.rows, true)}</div>` : ''}
${st ? `<h2>States</h2>\n<div class="wide">${htmlTable(st.columns, st.rows, true)}</div>` : ''}
${footer(s).map((l) => `<p>${esc(l)}</p>`).join('\n')}
<h2>Inputs (SHA-256)</h2>
<ul>
${s.inputs.map((f) => `<li><code>${esc(f.sha256)}</code> ${esc(f.name)}</li>`).join('\n')}
</ul>
</body>
</html>
`;
}

/** A few lines for the terminal when the reports went to files. */
export function simulationSummary(s: Simulation, written: string[], width?: number): string {
  const cells = indicatorCells(s);
  const get = (i: Indicators, key: string) => cells.find((c) => c.key === key)!.value(i);
  const pad = Math.min(24, Math.max(...[s.baseline, ...s.scenarios.slice(0, 10)].map((x) => x.id.length)));
  return [
    `Simulation ${s.year}: baseline ${s.baseline.policy.id} and ${s.scenarios.length} scenario${s.scenarios.length === 1 ? '' : 's'}.`,
    ...[s.baseline, ...s.scenarios.slice(0, 10)].map((x) => `  ${x.id.padEnd(pad)} ${x.indicators ? `more ${get(x.indicators, 'more')}, less ${get(x.indicators, 'less')}, LDCs ${groupDigits(get(x.indicators, 'ldc_total'))}, top-5 ${get(x.indicators, 'top5_share_pct')} %, HHI ${get(x.indicators, 'hhi')}` : `not feasible: ${x.failure}`}`),
    ...(s.scenarios.length > 10 ? [`  … ${s.scenarios.length - 10} more`] : []),
    `Wrote ${written.join(', ')}`,
  ]
    .flatMap((l) => wrapText(l, width, l.startsWith('  ') ? pad + 1 : 2))
    .concat('')
    .join('\n');
}

