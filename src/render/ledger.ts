/**
 * Renderers for the ledger reports: arrears (`finproc.arrears/1`), statements
 * (`finproc.statement/1`) and pledges (`finproc.pledges/1`). Amounts are strings with two
 * decimals in JSON and CSV, grouped with Swiss apostrophes in tables.
 */
import { bucketLabels, FLAG_TEXT, FLAGS, permilleToPercent, type ArrearsReport, type StateArrears } from '../core/arrears.js';
import { centsToString, type Cents } from '../core/ledger.js';
import type { PledgeBook } from '../core/pledges.js';
import type { Statement } from '../core/statement.js';
import type { InputFile } from '../io/books.js';
import { toCsv, type CsvColumn, type CsvDialect } from './csv.js';
import { groupDigits, mdTable, mdText, textTable, type Column } from './text.js';

export const ARREARS_SCHEMA = 'finproc.arrears/1';
export const STATEMENT_SCHEMA = 'finproc.statement/1';
export const PLEDGES_SCHEMA = 'finproc.pledges/1';

export interface LedgerContext {
  names: Map<string, string>;
  inputs: InputFile[];
}
type Style = { bold: (s: string) => string };
const noStyle: Style = { bold: (s) => s };

const m = centsToString;
const g = (c: Cents) => groupDigits(centsToString(c));
const nameOf = (ctx: LedgerContext, iso3: string) => ctx.names.get(iso3) ?? iso3;

function json(o: unknown): string {
  return JSON.stringify(o, null, 2) + '\n';
}

// ---------------------------------------------------------------- arrears

export function arrearsJson(r: ArrearsReport, ctx: LedgerContext): string {
  const labels = bucketLabels(r.buckets);
  const age = (a: Cents[]) => Object.fromEntries(labels.map((l, i) => [l, m(a[i]!)]));
  return json({
    schema: ARREARS_SCHEMA,
    as_of: r.asOf,
    currency: 'CHF',
    buckets: labels,
    totals: { assessed: m(r.totals.assessed), adjusted: m(r.totals.adjusted), paid: m(r.totals.paid), refunded: m(r.totals.refunded), outstanding: m(r.totals.outstanding), arrears: m(r.totals.arrears), credit: m(r.totals.credit), balance: m(r.totals.balance), by_age: age(r.totals.byAge) },
    years: r.years.map((y) => ({ year: y.year, due: m(y.due), settled: m(y.settled), outstanding: m(y.outstanding), collection_rate_pct: y.ratePermille === null ? null : permilleToPercent(y.ratePermille) })),
    states: r.states.map((s) => ({
      iso3: s.iso3,
      name: nameOf(ctx, s.iso3),
      assessed: m(s.assessed),
      adjusted: m(s.adjusted),
      paid: m(s.paid),
      refunded: m(s.refunded),
      outstanding: m(s.outstanding),
      arrears: m(s.arrears),
      credit: m(s.credit),
      balance: m(s.balance),
      art19_threshold: m(s.twoYearsDue),
      oldest_unpaid_year: s.oldestUnpaidYear ?? null,
      last_payment: s.lastPayment ?? null,
      last_payment_bank_ref: s.lastPaymentBankRef ?? null,
      flags: s.flags,
      by_year: s.byYear.map((y) => ({ year: y.year, due: m(y.due), settled: m(y.settled), outstanding: m(y.outstanding) })),
      by_age: age(s.byAge),
    })),
    flags: Object.fromEntries(FLAGS.map((f) => [f, FLAG_TEXT[f]])),
    inputs: ctx.inputs.map((f) => ({ file: f.name, sha256: f.sha256 })),
  });
}

function arrearsRows(r: ArrearsReport, ctx: LedgerContext, fmt: (c: Cents) => string, only?: (s: StateArrears) => boolean): string[][] {
  return r.states
    .filter((s) => !only || only(s))
    .map((s) => [s.iso3, nameOf(ctx, s.iso3), fmt(s.outstanding), fmt(s.arrears), fmt(s.credit), fmt(s.balance), s.oldestUnpaidYear ? String(s.oldestUnpaidYear) : '', ...s.byAge.map(fmt), s.flags.join(' ')]);
}

