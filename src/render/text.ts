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
  // Without a surrogate, each UTF-16 unit is a code point: no array of characters (a table of
  // 100,000 bank lines asks for the width of three million cells).
  return SURROGATE.test(s) ? [...s].length : s.length;
}
const SURROGATE = /[\ud800-\udfff]/;

/** The widest of `cells` and `title` (a loop: a spread of 200,000 widths overflows the stack). */
function widest(title: string, n: number, cell: (i: number) => string): number {
  let w = width(title);
  for (let i = 0; i < n; i++) {
    const c = width(cell(i));
    if (c > w) w = c;
  }
  return w;
}

/** A plain text table; `style` decorates the header (bold on a colour terminal). */
export function textTable(columns: Column[], rows: string[][], opts: { style?: (s: string) => string; rule?: number[] } = {}): string {
  return [...textTableParts(columns, rows.length, (i) => rows[i]!, opts)].join('');
}

/**
 * The text of `textTable`, in pieces of about `piece` characters, for `n` rows made by `row`
 * when they are asked for (twice: once for the widths, once for the text), so that a table of
 * 100,000 rows is never held whole, as cells or as text.
 */
export function* textTableParts(columns: Column[], n: number, row: (i: number) => string[], opts: { style?: (s: string) => string; rule?: number[]; piece?: number } = {}): Generator<string> {
  const w = columns.map((c) => width(c.title));
  for (let i = 0; i < n; i++) {
    const r = row(i);
    for (let k = 0; k < w.length; k++) {
      const c = width(r[k] ?? '');
      if (c > w[k]!) w[k] = c;
    }
  }
  const line = (cells: string[]) =>
    cells
      .map((c, i) => {
        const pad = ' '.repeat(Math.max(0, w[i]! - width(c)));
        return columns[i]!.align === 'right' ? pad + c : c + pad;
      })
      .join('  ')
      .trimEnd();
  const head = line(columns.map((c) => c.title));
  const sep = w.map((k) => '-'.repeat(k)).join('  ');
  const rules = new Set(opts.rule ?? []);
  const piece = opts.piece ?? Infinity;
  let t = `${opts.style ? opts.style(head) : head}\n${sep}\n`;
  for (let i = 0; i < n; i++) {
    if (rules.has(i)) t += `${sep}\n`;
    t += `${line(row(i))}\n`;
    if (t.length >= piece) {
      yield t;
      t = '';
    }
  }
  if (t) yield t;
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

// ---------------------------------------------------------------- fitting a terminal's width

/** A cell's text over several lines of at most `w` columns, broken at spaces (a longer word is cut). */
export function wrapCell(s: string, w: number): string[] {
  if (width(s) <= w) return [s];
  const out: string[] = [];
  let line = '';
  // Split on single spaces: a run of spaces (alignment) is kept where the line is not broken.
  for (const word of s.split(' ')) {
    let rest = word;
    while (width(rest) > w) {
      if (line) {
        out.push(line);
        line = '';
      }
      const cps = [...rest];
      out.push(cps.slice(0, w).join(''));
      rest = cps.slice(w).join('');
    }
    if (!line && out.length === 0) line = rest;
    else if (!line) line = rest;
    else if (width(line) + 1 + width(rest) <= w) line += ` ${rest}`;
    else {
      out.push(line);
      line = rest;
    }
  }
  if (line || out.length === 0) out.push(line);
  return out;
}

/** Prose wrapped to `w` columns; continuation lines indented by `indent` spaces. No limit: the line as it is. */
export function wrapText(s: string, w: number | undefined, indent = 2): string[] {
  if (w === undefined || width(s) <= w) return [s];
  const lead = /^ */.exec(s)![0].length;
  const first = wrapCell(s.slice(lead), w - lead);
  const head = ' '.repeat(lead) + first[0]!;
  const pad = ' '.repeat(lead + indent);
  const rest = wrapCell(first.slice(1).join(' '), w - lead - indent);
  return first.length > 1 ? [head, ...rest.map((l) => pad + l)] : [head];
}

/**
 * The plain tables of a rendered report (a header line over a rule of dashes, as textTable
 * writes them) that are wider than `w`, laid out again by fitTable: the columns are read off
 * the rule, text columns wrap, then the columns go in blocks that repeat the first (and a
 * second text column beside a short code). Tables that fit, and everything else, are kept
 * byte for byte; a table reflowed loses its colour (it had none but a bold header).
 */
export function fitRenderedTables(text: string, w: number | undefined): string {
  if (w === undefined) return text;
  const plain = (l: string) => l.replace(/\x1b\[[0-9;]*m/g, '');
  const lines = text.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const rule = lines[i + 1];
    if (rule === undefined || !/^-+( {2}-+)*$/.test(rule) || width(plain(lines[i]!)) <= w && width(rule) <= w) {
      out.push(lines[i]!);
      continue;
    }
    const spans: [number, number][] = [];
    for (const m of rule.matchAll(/-+/g)) spans.push([m.index!, m.index! + m[0].length]);
    let end = i + 2;
    while (end < lines.length && lines[end]!.trim() !== '' && !/^\S.*:$/.test(lines[end]!)) end++;
    const body = lines.slice(i + 2, end).map(plain);
    const cut = (l: string) => spans.map(([a, b], k) => (k === spans.length - 1 ? l.slice(a) : l.slice(a, b)));
    const rows: string[][] = [];
    const rules: number[] = [];
    for (const l of body) {
      if (l === rule) rules.push(rows.length);
      else rows.push(cut(l));
    }
    const columns: Column[] = cut(plain(lines[i]!)).map((t, k) => {
      const cells = rows.map((r) => r[k]!).filter((c) => c.trim() !== '');
      // right-aligned: no cell has trailing spaces, and some have leading ones
      const right = cells.length > 0 && cells.every((c) => c === c.trimEnd()) && cells.some((c) => c.startsWith(' '));
      return { title: t.trim(), align: right ? 'right' : 'left' };
    });
    const trimmed = rows.map((r) => r.map((c) => c.trim()));
    const wrap = columns.map((c, k) => (c.align === 'left' ? k : -1)).filter((k) => k > 0);
    const key = columns.length > 2 && columns[1]!.align === 'left' && spans[0]![1] - spans[0]![0] <= 5 ? 2 : 1;
    // a wrapped column keeps its longest word whole (a reference, an id), up to 24 characters
    let longest = 10;
    for (const r of trimmed) for (const k of wrap) for (const word of (r[k] ?? '').split(' ')) longest = Math.max(longest, width(word));
    out.push(fitTable(columns, trimmed, { width: w, wrap, key, rule: rules, minWrap: Math.min(24, longest) }).text.trimEnd());
    i = end - 1;
  }
  return out.join('\n');
}

/**
 * A report for a terminal of `w` columns: its prose lines wrapped (a "Label:   text" line hangs
 * under its text), its table lines (two or more column gaps, or rules of dashes) left whole:
 * a table is fitted by its renderer (fitTable), never cut here. Colour codes count as nothing.
 */
export function wrapProse(text: string, w: number | undefined): string {
  if (w === undefined) return text;
  const plain = (l: string) => l.replace(/\x1b\[[0-9;]*m/g, '');
  return text
    .split('\n')
    .flatMap((line) => {
      const p = plain(line);
      if (width(p) <= w || /\S {2,}\S.* {2,}\S/.test(p.trim()) || /^[-\s]+$/.test(p) || line !== p) return [line];
      const label = /^(\s*\S[^:]{0,24}:\s{2,})(\S.*)$/.exec(line);
      if (label) {
        const pad = ' '.repeat(label[1]!.length);
        return wrapCell(label[2]!, w - pad.length).map((l, i) => (i === 0 ? label[1]! : pad) + l);
      }
      return wrapText(line, w, 2);
    })
    .join('\n');
}

export interface FitOptions {
  /** The width to fit (a terminal's COLUMNS); undefined: no limit, every column as it is. */
  width?: number;
  /** Decorates the header (bold on a colour terminal). */
  style?: (s: string) => string;
  /** Colours a cell's text (e.g. increases and decreases); padding is added outside the colour. */
  paint?: (text: string, row: number, col: number) => string;
  /** A separator line before these rows. */
  rule?: number[];
  /** Text columns that may wrap onto several lines, down to `minWrap` columns (default 10). */
  wrap?: number[];
  minWrap?: number;
  /** Columns left out, in this order, while the table is too wide after wrapping. */
  drop?: number[];
  /** When it is still too wide: the table is split into blocks that repeat the first `key` columns; `groups` (column indexes) stay in one block. */
  key?: number;
  groups?: number[][];
}

export interface Fitted {
  text: string;
  /** Titles of the columns left out. */
  dropped: string[];
  /** Number of blocks the columns were split into (1: one table). */
  blocks: number;
}

/** The width of textTable's lines for these columns and rows. */
export function tableWidth(columns: Column[], rows: string[][]): number {
  return columns.reduce((a, c, i) => a + widest(c.title, rows.length, (k) => rows[k]![i] ?? ''), 0) + 2 * Math.max(0, columns.length - 1);
}

/** Render a table with possibly multi-line cells at the given column widths (the layout of textTable). */
function renderTable(columns: Column[], rows: string[][], cols: number[], widths: number[], opts: FitOptions): string {
  const line = (cells: string[], paintRow?: number) =>
    cells
      .map((c, k) => {
        const i = cols[k]!;
        const pad = ' '.repeat(Math.max(0, widths[k]! - width(c)));
        const text = paintRow !== undefined && opts.paint && c !== '' ? opts.paint(c, paintRow, i) : c;
        return columns[i]!.align === 'right' ? pad + text : text + pad;
      })
      .join('  ')
      .trimEnd();
  // A title wider than its (wrapped) column wraps too, bottom-aligned over the column.
  const titles = cols.map((i, k) => wrapCell(columns[i]!.title, widths[k]!));
  const hn = Math.max(...titles.map((t) => t.length));
  const sep = widths.map((n) => '-'.repeat(n)).join('  ');
  const out: string[] = [];
  for (let j = 0; j < hn; j++) {
    const head = line(titles.map((t) => t[j - (hn - t.length)] ?? ''));
    out.push(opts.style ? opts.style(head) : head);
  }
  out.push(sep);
  rows.forEach((r, ri) => {
    if (opts.rule?.includes(ri)) out.push(sep);
    const cells = cols.map((i, k) => wrapCell(r[i] ?? '', widths[k]!));
    const n = Math.max(...cells.map((c) => c.length));
    for (let j = 0; j < n; j++) out.push(line(cells.map((c) => c[j] ?? ''), ri));
  });
  return out.join('\n') + '\n';
}

/**
 * A text table that fits `width`: first the wrappable text columns are narrowed (their text
 * wraps onto more lines), then the `drop` columns are left out in order, then the remaining
 * columns are split into blocks that each repeat the `key` columns. Without a width (output
 * to a file or a pipe), or when it fits, the table is exactly textTable's.
 */
export function fitTable(columns: Column[], rows: string[][], opts: FitOptions = {}): Fitted {
  const natural = columns.map((c, i) => widest(c.title, rows.length, (k) => rows[k]![i] ?? ''));
  const total = (cols: number[], w: number[]) => cols.reduce((a, i) => a + w[i]!, 0) + 2 * Math.max(0, cols.length - 1);
  let cols = columns.map((_, i) => i);
  const w = [...natural];
  const W = opts.width;
  const done = (blocks: number, text: string, dropped: string[]): Fitted => ({ text, dropped, blocks });
  if (W === undefined || total(cols, w) <= W) return done(1, renderTable(columns, rows, cols, cols.map((i) => w[i]!), opts), []);
  // 1. Wrap: narrow the widest wrappable column, one column at a time, to its floor.
  const floor = (i: number) => Math.max(opts.minWrap ?? 10, ...columns[i]!.title.split(' ').map(width));
  // One column at a time, always the widest, so that the wrapped columns end up alike.
  const shrink = () => {
    while (total(cols, w) > W!) {
      const cand = (opts.wrap ?? []).filter((i) => cols.includes(i) && w[i]! > floor(i));
      if (cand.length === 0) return;
      const i = cand.reduce((a, b) => (w[b]! > w[a]! ? b : a));
      w[i]! -= 1;
    }
  };
  shrink();
  // 2. Drop, in order.
  const dropped: string[] = [];
  for (const i of opts.drop ?? []) {
    if (total(cols, w) <= W) break;
    cols = cols.filter((c) => c !== i);
    dropped.push(columns[i]!.title);
  }
  if (total(cols, w) <= W) return done(1, renderTable(columns, rows, cols, cols.map((i) => w[i]!), opts), dropped);
  // 3. Blocks: the key columns, then as many groups as fit.
  const key = cols.filter((i) => i < (opts.key ?? 1));
  const grouped = new Set((opts.groups ?? []).flat());
  const groups = [...(opts.groups ?? []).map((g) => g.filter((i) => cols.includes(i))).filter((g) => g.length), ...cols.filter((i) => !key.includes(i) && !grouped.has(i)).map((i) => [i])].sort((a, b) => a[0]! - b[0]!);
  const blocks: number[][] = [];
  let cur: number[] = [];
  for (const g of groups) {
    if (cur.length && total([...key, ...cur, ...g], w) > W) {
      blocks.push(cur);
      cur = [];
    }
    cur.push(...g);
  }
  if (cur.length) blocks.push(cur);
  const text = blocks.map((b) => {
    const c = [...key, ...b];
    return renderTable(columns, rows, c, c.map((i) => w[i]!), opts);
  });
  return done(blocks.length, text.join('\n'), dropped);
}
