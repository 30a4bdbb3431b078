/**
 * Careless and hostile bank files found by a hunt on `finproc bank import` (docs/bank.md):
 * each is refused at the value that is wrong (file, line, column, what was expected), or
 * handled as the rules say, and nothing already written is damaged.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { at, bankBooks, EXAMPLE, onlyEntry, rf } from './bank-books.js';
import { camt, IBAN, type GEntry } from './bank-gen.js';
import { run } from './helpers.js';


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

  it.each([
    ['a value date that is not a date, with a valid booking date', (l: string) => l.replace('<ValDt><Dt>2026-03-02</Dt>', '<ValDt><Dt>2026-02-30</Dt>'), '2026-02-30</Dt></ValDt>', ': ValDt/Dt "2026-02-30" is not a date (YYYY-MM-DD)'],
    ['a booking date in two digits of the year, with a valid value date', (l: string) => l.replace('<BookgDt><Dt>2026-03-02</Dt>', '<BookgDt><Dt>26-03-02</Dt>'), '26-03-02</Dt></BookgDt>', ': BookgDt/Dt "26-03-02" is not a date (YYYY-MM-DD)'],
    ['a transaction amount with a thousands separator', (l: string) => l.replace('<Amt Ccy="CHF">3000.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><AmtDtls>', '<Amt Ccy="CHF">3,000.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><AmtDtls>'), '3,000.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><AmtDtls>', ' transaction 1: Amt "3,000.00" is not an amount with at most two decimals'],
  ])('%s is refused at it, not replaced or left out', async (_what, edit, value, message) => {
    const books = bankBooks();
    const text = onlyEntry('BK-1001', edit);
    writeFileSync(path.join(books, 'bad.xml'), text);
    const r = await run(['bank', 'import', 'bad.xml', '--books', books], { cwd: books });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`bad.xml:${at(text, value)}: error [bank-file] entry 1${message}`);
  });

  it('an instructed amount without its currency is refused at it, not left out', async () => {
    const books = bankBooks();
    const noCcy = onlyEntry('BK-1005', (l) => l.replace('<Amt Ccy="EUR">5000.00</Amt>', '<Amt>5000.00</Amt>'));
    expect(noCcy).not.toBe(onlyEntry('BK-1005'));
    writeFileSync(path.join(books, 'noccy.xml'), noCcy);
    const r = await run(['bank', 'import', 'noccy.xml', '--books', books], { cwd: books });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`noccy.xml:${at(noCcy, '5000.00</Amt><CcyXchg>')}: error [bank-file] entry 1 transaction 1: AmtDtls/InstdAmt/Amt "5000.00" is not an amount with its currency`);
  });

  it('an instructed amount or rate written with a comma is refused at it, not proposed and then refused by --apply at a line of payments.csv that does not exist', async () => {
    const books = bankBooks();
    const before = readFileSync(path.join(books, 'payments.csv'), 'utf8');
    const amount = onlyEntry('BK-1005', (l) => l.replace('<Amt Ccy="EUR">5000.00</Amt>', '<Amt Ccy="EUR">5,000.00</Amt>'));
    const rate = onlyEntry('BK-1005', (l) => l.replace('<XchgRate>0.94</XchgRate>', '<XchgRate>0,94</XchgRate>'));
    writeFileSync(path.join(books, 'amount.xml'), amount);
    writeFileSync(path.join(books, 'rate.xml'), rate);
    const a = await run(['bank', 'import', 'amount.xml', '--books', books, '--apply'], { cwd: books });
    expect(a.code).toBe(1);
    expect(a.stderr).toContain(`amount.xml:${at(amount, '5,000.00')}: error [bank-file] entry 1 transaction 1: AmtDtls/InstdAmt/Amt "5,000.00" is not an amount (digits, a point, at most 5 decimals)`);
    const r = await run(['bank', 'import', 'rate.xml', '--books', books, '--apply'], { cwd: books });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`rate.xml:${at(rate, '0,94')}: error [bank-file] entry 1 transaction 1: AmtDtls/InstdAmt/CcyXchg/XchgRate "0,94" is not an exchange rate (digits and a point)`);
    expect(readFileSync(path.join(books, 'payments.csv'), 'utf8')).toBe(before);
    // a comment before it, holding tags of the same names: located at the rate, not in the comment
    const commented = rate.replace('<NtryDtls>', '<NtryDtls><!-- <TxDtls><AmtDtls><InstdAmt><CcyXchg><XchgRate>9,99</XchgRate></CcyXchg></InstdAmt></AmtDtls></TxDtls> -->');
    expect(commented).not.toBe(rate);
    writeFileSync(path.join(books, 'commented.xml'), commented);
    const c = await run(['bank', 'import', 'commented.xml', '--books', books], { cwd: books });
    expect(c.stderr).toContain(`commented.xml:${at(commented, '0,94')}: error [bank-file] entry 1 transaction 1: AmtDtls/InstdAmt/CcyXchg/XchgRate "0,94"`);
  });

  it('a review row with both a State and "not a contribution" is refused at its decision, not silently dismissed; check says so too, and nothing is written', async () => {
    const books = bankBooks();
    writeFileSync(path.join(books, 'ex.xml'), EXAMPLE);
    const first = await run(['bank', 'import', 'ex.xml', '--books', books, '--apply'], { cwd: books });
    expect(first.code).toBe(0);
    const rp = path.join(books, 'bank-review.csv');
    const rows = readFileSync(rp, 'utf8').split('\n');
    expect(rows[1]).toMatch(/,,,,$/);
    rows[1] = rows[1]!.replace(/,,,,$/, ',DEU,,,Not a contribution');
    writeFileSync(rp, rows.join('\n'));
    const payments = readFileSync(path.join(books, 'payments.csv'), 'utf8');
    const review = readFileSync(rp, 'utf8');
    const col = rows[1]!.length - 'Not a contribution'.length + 1;
    const expected = `bank-review.csv:2:${col}: error [bank-file] decision: "Not a contribution", but iso3 says DEU: book it or dismiss it?`;
    const r = await run(['bank', 'import', 'bank-review.csv', '--books', books, '--apply'], { cwd: books });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(expected);
    expect(readFileSync(path.join(books, 'payments.csv'), 'utf8')).toBe(payments);
    expect(readFileSync(rp, 'utf8')).toBe(review);
    const c = await run(['check', '--books', books], { cwd: books });
    expect(c.code).toBe(1);
    expect(c.stderr).toContain(expected);
  });

  it('a file saved as UTF-16 with its byte order mark is refused as such, not as "not a camt file" with its NULs quoted', async () => {
    const books = bankBooks();
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(EXAMPLE.replace('encoding="UTF-8"', 'encoding="UTF-16"'), 'utf16le')]);
    writeFileSync(path.join(books, 'utf16.xml'), le);
    const r = await run(['bank', 'import', 'utf16.xml', '--books', books], { cwd: books });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('utf16.xml:1:1: error [bank-file] the file is UTF-16 (little-endian, by its byte order mark): ISO 20022 files are UTF-8, and MT940 files and bank-review.csv are read as UTF-8');
    expect(r.stderr).not.toContain('\\u{0}');
  });
});

/** line:column of the content of the n-th (1-based) `<AcctSvcrRef>ref</AcctSvcrRef>` of `text`. */
function refAt(text: string, ref: string, n = 1): string {
  const tag = `<AcctSvcrRef>${ref}</AcctSvcrRef>`;
  let i = -1;
  for (let k = 0; k < n; k++) i = text.indexOf(tag, i + 1);
  expect(i).toBeGreaterThanOrEqual(0);
  const before = text.slice(0, i + '<AcctSvcrRef>'.length).split('\n');
  return `${before.length}:${before[before.length - 1]!.length + 1}`;
}

