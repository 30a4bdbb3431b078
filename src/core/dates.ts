/**
 * Treaty dates. Dates are ISO strings `YYYY-MM-DD`; they compare as strings.
 *
 * Months bound (pro-rating, see docs/policy.md step 2): the months of the year on whose first
 * day the State is bound. LTU, withdrawal effective 2025-03-06: bound on 1 Jan, 1 Feb, 1 Mar
 * 2025 → 3. A State whose instrument enters into force on 2026-07-01 → 6 in 2026.
 */
export interface BindingPeriod {
  /** Entry into force (bound from this day). */
  from: string;
  /** Withdrawal effective (no longer bound from this day), if any. */
  until?: string | undefined;
}

/** Bound at any time during the year. */
export function boundDuring(p: BindingPeriod, year: number): boolean {
  const first = `${year}-01-01`;
  const last = `${year}-12-31`;
  return p.from <= last && (p.until === undefined || p.until > first);
}

export function monthsBound(p: BindingPeriod, year: number): number {
  let n = 0;
  for (let m = 1; m <= 12; m++) {
    const day = `${year}-${String(m).padStart(2, '0')}-01`;
    if (p.from <= day && (p.until === undefined || p.until > day)) n++;
  }
  return n;
}
