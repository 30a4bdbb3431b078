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

/** Days since 1970-01-01 of an ISO date (proleptic Gregorian; pure integer arithmetic, no clock, no time zone). */
export function dayNumber(iso: string): number {
  let y = Number(iso.slice(0, 4));
  const m = Number(iso.slice(5, 7));
  const d = Number(iso.slice(8, 10));
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The ISO date `n` days after 1970-01-01 (inverse of `dayNumber`). */
export function fromDayNumber(n: number): string {
  const z = n + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** `iso` plus `days` days. */
export function addDays(iso: string, days: number): string {
  return fromDayNumber(dayNumber(iso) + days);
}
