/**
 * Recording assessments (and the adjustments of a final meeting cost) in the books: rows are
 * appended to assessments.csv / adjustments.csv, whose existing bytes are kept as they are.
 * Issued lines are never edited; the caller writes the result atomically.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { centsToString, type AdjustmentRecord, type AssessmentLine } from '../core/ledger.js';
import { problem, type Problem } from '../core/problem.js';
import { detectDelimiter } from './csv.js';
import { ASSESSMENT_COLUMNS, LEDGER_FILES } from './ledger.js';

export const ADJUSTMENT_COLUMNS = ['adjustment_id', 'iso3', 'date', 'kind', 'invoice', 'category', 'amount', 'reason'];

/** The new content of a ledger file with `rows` appended, in the file's own column order, delimiter and line endings. */
export function appended(file: string, defaultColumns: string[], rows: Record<string, string>[], problems: Problem[], display: string): string | undefined {
  const before = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const headerLine = before.replace(/^\uFEFF/, '').split(/\r?\n/)[0] ?? '';
  const crlf = /\r\n/.test(before);
  const d = headerLine ? detectDelimiter(headerLine) : ',';
  const delimiter = d === ';' ? ';' : ',';
  const columns = headerLine ? headerLine.split(delimiter).map((c) => c.trim().replace(/^"|"$/g, '')) : defaultColumns;
  for (const r of rows.slice(0, 1))
    for (const [k, v] of Object.entries(r))
      if (v !== '' && !columns.includes(k)) {
        problems.push(problem('column-missing', `the file has no "${k}" column, needed to record "${v}"`, { file: display, line: 1, column: 1, excerpt: headerLine, width: headerLine.length || 1, hint: `add the column to the header (columns: ${defaultColumns.join(',')})` }));
        return undefined;
      }
  const body = stringify(
    rows.map((r) => columns.map((c) => r[c] ?? '')),
    { delimiter, record_delimiter: crlf ? 'windows' : 'unix', quoted_match: /[\r\n]|^\s|\s$/ },
  );
  const head = headerLine ? '' : `${defaultColumns.join(',')}\n`;
  const sep = before === '' || before.endsWith('\n') ? '' : crlf ? '\r\n' : '\n';
  return before + sep + head + body;
}

export function assessmentsFile(booksDir: string): string {
  return path.join(booksDir, LEDGER_FILES.assessments);
}

export function recordAssessments(booksDir: string, lines: AssessmentLine[], problems: Problem[], display: string): { path: string; content: string } | undefined {
  const file = assessmentsFile(booksDir);
  const content = appended(
    file,
    ASSESSMENT_COLUMNS,
    lines.map((l) => ({ invoice: l.invoice, iso3: l.iso3, year: String(l.year), purpose: l.purpose, category: l.category, amount: centsToString(l.amount), currency: 'CHF', issued: l.issued, due: l.due, note: l.note })),
    problems,
    display,
  );
  return content === undefined ? undefined : { path: file, content };
}

export function recordAdjustments(booksDir: string, adjustments: AdjustmentRecord[], problems: Problem[], display: string): { path: string; content: string } | undefined {
  const file = path.join(booksDir, LEDGER_FILES.adjustments);
  const content = appended(
    file,
    ADJUSTMENT_COLUMNS,
    adjustments.map((a) => ({ adjustment_id: a.id, iso3: a.iso3, date: a.date, kind: a.kind, invoice: a.invoice ?? '', category: a.category ?? '', amount: centsToString(a.amount), reason: a.reason })),
    problems,
    display,
  );
  return content === undefined ? undefined : { path: file, content };
}

/** Invoice numbers `PREFIX-NNN`, 1-based, three digits at least, in the order given. */
export function invoiceNumbers(prefix: string, count: number): string[] {
  const width = Math.max(3, String(count).length);
  return Array.from({ length: count }, (_, i) => `${prefix}-${String(i + 1).padStart(width, '0')}`);
}
