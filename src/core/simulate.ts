/**
 * Simulation: alternative policies (scenarios) set against the baseline, State by State,
 * with indicators of who pays more and how concentrated the burden is (docs/simulate.md).
 *
 * Pure: the shell runs `apportion` (or the fast split runner) for the baseline and each
 * scenario and hands the State totals here; this module lines them up on one list of
 * States and computes the indicators exactly (BigInt units; ratios kept as fractions and
 * written out with `ratio` only for display).
 *
 * Worked example (test/simulate.test.ts, checked by hand): baseline totals A 50, B 30,
 * C 20 (units); a scenario gives A 40, B 35, C 25. Two States pay more (B +5, C +5), one
 * less (A −10); the largest increase is B (+5, tie with C broken by ISO3), the largest
 * relative increase C (+25 %); the Herfindahl index goes from (50²+30²+20²)/100² = 0.38
 * (3,800 points) to (40²+35²+25²)/100² = 0.345 (3,450 points); the median from 30 to 35.
 */
import type { Apportionment } from './apportion.js';
import { scaled, type Decimal } from './decimal.js';
import { cmp } from './problem.js';

/** One State of the simulation: a payer in the baseline or in at least one scenario. */
export interface SimState {
  iso3: string;
  name: string;
  ldc: boolean;
  /** Region (UN M49) when the books have regions.csv, else null. */
  region: string | null;
}

/** A scenario's State totals, on the simulation's list of States. */
export interface Column {
  /**
   * Amount per State in the simulation's unit; 0n for a State that is not a payer. A sweep
   * keeps its 10,000 columns as BigInt64Array (not a million objects for the garbage
   * collector to trace; amounts fit in 64 bits: budgets have at most 15 digits before the
   * point, parse.ts), and works on plain arrays while it computes.
   */
  units: ArrayLike<bigint>;
  payer: boolean[];
  /** The State's rate is below the "small contributor" threshold. */
  small: boolean[];
}

export interface Indicators {
  payers: number;
  assessedUnits: bigint;
  /** Payers in both the baseline and the scenario, by how their amount moved. */
  more: number;
  less: number;
  same: number;
  /** Payers in the scenario only, and in the baseline only. */
  joined: number;
  left: number;
  largestIncrease: { iso3: string; units: bigint } | null;
  /** (scenario − baseline) / baseline, for a State that paid something in the baseline. */
  largestRelative: { iso3: string; num: bigint; den: bigint } | null;
  ldcUnits: bigint;
  ldcCount: number;
  smallUnits: bigint;
  smallCount: number;
  /** Sum of the five largest totals. */
  top5Units: bigint;
  /** Herfindahl index Σ(amount / total)², as a fraction (0 when nothing is assessed). */
  hhiNum: bigint;
  hhiDen: bigint;
  min: { iso3: string; units: bigint } | null;
  /** Twice the median total (the median of an even count is the mean of the middle two). */
  medianTwice: bigint;
}

/** The State totals of an apportionment in units, and the States' rates. */
export function totalsOf(a: Apportionment): Map<string, { units: bigint; rate: Decimal | null }> {
  return new Map(a.states.map((s) => [s.iso3, { units: s.totalUnits, rate: s.rate }]));
}

/** The list of States: every payer of any of the apportionments, sorted by ISO3. */
export function statesOf(results: readonly Apportionment[], regions: ReadonlyMap<string, string> | null): SimState[] {
  const seen = new Map<string, SimState>();
  for (const a of results) for (const s of a.states) if (!seen.has(s.iso3)) seen.set(s.iso3, { iso3: s.iso3, name: s.name, ldc: s.ldc, region: regions?.get(s.iso3) ?? null });
  return [...seen.values()].sort((x, y) => cmp(x.iso3, y.iso3));
}

/**
 * An apportionment's totals as a column on `states`, counted in `10^-places` (so that a
 * scenario rounded to whole francs and one rounded to centimes are counted alike);
 * `smallBelow` is a rate in percent.
 */
export function columnOf(a: Apportionment, states: readonly SimState[], smallBelow: Decimal, places: number): Column {
  const factor = scaled(a.policy.rounding.unit, places);
  const t = totalsOf(a);
  const n = states.length;
  const units = new BigInt64Array(n);
  const c: Column = { units, payer: new Array<boolean>(n), small: new Array<boolean>(n) };
  states.forEach((s, i) => {
    const x = t.get(s.iso3);
    units[i] = (x?.units ?? 0n) * factor;
    c.payer[i] = x !== undefined;
    c.small[i] = x !== undefined && x.rate !== null && x.rate.lt(smallBelow);
  });
  return c;
}

