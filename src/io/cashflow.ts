/**
 * Loading the cash-flow and sponsorship books (docs/cashflow.md): the expenditure plan, the
 * opening balances and the sponsored delegates. Each file is optional here: a command that
 * needs one says so with a problem that names the file. Every cell problem has its file,
 * line and column, as for the ledger files (src/io/ledger.ts).
 */
import path from 'node:path';
import type { DelegateRow, OpeningRow, PlanRow } from '../core/cashflow.js';
import { parseDate, parseIso3, parseYear, type Parsed } from '../core/parse.js';
import { problem, type Problem } from '../core/problem.js';
import { CONTROL, isDuplicate, KeySet, type Books, type FileReader } from './books.js';
import { atCell, cellProblem, readCsv, type CsvRow, type CsvSpec, type CsvTable } from './csv.js';
import { parseCents } from './ledger.js';

export const CASHFLOW_FILES = {
  plan: 'expenditure-plan.csv',
  opening: 'opening-balances.csv',
  delegates: 'sponsored-delegates.csv',
  actual: 'expenditure.csv',
} as const;
export type CashflowFile = keyof typeof CASHFLOW_FILES;

const SPECS: Record<CashflowFile, CsvSpec> = {
  plan: { required: ['month', 'line', 'amount'], optional: ['note'] },
  opening: { required: ['year', 'operating_cash', 'reserve'], optional: ['note'] },
  delegates: { required: ['meeting', 'date', 'iso3', 'delegates', 'cost'], optional: ['note'] },
  actual: { required: ['month', 'line', 'amount'], optional: ['note'] },
};

export interface CashflowBooks {
  plan: PlanRow[];
  opening: OpeningRow[];
  delegates: DelegateRow[];
  /** Actual spending per month and budget line (expenditure.csv), the same shape as the plan. */
  actual: PlanRow[];
  present: Record<CashflowFile, boolean>;
  /** Where each file is, as shown to the user (for "no row for the year" problems). */
  display: Record<CashflowFile, string>;
}

/** The digit tail of a thousands-separated amount split by an unquoted "," ("50,000.00" → "50" | "000.00"). */
const THOUSANDS_TAIL = /^\d{3}(\.\d\d?)?$/;
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const LINE_ID = /^[a-z0-9][a-z0-9._-]{0,39}$/;
const MEETING_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;

export function parseMonth(text: string): Parsed<string> {
  const t = text.trim();
  if (MONTH.test(t)) return { ok: true, value: t };
  if (/^\d{1,2}[./-]\d{4}$/.test(t) || /^\d{4}[./]\d{1,2}$/.test(t)) return { ok: false, code: 'date-ambiguous', message: `"${t}" is not an ISO month`, hint: 'write the month as YYYY-MM, e.g. 2026-09' };
  return { ok: false, code: 'date-invalid', message: `"${t}" is not a month`, hint: 'write the month as YYYY-MM, e.g. 2026-09' };
}

