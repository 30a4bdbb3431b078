/**
 * Loading the ledger files of a books directory (docs/ledger.md): assessments, payments,
 * adjustments, pledges and exchange rates. Every file is optional here; a command that needs
 * one says so. Every problem is collected with its file, line and column, none thrown.
 */
import path from 'node:path';
import type { Decimal } from '../core/decimal.js';
import { ADJUSTMENT_KINDS, ASSESSED_PURPOSES, NO_EVENTS, PURPOSES, replay, Replayer, eventsByState, type Account, type AdjustmentRecord, type AssessmentLine, type Cents, type Earmark, type Ledger, type PaymentRecord } from '../core/ledger.js';
import { parseAmount, parseDate, parseIso3, parseYear, type Parsed } from '../core/parse.js';
import type { PledgeRecord, RateRecord } from '../core/pledges.js';
import { problem, type Problem } from '../core/problem.js';
import { CONTROL, isDuplicate, KeySet, type Books, type FileReader } from './books.js';
import { atCell, cellProblem, readCsv, unguard, type CsvRow, type CsvSpec, type CsvTable } from './csv.js';

export const LEDGER_FILES = {
  assessments: 'assessments.csv',
  payments: 'payments.csv',
  adjustments: 'adjustments.csv',
  pledges: 'pledges.csv',
  rates: 'exchange-rates.csv',
} as const;
export type LedgerFile = keyof typeof LEDGER_FILES;

/** Provenance of a payment imported from a bank file (docs/bank.md); optional, empty for a payment typed by hand. */
export const BANK_COLUMNS = ['bank_key', 'bank_file', 'bank_ref', 'bank_entry', 'bank_tx', 'fx_rate'];

export const ASSESSMENT_COLUMNS = ['invoice', 'iso3', 'year', 'purpose', 'category', 'amount', 'currency', 'issued', 'due', 'note'];

const SPECS: Record<LedgerFile, CsvSpec> = {
  assessments: { required: ['invoice', 'iso3', 'year', 'category', 'amount', 'issued', 'due'], optional: ['purpose', 'currency', 'note'] },
  payments: { required: ['payment_id', 'iso3', 'received', 'amount', 'currency'], optional: ['chf', 'purpose', 'earmark_year', 'earmark_category', 'earmark_invoice', 'pledge', 'reference', ...BANK_COLUMNS] },
  adjustments: { required: ['adjustment_id', 'iso3', 'date', 'kind', 'amount', 'reason'], optional: ['invoice', 'category'] },
  pledges: { required: ['pledge_id', 'iso3', 'purpose', 'amount', 'currency', 'pledged', 'expected'], optional: ['year', 'note'] },
  rates: { required: ['date', 'currency', 'chf'], optional: [] },
};

export interface Where {
  file: string;
  line: number;
  column: number;
  excerpt: string;
  width: number;
  field: string;
}

export interface LedgerBooks {
  ledger: Ledger;
  pledges: PledgeRecord[];
  rates: RateRecord[];
  /** Which files the books directory has. */
  present: Record<LedgerFile, boolean>;
  /** Where a record is, for problems found later. */
  whereAdjustment: (id: string, field: string) => Where | undefined;
  /**
   * With `stream`: every State's account as of the date, replayed while the payments were
   * read; `ledger.payments` then holds only the payments other reports need. Absent when the
   * payments file is not in date order for some State (then load again without `stream`).
   */
  accounts?: Map<string, Account>;
}

export interface LedgerOptions {
  /** Replay the accounts as of this date while reading the payments (arrears on a large file). */
  stream?: { asOf: string };
  /**
   * Only check the books (every rule, the same problems): the payments of States without
   * adjustments are checked and let go, not kept, so `ledger.payments` is not the books'
   * (a bank import checks the 85,000 payments it appends without holding them twice).
   */
  checkOnly?: boolean;
}

/** The earmark of the (many) payments without one; never filled. */
const NONE: Earmark = Object.freeze({});

const FAST_CENTS = /^(0|[1-9]\d{0,14})(?:\.(\d\d?))?$/;

