/**
 * The trace of one State: from the budget to its amount, category by category. It is built
 * from the same report `apportion` prints, so the two cannot disagree.
 */
import type Fraction from 'fraction.js';
import { adjustedRateOf, quotaOf, weightOf, type LineTrace } from '../core/apportion.js';
import { fractionToFixed, unscaled } from '../core/decimal.js';
import { describeRounding, unitDecimals } from '../core/policy.js';
import type { ApportionmentReport } from '../io/job.js';
import { groupDigits, mdText } from './text.js';

export const EXPLAIN_SCHEMA = 'finproc.explain/1';

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
  /** Quota ÷ category amount, when bounds held other States and the rest was renormalised. */
  renormalisedSharePct: string | null;
  heldAtBounds: number;
  fixedSharePct: string | null;
  bound: { kind: string; limit: string; iteration: number } | null;
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
      renormalisedSharePct: weighted && !l.bound && c.iterations > 0 && !c.amount.isZero() ? pct(quota.div(c.amount.toFixed())) : null,
      heldAtBounds: c.lines.filter((x) => x.bound).length,
      fixedSharePct: l.fixedShare ? l.fixedShare.toFixed() : null,
      bound: l.bound ? { kind: l.bound.kind, limit: l.bound.limit.toFixed(), iteration: l.bound.iteration } : null,
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


export function explainText(e: Explanation, md = false): string {
  const t = (s: string) => (md ? mdText(s) : s);
  const out: string[] = [];
  out.push(md ? `# ${e.iso3}: ${t(e.name)}, ${e.year}` : `${e.iso3} ${e.name}, ${e.year}`);
  out.push('');
  const head: string[] = [];
  head.push(`Budget ${e.currency} ${groupDigits(e.budget)}, policy ${t(e.policy)}.`);
  head.push(
    e.rate === null
      ? `No UN rate (${e.scaleColumn}).`
      : `${e.rateSource === 'notional' ? 'Notional rate given by the policy (no UN rate)' : `UN rate (${e.scaleColumn})`}: ${e.rate} %.${e.ldc ? ' Least developed country.' : ''}`,
  );
  head.push(e.proRata === 'months' ? `Pro-rata by months: bound on the first day of ${e.months} of the 12 months of ${e.year}.` : `No pro-rating: counted for the whole year.`);
  out.push(...(md ? head.map((h) => `- ${h}`) : head));
  for (const s of e.steps) {
    out.push('');
    out.push(md ? `## ${s.category}: ${t(s.name)}` : `${s.category}: ${s.name}`);
    const li = (x: string) => out.push(md ? `- ${x}` : `  ${x}`);
    li(`Category amount: ${groupDigits(s.categoryAmount)} (${t(s.categoryRule)}), basis ${s.basis}, ${s.members} members.`);
    if (s.fixedSharePct) li(`Fixed share: ${s.fixedSharePct} % of the category, taken out before the ${s.basis === 'scale' ? 'scale' : 'equal shares'}.`);
    if (s.weight !== null && s.totalWeight !== null) {
      const how = s.basis === 'scale' ? `rate ${e.rate ?? '?'} % × ${e.months} months` : `${e.months} months`;
      li(`Weight: ${how} = ${s.weight}, out of ${s.totalWeight} for all members: adjusted share ${s.adjustedRatePct ?? '0'} % of the category${s.renormalisedSharePct || s.bound ? ' before bounds' : ''}.`);
    }
    if (s.bound) li(`Bound applied: ${s.bound.kind} of ${groupDigits(s.bound.limit)} (fixed in round ${s.bound.iteration} of the bounds loop); the others were renormalised.`);
    else if (s.renormalisedSharePct)
      li(`No bound applied to it; ${s.heldAtBounds} other State${s.heldAtBounds === 1 ? ' was' : 's were'} held at a bound and the rest renormalised: its share is ${s.renormalisedSharePct} % of the category.`);
    else if (!s.fixedSharePct && (s.basis === 'scale' || s.basis === 'equal')) li('No bound applied.');
    li(`Quota before rounding: ${groupDigits(s.quota)} (exactly ${s.quotaExact}).`);
    li(`Rounded: ${groupDigits(s.rounded)} (adjustment ${s.adjustment}).`);
  }
  out.push('');
  out.push(`Rounding: ${t(e.rounding)}.`);
  out.push(md ? `**Total ${e.year}: ${e.currency} ${groupDigits(e.total)}**` : `Total ${e.year}: ${e.currency} ${groupDigits(e.total)}`);
  return out.join('\n') + '\n';
}

/** The adjustment with its true sign, even when it rounds to 0.000000 at six decimals. */
function signed(f: Fraction): string {
  const digits = fractionToFixed(f.abs(), 6);
  return `${f.s < 0n && !f.equals(0) ? '-' : '+'}${digits}`;
}

/** The answer for a State with no line: why it pays nothing. */
export function nothingJson(iso3: string, year: number, policy: string, reason: string): string {
  return JSON.stringify({ schema: EXPLAIN_SCHEMA, iso3, year, policy, steps: [], total: null, pays_nothing_because: reason }, null, 2) + '\n';
}

export function explainJson(e: Explanation): string {
  return JSON.stringify({ schema: EXPLAIN_SCHEMA, ...e }, null, 2) + '\n';
}
