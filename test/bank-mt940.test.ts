/**
 * A hunt on the MT940 reader (`readMt940`, docs/bank.md "What is read"): the structured `:86:`
 * read whole, entries numbered through the file, a damaged `:61:` refused at the sub-field that
 * is wrong, and a payer's name cut in two by the bank read as one name.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBankFile } from '../src/io/bankfile.js';
import { bankBooks } from './bank-books.js';
import { run } from './helpers.js';

const IBAN = 'CH9300762011623852957';
/** One statement: its :20: id, then its lines. */
const stmt = (id: string, ...lines: string[]) => [`:20:${id}`, `:25:${IBAN}`, ':28C:1/1', ...lines, '-'];
const file = (...stmts: string[][]) => [...stmts.flat(), ''].join('\r\n');
const read = (text: string) => readBankFile('s.sta', new TextEncoder().encode(text));

interface Line { entry: number; tx: number; key: string; chf: string; debtor: string; text: string; action: string; reason: string; match: { iso3: string | null; invoice: string | null; how: string } | null }
async function proposal(books: string, name: string, apply = false): Promise<Line[]> {
  const r = await run(['bank', 'import', name, '--books', books, '--format', 'json', ...(apply ? ['--apply'] : [])], { cwd: books });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return (JSON.parse(r.stdout) as { lines: Line[] }).lines;
}
/** Runs the import and expects it refused with `message`, at `line:column`, marked `width` wide. */
async function refused(text: string, where: string, message: string, width: number): Promise<void> {
  const books = bankBooks();
  writeFileSync(path.join(books, 'd.sta'), text);
  const payments = readFileSync(path.join(books, 'payments.csv'), 'utf8');
  const r = await run(['bank', 'import', 'd.sta', '--books', books, '--apply'], { cwd: books });
  expect(r.code).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr).toContain(`d.sta:${where}: error [bank-file] ${message}`);
  // the marker under the excerpt: as wide as what is wrong
  const [, col] = where.split(':').map(Number);
  expect(r.stderr).toMatch(new RegExp(`\\| {${col!}}\\^{${width}}(?!\\^)`));
  expect(readFileSync(path.join(books, 'payments.csv'), 'utf8')).toBe(payments);
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

describe('two statements in one MT940 file', () => {
  // Two days, each its own :20: block; each has an entry with a bank reference and one without.
  const day1 = stmt('S1', ':60F:C260301CHF0,00', ':61:2603020302C3000,00NTRFNONREF//MT-1', ':86:RF91ISU2026001', ':61:2603020302C8000,00NTRFNONREF', ':86:Contribution ISU-2026-002', ':62F:C260302CHF11000,00');
  const day2 = stmt('S2', ':60F:C260302CHF11000,00', ':61:2603030303C9000,00NTRFNONREF//MT-2', ':86:Contribution ISU-2026-003', ':61:2603030303C3000,00NTRFNONREF', ':86:Contribution ISU-2026-004', ':62F:C260303CHF23000,00');

  it('number their entries through the file (entry k is the k-th :61:), and their keys are those of each statement read alone', () => {
    const both = read(file(day1, day2));
    expect(both.map((s) => [s.id, s.entries.map((e) => e.index)])).toEqual([
      ['S1', [1, 2]],
      ['S2', [3, 4]],
    ]);
    // The keys (idempotency) do not depend on the entry's number: books that hold payments
    // imported when each statement numbered its entries from 1 keep matching them.
    const alone = [...read(file(day1)), ...read(file(day2))];
    expect(alone.map((s) => s.entries.map((e) => e.index))).toEqual([
      [1, 2],
      [1, 2],
    ]);
    expect(both.flatMap((s) => s.entries.map((e) => e.txs[0]!.key))).toEqual(alone.flatMap((s) => s.entries.map((e) => e.txs[0]!.key)));
  });

  it('payments.csv tells each entry by its file and number; imported again, everything is skipped', async () => {
    const books = bankBooks();
    writeFileSync(path.join(books, 's.sta'), file(day1, day2));
    const first = await proposal(books, 's.sta', true);
    expect(first.map((l) => [l.entry, l.action, l.match?.invoice])).toEqual([
      [1, 'book', 'ISU-2026-001'],
      [2, 'book', 'ISU-2026-002'],
      [3, 'book', 'ISU-2026-003'],
      [4, 'book', 'ISU-2026-004'],
    ]);
    const rows = readFileSync(path.join(books, 'payments.csv'), 'utf8').trim().split('\n');
    const head = rows[0]!.split(',');
    const provenance = rows.slice(2).map((r) => ['bank_file', 'bank_entry', 'bank_tx'].map((c) => r.split(',')[head.indexOf(c)]).join('|'));
    expect(provenance).toHaveLength(4);
    expect(new Set(provenance).size).toBe(4);
    expect(provenance.map((p) => p.split('|')[1])).toEqual(['1', '2', '3', '4']);
    const again = await proposal(books, 's.sta');
    expect(again.map((l) => [l.entry, l.action])).toEqual([
      [1, 'skip'],
      [2, 'skip'],
      [3, 'skip'],
      [4, 'skip'],
    ]);
    expect(again.every((l) => l.reason.startsWith('already booked as BNK-'))).toBe(true);
  });
});