/**
 * `scratch`: room for one amount per State, reused by a caller that computes many (a sweep).
 * `within`: a State whose amount moves by no more than this many units counts as "same".
 * Amounts fit in 64 bits: budgets have at most 15 digits before the point (parse.ts).
 */
export function indicators(states: readonly SimState[], col: Column, base: Column, scratch = new BigInt64Array(states.length), within = 0n): Indicators {
  const n = states.length;
  let payers = 0;
  let assessed = 0n;
  let more = 0;
  let less = 0;
  let same = 0;
  let joined = 0;
  let left = 0;
  let inc: Indicators['largestIncrease'] = null;
  let rel: Indicators['largestRelative'] = null;
  let ldcUnits = 0n;
  let ldcCount = 0;
  let smallUnits = 0n;
  let smallCount = 0;
  let sumSq = 0n;
  let min: Indicators['min'] = null;
  let m = 0;
  for (let i = 0; i < n; i++) {
    const u = col.units[i]!;
    const b = base.units[i]!;
    const iso3 = states[i]!.iso3;
    if (col.payer[i] && base.payer[i]) {
      // A move of no more than `within` (default: one rounding unit of the coarser policy) is
      // rounding, not a change: it counts as "same" (docs/simulate.md).
      if (u - b > within) {
        more++;
        const d = u - b;
        // States are in ISO3 order: on a tie the earlier one stays.
        if (!inc || d > inc.units) inc = { iso3, units: d };
        if (b > 0n && (!rel || d * rel.den > rel.num * b)) rel = { iso3, num: d, den: b };
      } else if (b - u > within) less++;
      else same++;
    } else if (col.payer[i]) joined++;
    else if (base.payer[i]) left++;
    if (!col.payer[i]) continue;
    payers++;
    assessed += u;
    sumSq += u * u;
    scratch[m++] = u;
    if (states[i]!.ldc) {
      ldcUnits += u;
      ldcCount++;
    }
    if (col.small[i]) {
      smallUnits += u;
      smallCount++;
    }
    if (!min || u < min.units) min = { iso3, units: u };
  }
  const sorted = scratch.subarray(0, m).sort();
  let top5 = 0n;
  for (let k = 0; k < 5 && k < m; k++) top5 += sorted[m - 1 - k]!;
  const medianTwice = m === 0 ? 0n : m % 2 === 1 ? 2n * sorted[(m - 1) / 2]! : sorted[m / 2 - 1]! + sorted[m / 2]!;
  return {
    payers,
    assessedUnits: assessed,
    more,
    less,
    same,
    joined,
    left,
    largestIncrease: inc,
    largestRelative: rel,
    ldcUnits,
    ldcCount,
    smallUnits,
    smallCount,
    top5Units: top5,
    hhiNum: assessed === 0n ? 0n : sumSq,
    hhiDen: assessed === 0n ? 1n : assessed * assessed,
    min,
    medianTwice,
  };
}

/**
 * `num / den` written with `places` decimals, rounded half away from zero (display only:
 * percentages and the Herfindahl index; money is never rounded here).
 */
export function ratio(num: bigint, den: bigint, places: number): string {
  const neg = num < 0n !== den < 0n && num !== 0n;
  const a = num < 0n ? -num : num;
  const d = den < 0n ? -den : den;
  const scale = 10n ** BigInt(places);
  let q = (a * scale) / d;
  if (2n * ((a * scale) % d) >= d) q += 1n;
  const digits = q.toString().padStart(places + 1, '0');
  const body = places > 0 ? `${digits.slice(0, -places)}.${digits.slice(-places)}` : digits;
  return neg && q !== 0n ? `-${body}` : body;
}

/** Totals by group (LDC or not, or region), per column. */
export function groupTotals(states: readonly SimState[], cols: readonly Column[], by: 'ldc' | 'region'): { group: string; count: number; units: bigint[] }[] {
  const groups = new Map<string, { count: number; units: bigint[] }>();
  states.forEach((s, i) => {
    const key = by === 'ldc' ? (s.ldc ? 'LDC' : 'non-LDC') : (s.region ?? '(no region)');
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { count: 0, units: cols.map(() => 0n) }));
    g.count++;
    cols.forEach((c, k) => (g!.units[k]! += c.units[i]!));
  });
  return [...groups.entries()].sort(([a], [b]) => cmp(a, b)).map(([group, g]) => ({ group, ...g }));
}
