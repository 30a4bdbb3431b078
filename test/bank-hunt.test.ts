/**
 * Careless and hostile bank files found by a hunt on `finproc bank import` (docs/bank.md):
 * each is refused at the value that is wrong (file, line, column, what was expected), or
 * handled as the rules say, and nothing already written is damaged.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bankBooks } from './bank-books.js';
import { ROOT, run } from './helpers.js';

const EXAMPLE = readFileSync(path.join(ROOT, 'data', 'bank', 'camt054-example.xml'), 'utf8');
/** The worked example with only the entry whose AcctSvcrRef is `ref`, edited by `edit`. */
function onlyEntry(ref: string, edit: (line: string) => string = (l) => l): string {
  return EXAMPLE.split('\n')
    .filter((l) => !l.startsWith('<Ntry>') || l.includes(`<AcctSvcrRef>${ref}</AcctSvcrRef>`))
    .map((l) => (l.startsWith('<Ntry>') ? edit(l) : l))
    .join('\n');
}
describe('bank import: careless and hostile files (a hunt)', () => {
  it('a credit of 0.00 is ignored (nothing to book), not proposed as booked and then refused by --apply at a line payments.csv does not have', async () => {
    const books = bankBooks();
    const before = readFileSync(path.join(books, 'payments.csv'), 'utf8');
    writeFileSync(path.join(books, 'zero.xml'), onlyEntry('BK-1001', (l) => l.replace('<Amt Ccy="CHF">3000.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>', '<Amt Ccy="CHF">0.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>')));
    const p = await run(['bank', 'import', 'zero.xml', '--books', books, '--format', 'json'], { cwd: books });
    expect(p.code).toBe(0);
    const lines = (JSON.parse(p.stdout) as { lines: { action: string; reason: string }[] }).lines;
    expect(lines.map((l) => l.action)).toEqual(['ignore']);
    expect(lines[0]!.reason).toMatch(/^a credit of 0\.00: nothing to book/);
    const a = await run(['bank', 'import', 'zero.xml', '--books', books, '--apply'], { cwd: books });
    expect(a.stderr).toBe('');
    expect(a.code).toBe(0);
    expect(readFileSync(path.join(books, 'payments.csv'), 'utf8')).toBe(before);
  });
});
