/**
 * Renderers of the apportionment report: one function per format, each a pure function
 * of the report. JSON is the report serialised (schema `finproc.apportionment/1`).
 */
import { unitsFormatter } from '../core/apportion.js';
import { describeRounding, unitDecimals } from '../core/policy.js';
import type { ApportionmentReport } from '../io/job.js';
import { toCsv, type CsvColumn, type CsvDialect } from './csv.js';
import { grouped, mdTable, mdText, plain, textTable, type Column } from './text.js';

export const APPORTIONMENT_SCHEMA = 'finproc.apportionment/1';

function invoiced(r: ApportionmentReport) {
  return r.apportionment.categories.filter((c) => c.invoiced);
}

function perLine(r: ApportionmentReport): boolean {
  return r.apportionment.policy.rounding.method !== 'largest-remainder';
}

function shareText(c: ApportionmentReport['apportionment']['categories'][number]): string {
  return c.share ? `${c.share.toFixed()} %` : c.basis === 'fixed' ? 'fixed amounts' : 'fixed amount';
}

export function apportionmentJson(r: ApportionmentReport): string {
  const a = r.apportionment;
  const fmtUnits = unitsFormatter(a.policy.rounding.unit);
  const dp = unitDecimals(a.policy);
  const m = (d: { toFixed(n: number): string }) => d.toFixed(dp);
  const doc = {
    schema: APPORTIONMENT_SCHEMA,
    year: a.year,
    currency: a.currency,
    total: m(a.budget),
    budget_source: r.budgetSource,
    assessed_total: m(a.assessedTotal),
    voluntary_total: m(a.voluntaryTotal),
    rounding_difference: m(a.roundingDifference),
    policy: {
      id: a.policy.id,
      title: a.policy.title,
      source: a.policy.source,
      file: r.policyFile,
      scale_column: a.scaleColumn,
      pro_rata: a.policy.proRata,
      rounding: { unit: a.policy.rounding.unit.toFixed(), method: a.policy.rounding.method, rule: describeRounding(a.policy) },
    },
    categories: a.categories.map((c) => ({
      id: c.id,
      name: c.name,
      basis: c.basis,
      share: c.share ? c.share.toFixed() : null,
      amount: m(c.amount),
      invoiced: c.invoiced,
      members: c.lines.length,
      bound_iterations: c.iterations,
      rounding_difference: m(c.roundingDifference),
    })),
    states: a.states.map((s) => ({
      iso3: s.iso3,
      name: s.name,
      ldc: s.ldc,
      months: s.months,
      rate: s.rate ? s.rate.toFixed() : null,
      rate_source: s.rateSource,
      total: fmtUnits(s.totalUnits),
    })),
    lines: jsonLines(r),
    inputs: r.inputs.map((f) => ({ file: f.name, sha256: f.sha256 })),
    notes: a.notes,
  };
  return prettyWithCompactRows(doc, ['states', 'lines', 'inputs']);
}

/**
 * JSON indented for reading, except that each element of the named arrays stays on one
 * line (strings in those arrays are taken as JSON already written): a 10,000-State report
 * is then a fifth of the size and still diffs line by line.
 */
export function prettyWithCompactRows(doc: Record<string, unknown>, compact: string[]): string {
  const placeholders = new Map<string, string>();
  const shallow: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc)) {
    if (compact.includes(k) && Array.isArray(v)) {
      const token = `\u0000${k}\u0000`;
      const rows = v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x)));
      placeholders.set(JSON.stringify(token), rows.length === 0 ? '[]' : `[\n${rows.map((x) => `    ${x}`).join(',\n')}\n  ]`);
      shallow[k] = token;
    } else shallow[k] = v;
  }
  let text = JSON.stringify(shallow, null, 2);
  for (const [token, rendered] of placeholders) text = text.replace(token, () => rendered);
  return text + '\n';
}

/**
 * Lines by State (ISO3), then category in policy order, one JSON object per row, amounts
 * straight from the units. Written by hand because it is the bulk of a large report: ISO3
 * codes, ids and amounts need no escaping (their formats are checked on input).
 */
function jsonLines(r: ApportionmentReport): string[] {
  const a = r.apportionment;
  const fmt = unitsFormatter(a.policy.rounding.unit);
  const byState = new Map<string, string[]>();
  for (const c of a.categories) {
    for (const l of c.lines) {
      let list = byState.get(l.iso3);
      if (!list) byState.set(l.iso3, (list = []));
      list.push(`{"iso3":"${l.iso3}","category":"${c.id}","amount":"${fmt(l.units)}"}`);
    }
  }
  return a.states.flatMap((s) => byState.get(s.iso3) ?? []);
}

