/**
 * Article 14 meeting-cost shares: table, Markdown, CSV and JSON (`finproc.meeting-costs/1`).
 */
import { fractionToFixed } from '../core/decimal.js';
import type { MeetingShares } from '../core/meeting.js';
import { describeRounding, unitDecimals } from '../core/policy.js';
import type { InputFile } from '../io/books.js';
import { toCsv, type CsvColumn, type CsvDialect } from './csv.js';
import { grouped, mdTable, mdText, plain, textTable, type Column } from './text.js';

export const MEETING_SCHEMA = 'finproc.meeting-costs/1';

function pct(m: MeetingShares['rows'][number]): string {
  return m.adjustedRate ? fractionToFixed(m.adjustedRate.mul(100), 6) : '';
}

export function meetingJson(s: MeetingShares, inputs: InputFile[], policyFile: string): string {
  const dp = unitDecimals(s.policy);
  const parties = s.rows.filter((r) => r.party);
  const sum = (rows: typeof s.rows, k: 'estimate' | 'final') => rows.reduce((a, r) => a.plus(r[k] ?? 0), s.estimate.minus(s.estimate));
  return (
    JSON.stringify(
      {
        schema: MEETING_SCHEMA,
        meeting: s.meeting,
        year: s.year,
        currency: s.currency,
        estimate: plain(s.estimate, dp),
        final: s.final ? plain(s.final, dp) : null,
        policy: { id: s.policy.id, file: policyFile, scale_column: s.scaleColumn, rounding: describeRounding(s.policy) },
        participants: s.rows.length,
        states_parties: parties.length,
        not_party: s.rows.length - parties.length,
        paid_by_states_parties: { estimate: plain(sum(parties, 'estimate'), dp), ...(s.final ? { final: plain(sum(parties, 'final'), dp) } : {}) },
        paid_by_states_not_party: { estimate: plain(sum(s.rows.filter((r) => !r.party), 'estimate'), dp), ...(s.final ? { final: plain(sum(s.rows.filter((r) => !r.party), 'final'), dp) } : {}) },
        shares: s.rows.map((r) => ({
          iso3: r.iso3,
          name: r.name,
          status: r.party ? 'party' : 'not party',
          ldc: r.ldc,
          rate_pct: r.rate ? r.rate.toFixed() : null,
          rate_source: r.rateSource,
          adjusted_rate_pct: pct(r) || null,
          estimate: plain(r.estimate, dp),
          ...(r.final ? { final: plain(r.final, dp), difference: plain(r.difference!, dp) } : {}),
        })),
        inputs: inputs.map((f) => ({ file: f.name, sha256: f.sha256 })),
      },
      null,
      2,
    ) + '\n'
  );
}

function columns(s: MeetingShares): Column[] {
  return [
    { title: 'ISO3' },
    { title: 'State' },
    { title: 'Status' },
    { title: 'UN rate %', align: 'right' },
    { title: 'Adjusted %', align: 'right' },
    { title: `Estimate ${s.currency}`, align: 'right' },
    ...(s.final ? [{ title: `Final ${s.currency}`, align: 'right' as const }, { title: 'Difference', align: 'right' as const }, { title: '' }] : []),
  ];
}

function rows(s: MeetingShares, fmt: (d: import('../core/decimal.js').Decimal) => string): string[][] {
  const out = s.rows.map((r) => [
    r.iso3,
    r.name,
    r.party ? 'party' : 'not party',
    r.rate ? `${r.rate.toFixed()}${r.rateSource === 'notional' ? '*' : ''}` : '',
    pct(r),
    fmt(r.estimate),
    ...(r.final ? [fmt(r.final), fmt(r.difference!), r.difference!.isZero() ? '' : r.difference!.gt(0) ? 'further charge' : 'credit'] : []),
  ]);
  out.push(['', 'Total', '', '', '100.000000', fmt(s.estimate), ...(s.final ? [fmt(s.final), fmt(s.final.minus(s.estimate)), ''] : [])]);
  return out;
}

function head(s: MeetingShares): string {
  const parties = s.rows.filter((r) => r.party).length;
  return `Meeting ${s.meeting} (${s.year}): ${s.currency} ${grouped(s.estimate, unitDecimals(s.policy))} estimated${s.final ? `, ${grouped(s.final, unitDecimals(s.policy))} final` : ''}, shared among ${s.rows.length} participants (${parties} States Parties, ${s.rows.length - parties} not party) by the UN scale (${s.scaleColumn}) adjusted to them; policy ${s.policy.id}; ${describeRounding(s.policy)}.`;
}

export function meetingTable(s: MeetingShares, inputs: InputFile[], style: { bold: (x: string) => string } = { bold: (x) => x }): string {
  const dp = unitDecimals(s.policy);
  const r = rows(s, (d) => grouped(d, dp));
  return [
    style.bold(head(s)),
    '',
    textTable(columns(s), r, { style: style.bold, rule: [r.length - 1] }),
    ...(s.rows.some((x) => x.rateSource === 'notional') ? ['* notional rate given by the policy (no UN rate).', ''] : []),
    'Inputs (SHA-256):',
    ...inputs.map((f) => `  ${f.sha256}  ${f.name}`),
    '',
  ].join('\n');
}

export function meetingMarkdown(s: MeetingShares, inputs: InputFile[]): string {
  const dp = unitDecimals(s.policy);
  return [`# Meeting costs: ${mdText(s.meeting)}`, '', mdText(head(s)), '', mdTable(columns(s), rows(s, (d) => plain(d, dp))), '## Inputs', '', mdTable([{ title: 'File' }, { title: 'SHA-256' }], inputs.map((f) => [f.name, `\`${f.sha256}\``]))].join('\n');
}

export function meetingCsv(s: MeetingShares, dialect: CsvDialect): string {
  const dp = unitDecimals(s.policy);
  const cols: CsvColumn[] = [
    ...['iso3', 'name', 'status'].map((t) => ({ title: t, kind: 'text' as const })),
    ...['rate_pct', 'adjusted_rate_pct', 'estimate'].map((t) => ({ title: t, kind: 'number' as const })),
    ...(s.final ? ['final', 'difference'].map((t) => ({ title: t, kind: 'number' as const })) : []),
  ];
  return toCsv(cols, s.rows.map((r) => [r.iso3, r.name, r.party ? 'party' : 'not party', r.rate?.toFixed() ?? '', pct(r), plain(r.estimate, dp), ...(r.final ? [plain(r.final, dp), plain(r.difference!, dp)] : [])]), dialect);
}
