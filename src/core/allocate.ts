/**
 * Rounding exact quotas to a unit, the one place where money is rounded.
 *
 * Quotas are exact rationals given over one common denominator: quota_i (in units) =
 * num_i / den, all BigInt. Remainders therefore compare exactly, and a tie is a real tie,
 * never an artefact of binary or decimal precision; and no object is allocated per
 * comparison, which keeps 10,000 parties well under a second.
 *
 * largest-remainder (Hamilton): floor every quota to the unit; give the missing units one by
 * one to the largest remainders; ties to the larger exact quota, then the larger UN rate,
 * then the smaller key (ISO3).
 * Worked example (docs/policy.md): 200.00 shared equally by three → 66.67, 66.67, 66.66.
 *
 * half-up / half-even: each quota rounded on its own; the sum may miss the total, and the
 * caller reports the difference as its own line.
 */
export type RoundingMethod = 'largest-remainder' | 'half-up' | 'half-even';

export interface UnitQuota {
  key: string;
  /** Quota in units = num / den (den common to all). */
  num: bigint;
  /** The State's rate scaled to an integer (one scale for all), for the tie-break (larger first); absent ranks lowest. */
  rate?: bigint | null;
}

/**
 * @param den        the common denominator (> 0)
 * @param totalUnits the whole number of units the quotas sum to (largest remainder only)
 * @returns          whole units per quota, in input order
 */
export function roundUnits(quotas: readonly UnitQuota[], den: bigint, totalUnits: bigint | null, method: RoundingMethod): bigint[] {
  const n = quotas.length;
  const units = new Array<bigint>(n);
  const rem = new Array<bigint>(n);
  for (let i = 0; i < n; i++) {
    const q = quotas[i]!;
    if (q.num < 0n) throw new Error(`internal: negative quota for ${q.key}`);
    units[i] = q.num / den;
    rem[i] = q.num % den;
  }
  if (method === 'largest-remainder') {
    if (totalUnits === null) throw new Error('internal: largest remainder needs the total');
    let missing = totalUnits;
    for (const u of units) missing -= u;
    if (missing < 0n || missing > BigInt(n)) throw new Error(`internal: quotas do not sum to the total (missing ${missing} units)`);
    if (missing > 0n) {
      const order = [...Array(n).keys()].sort((a, b) => {
        if (rem[a] !== rem[b]) return rem[a]! > rem[b]! ? -1 : 1;
        const qa = quotas[a]!;
        const qb = quotas[b]!;
        if (qa.num !== qb.num) return qa.num > qb.num ? -1 : 1;
        const ra = qa.rate ?? -1n;
        const rb = qb.rate ?? -1n;
        if (ra !== rb) return ra > rb ? -1 : 1;
        return qa.key < qb.key ? -1 : qa.key > qb.key ? 1 : 0;
      });
      for (let k = 0; k < Number(missing); k++) units[order[k]!]! += 1n;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const twice = 2n * rem[i]!;
      if (twice > den || (twice === den && (method === 'half-up' || units[i]! % 2n === 1n))) units[i]! += 1n;
    }
  }
  return units;
}
