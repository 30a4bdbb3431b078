/**
 * Small, locale-free building blocks for renderers. Nothing here reads the machine's locale:
 * the same report is the same bytes everywhere.
 */
import type { Decimal } from '../core/decimal.js';
import { formatAmount } from './number.js';

/** Machine form: `1234.50` (fixed decimals, '.' mark, no grouping). */
export function plain(d: Decimal, decimals: number): string {
  return formatAmount(d.toFixed(decimals), 'plain');
}

/** People form: Swiss grouping `618'250.00`. */
export function grouped(d: Decimal, decimals: number): string {
  return formatAmount(d.toFixed(decimals), 'swiss');
}

/** Swiss grouping of a number already written out: `"618250.00"` → `"618'250.00"`. */
export function groupDigits(s: string): string {
  return formatAmount(s, 'swiss');
}

export type Align = 'left' | 'right';
export interface Column {
  title: string;
  align?: Align;
}

/** Display width, counting each code point as one column (names here are Latin script). */
function width(s: string): number {
  return [...s].length;
}

/** A plain text table; `style` decorates the header (bold on a colour terminal). */
export function textTable(columns: Column[], rows: string[][], opts: { style?: (s: string) => string; rule?: number[] } = {}): string {
  const w = columns.map((c, i) => Math.max(width(c.title), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => {
        const pad = ' '.repeat(Math.max(0, w[i]! - width(c)));
        return columns[i]!.align === 'right' ? pad + c : c + pad;
      })
      .join('  ')
      .trimEnd();
  const head = line(columns.map((c) => c.title));
  const sep = w.map((n) => '-'.repeat(n)).join('  ');
  const out = [opts.style ? opts.style(head) : head, sep];
  rows.forEach((r, i) => {
    if (opts.rule?.includes(i)) out.push(sep);
    out.push(line(r));
  });
  return out.join('\n') + '\n';
}

/** Markdown table; `|` and line breaks in cells are escaped. */
export function mdTable(columns: Column[], rows: string[][]): string {
  // Also no link or image from a cell (`[` and `]` escaped); emphasis and code marks are kept,
  // as renderers use them for totals and digests.
  const esc = (s: string) => s.replace(/\\/g, '\\\\').replace(/([|[\]])/g, '\\$1').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r?\n/g, ' ');
  const head = `| ${columns.map((c) => esc(c.title)).join(' | ')} |`;
  const sep = `|${columns.map((c) => (c.align === 'right' ? '---:' : ':---')).join('|')}|`;
  return [head, sep, ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n') + '\n';
}

/** Escape text for Markdown prose (not tables). */
export function mdText(s: string): string {
  return (
    s
      .replace(/([\\`*_{}[\]#|])/g, '\\$1')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      // At the start of a line: no code fence (~~~), setext heading (=== or ---), list (- + 1.).
      .replace(/^([~=+-])/, '\\$1')
      .replace(/^(\d+)([.)])/, '$1\\$2')
  );
}

/** Text for HTML, in an element or an attribute: the one escaper of every HTML renderer. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
