/**
 * A second hunt on `finproc bank import` (docs/bank.md): MT940 as banks write it, ZIP
 * archives as people make them, and exchange details that cannot be booked. Each careless
 * or hostile file is refused at what is wrong (file, line, column, what was expected), or
 * read as the rules say; nothing already written is damaged.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { at, bankBooks, EXAMPLE, onlyEntry } from './bank-books.js';
import { run } from './helpers.js';

const enc = (s: string) => new TextEncoder().encode(s);
interface Line { entry: number; chf: string; currency: string; text: string; action: string; match: { iso3: string | null; invoice: string | null; how: string } | null }
async function proposal(books: string, file: string): Promise<Line[]> {
  const r = await run(['bank', 'import', file, '--books', books, '--format', 'json'], { cwd: books });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return (JSON.parse(r.stdout) as { lines: Line[] }).lines;
}
/** Runs the import with --apply and expects it refused with `message`, and the books as they were. */
async function refused(books: string, file: string, message: string): Promise<void> {
  const payments = readFileSync(path.join(books, 'payments.csv'), 'utf8');
  const r = await run(['bank', 'import', file, '--books', books, '--apply'], { cwd: books });
  expect(r.code).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr).toContain(message);
  expect(readFileSync(path.join(books, 'payments.csv'), 'utf8')).toBe(payments);
}

describe('ZIP archives as people make them', () => {
  it('two members with the same name: refused, not one of them silently dropped', async () => {
    const books = bankBooks();
    const other = EXAMPLE.replace(/BK-100/g, 'BK-200');
    // fflate writes one member per key: rename b.xml to a.xml in the local header and the directory
    const zip = Buffer.from(zipSync({ 'a.xml': enc(EXAMPLE), 'b.xml': enc(other) }));
    const dup = Buffer.from(zip.toString('latin1').split('b.xml').join('a.xml'), 'latin1');
    writeFileSync(path.join(books, 'dup.zip'), dup);
    await refused(books, 'dup.zip', 'dup.zip: error [bank-file] the ZIP archive holds two files named a.xml: refused, nothing read');
  });

  it('a ZIP inside a ZIP is refused by what it is, not only by a name ending in .zip', async () => {
    const books = bankBooks();
    writeFileSync(path.join(books, 'outer.zip'), zipSync({ 'inner.dat': zipSync({ 'a.xml': enc(EXAMPLE) }) }));
    await refused(books, 'outer.zip', 'outer.zip: error [bank-file] the ZIP archive holds another archive (inner.dat): refused');
  });

  it('an empty ZIP is said to be one, not "not a camt file" with its bytes quoted', async () => {
    const books = bankBooks();
    writeFileSync(path.join(books, 'empty.zip'), zipSync({}));
    await refused(books, 'empty.zip', 'empty.zip: error [bank-file] the ZIP archive holds no file');
    const r = await run(['bank', 'import', 'empty.zip', '--books', books], { cwd: books });
    expect(r.stderr).not.toContain('\\u{');
  });
});

