/**
 * The proposal of a bank import (docs/bank.md): every transaction, what it matched and how,
 * and what --apply does with it. Table for people, CSV and JSON for machines.
 */
import type { Proposal, ProposalLine } from '../core/bank.js';
import { centsToString } from '../core/ledger.js';
import { toCsv, type CsvColumn, type CsvDialect } from './csv.js';
import { groupDigits, textTable, type Column } from './text.js';

export interface BankSummary {
  apply: boolean;
  written: string[];
}

const FATE_TEXT: Record<ProposalLine['fate'], string> = {
  book: 'book',
  review: 'review',
  skip: 'skip',
  debit: 'debit',
  ignore: 'ignore',
  reversed: 'reversed',
  await: 'await',
};

function sent(l: ProposalLine): string {
  return l.currency === 'CHF' ? '' : `${l.amount} ${l.currency}${l.rate ? ` @ ${l.rate}` : ''}`;
}

function signedChf(l: ProposalLine): string {
  return `${l.direction === 'DBIT' ? '-' : ''}${centsToString(l.chf)}`;
}

function short(s: string, n: number): string {
  return [...s].length > n ? `${[...s].slice(0, n - 1).join('')}…` : s;
}

export function counts(p: Proposal): Record<ProposalLine['fate'], number> {
  const c = { book: 0, review: 0, skip: 0, debit: 0, ignore: 0, reversed: 0, await: 0 };
  for (const l of p.lines) c[l.fate]++;
  return c;
}

export function bankHeadline(p: Proposal, s: BankSummary): string {
  const c = counts(p);
  const booked = p.lines.filter((l) => l.fate === 'book').reduce((a, l) => a + l.chf, 0n);
  const parts = [`${c.book} to book (CHF ${groupDigits(centsToString(booked))})`, `${c.review} to review`, `${c.skip} skipped`, `${c.debit} debits ignored`];
  if (c.reversed) parts.push(`${c.reversed} reversed (a credit and its reversal)`);
  if (c.await) parts.push(`${c.await} batches awaiting their breakdown`);
  if (c.ignore) parts.push(`${c.ignore} not booked (pending, debit reversals, other currency)`);
  const what = s.apply
    ? s.written.length
      ? `Wrote ${s.written.join(', ')}.`
      : 'Nothing to write.'
    : c.book + c.review + c.await > 0
      ? 'Nothing written: run again with --apply to book the payments and write bank-review.csv.'
      : 'Nothing to write.';
  return `${parts.join(', ')}. ${what}\n`;
}

export function bankTable(p: Proposal, s: BankSummary, style?: { bold: (x: string) => string }): string {
  const columns: Column[] = [{ title: 'File' }, { title: 'Entry' }, { title: 'Date' }, { title: 'CHF', align: 'right' }, { title: 'Sent' }, { title: 'Payer' }, { title: 'Reference' }, { title: 'State' }, { title: 'Invoice' }, { title: 'How' }, { title: 'Conf.', align: 'right' }, { title: 'Action' }, { title: 'Why' }];
  const rows = p.lines.map((l) => [
    short(l.statement, 28),
    l.tx ? `${l.entry}.${l.tx}` : String(l.entry),
    l.received,
    groupDigits(signedChf(l)),
    sent(l),
    short(l.debtor, 24),
    short(l.reference || l.text, 28),
    l.match?.iso3 ?? '',
    l.match?.invoice ?? '',
    l.match && l.match.how !== 'none' ? l.match.how : '',
    l.match ? String(l.match.confidence) : '',
    FATE_TEXT[l.fate] + (l.paymentId ? ` ${l.paymentId}` : ''),
    short([l.reason, ...(l.match?.notes ?? [])].filter((x) => x).join('; '), 90),
  ]);
  const notes = p.notes.map((n) => `${n.severity === 'warning' ? 'warning' : 'note'}: ${n.statement}: ${n.message}`);
  return [textTable(columns, rows, style ? { style: style.bold } : {}), ...(notes.length ? ['', ...notes, ''] : ['']), bankHeadline(p, s)].join('\n');
}

export function bankCsv(p: Proposal, dialect: CsvDialect): string {
  const columns: CsvColumn[] = [
    ...['file', 'sha256', 'format', 'entry', 'tx', 'key', 'bank_ref', 'received', 'direction'].map((t) => ({ title: t, kind: t === 'entry' || t === 'tx' ? ('number' as const) : ('text' as const) })),
    { title: 'chf', kind: 'number' },
    { title: 'amount', kind: 'number' },
    ...['currency', 'fx_rate', 'debtor', 'reference', 'text', 'iso3', 'invoice', 'how'].map((t) => ({ title: t, kind: 'text' as const })),
    { title: 'confidence', kind: 'number' },
    ...['action', 'payment_id', 'reason'].map((t) => ({ title: t, kind: 'text' as const })),
  ];
  const rows = p.lines.map((l) => [l.statement, l.sha256, l.format, String(l.entry), String(l.tx), l.key, l.bankRef, l.received, l.direction + (l.reversal ? ' reversal' : ''), signedChf(l), l.amount, l.currency, l.rate, l.debtor, l.reference, l.text, l.match?.iso3 ?? '', l.match?.invoice ?? '', l.match && l.match.how !== 'none' ? l.match.how : '', l.match ? String(l.match.confidence) : '', l.fate, l.paymentId ?? '', [l.reason, ...(l.match?.notes ?? [])].filter((x) => x).join('; ')]);
  return toCsv(columns, rows, dialect);
}

