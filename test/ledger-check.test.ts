/**
 * `loadLedger(…, { checkOnly: true })` (the check a bank import runs on the books as they
 * would be written) lets go of the payments no rule needs later; it must find exactly the
 * problems the full load finds. Property: the example books with any few of a set of
 * careless edits (payments of unknown States, zero amounts, duplicate ids, earmarks to
 * another State's invoice, a refund beyond the credit, …) give the same problems both ways.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Problem } from '../src/core/problem.js';
import { FileReader, loadBooks } from '../src/io/books.js';
import { loadLedger } from '../src/io/ledger.js';
import { DATA } from './helpers.js';

/** Edits of the example books: [file, a function of its lines]. */
const EDITS: [string, (lines: string[]) => void][] = [
  ['payments.csv', (l) => l.push('PAY-X-1,XXX,2024-01-18,10.00,CHF,10.00,isu,,,,,')],
  ['payments.csv', (l) => l.push('PAY-X-2,AUT,2024-01-18,0.00,CHF,0.00,isu,,,,,')],
  ['payments.csv', (l) => l.push(`${l[1]!.split(',')[0]},AUT,2024-01-18,10.00,CHF,10.00,isu,,,,,`)],
  ['payments.csv', (l) => l.push('PAY-X-3,AUT,2024-01-18,10.00,CHF,10.00,isu,,,ISU-2024-001,,')],
  ['payments.csv', (l) => l.push('PAY-X-4,AUT,2024-02-30,10.00,CHF,10.00,isu,,,,,')],
  ['payments.csv', (l) => l.push('PAY-X-5,AUT,2024-01-18,10.00,EURO,10.00,isu,,,,,')],
  ['payments.csv', (l) => l.push('PAY-X-6,AUT,2024-01-18,10.00,CHF,10.00,reserve,2024,,,,')],
  ['payments.csv', (l) => l.push('PAY-X-7,ISL,2021-01-05,5.00,CHF,5.00,isu,,,,,')],
  ['adjustments.csv', (l) => l.push('ADJ-X-1,ISL,2021-03-17,refund,,,999999.00,too much')],
  ['adjustments.csv', (l) => l.push('ADJ-X-2,MNE,2023-07-21,write-off,ISU-2023-069,scale,999999.00,below zero')],
];

function problemsOf(dir: string, checkOnly: boolean): Problem[] {
  const reader = new FileReader(dir);
  const { books, problems } = loadBooks(dir, reader);
  if (books) loadLedger(books, reader, problems, { checkOnly });
  return problems;
}

describe('loadLedger checkOnly', () => {
  it('finds the problems the full load finds', () => {
    const base = mkdtempSync(path.join(tmpdir(), 'finproc-ledger-check-'));
    let n = 0;
    let withProblems = 0;
    fc.assert(
      fc.property(fc.subarray(EDITS.map((_, i) => i), { minLength: 0, maxLength: 4 }), (picked) => {
        const dir = path.join(base, String(n++));
        cpSync(DATA, dir, { recursive: true });
        for (const i of picked) {
          const [file, edit] = EDITS[i]!;
          const lines = readFileSync(path.join(dir, file), 'utf8').trimEnd().split('\n');
          edit(lines);
          writeFileSync(path.join(dir, file), `${lines.join('\n')}\n`);
        }
        const full = problemsOf(dir, false);
        if (full.some((p) => p.severity !== 'warning')) withProblems++;
        expect(problemsOf(dir, true)).toEqual(full);
      }),
      { numRuns: 40 },
    );
    // The property saw books with errors, not only clean ones.
    expect(withProblems).toBeGreaterThan(20);
  });
});
