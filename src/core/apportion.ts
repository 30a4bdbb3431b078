/**
 * Apportionment: an adopted budget shared among the payers by a policy (docs/policy.md).
 *
 * Pure: `payersFor` and `apportion` take values and return values (a report and problems).
 * Every amount is computed exactly: inputs are finite decimals, so each category is worked in
 * BigInt integers scaled by a power of ten, and quotas are rationals over one common
 * denominator. Money is rounded once, in `roundUnits`.
 *
 * Worked example (docs/policy.md, test/worked-example.test.ts): budget 1,000.00; 20 % equal,
 * 80 % by scale; rates 0.5, 0.3, 0.2 → 466.67 + 306.67 + 226.66 = 1,000.00.
 */
import Fraction from 'fraction.js';
import { roundUnits } from './allocate.js';
import type { ReferenceData } from './books.js';
import { boundDuring, monthsBound } from './dates.js';
import { D, type Decimal, scaled, scaledToFixed, unscaled } from './decimal.js';
import { notionalRate, type Category, type Policy, type Selector } from './policy.js';
import { cmp, problem, type Problem } from './problem.js';

export interface Payer {
  iso3: string;
  name: string;
  ldc: boolean;
  /** Months of the year on whose first day the State is bound (12 with pro_rata none). */
  months: number;
  entryIntoForce?: string;
  withdrawalEffective?: string;
  /** Rate used (UN or notional), or null when the policy gives none. */
  rate: Decimal | null;
  rateSource: 'un' | 'notional' | null;
}

export type BoundKind = 'min' | 'max' | 'ldc_max';

export interface LineTrace {
  iso3: string;
  category: string;
  /** rate × months (scale) or months (equal), × 10^weightPlaces of the category; 0 for fixed amounts and fixed shares. */
  weight: bigint;
  /** Percent of the category, for a State with a fixed share. */
  fixedShare?: Decimal;
  bound?: { kind: BoundKind; limit: Decimal; iteration: number };
  /** Exact amount before rounding = quotaNum / quotaDen (see `quotaOf`). */
  quotaNum: bigint;
  quotaDen: bigint;
  /** The rounded amount, and the same in rounding units (amount = units × unit). */
  amount: Decimal;
  units: bigint;
}

/** The exact quota of a line, as a fraction. */
export function quotaOf(l: LineTrace): Fraction {
  return new Fraction(l.quotaNum, l.quotaDen);
}

/** A line's weight (rate × months, or months), exact. */
export function weightOf(l: LineTrace, c: CategoryResult): Decimal {
  return unscaled(l.weight, c.weightPlaces);
}

/** A line's weight over the sum of the category's weights (the adjusted rate), or null. */
export function adjustedRateOf(l: LineTrace, c: CategoryResult): Fraction | null {
  if (l.fixedShare || c.basis === 'fixed' || c.totalWeight === 0n) return null;
  return new Fraction(l.weight, c.totalWeight);
}

/** Writes amounts in rounding units with the unit's decimals (unit 0.05: `1234n` → `"61.70"`). */
export function unitsFormatter(unit: Decimal): (units: bigint) => string {
  const dp = unit.decimalPlaces();
  const step = scaled(unit, dp);
  return (units) => scaledToFixed(units * step, dp);
}

export interface CategoryResult {
  id: string;
  name: string;
  basis: Category['basis'];
  share?: Decimal;
  amount: Decimal;
  invoiced: boolean;
  /** Sum of the weights of the weighted members (before bounds), × 10^weightPlaces. */
  totalWeight: bigint;
  weightPlaces: number;
  /** Rounds of the bounds loop that fixed at least one State (0 without bounds). */
  iterations: number;
  lines: LineTrace[];
  /** category amount − sum of lines (non-zero only with per-line rounding). */
  roundingDifference: Decimal;
}

export interface StateRow {
  iso3: string;
  name: string;
  ldc: boolean;
  months: number;
  rate: Decimal | null;
  rateSource: Payer['rateSource'];
  /** category id → amount, for the invoiced categories the State is in. */
  amounts: Map<string, Decimal>;
  total: Decimal;
  totalUnits: bigint;
}