/** JSON, one line per transaction (a file of 100,000 entries stays a readable size). */
export function bankJson(p: Proposal, s: BankSummary): string {
  return [...bankJsonParts(p, s)].join('');
}

/**
 * The text of `bankJson` in pieces of a few thousand lines, made as they are asked for: printed
 * piece by piece, a proposal of 100,000 transactions (80 MB of JSON) is never one string.
 */
export function* bankJsonParts(p: Proposal, s: BankSummary): Generator<string> {
  const head = JSON.stringify({ schema: 'finproc.bank-import/1', applied: s.apply, written: s.written, counts: counts(p), notes: p.notes }, null, 2);
  // The same text as JSON.stringify of the object below, written field by field (a hundred
  // thousand lines: the file name, hash and format, the same on every line, are quoted once).
  const q = JSON.stringify;
  const same = new Map<string, string>();
  const once = (x: string) => same.get(x) ?? (same.set(x, q(x)), same.get(x)!);
  const plain = (l: ProposalLine) =>
    [l.statement, l.sha256, l.format, l.key, l.bankRef, l.received, l.direction, l.amount, l.currency, l.rate, l.debtor, l.endToEndId, l.reference, l.text, l.fate, l.reason].every((x) => typeof x === 'string') &&
    Number.isFinite(l.entry) &&
    Number.isFinite(l.tx) &&
    typeof l.reversal === 'boolean' &&
    (l.match === undefined || (typeof l.match.how === 'string' && Number.isFinite(l.match.confidence) && Array.isArray(l.match.notes) && l.match.notes.every((n) => typeof n === 'string')));
  const fast = (l: ProposalLine) => {
    const m = l.match;
    const match = m ? `{"iso3":${m.iso3 === undefined ? 'null' : q(m.iso3)},"invoice":${m.invoice === undefined ? 'null' : q(m.invoice)},"how":${q(m.how)},"confidence":${q(m.confidence)},"notes":${q(m.notes)}}` : 'null';
    // One flat string per line (a template literal would keep a rope of 40 pieces per line).
    return [
      '{"file":', once(l.statement), ',"sha256":', once(l.sha256), ',"format":', once(l.format), ',"entry":', q(l.entry), ',"tx":', q(l.tx), ',"key":', q(l.key),
      ',"bank_ref":', q(l.bankRef), ',"received":', q(l.received), ',"direction":', q(l.direction), ',"reversal":', String(l.reversal), ',"chf":', q(centsToString(l.chf)),
      ',"amount":', q(l.amount), ',"currency":', q(l.currency), ',"fx_rate":', l.rate ? q(l.rate) : 'null', ',"debtor":', q(l.debtor), ',"end_to_end_id":', l.endToEndId ? q(l.endToEndId) : 'null',
      ',"reference":', q(l.reference), ',"text":', q(l.text), ',"match":', match, ',"action":', q(l.fate), ',"payment_id":', l.paymentId == null ? 'null' : q(l.paymentId),
      ',"purpose":', l.purpose == null ? 'null' : q(l.purpose), ',"reason":', q(l.reason), '}',
    ].join('');
  };
  const line = (l: ProposalLine) =>
    plain(l) ? fast(l) : JSON.stringify({
      file: l.statement,
      sha256: l.sha256,
      format: l.format,
      entry: l.entry,
      tx: l.tx,
      key: l.key,
      bank_ref: l.bankRef,
      received: l.received,
      direction: l.direction,
      reversal: l.reversal,
      chf: centsToString(l.chf),
      amount: l.amount,
      currency: l.currency,
      fx_rate: l.rate || null,
      debtor: l.debtor,
      end_to_end_id: l.endToEndId || null,
      reference: l.reference,
      text: l.text,
      match: l.match ? { iso3: l.match.iso3 ?? null, invoice: l.match.invoice ?? null, how: l.match.how, confidence: l.match.confidence, notes: l.match.notes } : null,
      action: l.fate,
      payment_id: l.paymentId ?? null,
      purpose: l.purpose ?? null,
      reason: l.reason,
    });
  yield `${head.slice(0, -2)},\n  "lines": [`;
  const PIECE = 2000;
  for (let a = 0; a < p.lines.length; a += PIECE) yield (a === 0 ? '\n    ' : ',\n    ') + p.lines.slice(a, a + PIECE).map(line).join(',\n    ');
  yield `${p.lines.length ? '\n  ' : ''}]\n}\n`;
}
