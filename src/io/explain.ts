/**
 * The trace of one State: from the budget to its amount, category by category. It is built
 * from the same report `apportion` prints, so the two cannot disagree. A computation, not a
 * rendering: `explain` (render/explain.ts) prints it and the invoice job (io/invoice-job.ts)
 * writes the personalised note from it.
 */
import Fraction from 'fraction.js';
import { adjustedRateOf, quotaOf, weightOf, type LineTrace } from '../core/apportion.js';
import { fractionToFixed, unscaled } from '../core/decimal.js';
import { describeRounding, unitDecimals, type Bound, type Category } from '../core/policy.js';
import type { ApportionmentReport } from './job.js';

export interface ExplainStep {
  category: string;
  name: string;
  basis: string;
  categoryAmount: string;
  categoryRule: string;
  members: number;
  weight: string | null;
  totalWeight: string | null;
  adjustedRatePct: string | null;
  /**
   * Quota ÷ what the category shares by weight (the category less its fixed shares: the same
   * base as adjustedRatePct, so that the two compare), when bounds held other States and the
   * rest was renormalised.
   */
  renormalisedSharePct: string | null;
  /** The same quota as a percent of the whole category (differs only with fixed shares). */
  renormalisedShareOfCategoryPct: string | null;
  /** renormalised ÷ adjusted share: how much the renormalisation moved this State's share. */
  renormalisationFactor: string | null;
  heldAtBounds: number;
  /** The States held at a bound, "ISO3 (kind)", in ISO3 order. */
  held: string[];
  /** Percent of the category that its fixed shares take out first (0 without). */
  fixedSharesPct: string;
  fixedSharePct: string | null;
  /** `rule`: how the bound is set, e.g. "0.01 % of the total". */
  bound: { kind: string; limit: string; iteration: number; rule?: string } | null;
  quota: string;
  quotaExact: string;
  rounded: string;
  adjustment: string;
}

export interface Explanation {
  iso3: string;
  name: string;
  year: number;
  currency: string;
  budget: string;
  policy: string;
  rounding: string;
  ldc: boolean;
  months: number;
  proRata: string;
  rate: string | null;
  rateSource: string | null;
  scaleColumn: string;
  steps: ExplainStep[];
  total: string;
}

const pct = (f: Fraction) => fractionToFixed(f.mul(100), 10);

export function explain(r: ApportionmentReport, iso3: string): Explanation | undefined {
  const a = r.apportionment;
  const s = a.states.find((x) => x.iso3 === iso3);
  if (!s) return undefined;
  const dp = unitDecimals(a.policy);
  const steps: ExplainStep[] = [];
  for (const c of a.categories) {
    const l: LineTrace | undefined = c.lines.find((x) => x.iso3 === iso3);
    if (!l) continue;
    const quota = quotaOf(l);
    const adjusted = adjustedRateOf(l, c);
    const weighted = c.basis !== 'fixed' && !l.fixedShare;
    // What the weights share: the category less its fixed shares.
    const fixedPct = c.lines.reduce((t, x) => (x.fixedShare ? t.add(x.fixedShare.toFixed()) : t), new Fraction(0));
    const rest = new Fraction(c.amount.toFixed()).mul(new Fraction(100).sub(fixedPct)).div(100);
    const renormalised = weighted && !l.bound && c.iterations > 0 && !rest.equals(0) ? quota.div(rest) : null;
    const spec = l.bound ? boundSpec(a.policy.categories.find((k) => k.id === c.id)?.bounds, l.bound.kind) : undefined;
    steps.push({
      category: c.id,
      name: c.name,
      basis: c.basis,
      categoryAmount: c.amount.toFixed(dp),
      categoryRule: c.share ? `${c.share.toFixed()} % of the budget${a.categories.some((k) => k.share === undefined) ? ' left after fixed amounts' : ''}` : c.basis === 'fixed' ? 'sum of fixed amounts' : 'fixed amount',
      members: c.lines.length,
      weight: weighted ? weightOf(l, c).toFixed() : null,
      totalWeight: weighted ? unscaled(c.totalWeight, c.weightPlaces).toFixed() : null,
      adjustedRatePct: adjusted ? pct(adjusted) : null,
      renormalisedSharePct: renormalised ? pct(renormalised) : null,
      renormalisedShareOfCategoryPct: renormalised && !c.amount.isZero() ? pct(quota.div(c.amount.toFixed())) : null,
      renormalisationFactor: renormalised && adjusted && !adjusted.equals(0) ? fractionToFixed(renormalised.div(adjusted), 10) : null,
      heldAtBounds: c.lines.filter((x) => x.bound).length,
      held: c.lines.filter((x) => x.bound).map((x) => `${x.iso3} (${x.bound!.kind})`),
      fixedSharesPct: fixedPct.toString(),
      fixedSharePct: l.fixedShare ? l.fixedShare.toFixed() : null,
      bound: l.bound ? { kind: l.bound.kind, limit: l.bound.limit.toFixed(), iteration: l.bound.iteration, ...(spec ? { rule: `${spec.percent.toFixed()} % of the ${spec.of}` } : {}) } : null,
      quota: fractionToFixed(quota, 6),
      quotaExact: quota.toFraction(),
      rounded: l.amount.toFixed(dp),
      adjustment: signed(quota.neg().add(l.amount.toFixed())),
    });
  }
  return {
    iso3,
    name: s.name,
    year: a.year,
    currency: a.currency,
    budget: a.budget.toFixed(dp),
    policy: a.policy.id,
    rounding: describeRounding(a.policy),
    ldc: s.ldc,
    months: s.months,
    proRata: a.policy.proRata,
    rate: s.rate ? s.rate.toFixed() : null,
    rateSource: s.rateSource,
    scaleColumn: a.scaleColumn,
    steps,
    total: s.total.toFixed(dp),
  };
}


function boundSpec(bounds: Category['bounds'] | undefined, kind: string): Bound | undefined {
  if (!bounds) return undefined;
  return kind === 'min' ? bounds.min : kind === 'max' ? bounds.max : kind === 'ldc_max' ? bounds.ldcMax : undefined;
}

/** The adjustment with its true sign, even when it rounds to 0.000000 at six decimals. */
function signed(f: Fraction): string {
  const digits = fractionToFixed(f.abs(), 6);
  return `${f.s < 0n && !f.equals(0) ? '-' : '+'}${digits}`;
}
