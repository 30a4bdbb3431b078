/**
 * CSV input: UTF-8 with or without BOM, `,` or `;` detected from the header line (never
 * both: csv-parse given both would split on either), RFC 4180 quotes, LF or CRLF.
 *
 * Every cell keeps its line and column, so that any later check can point at it:
 *   data/budgets.csv:4:6  amount  "1,234" is ambiguous …
 */
import { parse } from 'csv-parse/sync';
import { problem, type Problem } from '../core/problem.js';
import type { Parsed } from '../core/parse.js';

/**
 * A text cell of a file finproc writes and reads again (bank-review.csv, the payer's texts in
 * payments.csv) that a spreadsheet would take for a formula gets a leading apostrophe, and
 * loses it when read back; so does one that begins with apostrophes before such a character,
 * so that the text comes back as it was ('=1+1 is written ''=1+1, and read '=1+1, not =1+1).
 * So does a text of digits alone that Excel would make a number of and lose digits of when
 * saving: 12 digits or more (a QR reference has 27: 2.1E+26), or a leading zero.
 */
export function guard(s: string): string {
  const c = s.charCodeAt(0); // = + - @ TAB CR
  return c === 61 || c === 43 || c === 45 || c === 64 || c === 9 || c === 13 || ((c === 39 || (c >= 48 && c <= 57)) && GUARDED_TEXT.test(s)) ? `'${s}` : s;
}
const GUARDED_TEXT = /^'*(?:[=+\-@\t\r]|\d{12,}$|0\d+$)/;
/** The text guard() wrote. */
export const unguard = (s: string): string => (s.charCodeAt(0) === 39 && GUARDED_TEXT.test(s.slice(1)) ? s.slice(1) : s);

export interface Cell {
  text: string;
  line: number;
  column: number;
  width: number;
}

/**
 * One record. Values are kept as parsed; the line and column of a cell are worked out only
 * when a problem needs them (most rows never do), from the text of the record's lines.
 */
export class CsvRow {
  constructor(
    /** Line of the start of the record (1-based). */
    readonly line: number,
    /** Line of its end (a quoted field may span lines). */
    readonly endLine: number,
    readonly values: string[],
    private readonly table: { index: Map<string, number>; lines: string[]; delimiter: string },
  ) {}

  /** The cell's text, or undefined if the file has no such column. */
  text(column: string): string | undefined {
    const i = this.table.index.get(column);
    return i === undefined ? undefined : this.values[i];
  }

  /** The cell with its position in the file. */
  cell(column: string): Cell | undefined {
    const i = this.table.index.get(column);
    if (i === undefined) return undefined;
    const raw = this.table.lines.slice(this.line - 1, this.endLine).join('\n');
    return locate(this.values, raw, this.endLine, this.table.delimiter).cells[i];
  }
}

export interface CsvSpec {
  required: string[];
  optional?: string[];
  /** Further columns allowed by pattern (e.g. the rate columns of the scale). */
  pattern?: RegExp;
}

export interface CsvTable {
  file: string;
  header: string[];
  /** Where each header name stands (for problems about a whole column). */
  headerCells: Cell[];
  rows: CsvRow[];
  /** The text's lines, for quoting in errors. */
  lines: string[];
  delimiter: ',' | ';';
  /** No quote anywhere in the file: each line is one record, its fields split on the delimiter. */
  plain: boolean;
}

export function detectDelimiter(headerLine: string): ',' | ';' | 'both' {
  let comma = 0;
  let semi = 0;
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === ',') comma++;
    else if (!quoted && ch === ';') semi++;
  }
  if (comma > 0 && semi > 0) return 'both';
  return semi > 0 ? ';' : ',';
}

/** At most this many "wrong number of fields" problems per file; one mistake in a header must not bury the rest. */
const MAX_FIELD_COUNT_PROBLEMS = 5;

/**
 * Read a CSV text against a spec. With `onRow`, rows are handed over one at a time and not
 * kept (a million payments need not all be held as strings).
 */
