/**
 * The trace of one State, as text, Markdown or JSON. The trace itself is computed in
 * io/explain.ts from the same report `apportion` prints, so the two cannot disagree.
 */
import Fraction from 'fraction.js';
import { explain, type Explanation, type ExplainStep } from '../io/explain.js';
import { groupDigits, mdText } from './text.js';

export { explain, type Explanation, type ExplainStep };

export const EXPLAIN_SCHEMA = 'finproc.explain/1';

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
    // Shares before and after bounds are of the same base: what the weights share (the category less its fixed shares).
    const base = s.fixedSharesPct !== '0' ? `what the fixed shares leave (${new Fraction(100).sub(s.fixedSharesPct).toString()} % of the category)` : 'the category';
    li(`Category amount: ${groupDigits(s.categoryAmount)} (${t(s.categoryRule)}), basis ${s.basis}, ${s.members} members.`);
    if (s.fixedSharePct) li(`Fixed share: ${s.fixedSharePct} % of the category, taken out before the ${s.basis === 'scale' ? 'scale' : 'equal shares'}.`);
    if (s.weight !== null && s.totalWeight !== null) {
      const how = s.basis === 'scale' ? `rate ${e.rate ?? '?'} % × ${e.months} months` : `${e.months} months`;
      li(`Weight: ${how} = ${s.weight}, out of ${s.totalWeight} for all members: adjusted share ${s.adjustedRatePct ?? '0'} % of ${base}${s.renormalisedSharePct || s.bound ? ' before bounds' : ''}.`);
    }
    if (s.bound) li(`Bound applied: ${s.bound.kind}${s.bound.rule ? `: ${s.bound.rule} = ${groupDigits(s.bound.limit)}` : ` of ${groupDigits(s.bound.limit)}`} (fixed in round ${s.bound.iteration} of the bounds loop); the others were renormalised.`);
    else if (s.renormalisedSharePct) {
      const shown = s.held.slice(0, 10).join(', ') + (s.held.length > 10 ? `, and ${s.held.length - 10} more` : '');
      li(`No bound applied to it; ${s.heldAtBounds} other State${s.heldAtBounds === 1 ? ' was' : 's were'} held at a bound (${shown}) and the rest renormalised by a factor of ${s.renormalisationFactor ?? '?'}: its share is ${s.renormalisedSharePct} % of ${base} after bounds (${s.adjustedRatePct ?? '0'} % before)${s.fixedSharesPct !== '0' && s.renormalisedShareOfCategoryPct ? `, ${s.renormalisedShareOfCategoryPct} % of the whole category` : ''}.`);
    }
    else if (!s.fixedSharePct && (s.basis === 'scale' || s.basis === 'equal')) li('No bound applied.');
    li(`Quota before rounding: ${groupDigits(s.quota)} (exactly ${s.quotaExact}).`);
    li(`Rounded: ${groupDigits(s.rounded)} (adjustment ${s.adjustment}).`);
  }
  out.push('');
  out.push(`Rounding: ${t(e.rounding)}.`);
  out.push(md ? `**Total ${e.year}: ${e.currency} ${groupDigits(e.total)}**` : `Total ${e.year}: ${e.currency} ${groupDigits(e.total)}`);
  return out.join('\n') + '\n';
}

/** The answer for a State with no line: why it pays nothing. */
export function nothingJson(iso3: string, year: number, policy: string, reason: string): string {
  return JSON.stringify({ schema: EXPLAIN_SCHEMA, iso3, year, policy, steps: [], total: null, pays_nothing_because: reason }, null, 2) + '\n';
}

export function explainJson(e: Explanation): string {
  return JSON.stringify({ schema: EXPLAIN_SCHEMA, ...e }, null, 2) + '\n';
}
