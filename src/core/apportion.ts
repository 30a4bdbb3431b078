/**
 * Apportionment: an adopted budget shared among the payers by a policy (docs/policy.md).
 *
 * Pure: `payersFor` and `apportion` take values and return values (a report and problems).
 * Every amount is computed exactly as a rational number, and money is rounded once, in
 * `roundQuotas`.
 *
 * Worked example (DOMAIN.md, test/worked-example.test.ts): budget 1,000.00; 20 % equal,
 * 80 % by scale; rates 0.5, 0.3, 0.2 → 466.67 + 306.67 + 226.66 = 1,000.00.
 */
import Fraction from 'fraction.js';
import { roundQuotas } from './allocate.js';
import type { ReferenceData } from './books.js';
import { boundDuring, monthsBound } from './dates.js';
import { D, type Decimal, fractionToDecimal, fractionToFixed, toFraction } from './decimal.js';
import type { Category, Policy, Selector } from './policy.js';
import { problem, type Problem } from './problem.js';

export interface Payer {
  iso3: string;
  name: string;
  ldc: boolean;
  /** Months of the year on whose first day the State is bound (12 with pro_rata none). */
  months: number;
  entryIntoForce?: string;
  withdrawalEffective?: string;
  /** UN rate in percent, or null for a State with none. */
  unRate: Decimal | null;
  /** Rate used (UN or notional), or null when the policy gives none. */
  rate: Decimal | null;
  rateSource: 'un' | 'notional' | null;
}

export type BoundKind = 'min' | 'max' | 'ldc_max';

export interface LineTrace {
  iso3: string;
  category: string;
  weight: Fraction;
  /** weight / sum of weights of the category's weighted members; null for fixed amounts and shares. */
  adjustedRate: Fraction | null;
  /** Percent of the category, for a State with a fixed share. */
  fixedShare?: Decimal;
  bound?: { kind: BoundKind; limit: Fraction; iteration: number };
  /** Exact amount before rounding. */
  quota: Fraction;
  amount: Decimal;
}