function arrearsColumns(r: ArrearsReport): Column[] {
  return [
    { title: 'ISO3' },
    { title: 'State' },
    { title: 'Outstanding', align: 'right' },
    { title: 'of which arrears', align: 'right' },
    { title: 'Credit', align: 'right' },
    { title: 'Balance', align: 'right' },
    { title: 'Oldest', align: 'right' },
    ...bucketLabels(r.buckets).map((l) => ({ title: l, align: 'right' as const })),
    { title: 'Flags' },
  ];
}

const yearColumns: Column[] = [{ title: 'Year' }, { title: 'Due', align: 'right' }, { title: 'Settled', align: 'right' }, { title: 'Outstanding', align: 'right' }, { title: 'Collected', align: 'right' }];
function yearRows(r: ArrearsReport, fmt: (c: Cents) => string): string[][] {
  return r.years.map((y) => [String(y.year), fmt(y.due), fmt(y.settled), fmt(y.outstanding), y.ratePermille === null ? '—' : `${permilleToPercent(y.ratePermille)} %`]);
}

function arrearsHeadline(r: ArrearsReport): string {
  const inArrears = r.states.filter((s) => s.flags.includes('arrears')).length;
  const art19 = r.states.filter((s) => s.flags.includes('art19')).length;
  return `Arrears as of ${r.asOf}: CHF ${g(r.totals.outstanding)} outstanding, of which CHF ${g(r.totals.arrears)} from earlier years; ${inArrears} State${inArrears === 1 ? '' : 's'} in arrears, ${art19} at or above the Art. 19 threshold; credits CHF ${g(r.totals.credit)}.`;
}

function totalsRow(r: ArrearsReport, fmt: (c: Cents) => string): string[] {
  return ['', 'Total', fmt(r.totals.outstanding), fmt(r.totals.arrears), fmt(r.totals.credit), fmt(r.totals.balance), '', ...r.totals.byAge.map(fmt), ''];
}

const legend = () => FLAGS.map((f) => `  ${f.padEnd(15)} ${FLAG_TEXT[f]}`);

export function arrearsTable(r: ArrearsReport, ctx: LedgerContext, style: Style = noStyle): string {
  const rows = arrearsRows(r, ctx, g);
  return [
    style.bold(arrearsHeadline(r)),
    '',
    textTable(arrearsColumns(r), [...rows, totalsRow(r, g)], { style: style.bold, rule: [rows.length] }),
    'By assessment year (all States):',
    textTable(yearColumns, yearRows(r, g), { style: style.bold }),
    'Flags:',
    ...legend(),
    '',
    'Inputs (SHA-256):',
    ...ctx.inputs.map((f) => `  ${f.sha256}  ${f.name}`),
    '',
  ].join('\n');
}

export function arrearsMarkdown(r: ArrearsReport, ctx: LedgerContext): string {
  return [
    `# Arrears as of ${r.asOf}`,
    '',
    mdText(arrearsHeadline(r)),
    '',
    '## States',
    '',
    mdTable(arrearsColumns(r), [...arrearsRows(r, ctx, m), totalsRow(r, m).map((c, i) => (i === 1 ? '**Total**' : c))]),
    '## By assessment year',
    '',
    mdTable(yearColumns, yearRows(r, m)),
    '## Flags',
    '',
    ...FLAGS.map((f) => `- \`${f}\`: ${mdText(FLAG_TEXT[f])}`),
    '',
    '## Inputs',
    '',
    mdTable([{ title: 'File' }, { title: 'SHA-256' }], ctx.inputs.map((f) => [f.name, `\`${f.sha256}\``])),
  ].join('\n');
}

