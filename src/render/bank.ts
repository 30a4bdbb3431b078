/**
 * The proposal of a bank import (docs/bank.md): every transaction, what it matched and how,
 * and what --apply does with it. Table for people, CSV and JSON for machines.
 */
import type { Proposal, ProposalLine } from '../core/bank.js';
import { centsToString } from '../core/ledger.js';
import { protectText, toCsv, type CsvColumn, type CsvDialect } from './csv.js';
import { groupDigits, textTableParts, type Column } from './text.js';

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
  // s.length counts UTF-16 units, never fewer than the characters: most text is short enough as it is.
  if (s.length <= n) return s;
  if (!/[\ud800-\udfff]/.test(s)) return `${s.slice(0, n - 1)}…`; // a unit a character
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
    : c.book + c.review + c.await + c.reversed > 0
      ? 'Nothing written: run again with --apply to book the payments and write bank-review.csv.'
      : 'Nothing to write.';
  return `${parts.join(', ')}. ${what}\n`;
}

export const TABLE_COLUMNS: Column[] = [{ title: 'File' }, { title: 'Entry' }, { title: 'Date' }, { title: 'CHF', align: 'right' }, { title: 'Sent' }, { title: 'Payer' }, { title: 'Reference' }, { title: 'State' }, { title: 'Invoice' }, { title: 'How' }, { title: 'Conf.', align: 'right' }, { title: 'Action' }, { title: 'Why' }];

/** The cells of a line in the table. */
export function tableRow(l: ProposalLine): string[] {
  return [
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
  ];
}

export function bankTable(p: Proposal, s: BankSummary, style?: { bold: (x: string) => string }): string {
  return [...bankTableParts(p, s, style)].join('');
}

/**
 * The text of `bankTable` in pieces, its rows made when they are asked for: the table of a
 * proposal of 200,000 transactions is never held whole (as cells it took 577 MB for 115,000).
 */
export function* bankTableParts(p: Proposal, s: BankSummary, style?: { bold: (x: string) => string }): Generator<string> {
  yield* textTableParts(TABLE_COLUMNS, p.lines.length, (i) => tableRow(p.lines[i]!), { ...(style ? { style: style.bold } : {}), piece: PIECE_CHARS });
  const notes = p.notes.map((n) => `${n.severity === 'warning' ? 'warning' : 'note'}: ${n.statement}: ${n.message}`);
  yield `\n${[...(notes.length ? ['', ...notes, ''] : ['']), bankHeadline(p, s)].join('\n')}`;
}

const CSV_COLUMNS: CsvColumn[] = [
  ...['file', 'sha256', 'format', 'entry', 'tx', 'key', 'bank_ref', 'received', 'direction'].map((t) => ({ title: t, kind: t === 'entry' || t === 'tx' ? ('number' as const) : ('text' as const) })),
  { title: 'chf', kind: 'number' },
  { title: 'amount', kind: 'number' },
  ...['currency', 'fx_rate', 'debtor', 'reference', 'text', 'iso3', 'invoice', 'how'].map((t) => ({ title: t, kind: 'text' as const })),
  { title: 'confidence', kind: 'number' },
  ...['action', 'payment_id', 'reason'].map((t) => ({ title: t, kind: 'text' as const })),
];

function csvRow(l: ProposalLine): string[] {
  return [l.statement, l.sha256, l.format, String(l.entry), String(l.tx), l.key, l.bankRef, l.received, l.direction + (l.reversal ? ' reversal' : ''), signedChf(l), l.amount, l.currency, l.rate, l.debtor, l.reference, l.text, l.match?.iso3 ?? '', l.match?.invoice ?? '', l.match && l.match.how !== 'none' ? l.match.how : '', l.match ? String(l.match.confidence) : '', l.fate, l.paymentId ?? '', [l.reason, ...(l.match?.notes ?? [])].filter((x) => x).join('; ')];
}

export function bankCsv(p: Proposal, dialect: CsvDialect): string {
  return [...bankCsvParts(p, dialect)].join('');
}

/**
 * The text of `bankCsv` (that of toCsv: csv-stringify with a formula guard on the text
 * columns), in pieces of a few hundred lines, written here: csv-stringify takes seconds on
 * 100,000 lines. A line with a cell that is not a string is left to toCsv.
 */
