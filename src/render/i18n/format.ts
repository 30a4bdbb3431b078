/**
 * Locale-free formatting helpers for the message catalogues: every language states its own
 * separators, so the output never depends on the machine's ICU data.
 */

/** The grouping of numbers is the one formatter's (render/number.ts). */
export { groupWith } from '../number.js';

/** `["a","b","c"]` → `"a, b and c"` with the given separators. */
export function joinList(items: string[], sep: string, last: string): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(sep)}${last}${items[items.length - 1]}`;
}