export function loadCashflowBooks(books: Books, reader: FileReader, problems: Problem[]): CashflowBooks | undefined {
  const present = {} as Record<CashflowFile, boolean>;
  const display = {} as Record<CashflowFile, string>;
  let failed = false;
  const open = (f: CashflowFile): CsvTable | undefined => {
    const abs = path.join(books.dir, CASHFLOW_FILES[f]);
    display[f] = reader.display(abs);
    present[f] = reader.exists(abs);
    if (!present[f]) return undefined;
    const file = reader.read(abs, problems);
    if (!file) {
      failed = true;
      return undefined;
    }
    const r = readCsv(file.display, file.text, SPECS[f]);
    problems.push(...r.problems);
    if (!r.table) failed = true;
    return r.table;
  };
  const text = (row: CsvRow, col: string) => (row.text(col) ?? '').trim();
  const get = <T>(t: CsvTable, row: CsvRow, col: string, r: Parsed<T>): T | undefined => {
    if (r.ok) return r.value;
    problems.push(cellProblem(t, row, col, r));
    return undefined;
  };
  const note = (t: CsvTable, row: CsvRow): string => {
    const v = text(row, 'note');
    if (CONTROL.test(row.text('note') ?? '')) problems.push(atCell(t, row, 'note', 'value-invalid', 'the note contains a line break or another control character', 'write it on one line, without control or bidi characters'));
    return v;
  };
  /**
   * An amount written with a thousands separator and not quoted ("50,000.00" in a
   * ","-delimited file) is split into "50" and the next cell, "000.00": when the next
   * column is the free-text note it takes the tail silently, and the amount reads as 50.00.
   * So a whole amount of 1–3 digits followed by a note that is such a tail is ambiguous.
   */
  const amount = (t: CsvTable, row: CsvRow, col: string): bigint | undefined => {
    const a = text(row, col);
    const next = t.header.indexOf(col) + 1;
    if (/^\d{1,3}$/.test(a) && next > 0 && t.header[next] === 'note' && THOUSANDS_TAIL.test(text(row, 'note'))) {
      const written = `${a},${text(row, 'note')}`;
      problems.push(atCell(t, row, col, 'amount-ambiguous', `"${a}" followed by the note "${text(row, 'note')}" looks like the amount ${written} split at its thousands separator`, `quote the amount ("${written}"), or write it without the separator: ${written.replace(',', '')}`));
      return undefined;
    }
    return get(t, row, col, parseCents(a));
  };

  /** expenditure-plan.csv and expenditure.csv: one row per month and budget line. */
  const monthLines = (t: CsvTable | undefined): PlanRow[] => {
    const rows: PlanRow[] = [];
    if (!t) return rows;
    const seen = new KeySet();
    for (const row of t.rows) {
      const month = get(t, row, 'month', parseMonth(text(row, 'month')));
      const lineText = text(row, 'line');
      const line = get(t, row, 'line', LINE_ID.test(lineText) ? { ok: true, value: lineText } : { ok: false, code: lineText === '' ? 'value-missing' : 'value-invalid', message: lineText === '' ? 'no budget line' : `"${lineText}" is not a budget line id`, hint: 'lower-case letters, digits, ".", "_" or "-", e.g. staff, travel, msp' });
      const cents = amount(t, row, 'amount');
      const n = note(t, row);
      if (!month || !line || cents === undefined) continue;
      if (isDuplicate(t, row, 'line', seen, `${month} ${line}`, problems)) continue;
      rows.push({ month, line, amount: cents, note: n });
    }
    return rows;
  };
  const plan = monthLines(open('plan'));
  const at = open('actual');
  const actual = monthLines(at);
  // Actual spending on a line the plan of its year does not have: a typo, or spending
  // outside the budget; either way budget against actual cannot set it against a plan.
  if (at && present.plan) {
    const planned = new Set(plan.map((p) => `${p.month.slice(0, 4)} ${p.line}`));
    const planYears = new Set(plan.map((p) => p.month.slice(0, 4)));
    for (const row of at.rows) {
      const month = text(row, 'month');
      const line = text(row, 'line');
      if (!MONTH.test(month) || !LINE_ID.test(line) || !planYears.has(month.slice(0, 4)) || planned.has(`${month.slice(0, 4)} ${line}`)) continue;
      problems.push({ ...atCell(at, row, 'line', 'value-invalid', `the budget line "${line}" is not in ${CASHFLOW_FILES.plan} for ${month.slice(0, 4)}`, `use a line of the plan (${[...new Set(plan.filter((p) => p.month.startsWith(month.slice(0, 4))).map((p) => p.line))].join(', ')}), or add the line to the plan`), severity: 'warning' });
    }
  }

  const opening: OpeningRow[] = [];
  const ot = open('opening');
  if (ot) {
    const seen = new KeySet();
    for (const row of ot.rows) {
      const year = get(ot, row, 'year', parseYear(text(row, 'year')));
      const operating = amount(ot, row, 'operating_cash');
      const reserve = amount(ot, row, 'reserve');
      const n = note(ot, row);
      if (year === undefined || operating === undefined || reserve === undefined) continue;
      if (isDuplicate(ot, row, 'year', seen, String(year), problems)) continue;
      opening.push({ year, operating, reserve, note: n });
    }
  }

  const delegates: DelegateRow[] = [];
  const dt = open('delegates');
  if (dt) {
    const seen = new KeySet();
    for (const row of dt.rows) {
      const meetingText = text(row, 'meeting');
      const meeting = get(dt, row, 'meeting', MEETING_ID.test(meetingText) ? { ok: true, value: meetingText } : { ok: false, code: meetingText === '' ? 'value-missing' : 'value-invalid', message: meetingText === '' ? 'no meeting' : `"${meetingText}" is not a meeting id`, hint: "letters, digits, '.', '_' and '-' (e.g. 13MSP, IM-2026)" });
      const date = get(dt, row, 'date', parseDate(text(row, 'date')));
      const iso3r = parseIso3(text(row, 'iso3'));
      let iso3 = get(dt, row, 'iso3', iso3r);
      if (iso3 && !books.ref.states.has(iso3)) {
        problems.push(atCell(dt, row, 'iso3', 'iso3-unknown', `${iso3} is not in states.csv`, 'check the code (ISO 3166-1 alpha-3), or add the State to states.csv'));
        iso3 = undefined;
      }
      const dText = text(row, 'delegates');
      const count = get(dt, row, 'delegates', /^[1-9]\d{0,3}$/.test(dText) ? { ok: true, value: Number(dText) } : { ok: false, code: dText === '' ? 'value-missing' : 'amount-invalid', message: dText === '' ? 'no number of delegates' : `"${dText}" is not a number of delegates`, hint: 'a whole number of people, 1 or more' });
      let cost = amount(dt, row, 'cost');
      // A sponsored delegate has a cost: a row costing nothing would make the average cost
      // zero, and the delegates the funds cover could not be counted.
      if (cost === 0n) {
        problems.push(atCell(dt, row, 'cost', 'value-invalid', 'the cost is 0.00: a sponsored delegate has a cost', 'write the travel and subsistence paid for these delegates (more than 0.00), or leave the row out'));
        cost = undefined;
      }
      const n = note(dt, row);
      if (!meeting || !date || !iso3 || count === undefined || cost === undefined) continue;
      if (isDuplicate(dt, row, 'iso3', seen, `${meeting} ${iso3}`, problems)) continue;
      delegates.push({ meeting, date, iso3, delegates: count, cost, note: n });
    }
  }
  if (failed) return undefined;
  return { plan, opening, delegates, actual, present, display };
}

