/**
 * The one Decimal constructor of finproc. Money and rates are built from strings only
 * (`D("1234.50")`), never from JS numbers, and no code calls the global `Decimal.set`.
 *
 * Every number read (CSV or policy) has at most 15 digits before the point and 12 after, so
 * at most 27 significant digits; 60 significant digits hold any product of two of them
 * exactly, so the few Decimal multiplications of inputs (a budget × a percent) never round.
 */
import { Decimal as DecimalJs } from 'decimal.js';
import Fraction from 'fraction.js';

export const Decimal = DecimalJs.clone({
  precision: 60,
  rounding: DecimalJs.ROUND_HALF_UP,
  toExpNeg: -40,
  toExpPos: 40,
});
export type Decimal = DecimalJs;

/** A Decimal from a string that has already been validated (see `parse.ts`). */
export function D(text: string): Decimal {
  return new Decimal(text);
}

/** Exact conversion: a finite decimal is a fraction with a power-of-ten denominator. */
export function toFraction(d: Decimal): Fraction {
  return new Fraction(d.toFixed());
}

/**
 * A fraction shown as a decimal with `places` digits, rounded half-up (for traces only:
 * the engine never computes with the result).
 */
export function fractionToFixed(f: Fraction, places: number): string {
  const scale = 10n ** BigInt(places);
  const neg = f.s < 0n;
  const n = f.n * scale;
  let q = n / f.d;
  const r = n % f.d;
  if (2n * r >= f.d) q += 1n;
  const digits = q.toString().padStart(places + 1, '0');
  const int = digits.slice(0, digits.length - places);
  const frac = digits.slice(digits.length - places);
  const body = places > 0 ? `${int}.${frac}` : int;
  return neg && q !== 0n ? `-${body}` : body;
}

/** `d × 10^places` as a BigInt; exact (throws if `d` has more decimals than `places`). */
export function scaled(d: Decimal, places: number): bigint {
  if (d.decimalPlaces() > places) throw new Error(`internal: ${d.toFixed()} has more than ${places} decimals`);
  return BigInt(d.toFixed(places).replace('.', ''));
}

/** `n / 10^places` written with exactly `places` decimals (`12345n, 2` → `"123.45"`). */
export function scaledToFixed(n: bigint, places: number): string {
  const neg = n < 0n;
  const digits = (neg ? -n : n).toString().padStart(places + 1, '0');
  const body = places > 0 ? `${digits.slice(0, -places)}.${digits.slice(-places)}` : digits;
  return neg ? `-${body}` : body;
}

/** `n / 10^places` as a Decimal; exact. */
export function unscaled(n: bigint, places: number): Decimal {
  return new Decimal(n.toString()).div(TEN.pow(places));
}

const TEN = new Decimal(10);