export function arrearsCsv(r: ArrearsReport, ctx: LedgerContext, dialect: CsvDialect): string {
  const years = r.years.map((y) => y.year);
  const labels = bucketLabels(r.buckets);
  const columns: CsvColumn[] = [
    ...['iso3', 'name'].map((t) => ({ title: t, kind: 'text' as const })),
    ...['assessed', 'adjusted', 'paid', 'refunded', 'outstanding', 'arrears', 'credit', 'balance', 'art19_threshold', 'oldest_unpaid_year'].map((t) => ({ title: t, kind: 'number' as const })),
    { title: 'last_payment', kind: 'text' },
    { title: 'last_payment_bank_ref', kind: 'text' },
    ...years.map((y) => ({ title: `outstanding_${y}`, kind: 'number' as const })),
    ...labels.map((l) => ({ title: `age ${l}`, kind: 'number' as const })),
    { title: 'flags', kind: 'text' },
  ];
  const rows = r.states.map((s) => {
    const by = new Map(s.byYear.map((y) => [y.year, y.outstanding]));
    return [s.iso3, nameOf(ctx, s.iso3), m(s.assessed), m(s.adjusted), m(s.paid), m(s.refunded), m(s.outstanding), m(s.arrears), m(s.credit), m(s.balance), m(s.twoYearsDue), s.oldestUnpaidYear ? String(s.oldestUnpaidYear) : '', s.lastPayment ?? '', s.lastPaymentBankRef ?? '', ...years.map((y) => (by.has(y) ? m(by.get(y)!) : '')), ...s.byAge.map(m), s.flags.join(' ')];
  });
  return toCsv(columns, rows, dialect);
}

/** A few lines for the terminal when the reports went to files. */
export function arrearsSummary(r: ArrearsReport, written: string[]): string {
  return `${arrearsHeadline(r)}\nWrote ${written.join(', ')}\n`;
}

// ---------------------------------------------------------------- statement

const KIND_TEXT: Record<string, string> = { assessment: 'assessed', payment: 'paid', allocation: '  applied', release: '  released', 'credit-note': 'credit note', 'write-off': 'write-off', reassessment: 'reassessed', refund: 'refund', 'refund-from': '  refunded from' };

export function statementJson(s: Statement, ctx: LedgerContext): string {
  const p = s.position;
  return json({
    schema: STATEMENT_SCHEMA,
    iso3: s.iso3,
    name: nameOf(ctx, s.iso3),
    currency: 'CHF',
    from: s.from,
    as_of: s.asOf,
    opening_balance: m(s.opening),
    rows: s.rows.map((r) => ({ date: r.date, kind: r.kind, ref: r.ref, text: r.text, debit: m(r.debit), credit: m(r.credit), balance: r.balance === null ? null : m(r.balance) })),
    closing_balance: m(s.closing),
    reconciliation: { opening: m(s.opening), assessed: m(s.totals.assessed), paid: m(s.totals.paid), adjustments: m(s.totals.adjustments), closing: m(s.closing) },
    position: p
      ? { outstanding: m(p.outstanding), arrears: m(p.arrears), credit: m(p.credit), flags: p.flags, by_year: p.byYear.map((y) => ({ year: y.year, due: m(y.due), settled: m(y.settled), outstanding: m(y.outstanding) })) }
      : null,
    inputs: ctx.inputs.map((f) => ({ file: f.name, sha256: f.sha256 })),
  });
}

function statementLines(s: Statement, fmt: (c: Cents) => string): string[][] {
  const rows: string[][] = [[s.from, 'opening balance', '', '', '', '', fmt(s.opening)]];
  for (const r of s.rows) rows.push([r.date, KIND_TEXT[r.kind] ?? r.kind, r.ref, r.text, r.debit ? fmt(r.debit) : '', r.credit ? fmt(r.credit) : '', r.balance === null ? '' : fmt(r.balance)]);
  rows.push([s.asOf, 'closing balance', '', '', '', '', fmt(s.closing)]);
  return rows;
}
const statementColumns: Column[] = [{ title: 'Date' }, { title: 'Movement' }, { title: 'Ref.' }, { title: 'Details' }, { title: 'Debit', align: 'right' }, { title: 'Credit', align: 'right' }, { title: 'Balance', align: 'right' }];

