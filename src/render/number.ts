/**
 * The one number formatter of finproc: every command and every format writes its numbers
 * through here, so that a report never shows `13145.97` next to `13'145.97`, and a money
 * column never shows more decimals than its currency has.
 *
 * Styles:
 * - `plain`: machine formats (CSV, JSON, Markdown tables meant to be pasted into a spreadsheet):
 *   `-1234567.50`, '.' as decimal mark, no grouping.
 * - `swiss`: terminal tables and summaries for people: `-1'234'567.50` (apostrophe).
 * - a document language (en fr es ar ru zh): the separators of that language, written by
 *   finproc, never by the machine's locale (en/zh/ar `1,234.50`, fr `1 234,50` with U+202F,
 *   es `1.234,50`, ru `1 234,50` with U+00A0).
 * Nothing here reads `Intl` or the locale: the same books give the same bytes everywhere.
 */
import { Decimal } from '../core/decimal.js';
import type { Lang } from '../core/lang.js';

export type NumberStyle = 'plain' | 'swiss' | Lang;

/** Group and decimal marks of each style. */
export const SEPARATORS: Record<NumberStyle, { group: string; decimal: string }> = {
  plain: { group: '', decimal: '.' },
  swiss: { group: "'", decimal: '.' },
  en: { group: ',', decimal: '.' },
  zh: { group: ',', decimal: '.' },
  ar: { group: ',', decimal: '.' },
  fr: { group: '\u202F', decimal: ',' },
  es: { group: '.', decimal: ',' },
  ru: { group: '\u00A0', decimal: ',' },
};

/** `"-1234567.50"` → `"-1,234,567.50"` with the given group and decimal marks. */
export function groupWith(plain: string, group: string, decimal: string): string {
  const neg = plain.startsWith('-');
  const [int, frac] = (neg ? plain.slice(1) : plain).split('.');
  const g = group === '' ? int! : int!.replace(/\B(?=(\d{3})+(?!\d))/g, group);
  return `${neg ? '-' : ''}${g}${frac !== undefined ? `${decimal}${frac}` : ''}`;
}

/** A number already written out in machine form (`-1234.50`), in a style. */
export function formatAmount(plain: string, style: NumberStyle): string {
  const s = SEPARATORS[style];
  return groupWith(plain, s.group, s.decimal);
}

/** A decimal with a fixed number of decimals, in a style (half to even when it must round). */
export function formatDecimal(d: Decimal, decimals: number, style: NumberStyle = 'plain'): string {
  return formatAmount(d.toDecimalPlaces(decimals, Decimal.ROUND_HALF_EVEN).toFixed(decimals), style);
}

/**
 * A money value for display in a column of its currency: exactly `decimals` places. A value
 * with more (the median of an even count is a half-centime) is rounded half to even.
 */
export function moneyText(plain: string, decimals: number, style: NumberStyle): string {
  const [, frac = ''] = plain.split('.');
  if (frac.length === decimals) return formatAmount(plain, style);
  return formatDecimal(new Decimal(plain), decimals, style);
}