export function* bankCsvParts(p: Proposal, dialect: CsvDialect): Generator<string> {
  const excel = dialect === 'excel';
  const d = excel ? ';' : ',';
  const needs = excel ? /[;"\r\n]|^\s|\s$/ : /[,"\r\n]|^\s|\s$/;
  const text = CSV_COLUMNS.map((c) => c.kind === 'text');
  const cell = (v: string, i: number) => {
    if (text[i]) v = protectText(v);
    return v !== '' && needs.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
  };
  yield toCsv(CSV_COLUMNS, [], dialect);
  const n = p.lines.length;
  const lines: string[] = [];
  // Flat strings, joined once per piece (a tree of every cell would outlive the young
  // generation when the pieces are all kept, as bankCsv does).
  let size = 0;
  for (let i = 0; i < n; i++) {
    const r = csvRow(p.lines[i]!);
    let l: string;
    if (r.some((v) => typeof v !== 'string')) l = toCsvLine(r, dialect).slice(0, -2);
    else {
      for (let k = 0; k < r.length; k++) r[k] = cell(r[k]!, k);
      l = r.join(d);
    }
    lines.push(l);
    size += l.length + 2;
    if (size >= PIECE_CHARS || i === n - 1) {
      yield `${lines.join('\r\n')}\r\n`;
      lines.length = 0;
      size = 0;
    }
  }
}

/** One line of toCsv (its header and BOM taken off). */
function toCsvLine(r: string[], dialect: CsvDialect): string {
  const head = toCsv(CSV_COLUMNS, [], dialect);
  return toCsv(CSV_COLUMNS, [r], dialect).slice(head.length);
}

/** JSON, one line per transaction (a file of 100,000 entries stays a readable size). */
export function bankJson(p: Proposal, s: BankSummary): string {
  return [...bankJsonParts(p, s)].join('');
}

/**
 * A string JSON.stringify writes as it is, between quotes: no quote, backslash, control
 * character (U+0000 to U+001F) or surrogate (a lone one is escaped; a string with a pair
 * simply takes the slow way).
 */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** JSON.stringify of a string, without its cost for the usual string that needs no escape. */
