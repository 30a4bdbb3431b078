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
 * @param presorted  the quotas are already in tie-break order (larger rate, then smaller
 *                   key): equal remainders and quotas then keep that order, and the sort
 *                   compares only remainders and quotas (the sort is stable)
 * @returns          whole units per quota, in input order
 */
export function roundUnits(quotas: readonly UnitQuota[], den: bigint, totalUnits: bigint | null, method: RoundingMethod, presorted = false): bigint[] {
  const n = quotas.length;
  const units = new Array<bigint>(n);
  const rem = new Array<bigint>(n);
  for (let i = 0; i < n; i++) {
    const num = quotas[i]!.num;
    if (num < 0n) throw new Error(`internal: negative quota for ${quotas[i]!.key}`);
    units[i] = num / den;
    rem[i] = num % den;
  }
  if (method === 'largest-remainder') {
    if (totalUnits === null) throw new Error('internal: largest remainder needs the total');
    let missing = totalUnits;
    for (const u of units) missing -= u;
    if (missing < 0n || missing > BigInt(n)) throw new Error(`internal: quotas do not sum to the total (missing ${missing} units)`);
    if (missing > 0n) {
      // The order: larger remainder, then larger quota, then larger rate, then smaller key.
      // Only the first `missing` places matter, but a full sort of the indexes is simplest.
      const order = new Array<number>(n);
      for (let i = 0; i < n; i++) order[i] = i;
      order.sort((a, b) => {
        const ra = rem[a]!;
        const rb = rem[b]!;
        if (ra !== rb) return ra > rb ? -1 : 1;
        const qa = quotas[a]!;
        const qb = quotas[b]!;
        if (qa.num !== qb.num) return qa.num > qb.num ? -1 : 1;
        if (presorted) return 0;
        const xa = qa.rate ?? -1n;
        const xb = qb.rate ?? -1n;
        if (xa !== xb) return xa > xb ? -1 : 1;
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
