/**
 * The books as values: what the shell reads from a books directory, already validated.
 * Nothing here touches the file system.
 */
import type { Decimal } from './decimal.js';

export interface StateInfo {
  iso3: string;
  nameEn: string;
  nameFr: string;
  nameEs: string;
  language: string;
}

export interface PartyRecord {
  iso3: string;
  name: string;
  entryIntoForce?: string;
  withdrawalEffective?: string;
}

export interface ScaleTable {
  /** Rate columns in file order, e.g. `rate_2025_2027_pct`. */
  columns: string[];
  /** ISO3 → column → rate in percent. A blank cell is no rate. */
  rates: Map<string, Map<string, Decimal>>;
}

export interface BudgetRecord {
  year: number;
  /** The year's budget; for a year of a biennium or triennium, its share of the period's amount (periodShare, in centimes). */
  amount: Decimal;
  currency: string;
  /** Policy file, relative to the books directory. */
  policy: string;
  note: string;
  /** A budget adopted for several years at once (`2026-2027` in budgets.csv): the period and its whole amount. */
  period?: { from: number; to: number; total: Decimal };
}

/**
 * A year's share of a budget adopted for the years `from`–`to`: the amount in rounding units
 * of `unit`, shared equally, the units left over going one each to the earliest years, so
 * that the years add up exactly to the amount. (A biennium of CHF 1,236,501 with a unit of
 * CHF 1: 618,251 in the first year, 618,250 in the second.) Undefined if the amount is not a
 * whole number of units.
 */
export function periodShare(total: Decimal, from: number, to: number, year: number, unit: Decimal): Decimal | undefined {
  const units = total.div(unit);
  if (!units.isInteger()) return undefined;
  const n = BigInt(to - from + 1);
  const u = BigInt(units.toFixed(0));
  const k = BigInt(year - from);
  const share = u / n + (k < u % n ? 1n : 0n);
  return unit.times(share.toString());
}

export interface ReferenceData {
  states: Map<string, StateInfo>;
  parties: PartyRecord[];
  scale: ScaleTable;
  ldc: Set<string>;
}