describe('one bank reference for two different transactions', () => {
  it('in one file, in two files, or against payments.csv: refused, naming both, and nothing written; the same transaction twice is still skipped', async () => {
    const books = bankBooks();
    const before = readFileSync(path.join(books, 'payments.csv'), 'utf8');
    // entry 2 (France, 5000.00) given the bank reference of entry 1 (Austria, 3000.00)
    const reused = EXAMPLE.replace('<AcctSvcrRef>BK-1002</AcctSvcrRef>', '<AcctSvcrRef>BK-1001</AcctSvcrRef>');
    expect(reused).not.toBe(EXAMPLE);
    writeFileSync(path.join(books, 'dup.xml'), reused);
    const one = await run(['bank', 'import', 'dup.xml', '--books', books, '--apply'], { cwd: books });
    expect(one.code).toBe(1);
    // (at the bank reference of entry 2, the second BK-1001 of the file)
    expect(one.stderr).toContain(`dup.xml:${refAt(reused, 'BK-1001', 2)}: error [bank-file] entry 2 transaction 1 (a credit of CHF 5000.00) has the bank's identity of dup.xml entry 1 transaction 1, a credit of CHF 3000.00 (CH9300762011623852957|BK-1001|`);
    expect(readFileSync(path.join(books, 'payments.csv'), 'utf8')).toBe(before);

    // the example booked, then a file whose BK-1001 is another amount
    writeFileSync(path.join(books, 'a.xml'), onlyEntry('BK-1001'));
    expect((await run(['bank', 'import', 'a.xml', '--books', books, '--apply'], { cwd: books })).code).toBe(0);
    const booked = readFileSync(path.join(books, 'payments.csv'), 'utf8');
    expect(booked).not.toBe(before);
    const b = onlyEntry('BK-1001', (l) => l.replace('<Amt Ccy="CHF">3000.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>', '<Amt Ccy="CHF">3100.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>').replaceAll('3000.00', '3100.00'));
    writeFileSync(path.join(books, 'b.xml'), b);
    const later = await run(['bank', 'import', 'b.xml', '--books', books, '--apply'], { cwd: books });
    expect(later.code).toBe(1);
    expect(later.stderr).toContain(`b.xml:${refAt(b, 'BK-1001')}: error [bank-file] entry 1 transaction 1 (a credit of CHF 3100.00) has the bank's identity of payment `);
    expect(later.stderr).toMatch(/ of payment BNK-\d{8}-[0-9A-F]{6} of payments\.csv, a credit of CHF 3000\.00/);
    expect(later.stderr).toContain('hint: if payments.csv or bank-review.csv was corrected by hand');
    expect(readFileSync(path.join(books, 'payments.csv'), 'utf8')).toBe(booked);

    // the same transaction again (same amount), later: skipped, as before
    const again = await run(['bank', 'import', 'a.xml', '--books', books, '--format', 'json'], { cwd: books });
    expect(again.code).toBe(0);
    expect((JSON.parse(again.stdout) as { lines: { action: string }[] }).lines.map((l) => l.action)).toEqual(['skip']);
  });

  const actions = (stdout: string) => (JSON.parse(stdout) as { lines: { action: string; reason: string }[] }).lines.map((l) => [l.action, l.reason]);

  it('against a row of bank-review.csv for another amount: refused too', async () => {
    const books = bankBooks();
    writeFileSync(path.join(books, 'ex.xml'), EXAMPLE);
    expect((await run(['bank', 'import', 'ex.xml', '--books', books, '--apply'], { cwd: books })).code).toBe(0);
    expect(readFileSync(path.join(books, 'bank-review.csv'), 'utf8')).toContain('|BK-1003|1,2026-03-02,9000.00,');
    const c = onlyEntry('BK-1003', (l) => l.replaceAll('9000.00', '9100.00'));
    writeFileSync(path.join(books, 'c.xml'), c);
    const r = await run(['bank', 'import', 'c.xml', '--books', books], { cwd: books });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`c.xml:${refAt(c, 'BK-1003')}: error [bank-file] entry 1 transaction 1`);
    expect(r.stderr).toMatch(/c\.xml:\d+:\d+: error \[bank-file\] entry 1 transaction 1 \(a credit of CHF 9100\.00\) has the bank's identity of the row of bank-review\.csv for CHF 9000\.00/);
    // the same amount: skipped as awaiting review, as before
    writeFileSync(path.join(books, 'd.xml'), onlyEntry('BK-1003'));
    const d = await run(['bank', 'import', 'd.xml', '--books', books, '--format', 'json'], { cwd: books });
    expect(d.code).toBe(0);
    expect(actions(d.stdout)).toEqual([['skip', 'already in bank-review.csv, awaiting review']]);
  });

  it('the same transaction twice in one run, on fresh books: booked once, the other skipped as its twin', async () => {
    const books = bankBooks();
    writeFileSync(path.join(books, 'a.xml'), onlyEntry('BK-1001'));
    const r = await run(['bank', 'import', 'a.xml', 'a.xml', '--books', books, '--format', 'json'], { cwd: books });
    expect(r.code).toBe(0);
    expect(actions(r.stdout).map(([a]) => a)).toEqual(['book', 'skip']);
    expect(actions(r.stdout)[1]![1]).toBe('the same transaction as a.xml entry 1 transaction 1');
  });

  const day = '2026-03-02';
  const stmtOf = (entries: GEntry[]) => ({ id: 'S-1', iban: IBAN, date: day, entries });

  it('a batch whose two files share out the bank charges differently: the same transactions, not a conflict', async () => {
    const books = bankBooks();
    // the camt.053 gives each transaction gross (605.00 + 400.00 against an entry of 1000.00),
    // the camt.054 the charges of the first (5.00): the CHF of the first is 605.00 in one, 600.00 in the other
    const gross: GEntry = { ref: 'BK-9', amount: '1000.00', dir: 'CRDT', date: day, txs: [{ ref: 'T91', amount: '605.00', debtor: 'A' }, { ref: 'T92', amount: '400.00', debtor: 'B' }] };
    const net: GEntry = { ...gross, txs: [{ ref: 'T91', amount: '605.00', charges: '5.00', debtor: 'A' }, { ref: 'T92', amount: '400.00', debtor: 'B' }] };
    writeFileSync(path.join(books, 'gross.xml'), camt('053', '08', stmtOf([gross])));
    writeFileSync(path.join(books, 'net.xml'), camt('054', '08', stmtOf([net])));
    const r = await run(['bank', 'import', 'gross.xml', 'net.xml', '--books', books, '--format', 'json'], { cwd: books });
    expect(r.stderr).not.toMatch(/ error /);
    expect(r.code).toBe(0);
    expect(actions(r.stdout).map(([a]) => a).slice(2)).toEqual(['skip', 'skip']);
  });

  it('a reversal that repeats its credit\'s bank reference (entry and transaction): its identity is its own, and it takes back that credit', async () => {
    // (before reversals had an identity of their own, this was refused as two transactions
    // under one bank reference: the officer had to correct the credit by hand)
    const books = bankBooks();
    const credit: GEntry = { ref: 'BK-7', amount: '1000.00', dir: 'CRDT', date: day, txs: [{ ref: 'T7', debtor: 'SPF Affaires etrangeres', scor: rf('ISU-2026-006') }] };
    writeFileSync(path.join(books, 'rv.xml'), camt('054', '08', stmtOf([credit, { ...credit, dir: 'DBIT', rvsl: true }])));
    const r = await run(['bank', 'import', 'rv.xml', '--books', books, '--apply', '--format', 'json'], { cwd: books });
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { lines: { key: string; action: string }[] }).lines.map((l) => [l.key.split('|').slice(1).join('|'), l.action])).toEqual([
      ['BK-7|1', 'reversed'],
      ['BK-7|reversal|1', 'reversed'],
    ]);
    expect(readFileSync(path.join(books, 'payments.csv'), 'utf8')).not.toContain('BNK-');
  });
});