export function readCsv(file: string, text: string, spec: CsvSpec, opts: { onRow?: (row: CsvRow, table: CsvTable) => void } = {}): { table?: CsvTable; problems: Problem[] } {
  const problems: Problem[] = [];
  let body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.includes('\r') && !body.includes('\n')) {
    problems.push(problem('csv-syntax', 'lines end with a bare carriage return (old Mac style)', { file, line: 1, column: 1, hint: 'save the file with LF or CRLF line endings' }));
    return { problems };
  }
  // Excel's "sep=;" first line names the delimiter; it is not part of the data.
  const sep = /^sep=(.)\r?\n/.exec(body);
  const offset = sep ? 1 : 0;
  if (sep) body = body.slice(sep[0].length);
  const dataLines = body.includes('\r') ? body.split(/\r?\n/) : body.split('\n');
  // lines[k - 1] is line k of the file (the "sep=" line included).
  const lines = sep ? [sep[0].replace(/\r?\n$/, ''), ...dataLines] : dataLines;
  const headerLine = dataLines[0] ?? '';
  if (headerLine.trim() === '') {
    const empty = body.trim() === '';
    problems.push(problem('column-missing', empty ? 'the file is empty: expected a header line' : 'the first line is blank: expected the header on line 1', { file, line: 1 + offset, column: 1, hint: `the header must name the columns: ${spec.required.join(', ')}` }));
    return { problems };
  }
  const found = sep ? (sep[1] === ',' || sep[1] === ';' ? sep[1] : 'other') : detectDelimiter(headerLine);
  if (found === 'both' || found === 'other' || (!headerLine.includes(',') && !headerLine.includes(';') && headerLine.includes('\t'))) {
    problems.push(
      problem('csv-delimiter', found === 'both' ? 'the header line has both "," and ";": the delimiter cannot be told' : 'the delimiter is neither "," nor ";" (a tab-separated file?)', {
        file,
        line: 1 + offset,
        column: 1,
        excerpt: headerLine,
        width: headerLine.length,
        hint: 'use one delimiter throughout: "," (RFC 4180) or ";" (Excel in Geneva)',
      }),
    );
    return { problems };
  }
  const d = found;
  let spans: Iterator<Span>;
  const plain = !body.includes('"');
  if (plain) {
    // No quote anywhere: no field can hold a delimiter or a line break, so each line is a
    // record and splitting on the delimiter is exactly what a CSV parser would do. This is
    // what makes a million-row payments file fast; any quote sends the file to csv-parse.
    spans = plainSpans(dataLines, d, offset);
  } else {
    const res = parseRecords(file, body, d, dataLines, offset);
    if (!res.records) return { problems: [...problems, ...res.problems] };
    spans = parsedSpans(res.records, dataLines, offset);
  }
  const first = spans.next();
  const headSpan = first.done ? undefined : first.value;
  if (!headSpan) return { problems };
  const head = locate(headSpan.values, lines.slice(headSpan.start - 1, headSpan.end).join('\n'), headSpan.end, d);
  const header = head.cells.map((c) => c.text.trim());
  const allowed = new Set([...spec.required, ...(spec.optional ?? [])]);
  const seen = new Map<string, Cell>();
  head.cells.forEach((c, i) => {
    const name = header[i]!;
    const where = { file, line: c.line, column: c.column, excerpt: lines[c.line - 1] ?? '', width: c.width, field: name };
    if (seen.has(name))
      problems.push(
        name === ''
          ? problem('column-duplicate', 'the header has several columns without a name', { ...where, hint: 'a spreadsheet saves the empty columns right of the data once a cell there was used: delete those columns, or name them' })
          : problem('column-duplicate', `column "${name}" appears twice in the header`, { ...where, hint: 'rename or remove one of them' }),
      );
    seen.set(name, c);
    if (!allowed.has(name) && !(spec.pattern && spec.pattern.test(name)))
      problems.push(problem('column-unknown', `unknown column "${name}" is ignored`, { ...where, severity: 'warning', hint: `the columns of this file are: ${[...allowed].join(', ')}${spec.pattern ? ` and ${spec.pattern.source}` : ''}` }));
  });
  const missing = spec.required.filter((c) => !seen.has(c));
  if (missing.length > 0) {
    problems.push(problem('column-missing', `missing required column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')}`, { file, line: headSpan.start, column: 1, excerpt: headerLine, width: headerLine.length, hint: `the header must name: ${spec.required.join(', ')}` }));
    return { problems };
  }
  const index = new Map<string, number>();
  header.forEach((h, i) => {
    if (!index.has(h)) index.set(h, i);
  });
  const shared = { index, lines, delimiter: d };
  const out: CsvRow[] = [];
  const table: CsvTable = { file, header, headerCells: head.cells, rows: out, lines, delimiter: d, plain };
  let fieldCountProblems = 0;
  for (let it = spans.next(); !it.done; it = spans.next()) {
    const r = it.value;
    if (blank(r.values)) continue;
    if (r.values.length !== header.length) {
      if (++fieldCountProblems > MAX_FIELD_COUNT_PROBLEMS) continue;
      const cells = locate(r.values, lines.slice(r.start - 1, r.end).join('\n'), r.end, d).cells;
      const last = cells[cells.length - 1]!;
      problems.push(
        problem('csv-syntax', `expected ${header.length} fields as in the header, found ${cells.length}`, {
          file,
          line: r.start,
          column: cells.length > header.length ? cells[header.length]!.column : last.column + last.width,
          excerpt: lines[r.start - 1] ?? '',
          width: 1,
          hint: `a "${d}" inside a value must be quoted; check for a missing or extra "${d}"`,
        }),
      );
      continue;
    }
    const row = new CsvRow(r.start, r.end, r.values, shared);
    if (opts.onRow) opts.onRow(row, table);
    else out.push(row);
  }
  if (fieldCountProblems > MAX_FIELD_COUNT_PROBLEMS)
    problems.push(problem('csv-syntax', `${fieldCountProblems - MAX_FIELD_COUNT_PROBLEMS} more records with the wrong number of fields are not listed`, { file, line: lines.length, column: 1, hint: header.some((h) => h === '') ? 'the header has an empty column name: a delimiter at the end of the header line?' : `check the "${d}" delimiters` }));
  return { table, problems };
}

