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

export function renderProblems(problems: readonly Problem[], paint: Paint = plainPaint): string {
  const out: string[] = [];
  for (const p of sortProblems(problems)) {
    const where = p.file ? `${p.file}${p.line ? `:${p.line}${p.column ? `:${p.column}` : ''}` : ''}: ` : '';
    const sev = p.severity === 'error' ? paint.red('error') : paint.yellow('warning');
    const field = p.field ? `${p.field}: ` : '';
    out.push(`${paint.bold(where)}${sev} [${p.code}] ${field}${p.message}`);
    if (p.excerpt !== undefined && p.line) {
      const num = String(p.line);
      const gutter = ' '.repeat(num.length);
      const excerpt = p.excerpt.replace(/\t/g, ' ');
      out.push(paint.dim(`  ${num} | `) + excerpt);
      const col = Math.max(1, p.column ?? 1);
      const width = Math.max(1, Math.min(p.width ?? 1, Math.max(1, [...excerpt].length - col + 1)));
      out.push(paint.dim(`  ${gutter} | `) + ' '.repeat(col - 1) + paint.red('^'.repeat(width)));
    }
    if (p.hint) out.push(`  hint: ${p.hint}`);
  }
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  if (problems.length > 0) out.push(`${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`);
  return out.join('\n') + (out.length ? '\n' : '');
}

export function problemsJson(problems: readonly Problem[]): string {
  return JSON.stringify({ schema: 'finproc.problems/1', problems: sortProblems(problems) }, null, 2) + '\n';
}
