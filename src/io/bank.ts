/**
 * The books side of a bank import (docs/bank.md): what the books already hold (payments with
 * their bank provenance, bank-review.csv), the invoices and names to match against, and the
 * new content of payments.csv and bank-review.csv. Nothing is written here: the command
 * writes the files this module returns, atomically, in one place.
 */
import crypto, { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { entryOf, matchContext, paymentIdFor, reversalKey, rfOf, type InvoiceInfo, type Known, type MatchContext, type ProposalLine } from '../core/bank.js';
import { centsToString, eventsByState, replay, type Ledger } from '../core/ledger.js';
import { parseDate, parseIso3 } from '../core/parse.js';
import { problem, type Problem } from '../core/problem.js';
import { bankFileAt, mtAccount } from './bankfile.js';
import { CONTROL, type Books, type FileReader } from './books.js';
import { atCell, guard, readCsv, unguard, type CsvRow, type CsvTable } from './csv.js';
import { INVOICE_FILES, loadMissions } from './invoice.js';
import { BANK_COLUMNS, LEDGER_FILES, parseCents } from './ledger.js';

export const REVIEW_FILE = 'bank-review.csv';
export const REVIEW_COLUMNS = ['key', 'received', 'chf', 'amount', 'currency', 'fx_rate', 'debtor', 'reference', 'text', 'bank_file', 'bank_ref', 'bank_entry', 'bank_tx', 'statement', 'proposed_iso3', 'proposed_invoice', 'how', 'confidence', 'reason', 'check', 'iso3', 'invoice', 'purpose', 'decision'];
const PAYMENT_COLUMNS = ['payment_id', 'iso3', 'received', 'amount', 'currency', 'chf', 'purpose', 'earmark_year', 'earmark_category', 'earmark_invoice', 'pledge', 'reference', ...BANK_COLUMNS];
export const NOT_A_CONTRIBUTION = 'not a contribution';

/** SHA-256 of a text, in hex: node:crypto's one-call `hash` where the Node has it (20.12 on, three times faster for 100,000 short keys), else a Hash object. */
const oneCall = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;
export const sha256hex = oneCall ? (s: string) => oneCall('sha256', s, 'hex') : (s: string) => createHash('sha256').update(s).digest('hex');

/** The invoices of the books with what each still owes (all records, whatever their date), and the names of the States. */
export function bankContext(books: Books, reader: FileReader, ledger: Ledger, problems: Problem[]): MatchContext {
  const invoices = new Map<string, InvoiceInfo>();
  for (const [iso3, events] of eventsByState(ledger)) {
    const acc = replay(iso3, events);
    for (const l of acc.lines) {
      const inv = invoices.get(l.line.invoice) ?? { number: l.line.invoice, iso3, year: l.line.year, purpose: l.line.purpose, due: 0n, outstanding: 0n, rf: rfOf(l.line.invoice) };
      inv.due += l.due;
      inv.outstanding += l.due - l.settled;
      invoices.set(inv.number, inv);
    }
  }
  const names: { name: string; iso3: string }[] = [];
  for (const s of books.ref.states.values()) for (const n of [s.nameEn, s.nameFr, s.nameEs]) names.push({ name: n, iso3: s.iso3 });
  const mf = path.join(books.dir, INVOICE_FILES.missions);
  if (reader.exists(mf)) for (const m of loadMissions(reader, mf, books, problems)?.values() ?? []) names.push({ name: m.mission, iso3: m.iso3 });
  return matchContext([...invoices.values()], names);
}

export interface ReviewRow {
  values: Record<string, string>;
  line: number;
  row: CsvRow;
}

export interface BankBooks {
  known: Known;
  /** Every payment id of payments.csv. */
  ids: Set<string>;
  /** `bom`, `crlf`: the file as the officer's program saved it (Excel: a byte order mark and CRLF), kept when it is written again. */
  review: { table?: CsvTable; rows: ReviewRow[]; display: string; path: string; bom?: boolean; crlf?: boolean };
}

/**
 * A key of the books, and the same with its account as an MT940 now names it (`mtAccount`):
 * an MT940 imported before named it as its :25: wrote it (BIC/IBAN): the transactions it
 * booked are still known when the same file, or the camt.053 of that account, comes.
 */
function accountAliases(key: string, names: Map<string, string>): string[] {
  const bar = key.indexOf('|');
  if (bar < 0) return [key];
  const written = key.slice(0, bar);
  // (the accounts of the books are few: each read once)
  let account = names.get(written);
  if (account === undefined) names.set(written, (account = mtAccount(written)));
  return account === written ? [key] : [key, account + key.slice(bar)];
}

/** What payments.csv and bank-review.csv already hold. */
export function loadBankBooks(books: Books, reader: FileReader, problems: Problem[]): BankBooks {
  const known: Known = { payments: new Map(), amounts: new Map(), review: new Map(), entries: new Set(), dates: new Map() };
  const names = new Map<string, string>();
  const ids = new Set<string>();
  const pf = path.join(books.dir, LEDGER_FILES.payments);
  if (reader.exists(pf)) {
    const f = reader.read(pf, []);
    if (f) {
      let ki = -1;
      let ii = -1;
      let ci = -1;
      let ri = -1;
      readCsv(f.display, f.text, { required: [], pattern: /.*/ }, {
        onRow: (row, t) => {
          if (ii < 0) {
            ii = t.header.indexOf('payment_id');
            ki = t.header.indexOf('bank_key');
            ci = t.header.indexOf('chf');
            ri = t.header.indexOf('received');
          }
          const id = (row.values[ii] ?? '').trim();
          ids.add(id);
          const key = ki < 0 ? '' : (row.values[ki] ?? '').trim();
          if (key !== '') {
            // (a chf that is not an amount is the ledger's to report, not this one's)
            const chf = ci < 0 ? undefined : parseCents(row.values[ci] ?? '');
            for (const k of accountAliases(key, names)) {
              known.payments.set(k, id);
              known.entries.add(entryOf(k));
              if (chf?.ok) known.amounts!.set(k, chf.value);
              if (ri >= 0) known.dates!.set(k, (row.values[ri] ?? '').trim());
            }
          }
        },
      });
    }
  }
  const review = readReview(reader, path.join(books.dir, REVIEW_FILE), problems);
  known.reviewEntries = new Set();
  known.reviewAmounts = new Map();
  known.reviewDates = new Map();
  known.reversalOf = new Map();
  known.reviewReversals = new Set();
  for (const r of review.rows) {
    // (a pair an import recorded: its reversal's reason ends with the key of the credit it took back)
    const paired = /^the reversal of .* entry \d+(?: transaction \d+)? \(([^()]+)\)$/.exec(r.values.reason ?? '');
    if (paired && decisionOf(r.values) === 'dismiss') for (const k of [r.values.key!, reversalKey(r.values.key!)]) known.reversalOf.set(k, paired[1]!);
    const chf = parseCents(r.values.chf ?? '');
    // (a reversal's row written before reversals had their own identity, …|X|1: known as it
    // would be written now, …|X|reversal|1, and still under its old key, as an older finproc
    // read it: a credit of that key is skipped as it was)
    const reversal = reversalRow(r.values);
    for (const k of accountAliases(r.values.key!, names).flatMap((a) => (reversal && reversalKey(a) !== a ? [a, reversalKey(a)] : [a]))) {
      known.review.set(k, decisionOf(r.values) === 'dismiss' ? 'dismissed' : 'awaiting');
      if (reversal) known.reviewReversals.add(k);
      if (chf.ok) known.reviewAmounts.set(k, chf.value);
      // (a date Excel rewrote, 02.03.2026, is no other day: it is said by checkReview)
      if (parseDate(r.values.received ?? '').ok) known.reviewDates.set(k, (r.values.received ?? '').trim());
      if (!k.endsWith('|*') && !k.endsWith('|1')) known.reviewEntries.add(entryOf(k));
    }
  }
  return { known, ids, review };
}

/** dismiss: "not a contribution"; book: a State given; wait: nothing decided yet. */
export function decisionOf(v: Record<string, string>): 'dismiss' | 'book' | 'wait' | 'bad' {
  const d = (v.decision ?? '').trim().toLowerCase().replace(/[-_]/g, ' ');
  if (d === NOT_A_CONTRIBUTION) return 'dismiss';
  if (d === 'book' || (d === '' && (v.iso3 ?? '').trim() !== '')) return 'book';
  if (d === '') return 'wait';
  return 'bad';
}

/** A review row for an entry held whole: a batch (…|*), or an entry given alone without details (…|1, bank_tx 0). */
export const wholeRow = (v: Record<string, string>) => v.key!.endsWith('|*') || (v.key!.endsWith('|1') && (v.bank_tx ?? '').trim() === '0');

/** What Excel does to a CSV file it opens, said where a cell it may have rewritten is refused. */
const EXCEL = 'Excel rewrites the dates and numbers of a CSV file it opens: write the cell back as the import wrote it (2026-03-02, 1234.50); the columns left of iso3 are written by finproc bank import: do not edit them';
/** A number as Excel writes one of more than 11 digits: 2.1E+26 (2,1E+26 in a French locale). */
const SCIENTIFIC = /^[+-]?\d+(?:[.,]\d+)?E[+-]?\d+$/i;
/** An amount sent, and an exchange rate, as the bank file gives them (bankfile.ts). */
const DECIMAL = /^\d{1,18}(?:\.\d{1,5})?$/;
const RATE = /^\d{1,11}(?:\.\d{1,10})?$/;

/** A transaction's identity as the import writes it (core/bank.ts, entryKey and txKey): the account, the entry, and 1, *, #n or r:<reference>. */
const KEY = /^[^|]+\|.+\|(?:1|\*|#\d+|r:.+)$/s;

/** The columns of a review row that go to payments.csv as the import wrote them, which `check` seals. */
export const CHECKED_COLUMNS = ['key', 'received', 'chf', 'amount', 'currency', 'fx_rate', 'bank_file', 'bank_entry', 'bank_tx'] as const;

/** A number as a value, not as written: Excel saves 3000.00 as 3000 and 0.940 as 0.94 (anything else is kept as it is). */
function numberValue(s: string): string {
  const m = /^(\d+)(?:\.(\d*))?$/.exec(s);
  if (!m) return s;
  const whole = m[1]!.replace(/^0+(?=\d)/, '');
  const frac = (m[2] ?? '').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : whole;
}

/** An amount as a value, read as the other rules of a row read it (parseCents: 9'000.00, as Excel groups it, is 9000.00). */
function moneyValue(s: string): string {
  const c = parseCents(s);
  return numberValue(c.ok ? centsToString(c.value) : s);
}

/** A row of money taken back (a debit, the reversal of a credit not in its import), as its reason says. */
const reversalRow = (v: Readonly<Record<string, string | undefined>>) => (v.reason ?? '').startsWith('the reversal');

/** The identity of a row: its key, or for a reversal's row of an older file, keyed as the credit it repeats the reference of, the reversal's (reversalKey). */
export const rowIdentity = (v: Readonly<Record<string, string | undefined>>): string => (reversalRow(v) && v.key ? reversalKey(v.key) : (v.key ?? ''));

/**
 * The `check` of a review row: 16 hexadecimal digits of the SHA-256 of its CHECKED_COLUMNS,
 * the numbers by their value (so that Excel writing 3000.00 as 3000 is no edit), after a `c`
 * (so that no spreadsheet reads it as a number). A completed row whose check differs had one
 * of those columns edited, or was pasted from another row: it is refused, not booked.
 */
export function reviewCheck(v: Readonly<Record<string, string | undefined>>, debit = reversalRow(v)): string {
  const at = (c: string) => (v[c] ?? '').trim();
  // (and the direction, which no column holds: a reversal's row is told by its reason, which
  // the officer may change, and must not then be booked as a credit)
  const values = [at('key'), at('received'), moneyValue(at('chf')), moneyValue(at('amount')), at('currency'), numberValue(at('fx_rate')), at('bank_file').toLowerCase(), numberValue(at('bank_entry')), numberValue(at('bank_tx')), debit ? 'DBIT' : 'CRDT'];
  return `c${sha256hex(JSON.stringify(values)).slice(0, 16)}`;
}

export function readReview(reader: FileReader, file: string, problems: Problem[]): BankBooks['review'] {
  const display = reader.display(file);
  if (!reader.exists(file)) return { rows: [], display, path: file };
  const f = reader.read(file, problems);
  if (!f) return { rows: [], display, path: file };
  const r = readCsv(f.display, f.text, { required: ['key', 'received', 'chf', 'iso3', 'invoice', 'decision'], optional: REVIEW_COLUMNS });
  problems.push(...r.problems);
  const t = r.table;
  if (!t) return { rows: [], display, path: file };
  // (the reader's text has lost its byte order mark: the file's first bytes tell)
  const first = new Uint8Array(3);
  let bom = false;
  try {
    bom = bankFileAt(file).readAt(first, 0) === 3 && first[0] === 0xef && first[1] === 0xbb && first[2] === 0xbf;
  } catch {
    /* removed since it was read: written back without a mark */
  }
  const crlf = /\r\n/.test(f.text);
  const rows: ReviewRow[] = [];
  const seen = new Map<string, number>();
  const places = new Map<string, number>();
  for (const row of t.rows) {
    const values: Record<string, string> = {};
    for (const c of t.header) values[c] = unguard((row.text(c) ?? '').trim());
    const identity = rowIdentity(values);
    const first = seen.get(identity);
    if (values.key === '') {
      problems.push(atCell(t, row, 'key', 'value-missing', 'a row without its key', 'the key is written by finproc bank import: do not edit it'));
      continue;
    }
    if (first !== undefined) {
      problems.push(atCell(t, row, 'key', 'row-duplicate', `this transaction is listed twice (first on line ${first})`, 'keep one row per transaction'));
      continue;
    }
    // A key edited (Excel's fill handle makes …|1 of the row above …|2), or a row copied and its
    // key changed: booked, the transaction would be listed again by the next import of its
    // bank file, and could be booked twice.
    if (!KEY.test(values.key!)) {
      problems.push(atCell(t, row, 'key', 'bank-file', `"${values.key}" is not a key written by finproc bank import (account|reference|1, |*, |#n or |r:…)`, `the key names the bank transaction: do not edit it (Excel's fill handle changes a number at its end); delete the row and import its bank file again: the transaction is listed again, with its key`));
      continue;
    }
    const where = values.bank_file ? `${values.bank_file}|${values.bank_entry}|${values.bank_tx}` : '';
    const same = where ? places.get(where) : undefined;
    if (same !== undefined) {
      problems.push(atCell(t, row, 'key', 'row-duplicate', `the same bank transaction as line ${same} (bank_file, bank_entry and bank_tx alike) under another key: a row copied?`, 'keep one row per transaction, with its key as the import wrote it'));
      continue;
    }
    if (where) places.set(where, row.line);
    seen.set(identity, row.line);
    rows.push({ values, line: row.line, row });
  }
  return { table: t, rows, display: f.display, path: file, bom, crlf };
}

/**
 * Check the completed rows of a review file against the books: the State, the invoice (of
 * that State), the purpose, the decision. Problems point at the cell.
 */
export function checkReview(review: BankBooks['review'], books: Books, ctx: MatchContext, problems: Problem[], own?: { known: Known; display: string }): void {
  const t = review.table;
  if (!t) return;
  let damaged = false;
  for (const r of review.rows) {
    const v = r.values;
    const d = decisionOf(v);
    const before = problems.length;
    // A review file other than the books' own (a copy saved elsewhere): its rows to book must be
    // the books' rows, as the import wrote them (not those of other books, or removed since).
    // (an entry held whole, whose transactions are booked since, is skipped: see reviewBookings)
    if (own && d === 'book' && !own.known.payments.has(v.key!) && !(wholeRow(v) && own.known.entries.has(entryOf(v.key!)))) {
      const listed = own.known.review.get(v.key!);
      const chf = parseCents(v.chf ?? '');
      const there = own.known.reviewAmounts?.get(v.key!);
      if (listed === undefined) {
        problems.push(atCell(t, r.row, 'key', 'bank-file', `this transaction is not in ${own.display}: a review file of other books, or a row removed since?`, `complete the rows of ${own.display} itself; a transaction not listed there is imported from its bank file`));
        continue;
      }
      if (there !== undefined && (!chf.ok || chf.value !== there)) problems.push(atCell(t, r.row, 'chf', 'bank-file', `"${v.chf}", but CHF ${centsToString(there)} in ${own.display}`, 'the columns left of iso3 are written by finproc bank import: do not edit them'));
    }
    if (d === 'bad') {
      problems.push(atCell(t, r.row, 'decision', 'bank-file', `"${v.decision}" is not a decision finproc knows`, `leave it empty and fill iso3 (and invoice) to book the payment, or write "${NOT_A_CONTRIBUTION}"`));
      continue;
    }
    if (d === 'dismiss') {
      // A State (or an invoice) and "not a contribution" in one row: which was meant is not guessed.
      const filled = (['iso3', 'invoice', 'purpose'] as const).find((c) => (v[c] ?? '').trim() !== '');
      if (filled) problems.push(atCell(t, r.row, 'decision', 'bank-file', `"${v.decision}", but ${filled} says ${(v[filled] ?? '').trim()}: book it or dismiss it?`, `to book it, empty the decision; to dismiss it, empty ${filled}`));
    }
    // Half done: an invoice or a purpose without the State (or "not a contribution" written in
    // the wrong column) books nothing; said, not left to wait in silence.
    const dismissal = (c: string) => (v[c] ?? '').trim().toLowerCase().replace(/[-_]/g, ' ') === NOT_A_CONTRIBUTION;
    if (d === 'wait')
      for (const c of ['invoice', 'purpose'])
        if ((v[c] ?? '').trim() !== '')
          problems.push(
            dismissal(c)
              ? atCell(t, r.row, c, 'bank-file', `"${v[c]!.trim()}" is a decision, not ${c === 'invoice' ? 'an invoice' : 'a purpose'}: the row is neither booked nor dismissed`, `write it in decision, and empty ${c}`)
              : atCell(t, r.row, c, 'bank-file', `${c} says ${v[c]!.trim()}, but iso3 is empty: the row is not booked`, 'write the paying State in iso3 (it is not taken from the invoice), or empty the cell'),
          );
    if (d !== 'book') {
      // A row not booked now, whose date or CHF Excel rewrote: said once a file (each import
      // compares them with the bank's), and refused when the row is booked.
      const rewritten = !parseDate(v.received ?? '').ok || !parseCents(v.chf ?? '').ok;
      if (!damaged && rewritten) {
        damaged = true;
        const c = parseDate(v.received ?? '').ok ? 'chf' : 'received';
        problems.push({ ...atCell(t, r.row, c, 'bank-file', `"${v[c]}" is not as the import wrote it (${c === 'chf' ? '1234.50' : 'YYYY-MM-DD'}), here and perhaps in other rows: the row cannot be booked so`, EXCEL), severity: 'warning' });
      }
      // A row dismissed for good: under a key that is not its own (Excel's fill handle makes
      // …|#3 of the row above …|#4), another transaction would be skipped as dismissed. (Not
      // when Excel rewrote its date or CHF, said just above: those are no edit of the key.)
      if (d === 'dismiss' && !rewritten && problems.length === before) {
        const p = unsealed(t, r, 'dismiss');
        if (p) problems.push(p);
      }
      continue;
    }
    const iso = parseIso3(v.iso3 ?? '');
    if (!iso.ok || !books.ref.states.has(iso.value)) {
      problems.push(atCell(t, r.row, 'iso3', iso.ok ? 'iso3-unknown' : iso.code, iso.ok ? `${iso.value} is not in states.csv` : iso.message, dismissal('iso3') ? `"${NOT_A_CONTRIBUTION}" is written in decision, and iso3 left empty` : 'the ISO3 code of the paying State (e.g. AUT)'));
      continue;
    }
    const inv = (v.invoice ?? '').trim();
    if (inv !== '') {
      const info = ctx.invoices.get(inv);
      if (!info) problems.push(atCell(t, r.row, 'invoice', 'ledger-reference', `invoice ${inv} is not in assessments.csv`, 'write an invoice number of assessments.csv, or leave it empty (oldest first)'));
      else if (info.iso3 !== iso.value) problems.push(atCell(t, r.row, 'invoice', 'ledger-reference', `invoice ${inv} was issued to ${info.iso3}, not to ${iso.value}`, 'check the State or the invoice number'));
    }
    const purpose = (v.purpose ?? '').trim();
    if (purpose !== '' && !['isu', 'meeting', 'sponsorship', 'reserve'].includes(purpose)) problems.push(atCell(t, r.row, 'purpose', 'value-invalid', `"${purpose}" is not a purpose finproc knows`, 'one of isu, meeting, sponsorship, reserve (empty: that of the invoice, or isu)'));
    else if (inv !== '' && (purpose === 'sponsorship' || purpose === 'reserve')) problems.push(atCell(t, r.row, 'invoice', 'value-invalid', `a ${purpose} contribution settles no invoice`, 'leave the invoice empty, or use purpose isu or meeting'));
    // The columns the import wrote, copied to payments.csv: as Excel may have rewritten them
    // (02.03.2026, 9 000,00, 2.1E+26), refused here at their cell, not written (nor refused at a
    // line of payments.csv that is not there).
    const chf = parseCents(v.chf ?? '');
    const written = (c: string, what: string, why = '', hint = EXCEL) => problems.push(atCell(t, r.row, c, 'bank-file', `"${v[c]}" is not ${what} as the import wrote it${why ? `: ${why}` : ''}`, hint));
    if (!chf.ok || chf.value <= 0n) written('chf', 'the CHF amount', chf.ok ? 'not more than zero' : chf.message.replace(/^"[^"]*" (is )?/, ''));
    const date = parseDate(v.received ?? '');
    if (!date.ok) written('received', 'the date (YYYY-MM-DD)', date.code === 'date-ambiguous' ? date.message.replace(/^[^:]*: /, '') : /calendar/.test(date.message) ? 'not a calendar date' : '');
    const currency = (v.currency ?? '').trim();
    if (currency !== '' && !/^[A-Z]{3}$/.test(currency)) written('currency', 'a currency code (three capital letters)');
    const amount = (v.amount ?? '').trim();
    if (currency === '' || currency === 'CHF') {
      const a = parseCents(amount);
      if (amount !== '' && chf.ok && (!a.ok || a.value !== chf.value)) written('amount', `the amount of CHF ${centsToString(chf.value)} credited`);
    } else if (!DECIMAL.test(amount) || /^[0.]+$/.test(amount)) written('amount', `the amount sent in ${currency} (digits, a point)`);
    if ((v.fx_rate ?? '') !== '' && (!RATE.test(v.fx_rate!) || /^[0.]+$/.test(v.fx_rate!))) written('fx_rate', 'an exchange rate (digits, a point)');
    for (const c of ['bank_entry', 'bank_tx']) if (!/^\d+$/.test(v[c] ?? '')) written(c, 'a number');
    if ((v.bank_file ?? '') !== '' && !/^[0-9a-f]{64}$/.test(v.bank_file!)) written('bank_file', 'the SHA-256 of the bank file (64 hexadecimal digits)');
    for (const c of ['reference', 'text', 'bank_ref']) if (SCIENTIFIC.test(v[c] ?? '')) written(c, 'the text of the bank file', 'Excel made a number of its digits, and they are lost', 'empty the cell (the payment is then booked without it), or write it back as the bank file gives it');
    if (reversalRow(v)) problems.push(atCell(t, r.row, 'iso3', 'bank-file', 'a reversal (money taken back) cannot be booked as a contribution', REVERSAL_HINT));
    // A value edited that no rule above can tell: said only when nothing else was (a cell
    // refused above is the better place).
    if (problems.length === before) {
      const p = unsealed(t, r, 'book');
      if (p) problems.push(p);
    }
  }
}

const REVERSAL_HINT = `write "${NOT_A_CONTRIBUTION}" and correct the payment it reverses by hand`;

/**
 * A row to book or dismissed whose sealed columns (CHECKED_COLUMNS) are not as the import wrote
 * them (3000.00 made 3200.00, another day, a key made another by Excel's fill handle, a row
 * pasted over another), as its check tells. A row without a check is not checked when the
 * file was written before there was one (its header then has `check` after `iso3`, or none);
 * in a file written with it (`check` before `iso3`), every row has one, and an empty check is
 * refused too (emptied, the check would turn itself off).
 */
function unsealed(t: CsvTable, r: ReviewRow, d: 'book' | 'dismiss'): Problem | undefined {
  const v = r.values;
  const check = (v.check ?? '').trim();
  const at = t.header.indexOf('check');
  // (a credit and its reversal, recorded by the import as not a contribution: deleted, the
  // credit would be booked when its file comes again without the reversal)
  const paired = /^(reversed by |the reversal of )/.test(v.reason ?? '') && d === 'dismiss';
  const hint = paired
    ? 'write them back as they were (from a copy of the file): this row records a credit the bank took back, or its reversal; do not delete it (the credit would be booked when its bank file is imported again)'
    : 'write them back as they were (from a copy of the file), or delete the row and import its bank file again (the transaction is listed again); complete only iso3, invoice, purpose and decision';
  if (check === '')
    return at >= 0 && at < t.header.indexOf('iso3') ? atCell(t, r.row, 'check', 'bank-file', `the row's check is empty, though this file was written with one in every row: the columns it seals (${CHECKED_COLUMNS.join(', ')}) cannot be told unedited`, hint) : undefined;
  if (check === reviewCheck(v)) return undefined;
  if (d === 'book' && check === reviewCheck(v, true)) return atCell(t, r.row, 'iso3', 'bank-file', 'a reversal (money taken back) cannot be booked as a contribution (its reason, which said so, was changed)', REVERSAL_HINT);
  return atCell(t, r.row, 'check', 'bank-file', `the columns the import wrote (${CHECKED_COLUMNS.join(', ')}) are not as it wrote them: one was edited, or the row was copied over another${d === 'dismiss' ? ' (dismissed so, another transaction would be taken for this one)' : ''}`, hint);
}

/**
 * Review rows the officer completed, as proposal lines to book (how: officer), from every
 * review file of the import. A row is booked once, whatever the files that list it, and an
 * entry once, whole or from its transactions (docs/bank.md, "Idempotence"), against the books,
 * the lines `planned` from the bank files of this import, and the other rows: the
 * transactions win over the entry given whole, as in a bank import.
 */
export function reviewBookings(reviews: BankBooks['review'][], ctx: MatchContext, known: Known, takenIds: Set<string>, planned: readonly ProposalLine[] = []): ProposalLine[] {
  const out: ProposalLine[] = [];
  // (no row to book, as on every import of bank files alone: nothing to look up in the lines planned)
  if (!reviews.some((review) => review.rows.some((r) => decisionOf(r.values) === 'book'))) return out;
  // This import's transactions of an entry broken down (→ where), and what it books (key → where).
  const detailed = new Map<string, string>();
  // (a line planned, named when needed; a row of a review file, by its place)
  const done = new Map<string, ProposalLine | string>();
  const where = (d: ProposalLine | string) => (typeof d === 'string' ? d : `${d.statement} entry ${d.entry}`);
  for (const l of planned) {
    if (l.fate === 'book') done.set(l.key, l);
    if ((l.fate === 'book' || l.fate === 'review' || l.fate === 'reversed') && !l.key.endsWith('|1') && !l.key.endsWith('|*') && !detailed.has(entryOf(l.key))) detailed.set(entryOf(l.key), `${l.statement} entry ${l.entry}`);
  }
  for (const review of reviews)
    for (const r of review.rows) if (decisionOf(r.values) === 'book' && !wholeRow(r.values) && !r.values.key!.endsWith('|1') && !detailed.has(entryOf(r.values.key!))) detailed.set(entryOf(r.values.key!), `${review.display}:${r.line}`);
  for (const review of reviews)
  for (const r of review.rows) {
    const v = r.values;
    if (decisionOf(v) !== 'book') continue;
    const invoice = (v.invoice ?? '').trim();
    const info = invoice ? ctx.invoices.get(invoice) : undefined;
    const purpose = ((v.purpose ?? '').trim() || info?.purpose || 'isu') as ProposalLine['purpose'] | 'sponsorship' | 'reserve';
    const key = v.key!;
    const entry = entryOf(key);
    const whole = wholeRow(v);
    const chf = ((c) => (c.ok ? c.value : 0n))(parseCents(v.chf ?? ''));
    const id = known.payments.get(key);
    const wholeId = whole || key.endsWith('|1') ? undefined : (known.payments.get(`${entry}|*`) ?? known.payments.get(`${entry}|1`));
    const skip =
      id !== undefined
        ? `already booked as ${id}`
        : done.has(key)
          ? `the same transaction as ${where(done.get(key)!)}`
          : whole && known.entries.has(entry)
            ? 'its entry is already booked from its breakdown (camt.054)'
            : whole && detailed.has(entry)
              ? `broken down by ${detailed.get(entry)!} in this import`
              : whole && known.reviewEntries?.has(entry)
                ? 'its breakdown (camt.054) is in bank-review.csv'
                : wholeId !== undefined
                  ? `its entry was booked whole, without details, as ${wholeId}`
                  : undefined;
    const line: ProposalLine = {
      key,
      statement: `${review.display}:${r.line}`,
      sha256: v.bank_file ?? '',
      format: 'camt.053',
      entry: Number(v.bank_entry || 0),
      tx: Number(v.bank_tx || 0),
      bankRef: v.bank_ref ?? '',
      received: v.received!,
      direction: 'CRDT',
      reversal: false,
      chf,
      // (a CHF amount as the CHF credited: 9000.00, not Excel's 9000)
      amount: (v.currency || 'CHF') === 'CHF' ? centsToString(chf) : v.amount!,
      currency: v.currency || 'CHF',
      rate: v.fx_rate ?? '',
      debtor: v.debtor ?? '',
      endToEndId: '',
      reference: v.reference ?? '',
      text: v.text ?? '',
      match: { iso3: v.iso3!.trim(), ...(invoice ? { invoice } : {}), how: 'none', confidence: 100, notes: ['completed by the officer in bank-review.csv'] },
      fate: skip ? 'skip' : 'book',
      reason: skip ?? 'completed in bank-review.csv',
      paymentId: undefined,
      purpose: purpose as ProposalLine['purpose'],
    };
    if (!skip) {
      line.paymentId = paymentIdFor(line.key, line.received, sha256hex, (id) => takenIds.has(id));
      takenIds.add(line.paymentId);
      done.set(key, line.statement);
    }
    out.push(line);
  }
  return out;
}

/**
 * Text cellText may change (other than cut it): anything but printable ASCII and letters up
 * to U+1FFF (a control character, a blank other than the space), a space at either end or
 * two in a row. Most text has none and is taken as it is.
 */
const CELL_CHANGES = /[^\x21-\x7e\u00a1-\u167f\u1681-\u1fff ]|^ | $|  /;

/** Free text for a payments.csv cell: one line, at most 140 characters. */
/** Every control character (CONTROL finds the first). */
const CONTROLS = new RegExp(CONTROL.source, 'g');

function cellText(s: string, max = 140): string {
  const t = CELL_CHANGES.test(s) ? s.replace(CONTROLS, ' ').replace(/\s+/g, ' ').trim() : s;
  return t.length > max ? t.slice(0, max) : t;
}

/** The columns of a paymentRow, in its order (payments.csv may have others, and in another order). */
export const PAYMENT_ROW = ['payment_id', 'iso3', 'received', 'amount', 'currency', 'chf', 'purpose', 'earmark_invoice', 'reference', 'bank_key', 'bank_file', 'bank_ref', 'bank_entry', 'bank_tx', 'fx_rate'];

/** A new row of payments.csv: its cells in the order of PAYMENT_ROW. */
export function paymentRow(l: ProposalLine): string[] {
  const m = l.match!;
  const assessed = l.purpose === 'isu' || l.purpose === 'meeting';
  return [
    l.paymentId!,
    m.iso3!,
    l.received,
    l.amount,
    l.currency,
    centsToString(l.chf),
    l.purpose ?? 'isu',
    assessed && m.invoice ? m.invoice : '',
    // (the payer's text and the bank's reference, guarded as in bank-review.csv: payments.csv
    // is opened in Excel too, and the ledger reads them back without the guard)
    guard(cellText(l.reference || l.text)),
    l.key,
    l.sha256,
    guard(cellText(l.bankRef, 64)),
    l.entry ? String(l.entry) : '',
    String(l.tx),
    l.rate,
  ];
}


/** A new row of bank-review.csv: its cells in the order of REVIEW_COLUMNS (test/bank-output.test.ts holds it to the columns). */
export function reviewRow(l: ProposalLine): string[] {
  const m = l.match;
  const notes = m?.notes ?? [];
  const reason = cellText(notes.length === 0 ? l.reason : [l.reason, ...notes].filter((x) => x !== '').join('; '), 400);
  return [
    l.key,
    l.received,
    centsToString(l.chf),
    l.amount,
    l.currency,
    l.rate,
    guard(cellText(l.debtor)),
    guard(cellText(l.reference)),
    guard(cellText(l.text, 280)),
    l.sha256,
    guard(cellText(l.bankRef, 64)),
    String(l.entry),
    String(l.tx),
    guard(l.statement),
    m?.iso3 ?? '',
    m?.invoice ?? '',
    m && m.how !== 'none' ? m.how : '',
    m ? String(m.confidence) : '',
    guard(reason),
    // (a reversal told as the reader tells it, by its reason)
    reviewCheck({ key: l.key, received: l.received, chf: centsToString(l.chf), amount: l.amount, currency: l.currency, fx_rate: l.rate, bank_file: l.sha256, bank_entry: String(l.entry), bank_tx: String(l.tx), reason }),
    '', // iso3, invoice, purpose, decision: the officer's
    '',
    '',
    // (a credit and its reversal paired in one import: recorded as decided, so that the credit
    // is not booked when it comes again alone, in a camt.054 imported later)
    l.fate === 'reversed' ? NOT_A_CONTRIBUTION : '',
  ];
}

/**
 * CSV records (RFC 4180): a field is quoted when it holds the delimiter, a quote, a line
 * break, or blanks at either end (as record.ts asks of csv-stringify, which is several times
 * slower on 100,000 rows). Each record is `row` read through `from`: the cells of the
 * columns in the order they are written, as positions in the row (-1: an empty cell).
 * A thousand records to a string: the caller joins them once with what comes before, so
 * that the file's text is made flat in one copy (not the records, then the records joined,
 * then that joined to the header: three copies of 18 MB at 85,000 rows).
 */
function csvChunks(rows: Iterable<readonly string[]>, from: readonly number[], delimiter: string, crlf: boolean): string[] {
  const eol = crlf ? '\r\n' : '\n';
  const needs = delimiter === ';' ? /[;"\r\n]|^\s|\s$/ : /[,"\r\n]|^\s|\s$/;
  // Flat strings joined once (appending to one string keeps a tree of every cell: 85,000
  // rows of 16 cells at 100k entries), a thousand records at a time: the rows, made one at a
  // time by the caller, and their records die young.
  const chunks: string[] = [];
  const out: string[] = [];
  const n = from.length;
  const cells = new Array<string>(n);
  // A record none of whose cells needs quotes, told from the record as a whole: no quote or
  // line break, no blank next to a delimiter or at either end, and no more delimiters than
  // between its cells (else each cell is looked at, as before).
  const plain = delimiter === ';' ? /["\r\n]|^\s|\s$|\s;|;\s/ : /["\r\n]|^\s|\s$|\s,|,\s/;
  for (const r of rows) {
    for (let i = 0; i < n; i++) {
      const k = from[i]!;
      cells[i] = k < 0 ? '' : (r[k] ?? '');
    }
    let record = cells.join(delimiter);
    let delimiters = 0;
    for (let at = record.indexOf(delimiter); at >= 0; at = record.indexOf(delimiter, at + 1)) delimiters++;
    if (delimiters !== n - 1 || plain.test(record)) {
      for (let i = 0; i < n; i++) {
        const v = cells[i]!;
        cells[i] = v !== '' && needs.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
      }
      record = cells.join(delimiter);
    }
    out.push(record);
    if (out.length === 1000) {
      chunks.push(out.join(eol) + eol);
      out.length = 0;
    }
  }
  if (out.length) chunks.push(out.join(eol) + eol);
  return chunks;
}

/** For each of `columns`, its position in a row of `rowColumns` (-1: not there). */
const positions = (columns: readonly string[], rowColumns: readonly string[]) => columns.map((c) => rowColumns.indexOf(c));

/**
 * payments.csv with rows (of paymentRow) appended. A file whose header lacks the bank
 * columns gets them (each existing record gets empty cells): existing books stay valid as
 * they are, and their data is kept byte for byte.
 */
export function appendPayments(file: string, display: string, rows: Iterable<readonly string[]>, problems: Problem[]): { path: string; content: string } | undefined {
  let before = existsSync(file) ? readFileSync(file, 'utf8') : '';
  if (before === '') return { path: file, content: [`${PAYMENT_COLUMNS.join(',')}\n`, ...csvChunks(rows, positions(PAYMENT_COLUMNS, PAYMENT_ROW), ',', false)].join('') };
  const bom = before.charCodeAt(0) === 0xfeff ? '\uFEFF' : '';
  const text = before.slice(bom.length);
  const crlf = /\r\n/.test(text);
  const r = readCsv(display, text, { required: ['payment_id'], pattern: /.*/ });
  if (!r.table) {
    problems.push(...r.problems);
    return undefined;
  }
  const t = r.table;
  const missing = BANK_COLUMNS.filter((c) => !t.header.includes(c));
  const needed = ['payment_id', 'iso3', 'received', 'amount', 'currency', 'chf', 'purpose', 'earmark_invoice', 'reference'].filter((c) => !t.header.includes(c));
  if (needed.length > 0) {
    problems.push(problem('column-missing', `payments.csv has no ${needed.join(', ')} column, needed to record the imported payments`, { file: display, line: 1, column: 1, excerpt: t.lines[0] ?? '', width: (t.lines[0] ?? '').length || 1, hint: `add the columns to the header (columns: ${PAYMENT_COLUMNS.join(',')})` }));
    return undefined;
  }
  const d = t.delimiter;
  if (missing.length > 0) {
    const lines = [...t.lines];
    const extra = d.repeat(missing.length);
    const headerAt = t.headerCells[0]!.line - 1;
    lines[headerAt] = `${lines[headerAt]}${d}${missing.join(d)}`;
    for (const row of t.rows) lines[row.endLine - 1] = `${lines[row.endLine - 1]}${extra}`;
    before = bom + lines.join(crlf ? '\r\n' : '\n');
  }
  const columns = [...t.header, ...missing];
  const sep = before.endsWith('\n') ? '' : crlf ? '\r\n' : '\n';
  return { path: file, content: [before, sep, ...csvChunks(rows, positions(columns, PAYMENT_ROW), d, crlf)].join('') };
}

const GUARDED = new Set(['debtor', 'reference', 'text', 'bank_ref', 'statement', 'reason']);

/** bank-review.csv rewritten: rows still open or dismissed kept as they are, new rows (of reviewRow) added. */
export function writeReview(review: BankBooks['review'], drop: Set<string>, add: Iterable<readonly string[]>, fresh: { excel?: boolean } = {}): { path: string; content: string } | undefined {
  const kept = review.rows.filter((r) => !drop.has(r.values.key!));
  const t = review.table;
  const columns = t ? [...t.header, ...REVIEW_COLUMNS.filter((c) => !t.header.includes(c))] : REVIEW_COLUMNS;
  // A file that exists keeps its own dialect; a new one is written in the one asked for:
  // RFC 4180, or Excel's in Geneva (";", a byte order mark, CRLF: opens in columns, accents
  // right, in a Swiss or French Excel, and is saved back the same way).
  const excel = !t && fresh.excel === true;
  const delimiter = t?.delimiter ?? (excel ? ';' : ',');
  const crlf = excel || (review.crlf ?? false);
  const bom = excel || review.bom;
  const keptRows = kept.map((r) => columns.map((c) => (GUARDED.has(c) ? guard(r.values[c] ?? '') : (r.values[c] ?? ''))));
  const added = csvChunks(add, positions(columns, REVIEW_COLUMNS), delimiter, crlf);
  if (kept.length === review.rows.length && added.length === 0) return undefined;
  // (Excel's "sep=," first line, when the officer's file had one, is kept)
  const sep = t && /^sep=.\r?$/.test(t.lines[0] ?? '') ? `${t.lines[0]!.replace(/\r$/, '')}${crlf ? '\r\n' : '\n'}` : '';
  const head = `${bom ? '\uFEFF' : ''}${sep}${columns.join(delimiter)}${crlf ? '\r\n' : '\n'}`;
  return { path: review.path, content: [head, ...csvChunks(keptRows, columns.map((_, i) => i), delimiter, crlf), ...added].join('') };
}

/** Rows of bank-review.csv awaiting a decision (and completed rows not yet booked) that `check` lists one by one; the others are counted. */
export const REVIEW_LISTED = 20;
const WAIT_HINT = `fill iso3 (and invoice), or write "${NOT_A_CONTRIBUTION}" in decision, then run finproc bank import ${REVIEW_FILE} --apply`;
const BOOK_HINT = `run finproc bank import ${REVIEW_FILE} --apply`;

/** `check`: entries of bank-review.csv awaiting a decision (a warning each), completed rows that cannot be booked, and payments booked twice from one bank transaction. */
export function checkBankBooks(books: Books, reader: FileReader, ledger: Ledger | undefined, problems: Problem[]): void {
  const file = path.join(books.dir, REVIEW_FILE);
  if (reader.exists(file)) {
    const review = readReview(reader, file, problems);
    if (ledger) checkReview(review, books, bankContext(books, reader, ledger, []), problems);
    const t = review.table;
    if (t) {
      // The first rows of each kind one by one, the others counted in one warning: the review
      // file is their list (29,000 rows awaiting were 117,000 lines of warnings).
      const more = { wait: { listed: 0, n: 0, chf: 0n, unread: 0, first: 0, last: 0 }, book: { listed: 0, n: 0, chf: 0n, unread: 0, first: 0, last: 0 } };
      for (const r of review.rows) {
        const d = decisionOf(r.values);
        if (d !== 'wait' && d !== 'book') continue;
        const m = more[d];
        if (m.listed === REVIEW_LISTED) {
          const c = parseCents(r.values.chf ?? '');
          if (c.ok) m.chf += c.value;
          else m.unread++;
          if (m.n++ === 0) m.first = r.line;
          m.last = r.line;
          continue;
        }
        m.listed++;
        if (d === 'wait') {
          problems.push({ ...atCell(t, r.row, 'decision', 'bank-review', `${r.values.key!.endsWith('|*') ? 'a batch awaiting its breakdown' : 'a bank entry awaiting review'}: CHF ${r.values.chf} received ${r.values.received}${r.values.debtor ? ` from ${r.values.debtor}` : ''}${r.values.proposed_iso3 ? ` (proposed: ${r.values.proposed_iso3}${r.values.proposed_invoice ? ` ${r.values.proposed_invoice}` : ''})` : ''}`, WAIT_HINT), severity: 'warning' });
        } else {
          problems.push({ ...atCell(t, r.row, 'iso3', 'bank-review', `completed but not yet booked: ${r.values.iso3} ${r.values.invoice ?? ''}`.trimEnd(), BOOK_HINT), severity: 'warning' });
        }
      }
      // (a CHF that does not read as one, as Excel may leave it, is not guessed into the total: counted apart)
      const span = (m: { n: number; chf: bigint; unread: number; first: number; last: number }) => `${m.unread < m.n ? `CHF ${centsToString(m.chf)} in all${m.unread ? `, and ${m.unread} whose CHF cannot be read` : ''}` : 'their CHF cannot be read'}, ${m.first === m.last ? `line ${m.first}` : `lines ${m.first} to ${m.last}`}`;
      if (more.wait.n) problems.push(problem('bank-review', `${more.wait.n} more bank ${more.wait.n === 1 ? 'entry' : 'entries'} awaiting review or ${more.wait.n === 1 ? 'its' : 'their'} breakdown (${span(more.wait)}), not listed one by one`, { file: review.display, line: more.wait.first, severity: 'warning', hint: `${REVIEW_FILE} lists them: ${WAIT_HINT}` }));
      if (more.book.n) problems.push(problem('bank-review', `${more.book.n} more ${more.book.n === 1 ? 'row' : 'rows'} completed but not yet booked (${span(more.book)}), not listed one by one`, { file: review.display, line: more.book.first, severity: 'warning', hint: BOOK_HINT }));
    }
  }
  // The same bank transaction booked twice.
  const pf = path.join(books.dir, LEDGER_FILES.payments);
  if (!reader.exists(pf)) return;
  const f = reader.read(pf, []);
  if (!f) return;
  const seen = new Map<string, number>();
  let ki = -1;
  readCsv(f.display, f.text, { required: [], pattern: /.*/ }, {
    onRow: (row, t) => {
      if (ki === -1) ki = t.header.indexOf('bank_key');
      if (ki < 0) return;
      const key = (row.values[ki] ?? '').trim();
      if (key === '') return;
      const first = seen.get(key);
      if (first !== undefined) problems.push(atCell(t, row, 'bank_key', 'row-duplicate', `the bank transaction ${key} is booked twice (first on line ${first})`, 'remove one of the two payments'));
      else seen.set(key, row.line);
    },
  });
}