export interface Apportionment {
  year: number;
  currency: string;
  budget: Decimal;
  policy: Policy;
  scaleColumn: string;
  categories: CategoryResult[];
  states: StateRow[];
  /** Sum of all invoiced lines. */
  assessedTotal: Decimal;
  /** Sum of the voluntary categories (not invoiced). */
  voluntaryTotal: Decimal;
  /** budget − assessed − voluntary: the per-line rounding difference (0 with largest remainder). */
  roundingDifference: Decimal;
  /** Payers bound for none of the months counted (pro-rata), listed for the record. */
  notes: string[];
}

export function scaleColumnFor(policy: Policy, year: number): string | undefined {
  return policy.scalePeriods.find((p) => p.from <= year && year <= p.to)?.column;
}

/** The States Parties bound during `year`, with their months and rates. */
export function payersFor(ref: ReferenceData, policy: Policy, year: number): { payers: Payer[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const column = scaleColumnFor(policy, year);
  if (column === undefined) {
    problems.push(problem('scale-period', `no scale period of policy "${policy.id}" covers ${year}`, { field: 'scale.periods', hint: `add a period with from ≤ ${year} ≤ to` }));
    return { payers: [], problems };
  }
  if (!ref.scale.columns.includes(column)) {
    problems.push(problem('scale-period', `the scale has no column "${column}" (policy "${policy.id}", year ${year})`, { field: 'scale.periods', hint: `scale columns: ${ref.scale.columns.join(', ')}` }));
    return { payers: [], problems };
  }
  const payers: Payer[] = [];
  for (const p of ref.parties) {
    if (p.entryIntoForce === undefined) continue;
    const period = { from: p.entryIntoForce, until: p.withdrawalEffective };
    if (!boundDuring(period, year)) continue;
    const months = policy.proRata === 'months' ? monthsBound(period, year) : 12;
    const unRate = ref.scale.rates.get(p.iso3)?.get(column) ?? null;
    let rate: Decimal | null = unRate;
    let rateSource: Payer['rateSource'] = unRate ? 'un' : null;
    if (unRate === null) {
      const r = notionalRate(policy, p.iso3);
      if (r !== null) {
        rate = r;
        rateSource = 'notional';
      }
    }
    payers.push({
      iso3: p.iso3,
      name: ref.states.get(p.iso3)?.nameEn ?? p.name,
      ldc: ref.ldc.has(p.iso3),
      months,
      ...(p.entryIntoForce ? { entryIntoForce: p.entryIntoForce } : {}),
      ...(p.withdrawalEffective ? { withdrawalEffective: p.withdrawalEffective } : {}),
      rate,
      rateSource,
    });
  }
  payers.sort((a, b) => cmp(a.iso3, b.iso3));
  return { payers, problems };
}

export interface ApportionInput {
  year: number;
  budget: Decimal;
  policy: Policy;
  payers: readonly Payer[];
  scaleColumn: string;
}

export function apportion(input: ApportionInput): { result?: Apportionment; problems: Problem[] } {
  const { policy, budget, year } = input;
  const problems: Problem[] = [];
  const unit = policy.rounding.unit;
  const payers = [...input.payers].sort((a, b) => cmp(a.iso3, b.iso3));
  const notes: string[] = [];
  for (const p of payers) if (p.months === 0) notes.push(`${p.iso3} is bound in ${year} but on the first day of no month: it pays nothing (pro-rata by months).`);
  const active = payers.filter((p) => p.months > 0);
  const rates = new Map<string, { n: bigint; dp: number }>();
  for (const p of active) if (p.rate) rates.set(p.iso3, { n: scaled(p.rate, p.rate.decimalPlaces()), dp: p.rate.decimalPlaces() });
  const byIso = new Map(active.map((p) => [p.iso3, p]));

  const isWhole = (d: Decimal) => d.mod(unit).isZero();
  if (!isWhole(budget)) problems.push(problem('budget-unit', `the budget ${budget.toFixed()} is not a whole number of rounding units (${policy.rounding.unit.toFixed()})`, { hint: 'round the budget to the unit, or change rounding.unit in the policy' }));

  // 1. Category amounts: fixed amounts first, then shares of the rest by largest remainder.
  const fixedAmount = (c: Category): Decimal | undefined =>
    c.basis === 'fixed' ? c.amounts.reduce((s, [, a]) => s.plus(a), D('0')) : c.amount;
  let fixedTotal = D('0');
  policy.categories.forEach((c) => {
    const a = fixedAmount(c);
    if (a === undefined) return;
    if (!isWhole(a)) problems.push(problem('budget-unit', `category "${c.id}": amount ${a.toFixed()} is not a whole number of rounding units`, { field: `categories.${c.id}` }));
    for (const [iso3, x] of c.amounts) if (!isWhole(x)) problems.push(problem('budget-unit', `category "${c.id}": amount ${x.toFixed()} for ${iso3} is not a whole number of rounding units`, { field: `categories.${c.id}.amounts.${iso3}` }));
    fixedTotal = fixedTotal.plus(a);
  });
  const rest = budget.minus(fixedTotal);
  if (rest.isNegative()) problems.push(problem('policy-shares', `fixed amounts (${money(fixedTotal)}) exceed the budget (${money(budget)})`, { field: 'categories' }));
  if (rest.gt(0) && !policy.categories.some((c) => c.share !== undefined))
    problems.push(
      problem('policy-shares', `the fixed amounts (${money(fixedTotal)}) leave ${money(rest)} of the ${money(budget)} budget to no category`, {
        field: 'categories',
        hint: 'give a category a share (percent) to take what is left, or make the fixed amounts add up to the budget',
      }),
    );
  if (problems.length > 0) return { problems };

  // rest × share / 100 in units, over one denominator: rest·10^p × share·10^p / (100 · unit·10^p · 10^p)
  const shareIdx = policy.categories.map((c, i) => (c.share !== undefined ? i : -1)).filter((i) => i >= 0);
  const p = Math.max(rest.decimalPlaces(), unit.decimalPlaces(), ...shareIdx.map((i) => policy.categories[i]!.share!.decimalPlaces()));
  const restS = scaled(rest, p);
  const unitS = scaled(unit, p);
  const catUnits = roundUnits(
    shareIdx.map((i) => ({ key: String(i).padStart(6, '0'), num: restS * scaled(policy.categories[i]!.share!, p) })),
    100n * unitS * 10n ** BigInt(p),
    shareIdx.length ? restS / unitS : 0n,
    'largest-remainder',
  );
  const categoryAmount = new Map<number, Decimal>();
  shareIdx.forEach((ci, k) => categoryAmount.set(ci, unit.times(catUnits[k]!.toString())));
  policy.categories.forEach((c, i) => {
    const a = fixedAmount(c);
    if (a !== undefined) categoryAmount.set(i, a);
  });

  // 2. Members.
  const selected = new Map<number, Payer[]>();
  const takenByOthers = new Set<string>();
  policy.categories.forEach((c, i) => {
    const sel = c.members;
    if (c.basis === 'voluntary' || sel === 'rest') return;
    const members = c.basis === 'fixed' ? fixedMembers(c, byIso, year, problems) : selectMembers(c, sel, active, byIso, year, problems);
    selected.set(i, members);
    for (const m of members) takenByOthers.add(m.iso3);
  });
  policy.categories.forEach((c, i) => {
    if (c.members === 'rest') selected.set(i, active.filter((p) => !takenByOthers.has(p.iso3)));
  });

  // 3. Each category.
  const categories: CategoryResult[] = [];
  policy.categories.forEach((c, i) => {
    const amount = categoryAmount.get(i)!;
    if (c.basis === 'voluntary') {
      categories.push({ id: c.id, name: c.name, basis: c.basis, ...(c.share ? { share: c.share } : {}), amount, invoiced: false, totalWeight: 0n, weightPlaces: 0, iterations: 0, lines: [], roundingDifference: D('0') });
      return;
    }
    const members = selected.get(i) ?? [];
    const r = shareCategory(c, amount, members, { budget, policy, year, rates }, problems);
    if (r) categories.push(r);
  });
  if (problems.length > 0) return { problems };

  // 4. Per State.
  const linesOf = new Map<string, { lines: LineTrace[]; units: bigint }>();
  for (const c of categories) {
    for (const l of c.lines) {
      let m = linesOf.get(l.iso3);
      if (!m) linesOf.set(l.iso3, (m = { lines: [], units: 0n }));
      m.lines.push(l);
      m.units += l.units;
    }
  }
  const states: StateRow[] = [];
  for (const p of active) {
    const a = linesOf.get(p.iso3);
    if (!a) {
      notes.push(`${p.iso3} is a payer in ${year} but no invoiced category selects it.`);
      continue;
    }
    let amounts: Map<string, Decimal> | undefined;
    let total: Decimal | undefined;
    states.push({
      iso3: p.iso3,
      name: p.name,
      ldc: p.ldc,
      months: p.months,
      rate: p.rate,
      rateSource: p.rateSource,
      totalUnits: a.units,
      // Made when first read (see withAmount).
      get amounts() {
        return (amounts ??= new Map(a.lines.map((l) => [l.category, l.amount])));
      },
      get total() {
        return (total ??= unit.times(a.units.toString()));
      },
    });
  }
  const assessedTotal = unit.times(states.reduce((s, r) => s + r.totalUnits, 0n).toString());
  const voluntaryTotal = categories.filter((c) => !c.invoiced).reduce((s, c) => s.plus(c.amount), D('0'));
  return {
    result: {
      year,
      currency: policy.currency,
      budget,
      policy,
      scaleColumn: input.scaleColumn,
      categories,
      states,
      assessedTotal,
      voluntaryTotal,
      roundingDifference: budget.minus(assessedTotal).minus(voluntaryTotal),
      notes,
    },
    problems,
  };
}

function fixedMembers(c: Category, byIso: Map<string, Payer>, year: number, problems: Problem[]): Payer[] {
  const out: Payer[] = [];
  for (const [iso3] of c.amounts) {
    const p = byIso.get(iso3);
    if (p) out.push(p);
    else problems.push(problem('policy-member', `category "${c.id}" has an amount for ${iso3}, which is not a payer in ${year}`, { field: `categories.${c.id}.amounts.${iso3}`, hint: 'remove it, or check the year and the entry-into-force date' }));
  }
  return out;
}

function selectMembers(c: Category, s: Exclude<Selector, 'rest'>, active: Payer[], byIso: Map<string, Payer>, year: number, problems: Problem[]): Payer[] {
  if (s === 'all') return active;
  if (s === 'ldc') return active.filter((p) => p.ldc);
  if (s === 'non-ldc') return active.filter((p) => !p.ldc);
  (s.iso3 ?? []).forEach((iso3, i) => {
    if (!byIso.has(iso3)) problems.push(problem('policy-member', `category "${c.id}" selects ${iso3}, which is not a payer in ${year}`, { field: `categories.${c.id}.members.iso3.${i}`, hint: 'remove it, or check the year and the entry-into-force date' }));
  });
  const needsRate = s.rateAtLeast !== undefined || s.rateBelow !== undefined;
  return active.filter((p) => {
    if (s.iso3 && !s.iso3.includes(p.iso3)) return false;
    if (s.except?.includes(p.iso3)) return false;
    if (s.ldc !== undefined && p.ldc !== s.ldc) return false;
    if (needsRate) {
      if (p.rate === null) {
        problems.push(unratedProblem(p, c, year));
        return false;
      }
      if (s.rateAtLeast !== undefined && p.rate.lt(s.rateAtLeast)) return false;
      if (s.rateBelow !== undefined && !p.rate.lt(s.rateBelow)) return false;
    }
    return true;
  });
}

function unratedProblem(p: Payer, c: Category, year: number): Problem {
  return problem('rate-unrated', `${p.iso3} (${p.name}) has no rate in scale.csv for ${year}, and category "${c.id}" shares by the scale`, {
    field: 'scale.unrated',
    hint: `if ${p.iso3} has a UN rate, put its row back in scale.csv; if it has none, give it a fixed share of the category (categories: - id: ${c.id} … fixed_shares: { ${p.iso3}: "…" }, exact), or name it for a notional rate (scale.unrated: { rule: notional, rate: "0.001", states: [${p.iso3}] } or rates: { ${p.iso3}: "…" })`,
  });
}

interface Ctx {
  budget: Decimal;
  policy: Policy;
  year: number;
  /** Each rated payer's rate as an integer and its decimals: rate = n / 10^dp. */
  rates: Map<string, { n: bigint; dp: number }>;
}

interface Limit {
  kind: BoundKind;
  /** Exact amount, and the same scaled to an integer. */
  value: Decimal;
  int: bigint;
}

/**
 * One invoiced category: fixed amounts, or fixed shares + weights + iterative bounds, then
 * rounding. Amounts are integers scaled by 10^aP, weights integers scaled by 10^wP.
 */
function shareCategory(c: Category, amount: Decimal, members: Payer[], ctx: Ctx, problems: Problem[]): CategoryResult | undefined {
  const unit = ctx.policy.rounding.unit;
  const base = { id: c.id, name: c.name, basis: c.basis, ...(c.share ? { share: c.share } : {}), amount, invoiced: true };
  if (c.basis === 'fixed') {
    const isMember = new Set(members.map((m) => m.iso3));
    const lines: LineTrace[] = c.amounts
      .filter(([iso3]) => isMember.has(iso3))
      .map(([iso3, a]) => ({ iso3, category: c.id, weight: 0n, quotaNum: scaled(a, a.decimalPlaces()), quotaDen: 10n ** BigInt(a.decimalPlaces()), amount: a, units: BigInt(a.div(unit).toFixed(0)) }));
    return { ...base, totalWeight: 0n, weightPlaces: 0, iterations: 0, lines, roundingDifference: D('0') };
  }
  if (members.length === 0) {
    if (amount.isZero()) return { ...base, totalWeight: 0n, weightPlaces: 0, iterations: 0, lines: [], roundingDifference: D('0') };
    problems.push(problem('category-empty', `category "${c.id}" has no member in ${ctx.year} but an amount of ${money(amount)}`, { field: `categories.${c.id}.members`, hint: 'widen the member selector or give the category no share' }));
    return undefined;
  }
  const memberSet = new Set(members.map((m) => m.iso3));
  const fixedPct = new Map<string, Decimal>();
  for (const [iso3, pct] of c.fixedShares) {
    if (memberSet.has(iso3)) fixedPct.set(iso3, pct);
    else problems.push(problem('policy-member', `category "${c.id}" gives a fixed share to ${iso3}, which is not one of its members in ${ctx.year}`, { field: `categories.${c.id}.fixed_shares.${iso3}`, hint: 'add it to the members, or remove the fixed share' }));
  }

  // Weights: rate × months (or months) as integers, rates scaled by 10^wP.
  const n = members.length;
  let wP = 0;
  let rP = 0; // one scale for the rates of the tie-break
  for (const m of members) {
    const r = ctx.rates.get(m.iso3);
    if (!r) continue;
    rP = Math.max(rP, r.dp);
    if (c.basis === 'scale' && !fixedPct.has(m.iso3)) wP = Math.max(wP, r.dp);
  }
  const rateAt = (iso3: string, places: number): bigint | null => {
    const r = ctx.rates.get(iso3);
    return r ? r.n * 10n ** BigInt(places - r.dp) : null;
  };
  const w: bigint[] = new Array<bigint>(n);
  let unratedFound = false;
  for (let i = 0; i < n; i++) {
    const m = members[i]!;
    if (fixedPct.has(m.iso3)) w[i] = 0n;
    else if (c.basis === 'scale') {
      if (m.rate === null) {
        problems.push(unratedProblem(m, c, ctx.year));
        unratedFound = true;
        w[i] = 0n;
      } else w[i] = rateAt(m.iso3, wP)! * BigInt(m.months);
    } else w[i] = BigInt(m.months);
  }
  if (unratedFound) return undefined;
  let totalWeight = 0n;
  for (const x of w) totalWeight += x;

  // Amounts: the category, fixed-share quotas, bounds — exact decimals, scaled to integers.
  const fsDec = new Map<string, Decimal>();
  for (const [iso3, pct] of fixedPct) fsDec.set(iso3, amount.times(pct).div(100));
  const boundDec = (b: { percent: Decimal; of: 'total' | 'category' } | undefined) => (b ? (b.of === 'total' ? ctx.budget : amount).times(b.percent).div(100) : undefined);
  const minD = boundDec(c.bounds.min);
  const maxD = boundDec(c.bounds.max);
  const ldcMaxD = boundDec(c.bounds.ldcMax);
  const aP = Math.max(amount.decimalPlaces(), unit.decimalPlaces(), ...[...fsDec.values(), minD, maxD, ldcMaxD].map((d) => d?.decimalPlaces() ?? 0));
  const A = (d: Decimal) => scaled(d, aP);
  const Cint = A(amount);
  const minL: Limit | undefined = minD ? { kind: 'min', value: minD, int: A(minD) } : undefined;
  const maxL: Limit | undefined = maxD ? { kind: 'max', value: maxD, int: A(maxD) } : undefined;
  const ldcL: Limit | undefined = ldcMaxD ? { kind: 'ldc_max', value: ldcMaxD, int: A(ldcMaxD) } : undefined;
  const upper = (m: Payer): Limit | undefined => (m.ldc && ldcL && (!maxL || ldcL.int <= maxL.int) ? ldcL : maxL);

  let R = Cint;
  for (const d of fsDec.values()) R -= A(d);
  const weighted: number[] = [];
  for (let i = 0; i < n; i++) if (!fixedPct.has(members[i]!.iso3)) weighted.push(i);
  let Wall = 0n;
  for (const i of weighted) Wall += w[i]!;

  const bounded = new Map<number, { limit: Limit; iteration: number }>();
  let iterations = 0;
  let free = weighted;
  const infeasible = (why: string) => problems.push(problem('policy-bounds', `category "${c.id}" (${ctx.year}): ${why}`, { field: `categories.${c.id}.bounds`, hint: 'loosen the bounds or change the category amount' }));
  if (minL || maxL || ldcL) {
    let minSum = 0n;
    let maxSum = 0n;
    let allCapped = true;
    for (const i of weighted) {
      const u = upper(members[i]!);
      if (minL && u && minL.int > u.int) {
        infeasible(`the minimum ${money(minL.value)} exceeds the ${u.kind} ${money(u.value)} of ${members[i]!.iso3}`);
        return undefined;
      }
      if (minL) minSum += minL.int;
      if (u) maxSum += u.int;
      else allCapped = false;
    }
    const Rd = unscaled(R, aP);
    if (minSum > R) {
      infeasible(`the minimums add up to ${money(unscaled(minSum, aP))}, more than the ${money(Rd)} to share`);
      return undefined;
    }
    if (allCapped && maxSum < R) {
      infeasible(`the maximums add up to ${money(unscaled(maxSum, aP))}, less than the ${money(Rd)} to share`);
      return undefined;
    }
    // Each round fixes the States on one side only, the side that is certain to be at its
    // bound in the final result: if the free quotas, each clipped to its bounds, add up to
    // more than what is left, the shares of the others can only fall, so those under their
    // minimum stay there; if less, those over their maximum; if exactly, both. The loop
    // ends at the one allocation where every State not at a bound pays in proportion to
    // its weight (docs/policy.md step 8). A quota is avail·w/W; comparisons are made
    // multiplied through by W, in integers.
    let avail = R;
    let W = Wall;
    for (;;) {
      const low: number[] = [];
      const high: number[] = [];
      let clippedW = 0n; // sum of clipped quotas × W
      const Wm = W === 0n ? 1n : W;
      const minW = minL ? minL.int * Wm : 0n;
      const maxW = maxL ? maxL.int * Wm : 0n;
      const ldcW = ldcL ? ldcL.int * Wm : 0n;
      for (const i of free) {
        const qW = W === 0n ? 0n : avail * w[i]!; // quota × W (with W = 0 every quota is 0)
        const u = upper(members[i]!);
        const uW = u === undefined ? 0n : u === maxL ? maxW : ldcW;
        if (minL && qW < minW) {
          low.push(i);
          clippedW += minW;
        } else if (u && qW > uW) {
          high.push(i);
          clippedW += uW;
        } else clippedW += qW;
      }
      if (low.length === 0 && high.length === 0) break;
      const target = avail * (W === 0n ? 1n : W);
      const fix = clippedW > target ? low : clippedW < target ? high : [...low, ...high];
      iterations++;
      const fixed = new Set(fix);
      const lowSet = new Set(low);
      for (const i of fix) {
        const limit = lowSet.has(i) ? minL! : upper(members[i]!)!;
        bounded.set(i, { limit, iteration: iterations });
        avail -= limit.int;
        W -= w[i]!;
      }
      free = free.filter((i) => !fixed.has(i));
    }
  }

  // Exact quotas over one denominator: W·10^aP (W = the free States' weight), or 10^aP.
  let avail = R;
  for (const b of bounded.values()) avail -= b.limit.int;
  let Wfree = 0n;
  for (const i of free) Wfree += w[i]!;
  if (free.length === 0 || Wfree === 0n) {
    if (avail !== 0n) {
      const left = money(unscaled(avail, aP));
      if (bounded.size === 0)
        problems.push(problem('policy-shares', `category "${c.id}" (${ctx.year}): every member has a fixed share and ${left} is left to nobody`, { field: `categories.${c.id}.fixed_shares`, hint: 'fixed shares that do not add up to 100 % need other members to share the rest' }));
      else infeasible(`every member is held at a bound${fixedPct.size ? ' or a fixed share' : ''} and ${left} is left unshared`);
      return undefined;
    }
  }
  const Wq = Wfree === 0n ? 1n : Wfree;
  const num: bigint[] = new Array<bigint>(n).fill(0n);
  for (let i = 0; i < n; i++) {
    const iso3 = members[i]!.iso3;
    const fs = fsDec.get(iso3);
    const b = bounded.get(i);
    if (fs) num[i] = A(fs) * Wq;
    else if (b) num[i] = b.limit.int * Wq;
    else if (Wfree !== 0n) num[i] = avail * w[i]!;
  }
  const unitInt = A(unit);
  const units = roundUnits(
    members.map((m, i) => ({ key: m.iso3, num: num[i]!, rate: rateAt(m.iso3, rP) })),
    Wq * unitInt,
    Cint / unitInt,
    ctx.policy.rounding.method,
  );
  const quotaDen = Wq * 10n ** BigInt(aP);
  let unitsSum = 0n;
  const lines: LineTrace[] = members.map((m, i) => {
    const fs = fixedPct.get(m.iso3);
    const b = bounded.get(i);
    const u = units[i]!;
    unitsSum += u;
    return withAmount(
      {
        iso3: m.iso3,
        category: c.id,
        weight: w[i]!,
        ...(fs ? { fixedShare: fs } : {}),
        ...(b ? { bound: { kind: b.limit.kind, limit: b.limit.value, iteration: b.iteration } } : {}),
        quotaNum: num[i]!,
        quotaDen,
        units: u,
      },
      unit,
    );
  });
  return { ...base, totalWeight, weightPlaces: wP, iterations, lines, roundingDifference: amount.minus(unit.times(unitsSum.toString())) };
}

/**
 * A line whose `amount` (units × unit) is made the first time it is read: a JSON report of
 * 10,000 States writes amounts straight from the units and never needs 50,000 Decimals.
 */
class Line implements LineTrace {
  iso3!: string;
  category!: string;
  weight!: bigint;
  fixedShare?: Decimal;
  bound?: LineTrace['bound'];
  quotaNum!: bigint;
  quotaDen!: bigint;
  units!: bigint;
  #amount: Decimal | undefined;
  constructor(
    fields: Omit<LineTrace, 'amount'>,
    private readonly unit: Decimal,
  ) {
    Object.assign(this, fields);
  }
  get amount(): Decimal {
    return (this.#amount ??= this.unit.times(this.units.toString()));
  }
}

function withAmount(line: Omit<LineTrace, 'amount'>, unit: Decimal): LineTrace {
  return new Line(line, unit);
}

/** An exact amount in a message: two decimals, rounded half-up (messages only). */
function money(d: Decimal): string {
  return d.toFixed(2);
}

