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
  amount: Decimal;
  currency: string;
  /** Policy file, relative to the books directory. */
  policy: string;
  note: string;
}

export interface ReferenceData {
  states: Map<string, StateInfo>;
  parties: PartyRecord[];
  scale: ScaleTable;
  ldc: Set<string>;
}
