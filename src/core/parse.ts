/**
 * Strict readers for the scalars of the books. They never guess: a value whose meaning
 * depends on a convention the file does not state is refused with the reason.
 *
 *   parseAmount("1'234.50") → 1234.50     (Swiss thousands apostrophe, groups of three)
 *   parseAmount("1,234")    → refused     (thousands separator or decimal comma?)
 *   parseDate("12.5.2026")  → refused     (12 May or 5 December?)
 */
import { D, type Decimal } from './decimal.js';
import type { ProblemCode } from './problem.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; code: ProblemCode; message: string; hint: string };

const PLAIN = /^-?(0|[1-9]\d*)(\.\d+)?$/;
const SWISS = /^-?[1-9]\d{0,2}(['’]\d{3})+(\.\d+)?$/;

/**
 * An amount or rate: `.` decimal mark, optional Swiss apostrophes between thousands.
 * `money`: an amount of money, where `618.250` is refused (thousands grouped with '.' or
 * an amount to the tenth of a centime?). At most 15 digits before the point and 12 after:
 * beyond that the value is a typing error, and exactness could not be promised.
 */
export function parseAmount(text: string, opts: { allowNegative?: boolean; money?: boolean } = {}): Parsed<Decimal> {
  const t = text.trim();
  if (t === '') return { ok: false, code: 'value-missing', message: 'the cell is empty', hint: 'write a number such as 1234.50' };
  if (t.includes(',')) {
    return {
      ok: false,
      code: 'amount-ambiguous',
      message: `"${t}" is ambiguous: a comma may be a thousands separator or a decimal comma`,
      hint: "write the decimal mark as '.', with no thousands separator or with Swiss apostrophes (1'234.50)",
    };
  }
  if (/^-?\d+\.\d{3}\.\d{3}/.test(t) || /^\d{1,3}( \d{3})+/.test(t)) {
    return {
      ok: false,
      code: 'amount-ambiguous',
      message: `"${t}" is ambiguous: '.' or space used as a thousands separator`,
      hint: "use '.' only as the decimal mark; group thousands with apostrophes (1'234'567.50) or not at all",
    };
  }
  if (opts.money && /^-?\d{1,3}\.\d{3}$/.test(t)) {
    return {
      ok: false,
      code: 'amount-ambiguous',
      message: `"${t}" is ambiguous: '.' may group thousands (${t.replace('.', "'")}) or mark decimals`,
      hint: "write amounts of money with two decimals (618250.00) or Swiss apostrophes (618'250.00)",
    };
  }
  let plain: string;
  if (PLAIN.test(t)) plain = t;
  else if (SWISS.test(t)) plain = t.replace(/['’]/g, '');
  else {
    return {
      ok: false,
      code: 'amount-invalid',
      message: `"${t}" is not a number`,
      hint: "write digits with '.' as the decimal mark, e.g. 618250.00 or 618'250.00 (no currency sign, no exponent)",
    };
  }
  const [intPart = '', fracPart = ''] = plain.replace('-', '').split('.');
  if (intPart.length > 15 || fracPart.length > 12) {
    return { ok: false, code: 'amount-invalid', message: `"${t}" has too many digits`, hint: 'finproc takes at most 15 digits before the decimal mark and 12 after it' };
  }
  const value = D(plain);
  if (value.isNegative() && !value.isZero() && !opts.allowNegative) {
    return { ok: false, code: 'amount-negative', message: `"${t}" is negative`, hint: 'amounts and rates here must be zero or more' };
  }
  return { ok: true, value: value.isZero() ? D('0') : value };
}

/** An ISO 8601 calendar date `YYYY-MM-DD`, returned as that same string (it sorts as a date). */
export function parseDate(text: string): Parsed<string> {
  const t = text.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo)) return { ok: true, value: t };
    return { ok: false, code: 'date-invalid', message: `"${t}" is not a calendar date`, hint: 'check the month (01–12) and the day of the month' };
  }
  const other = /^(\d{1,4})[./-](\d{1,2})[./-](\d{1,4})$/.exec(t);
  if (other) {
    const a = Number(other[1]);
    const b = Number(other[2]);
    const why = a <= 12 && b <= 12 ? 'day and month could be either way round' : 'only ISO dates are accepted, so that no order is assumed';
    return { ok: false, code: 'date-ambiguous', message: `"${t}" is not an ISO date: ${why}`, hint: 'write the date as YYYY-MM-DD, e.g. 2026-05-12' };
  }
  return { ok: false, code: 'date-invalid', message: `"${t}" is not a date`, hint: 'write the date as YYYY-MM-DD, e.g. 2026-05-12' };
}

export function parseYear(text: string): Parsed<number> {
  const t = text.trim();
  if (/^(19|20|21)\d{2}$/.test(t)) return { ok: true, value: Number(t) };
  return { ok: false, code: 'year-invalid', message: `"${t}" is not a year`, hint: 'write a four-digit year such as 2026' };
}

export function parseIso3(text: string): Parsed<string> {
  const t = text.trim();
  if (/^[A-Z]{3}$/.test(t)) return { ok: true, value: t };
  return { ok: false, code: 'iso3-invalid', message: `"${t}" is not an ISO 3166-1 alpha-3 code`, hint: 'write three upper-case letters, e.g. CHE' };
}

export function daysInMonth(year: number, month: number): number {
  return [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}
