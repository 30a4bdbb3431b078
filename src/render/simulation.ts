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
import { moneyText } from './number.js';
import { escapeHtml, groupDigits, mdTable, mdText, textTable, type Column as TextColumn } from './text.js';

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
  // Exact (the median of an even count can be half a unit, 1189.595); the table and HTML show
  // it to the currency's decimals (moneyText), the machine formats keep every digit.
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
  largest_relative_pct: 'Largest relative increase of one State (%)',
  ldc_total: 'Total paid by the least developed countries',
  small_total: 'Total paid by the small contributors',
  top5_share_pct: 'Share of the five largest payers (%)',
  hhi: 'Concentration (Herfindahl index, points of 10,000)',
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

export function simulationTable(s: Simulation, v: View, style: { bold: (x: string) => string } = { bold: (x) => x }): string {
  const dp = s.unit.decimalPlaces();
  const ind = indicatorRows(s, (x, key) => (key === 'median' && x !== '' ? moneyText(x, dp, 'swiss') : /^(assessed|largest_increase|ldc_total|small_total|min|largest_relative_pct|hhi)$/.test(key) ? groupDigits(x) : x));
  const st = stateTable(s, v, groupDigits);
  const gt = groupTable(s, v, groupDigits);
  return [
    style.bold(`Simulation ${s.year}: ${s.currency} ${groupDigits(s.budget.toFixed(s.unit.decimalPlaces()))}, baseline and ${s.scenarios.length} scenario${s.scenarios.length === 1 ? '' : 's'}`),
    '',
    ...header(s),
    '',
    textTable(scenarioColumns, scenarioRows(s), { style: style.bold }),
    textTable(ind.columns, ind.rows, { style: style.bold, rule: [1] }),
    ...(gt ? [textTable(gt.columns, gt.rows, { style: style.bold })] : []),
    ...(st ? [textTable(st.columns, st.rows, { style: style.bold })] : s.sweep ? ['Amounts per State at each point of the sweep: --format json or --format csv --table states.', ''] : []),
    ...footer(s),
    '',
    'Inputs (SHA-256):',
    ...s.inputs.map((f) => `  ${f.sha256}  ${f.name}`),
    '',
  ].join('\n');
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

function htmlTable(columns: TextColumn[], rows: string[][]): string {
  const th = columns.map((c) => `<th${c.align === 'right' ? ' class="r"' : ''}>${esc(c.title)}</th>`).join('');
  const tr = rows.map((r) => `<tr>${r.map((x, i) => `<td${columns[i]?.align === 'right' ? ' class="r"' : ''}>${esc(x)}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${tr}\n</tbody></table>`;
}

/**
 * One chart per indicator: a line along the sweep (x: the first swept share), or bars for
 * named scenarios. Coordinates are whole pixels worked out in integers from the exact
 * values, so the SVG is the same bytes on every machine and no amount passes through
 * floating point.
 */
function chart(s: Simulation, cell: IndicatorCell): string {
  const W = 560;
  const H = 200;
  const L = 70;
  const B = 30;
  const T = 10;
  const pts = (s.sweep ? s.scenarios.filter((x) => x.kind === 'sweep') : [s.baseline, ...s.scenarios]).map((x) => ({ x, v: x.indicators ? cell.chart!(x.indicators) : null }));
  const vals = pts.filter((p) => p.v !== null) as { x: ScenarioResult; v: [bigint, bigint] }[];
  if (vals.length === 0) return '';
  // Values compared exactly as fractions; the axis runs from min to max (or 0 to max + 1).
  const less = (a: [bigint, bigint], b: [bigint, bigint]) => a[0] * b[1] < b[0] * a[1];
  let lo = vals[0]!.v;
  let hi = vals[0]!.v;
  for (const p of vals) {
    if (less(p.v, lo)) lo = p.v;
    if (less(hi, p.v)) hi = p.v;
  }
  // Bars start at zero (every indicator is at least zero), or their heights would mislead.
  if (!s.sweep) lo = [0n, 1n];
  if (!less(lo, hi)) hi = [hi[0] + hi[1], hi[1]];
  // y pixel of v: T + (H−T−B) × (hi − v) / (hi − lo), rounded down.
  const span: [bigint, bigint] = [hi[0] * lo[1] - lo[0] * hi[1], hi[1] * lo[1]];
  const ypx = (v: [bigint, bigint]) => {
    const num = (hi[0] * v[1] - v[0] * hi[1]) * span[1];
    const den = hi[1] * v[1] * span[0];
    return T + Number((BigInt(H - T - B) * num) / den);
  };
  const label = (v: [bigint, bigint]) => (COUNTS.has(cell.key) ? ratio(v[0], v[1], 0) : groupDigits(ratio(v[0], v[1], 2)));
  const title = CHART_TITLES[cell.key] ?? cell.title;
  const axis = `<line x1="${L}" y1="${H - B}" x2="${W - 10}" y2="${H - B}" class="ax"/><line x1="${L}" y1="${T}" x2="${L}" y2="${H - B}" class="ax"/><text x="${L - 4}" y="${T + 4}" class="yl">${esc(label(hi))}</text><text x="${L - 4}" y="${H - B}" class="yl">${esc(label(lo))}</text>`;
  let body: string;
  if (s.sweep) {
    const n = vals.length;
    const xpx = (k: number) => L + (n === 1 ? 0 : Math.floor(((W - 10 - L) * k) / (n - 1)));
    const axis0 = s.sweep.axes[0]!;
    const xs = (x: ScenarioResult) => x.shares.find((c) => c.category === axis0.category)?.share?.toFixed() ?? '';
    body = `<polyline class="line" points="${vals.map((p, k) => `${xpx(k)},${ypx(p.v)}`).join(' ')}"/>` + `<text x="${L}" y="${H - 8}" class="xl">${esc(`${axis0.category} ${xs(vals[0]!.x)} %`)}</text><text x="${W - 10}" y="${H - 8}" class="xl e">${esc(`${axis0.category} ${xs(vals[n - 1]!.x)} %`)}</text>`;
    if (s.sweep.axes.length > 1) body += `<text x="${(W + L) / 2}" y="${H - 8}" class="xl m">points in grid order</text>`;
    else {
      // The baseline's share on the axis, when the sweep passes it: where today's rule stands.
      const b = s.baseline.shares.find((c) => c.category === axis0.category)?.share;
      if (b && b.gte(axis0.from) && b.lte(axis0.to) && axis0.to.gt(axis0.from)) {
        const x = L + Number(b.minus(axis0.from).times(String(W - 10 - L)).div(axis0.to.minus(axis0.from)).toFixed(0, 1));
        body += `<line x1="${x}" y1="${T}" x2="${x}" y2="${H - B}" class="mark"/><text x="${x + 3}" y="${T + 10}" class="xl">baseline ${esc(b.toFixed())} %</text>`;
      }
    }
  } else {
    const n = vals.length;
    const bw = Math.max(4, Math.floor((W - 10 - L) / n) - 6);
    body = vals
      .map((p, k) => {
        const x = L + 4 + k * (bw + 6);
        const y = ypx(p.v);
        return `<rect x="${x}" y="${y}" width="${bw}" height="${Math.max(1, H - B - y)}" class="${p.x.kind === 'baseline' ? 'bar base' : 'bar'}"><title>${esc(`${p.x.id}: ${label(p.v)}`)}</title></rect><text x="${x + Math.floor(bw / 2)}" y="${H - 16}" class="xl m">${esc(p.x.id.length > 14 ? `${p.x.id.slice(0, 13)}…` : p.x.id)}</text>`;
      })
      .join('');
  }
  return `<figure><figcaption>${esc(title)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(title)}">${axis}${body}</svg></figure>`;
}

export function simulationHtml(s: Simulation, v: View): string {
  const ind = indicatorRows(s, (x, key) => (key === 'median' && x !== '' ? moneyText(x, s.unit.decimalPlaces(), 'plain') : x));
  const st = stateTable(s, v, (x) => x);
  const gt = groupTable(s, v, (x) => x);
  const charts = indicatorCells(s).filter((c) => c.chart).map((c) => chart(s, c)).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${esc(`Simulation ${s.year}`)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:1em 0;font-size:13px}
th,td{border:1px solid #ccc;padding:2px 6px}
td.r,th.r{text-align:right;font-variant-numeric:tabular-nums}
figure{display:inline-block;margin:0 1em 1em 0}
figcaption{font-size:13px;font-weight:600}
.ax{stroke:#555}
.mark{stroke:#b33;stroke-dasharray:4 3}
.line{fill:none;stroke:#1f5fa6;stroke-width:2}
.bar{fill:#7fa7d6}.bar.base{fill:#999}
.yl{font-size:11px;text-anchor:end}
.xl{font-size:11px}.xl.e{text-anchor:end}.xl.m{text-anchor:middle}
</style>
</head>
<body>
<h1>${esc(`Simulation ${s.year}: ${s.currency} ${groupDigits(s.budget.toFixed(s.unit.decimalPlaces()))}`)}</h1>
<ul>
${header(s).map((l) => `<li>${esc(l)}</li>`).join('\n')}
</ul>
<h2>Scenarios</h2>
${htmlTable(scenarioColumns, scenarioRows(s))}
<h2>Indicators</h2>
${charts}
${htmlTable(ind.columns, ind.rows)}
${gt ? `<h2>Groups</h2>\n${htmlTable(gt.columns, gt.rows)}` : ''}
${st ? `<h2>States</h2>\n${htmlTable(st.columns, st.rows)}` : ''}
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
export function simulationSummary(s: Simulation, written: string[]): string {
  const cells = indicatorCells(s);
  const get = (i: Indicators, key: string) => cells.find((c) => c.key === key)!.value(i);
  return [
    `Simulation ${s.year}: baseline ${s.baseline.policy.id} and ${s.scenarios.length} scenario${s.scenarios.length === 1 ? '' : 's'}.`,
    ...[s.baseline, ...s.scenarios.slice(0, 10)].map((x) => `  ${x.id.padEnd(24)} ${x.indicators ? `more ${get(x.indicators, 'more')}, less ${get(x.indicators, 'less')}, LDCs ${groupDigits(get(x.indicators, 'ldc_total'))}, top-5 ${get(x.indicators, 'top5_share_pct')} %, HHI ${get(x.indicators, 'hhi')}` : `not feasible: ${x.failure}`}`),
    ...(s.scenarios.length > 10 ? [`  … ${s.scenarios.length - 10} more`] : []),
    `Wrote ${written.join(', ')}`,
    '',
  ].join('\n');
}