describe('a damaged :61: is refused at the sub-field that is wrong', () => {
  /** The statement with `line` as its only statement line (line 5 of the file). */
  const with61 = (line: string) => file(stmt('S1', ':60F:C260301CHF0,00', `:61:${line}`, ':86:RF91ISU2026001', ':62F:C260302CHF12,50'));
  const refusedAt = (line: string, column: number, what: string, width: number) => refused(with61(line), `5:${column}`, `statement line "${line}": ${what}`, width);

  it('an amount with a decimal point', () => refusedAt('2603020302C12.50NTRFNONREF//MT-1', 16, 'amount "12.50" at column 16: MT940 amounts use a decimal comma, e.g. 12,50', 5));
  it('an amount without a decimal comma', () => refusedAt('260302C12NTRFNONREF//MT-1', 12, 'amount "12" at column 12: MT940 amounts have a decimal comma, a whole one too, e.g. 12,00', 2));
  it('an amount with three decimals', () => refusedAt('2603020302C12,505NTRFNONREF//MT-1', 16, 'amount "12,505" at column 16: at most two decimals', 6));
  it('an amount with a thousands separator', () => refusedAt("2603020302C1'012,50NTRFNONREF//MT-1", 16, 'amount "1\'012,50" at column 16: digits and one decimal comma, without thousands separators, e.g. 1234,50', 8));
  it('no amount (after the funds code)', () => refusedAt('2603020302CRNTRFNONREF//MT-1', 17, 'amount "N" at column 17: digits and a decimal comma expected, e.g. 1234,50', 1));
  it('a debit/credit mark that is none', () => refusedAt('2603020302X12,50NTRFNONREF//MT-1', 15, 'debit/credit mark "X" at column 15: C (credit), D (debit), RC or RD (their reversals)', 1));
  it('a transaction type that is none', () => refusedAt('2603020302C12,50XTRFNONREF//MT-1', 21, 'transaction type "XTRF" at column 21: S, N or F and 3 letters or digits, e.g. NTRF', 4));
  it('a transaction type cut off by the end of the line', () => refused([...stmt('S1', ':61:2603020302C12,50', 'NTRFNONREF//MT-1'), ''].join('\r\n'), '4:21', 'statement line "2603020302C12,50": transaction type "" at column 21: S, N or F and 3 letters or digits, e.g. NTRF', 1));
  it('a value date too short', () => refusedAt('26032C12,50NTRFNONREF//MT-1', 5, 'value date "26032C" at column 5: 6 digits expected, YYMMDD', 6));
  it('a value date that is not a date', () => refusedAt('2602300302C12,50NTRFNONREF//MT-1', 5, 'value date "260230" at column 5: not a date (YYMMDD)', 6));
  it('no debit/credit mark, the amount after the value date: the mark is said missing, not the amount taken for an entry date', async () => {
    await refusedAt('2603023000,00NTRFNONREF//MT-1', 11, 'debit/credit mark "3" at column 11: C (credit), D (debit), RC or RD (their reversals), after the value date or an entry date (MMDD)', 1);
    await refusedAt('26030212345,00NTRFNONREF//MT-1', 11, 'debit/credit mark "1" at column 11', 1);
  });
  it('an entry date of 2 digits', () => refusedAt('26030203C12,50NTRFNONREF//MT-1', 11, 'entry date "03" at column 11: 4 digits expected (MMDD), or none before the debit/credit mark', 2));
  it('an entry date that is not a date', () => refusedAt('2603021302C12,50NTRFNONREF//MT-1', 11, 'entry date "1302" at column 11: not a date (MMDD)', 4));
  it('the first sub-field that is wrong is the one said (a bad value date before a bad amount)', () => refusedAt('2602300302C12.50NTRFNONREF//MT-1', 5, 'value date "260230" at column 5: not a date (YYMMDD)', 6));
  it('after a SWIFT header on the same line, the column is counted from the start of the line', () => {
    const line = '{1:F01EXAMPLEBANKXXX0000000000}{4::61:2603020302C12.50NTRFNONREF//MT-1';
    const column = line.indexOf('12.50') + 1;
    return refused([...stmt('S1').slice(0, -1), line, '-}', ''].join('\r\n'), `4:${column}`, `statement line "2603020302C12.50NTRFNONREF//MT-1": amount "12.50" at column ${column}`, 5);
  });
});

