/**
 * CSV output, RFC 4180 by default or the Excel dialect used in Geneva (`;`, BOM, CRLF).
 *
 * Formula injection: a text cell starting with = + - @ TAB or CR is prefixed with `'` so
 * that a spreadsheet shows it as text. Only the text columns are protected; amount columns
 * are written as plain numbers (`-12.30` must stay a number), which csv-stringify's own
 * `escape_formulas` would break.
 */
import { stringify } from 'csv-stringify/sync';

export type CsvDialect = 'rfc4180' | 'excel';

export function protectText(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

export interface CsvColumn {
  title: string;
  kind: 'text' | 'number';
}

export function toCsv(columns: CsvColumn[], rows: string[][], dialect: CsvDialect): string {
  const safe = rows.map((r) => r.map((v, i) => (columns[i]?.kind === 'text' ? protectText(v) : v)));
  const excel = dialect === 'excel';
  const body = stringify([columns.map((c) => protectText(c.title)), ...safe], {
    delimiter: excel ? ';' : ',',
    record_delimiter: 'windows', // RFC 4180 §2: records end with CRLF
    // A line break must be quoted whatever the record delimiter (csv-stringify only quotes
    // the one it writes); leading or trailing blanks are quoted so that no reader trims them.
    quoted_match: /[\r\n]|^\s|\s$/,
  });
  return (excel ? '\uFEFF' : '') + body;
}