export interface CategoryResult {
  id: string;
  name: string;
  basis: Category['basis'];
  share?: Decimal;
  amount: Decimal;
  invoiced: boolean;
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
    if (unRate === null && policy.unrated.rule === 'notional') {
      const r = policy.unrated.rates.get(p.iso3) ?? policy.unrated.rate ?? null;
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
      unRate,
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
  const unit = toFraction(policy.rounding.unit);
  const payers = [...input.payers].sort((a, b) => cmp(a.iso3, b.iso3));
  const notes: string[] = [];
  for (const p of payers) if (p.months === 0) notes.push(`${p.iso3} is bound in ${year} but on the first day of no month: it pays nothing (pro-rata by months).`);
  const active = payers.filter((p) => p.months > 0);
  const byIso = new Map(active.map((p) => [p.iso3, p]));

  const isWhole = (d: Decimal) => toFraction(d).div(unit).d === 1n;
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
  if (rest.isNegative()) problems.push(problem('policy-shares', `fixed amounts (${fixedTotal.toFixed()}) exceed the budget (${budget.toFixed()})`, { field: 'categories' }));
  if (problems.length > 0) return { problems };

  const shareIdx = policy.categories.map((c, i) => (c.share !== undefined ? i : -1)).filter((i) => i >= 0);
  const restF = toFraction(rest);
  const catRounded = roundQuotas(
    shareIdx.map((i) => ({ key: String(i).padStart(6, '0'), quota: restF.mul(toFraction(policy.categories[i]!.share!)).div(100) })),
    unit,
    restF,
    'largest-remainder',
  );
  const categoryAmount = new Map<number, Decimal>();
  shareIdx.forEach((ci, k) => categoryAmount.set(ci, fractionToDecimal(unit.mul(catRounded.units[k]!))));
  policy.categories.forEach((c, i) => {
    const a = fixedAmount(c);
    if (a !== undefined) categoryAmount.set(i, a);
  });

  // 2. Members.
  const selected = new Map<number, Payer[]>();
  const takenByOthers = new Set<string>();
  policy.categories.forEach((c, i) => {
    if (c.basis === 'voluntary' || c.members === 'rest') return;
    const members = c.basis === 'fixed' ? fixedMembers(c, byIso, year, problems) : selectMembers(c, c.members, active, byIso, year, problems);
    selected.set(i, members);
    for (const m of members) takenByOthers.add(m.iso3);
  });
  policy.categories.forEach((c, i) => {
    if (c.members === 'rest' && c.basis !== 'fixed') selected.set(i, active.filter((p) => !takenByOthers.has(p.iso3)));
  });

  // 3. Each category.
  const categories: CategoryResult[] = [];
  policy.categories.forEach((c, i) => {
    const amount = categoryAmount.get(i)!;
    if (c.basis === 'voluntary') {
      categories.push({ id: c.id, name: c.name, basis: c.basis, ...(c.share ? { share: c.share } : {}), amount, invoiced: false, iterations: 0, lines: [], roundingDifference: D('0') });
      return;
    }
    const members = selected.get(i) ?? [];
    const r = shareCategory(c, amount, members, { budget, unit, policy, year }, problems);
    if (r) categories.push(r);
  });
  if (problems.length > 0) return { problems };

  // 4. Per State.
  const states: StateRow[] = [];
  for (const p of active) {
    const amounts = new Map<string, Decimal>();
    for (const c of categories) {
      const l = c.lines.find((x) => x.iso3 === p.iso3);
      if (l) amounts.set(c.id, l.amount);
    }
    if (amounts.size === 0) continue;
    let total = D('0');
    for (const a of amounts.values()) total = total.plus(a);
    states.push({ iso3: p.iso3, name: p.name, ldc: p.ldc, months: p.months, rate: p.rate, rateSource: p.rateSource, amounts, total });
  }
  for (const p of active) if (!states.some((s) => s.iso3 === p.iso3)) notes.push(`${p.iso3} is a payer in ${year} but no invoiced category selects it.`);
  const assessedTotal = states.reduce((s, r) => s.plus(r.total), D('0'));
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

function selectMembers(c: Category, s: Selector, active: Payer[], byIso: Map<string, Payer>, year: number, problems: Problem[]): Payer[] {
  if (s === 'all') return active;
  if (s === 'ldc') return active.filter((p) => p.ldc);
  if (s === 'non-ldc') return active.filter((p) => !p.ldc);
  if (s === 'rest') return [];
  for (const iso3 of s.iso3 ?? [])
    if (!byIso.has(iso3)) problems.push(problem('policy-member', `category "${c.id}" selects ${iso3}, which is not a payer in ${year}`, { field: `categories.${c.id}.members.iso3`, hint: 'remove it, or check the year and the entry-into-force date' }));
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
  return problem('rate-unrated', `${p.iso3} (${p.name}) has no UN rate for ${year} and category "${c.id}" needs one`, {
    field: 'scale.unrated',
    hint: 'give it a notional rate in the policy (scale.unrated: { rule: notional, rate: "0.001" } or rates: { ' + p.iso3 + ': "…" })',
  });
}

interface Ctx {
  budget: Decimal;
  unit: Fraction;
  policy: Policy;
  year: number;
}

/** One invoiced category: fixed amounts, or fixed shares + weights + iterative bounds, then rounding. */
function shareCategory(c: Category, amount: Decimal, members: Payer[], ctx: Ctx, problems: Problem[]): CategoryResult | undefined {
  const C = toFraction(amount);
  const base = { id: c.id, name: c.name, basis: c.basis, ...(c.share ? { share: c.share } : {}), amount, invoiced: true };
  if (c.basis === 'fixed') {
    const lines = c.amounts
      .filter(([iso3]) => members.some((m) => m.iso3 === iso3))
      .map(([iso3, a]) => ({ iso3, category: c.id, weight: new Fraction(0), adjustedRate: null, quota: toFraction(a), amount: a }));
    return { ...base, iterations: 0, lines, roundingDifference: D('0') };
  }
  if (members.length === 0) {
    if (C.equals(0)) return { ...base, iterations: 0, lines: [], roundingDifference: D('0') };
    problems.push(problem('category-empty', `category "${c.id}" has no member in ${ctx.year} but an amount of ${amount.toFixed()}`, { field: `categories.${c.id}.members`, hint: 'widen the member selector or give the category no share' }));
    return undefined;
  }
  const memberSet = new Set(members.map((m) => m.iso3));
  const fixedShares = new Map<string, Decimal>();
  for (const [iso3, pct] of c.fixedShares) {
    if (memberSet.has(iso3)) fixedShares.set(iso3, pct);
    else problems.push(problem('policy-member', `category "${c.id}" gives a fixed share to ${iso3}, which is not one of its members in ${ctx.year}`, { field: `categories.${c.id}.fixed_shares.${iso3}`, hint: 'add it to the members, or remove the fixed share' }));
  }
  const weighted = members.filter((m) => !fixedShares.has(m.iso3));
  const weight = new Map<string, Fraction>();
  for (const m of weighted) {
    if (c.basis === 'scale') {
      if (m.rate === null) {
        problems.push(unratedProblem(m, c, ctx.year));
        continue;
      }
      weight.set(m.iso3, toFraction(m.rate).mul(m.months));
    } else weight.set(m.iso3, new Fraction(m.months));
  }
  if (weight.size !== weighted.length) return undefined;

  const quota = new Map<string, Fraction>();
  let R = C;
  for (const [iso3, pct] of fixedShares) {
    const q = C.mul(toFraction(pct)).div(100);
    quota.set(iso3, q);
    R = R.sub(q);
  }
  const totalWeight = sum([...weight.values()]);
  if (weighted.length > 0 && totalWeight.equals(0) && !R.equals(0)) {
    problems.push(problem('category-empty', `category "${c.id}": every member has a zero weight in ${ctx.year}`, { field: `categories.${c.id}` }));
    return undefined;
  }

  // Bounds, in currency.
  const B = toFraction(ctx.budget);
  const abs = (b: { percent: Decimal; of: 'total' | 'category' } | undefined) => (b ? (b.of === 'total' ? B : C).mul(toFraction(b.percent)).div(100) : undefined);
  const min = abs(c.bounds.min);
  const max = abs(c.bounds.max);
  const ldcMax = abs(c.bounds.ldcMax);
  const upper = (m: Payer): { kind: BoundKind; limit: Fraction } | undefined => {
    if (m.ldc && ldcMax && (!max || ldcMax.lte(max))) return { kind: 'ldc_max', limit: ldcMax };
    return max ? { kind: 'max', limit: max } : undefined;
  };
  const bounded = new Map<string, { kind: BoundKind; limit: Fraction; iteration: number }>();
  const byIsoMember = new Map(members.map((m) => [m.iso3, m]));
  let iterations = 0;
  const free = new Set(weighted.map((m) => m.iso3));
  if (min || max || ldcMax) {
    const infeasible = (why: string) =>
      problems.push(problem('policy-bounds', `category "${c.id}" (${ctx.year}): ${why}`, { field: `categories.${c.id}.bounds`, hint: 'loosen the bounds or change the category amount' }));
    let minSum = new Fraction(0);
    let maxSum = new Fraction(0);
    let allCapped = true;
    for (const m of weighted) {
      const u = upper(m);
      if (min && u && min.gt(u.limit)) {
        infeasible(`the minimum ${fmt(min)} exceeds the ${u.kind} ${fmt(u.limit)} of ${m.iso3}`);
        return undefined;
      }
      if (min) minSum = minSum.add(min);
      if (u) maxSum = maxSum.add(u.limit);
      else allCapped = false;
    }
    if (minSum.gt(R)) {
      infeasible(`the minimums add up to ${fmt(minSum)}, more than the ${fmt(R)} to share`);
      return undefined;
    }
    if (allCapped && maxSum.lt(R)) {
      infeasible(`the maximums add up to ${fmt(maxSum)}, less than the ${fmt(R)} to share`);
      return undefined;
    }
    // Each round fixes the States on one side only, the side that is certain to be at its
    // bound in the final result: if the free quotas, each clipped to its bounds, add up to
    // more than what is left, the shares of the others can only fall, so those under their
    // minimum stay there; if less, those over their maximum; if exactly, both. The loop
    // ends at the one allocation where every State not at a bound pays in proportion to
    // its weight (docs/policy.md step 8).
    for (;;) {
      let avail = R;
      for (const b of bounded.values()) avail = avail.sub(b.limit);
      const W = sum([...free].map((k) => weight.get(k)!));
      const low: [string, { kind: BoundKind; limit: Fraction }][] = [];
      const high: [string, { kind: BoundKind; limit: Fraction }][] = [];
      let clipped = new Fraction(0);
      for (const k of free) {
        const q = W.equals(0) ? new Fraction(0) : avail.mul(weight.get(k)!).div(W);
        const u = upper(byIsoMember.get(k)!);
        if (min && q.lt(min)) {
          low.push([k, { kind: 'min', limit: min }]);
          clipped = clipped.add(min);
        } else if (u && q.gt(u.limit)) {
          high.push([k, u]);
          clipped = clipped.add(u.limit);
        } else clipped = clipped.add(q);
      }
      if (low.length === 0 && high.length === 0) break;
      const side = clipped.compare(avail);
      const fix = side > 0 ? low : side < 0 ? high : [...low, ...high];
      iterations++;
      for (const [k, b] of fix) {
        bounded.set(k, { ...b, iteration: iterations });
        free.delete(k);
      }
    }
  }
  let avail = R;
  for (const [k, b] of bounded) {
    quota.set(k, b.limit);
    avail = avail.sub(b.limit);
  }
  const Wfree = sum([...free].map((k) => weight.get(k)!));
  if (free.size === 0 || Wfree.equals(0)) {
    if (!avail.equals(0)) {
      problems.push(problem('policy-bounds', `category "${c.id}" (${ctx.year}): every member is held at a bound and ${fmt(avail)} is left unshared`, { field: `categories.${c.id}.bounds`, hint: 'loosen the bounds' }));
      return undefined;
    }
    for (const k of free) quota.set(k, new Fraction(0));
  } else for (const k of free) quota.set(k, avail.mul(weight.get(k)!).div(Wfree));

  const order = members.map((m) => m.iso3); // sorted by ISO3 (payers are)
  const rateOf = new Map(members.map((m) => [m.iso3, m.rate ? toFraction(m.rate) : undefined]));
  const rounded = roundQuotas(
    order.map((k) => ({ key: k, quota: quota.get(k)!, ...(rateOf.get(k) ? { rate: rateOf.get(k)! } : {}) })),
    ctx.unit,
    C,
    ctx.policy.rounding.method,
  );
  const lines: LineTrace[] = order.map((k, i) => {
    const w = weight.get(k) ?? new Fraction(0);
    const fs = fixedShares.get(k);
    const b = bounded.get(k);
    return {
      iso3: k,
      category: c.id,
      weight: w,
      adjustedRate: fs || totalWeight.equals(0) ? null : w.div(totalWeight),
      ...(fs ? { fixedShare: fs } : {}),
      ...(b ? { bound: b } : {}),
      quota: quota.get(k)!,
      amount: fractionToDecimal(ctx.unit.mul(rounded.units[i]!)),
    };
  });
  const linesSum = lines.reduce((s, l) => s.plus(l.amount), D('0'));
  return { ...base, iterations, lines, roundingDifference: amount.minus(linesSum) };
}

function sum(fs: Fraction[]): Fraction {
  let s = new Fraction(0);
  for (const f of fs) s = s.add(f);
  return s;
}

/** An exact amount in a message: two decimals, rounded half-up (messages only). */
function fmt(f: Fraction): string {
  return fractionToFixed(f, 2);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
