/**
 * Article 14: the costs of a meeting shared among the States Parties and the States not party
 * that take part, "in accordance with the United Nations scale of assessment adjusted
 * appropriately": the UN rates of the participants renormalised to 100 %, with the bounds and
 * rounding of the policy (docs/policy.md). The engine is `apportion` itself, given the
 * participants as payers, so a meeting share is computed exactly like any other line.
 *
 * Given the final cost, each participant's difference is its share of the final cost minus
 * its share of the estimate: positive, a further charge; negative, a credit. Both sets of
 * shares sum exactly to their totals, so the differences sum exactly to final − estimate.
 */
import type Fraction from 'fraction.js';
import { adjustedRateOf, apportion, type Apportionment, type Payer } from './apportion.js';
import type { ReferenceData } from './books.js';
import { boundDuring } from './dates.js';
import { D, type Decimal } from './decimal.js';
import { notionalRate, type Policy } from './policy.js';
import type { Problem } from './problem.js';

export interface MeetingRow {
  iso3: string;
  name: string;
  party: boolean;
  ldc: boolean;
  rate: Decimal | null;
  rateSource: Payer['rateSource'];
  adjustedRate: Fraction | null;
  estimate: Decimal;
  final?: Decimal;
  difference?: Decimal;
}

export interface MeetingShares {
  meeting: string;
  year: number;
  currency: string;
  policy: Policy;
  scaleColumn: string;
  estimate: Decimal;
  final?: Decimal;
  rows: MeetingRow[];
  estimateResult: Apportionment;
  finalResult?: Apportionment;
}

/** The participants as payers: every one bound for the whole year (no pro-rata for a meeting). */
export function participantsAsPayers(ref: ReferenceData, policy: Policy, column: string, iso3s: readonly string[], year: number): { payers: Payer[]; parties: Set<string> } {
  const parties = new Set<string>();
  const payers = iso3s.map((iso3): Payer => {
    const p = ref.parties.find((x) => x.iso3 === iso3);
    if (p?.entryIntoForce && boundDuring({ from: p.entryIntoForce, until: p.withdrawalEffective }, year)) parties.add(iso3);
    const un = ref.scale.rates.get(iso3)?.get(column) ?? null;
    let rate = un;
    let rateSource: Payer['rateSource'] = un ? 'un' : null;
    if (!un) {
      const r = notionalRate(policy, iso3);
      if (r) {
        rate = r;
        rateSource = 'notional';
      }
    }
    return { iso3, name: ref.states.get(iso3)?.nameEn ?? iso3, ldc: ref.ldc.has(iso3), months: 12, rate, rateSource };
  });
  return { payers, parties };
}

export function meetingShares(input: { meeting: string; year: number; currency: string; policy: Policy; scaleColumn: string; payers: Payer[]; parties: Set<string>; estimate: Decimal; final?: Decimal }): { shares?: MeetingShares; problems: Problem[] } {
  // A meeting policy is a policy with proRata none; the currency is the meeting's.
  const policy: Policy = { ...input.policy, currency: input.currency, proRata: 'none' };
  const run = (budget: Decimal) => apportion({ year: input.year, budget, policy, payers: input.payers, scaleColumn: input.scaleColumn });
  const est = run(input.estimate);
  if (!est.result) return { problems: est.problems };
  const fin = input.final ? run(input.final) : undefined;
  if (fin && !fin.result) return { problems: [...est.problems, ...fin.problems] };
  const e = est.result;
  const f = fin?.result;
  const rows: MeetingRow[] = e.states.map((s) => {
    const line = e.categories.flatMap((c) => c.lines.map((l) => ({ l, c }))).find((x) => x.l.iso3 === s.iso3);
    const finalAmount = f?.states.find((x) => x.iso3 === s.iso3)?.total ?? (f ? D('0') : undefined);
    return {
      iso3: s.iso3,
      name: s.name,
      party: input.parties.has(s.iso3),
      ldc: s.ldc,
      rate: s.rate,
      rateSource: s.rateSource,
      adjustedRate: line ? adjustedRateOf(line.l, line.c) : null,
      estimate: s.total,
      ...(finalAmount ? { final: finalAmount, difference: finalAmount.minus(s.total) } : {}),
    };
  });
  return {
    shares: { meeting: input.meeting, year: input.year, currency: input.currency, policy, scaleColumn: input.scaleColumn, estimate: input.estimate, ...(input.final ? { final: input.final } : {}), rows, estimateResult: e, ...(f ? { finalResult: f } : {}) },
    problems: [...est.problems, ...(fin?.problems ?? [])],
  };
}
