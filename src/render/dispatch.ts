/**
 * The report of `finproc send`: one row per document of the manifest with what happened to it
 * (or, with --dry-run, what would), as a table, CSV or JSON (`finproc.dispatch/1`).
 */
import { toCsv, type CsvColumn, type CsvDialect } from './csv.js';
import { fitTable } from './text.js';

export type DispatchStatus = 'would-send' | 'written' | 'sent' | 'skipped' | 'refused' | 'failed' | 'not-attempted';

export interface DispatchRow {
  document: string;
  iso3: string;
  kind: string;
  lang: string;
  to: string;
  status: DispatchStatus;
  /** The message's id (absent for a refused document). */
  messageId: string;
  /** The .eml written (eml mode), else ''. */
  file: string;
  /** Why it was refused, skipped or failed; or the server's answer. */
  detail: string;
}

export interface DispatchReport {
  mode: 'eml' | 'smtp' | 'dry-run';
  rows: DispatchRow[];
}

const WORDS: Record<DispatchStatus, string> = {
  'would-send': 'would send',
  written: 'written',
  sent: 'sent',
  skipped: 'already sent',
  refused: 'refused',
  failed: 'failed',
  'not-attempted': 'not attempted',
};

export function dispatchCounts(rows: readonly DispatchRow[]): Record<DispatchStatus, number> {
  const c = Object.fromEntries(Object.keys(WORDS).map((k) => [k, 0])) as Record<DispatchStatus, number>;
  for (const r of rows) c[r.status] += 1;
  return c;
}

/** "3 sent, 1 already sent, 1 refused": the statuses that occur, in a fixed order. */
export function dispatchSummary(rows: readonly DispatchRow[]): string {
  const c = dispatchCounts(rows);
  const parts = (Object.keys(WORDS) as DispatchStatus[]).filter((k) => c[k] > 0).map((k) => `${c[k]} ${WORDS[k]}`);
  return parts.length ? parts.join(', ') : 'no document';
}

/**
 * The table for people. `width` (a terminal's COLUMNS): the Detail column (a subject or a
 * reason, often over 100 characters) wraps, then the address, so that the table fits; without
 * a width (piped, a file), one line a document.
 */
export function dispatchTable(r: DispatchReport, style?: (s: string) => string, width?: number): string {
  const cols = [{ title: 'Document' }, { title: 'Kind' }, { title: 'Lang' }, { title: 'To' }, { title: 'Status' }, { title: 'Detail' }];
  const rows = r.rows.map((x) => [x.document, x.kind, x.lang, x.to, WORDS[x.status], x.detail || x.file || x.messageId]);
  return fitTable(cols, rows, { ...(style ? { style } : {}), width, wrap: [5, 3], minWrap: 20, key: 1 }).text;
}

export function dispatchCsv(r: DispatchReport, dialect: CsvDialect): string {
  const cols: CsvColumn[] = ['document', 'iso3', 'kind', 'lang', 'to', 'status', 'message_id', 'file', 'detail'].map((title) => ({ title, kind: 'text' }));
  return toCsv(cols, r.rows.map((x) => [x.document, x.iso3, x.kind, x.lang, x.to, x.status, x.messageId, x.file, x.detail]), dialect);
}

export function dispatchJson(r: DispatchReport): string {
  const counts = dispatchCounts(r.rows);
  return `${JSON.stringify(
    {
      schema: 'finproc.dispatch/1',
      mode: r.mode,
      counts,
      documents: r.rows.map((x) => ({ document: x.document, iso3: x.iso3, kind: x.kind, lang: x.lang, to: x.to, status: x.status, message_id: x.messageId, file: x.file, detail: x.detail })),
    },
    null,
    2,
  )}\n`;
}
