/**
 * Small books for the bank tests: the reference files of data/ and a ledger of seven 2026
 * invoices and one 2025 arrear, small enough to work out by hand (docs/bank.md, worked example).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { creditorReference } from '../src/core/invoice.js';
import { DATA } from './helpers.js';

export const ASSESSMENTS = `invoice,iso3,year,purpose,category,amount,currency,issued,due,note
ISU-2025-010,NOR,2025,isu,scale,500.00,CHF,2025-01-15,2025-02-14,
ISU-2026-001,AUT,2026,isu,base,1000.00,CHF,2026-01-15,2026-02-14,
ISU-2026-001,AUT,2026,isu,scale,2000.00,CHF,2026-01-15,2026-02-14,
ISU-2026-002,FRA,2026,isu,scale,8000.00,CHF,2026-01-15,2026-02-14,
ISU-2026-003,DEU,2026,isu,scale,9000.00,CHF,2026-01-15,2026-02-14,
ISU-2026-004,NOR,2026,isu,scale,3000.00,CHF,2026-01-15,2026-02-14,
ISU-2026-005,IRL,2026,isu,scale,4700.00,CHF,2026-01-15,2026-02-14,
ISU-2026-006,BEL,2026,isu,scale,1000.00,CHF,2026-01-15,2026-02-14,
ISU-2026-007,SEN,2026,isu,scale,123.45,CHF,2026-01-15,2026-02-14,
`;
/** The old header (no bank columns) and one payment typed by hand: NOR paid 200.00 of its 2025 invoice. */
export const PAYMENTS = `payment_id,iso3,received,amount,currency,chf,purpose,earmark_year,earmark_category,earmark_invoice,pledge,reference
PAY-2025-00001,NOR,2025-03-03,200.00,CHF,200.00,isu,,,,,ISU-2025-010
`;

export const rf = (n: string) => creditorReference(n);
/** An RF written in groups of four, as on a paper slip. */
export const spaced = (s: string) => s.replace(/(.{4})/g, '$1 ').trim();

export function bankBooks(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'finproc-bank-'));
  cpSync(DATA, dir, { recursive: true });
  for (const f of ['adjustments.csv', 'pledges.csv', 'exchange-rates.csv', 'expenditure-plan.csv', 'opening-balances.csv', 'sponsored-delegates.csv']) rmSync(path.join(dir, f));
  writeFileSync(path.join(dir, 'assessments.csv'), ASSESSMENTS);
  writeFileSync(path.join(dir, 'payments.csv'), PAYMENTS);
  return dir;
}

/** The worked example (data/bank/camt054-example.xml), made for these books. */
export const EXAMPLE = readFileSync(path.join(DATA, 'bank', 'camt054-example.xml'), 'utf8');

/** The worked example with only the entry whose AcctSvcrRef is `ref`, edited by `edit`. */
export function onlyEntry(ref: string, edit: (line: string) => string = (l) => l): string {
  return EXAMPLE.split('\n')
    .filter((l) => !l.startsWith('<Ntry>') || l.includes(`<AcctSvcrRef>${ref}</AcctSvcrRef>`))
    .map((l) => (l.startsWith('<Ntry>') ? edit(l) : l))
    .join('\n');
}

/** Line and column (1-based) of the first `needle` in `text`. */
export function at(text: string, needle: string): string {
  const i = text.indexOf(needle);
  const before = text.slice(0, i).split('\n');
  return `${before.length}:${before[before.length - 1]!.length + 1}`;
}