describe('an entry of several transactions, some without an amount', () => {
  it('is held whole as a batch (the entry\'s CHF) for its breakdown or the officer, not booked or dropped as 0.00', async () => {
    const books = bankBooks();
    const e: GEntry = { ref: 'BK-3001', amount: '3539.17', dir: 'CRDT', date: '2026-03-02', txs: [{ ref: 'T1', debtor: 'A', ustrd: 'ISU-2026-001', instd: { amount: '1000.00', ccy: 'EUR', rate: '0.94' } }, { ref: 'T2', debtor: 'B', ustrd: 'ISU-2026-002' }] };
    writeFileSync(path.join(books, 'noamt.xml'), camt('054', '08', { id: 'S-1', iban: IBAN, date: '2026-03-02', entries: [e] }));
    const r = await run(['bank', 'import', 'noamt.xml', '--books', books, '--format', 'json', '--apply'], { cwd: books });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { lines: { action: string; chf: string; amount: string; currency: string; key: string; reason: string }[]; notes: { message: string }[] };
    // (the entry's CHF, not what its first transaction was sent in)
    expect(j.lines.map((l) => [l.action, l.chf, l.amount, l.currency, l.key.split('|').pop()])).toEqual([['await', '3539.17', '3539.17', 'CHF', '*']]);
    expect(j.notes.map((n) => n.message)).toContain('entry 1: 2 transactions, some without an amount: held whole (CHF 3539.17) as a batch, awaiting its breakdown (a camt.054) or a decision in bank-review.csv');
    expect(readFileSync(path.join(books, 'bank-review.csv'), 'utf8')).toMatch(/\|BK-3001\|\*,2026-03-02,3539\.17,/);
  });
});

