/**
 * A hunt on the MT940 reader (`readMt940`, docs/bank.md "What is read"): the structured `:86:`
 * read whole, entries numbered through the file, a damaged `:61:` refused at the sub-field that
 * is wrong, and a payer's name cut in two by the bank read as one name.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bankBooks } from './bank-books.js';
import { run } from './helpers.js';

const IBAN = 'CH9300762011623852957';
/** One statement: its :20: id, then its lines. */
const stmt = (id: string, ...lines: string[]) => [`:20:${id}`, `:25:${IBAN}`, ':28C:1/1', ...lines, '-'];
const file = (...stmts: string[][]) => [...stmts.flat(), ''].join('\r\n');

interface Line { entry: number; tx: number; key: string; chf: string; debtor: string; text: string; action: string; reason: string; match: { iso3: string | null; invoice: string | null; how: string } | null }
async function proposal(books: string, name: string, apply = false): Promise<Line[]> {
  const r = await run(['bank', 'import', name, '--books', books, '--format', 'json', ...(apply ? ['--apply'] : [])], { cwd: books });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return (JSON.parse(r.stdout) as { lines: Line[] }).lines;
}
describe('structured :86: (German and Swiss banks)', () => {
  it('?60…?63 are remittance text too: an invoice number written there is found', async () => {
    const books = bankBooks();
    writeFileSync(
      path.join(books, 's.sta'),
      file(stmt('S1', ':60F:C260301CHF0,00', ':61:2603020302C5000,00NTRFNONREF//MT-1', ':86:166?00GUTSCHRIFT?20Contribution 2026?21annual?30UBSWCHZH80A?31CH4431999123000889012', '?32Ambassade de France?34000?60facture ISU-2026-002', ':62F:C260302CHF5000,00')),
    );
    const lines = await proposal(books, 's.sta');
    expect(lines.map((l) => [l.text, l.debtor, l.action, l.match?.invoice, l.match?.how])).toEqual([
      // after ?20…?29, joined as they are; ?30/?31 (the payer's bank and account) and ?34 are not text
      ['Contribution 2026 annual facture ISU-2026-002', 'Ambassade de France', 'book', 'ISU-2026-002', 'invoice number'],
    ]);
  });
});