function header(r: ApportionmentReport, md: boolean): string[] {
  const a = r.apportionment;
  const t = (s: string) => (md ? mdText(s) : s);
  return [
    `Policy:    ${t(a.policy.id)} (${t(r.policyFile)}): ${t(a.policy.title)}`,
    `Source:    ${t(a.policy.source.replace(/\s+/g, ' ').trim())}`,
    `Rounding:  ${t(describeRounding(a.policy))}`,
    `Scale:     ${a.scaleColumn}; pro-rata: ${a.policy.proRata}`,
    `Budget:    ${a.currency} ${(md ? plain : grouped)(a.budget, unitDecimals(a.policy))} (${r.budgetSource === 'books' ? 'budgets.csv' : '--budget'})`,
  ];
}

function categoryRows(r: ApportionmentReport): string[][] {
  const a = r.apportionment;
  const dp = unitDecimals(a.policy);
  return a.categories.map((c) => [c.id, c.name, c.basis, shareText(c), grouped(c.amount, dp), c.invoiced ? String(c.lines.length) : 'not invoiced']);
}
const categoryColumns: Column[] = [{ title: 'Category' }, { title: 'Name' }, { title: 'Basis' }, { title: 'Share', align: 'right' }, { title: 'Amount', align: 'right' }, { title: 'Members', align: 'right' }];

function stateColumns(r: ApportionmentReport): Column[] {
  return [{ title: 'ISO3' }, { title: 'State' }, { title: 'LDC' }, { title: 'Months', align: 'right' }, { title: 'Rate %', align: 'right' }, ...invoiced(r).map((c) => ({ title: c.id, align: 'right' as const })), { title: 'Total', align: 'right' }];
}

function stateRows(r: ApportionmentReport, fmt: (d: ApportionmentReport['apportionment']['budget']) => string): { rows: string[][]; totalsAt: number } {
  const a = r.apportionment;
  const cats = invoiced(r);
  const rows = a.states.map((s) => [
    s.iso3,
    s.name,
    s.ldc ? 'yes' : '',
    String(s.months),
    s.rate ? s.rate.toFixed() + (s.rateSource === 'notional' ? '*' : '') : '',
    ...cats.map((c) => (s.amounts.has(c.id) ? fmt(s.amounts.get(c.id)!) : '')),
    fmt(s.total),
  ]);
  const totalsAt = rows.length;
  if (perLine(r)) {
    rows.push(['', 'Sum of lines', '', '', '', ...cats.map((c) => fmt(c.amount.minus(c.roundingDifference))), fmt(a.assessedTotal)]);
    rows.push(['', 'Rounding difference', '', '', '', ...cats.map((c) => fmt(c.roundingDifference)), fmt(a.roundingDifference)]);
  }
  rows.push(['', 'Total', '', '', '', ...cats.map((c) => fmt(c.amount)), fmt(a.assessedTotal.plus(a.roundingDifference))]);
  return { rows, totalsAt };
}

function footer(r: ApportionmentReport): string[] {
  const a = r.apportionment;
  const out: string[] = [];
  if (a.states.some((s) => s.rateSource === 'notional')) out.push('* notional rate given by the policy (no UN rate).');
  if (a.voluntaryTotal.gt(0)) out.push(`Not invoiced (voluntary): ${a.currency} ${grouped(a.voluntaryTotal, unitDecimals(a.policy))}.`);
  out.push(...a.notes);
  return out;
}

export function apportionmentTable(r: ApportionmentReport, style: { bold: (s: string) => string } = { bold: (s) => s }): string {
  const a = r.apportionment;
  const dp = unitDecimals(a.policy);
  const { rows, totalsAt } = stateRows(r, (d) => grouped(d, dp));
  return [
    style.bold(`Apportionment ${a.year}: ${a.currency} ${grouped(a.budget, dp)} among ${a.states.length} States Parties`),
    '',
    ...header(r, false),
    '',
    textTable(categoryColumns, categoryRows(r), { style: style.bold }),
    textTable(stateColumns(r), rows, { style: style.bold, rule: [totalsAt] }),
    ...footer(r),
    ...(footer(r).length ? [''] : []),
    'Inputs (SHA-256):',
    ...r.inputs.map((f) => `  ${f.sha256}  ${f.name}`),
    '',
  ].join('\n');
}

