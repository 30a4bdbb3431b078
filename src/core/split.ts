/**
 * The same apportionment for many splits of the budget between categories, fast: what
 * `simulate --sweep` runs thousands of times (docs/simulate.md, "Sweeps").
 *
 * A split changes only the category shares. The payers, the members of each category,
 * their weights and their rates do not move, so they are taken once from a baseline run of
 * `apportion` (its lines list each category's members with their exact weights). Each
 * split then redoes steps 4, 7, 8 and 9 of docs/policy.md (category amounts, fixed shares,
 * the bounds loop, rounding) in BigInt integers at one fixed scale, with the same
 * comparisons as `apportion` and the one rounding function `roundUnits`. Every quantity is
 * an exact integer multiple of 10^-P, and every decision of the engine (a quota against a
 * bound, a remainder against another) compares two such quantities multiplied by the same
 * positive factor: the scale changes no decision, so the units are exactly those of
 * `apportion` (test/simulate.test.ts checks this on every point of several sweeps).
 *
 * Example: the 2026 example books, base 25 % / scale 75 %: the same 112 State totals as
 * `apportion` of the policy with those shares, in about a tenth of a millisecond.
 */
import { roundUnits, type UnitQuota } from './allocate.js';
import type { Apportionment, Payer } from './apportion.js';
import { type Decimal, scaled, unscaled } from './decimal.js';

interface Member {
  /** Index into the State list of the baseline (`states`). */
  state: number;
  iso3: string;
  ldc: boolean;
  weight: bigint;
  /** Percent of the category as an integer over 10^pctPlaces, or null. */
  fixedShare: bigint | null;
  rate: bigint | null;
}

interface Compiled {
  index: number;
  /** One quota object per member, reused at every point (num rewritten). */
  quotas: UnitQuota[];
  /** Category amount in units → its units per member (or why none), for amounts seen before. */
  memo: Map<bigint, bigint[] | string> | undefined;
  hits: number;
  misses: number;
  id: string;
  basis: string;
  invoiced: boolean;
  /** Fixed amount in units (fixed or amount categories), or null for a share category. */
  fixedUnits: bigint | null;
  members: Member[];
  min?: { pct: bigint; ofTotal: boolean };
  max?: { pct: bigint; ofTotal: boolean };
  ldcMax?: { pct: bigint; ofTotal: boolean };
}

/** Results kept per category (at most a few MB), and the misses after which a memo that is rarely hit is dropped. */
const MEMO_MAX = 4096;
const MEMO_TRIAL = 256;

export type SplitOutcome = { ok: true; units: bigint[] } | { ok: false; message: string };

export interface SplitRunner {
  /** ISO3 of the States, in the order of `units`. */
  states: string[];
  /** Ids of the categories with a share, in policy order (the order of `run`'s argument). */
  shareCategories: string[];
  /** State totals in rounding units for these shares (percent, one per share category). */
  run(shares: readonly Decimal[]): SplitOutcome;
}

/**
 * @param base    a successful `apportion` of the policy whose shares will change
 * @param payers  the payers it was given (their rates break ties)
 */