describe('bank-review.csv saved by Excel', () => {
  it('with its "sep=," first line, a byte order mark and CRLF: still told as the review file and booked, and written back as it was saved', async () => {
    const books = bankBooks();
    writeFileSync(path.join(books, 'ex.xml'), EXAMPLE);
    expect((await run(['bank', 'import', 'ex.xml', '--books', books, '--apply'], { cwd: books })).code).toBe(0);
    const rp = path.join(books, 'bank-review.csv');
    const review = readFileSync(rp, 'utf8').split('\n');
    expect(review[1]).toContain(',DEU,ISU-2026-003,amount,60,');
    // as Excel saves "CSV UTF-8": a byte order mark and CRLF
    writeFileSync(rp, '\uFEFF' + ['sep=,', ...review.map((l, i) => (i === 1 ? l.replace(/,,,,$/, ',DEU,ISU-2026-003,,') : l))].join('\r\n'));
    const r = await run(['bank', 'import', 'bank-review.csv', '--books', books, '--apply'], { cwd: books });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(books, 'payments.csv'), 'utf8')).toMatch(/\nBNK-20260302-[0-9A-F]{6},DEU,2026-03-02,9000\.00,CHF,9000\.00,isu,/);
    // the review file, rewritten without the booked row, keeps its byte order mark, its "sep=," line and its CRLF
    // (what is left: the example's credit and its reversal, recorded as not a contribution)
    expect(review.slice(2, 4).every((l) => l.endsWith(',not a contribution'))).toBe(true);
    expect(readFileSync(rp, 'utf8')).toBe(`\uFEFFsep=,\r\n${review[0]}\r\n${review[2]}\r\n${review[3]}\r\n`);
    expect((await run(['check', '--books', books], { cwd: books })).code).toBe(0);
  });
});