export function apportionmentMarkdown(r: ApportionmentReport): string {
  const a = r.apportionment;
  const dp = unitDecimals(a.policy);
  const { rows } = stateRows(r, (d) => plain(d, dp));
  return [
    `# Apportionment ${a.year}: ${a.currency} ${plain(a.budget, dp)}`,
    '',
    ...header(r, true).map((l) => `- ${l.replace(/^(\w[\w-]*):\s+/, '**$1:** ')}`),
    '',
    '## Categories',
    '',
    mdTable(categoryColumns, categoryRows(r).map((row) => [row[0]!, row[1]!, row[2]!, row[3]!, plain(a.categories.find((c) => c.id === row[0])!.amount, dp), row[5]!])),
    '## States',
    '',
    mdTable(stateColumns(r), rows.map((row) => row.map((c, i) => (i === 1 && (c === 'Total' || c === 'Rounding difference' || c === 'Sum of lines') && row[0] === '' ? `**${c}**` : c)))),
    ...footer(r).map((l) => `${mdText(l)}\n`),
    '## Inputs',
    '',
    mdTable([{ title: 'File' }, { title: 'SHA-256' }], r.inputs.map((f) => [f.name, `\`${f.sha256}\``])),
  ].join('\n');
}

export function apportionmentCsv(r: ApportionmentReport, dialect: CsvDialect): string {
  const a = r.apportionment;
  const dp = unitDecimals(a.policy);
  const cats = invoiced(r);
  const columns: CsvColumn[] = [
    { title: 'iso3', kind: 'text' },
    { title: 'name', kind: 'text' },
    { title: 'ldc', kind: 'text' },
    { title: 'months', kind: 'number' },
    { title: 'rate_pct', kind: 'number' },
    { title: 'rate_source', kind: 'text' },
    ...cats.map((c) => ({ title: c.id, kind: 'number' as const })),
    { title: 'total', kind: 'number' },
  ];
  const rows = a.states.map((s) => [s.iso3, s.name, s.ldc ? 'yes' : 'no', String(s.months), s.rate ? s.rate.toFixed() : '', s.rateSource ?? '', ...cats.map((c) => (s.amounts.has(c.id) ? plain(s.amounts.get(c.id)!, dp) : '')), plain(s.total, dp)]);
  if (perLine(r)) rows.push(['', 'Rounding difference', '', '', '', '', ...cats.map((c) => plain(c.roundingDifference, dp)), plain(a.roundingDifference, dp)]);
  rows.push(['', 'Total', '', '', '', '', ...cats.map((c) => plain(c.amount, dp)), plain(a.assessedTotal.plus(a.roundingDifference), dp)]);
  return toCsv(columns, rows, dialect);
}

/** A few lines for the terminal when the full reports went to files. */
export function apportionmentSummary(r: ApportionmentReport, written: string[]): string {
  const a = r.apportionment;
  const dp = unitDecimals(a.policy);
  const top = [...a.states].sort((x, y) => y.total.comparedTo(x.total) || (x.iso3 < y.iso3 ? -1 : 1)).slice(0, 5);
  const min = [...a.states].sort((x, y) => x.total.comparedTo(y.total) || (x.iso3 < y.iso3 ? -1 : 1))[0];
  return [
    `Apportionment ${a.year}: ${a.currency} ${grouped(a.budget, dp)} among ${a.states.length} States Parties (policy ${a.policy.id}).`,
    ...a.categories.map((c) => `  ${c.id.padEnd(10)} ${shareText(c).padStart(14)}  ${grouped(c.amount, dp).padStart(14)}  ${c.invoiced ? `${c.lines.length} members` : 'not invoiced'}`),
    `  Largest:  ${top.map((s) => `${s.iso3} ${grouped(s.total, dp)}`).join(', ')}`,
    ...(min ? [`  Smallest: ${min.iso3} ${grouped(min.total, dp)}`] : []),
    `  Check:    lines sum to ${grouped(a.assessedTotal, dp)}${a.voluntaryTotal.gt(0) ? ` + voluntary ${grouped(a.voluntaryTotal, dp)}` : ''}${a.roundingDifference.isZero() ? '' : ` + rounding difference ${grouped(a.roundingDifference, dp)}`} = ${grouped(a.budget, dp)}`,
    `Wrote ${written.join(', ')}`,
    '',
  ].join('\n');
}