/** A record of empty cells only (`,,,`): skipped like an empty line. */
function blank(values: string[]): boolean {
  for (const v of values) if (v.trim() !== '') return false;
  return true;
}

interface Span {
  start: number;
  end: number;
  values: string[];
}

/**
 * The records of a quote-free text: one per line that is not empty. One span and one result
 * object serve every line (each is used before the next is asked for).
 */
function plainSpans(dataLines: string[], d: string, offset: number): Iterator<Span> {
  let i = 0;
  const span: Span = { start: 0, end: 0, values: [] };
  const more: IteratorResult<Span> = { done: false, value: span };
  return {
    next: () => {
      while (i < dataLines.length && dataLines[i] === '') i++;
      if (i >= dataLines.length) return { done: true, value: undefined };
      span.start = span.end = i + 1 + offset;
      span.values = dataLines[i++]!.split(d);
      return more;
    },
  };
}

/**
 * Where each record lies: it starts at the next line that is not empty (csv-parse skips
 * empty lines) and spans one more line per line break inside its quoted values. (Worked
 * out here because csv-parse's own `info` option copies an object per record, which costs
 * more than the parse itself.)
 */
function* parsedSpans(records: string[][], dataLines: string[], offset: number): Generator<Span> {
  let next = 1;
  for (const values of records) {
    while (next <= dataLines.length && dataLines[next - 1] === '') next++;
    let breaks = 0;
    for (const v of values) for (let i = v.indexOf('\n'); i >= 0; i = v.indexOf('\n', i + 1)) breaks++;
    const span = { start: next + offset, end: next + breaks + offset, values };
    next = span.end + 1;
    yield span;
  }
}