describe('MT940 as banks write it', () => {
  const mt = (...lines: string[]) => [':20:STMT-1', ':25:CH9300762011623852957', ':28C:1/1', ...lines, '-', ''].join('\r\n');

  it('the account currency from the closing balance when there is no opening one: an EUR account is not booked as CHF', async () => {
    const books = bankBooks();
    writeFileSync(path.join(books, 'eur.sta'), mt(':61:2603020302C3000,00NTRFNONREF//MT-1', ':86:RF91ISU2026001', ':62F:C260302EUR3000,00'));
    const r = await run(['bank', 'import', 'eur.sta', '--books', books, '--format', 'json'], { cwd: books });
    expect(r.code).toBe(0);
    const lines = (JSON.parse(r.stdout) as { lines: Line[] }).lines;
    expect(lines.map((l) => [l.currency, l.action])).toEqual([['EUR', 'ignore']]);
  });

  it('balances in two currencies: refused at the second, not read as the first', async () => {
    const books = bankBooks();
    writeFileSync(path.join(books, 'mix.sta'), mt(':60F:C260301CHF0,00', ':61:2603020302C3000,00NTRFNONREF//MT-1', ':86:RF91ISU2026001', ':62F:C260302EUR3000,00'));
    await refused(books, 'mix.sta', 'mix.sta:7:1: error [bank-file] balance "C260302EUR3000,00" is in EUR, the opening balance in CHF');
  });

  it('a balance with three decimals is refused, not cut to two (and then found to agree)', async () => {
    const books = bankBooks();
    writeFileSync(path.join(books, 'b.sta'), mt(':60F:C260301CHF0,00', ':61:2603020302C3000,00NTRFNONREF//MT-1', ':86:RF91ISU2026001', ':62F:C260302CHF3000,001'));
    await refused(books, 'b.sta', 'b.sta:7:1: error [bank-file] balance "C260302CHF3000,001" is not D/C, YYMMDD, currency, amount');
  });

  it('an entry date that is not a date is refused at its line, not replaced by the value date', async () => {
    const books = bankBooks();
    writeFileSync(path.join(books, 'd.sta'), mt(':60F:C260301CHF0,00', ':61:2603020230C3000,00NTRFNONREF//MT-1', ':86:RF91ISU2026001', ':62F:C260302CHF3000,00'));
    await refused(books, 'd.sta', 'd.sta:5:11: error [bank-file] statement line "2603020230C3000,00NTRFNONREF//MT-1": entry date "0230" at column 11: not a date (MMDD)');
  });

  it('an entry date across the year end is of the next year (value 31 December, booked 1 January)', async () => {
    const books = bankBooks();
    writeFileSync(path.join(books, 'y.sta'), mt(':60F:C261231CHF0,00', ':61:2612310101C3000,00NTRFNONREF//MT-1', ':86:RF91ISU2026001', ':62F:C270101CHF3000,00'));
    const lines = await proposal(books, 'y.sta');
    expect(lines.map((l) => [l.chf, l.action])).toEqual([['3000.00', 'book']]);
  });

  it('a :86: text over several lines keeps its words apart: the invoice number on the second line is found', async () => {
    const books = bankBooks();
    writeFileSync(path.join(books, 'm.sta'), mt(':60F:C260301CHF0,00', ':61:2603020302C5000,NTRFNONREF//MT-1', ':86:Ambassade de France, contribution 2026, facture', 'ISU-2026-002', ':62F:C260302CHF5000,00'));
    const lines = await proposal(books, 'm.sta');
    expect(lines.map((l) => [l.action, l.match?.invoice, l.match?.how])).toEqual([['book', 'ISU-2026-002', 'invoice number']]);
  });
});

describe('amounts sent in another currency', () => {
  it('an exchange rate of 0 is refused at it, not written to payments.csv', async () => {
    const books = bankBooks();
    const text = onlyEntry('BK-1005', (l) => l.replace('<XchgRate>0.94</XchgRate>', '<XchgRate>0</XchgRate>'));
    writeFileSync(path.join(books, 'r.xml'), text);
    await refused(books, 'r.xml', `r.xml:${at(text, '0</XchgRate>')}: error [bank-file] entry 1 transaction 1: AmtDtls/InstdAmt/CcyXchg/XchgRate "0" is not an exchange rate (more than zero)`);
  });

  it('an instructed amount of 0.00 is refused at it, not proposed and then refused by --apply at a line of payments.csv that does not exist', async () => {
    const books = bankBooks();
    const text = onlyEntry('BK-1005', (l) => l.replace('<Amt Ccy="EUR">5000.00</Amt>', '<Amt Ccy="EUR">0.00</Amt>'));
    writeFileSync(path.join(books, 'z.xml'), text);
    await refused(books, 'z.xml', `z.xml:${at(text, '0.00</Amt><CcyXchg>')}: error [bank-file] entry 1 transaction 1: AmtDtls/InstdAmt/Amt "0.00" is not an amount (more than zero)`);
  });
});
