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

describe('ZIP archives with files that are not statements (docs/bank.md: what is left out)', () => {
  const readme = 'Statements of account CH93 0076 2011 6238 5295 7\r\nExported by the e-banking on 2026-03-02.\r\n';
  // (a PDF's first bytes: "%PDF", then bytes that are not UTF-8)
  const pdf = Uint8Array.from([...enc('%PDF-1.4\n%'), 0xe2, 0xe3, 0xcf, 0xd3, ...enc('\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n')]);
  const mt940 = [':20:STMT-1', ':25:CH9300762011623852957', ':28C:1/1', ':60F:C260301CHF0,00', ':61:2603020302C3000,00NTRFNONREF//MT-1', ':86:RF91ISU2026001', ':62F:C260302CHF3000,00', '-', ''].join('\r\n');
  const utf16le = (s: string) => Uint8Array.from([0xff, 0xfe, ...Buffer.from(s, 'utf16le')]);
  interface Out { code: number; stdout: string; stderr: string; notes: { statement: string; severity: string; message: string; code?: string }[]; lines: (Line & { file: string })[] }
  async function importJson(books: string, file: string): Promise<Out> {
    const r = await run(['bank', 'import', file, '--books', books, '--format', 'json'], { cwd: books });
    const j = r.code === 0 ? (JSON.parse(r.stdout) as Pick<Out, 'notes' | 'lines'>) : { notes: [], lines: [] };
    return { ...r, ...j };
  }
  const leftOutNote = (file: string, what: string) => ({ statement: file, severity: 'warning', message: `not a bank statement (${what}): left out`, code: 'bank-file', hint: 'nothing of it is read; if it holds payments, import them from the camt.053, camt.054 or MT940 file of the e-banking' });

  it('a camt.054 with a README.txt and the statement as a PDF: the camt is imported, the two others left out with a warning each', async () => {
    const books = bankBooks();
    writeFileSync(path.join(books, 'camt054.xml'), EXAMPLE);
    const alone = await importJson(books, 'camt054.xml');
    writeFileSync(path.join(books, 'bank.zip'), zipSync({ 'camt054.xml': enc(EXAMPLE), 'README.txt': enc(readme), 'statement.pdf': pdf }));
    const z = await importJson(books, 'bank.zip');
    expect(z.code).toBe(0);
    // the same lines as the camt.054 imported alone, under its name in the archive
    expect(z.lines).toEqual(JSON.parse(JSON.stringify(alone.lines).replace(/camt054\.xml/g, 'bank.zip!camt054.xml')));
    expect(z.lines.map((l) => [l.entry, l.chf, l.action, l.match?.invoice ?? null])).toEqual([
      [1, '3000.00', 'book', 'ISU-2026-001'],
      [2, '5000.00', 'book', 'ISU-2026-002'],
      [3, '9000.00', 'review', 'ISU-2026-003'],
      [4, '4000.00', 'book', 'ISU-2026-004'],
      [5, '4700.00', 'book', 'ISU-2026-005'],
      [6, '1000.00', 'reversed', 'ISU-2026-006'],
      [7, '1000.00', 'reversed', null],
    ]);
    expect(z.notes).toEqual([
      leftOutNote('bank.zip!README.txt', 'a text file without MT940 fields'),
      { statement: 'bank.zip!camt054.xml', severity: 'info', message: 'a camt.054 carries no balances: nothing to check them against' },
      leftOutNote('bank.zip!statement.pdf', 'a PDF document'),
    ]);
    expect(z.stderr).toBe(
      [
        'bank.zip!README.txt: warning [bank-file] not a bank statement (a text file without MT940 fields): left out',
        '  hint: nothing of it is read; if it holds payments, import them from the camt.053, camt.054 or MT940 file of the e-banking',
        'bank.zip!statement.pdf: warning [bank-file] not a bank statement (a PDF document): left out',
        '  hint: nothing of it is read; if it holds payments, import them from the camt.053, camt.054 or MT940 file of the e-banking',
        '0 errors, 2 warnings',
        '',
      ].join('\n'),
    );
    // the table says it too
    const t = await run(['bank', 'import', 'bank.zip', '--books', books], { cwd: books });
    expect(t.stdout).toContain('warning: bank.zip!README.txt: not a bank statement (a text file without MT940 fields): left out\n');
    expect(t.stdout).toContain('warning: bank.zip!statement.pdf: not a bank statement (a PDF document): left out\n');
    // and --apply books the payments of the camt.054
    const before = readFileSync(path.join(books, 'payments.csv'), 'utf8').trim().split('\n').length;
    const a = await run(['bank', 'import', 'bank.zip', '--books', books, '--apply'], { cwd: books });
    expect(a.code).toBe(0);
    expect(readFileSync(path.join(books, 'payments.csv'), 'utf8').trim().split('\n').length).toBe(before + 4);
  });

  it('the order of the members in the archive does not change the proposal, its notes or its warnings', async () => {
    const books = bankBooks();
    const members: [string, Uint8Array][] = [['camt054.xml', enc(EXAMPLE)], ['README.txt', enc(readme)], ['docs/statement.PDF', pdf], ['index.html', enc('<!DOCTYPE html>\n<html><body><a href="camt054.xml">camt.054 of 2 March 2026 (ISO 20022)</a></body></html>\n')], ['statement.txt', enc(mt940)]];
    writeFileSync(path.join(books, 'a.zip'), zipSync(Object.fromEntries(members)));
    writeFileSync(path.join(books, 'b.zip'), zipSync(Object.fromEntries([...members].reverse())));
    const a = await importJson(books, 'a.zip');
    const b = await importJson(books, 'b.zip');
    expect(a.code).toBe(0);
    expect(a.notes.filter((n) => n.code === 'bank-file').map((n) => n.statement)).toEqual(['a.zip!README.txt', 'a.zip!docs/statement.PDF', 'a.zip!index.html']);
    expect(b.stdout).toBe(a.stdout.replace(/a\.zip!/g, 'b.zip!'));
    expect(b.stderr).toBe(a.stderr.replace(/a\.zip!/g, 'b.zip!'));
  });

  it('a .txt member that is an MT940 is read, not left out', async () => {
    const books = bankBooks();
    writeFileSync(path.join(books, 'bank.zip'), zipSync({ 'statement.txt': enc(mt940), 'README.txt': enc(readme) }));
    const z = await importJson(books, 'bank.zip');
    expect(z.code).toBe(0);
    expect(z.lines.map((l) => [l.file, l.chf, l.action, l.match?.invoice ?? null])).toEqual([['bank.zip!statement.txt', '3000.00', 'book', 'ISU-2026-001']]);
    expect(z.notes.map((n) => [n.statement, n.severity])).toEqual([
      ['bank.zip!README.txt', 'warning'],
      ['bank.zip!statement.txt', 'info'],
    ]);
  });

  it('a member that is not a readable statement is still refused when its name is not of a kind left out, or its content looks like a statement', async () => {
    const books = bankBooks();
    const cases: [string, string | Uint8Array, string][] = [
      ['other.xml', 'this is not XML\n', 'bank.zip!other.xml:1:1: error [bank-file] not a camt.053, camt.054 or MT940 file, nor a ZIP of them'],
      ['STATEMENT', 'no extension\n', 'bank.zip!STATEMENT:1:1: error [bank-file] not a camt.053, camt.054 or MT940 file, nor a ZIP of them'],
      // a damaged statement under a name of a kind left out: refused, never swallowed
      ['statement.txt', mt940.replace(':61:2603020302C', ':61:26030X0302C'), 'bank.zip!statement.txt:5:5: error [bank-file] statement line "26030X0302C3000,00NTRFNONREF//MT-1": value date "26030X" at column 5: 6 digits expected, YYMMDD'],
      ['camt.pdf', EXAMPLE.replace('</Ntfctn>', ''), 'bank.zip!camt.pdf:'],
      ['camt.html', EXAMPLE.replace('<Document', '<html><Document'), 'bank.zip!camt.html:'],
      ['unicode.txt', utf16le(EXAMPLE), 'bank.zip!unicode.txt:1:1: error [bank-file] the file is UTF-16'],
      // a review file: said as one, to be imported on its own (Excel's "sep=;" line and BOM too)
      ['bank-review.csv', 'key,received,chf,iso3,invoice,decision\n', 'bank.zip: error [bank-file] the ZIP archive holds a bank-review.csv (bank-review.csv): refused, nothing read'],
      ['review.csv', '\uFEFFsep=;\r\nkey;received;chf;iso3;invoice;decision\r\n', 'bank.zip: error [bank-file] the ZIP archive holds a bank-review.csv (review.csv): refused, nothing read'],
      ['letter.docx', zipSync({ '[Content_Types].xml': enc('<Types/>') }), 'bank.zip: error [bank-file] the ZIP archive holds another archive (letter.docx): refused'],
    ];
    for (const [member, content, message] of cases) {
      writeFileSync(path.join(books, 'bank.zip'), zipSync({ 'camt054.xml': enc(EXAMPLE), 'README.txt': enc(readme), [member]: typeof content === 'string' ? enc(content) : content }));
      await refused(books, 'bank.zip', message);
    }
  });

  it('a README saved as UTF-16 ("Unicode" in Notepad) is left out', async () => {
    const books = bankBooks();
    writeFileSync(path.join(books, 'bank.zip'), zipSync({ 'camt054.xml': enc(EXAMPLE), 'README.txt': utf16le(readme) }));
    const z = await importJson(books, 'bank.zip');
    expect(z.code).toBe(0);
    expect(z.lines).toHaveLength(7);
    expect(z.notes[0]).toEqual(leftOutNote('bank.zip!README.txt', 'a text file without MT940 fields'));
  });

  it('an archive whose every member is left out is refused, naming what it held', async () => {
    const books = bankBooks();
    writeFileSync(path.join(books, 'readme.zip'), zipSync({ 'README.txt': enc(readme) }));
    await refused(books, 'readme.zip', 'readme.zip: error [bank-file] the ZIP archive holds no bank statement: README.txt (a text file without MT940 fields)');
    writeFileSync(path.join(books, 'two.zip'), zipSync({ 'statement.pdf': pdf, 'README.txt': enc(readme) }));
    await refused(books, 'two.zip', 'two.zip: error [bank-file] the ZIP archive holds no bank statement: README.txt (a text file without MT940 fields), statement.pdf (a PDF document)');
  });
});