function jsonString(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

/**
 * Characters in each piece of `bankJsonParts` and `bankCsvParts` (at least, a line more): a
 * piece is flattened when it is written, and a string above 128 kB goes to V8's space for large
 * objects, which only a full collection empties; pieces of 48 kB (96 kB as two bytes a
 * character) are collected young. This did not remove the rare runs of a 100,000-entry import
 * that peak above 300 MB (docs/bank.md, "Speed"): those come from when V8 collects.
 */
const PIECE_CHARS = 48 * 1024;

/** What one line of the JSON stands for (its text is JSON.stringify of this; the object itself is made only for lines with a string to escape or an odd value). */
function lineObject(l: ProposalLine) {
  return {
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
  };
}

/**
 * The text of `bankJson` in pieces of a few hundred lines, made as they are asked for: printed
 * piece by piece, a proposal of 100,000 transactions (80 MB of JSON) is never one string.
 */
export function* bankJsonParts(p: Proposal, s: BankSummary): Generator<string> {
  const head = JSON.stringify({ schema: 'finproc.bank-import/1', applied: s.apply, written: s.written, counts: counts(p), notes: p.notes }, null, 2);
  yield `${head.slice(0, -2)},\n  "lines": [`;
  const n = p.lines.length;
  const line = jsonLine();
  // One string per piece, built by concatenation (V8 keeps it as a tree of the pieces,
  // flattened once when it is written): no array of lines, no join.
  let t = '';
  for (let i = 0; i < n; i++) {
    t += (i === 0 ? '\n    ' : ',\n    ') + line(p.lines[i]!);
    if (t.length >= PIECE_CHARS || i === n - 1) {
      yield t;
      t = '';
    }
  }
  yield `${n ? '\n  ' : ''}]\n}\n`;
}

/**
 * The JSON of one line, the same text as JSON.stringify(lineObject(l)), written field by
 * field when every string of the line is one JSON writes as it is (then its quotes go with
 * the field names around it). The strings that differ from line to line are checked in one
 * test of their concatenation; those that repeat (the file, the date, the action, the
 * reason, …) only when they change, and the notes of a match are made once. A line with a
 * string to escape, or a value of an unexpected type (a number that is not finite, a field
 * missing), is given to JSON.stringify.
 */
function jsonLine(): (l: ProposalLine) => string {
  let odd = false;
  /** The string, or '' and the line is odd. */
  const s = (x: unknown): string => (typeof x === 'string' ? x : ((odd = true), ''));
  /** The same, undefined and null allowed. */
  const o = (x: unknown): string => (typeof x === 'string' ? x : x == null ? '' : ((odd = true), ''));
  /** A check of a value that mostly repeats the one before. */
  const repeated = () => {
    let last: unknown = repeated;
    let ok = false;
    return (x: unknown) => (x === last ? ok : ((last = x), (ok = x == null || (typeof x === 'string' && !NEEDS_ESCAPE.test(x)))));
  };
  const [received, direction, currency, fate, reason, purpose, how] = [repeated(), repeated(), repeated(), repeated(), repeated(), repeated(), repeated()];
  let start: [unknown, unknown, unknown, string | undefined] = [undefined, undefined, undefined, undefined];
  const notesJson = new Map<string, string>();
  const notes = (ns: string[]): string | undefined => {
    if (!Array.isArray(ns)) return undefined;
    if (ns.length === 1 && typeof ns[0] === 'string') {
      const one = notesJson.get(ns[0]);
      if (one !== undefined) return one;
    }
    let t = '[';
    for (let i = 0; i < ns.length; i++) {
      const x = ns[i];
      if (typeof x !== 'string') return undefined;
      t += (i ? ',' : '') + jsonString(x);
    }
    t += ']';
    if (ns.length === 1 && notesJson.size < 10000) notesJson.set(ns[0]!, t);
    return t;
  };
  return (l) => {
    const m = l.match;
    if (start[0] !== l.statement || start[1] !== l.sha256 || start[2] !== l.format) {
      const plain = [l.statement, l.sha256, l.format].every((x) => typeof x === 'string' && !NEEDS_ESCAPE.test(x));
      start = [l.statement, l.sha256, l.format, plain ? `{"file":"${l.statement}","sha256":"${l.sha256}","format":"${l.format}","entry":` : undefined];
    }
    odd = false;
    const varying = s(l.key) + s(l.bankRef) + s(l.amount) + o(l.rate) + s(l.debtor) + o(l.endToEndId) + s(l.reference) + s(l.text) + o(l.paymentId) + (m ? o(m.iso3) + o(m.invoice) : '');
    const ns = m ? notes(m.notes) : '';
    if (
      odd || ns === undefined || start[3] === undefined || NEEDS_ESCAPE.test(varying) ||
      !(received(l.received) && typeof l.received === 'string' && direction(l.direction) && typeof l.direction === 'string' && currency(l.currency) && typeof l.currency === 'string' && fate(l.fate) && typeof l.fate === 'string' && reason(l.reason) && typeof l.reason === 'string' && purpose(l.purpose)) ||
      !Number.isFinite(l.entry) || !Number.isFinite(l.tx) || typeof l.reversal !== 'boolean' ||
      (m !== undefined && !(how(m.how) && typeof m.how === 'string' && Number.isFinite(m.confidence)))
    )
      return JSON.stringify(lineObject(l));
    return (
      start[3] + String(l.entry) + ',"tx":' + String(l.tx) + ',"key":"' + l.key + '","bank_ref":"' + l.bankRef + '","received":"' + l.received + '","direction":"' + l.direction +
      (l.reversal ? '","reversal":true,"chf":"' : '","reversal":false,"chf":"') + centsToString(l.chf) + '","amount":"' + l.amount + '","currency":"' + l.currency +
      (l.rate ? '","fx_rate":"' + l.rate + '","debtor":"' : '","fx_rate":null,"debtor":"') + l.debtor +
      (l.endToEndId ? '","end_to_end_id":"' + l.endToEndId + '","reference":"' : '","end_to_end_id":null,"reference":"') + l.reference + '","text":"' + l.text +
      (m ? '","match":{"iso3":' + (m.iso3 == null ? 'null' : '"' + m.iso3 + '"') + ',"invoice":' + (m.invoice == null ? 'null' : '"' + m.invoice + '"') + ',"how":"' + m.how + '","confidence":' + String(m.confidence) + ',"notes":' + ns + '},"action":"' : '","match":null,"action":"') +
      l.fate + (l.paymentId == null ? '","payment_id":null' : '","payment_id":"' + l.paymentId + '"') + (l.purpose == null ? ',"purpose":null,"reason":"' : ',"purpose":"' + l.purpose + '","reason":"') + l.reason + '"}'
    );
  };
}
