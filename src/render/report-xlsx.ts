/**
 * The financial report as an Excel workbook (.xlsx) for the finance committee, written with
 * exceljs: one sheet per table of `reportTables` (the same rows as the CSV of that table),
 * then a totals row; numbers are numbers with a number format, never text; the title and
 * header rows are frozen; an "About" sheet first with the summary, the notes and the SHA-256
 * of every input.
 *
 * Same books, same bytes: the workbook's created and modified dates are the as-of date (not
 * the clock), and the ZIP that exceljs writes (through JSZip, which stamps every entry with
 * the current time) is packed again with fflate, every entry dated the as-of date, in the
 * same order and at one compression level.
 *
 * exceljs is large: it is loaded on first use with `require`, and left out of the bundle
 * (esbuild --external:exceljs), as playwright-core is (see src/io/pdf.ts for why `require`).
 */
import { createRequire } from 'node:module';
import { unzipSync, zipSync, type Zippable } from 'fflate';
import type { FinancialReport } from '../core/report.js';
import { headline, reportTables, summaryLines, type Kind, type ReportContext } from './report.js';

type ExcelJs = typeof import('exceljs');

function loadExcelJs(): ExcelJs {
  const require = createRequire(import.meta.url);
  try {
    return require('exceljs') as ExcelJs;
  } catch (e) {
    throw new Error(`cannot load exceljs, which writes the .xlsx workbook (${(e as Error).message.split('\n')[0]}): run npm ci`);
  }
}

/** Number formats: amounts with two decimals and grouping; whole numbers; percentages with one decimal (91.2 is 91.2 %, not 0.912). */
export const NUMBER_FORMATS: Record<Exclude<Kind, 'text'>, string> = {
  money: '#,##0.00;-#,##0.00',
  int: '0',
  pct: '0.0',
};

/** A cell's value: text as text; a number column's text as a number ('' stays empty). */
function value(kind: Kind, v: string, label = false): string | number | null {
  if (v === '') return null;
  if (kind === 'text' || (label && !/^-?\d/.test(v))) return v;
  const n = Number(v);
  if (!Number.isFinite(n) || !/^-?\d+(\.\d+)?$/.test(v)) throw new Error(`internal: "${v}" is not a number`);
  return n;
}

export async function reportXlsx(r: FinancialReport, ctx: ReportContext): Promise<Uint8Array> {
  const ExcelJS = loadExcelJs();
  const wb = new ExcelJS.Workbook();
  const [y, mo, d] = r.asOf.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d));
  wb.creator = 'finproc';
  wb.lastModifiedBy = 'finproc';
  wb.created = date;
  wb.modified = date;
  wb.title = headline(r);

  const about = wb.addWorksheet('About', { views: [{ state: 'frozen', ySplit: 1 }] });
  about.getColumn(1).width = 120;
  about.addRow([headline(r)]).font = { bold: true, size: 14 };
  about.addRow([`Amounts in CHF. Only records dated on or before ${r.asOf} are counted. One sheet per table; the CSV of each table (finproc report --format csv --table NAME) holds the same rows.`]);
  for (const s of summaryLines(r)) {
    about.addRow([]);
    about.addRow([s.title]).font = { bold: true };
    for (const l of s.lines) about.addRow([l]);
  }
  if (r.notes.length) {
    about.addRow([]);
    about.addRow(['Notes']).font = { bold: true };
    for (const n of r.notes) about.addRow([n]);
  }
  about.addRow([]);
  about.addRow(['Inputs (SHA-256)']).font = { bold: true };
  for (const f of ctx.inputs) about.addRow([`${f.sha256}  ${f.name}`]);

  for (const t of reportTables(r, ctx)) {
    const ws = wb.addWorksheet(t.id, { views: [{ state: 'frozen', ySplit: 2 }] });
    ws.addRow([`${t.title} (CHF)`]).font = { bold: true };
    const head = ws.addRow(t.columns.map((c) => c.title));
    head.font = { bold: true };
    head.eachCell((cell, i) => {
      cell.alignment = { horizontal: t.columns[i - 1]!.kind === 'text' ? 'left' : 'right', wrapText: true };
      cell.border = { bottom: { style: 'thin' } };
    });
    for (const row of t.rows) ws.addRow(row.map((v, i) => value(t.columns[i]!.kind, v)));
    if (t.total) {
      const total = ws.addRow(t.total.map((v, i) => value(t.columns[i]!.kind, v, true)));
      total.font = { bold: true };
      total.eachCell((cell) => (cell.border = { top: { style: 'thin' } }));
    }
    t.columns.forEach((c, i) => {
      const column = ws.getColumn(i + 1);
      if (c.kind !== 'text') column.numFmt = NUMBER_FORMATS[c.kind];
      // (a loop: a spread of every row overflows V8's stack beyond about 120,000)
      let widest = c.title.length;
      for (const row of t.rows) widest = Math.max(widest, (row[i] ?? '').length + (c.kind === 'money' ? 4 : 0));
      column.width = Math.min(40, Math.max(8, widest + 2));
    });
    // The title cell is text in a number column: no number format on it.
    ws.getCell(1, 1).numFmt = 'General';
    ws.autoFilter = { from: { row: 2, column: 1 }, to: { row: 2, column: t.columns.length } };
  }

  const raw = new Uint8Array(await wb.xlsx.writeBuffer());
  return repack(raw, r.asOf);
}

/**
 * The same ZIP entries, in the same order, each dated `asOf` at noon. fflate writes the DOS
 * date from the local-time fields of the Date, so the Date is built from local fields: the
 * bytes do not depend on the time zone.
 */
export function repack(zip: Uint8Array, asOf: string): Uint8Array {
  const [y, mo, d] = asOf.split('-').map(Number) as [number, number, number];
  const mtime = new Date(Math.max(1980, Math.min(2107, y)), mo - 1, d, 12, 0, 0);
  const files: Zippable = {};
  for (const [name, data] of Object.entries(unzipSync(zip))) files[name] = [data, { mtime, level: 6 }];
  return zipSync(files, { mtime, level: 6 });
}