/**
 * What `cashflow` and `report` need of the year: the plan has months of it and the opening
 * balances a row for it (a missing file is `file-missing`, a missing year `plan-missing`).
 */
export function yearPlanNeeds(cf: CashflowBooks, year: number, command: string): { need: Problem[]; opening: OpeningRow | undefined } {
  const need: Problem[] = [];
  const missingFile = (f: CashflowFile, what: string) =>
    problem('file-missing', 'file not found', { file: cf.display[f], hint: `finproc ${command} needs ${CASHFLOW_FILES[f]} in the books directory: ${what} (see data/README.md and docs/cashflow.md)` });
  if (!cf.present.plan) need.push(missingFile('plan', 'the planned spending per month and budget line, columns month,line,amount'));
  else if (!cf.plan.some((p) => p.month.startsWith(`${year}-`)))
    need.push(problem('plan-missing', `the expenditure plan has no month of ${year}`, { file: cf.display.plan, hint: `add rows ${year}-01,staff,35500.00 … for each month and budget line of ${year}` }));
  if (!cf.present.opening) need.push(missingFile('opening', 'the operating cash and the reserve on 1 January, columns year,operating_cash,reserve'));
  const opening = cf.opening.find((x) => x.year === year);
  if (cf.present.opening && !opening) need.push(problem('plan-missing', `no opening balances for ${year}`, { file: cf.display.opening, hint: `add a row "${year},<operating cash on 1 January>,<reserve on 1 January>"` }));
  return { need, opening };
}