/** A CHF amount in centimes; at most two decimals. */
export function parseCents(text: string): Parsed<Cents> {
  const m = FAST_CENTS.exec(text);
  if (m) return { ok: true, value: BigInt(m[1]! + (m[2] ?? '').padEnd(2, '0')) };
  const r = parseAmount(text, { money: true });
  if (!r.ok) return r;
  if (r.value.decimalPlaces() > 2)
    return { ok: false, code: 'amount-invalid', message: `"${text.trim()}" has more than two decimals`, hint: 'the ledger is kept in CHF centimes: write at most two decimals' };
  return { ok: true, value: BigInt(r.value.times(100).toFixed(0)) };
}

const CURRENCY = /^[A-Z]{3}$/;
/** An invoice number: what an ISO 11649 reference can carry (at most 21 letters and digits), with hyphens. */
const INVOICE_NUMBER = /^(?=(?:-*[A-Za-z0-9]){1,21}-*$)[A-Za-z0-9][A-Za-z0-9-]{0,40}$/;

export function loadLedger(books: Books, reader: FileReader, problems: Problem[], opts: LedgerOptions = {}): LedgerBooks | undefined {
  const present = {} as Record<LedgerFile, boolean>;
  const states = books.ref.states;
  let failed = false;
  /** Read a ledger file; with `each`, rows are checked as they are read and not kept. */
  const open = (f: LedgerFile, each?: (row: CsvRow, t: CsvTable) => void): CsvTable | undefined => {
    const abs = path.join(books.dir, LEDGER_FILES[f]);
    present[f] = reader.exists(abs);
    if (!present[f]) return undefined;
    const file = reader.read(abs, problems);
    if (!file) {
      failed = true;
      return undefined;
    }
    const r = readCsv(file.display, file.text, SPECS[f], each ? { onRow: each } : {});
    problems.push(...r.problems);
    if (!r.table) failed = true;
    return r.table;
  };
  const bad = (t: CsvTable, row: CsvRow, col: string, r: Extract<Parsed<unknown>, { ok: false }>) => {
    problems.push(cellProblem(t, row, col, r));
    return undefined;
  };
  const get = <T>(t: CsvTable, row: CsvRow, col: string, r: Parsed<T>): T | undefined => (r.ok ? r.value : bad(t, row, col, r));
  const text = (row: CsvRow, col: string) => (row.text(col) ?? '').trim();
  /** Free text (reference, reason, note): one line, no control characters. */
  const freeText = (t: CsvTable, row: CsvRow, col: string, v = text(row, col)): string => {
    if (CONTROL.test(v)) bad(t, row, col, { ok: false, code: 'value-invalid', message: `the ${col} contains a line break or another control character`, hint: 'write it on one line' });
    return v;
  };
  // One string per State and per day, shared by every row that names it (a million payments
  // would otherwise each hold their own copies).
  const canonical = new Map([...states.keys()].map((k) => [k, k]));
  const days = new Map<string, string>();
  const dateOf = (t: CsvTable, row: CsvRow, col: string, v = text(row, col)): string | undefined => {
    const known = days.get(v);
    if (known !== undefined) return known;
    const d = get(t, row, col, parseDate(v));
    if (d !== undefined) days.set(d, d);
    return d;
  };
  const iso3Of = (t: CsvTable, row: CsvRow, col = 'iso3', v = text(row, col)): string | undefined => {
    const known = canonical.get(v);
    if (known !== undefined) return known;
    const r = parseIso3(v);
    if (!r.ok) return bad(t, row, col, r);
    problems.push(atCell(t, row, col, 'iso3-unknown', `${r.value} is not in states.csv`, 'check the code (ISO 3166-1 alpha-3), or add the State to states.csv'));
    return undefined;
  };
  const required = (t: CsvTable, row: CsvRow, col: string, what: string, v = text(row, col)): string | undefined => {
    if (v === '') return bad(t, row, col, { ok: false, code: 'value-missing', message: `no ${what}`, hint: `every row needs its ${col}` });
    return v;
  };
  const positive = (t: CsvTable, row: CsvRow, col: string, r: Parsed<Cents>, allowZero = false): Cents | undefined => {
    const v = get(t, row, col, r);
    if (v === undefined) return undefined;
    if (v === 0n && !allowZero) return bad(t, row, col, { ok: false, code: 'amount-invalid', message: 'the amount is zero', hint: 'write an amount of more than zero' });
    return v;
  };
  const currencyOf = (t: CsvTable, row: CsvRow, col = 'currency', v = text(row, col)): string | undefined => {
    if (v === 'CHF') return 'CHF';
    if (CURRENCY.test(v)) return v;
    return bad(t, row, col, { ok: false, code: 'value-invalid', message: `"${v}" is not an ISO 4217 currency code`, hint: 'three upper-case letters, e.g. CHF, EUR, USD' });
  };
  const oneOf = <T extends string>(t: CsvTable, row: CsvRow, col: string, allowed: readonly T[], dflt?: T, v = text(row, col)): T | undefined => {
    if (v === '' && dflt) return dflt;
    const known = allowed.find((a) => a === v);
    if (known !== undefined) return known;
    return bad(t, row, col, { ok: false, code: 'value-invalid', message: v === '' ? `no ${col}` : `"${v}" is not a ${col} finproc knows`, hint: `one of ${allowed.join(', ')}` });
  };

  // assessments.csv
  const lines: AssessmentLine[] = [];
  const invoices = new Map<string, { line: AssessmentLine; categories: string[] }>();
  const bodies = new Map<string, string>();
  const at = open('assessments');
  // An assessments file that could not be read (a missing column, bad CSV) would make every
  // payment and adjustment that names an invoice look wrong: those follow-on problems are dropped.
  const assessmentsBroken = present.assessments && !at;
  const afterAssessments = problems.length;
  if (at) {
    const seen = new KeySet();
    for (const row of at.rows) {
      const invoice = required(at, row, 'invoice', 'invoice number');
      const iso3 = iso3Of(at, row);
      const year = get(at, row, 'year', parseYear(row.text('year') ?? ''));
      const purpose = oneOf(at, row, 'purpose', ASSESSED_PURPOSES, 'isu');
      const category = required(at, row, 'category', 'category');
      const amount = positive(at, row, 'amount', parseCents(text(row, 'amount')), true);
      const cur = text(row, 'currency');
      if (cur !== '' && cur !== 'CHF') bad(at, row, 'currency', { ok: false, code: 'value-invalid', message: `"${cur}": assessments are kept in CHF`, hint: 'convert the assessment to CHF (finproc meeting-costs --record converts at the rate of the issue date)' });
      const issued = get(at, row, 'issued', parseDate(text(row, 'issued')));
      const due = get(at, row, 'due', parseDate(text(row, 'due')));
      if (issued && due && due < issued) problems.push(atCell(at, row, 'due', 'date-order', `due date ${due} is before the issue date ${issued}`));
      if (invoice && !INVOICE_NUMBER.test(invoice)) {
        bad(at, row, 'invoice', { ok: false, code: 'value-invalid', message: `"${invoice}" is not an invoice number finproc can put in a payment reference`, hint: 'letters, digits and hyphens, at most 21 letters and digits (ISO 11649), e.g. ISU-2026-005' });
        continue;
      }
      if (!invoice || !iso3 || year === undefined || !purpose || !category || amount === undefined || !issued || !due) continue;
      if (isDuplicate(at, row, 'category', seen, `${invoice} / ${category}`, problems)) continue;
      // Two numbers that differ only by their hyphens would share one RF reference.
      const body = invoice.replace(/-/g, '').toUpperCase();
      const other = bodies.get(body);
      if (other !== undefined && other !== invoice) {
        bad(at, row, 'invoice', { ok: false, code: 'row-duplicate', message: `${invoice} and ${other} differ only by hyphens or case, so they would share one payment reference (RF…${body})`, hint: 'give each invoice its own letters and digits' });
        continue;
      }
      bodies.set(body, invoice);
      const line: AssessmentLine = { invoice, iso3, year, purpose, category, amount, issued, due, note: freeText(at, row, 'note') };
      const inv = invoices.get(invoice);
      if (inv) {
        const f = inv.line;
        const differs = (['iso3', 'year', 'purpose', 'issued', 'due'] as const).find((k) => f[k] !== line[k]);
        if (differs) {
          problems.push(atCell(at, row, differs, 'value-invalid', `invoice ${invoice} has ${differs} ${String(f[differs])} on its first line but ${String(line[differs])} here`, 'every line of one invoice has the same iso3, year, purpose, issued and due'));
          continue;
        }
        inv.categories.push(category);
      } else invoices.set(invoice, { line, categories: [category] });
      lines.push(line);
    }
  }
  const assessedYears = new Set(lines.map((l) => `${l.iso3}:${l.year}`));
  const assessedCategories = new Set(lines.map((l) => `${l.iso3}:${l.year}:${l.category}`));

  // pledges.csv (before payments: a payment may name a pledge)
  const pledges: PledgeRecord[] = [];
  const pledgeById = new Map<string, PledgeRecord>();
  const plt = open('pledges');
  if (plt) {
    const seen = new KeySet();
    for (const row of plt.rows) {
      const id = required(plt, row, 'pledge_id', 'pledge id');
      const iso3 = iso3Of(plt, row);
      const purpose = oneOf(plt, row, 'purpose', PURPOSES);
      const amount = get(plt, row, 'amount', positiveAmount(text(row, 'amount')));
      const currency = currencyOf(plt, row);
      const pledged = get(plt, row, 'pledged', parseDate(text(row, 'pledged')));
      const expected = get(plt, row, 'expected', parseDate(text(row, 'expected')));
      const yearText = text(row, 'year');
      const year = yearText === '' ? (expected ? Number(expected.slice(0, 4)) : undefined) : get(plt, row, 'year', parseYear(yearText));
      if (pledged && expected && expected < pledged) problems.push(atCell(plt, row, 'expected', 'date-order', `expected payment ${expected} is before the pledge ${pledged}`));
      if (!id || !iso3 || !purpose || !amount || !currency || !pledged || !expected || year === undefined) continue;
      if (isDuplicate(plt, row, 'pledge_id', seen, id, problems)) continue;
      const p: PledgeRecord = { id, iso3, purpose, amount, currency, pledged, expected, year, note: text(row, 'note') };
      pledges.push(p);
      pledgeById.set(id, p);
    }
  }

  // adjustments.csv
  const adjustments: AdjustmentRecord[] = [];
  const adjustmentRows = new Map<string, CsvRow>();
  const adt = open('adjustments');
  if (adt) {
    const seen = new KeySet();
    for (const row of adt.rows) {
      const id = required(adt, row, 'adjustment_id', 'adjustment id');
      const iso3 = iso3Of(adt, row);
      const date = get(adt, row, 'date', parseDate(text(row, 'date')));
      const kind = oneOf(adt, row, 'kind', ADJUSTMENT_KINDS);
      const amount = positive(adt, row, 'amount', parseCents(text(row, 'amount')));
      const reason = required(adt, row, 'reason', 'reason: every adjustment says why') && freeText(adt, row, 'reason');
      const invoice = text(row, 'invoice');
      let category = text(row, 'category');
      let ok = true;
      if (kind === 'refund') {
        if (invoice !== '' || category !== '') ok = !!bad(adt, row, invoice !== '' ? 'invoice' : 'category', { ok: false, code: 'value-invalid', message: 'a refund pays back credit: it names no invoice', hint: 'leave invoice and category empty for a refund' });
      } else if (kind && iso3) {
        const inv = invoices.get(invoice);
        if (invoice === '') ok = !!bad(adt, row, 'invoice', { ok: false, code: 'value-missing', message: `a ${kind} needs the invoice it corrects`, hint: 'write the invoice number from assessments.csv' });
        else if (!inv) ok = !!bad(adt, row, 'invoice', { ok: false, code: 'ledger-reference', message: `invoice ${invoice} is not in assessments.csv`, hint: 'an adjustment corrects an invoice that was issued' });
        else if (inv.line.iso3 !== iso3) ok = !!bad(adt, row, 'invoice', { ok: false, code: 'ledger-reference', message: `invoice ${invoice} was issued to ${inv.line.iso3}, not to ${iso3}`, hint: 'check the State or the invoice number' });
        else {
          if (category === '' && inv.categories.length === 1) category = inv.categories[0]!;
          if (category === '') ok = !!bad(adt, row, 'category', { ok: false, code: 'value-missing', message: `invoice ${invoice} has ${inv.categories.length} lines: which one is corrected?`, hint: `one of ${inv.categories.join(', ')}` });
          else if (!inv.categories.includes(category)) ok = !!bad(adt, row, 'category', { ok: false, code: 'ledger-reference', message: `invoice ${invoice} has no line "${category}"`, hint: `its lines: ${inv.categories.join(', ')}` });
          else if (date && date < inv.line.issued) ok = !!bad(adt, row, 'date', { ok: false, code: 'date-order', message: `the ${kind} is dated ${date}, before invoice ${invoice} was issued (${inv.line.issued})`, hint: 'an adjustment takes effect on or after the invoice it corrects' });
        }
      }
      if (!ok || !id || !iso3 || !date || !kind || amount === undefined || !reason) continue;
      if (isDuplicate(adt, row, 'adjustment_id', seen, id, problems)) continue;
      adjustments.push({ id, iso3, date, kind, ...(invoice !== '' ? { invoice } : {}), ...(category !== '' ? { category } : {}), amount, reason });
      adjustmentRows.set(id, row);
    }
  }

  // payments.csv: possibly a million rows, so each row is checked as it is read. With
  // `stream`, each payment is also replayed into its State's account as it is read, and only
  // the payments other reports need are kept (voluntary ones, those a pledge may count, and
  // those of States with adjustments, whose whole history is checked below).
  const stream = opts.stream;
  const replayers = new Map<string, Replayer>();
  const fixed = stream ? eventsByState({ lines, payments: [], adjustments }) : undefined;
  const pledgers = new Set(pledges.map((p) => `${p.iso3}:${p.purpose}`));
  const adjusted = new Set(adjustments.map((a) => a.iso3));
  let inOrder = true;
  const streamed = (p: PaymentRecord): boolean => {
    if (!stream || !inOrder) return false;
    if (p.purpose !== 'isu' && p.purpose !== 'meeting') return false;
    let r = replayers.get(p.iso3);
    if (!r) replayers.set(p.iso3, (r = new Replayer(p.iso3, fixed!.get(p.iso3) ?? NO_EVENTS, stream.asOf)));
    if (!r.pay(p)) inOrder = false;
    return !adjusted.has(p.iso3) && (pledgers.size === 0 || !pledgers.has(`${p.iso3}:${p.purpose}`));
  };
  const payments: PaymentRecord[] = [];
  let seenPayments: KeySet | undefined;
  // Column positions, found once: a million rows then read their cells by position.
  const P = ['payment_id', 'iso3', 'received', 'amount', 'currency', 'chf', 'purpose', 'earmark_year', 'earmark_category', 'earmark_invoice', 'pledge', 'reference', 'bank_ref'] as const;
  const C = Object.fromEntries(P.map((c, i) => [c, i])) as { [K in (typeof P)[number]]: number };
  let pos: number[] | undefined;
  open('payments', (row, pt) => {
    {
      pos ??= P.map((c) => pt.header.indexOf(c));
      const cell = (c: number) => {
        const i = pos![c]!;
        return i < 0 ? '' : (row.values[i] ?? '').trim();
      };
      const id = required(pt, row, 'payment_id', 'payment id', cell(C.payment_id));
      const iso3 = iso3Of(pt, row, 'iso3', cell(C.iso3));
      const received = dateOf(pt, row, 'received', cell(C.received));
      const amountText = cell(C.amount);
      // Most amounts are plain centimes: read once, not built as a Decimal.
      const cents = parseCents(amountText);
      const amount = cents.ok && cents.value > 0n ? amountText : get(pt, row, 'amount', positiveAmount(amountText))?.toFixed();
      const currency = currencyOf(pt, row, 'currency', cell(C.currency));
      const purpose = oneOf(pt, row, 'purpose', PURPOSES, 'isu', cell(C.purpose));
      let chf: Cents | undefined;
      const chfText = cell(C.chf);
      if (currency === 'CHF') {
        if (amount !== undefined) {
          const a = positive(pt, row, 'amount', cents);
          if (a !== undefined && chfText !== '') {
            const c = positive(pt, row, 'chf', parseCents(chfText));
            if (c !== undefined && c !== a) problems.push(atCell(pt, row, 'chf', 'value-invalid', `a CHF payment of ${amountText} credited as ${chfText}`, 'for a payment sent in CHF, leave chf empty or write the same amount'));
          }
          chf = a;
        }
      } else if (currency) {
        if (chfText === '') bad(pt, row, 'chf', { ok: false, code: 'value-missing', message: `no CHF amount for a payment sent in ${currency}`, hint: 'write the CHF amount the bank credited (from the bank statement); finproc never converts a payment received' });
        else chf = positive(pt, row, 'chf', parseCents(chfText));
      }
      const ey = cell(C.earmark_year);
      const ec = cell(C.earmark_category);
      const ei = cell(C.earmark_invoice);
      const earmarked = ey !== '' || ec !== '' || ei !== '';
      const earmark: Earmark = earmarked ? {} : NONE;
      if (ey !== '') {
        const y = get(pt, row, 'earmark_year', parseYear(ey));
        if (y !== undefined) earmark.year = y;
      }
      if (ec !== '') earmark.category = ec;
      if (ei !== '') earmark.invoice = ei;
      if (earmarked && purpose && purpose !== 'isu' && purpose !== 'meeting') {
        bad(pt, row, ei !== '' ? 'earmark_invoice' : ey !== '' ? 'earmark_year' : 'earmark_category', { ok: false, code: 'value-invalid', message: `a ${purpose} payment cannot be earmarked to an assessment`, hint: 'voluntary contributions never settle assessments; use purpose isu or meeting, or leave the earmark empty' });
        return;
      }
      if (ec !== '' && ey === '') bad(pt, row, 'earmark_category', { ok: false, code: 'value-missing', message: 'an earmarked category without its year', hint: 'write earmark_year too (e.g. 2024 and scale)' });
      else if (ei !== '' && (ey !== '' || ec !== '')) bad(pt, row, 'earmark_invoice', { ok: false, code: 'value-invalid', message: 'an invoice earmark together with a year or category earmark', hint: 'earmark either an invoice, or a year (and category)' });
      else if (iso3 && ei !== '') {
        const inv = invoices.get(ei);
        if (!inv) bad(pt, row, 'earmark_invoice', { ok: false, code: 'ledger-reference', message: `invoice ${ei} is not in assessments.csv`, hint: 'earmark an invoice of this State that assessments.csv lists' });
        else if (inv.line.iso3 !== iso3) bad(pt, row, 'earmark_invoice', { ok: false, code: 'ledger-reference', message: `invoice ${ei} was issued to ${inv.line.iso3}, not to ${iso3}`, hint: "a State's payment can only be earmarked to its own invoices" });
      } else if (iso3 && earmark.year !== undefined) {
        if (!assessedYears.has(`${iso3}:${earmark.year}`)) bad(pt, row, 'earmark_year', { ok: false, code: 'ledger-reference', message: `${iso3} was never assessed for ${earmark.year}`, hint: `assessments.csv has no line for ${iso3} in ${earmark.year}: check the year, or leave the earmark empty (oldest first)` });
        else if (ec !== '' && !assessedCategories.has(`${iso3}:${earmark.year}:${ec}`)) bad(pt, row, 'earmark_category', { ok: false, code: 'ledger-reference', message: `${iso3} was never assessed for category "${ec}" in ${earmark.year}`, hint: 'check the category id (as in assessments.csv)' });
      }
      const pledge = cell(C.pledge);
      if (pledge !== '' && iso3 && purpose) {
        const p = pledgeById.get(pledge);
        if (!p) bad(pt, row, 'pledge', { ok: false, code: 'ledger-reference', message: `pledge ${pledge} is not in pledges.csv`, hint: 'name a pledge of pledges.csv, or leave the cell empty' });
        else if (p.iso3 !== iso3 || p.purpose !== purpose) bad(pt, row, 'pledge', { ok: false, code: 'ledger-reference', message: `pledge ${pledge} is by ${p.iso3} for ${p.purpose}, this payment by ${iso3} for ${purpose}`, hint: 'a payment fulfils a pledge of the same State and purpose' });
      }
      if (!id || !iso3 || !received || amount === undefined || !currency || !purpose || chf === undefined) return;
      seenPayments ??= new KeySet(pt.plain ? recallColumn(pt, 'payment_id') : undefined);
      if (isDuplicate(pt, row, 'payment_id', seenPayments, id, problems)) return;
      const record: PaymentRecord = {
        id,
        iso3,
        received,
        amount,
        currency,
        chf,
        purpose,
        // Every record has the same fields (one hidden class for a million objects).
        earmark: earmarked ? earmark : undefined,
        pledge: pledge !== '' ? pledge : undefined,
        // (a text a spreadsheet would take for a formula or a number is written with an apostrophe before it: read without)
        reference: unguard(freeText(pt, row, 'reference', cell(C.reference))),
        bankRef: pos![C.bank_ref]! < 0 ? undefined : unguard(freeText(pt, row, 'bank_ref', cell(C.bank_ref))) || undefined,
      };
      if (!streamed(record) && !(opts.checkOnly && !adjusted.has(record.iso3))) payments.push(record);
    }
  });

  // exchange-rates.csv
  const rates: RateRecord[] = [];
  const rt = open('rates');
  if (rt) {
    const seen = new KeySet();
    for (const row of rt.rows) {
      const date = get(rt, row, 'date', parseDate(text(row, 'date')));
      const currency = currencyOf(rt, row);
      const chf = get(rt, row, 'chf', positiveAmount(text(row, 'chf')));
      if (currency === 'CHF') bad(rt, row, 'currency', { ok: false, code: 'value-invalid', message: 'a rate for CHF itself', hint: 'rates give CHF for one unit of another currency' });
      if (!date || !currency || !chf || currency === 'CHF') continue;
      if (isDuplicate(rt, row, 'date', seen, `${currency} ${date}`, problems)) continue;
      rates.push({ date, currency, chf });
    }
  }

  // A pledge in another currency is valued in CHF: its currency needs a rate from the day it was made.
  if (plt) {
    const first = new Map<string, string>();
    for (const r of rates) if (!first.has(r.currency) || r.date < first.get(r.currency)!) first.set(r.currency, r.date);
    for (const row of plt.rows) {
      const cur = text(row, 'currency');
      const pledged = text(row, 'pledged');
      if (cur === 'CHF' || !CURRENCY.test(cur) || !/^\d{4}-\d{2}-\d{2}$/.test(pledged)) continue;
      const f = first.get(cur);
      if (f === undefined || f > pledged)
        problems.push(atCell(plt, row, 'currency', 'rate-missing', f === undefined ? `no exchange rate for ${cur} in exchange-rates.csv` : `the first ${cur} rate is of ${f}, after the pledge (${pledged})`, `add a row "${pledged},${cur},<CHF for one ${cur}>" to exchange-rates.csv (a pledge not in CHF is valued at the rate of the day); check the currency code`));
    }
  }
  const whereAdjustment = (id: string, field: string): Where | undefined => {
    const row = adjustmentRows.get(id);
    if (!row || !adt) return undefined;
    const c = row.cell(field);
    return { file: adt.file, line: c?.line ?? row.line, column: c?.column ?? 1, excerpt: adt.lines[(c?.line ?? row.line) - 1] ?? '', width: c?.width ?? 1, field };
  };
  if (assessmentsBroken) {
    const kept = problems.filter((p, i) => i < afterAssessments || p.code !== 'ledger-reference' || p.file === undefined);
    const dropped = problems.length - kept.length;
    // (in place, one by one: a spread of 120,000 problems or more overflows V8's stack)
    problems.length = 0;
    for (const p of kept) problems.push(p);
    if (dropped > 0) {
      const first = problems.find((p) => p.file?.endsWith(LEDGER_FILES.assessments) && (p.code === 'column-missing' || p.code === 'csv-syntax' || p.code === 'file-unreadable' || p.code === 'csv-delimiter'));
      if (first) first.message += ` (${dropped} references to assessments from payments and adjustments not checked until it is fixed)`;
    }
  }
  if (failed) return undefined;
  const ledger: Ledger = { lines, payments, adjustments };
  // The rules that only a replay can check: a line reduced below zero, a refund beyond the credit.
  if (adjustments.length > 0) {
    const touched = new Set(adjustments.map((a) => a.iso3));
    for (const [iso3, events] of eventsByState({ lines: lines.filter((l) => touched.has(l.iso3)), payments: payments.filter((p) => touched.has(p.iso3)), adjustments })) {
      for (const v of replay(iso3, events).violations) {
        const w = whereAdjustment(v.adjustment.id, 'amount');
        problems.push(problem('ledger-rule', v.message, { ...w, hint: v.adjustment.kind === 'refund' ? 'a refund pays back credit the State has on that date; check the amount and the date' : 'a line cannot be reduced below zero: check the amount, or the reassessments and their dates' }));
      }
    }
  }
  let accounts: Map<string, Account> | undefined;
  if (stream && inOrder) {
    for (const [iso3, ev] of fixed!) if (!replayers.has(iso3)) replayers.set(iso3, new Replayer(iso3, ev, stream.asOf));
    accounts = new Map([...replayers].sort((x, y) => (x[0] < y[0] ? -1 : 1)).map(([iso3, r]) => [iso3, r.finish()]));
  }
  return { ledger, pledges, rates, present, whereAdjustment, ...(accounts ? { accounts } : {}) };
}

