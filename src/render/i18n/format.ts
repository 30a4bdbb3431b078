/**
 * Locale-free formatting helpers for the message catalogues: every language states its own
 * separators, so the output never depends on the machine's ICU data.
 */

/** `"-1234567.50"` → `"-1,234,567.50"` with the given group and decimal marks. */
export function groupWith(plain: string, group: string, decimal: string): string {
  const neg = plain.startsWith('-');
  const [int, frac] = (neg ? plain.slice(1) : plain).split('.');
  const g = int!.replace(/\B(?=(\d{3})+(?!\d))/g, group);
  return `${neg ? '-' : ''}${g}${frac !== undefined ? `${decimal}${frac}` : ''}`;
}

/** `["a","b","c"]` → `"a, b and c"` with the given separators. */
export function joinList(items: string[], sep: string, last: string): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(sep)}${last}${items[items.length - 1]}`;
}
