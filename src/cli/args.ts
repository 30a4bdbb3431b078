/**
 * Argument parsers shared by the commands: each turns a string into a value or throws a
 * UsageError that says what was expected (exit status 2).
 */
import { parseAmount, parseDate, parseIso3, parseYear } from '../core/parse.js';
import { Decimal } from '../core/decimal.js';
import type { Books } from '../io/books.js';

export class UsageError extends Error {}

export function yearArg(v: string): number {
  const r = parseYear(v);
  if (!r.ok) throw new UsageError(`--year: ${r.message}; ${r.hint}`);
  return r.value;
}
export function budgetArg(v: string): Decimal {
  const r = parseAmount(v, { money: true });
  if (!r.ok) throw new UsageError(`--budget: ${r.message}; ${r.hint}`);
  if (r.value.isZero()) throw new UsageError('--budget: the budget must be more than zero');
  return r.value;
}
export function iso3Arg(v: string): string {
  const r = parseIso3(v.toUpperCase());
  if (!r.ok) throw new UsageError(`ISO3: ${r.message}; ${r.hint}`);
  return r.value;
}

export function dateArg(flag: string, v: string): string {
  const r = parseDate(v);
  if (!r.ok) throw new UsageError(`${flag}: ${r.message}; ${r.hint}`);
  return r.value;
}
export function bucketsArg(v: string): number[] {
  const parts = v.split(',').map((s) => s.trim());
  const ns = parts.map((s) => (/^[1-9]\d{0,4}$/.test(s) ? Number(s) : NaN));
  if (ns.some((n) => Number.isNaN(n))) throw new UsageError(`--buckets ${v}: expected whole numbers of days separated by commas, e.g. 30,90,180,365`);
  if (ns.some((n, i) => i > 0 && n <= ns[i - 1]!)) throw new UsageError(`--buckets ${v}: the limits must be in ascending order`);
  return ns;
}
export function meetingArg(v: string): string {
  // Invoice numbers MEETING-NNN must fit an ISO 11649 reference: at most 21 letters and digits.
  if (!/^[A-Za-z0-9][A-Za-z0-9-]{0,23}$/.test(v) || v.replace(/-/g, '').length > 17) throw new UsageError(`--meeting ${v}: letters, digits and '-' only, at most 17 letters and digits (e.g. MSP14), so that its invoice numbers fit a payment reference`);
  return v;
}
export function currencyArg(v: string): string {
  if (!/^[A-Z]{3}$/.test(v)) throw new UsageError(`--currency ${v}: expected an ISO 4217 code in capitals, e.g. CHF, USD`);
  return v;
}
export function amountArg(flag: string, v: string): Decimal {
  const r = parseAmount(v, { money: true });
  if (!r.ok) throw new UsageError(`${flag}: ${r.message}; ${r.hint}`);
  if (r.value.isZero()) throw new UsageError(`${flag}: the amount must be more than zero`);
  if (r.value.decimalPlaces() > 2) throw new UsageError(`${flag}: ${v} has more than two decimals`);
  return r.value;
}
export function namesOf(books: Books): Map<string, string> {
  return new Map([...books.ref.states].map(([k, s]) => [k, s.nameEn]));
}