describe('an entry given whole in a camt.053 and broken down in a camt.054', () => {
  // The camt.053 gives the entry alone, without details (one transaction, no NbOfTxs); the
  // camt.054 gives its two transactions. Either way round, in one import or two, the CHF
  // 1000.00 is booked once.
  const day = '2026-03-02';
  const lump: GEntry = { ref: 'BK-5', amount: '1000.00', dir: 'CRDT', date: day, txs: [] };
  const parts: GEntry = { ref: 'BK-5', amount: '1000.00', dir: 'CRDT', date: day, txs: [{ ref: 'T51', amount: '600.00', debtor: 'A', ustrd: 'ISU-2026-001' }, { ref: 'T52', amount: '400.00', debtor: 'B', ustrd: 'ISU-2026-002' }] };
  const setup = () => {
    const books = bankBooks();
    writeFileSync(path.join(books, 'lump.xml'), camt('053', '08', { id: 'S-1', iban: IBAN, date: day, entries: [lump] }));
    writeFileSync(path.join(books, 'parts.xml'), camt('054', '08', { id: 'S-2', iban: IBAN, date: day, entries: [parts] }));
    return books;
  };
  /** Centimes of BK-5 booked in payments.csv, and still in bank-review.csv (to be booked by the officer). */
  const bookedChf = (books: string) => {
    const sum = (file: string, col: string) => {
      const p = path.join(books, file);
      if (!existsSync(p)) return 0;
      const [head, ...rows] = readFileSync(p, 'utf8').trim().split('\n');
      const i = head!.split(',').indexOf(col);
      return rows.filter((l) => l.includes('|BK-5|')).reduce((a, l) => a + Math.round(Number(l.split(',')[i]) * 100), 0);
    };
    return sum('payments.csv', 'chf') + sum('bank-review.csv', 'chf');
  };

  it('its breakdown in bank-review.csv (matched to nothing): the entry given whole later is skipped, not proposed again', async () => {
    const books = setup();
    const unknown: GEntry = { ...parts, txs: parts.txs.map((t) => ({ ...t, ustrd: 'donation' })) };
    writeFileSync(path.join(books, 'parts.xml'), camt('054', '08', { id: 'S-2', iban: IBAN, date: day, entries: [unknown] }));
    expect((await run(['bank', 'import', 'parts.xml', '--books', books, '--apply'], { cwd: books })).code).toBe(0);
    const r = await run(['bank', 'import', 'lump.xml', '--books', books, '--format', 'json'], { cwd: books });
    expect((JSON.parse(r.stdout) as { lines: { action: string; reason: string }[] }).lines).toMatchObject([{ action: 'skip', reason: 'its breakdown (camt.054) is in bank-review.csv' }]);
    expect(bookedChf(books)).toBe(100000);
  });

  for (const order of [['lump.xml', 'parts.xml'], ['parts.xml', 'lump.xml']]) {
    it(`in one import (${order.join(', ')}): the details are kept, the entry given whole is skipped`, async () => {
      const books = setup();
      const r = await run(['bank', 'import', ...order, '--books', books, '--apply', '--format', 'json'], { cwd: books });
      expect(r.code).toBe(0);
      const lines = (JSON.parse(r.stdout) as { lines: { tx: number; action: string; reason: string }[] }).lines;
      expect(lines.find((l) => l.tx === 0)).toMatchObject({ action: 'skip', reason: expect.stringMatching(/^broken down by parts\.xml entry 1 in this import/) });
      expect(lines.filter((l) => l.tx > 0).map((l) => l.action)).toEqual(['book', 'book']);
      expect(bookedChf(books)).toBe(100000);
    });
    it(`in two imports (${order.join(', then ')}): booked once`, async () => {
      const books = setup();
      for (const f of order) expect((await run(['bank', 'import', f, '--books', books, '--apply'], { cwd: books })).code).toBe(0);
      const again = await run(['bank', 'import', order[1]!, '--books', books, '--format', 'json'], { cwd: books });
      const lines = (JSON.parse(again.stdout) as { lines: { action: string; reason: string }[] }).lines;
      expect(lines.every((l) => l.action === 'skip')).toBe(true);
      expect(bookedChf(books)).toBe(100000);
    });
  }
});

