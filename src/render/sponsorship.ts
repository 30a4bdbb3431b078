/**
 * Renderers of the sponsorship programme report (`finproc.sponsorship/1`): table, CSV,
 * JSON, Markdown. Amounts are strings with two decimals; grouped in tables.
 */
import { centsToString, type Cents } from '../core/ledger.js';
import { averageCents, type SponsorshipReport } from '../core/sponsorship.js';
import type { InputFile } from '../io/books.js';
import { toCsv, type CsvColumn, type CsvDialect } from './csv.js';
import { formatAmount } from './number.js';
import { groupDigits, mdTable, mdText, textTable, type Column } from './text.js';

export const SPONSORSHIP_SCHEMA = 'finproc.sponsorship/1';

export interface SponsorshipContext {
  names: Map<string, string>;
  inputs: InputFile[];
  asOfNote?: string;
}

const m = centsToString;
const g = (c: Cents) => groupDigits(centsToString(c));
const REFERENCE = "Historic reference: CHF 52'800 a year on average in 2016–2019, about 17 delegates a year, from four donors.";

function summaryLines(r: SponsorshipReport, fmt: (c: Cents) => string): string[] {
  const out = [
    `Received for the programme in ${r.year} (to ${r.asOf}): CHF ${fmt(r.received)}; pledged and not yet paid: CHF ${fmt(r.pledgedOutstanding)}.`,
    r.delegates > 0 ? `Delegates sponsored in ${r.year}: ${r.delegates}, costing CHF ${fmt(r.cost)}; average CHF ${fmt(r.average!)} per delegate.` : `No delegate sponsored in ${r.year} up to ${r.asOf}.`,
    `Funds in hand on ${r.asOf} (all contributions received less all delegate costs in the books): CHF ${fmt(r.fundsInHand)}.`,
  ];
  if (r.basis && r.covered !== null)
    out.push(`For the next meeting they cover ${r.covered} delegate${r.covered === 1 ? '' : 's'} at the average cost of ${r.basis.years} (CHF ${fmt(r.basis.cost)} for ${r.basis.delegates}); ${r.coveredWithPledges} once the pledges outstanding are paid.`);
  else out.push('No delegate in the books: no average cost to count delegates with.');
  out.push(REFERENCE);
  return out;
}

const meetingColumns: Column[] = [{ title: 'Meeting' }, { title: 'Date' }, { title: 'Delegates', align: 'right' }, { title: 'Cost', align: 'right' }, { title: 'States' }];
const pledgeColumns: Column[] = [{ title: 'Pledge' }, { title: 'ISO3' }, { title: 'State' }, { title: 'Currency' }, { title: 'Amount', align: 'right' }, { title: 'Paid', align: 'right' }, { title: 'Outstanding CHF', align: 'right' }, { title: 'Expected' }, { title: 'Status' }];
const historyColumns: Column[] = [{ title: 'Year' }, { title: 'Received', align: 'right' }, { title: 'Delegates', align: 'right' }, { title: 'Cost', align: 'right' }];

function rows(r: SponsorshipReport, ctx: SponsorshipContext, fmt: (c: Cents) => string) {
  // Amounts already written out (a pledge in its own currency) take the same style as the rest.
  const text = (s: string) => (fmt === g ? formatAmount(s, 'swiss') : s);
  return {
    meetings: r.meetings.map((x) => [x.meeting, x.date, String(x.delegates), fmt(x.cost), x.states.join(' ')]),
    pledges: r.pledges.map((p) => [p.id, p.iso3, ctx.names.get(p.iso3) ?? p.iso3, p.currency, text(p.amount), text(p.paid), p.outstandingChf === null ? 'no rate' : fmt(p.outstandingChf), p.expected, p.status]),
    history: r.history.map((h) => [String(h.year), fmt(h.received), String(h.delegates), fmt(h.cost)]),
  };
}

export function sponsorshipTable(r: SponsorshipReport, ctx: SponsorshipContext, style?: { bold: (s: string) => string }): string {
  const t = rows(r, ctx, g);
  const out = [(style?.bold ?? ((s: string) => s))(`Sponsorship programme ${r.year}, as of ${r.asOf} (CHF)`) + (ctx.asOfNote ? ` — ${ctx.asOfNote}` : ''), '', ...summaryLines(r, g), ''];
  out.push(`Meetings in ${r.year}:`, t.meetings.length ? textTable(meetingColumns, t.meetings) : '(none)\n');
  out.push(`Pledges for ${r.year}:`, t.pledges.length ? textTable(pledgeColumns, t.pledges) : '(none)\n');
  out.push('By year (received, delegates, cost):', textTable(historyColumns, t.history));
  return out.join('\n');
}

export function sponsorshipMarkdown(r: SponsorshipReport, ctx: SponsorshipContext): string {
  const t = rows(r, ctx, m);
  const out = [`# Sponsorship programme ${r.year}, as of ${r.asOf} (CHF)`, '', ...summaryLines(r, m).map((l) => `- ${mdText(l)}`), ''];
  out.push(`## Meetings in ${r.year}`, '', t.meetings.length ? mdTable(meetingColumns, t.meetings) : '(none)\n');
  out.push(`## Pledges for ${r.year}`, '', t.pledges.length ? mdTable(pledgeColumns, t.pledges) : '(none)\n');
  out.push('## By year', '', mdTable(historyColumns, t.history));
  return out.join('\n');
}

export function sponsorshipCsv(r: SponsorshipReport, dialect: CsvDialect): string {
  const cols: CsvColumn[] = [{ title: 'year', kind: 'text' }, { title: 'received', kind: 'number' }, { title: 'delegates', kind: 'number' }, { title: 'cost', kind: 'number' }, { title: 'average_per_delegate', kind: 'number' }];
  return toCsv(cols, r.history.map((h) => [String(h.year), m(h.received), String(h.delegates), m(h.cost), h.delegates > 0 ? m(averageCents(h.cost, h.delegates)) : '']), dialect);
}


export function sponsorshipJson(r: SponsorshipReport, ctx: SponsorshipContext): string {
  return (
    JSON.stringify(
      {
        schema: SPONSORSHIP_SCHEMA,
        year: r.year,
        as_of: r.asOf,
        currency: 'CHF',
        received: m(r.received),
        pledged_outstanding: m(r.pledgedOutstanding),
        delegates: r.delegates,
        cost: m(r.cost),
        average_per_delegate: r.average === null ? null : m(r.average),
        funds_in_hand: m(r.fundsInHand),
        coverage: r.basis ? { delegates_covered: r.covered, delegates_covered_with_pledges: r.coveredWithPledges, average_of: r.basis.years, basis_delegates: r.basis.delegates, basis_cost: m(r.basis.cost) } : null,
        meetings: r.meetings.map((x) => ({ meeting: x.meeting, date: x.date, delegates: x.delegates, cost: m(x.cost), states: x.states })),
        pledges: r.pledges.map((p) => ({ pledge_id: p.id, iso3: p.iso3, currency: p.currency, amount: p.amount, paid: p.paid, outstanding_chf: p.outstandingChf === null ? null : m(p.outstandingChf), expected: p.expected, status: p.status })),
        payments: r.payments.map((p) => ({ payment_id: p.id, iso3: p.iso3, received: p.received, chf: m(p.chf), pledge: p.pledge || null })),
        history: r.history.map((h) => ({ year: h.year, received: m(h.received), delegates: h.delegates, cost: m(h.cost) })),
        reference: REFERENCE,
        inputs: ctx.inputs.map((i) => ({ file: i.name, sha256: i.sha256 })),
      },
      null,
      2,
    ) + '\n'
  );
}