function reconciliation(s: Statement, fmt: (c: Cents) => string): string {
  const adj = s.totals.adjustments;
  return `opening ${fmt(s.opening)} + assessed ${fmt(s.totals.assessed)} − paid ${fmt(s.totals.paid)} ${adj < 0n ? '−' : '+'} adjustments ${fmt(adj < 0n ? -adj : adj)} = closing ${fmt(s.closing)}`;
}

function positionLines(s: Statement, fmt: (c: Cents) => string): string[] {
  const p = s.position;
  if (!p) return ['Nothing assessed or paid as of this date.'];
  const out = [`Outstanding CHF ${fmt(p.outstanding)} (arrears from years before ${s.asOf.slice(0, 4)}: CHF ${fmt(p.arrears)}); credit CHF ${fmt(p.credit)}.`];
  const open = p.byYear.filter((y) => y.outstanding > 0n);
  if (open.length) out.push(`Unpaid by year: ${open.map((y) => `${y.year} CHF ${fmt(y.outstanding)}`).join('; ')}.`);
  if (p.flags.length) out.push(`Flags: ${p.flags.join(', ')}.`);
  return out;
}

export function statementText(s: Statement, ctx: LedgerContext, style: Style = noStyle): string {
  return [
    style.bold(`Statement of account: ${nameOf(ctx, s.iso3)} (${s.iso3}), ${s.from} to ${s.asOf}, CHF`),
    '',
    textTable(statementColumns, statementLines(s, g), { style: style.bold }),
    `Reconciliation: ${reconciliation(s, g)}`,
    ...positionLines(s, g),
    '',
  ].join('\n');
}

export function statementMarkdown(s: Statement, ctx: LedgerContext): string {
  return [
    `# Statement of account: ${mdText(nameOf(ctx, s.iso3))} (${s.iso3})`,
    '',
    `From ${s.from} to ${s.asOf}, in CHF.`,
    '',
    mdTable(statementColumns, statementLines(s, m)),
    `**Reconciliation:** ${reconciliation(s, m)}`,
    '',
    ...positionLines(s, m).map((l) => `${mdText(l)}\n`),
  ].join('\n');
}

export function statementCsv(s: Statement, dialect: CsvDialect): string {
  const columns: CsvColumn[] = [
    { title: 'date', kind: 'text' },
    { title: 'kind', kind: 'text' },
    { title: 'ref', kind: 'text' },
    { title: 'details', kind: 'text' },
    { title: 'debit', kind: 'number' },
    { title: 'credit', kind: 'number' },
    { title: 'balance', kind: 'number' },
  ];
  const rows = [[s.from, 'opening', '', '', '', '', m(s.opening)], ...s.rows.map((r) => [r.date, r.kind, r.ref, r.text, m(r.debit), m(r.credit), r.balance === null ? '' : m(r.balance)]), [s.asOf, 'closing', '', '', '', '', m(s.closing)]];
  return toCsv(columns, rows, dialect);
}

// ---------------------------------------------------------------- pledges

export function pledgesJson(b: PledgeBook, year: number, asOf: string, ctx: LedgerContext): string {
  return json({
    schema: PLEDGES_SCHEMA,
    year,
    as_of: asOf,
    pledges: b.statuses.map((s) => ({
      pledge_id: s.pledge.id,
      iso3: s.pledge.iso3,
      name: nameOf(ctx, s.pledge.iso3),
      purpose: s.pledge.purpose,
      currency: s.pledge.currency,
      amount: s.pledge.amount.toFixed(2),
      paid: s.paid.toFixed(2),
      outstanding: s.outstanding.toFixed(2),
      outstanding_chf: s.outstandingChf === null ? null : s.outstandingChf.toFixed(2),
      rate: s.rate ? { date: s.rate.date, chf: s.rate.chf.toFixed() } : null,
      pledged: s.pledge.pledged,
      expected: s.pledge.expected,
      status: s.status,
      payments: s.payments.map((p) => ({ payment_id: p.id, received: p.received, counted: p.counted.toFixed(2) })),
    })),
    unpledged: b.unpledged.map((u) => ({ payment_id: u.payment.id, iso3: u.payment.iso3, purpose: u.payment.purpose, received: u.payment.received, chf: u.chf.toFixed(2) })),
    by_purpose: byPurpose(b).map((p) => ({ purpose: p.purpose, pledges: p.count, outstanding_chf: p.outstandingChf, unpledged_chf: p.unpledged, overdue: p.overdue })),
    inputs: ctx.inputs.map((f) => ({ file: f.name, sha256: f.sha256 })),
  });
}