describe('transaction amounts in another currency than the account', () => {
  it('a batch of EUR transactions credited in CHF: their EUR amounts are not booked as CHF; the entry is held whole', async () => {
    const books = bankBooks();
    const e: GEntry = { ref: 'BK-6', amount: '6580.00', dir: 'CRDT', date: '2026-03-02', txs: [{ ref: 'T61', amount: '3000.00', debtor: 'A', ustrd: 'ISU-2026-001' }, { ref: 'T62', amount: '4000.00', debtor: 'B', ustrd: 'ISU-2026-002' }] };
    const xml = camt('054', '08', { id: 'S-1', iban: IBAN, date: '2026-03-02', entries: [e] });
    // (each transaction's Amt and AmtDtls/TxAmt: the file gives no CHF amount per transaction)
    const eur = xml.replaceAll('<Amt Ccy="CHF">3000.00</Amt>', '<Amt Ccy="EUR">3000.00</Amt>').replaceAll('<Amt Ccy="CHF">4000.00</Amt>', '<Amt Ccy="EUR">4000.00</Amt>');
    expect(eur.match(/Ccy="EUR"/g)).toHaveLength(4);
    writeFileSync(path.join(books, 'eur.xml'), eur);
    const r = await run(['bank', 'import', 'eur.xml', '--books', books, '--format', 'json'], { cwd: books });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { lines: { action: string; chf: string }[]; notes: { message: string }[] };
    expect(j.lines.map((l) => [l.action, l.chf])).toEqual([['await', '6580.00']]);
    expect(j.notes.map((n) => n.message)).toContain('entry 1: 2 transactions, some without an amount: held whole (CHF 6580.00) as a batch, awaiting its breakdown (a camt.054) or a decision in bank-review.csv');
    // with the CHF of each in AmtDtls/TxAmt, that is what is booked
    const withChf = xml.replace('<Amt Ccy="CHF">3000.00</Amt><CdtDbtInd>', '<Amt Ccy="EUR">3000.00</Amt><CdtDbtInd>').replace('<Amt Ccy="CHF">4000.00</Amt><CdtDbtInd>', '<Amt Ccy="EUR">4000.00</Amt><CdtDbtInd>');
    expect(withChf.match(/Ccy="EUR"/g)).toHaveLength(2);
    writeFileSync(path.join(books, 'chf.xml'), withChf);
    const c = await run(['bank', 'import', 'chf.xml', '--books', books, '--format', 'json'], { cwd: books });
    expect((JSON.parse(c.stdout) as { lines: { chf: string }[] }).lines.map((l) => l.chf)).toEqual(['3000.00', '4000.00']);
  });
});
