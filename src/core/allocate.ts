/**
 * Rounding exact quotas to a unit, the one place where money is rounded.
 *
 * Quotas are exact rationals (fraction.js, BigInt inside): a share such as 200/3 is kept as
 * 200/3, so remainders compare exactly and a tie is a real tie, never an artefact of
 * binary or decimal precision.
 *
 * largest-remainder (Hamilton): floor every quota to the unit; give the missing units one by
 * one to the largest remainders; ties to the larger exact quota, then the larger UN rate,
 * then the smaller key (ISO3).
 * Worked example (DOMAIN.md): 200.00 shared equally by three → 66.67, 66.67, 66.66.
 *
 * half-up / half-even: each quota rounded on its own; the sum may miss the total, and the
 * caller reports the difference as its own line.
 */
import Fraction from 'fraction.js';

export type RoundingMethod = 'largest-remainder' | 'half-up' | 'half-even';

export interface QuotaIn {
  key: string;
  /** Exact amount before rounding, in currency (not units). */
  quota: Fraction;
  /** The State's rate, for the tie-break (larger first); absent counts as 0. */
  rate?: Fraction;
}

export interface Rounded {
  /** Whole number of units per quota, in input order. */
  units: bigint[];
  /** Units given on top of the floor (largest remainder) or by rounding up (per line). */
  bumped: boolean[];
}

/**
 * @param total  the exact total the quotas sum to, in currency; must be a whole number of
 *               units for largest-remainder.
 */
export function roundQuotas(quotas: readonly QuotaIn[], unit: Fraction, total: Fraction, method: RoundingMethod): Rounded {
  const n = quotas.length;
  const floors: bigint[] = new Array<bigint>(n);
  const remN: bigint[] = new Array<bigint>(n); // remainder numerator over den[i]
  const den: bigint[] = new Array<bigint>(n);
  for (let i = 0; i < n; i++) {
    const q = quotas[i]!.quota.div(unit);
    if (q.s < 0n) throw new Error(`internal: negative quota for ${quotas[i]!.key}`);
    floors[i] = q.n / q.d;
    remN[i] = q.n % q.d;
    den[i] = q.d;
  }
  const bumped = new Array<boolean>(n).fill(false);
  if (method === 'largest-remainder') {
    const t = total.div(unit);
    if (t.d !== 1n) throw new Error('internal: total is not a whole number of units');
    let missing = t.s * t.n;
    for (const f of floors) missing -= f;
    if (missing < 0n || missing > BigInt(n)) throw new Error(`internal: quotas do not sum to the total (missing ${missing} units)`);
    if (missing > 0n) {
      const order = [...Array(n).keys()].sort((a, b) => compareRemainders(a, b, remN, den, quotas));
      for (let k = 0; k < Number(missing); k++) bumped[order[k]!] = true;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const twice = 2n * remN[i]!;
      if (twice > den[i]!) bumped[i] = true;
      else if (twice === den[i]!) bumped[i] = method === 'half-up' ? true : floors[i]! % 2n === 1n;
    }
  }
  return { units: floors.map((f, i) => (bumped[i] ? f + 1n : f)), bumped };
}

/** Larger remainder first, then larger exact quota, then larger rate, then smaller key. */
function compareRemainders(a: number, b: number, remN: bigint[], den: bigint[], quotas: readonly QuotaIn[]): number {
  const x = remN[a]! * den[b]!;
  const y = remN[b]! * den[a]!;
  if (x !== y) return x > y ? -1 : 1;
  const w = quotas[b]!.quota.compare(quotas[a]!.quota);
  if (w !== 0) return w;
  const ra = quotas[a]!.rate;
  const rb = quotas[b]!.rate;
  if (ra && rb) {
    const r = rb.compare(ra);
    if (r !== 0) return r;
  } else if (ra || rb) return rb ? 1 : -1;
  const ka = quotas[a]!.key;
  const kb = quotas[b]!.key;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