describe("the payer's name in ?32 and ?33", () => {
  /** Two credits of 3000.00 (what AUT's ISU-2026-001 and NOR's ISU-2026-004 both owe): the name tells them. */
  const named = (n32: string, n33: string) =>
    file(stmt('S1', ':60F:C260301CHF0,00', ':61:2603020302C3000,00NTRFNONREF//MT-1', `:86:166?00GUTSCHRIFT?20Contribution?32${n32}?33${n33}`, ':62F:C260302CHF3000,00'));

  it('a name the bank cut at the 27 characters of ?32, inside a word, is read whole: the State is found', async () => {
    expect('Permanent Mission of Austri').toHaveLength(27);
    const books = bankBooks();
    writeFileSync(path.join(books, 's.sta'), named('Permanent Mission of Austri', 'a to the UN Office at Genev'));
    const lines = await proposal(books, 's.sta');
    expect(lines.map((l) => [l.debtor, l.action, l.match?.iso3, l.match?.invoice, l.match?.how])).toEqual([['Permanent Mission of Austria to the UN Office at Genev', 'book', 'AUT', 'ISU-2026-001', 'name and amount']]);
  });

  it('a ?32 that ends before its 27 characters ended at a word: a space, not two words glued', async () => {
    expect('Embassy of the Republic of').toHaveLength(26);
    const books = bankBooks();
    writeFileSync(path.join(books, 's.sta'), named('Embassy of the Republic of', 'Austria'));
    const lines = await proposal(books, 's.sta');
    expect(lines.map((l) => [l.debtor, l.action, l.match?.iso3, l.match?.invoice, l.match?.how])).toEqual([['Embassy of the Republic of Austria', 'book', 'AUT', 'ISU-2026-001', 'name and amount']]);
  });
});

describe('two transactions under one bank reference in an MT940 file', () => {
  it('refused at the reference of the second, after "//" on its :61: line', async () => {
    // MT-1 given to a credit of 3000.00 and, on the next day's statement, to one of 5000.00
    const text = file(
      stmt('S1', ':60F:C260301CHF0,00', ':61:2603020302C3000,00NTRFNONREF//MT-1', ':86:RF91ISU2026001', ':62F:C260302CHF3000,00'),
      stmt('S2', ':60F:C260302CHF3000,00', ':61:2603020302C5000,00NTRFNONREF//MT-1', ':86:Contribution ISU-2026-002', ':62F:C260303CHF8000,00'),
    );
    // line 13 (S1: 8 lines, S2's :61: the fifth of its own), "//MT-1" after ':61:2603020302C5000,00NTRFNONREF' (4 + 28 characters)
    expect(text.split('\r\n')[12]).toBe(':61:2603020302C5000,00NTRFNONREF//MT-1');
    await refused(text, '13:35', "entry 2 (a credit of CHF 5000.00) has the bank's identity of d.sta entry 1, a credit of CHF 3000.00 (CH9300762011623852957|MT-1|1): two different transactions under one bank reference", 4);
    // blanks after "//": at the reference itself, not at the blanks
    await refused(text.replace('NONREF//MT-1\r\n:86:Contribution', 'NONREF//  MT-1\r\n:86:Contribution'), '13:37', 'entry 2 (a credit of CHF 5000.00)', 4);
  });
});