/** csv-parse, with its errors told in this tool's words and at the right line and column. */
function parseRecords(file: string, body: string, d: string, lines: string[], offset: number): { records?: string[][]; problems: Problem[] } {
  try {
    return { records: parse(body, { delimiter: d, relax_column_count: true, skip_empty_lines: true }) as string[][], problems: [] };
  } catch (e) {
    const err = e as { message?: string; lines?: number; code?: string };
    let line = typeof err.lines === 'number' ? err.lines : 1;
    let column = 1;
    let message = `malformed CSV: ${String(err.message ?? e).replace(/ at line \d+$/, '')}`;
    let hint = 'fields with a delimiter, a quote or a line break must be quoted, and quotes inside doubled ("")';
    if (err.code === 'CSV_QUOTE_NOT_CLOSED') {
      const open = unclosedQuote(body, d);
      line = open.line;
      column = open.column;
      message = 'a quoted field is never closed';
      hint = 'add the closing quote; a quote inside a quoted field is written twice ("")';
    } else if (err.code === 'CSV_INVALID_OPENING_QUOTE' || err.code === 'CSV_INVALID_CLOSING_QUOTE') {
      const l = lines[line - 1] ?? '';
      column = Math.max(1, l.indexOf('"') + 1);
      message = 'a quote in the middle of a field';
      hint = 'quote the whole field and double the quotes inside it: "12 ""A"" street"';
    }
    return { problems: [problem('csv-syntax', message, { file, line: line + offset, column, excerpt: lines[line - 1] ?? '', width: 1, hint })] };
  }
}

/** Line and column of the quote that opens the field left unclosed at the end of the text. */
function unclosedQuote(body: string, d: string): { line: number; column: number } {
  let line = 1;
  let col = 1;
  let quoted = false;
  let atFieldStart = true;
  let open = { line: 1, column: 1 };
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        i++;
        col += 2;
        continue;
      }
      if (ch === '"') quoted = false;
    } else if (ch === '"' && atFieldStart) {
      quoted = true;
      open = { line, column: col };
    }
    atFieldStart = !quoted && (ch === d || ch === '\n');
    if (ch === '\n') {
      line++;
      col = 1;
    } else col++;
  }
  return open;
}

/** Line and column of every field of a record, from the raw text csv-parse saw. */
function locate(record: string[], rawIn: string, endLine: number, d: string): { line: number; cells: Cell[] } {
  const raw = rawIn.replace(/^(\r?\n)+/, '').replace(/\r?\n$/, '');
  const startLine = endLine - (raw.match(/\n/g)?.length ?? 0);
  const cells: Cell[] = [];
  let line = startLine;
  let col = 1;
  let fieldStart = { line, col };
  let fieldLen = 0;
  let quoted = false;
  let i = 0;
  const push = () => {
    const k = cells.length;
    cells.push({ text: record[k] ?? '', line: fieldStart.line, column: fieldStart.col, width: Math.max(1, fieldLen) });
  };
  while (i < raw.length) {
    const ch = raw[i]!;
    if (quoted) {
      if (ch === '"' && raw[i + 1] === '"') {
        i += 2;
        col += 2;
        fieldLen += 2;
        continue;
      }
      if (ch === '"') quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === d) {
      push();
      i++;
      col++;
      fieldStart = { line, col };
      fieldLen = 0;
      continue;
    }
    if (ch === '\n') {
      line++;
      col = 1;
    } else if (ch !== '\r') col++;
    if (ch !== '\r' && ch !== '\n' && fieldStart.line === line) fieldLen++;
    i++;
  }
  push();
  return { line: startLine, cells };
}

/** A cell that failed a scalar reader, as a problem pointing at the cell. */
export function cellProblem(t: CsvTable, row: CsvRow, column: string, r: Extract<Parsed<unknown>, { ok: false }>): Problem {
  const c = row.cell(column);
  return problem(r.code, r.message, {
    file: t.file,
    line: c?.line ?? row.line,
    column: c?.column ?? 1,
    field: column,
    excerpt: t.lines[(c?.line ?? row.line) - 1] ?? '',
    width: c?.width ?? 1,
    hint: r.hint,
  });
}

/** Problem at a cell for a check made outside the scalar readers. */
export function atCell(t: CsvTable, row: CsvRow, column: string, code: Problem['code'], message: string, hint?: string): Problem {
  return cellProblem(t, row, column, { ok: false, code, message, hint: hint ?? '' });
}
