/**
 * Problems for people, in the style of compilers and hledger:
 *
 *   data/budgets.csv:3:6: error [amount-ambiguous] amount: "1,234" is ambiguous: …
 *      3 | 2025,"1,234",CHF
 *        |      ^^^^^^^
 *     hint: write the decimal mark as '.', …
 */
import { sortProblems, type Problem } from '../core/problem.js';

export interface Paint {
  red: (s: string) => string;
  yellow: (s: string) => string;
  dim: (s: string) => string;
  bold: (s: string) => string;
}
const plainPaint: Paint = { red: (s) => s, yellow: (s) => s, dim: (s) => s, bold: (s) => s };

/** Problems of one kind (file, code, severity, column) shown one by one; the others are counted in one line. */
export const SHOWN_ALIKE = 20;

export function renderProblems(problems: readonly Problem[], paint: Paint = plainPaint): string {
  const out: string[] = [];
  // A file of 200,000 dates as Excel writes them is 200,000 alike errors (800,000 lines, any
  // other problem lost among them): the first SHOWN_ALIKE of a kind are shown, the others
  // counted where the first of them would have been.
  const alike = new Map<string, { seen: number; left?: { n: number; first: number; last: number; at: number; p: Problem } }>();
  for (const p of sortProblems(problems)) {
    const k = JSON.stringify([p.file ?? '', p.code, p.severity, p.field ?? '']);
    const a = alike.get(k) ?? { seen: 0 };
    alike.set(k, a);
    if (p.file !== undefined && ++a.seen > SHOWN_ALIKE) {
      if (!a.left) {
        a.left = { n: 0, first: p.line ?? 0, last: 0, at: out.length, p };
        out.push('');
      }
      a.left.n++;
      a.left.last = p.line ?? a.left.last;
      continue;
    }
    const where = p.file ? `${p.file}${p.line ? `:${p.line}${p.column ? `:${p.column}` : ''}` : ''}: ` : '';
    const sev = p.severity === 'error' ? paint.red('error') : paint.yellow('warning');
    const field = p.field ? `${p.field}: ` : '';
    out.push(`${paint.bold(visible(where))}${sev} [${p.code}] ${visible(clip(field + p.message))}`);
    if (p.excerpt !== undefined && p.line) {
      const num = String(p.line);
      const gutter = ' '.repeat(num.length);
      const { text, column } = window(p.excerpt, Math.max(1, p.column ?? 1));
      out.push(paint.dim(`  ${num} | `) + text);
      const width = Math.max(1, Math.min(p.width ?? 1, Math.max(1, text.length - column + 1)));
      out.push(paint.dim(`  ${gutter} | `) + ' '.repeat(column - 1) + paint.red('^'.repeat(width)));
    }
    if (p.hint) out.push(`  hint: ${visible(clip(p.hint))}`);
  }
  for (const { left } of alike.values()) {
    if (!left) continue;
    const { p, n, first, last } = left;
    const lines = first && last ? (first === last ? `, line ${first}` : `, lines ${first} to ${last}`) : '';
    const sev = p.severity === 'error' ? paint.red(n === 1 ? 'error' : 'errors') : paint.yellow(n === 1 ? 'warning' : 'warnings');
    out[left.at] = `${paint.bold(visible(`${p.file}: `))}${n} more ${sev} [${p.code}]${p.field ? ` in ${visible(p.field)}` : ''} like the ${SHOWN_ALIKE} above${lines}: not shown one by one`;
  }
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  if (problems.length > 0) out.push(`${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`);
  return out.join('\n') + (out.length ? '\n' : '');
}

export function problemsJson(problems: readonly Problem[]): string {
  const clipped = sortProblems(problems).map((p) => ({ ...p, message: clip(p.message), ...(p.hint ? { hint: clip(p.hint) } : {}) }));
  return JSON.stringify({ schema: 'finproc.problems/1', problems: clipped }, null, 2) + '\n';
}

/** A quoted value longer than this is cut in a message: a 300,000-character cell is not a 300,000-character message. */
export const QUOTE_MAX = 60;

/** Every quoted value ("…" or “…”) of more than QUOTE_MAX characters cut to its start and end, saying how long it was. */
export function clip(s: string): string {
  if (s.length <= QUOTE_MAX + 40) return s;
  const cut = s.replace(/"([^"]{61,})"/g, (_, v: string) => `"${shorten(v)}"`);
  // What is still long (a value with no quotes around it) is cut as a whole.
  return cut.length > 400 ? `${cut.slice(0, 300)}… (${cut.length - 360} characters left out) …${cut.slice(-60)}` : cut;
}
function shorten(v: string): string {
  const chars = [...v];
  return chars.length <= QUOTE_MAX ? v : `${chars.slice(0, 40).join('')}… (${chars.length} characters) …${chars.slice(-12).join('')}`;
}
/**
 * Text from the books, made safe to print: control characters (an ESC sequence could
 * clear the screen or fake colours) are shown as \u{…}; tabs as one space.
 */
function visible(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\t/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`);
}

/** At most 100 characters of a long line, around the column; the column moves with the cut. */
function window(line: string, column: number): { text: string; column: number } {
  const MAX = 100;
  // Work on the raw characters so that the column still points at the same place.
  const chars = [...line];
  let start = 0;
  if (chars.length > MAX) start = Math.max(0, Math.min(column - 1 - 40, chars.length - MAX));
  const cut = chars.slice(start, start + MAX);
  const prefix = start > 0 ? '…' : '';
  const suffix = start + MAX < chars.length ? '…' : '';
  // Each control character widens to \u{…}: shift the marker by what precedes it.
  const before = visible(cut.slice(0, Math.max(0, column - 1 - start)).join(''));
  return { text: prefix + visible(cut.join('')) + suffix, column: prefix.length + before.length + 1 };
}