export function compileSplit(base: Apportionment, payers: readonly Payer[]): SplitRunner {
  const policy = base.policy;
  const unit = policy.rounding.unit;
  const uDp = unit.decimalPlaces();
  const stateIndex = new Map(base.states.map((s, i) => [s.iso3, i]));
  const payerOf = new Map(payers.map((p) => [p.iso3, p]));
  // One scale for every percent of the policy (bounds, fixed shares, category shares).
  let pctDp = 0;
  for (const c of policy.categories) {
    for (const [, p] of c.fixedShares) pctDp = Math.max(pctDp, p.decimalPlaces());
    for (const b of [c.bounds.min, c.bounds.max, c.bounds.ldcMax]) if (b) pctDp = Math.max(pctDp, b.percent.decimalPlaces());
  }
  // Amounts at scale 10^P: a whole number of units × a percent / 100 is then an integer.
  const P = Math.max(uDp, base.budget.decimalPlaces()) + pctDp + 2;
  const unitP = scaled(unit, P);
  const pctScale = 100n * 10n ** BigInt(pctDp);
  const budgetP = scaled(base.budget, P);
  const pctInt = (d: Decimal) => scaled(d, pctDp);
  const bound = (b: { percent: Decimal; of: 'total' | 'category' } | undefined) => (b ? { pct: pctInt(b.percent), ofTotal: b.of === 'total' } : undefined);

  const compiled: Compiled[] = policy.categories.map((c, index) => {
    const r = base.categories[index]!;
    let rP = 0;
    for (const l of r.lines) {
      const rate = payerOf.get(l.iso3)?.rate;
      if (rate) rP = Math.max(rP, rate.decimalPlaces());
    }
    const fixedUnits = c.basis === 'fixed' || c.amount !== undefined ? BigInt(r.amount.div(unit).toFixed(0)) : null;
    const members: Member[] = r.lines.map((l) => {
      const p = payerOf.get(l.iso3)!;
      return {
        state: stateIndex.get(l.iso3)!,
        iso3: l.iso3,
        ldc: p.ldc,
        weight: l.weight,
        fixedShare: l.fixedShare ? pctInt(l.fixedShare) : null,
        rate: p.rate ? scaled(p.rate, rP) : null,
      };
    });
    const bMin = bound(c.bounds.min);
    const bMax = bound(c.bounds.max);
    const bLdc = bound(c.bounds.ldcMax);
    // A fixed category's lines are its amounts: units fixed once and for all.
    if (c.basis === 'fixed') for (let i = 0; i < members.length; i++) members[i]!.weight = r.lines[i]!.units;
    // In the rounding's tie-break order (larger rate, none lowest, then ISO3 A–Z), so that
    // roundUnits need only compare remainders and quotas; totals go by `state`, not position.
    else members.sort((a, b) => (a.rate === b.rate ? (a.iso3 < b.iso3 ? -1 : 1) : (a.rate ?? -1n) > (b.rate ?? -1n) ? -1 : 1));
    return { index, memo: new Map(), hits: 0, misses: 0, quotas: members.map((m) => ({ key: m.iso3, num: 0n, rate: m.rate })), id: c.id, basis: c.basis, invoiced: r.invoiced, fixedUnits, members, ...(bMin ? { min: bMin } : {}), ...(bMax ? { max: bMax } : {}), ...(bLdc ? { ldcMax: bLdc } : {}) };
  });
  const shareIdx = policy.categories.map((c, i) => (c.share !== undefined ? i : -1)).filter((i) => i >= 0);
  const fixedTotal = compiled.reduce((s, c) => s + (c.fixedUnits ?? 0n), 0n);
  const budgetUnits = BigInt(base.budget.div(unit).toFixed(0));
  const restUnits = budgetUnits - fixedTotal;
  const nStates = base.states.length;
  // As apportion writes amounts in messages: two decimals, half-up.
  const money = (n: bigint) => unscaled(n, P).toFixed(2);

  function run(shares: readonly Decimal[]): SplitOutcome {
    // Step 4: the rest shared among the share categories by largest remainder (as apportion).
    const sp = Math.max(uDp, ...shares.map((s) => s.decimalPlaces()));
    const restS = restUnits * scaled(unit, sp);
    const unitS = scaled(unit, sp);
    const catUnits = roundUnits(
      shareIdx.map((ci, k) => ({ key: String(ci).padStart(6, '0'), num: restS * scaled(shares[k]!, sp) })),
      100n * unitS * 10n ** BigInt(sp),
      shareIdx.length ? restUnits : 0n,
      'largest-remainder',
    );
    const amountUnits = compiled.map((c) => c.fixedUnits ?? 0n);
    shareIdx.forEach((ci, k) => (amountUnits[ci] = catUnits[k]!));
    const totals = new Array<bigint>(nStates).fill(0n);
    for (const c of compiled) {
      if (!c.invoiced) continue;
      if (c.basis === 'fixed') {
        for (const m of c.members) totals[m.state] = totals[m.state]! + m.weight;
        continue;
      }
      // A category's lines depend on its amount alone (the budget, members and weights are
      // fixed): on a grid, many points give a category the same amount.
      const a = amountUnits[c.index]!;
      let units = c.memo?.get(a);
      if (units === undefined) {
        const fresh = shareOne(c, a * unitP);
        units = fresh;
        if (c.memo) {
          // Kept only while it pays: a sweep along this category rarely repeats an amount.
          if (++c.misses > MEMO_TRIAL && c.hits * 4 < c.misses) c.memo = undefined;
          else if (c.memo.size < MEMO_MAX) c.memo.set(a, fresh);
        }
      } else c.hits++;
      if (typeof units === 'string') return { ok: false, message: `category "${c.id}": ${units}` };
      const ms = c.members;
      for (let i = 0; i < ms.length; i++) {
        const k = ms[i]!.state;
        totals[k] = totals[k]! + units[i]!;
      }
    }
    return { ok: true, units: totals };
  }

  /** Steps 7-9 for one category of `amount` (scale P): units per member, or why it cannot be. */
  function shareOne(c: Compiled, amount: bigint): bigint[] | string {
    const ms = c.members;
    const n = ms.length;
    if (n === 0) return amount === 0n ? [] : `no member but an amount of ${money(amount)}`;
    const limit = (b: { pct: bigint; ofTotal: boolean } | undefined) => (b ? ((b.ofTotal ? budgetP : amount) * b.pct) / pctScale : undefined);
    const minL = limit(c.min);
    const maxL = limit(c.max);
    const ldcL = limit(c.ldcMax);
    const upper = (m: Member) => (m.ldc && ldcL !== undefined && (maxL === undefined || ldcL <= maxL) ? ldcL : maxL);
    let R = amount;
    for (const m of ms) if (m.fixedShare !== null) R -= (amount * m.fixedShare) / pctScale;
    const fixedAt = new Array<bigint | null>(n).fill(null);
    let free: number[] = [];
    for (let i = 0; i < n; i++) if (ms[i]!.fixedShare === null) free.push(i);
    if (minL !== undefined || maxL !== undefined || ldcL !== undefined) {
      let minSum = 0n;
      let maxSum = 0n;
      let allCapped = true;
      for (const i of free) {
        const u = upper(ms[i]!);
        if (minL !== undefined && u !== undefined && minL > u) return `the minimum ${money(minL)} exceeds the maximum ${money(u)} of ${ms[i]!.iso3}`;
        if (minL !== undefined) minSum += minL;
        if (u !== undefined) maxSum += u;
        else allCapped = false;
      }
      if (minSum > R) return `the minimums add up to ${money(minSum)}, more than the ${money(R)} to share`;
      if (allCapped && maxSum < R) return `the maximums add up to ${money(maxSum)}, less than the ${money(R)} to share`;
      let avail = R;
      let W = 0n;
      for (const i of free) W += ms[i]!.weight;
      const ldcWins = ldcL !== undefined && (maxL === undefined || ldcL <= maxL);
      const isLow = new Uint8Array(n);
      for (;;) {
        // A free quota is avail·w/W; as in apportion, compare quota × W with bound × W. With
        // avail and W positive, avail·w < X is w < ⌈X/avail⌉ and avail·w > X is w > ⌊X/avail⌋:
        // one division per round instead of a product per State.
        const Wm = W === 0n ? 1n : W;
        const minW = minL !== undefined ? minL * Wm : 0n;
        const maxW = maxL !== undefined ? maxL * Wm : 0n;
        const ldcW = ldcL !== undefined ? ldcL * Wm : 0n;
        const direct = W === 0n || avail <= 0n;
        const lowBelow = !direct && minL !== undefined ? (minW + avail - 1n) / avail : 0n;
        const maxAbove = !direct ? maxW / avail : 0n;
        const ldcAbove = !direct ? ldcW / avail : 0n;
        const low: number[] = [];
        const high: number[] = [];
        let crossedW = 0n;
        for (const i of free) {
          const m = ms[i]!;
          const w = m.weight;
          const useLdc = m.ldc && ldcWins;
          const hasUpper = useLdc || maxL !== undefined;
          if (direct) {
            const qW = W === 0n ? 0n : avail * w;
            if (minL !== undefined && qW < minW) low.push(i);
            else if (hasUpper && qW > (useLdc ? ldcW : maxW)) high.push(i);
            else continue;
          } else if (minL !== undefined && w < lowBelow) low.push(i);
          else if (hasUpper && w > (useLdc ? ldcAbove : maxAbove)) high.push(i);
          else continue;
          crossedW += w;
        }
        if (low.length === 0 && high.length === 0) break;
        // The free quotas clipped to their bounds, × W: the others are unclipped, avail·(their weight).
        let clippedW = W === 0n ? 0n : avail * (W - crossedW);
        clippedW += minW * BigInt(low.length);
        for (const i of high) clippedW += ms[i]!.ldc && ldcWins ? ldcW : maxW;
        const target = avail * Wm;
        const fix = clippedW > target ? low : clippedW < target ? high : [...low, ...high];
        for (const i of low) isLow[i] = 1;
        for (const i of fix) {
          const at = isLow[i] ? minL! : ms[i]!.ldc && ldcWins ? ldcL! : maxL!;
          fixedAt[i] = at;
          avail -= at;
          W -= ms[i]!.weight;
        }
        for (const i of low) isLow[i] = 0;
        free = free.filter((i) => fixedAt[i] === null);
      }
    }
    let avail = R;
    for (const f of fixedAt) if (f !== null) avail -= f;
    let Wfree = 0n;
    for (const i of free) Wfree += ms[i]!.weight;
    if ((free.length === 0 || Wfree === 0n) && avail !== 0n) return `every member is held at a bound or a fixed share and ${money(avail)} is left unshared`;
    const Wq = Wfree === 0n ? 1n : Wfree;
    const quotas = c.quotas;
    for (let i = 0; i < n; i++) {
      const m = ms[i]!;
      quotas[i]!.num = m.fixedShare !== null ? ((amount * m.fixedShare) / pctScale) * Wq : fixedAt[i] !== null ? fixedAt[i]! * Wq : Wfree !== 0n ? avail * m.weight : 0n;
    }
    return roundUnits(quotas, Wq * unitP, amount / unitP, policy.rounding.method, true);
  }

  return { states: base.states.map((s) => s.iso3), shareCategories: shareIdx.map((i) => policy.categories[i]!.id), run };
}