function byPurpose(b: PledgeBook) {
  const purposes = ['isu', 'sponsorship', 'reserve', 'meeting'];
  return purposes.map((purpose) => {
    const ps = b.statuses.filter((s) => s.pledge.purpose === purpose);
    let out = 0n;
    let known = true;
    for (const s of ps) {
      if (s.outstandingChf === null) known = false;
      else out += BigInt(s.outstandingChf.toFixed(2).replace('.', ''));
    }
    let unp = 0n;
    for (const u of b.unpledged) if (u.payment.purpose === purpose) unp += BigInt(u.chf.toFixed(2).replace('.', ''));
    return { purpose, count: ps.length, outstandingChf: known ? m(out) : null, unpledged: m(unp), overdue: ps.filter((s) => s.overdue).length };
  });
}

const pledgeColumns: Column[] = [
  { title: 'Pledge' },
  { title: 'ISO3' },
  { title: 'Purpose' },
  { title: 'Cur.' },
  { title: 'Pledged', align: 'right' },
  { title: 'Paid', align: 'right' },
  { title: 'Outstanding', align: 'right' },
  { title: 'in CHF', align: 'right' },
  { title: 'Expected' },
  { title: 'Status' },
];
function pledgeRows(b: PledgeBook, fmt: (s: string) => string): string[][] {
  return b.statuses.map((s) => [s.pledge.id, s.pledge.iso3, s.pledge.purpose, s.pledge.currency, fmt(s.pledge.amount.toFixed(2)), fmt(s.paid.toFixed(2)), fmt(s.outstanding.toFixed(2)), s.outstandingChf === null ? 'no rate' : fmt(s.outstandingChf.toFixed(2)), s.pledge.expected, s.status]);
}

export function pledgesText(b: PledgeBook, year: number, asOf: string, md = false): string {
  const fmt = md ? (s: string) => s : groupDigits;
  const purposeRows = byPurpose(b).map((p) => [p.purpose, String(p.count), String(p.overdue), p.outstandingChf === null ? 'no rate' : fmt(p.outstandingChf), fmt(p.unpledged)]);
  const purposeCols: Column[] = [{ title: 'Purpose' }, { title: 'Pledges', align: 'right' }, { title: 'Overdue', align: 'right' }, { title: 'Outstanding CHF', align: 'right' }, { title: 'Received unpledged CHF', align: 'right' }];
  const t = md ? mdTable : textTable;
  return [
    md ? `# Pledges for ${year}, as of ${asOf}` : `Pledges for ${year}, as of ${asOf}`,
    '',
    t(pledgeColumns, pledgeRows(b, fmt)),
    md ? '## By purpose\n' : 'By purpose:',
    t(purposeCols, purposeRows),
  ].join('\n');
}

export function pledgesCsv(b: PledgeBook, dialect: CsvDialect): string {
  const cols: CsvColumn[] = [
    ...['pledge_id', 'iso3', 'purpose', 'currency'].map((t) => ({ title: t, kind: 'text' as const })),
    ...['amount', 'paid', 'outstanding', 'outstanding_chf'].map((t) => ({ title: t, kind: 'number' as const })),
    ...['pledged', 'expected', 'status'].map((t) => ({ title: t, kind: 'text' as const })),
  ];
  return toCsv(cols, b.statuses.map((s) => [s.pledge.id, s.pledge.iso3, s.pledge.purpose, s.pledge.currency, s.pledge.amount.toFixed(2), s.paid.toFixed(2), s.outstanding.toFixed(2), s.outstandingChf?.toFixed(2) ?? '', s.pledge.pledged, s.pledge.expected, s.status]), dialect);
}