/** An amount more than zero in any currency (two decimals at most are not required here). */
function positiveAmount(text: string): Parsed<Decimal> {
  const r = parseAmount(text, { money: true });
  if (!r.ok) return r;
  if (r.value.isZero()) return { ok: false, code: 'amount-invalid', message: 'the amount is zero', hint: 'write an amount of more than zero' };
  return r;
}


/** A participants file (`iso3` and optional `name`, `status`, `note`): the States taking part in a meeting. */
export function loadParticipants(reader: FileReader, abs: string, books: Books, problems: Problem[]): string[] | undefined {
  const f = reader.read(abs, problems);
  if (!f) return undefined;
  const r = readCsv(f.display, f.text, { required: ['iso3'], optional: ['name', 'status', 'note'] });
  problems.push(...r.problems);
  const t = r.table;
  if (!t) return undefined;
  const out: string[] = [];
  const seen = new KeySet();
  for (const row of t.rows) {
    const v = (row.text('iso3') ?? '').trim();
    const p = parseIso3(v);
    if (!p.ok) {
      problems.push(cellProblem(t, row, 'iso3', p));
      continue;
    }
    if (!books.ref.states.has(p.value)) {
      problems.push(atCell(t, row, 'iso3', 'iso3-unknown', `${p.value} is not in states.csv`, 'check the code (ISO 3166-1 alpha-3)'));
      continue;
    }
    if (isDuplicate(t, row, 'iso3', seen, p.value, problems)) continue;
    out.push(p.value);
  }
  if (out.length === 0 && !problems.length) problems.push(problem('value-missing', 'no participant', { file: f.display, line: 1, column: 1, hint: 'list one State per line under the header iso3' }));
  return out.sort();
}

/** The non-empty cells of one column on the lines before `before`, read again from a quote-free file's text. */
function recallColumn(t: CsvTable, column: string): (before: number) => Iterable<[string, number]> {
  const i = t.header.indexOf(column);
  const first = t.headerCells[0]!.line + 1;
  return function* (before) {
    for (let n = first; n < before; n++) {
      const v = (t.lines[n - 1]?.split(t.delimiter)[i] ?? '').trim();
      if (v !== '') yield [v, n];
    }
  };
}

/** A pledge or payment in a currency with no rate on or before its date, as a located problem. */
export function rateMissing(x: { currency: string; date: string; why: string }, ratesFile: string): Problem {
  return problem('rate-missing', `no ${x.currency} rate on or before ${x.date} (${x.why})`, { file: ratesFile, hint: `add a row "${x.date},${x.currency},<CHF for one ${x.currency}>" to exchange-rates.csv` });
}
