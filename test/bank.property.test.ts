/**
 * Property (docs/bank.md, "Idempotence"): importing the same transactions in any order, split
 * over several camt.053/camt.054 files of any version or merged into one, with transactions
 * repeated across files, gives the same payments.csv rows. The provenance columns that name
 * the file (bank_file, bank_entry: its SHA-256 and the entry's position in it) differ by
 * construction and are left out of the comparison; the identity (bank_key) and the bank's
 * reference (bank_ref) are compared. Reversals are left out: a reversal imported after its
 * credit was booked goes to review (docs/bank.md, "Reversals"). A batch may come without
 * details in one file, its breakdown in another. What order may still change (a batch with its
 * transactions' references in one file only, imported in two runs; a reversal after its
 * credit) is tested case by case in test/bank-hunt4.test.ts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importBank } from '../src/io/bank-job.js';
import { writeAtomically } from '../src/cli/output.js';
import { bankBooks, rf } from './bank-books.js';
import { camt, IBAN, VERSIONS, type GEntry, type GTx } from './bank-gen.js';

const INVOICES = ['ISU-2026-001', 'ISU-2026-002', 'ISU-2026-003', 'ISU-2026-004', 'ISU-2026-005', 'ISU-2026-006', 'ISU-2026-007', 'ISU-2025-010'];
const NAMES = ['Republic of Austria', 'Ambassade de France', 'Treasury', 'Royal Norwegian Embassy', 'Embajada de Senegal', ''];

const tx = fc.record({
  cents: fc.integer({ min: 1, max: 900000 }),
  how: fc.constantFrom('rf', 'text', 'none'),
  invoice: fc.constantFrom(...INVOICES),
  debtor: fc.constantFrom(...NAMES),
});
const entrySpec = fc.record({ txs: fc.array(tx, { minLength: 1, maxLength: 3 }), copies: fc.array(fc.nat(3), { minLength: 1, maxLength: 2 }), day: fc.integer({ min: 2, max: 6 }), bare: fc.boolean() });
const fileSpec = fc.record({ kind: fc.constantFrom('053' as const, '054' as const), version: fc.constantFrom(...VERSIONS) });

const amount = (c: number) => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;

function toEntry(e: { txs: { cents: number; how: string; invoice: string; debtor: string }[]; day: number }, i: number): GEntry {
  const txs: GTx[] = e.txs.map((t, k) => ({
    ...(e.txs.length > 1 ? { ref: `P${i}-${k + 1}` } : {}),
    amount: amount(t.cents),
    ...(t.debtor ? { debtor: t.debtor } : {}),
    ...(t.how === 'rf' ? { scor: rf(t.invoice) } : t.how === 'text' ? { ustrd: `payment ${t.invoice}` } : {}),
  }));
  const total = e.txs.reduce((s, t) => s + t.cents, 0);
  return { ref: `P${i}`, amount: amount(total), dir: 'CRDT', date: `2026-03-0${e.day}`, ...(e.txs.length > 1 ? { count: e.txs.length } : {}), txs };
}

/** payments.csv rows of the bank, without the columns that name the file. */
function bankRows(dir: string): string[] {
  const [head, ...rows] = readFileSync(path.join(dir, 'payments.csv'), 'utf8').trim().split('\n');
  const cols = head!.split(',');
  const drop = new Set(['bank_file', 'bank_entry'].map((c) => cols.indexOf(c)));
  return rows
    .filter((r) => r.startsWith('BNK-'))
    .map((r) => r.split(',').filter((_, i) => !drop.has(i)).join(','))
    .sort();
}

function apply(dir: string, files: string[]): void {
  const r = importBank({ dir, cwd: dir, inputs: files.map((f) => ({ abs: f, display: path.basename(f) })), apply: true });
  if (r.errors) throw new Error(JSON.stringify(r.problems));
  writeAtomically(r.writes);
}

describe('bank import: order, split and merge do not change the payments', () => {
  it('any order and grouping of split files gives the rows of the merged file', () => {
    fc.assert(
      fc.property(fc.array(entrySpec, { minLength: 1, maxLength: 6 }), fc.array(fileSpec, { minLength: 4, maxLength: 4 }), fc.array(fc.nat(), { minLength: 8, maxLength: 8 }), fc.integer({ min: 1, max: 3 }), (specs, fileKinds, shuffle, runs) => {
        const entries = specs.map(toEntry);
        // Split: each entry goes to one or two of four files (never twice to one file).
        const split: GEntry[][] = [[], [], [], []];
        specs.forEach((s, i) => {
          // A batch in two files may come without details in the first (a camt.053 whose
          // breakdown is in the other file's camt.054).
          const files = [...new Set(s.copies)];
          files.forEach((f, k) => split[f]!.push(k === 0 && files.length > 1 && s.bare && s.txs.length > 1 ? { ...entries[i]!, txs: [] } : entries[i]!));
        });
        const a = bankBooks();
        const files = split
          .map((es, f) => ({ es, f }))
          .filter((x) => x.es.length > 0)
          .map(({ es, f }) => {
            const k = fileKinds[f]!;
            const p = path.join(a, `bank-${f}.xml`);
            writeFileSync(p, camt(k.kind, k.version, { id: `S${f}`, iban: IBAN, date: '2026-03-06', entries: es }));
            return p;
          });
        // Any order, in 1 to 3 runs.
        const order = files.map((f, i) => ({ f, k: shuffle[i]! })).sort((x, y) => x.k - y.k).map((x) => x.f);
        const per = Math.ceil(order.length / runs);
        for (let i = 0; i < order.length; i += per) apply(a, order.slice(i, i + per));
        // Merged: every entry once, in one camt.054.
        const b = bankBooks();
        const merged = path.join(b, 'merged.xml');
        writeFileSync(merged, camt('054', '08', { id: 'M', iban: IBAN, date: '2026-03-06', entries }));
        apply(b, [merged]);
        expect(bankRows(a)).toEqual(bankRows(b));
        // …and importing the split files once more adds nothing.
        const before = readFileSync(path.join(a, 'payments.csv'), 'utf8');
        apply(a, files);
        expect(readFileSync(path.join(a, 'payments.csv'), 'utf8')).toBe(before);
      }),
      { numRuns: 12, seed: 20261203 },
    );
  }, 120_000);
});
