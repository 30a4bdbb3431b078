/**
 * A third hunt on `finproc bank import` (docs/bank.md): what Excel (Swiss or French locale)
 * and a tired finance officer do to bank-review.csv before it is imported back. Each damaged
 * file is refused at the cell that is wrong, or read as the rules say; no money is booked
 * twice, and nothing already written is damaged.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { bankBooks, EXAMPLE } from './bank-books.js';
import { run } from './helpers.js';

const COLUMNS = ['key', 'received', 'chf', 'amount', 'currency', 'fx_rate', 'debtor', 'reference', 'text', 'bank_file', 'bank_ref', 'bank_entry', 'bank_tx', 'statement', 'proposed_iso3', 'proposed_invoice', 'how', 'confidence', 'reason', 'check', 'iso3', 'invoice', 'purpose', 'decision'] as const;
type Row = Record<(typeof COLUMNS)[number], string>;

/** The worked example's books, with `xml` (by default the example) imported with --apply. */
async function booksWithReview(xml = EXAMPLE): Promise<string> {
  const books = bankBooks();
  writeFileSync(path.join(books, 'ex.xml'), xml);
  const r = await run(['bank', 'import', 'ex.xml', '--books', books, '--apply'], { cwd: books });
  expect(r.code).toBe(0);
  return books;
}

/** The rows of a review file (as Excel would show them). */
function rowsOf(file: string): Row[] {
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  return parse(text, { columns: true, delimiter: text.split('\n')[0]!.includes(';') ? ';' : ',' }) as Row[];
}

/** A review file written back as Excel in Geneva saves "CSV UTF-8": `;`, a byte order mark, CRLF. */
function saveAsExcel(file: string, rows: Row[], columns: readonly string[] = COLUMNS): void {
  const cell = (v: string) => (/[;"\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  writeFileSync(file, `\uFEFF${[columns.join(';'), ...rows.map((r) => columns.map((c) => cell(r[c as keyof Row] ?? '')).join(';'))].join('\r\n')}\r\n`);
}

/** The review file of `books`, edited row by row (saved with `columns`, by default those of this version, in its order). */
function editReview(books: string, edit: (rows: Row[]) => Row[], columns: readonly string[] = COLUMNS): void {
  const file = path.join(books, 'bank-review.csv');
  saveAsExcel(file, edit(rowsOf(file)), columns);
}
/** The columns of a review file of an earlier version: no check. */
const OLD_COLUMNS = COLUMNS.filter((c) => c !== 'check');

const row = (rows: Row[], ref: string) => rows.find((r) => r.key.includes(`|${ref}|`))!;

/** Imports `args` with --apply and expects it refused with each of `messages`, and the books as they were. */
async function refused(books: string, args: string[], ...messages: string[]): Promise<void> {
  const payments = readFileSync(path.join(books, 'payments.csv'), 'utf8');
  const review = readFileSync(path.join(books, 'bank-review.csv'), 'utf8');
  const r = await run(['bank', 'import', ...args, '--books', books, '--apply'], { cwd: books });
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  for (const m of messages) expect(r.stderr).toContain(m);
  expect(r.code).toBe(1);
  expect(readFileSync(path.join(books, 'payments.csv'), 'utf8')).toBe(payments);
  expect(readFileSync(path.join(books, 'bank-review.csv'), 'utf8')).toBe(review);
}

/** Centimes booked in payments.csv for the entry whose bank reference is `ref`. */
function booked(books: string, ref: string): bigint {
  const rows = parse(readFileSync(path.join(books, 'payments.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
  return rows.filter((r) => (r.bank_key ?? '').includes(`|${ref}|`)).reduce((a, r) => a + BigInt(r.chf!.replace('.', '')), 0n);
}
/** Centimes of the rows of bank-review.csv still open for the entry whose bank reference is `ref`. */
function inReview(books: string, ref: string): bigint {
  return rowsOf(path.join(books, 'bank-review.csv'))
    .filter((r) => r.key.includes(`|${ref}|`) && r.decision === '')
    .reduce((a, r) => a + BigInt(r.chf.replace('.', '')), 0n);
}

// A batch of three credits (CHF 6580.00) given whole in one file (NbOfTxs, no details) and
// broken down in another, whose transactions name no invoice (so they go to review).
const IBAN = 'CH9300762011623852957';
const ntry = (body: string) => `<Ntry><Amt Ccy="CHF">6580.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-03-02</Dt></BookgDt><ValDt><Dt>2026-03-02</Dt></ValDt><AcctSvcrRef>BK-9</AcctSvcrRef><NtryDtls>${body}</NtryDtls></Ntry>`;
const tx = (ref: string, amount: string, text: string) => `<TxDtls><Refs><AcctSvcrRef>${ref}</AcctSvcrRef><EndToEndId>NOTPROVIDED</EndToEndId></Refs><Amt Ccy="CHF">${amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><RltdPties><Dbtr><Pty><Nm>Donor</Nm></Pty></Dbtr></RltdPties><RmtInf><Ustrd>${text}</Ustrd></RmtInf></TxDtls>`;
const camt054 = (id: string, ...entries: string[]) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"><BkToCstmrDbtCdtNtfctn><GrpHdr><MsgId>${id}</MsgId><CreDtTm>2026-03-02T18:00:00</CreDtTm></GrpHdr><Ntfctn><Id>${id}</Id><Acct><Id><IBAN>${IBAN}</IBAN></Id><Ccy>CHF</Ccy></Acct>\n${entries.join('\n')}\n</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>\n`;
const WHOLE = camt054('S-1', ntry('<Btch><NbOfTxs>3</NbOfTxs></Btch>'));
const PARTS = camt054('S-2', ntry(`<Btch><NbOfTxs>3</NbOfTxs></Btch>${tx('T91', '1000.00', 'donation')}${tx('T92', '2580.00', 'gift')}${tx('T93', '3000.00', 'misc')}`));
const GIVEN = camt054('S-3', ntry(`<Btch><NbOfTxs>3</NbOfTxs></Btch>${tx('T91', '1000.00', 'ISU-2026-006')}${tx('T92', '2580.00', 'ISU-2026-002')}${tx('T93', '3000.00', 'ISU-2026-001')}`));

describe('a batch given whole and broken down: its CHF is in the books once', () => {
  it('the batch first, then its breakdown to review: the row of the whole batch goes, its transactions come', async () => {
    const books = await booksWithReview(WHOLE);
    expect(inReview(books, 'BK-9')).toBe(658000n);
    writeFileSync(path.join(books, 'parts.xml'), PARTS);
    const r = await run(['bank', 'import', 'parts.xml', '--books', books, '--apply'], { cwd: books });
    expect(r.code).toBe(0);
    expect(rowsOf(path.join(books, 'bank-review.csv')).map((x) => x.key.split('|').pop())).toEqual(['r:T91', 'r:T92', 'r:T93']);
    expect(inReview(books, 'BK-9')).toBe(658000n);
  });

  it('the breakdown in review first, then the batch: the batch is not listed again', async () => {
    const books = await booksWithReview(PARTS);
    writeFileSync(path.join(books, 'whole.xml'), WHOLE);
    const r = await run(['bank', 'import', 'whole.xml', '--books', books, '--apply', '--format', 'json'], { cwd: books });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { lines: { action: string; reason: string }[] }).lines).toMatchObject([{ action: 'skip', reason: 'its breakdown (camt.054) is in bank-review.csv' }]);
    expect(inReview(books, 'BK-9')).toBe(658000n);
  });

  it('the whole batch completed in bank-review.csv and imported with its breakdown in one command: booked once, from the breakdown', async () => {
    for (const order of [['bank-review.csv', 'given.xml'], ['given.xml', 'bank-review.csv']]) {
      const books = await booksWithReview(WHOLE);
      editReview(books, (rows) => (Object.assign(row(rows, 'BK-9'), { iso3: 'FRA' }), rows));
      writeFileSync(path.join(books, 'given.xml'), GIVEN);
      const r = await run(['bank', 'import', ...order, '--books', books, '--apply'], { cwd: books });
      expect(r.code).toBe(0);
      expect(booked(books, 'BK-9')).toBe(658000n);
      expect(inReview(books, 'BK-9')).toBe(0n);
    }
  });

  it('a copy of bank-review.csv with the whole batch completed, imported after its breakdown was booked: skipped, not booked again', async () => {
    const books = await booksWithReview(WHOLE);
    editReview(books, (rows) => (Object.assign(row(rows, 'BK-9'), { iso3: 'FRA' }), rows));
    writeFileSync(path.join(books, 'copy.csv'), readFileSync(path.join(books, 'bank-review.csv')));
    writeFileSync(path.join(books, 'given.xml'), GIVEN);
    expect((await run(['bank', 'import', 'given.xml', '--books', books, '--apply'], { cwd: books })).code).toBe(0);
    expect(booked(books, 'BK-9')).toBe(658000n);
    const r = await run(['bank', 'import', 'copy.csv', '--books', books, '--apply', '--format', 'json'], { cwd: books });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { lines: { action: string; reason: string }[] }).lines).toMatchObject([{ action: 'skip', reason: 'its entry is already booked from its breakdown (camt.054)' }]);
    expect(booked(books, 'BK-9')).toBe(658000n);
  });

  it('the whole batch and its transactions all completed in bank-review.csv (books of an earlier version): booked once, from the transactions', async () => {
    const books = await booksWithReview(PARTS);
    // the row of the whole batch, as an earlier version left it next to its breakdown
    const review = path.join(books, 'bank-review.csv');
    const text = readFileSync(review, 'utf8');
    const first = text.split('\n')[1]!;
    writeFileSync(review, `${text}${first.replace('|r:T91,', '|*,').replace(',1000.00,1000.00,', ',6580.00,6580.00,').replace(/,1,1,ex\.xml,/, ',1,0,ex.xml,')}\n`);
    expect(inReview(books, 'BK-9')).toBe(2n * 658000n);
    // (an earlier version wrote no check)
    editReview(books, (rows) => rows.map((x) => ({ ...x, iso3: 'FRA' })), OLD_COLUMNS);
    const r = await run(['bank', 'import', 'bank-review.csv', '--books', books, '--apply'], { cwd: books });
    expect(r.code).toBe(0);
    expect(booked(books, 'BK-9')).toBe(658000n);
    expect(rowsOf(review)).toEqual([]);
  });
});

describe('bank-review.csv given twice', () => {
  it('the same completed row in bank-review.csv and in a copy (or the file named twice) in one command: booked once', async () => {
    for (const files of [['bank-review.csv', 'copy.csv'], ['copy.csv', 'bank-review.csv'], ['bank-review.csv', 'bank-review.csv']]) {
      const books = await booksWithReview();
      editReview(books, (rows) => (Object.assign(row(rows, 'BK-1003'), { iso3: 'DEU', invoice: 'ISU-2026-003' }), rows));
      writeFileSync(path.join(books, 'copy.csv'), readFileSync(path.join(books, 'bank-review.csv')));
      const r = await run(['bank', 'import', ...files, '--books', books, '--apply', '--format', 'json'], { cwd: books });
      expect(r.code).toBe(0);
      expect((JSON.parse(r.stdout) as { lines: { action: string; reason: string }[] }).lines.map((l) => [l.action, l.reason])).toEqual([
        ['book', 'completed in bank-review.csv'],
        ['skip', `the same transaction as ${files[0]}:2`],
      ]);
      expect(booked(books, 'BK-1003')).toBe(900000n);
      // (left: the credit and its reversal of the round trip, recorded as not a contribution)
      expect(rowsOf(path.join(books, 'bank-review.csv')).map((r) => [r.key, r.decision])).toEqual([
        [`${IBAN}|BK-1006|1`, 'not a contribution'],
        [`${IBAN}|BK-1007|reversal|1`, 'not a contribution'],
      ]);
    }
  });
});

describe('the key of a row, as Excel and the officer leave it', () => {
  it("a row copied down with Excel's fill handle (its key …|1 made …|2, its bank_ref T3 made T4): refused at the key, not booked twice", async () => {
    const books = await booksWithReview();
    editReview(books, (rows) => {
      const r = Object.assign(row(rows, 'BK-1003'), { iso3: 'DEU', invoice: 'ISU-2026-003' });
      return [...rows, { ...r, key: r.key.replace(/1$/, '2'), bank_ref: 'T4' }];
    });
    // (line 5: after the DEU row and the credit and reversal recorded as not a contribution)
    await refused(books, ['bank-review.csv'], `bank-review.csv:5:1: error [bank-file] key: "${IBAN}|BK-1003|2" is not a key written by finproc bank import`);
    // the same with a key that still looks like one (…|#1 made …|#2): refused as the same transaction
    editReview(books, (rows) => rows.slice(0, 1).flatMap((r) => [{ ...r, key: r.key.replace(/\|1$/, '|#1') }, { ...r, key: r.key.replace(/\|1$/, '|#2') }]));
    await refused(books, ['bank-review.csv'], 'bank-review.csv:3:1: error [row-duplicate] key: the same bank transaction as line 2 (bank_file, bank_entry and bank_tx alike) under another key: a row copied?');
    expect(booked(books, 'BK-1003')).toBe(0n);
  });

  it('a key cut short: refused at the key (booked under it, the transaction would be listed again by the next import)', async () => {
    const books = await booksWithReview();
    editReview(books, (rows) => (Object.assign(row(rows, 'BK-1003'), { iso3: 'DEU', key: `${IBAN}|BK-1003` }), rows));
    await refused(books, ['bank-review.csv'], `bank-review.csv:2:1: error [bank-file] key: "${IBAN}|BK-1003" is not a key written by finproc bank import`);
  });
});

describe('a review file that is not the books’ own', () => {
  it('the bank-review.csv of other books (another account), completed: refused at the key, nothing booked into these books', async () => {
    const other = await booksWithReview(EXAMPLE.replace(/CH9300762011623852957/g, 'CH5604835012345678009'));
    editReview(other, (rows) => (Object.assign(row(rows, 'BK-1003'), { iso3: 'DEU' }), rows));
    const books = await booksWithReview();
    writeFileSync(path.join(books, 'other.csv'), readFileSync(path.join(other, 'bank-review.csv')));
    await refused(books, ['other.csv'], 'other.csv:2:1: error [bank-file] key: this transaction is not in bank-review.csv: a review file of other books, or a row removed since?');
  });

  it('a copy whose CHF differs from the books’ row: refused at the CHF', async () => {
    const books = await booksWithReview();
    const copy = path.join(books, 'copy.csv');
    saveAsExcel(copy, rowsOf(path.join(books, 'bank-review.csv')).map((r) => ({ ...r, chf: '900.00', amount: '900.00', iso3: 'DEU' })));
    await refused(books, ['copy.csv'], 'copy.csv:2:', 'error [bank-file] chf: "900.00", but CHF 9000.00 in bank-review.csv');
  });
});

describe('the cells Excel rewrites, in a row to book', () => {
  // BK-1005 (EUR 5000.00 sent, CHF 4700.00 credited) with a reference that proves nothing: to review.
  const FOREIGN = EXAMPLE.replace('<Ref>RF80ISU2026005</Ref>', '<Ref>RF00ISU2026005</Ref>');
  // BK-1003 paid with a Swiss QR reference that names no invoice: to review, its 27 digits in the reference.
  const QRR = '210000000003139471430009017';
  const QR = EXAMPLE.replace('<Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>RF37ISU2026008</Ref>', `<Prtry>QRR</Prtry></CdOrPrtry></Tp><Ref>${QRR}</Ref>`);

  it('9000.00 saved as 9000 (Excel, Swiss locale): the same amount, booked as the import wrote it', async () => {
    const books = await booksWithReview();
    editReview(books, (rows) => (Object.assign(row(rows, 'BK-1003'), { iso3: 'DEU', chf: '9000', amount: '9000' }), rows));
    const r = await run(['bank', 'import', 'bank-review.csv', '--books', books, '--apply'], { cwd: books });
    expect(r.stderr).toBe('');
    expect(readFileSync(path.join(books, 'payments.csv'), 'utf8')).toMatch(/\nBNK-20260302-[0-9A-F]{6},DEU,2026-03-02,9000\.00,CHF,9000\.00,isu,/);
  });

  it('an amount, a currency, a rate and a position as a French Excel saves them: refused at their cells in bank-review.csv, not at a line of payments.csv that is not there', async () => {
    const books = await booksWithReview(FOREIGN);
    expect(row(rowsOf(path.join(books, 'bank-review.csv')), 'BK-1005')).toMatchObject({ amount: '5000.00', currency: 'EUR', fx_rate: '0.94' });
    editReview(books, (rows) => (Object.assign(row(rows, 'BK-1005'), { iso3: 'IRL', amount: '5 000,00', currency: 'eur', fx_rate: '0,94', bank_tx: '1,0' }), rows));
    await refused(
      books,
      ['bank-review.csv'],
      'bank-review.csv:3:52: error [bank-file] amount: "5 000,00" is not the amount sent in eur (digits, a point) as the import wrote it',
      'bank-review.csv:3:61: error [bank-file] currency: "eur" is not a currency code (three capital letters) as the import wrote it',
      'bank-review.csv:3:65: error [bank-file] fx_rate: "0,94" is not an exchange rate (digits, a point) as the import wrote it',
      'error [bank-file] bank_tx: "1,0" is not a number as the import wrote it',
      'hint: Excel rewrites the dates and numbers of a CSV file it opens',
    );
    const r = await run(['bank', 'import', 'bank-review.csv', '--books', books, '--apply'], { cwd: books });
    expect(r.stderr).not.toContain('payments.csv');
    // a CHF amount other than the CHF credited
    editReview(books, (rows) => (Object.assign(row(rows, 'BK-1005'), { amount: '5000.00', currency: 'EUR', fx_rate: '0.94', bank_tx: '1' }), Object.assign(row(rows, 'BK-1003'), { iso3: 'DEU', amount: '900.00' }), rows));
    await refused(books, ['bank-review.csv'], 'bank-review.csv:2:52: error [bank-file] amount: "900.00" is not the amount of CHF 9000.00 credited as the import wrote it');
  });

  it('a date saved as 02.03.2026: refused at it, saying why (day and month either way round), not guessed', async () => {
    const books = await booksWithReview();
    editReview(books, (rows) => (Object.assign(row(rows, 'BK-1003'), { iso3: 'DEU', received: '02.03.2026' }), rows));
    await refused(books, ['bank-review.csv'], 'bank-review.csv:2:33: error [bank-file] received: "02.03.2026" is not the date (YYYY-MM-DD) as the import wrote it: day and month could be either way round');
  });

  it('a QR reference of 27 digits saved as 2.1E+26: refused at it, not written to payments.csv with its digits lost; empty, the row is booked', async () => {
    const books = await booksWithReview(QR);
    // written with an apostrophe before it, so that Excel keeps it as text (see below)
    expect(row(rowsOf(path.join(books, 'bank-review.csv')), 'BK-1003').reference).toBe(`'${QRR}`);
    editReview(books, (rows) => (Object.assign(row(rows, 'BK-1003'), { iso3: 'DEU', reference: '2.1E+26' }), rows));
    await refused(books, ['bank-review.csv'], 'error [bank-file] reference: "2.1E+26" is not the text of the bank file as the import wrote it: Excel made a number of its digits, and they are lost');
    editReview(books, (rows) => (Object.assign(row(rows, 'BK-1003'), { reference: '' }), rows));
    expect((await run(['bank', 'import', 'bank-review.csv', '--books', books, '--apply'], { cwd: books })).code).toBe(0);
    expect(booked(books, 'BK-1003')).toBe(900000n);
  });

  it('a QR reference of 27 digits is written with an apostrophe before it, kept by Excel as text, and read back as its digits: booked with them', async () => {
    const books = await booksWithReview(QR);
    editReview(books, (rows) => (Object.assign(row(rows, 'BK-1003'), { iso3: 'DEU' }), rows));
    const r = await run(['bank', 'import', 'bank-review.csv', '--books', books, '--apply'], { cwd: books });
    expect(r.code, r.stderr).toBe(0);
    // payments.csv guards it too; the ledger reads the digits (a statement shows them)
    expect(readFileSync(path.join(books, 'payments.csv'), 'utf8')).toContain(`,'${QRR},CH9300762011623852957|BK-1003|1,`);
    const st = await run(['statement', 'DEU', '--as-of', '2026-12-31', '--books', books, '--format', 'json'], { cwd: books });
    expect(st.code, st.stderr).toBe(0);
    expect(st.stdout).toContain(`ref. ${QRR},`);
    expect(st.stdout).not.toContain(`'${QRR}`);
  });
});

describe('the check of a row: a value the import wrote, edited so that no other rule can tell', () => {
  // (the check seals key, received, chf, amount, currency, fx_rate, bank_file, bank_entry and
  // bank_tx by their values; these cases were booked as edited before it)
  const FOREIGN = EXAMPLE.replace('<Ref>RF80ISU2026005</Ref>', '<Ref>RF00ISU2026005</Ref>');
  const sealed = 'error [bank-file] check: the columns the import wrote (key, received, chf, amount, currency, fx_rate, bank_file, bank_entry, bank_tx) are not as it wrote them: one was edited, or the row was copied over another';

  it('a CHF typed over (9000.00 made 9200.00, the amount too): refused at the check, nothing booked', async () => {
    const books = await booksWithReview();
    editReview(books, (rows) => (Object.assign(row(rows, 'BK-1003'), { iso3: 'DEU', chf: '9200.00', amount: '9200.00' }), rows));
    await refused(books, ['bank-review.csv'], `bank-review.csv:2:`, sealed, 'hint: write them back as they were');
    expect(booked(books, 'BK-1003')).toBe(0n);
  });

  it('another day, another key that the import could write, or another position in the file: refused at the check', async () => {
    for (const edit of [{ received: '2026-03-05' }, { key: 'CH9300762011623852957|BK-1099|1' }, { bank_entry: '4' }, { bank_file: 'ab'.repeat(32) }]) {
      const books = await booksWithReview();
      editReview(books, (rows) => (Object.assign(row(rows, 'BK-1003'), { iso3: 'DEU', ...edit }), rows));
      await refused(books, ['bank-review.csv'], sealed);
    }
  });

  it('an amount sent in EUR or its rate edited: refused at the check; as Excel saves them (5000, 4700, 0.940), booked as the import wrote them', async () => {
    for (const edit of [{ amount: '5100.00' }, { fx_rate: '0.95' }, { currency: 'USD' }]) {
      const books = await booksWithReview(FOREIGN);
      editReview(books, (rows) => (Object.assign(row(rows, 'BK-1005'), { iso3: 'IRL', ...edit }), rows));
      await refused(books, ['bank-review.csv'], sealed);
    }
    const books = await booksWithReview(FOREIGN);
    editReview(books, (rows) => (Object.assign(row(rows, 'BK-1005'), { iso3: 'IRL', chf: '4700', amount: '5000', fx_rate: '0.940', bank_entry: '05' }), rows));
    const r = await run(['bank', 'import', 'bank-review.csv', '--books', books, '--apply'], { cwd: books });
    expect(r.code, r.stderr).toBe(0);
    // (the CHF as the import wrote it; the amount sent and the rate as Excel left them: the same values)
    expect(readFileSync(path.join(books, 'payments.csv'), 'utf8')).toMatch(/\nBNK-20260302-[0-9A-F]{6},IRL,2026-03-02,5000,EUR,4700\.00,isu,.*,T5,5,1,0\.940\n/);
  });

  it('a reversal (CHF 1000.00 taken back) whose reason was typed over, completed with a State: refused as a reversal, not booked as CHF 1000.00 received', async () => {
    // the reversal of BK-1006, without the credit it takes back: to review, told by its reason alone
    const REVERSAL = EXAMPLE.split('\n').filter((l) => !l.startsWith('<Ntry>') || l.includes('<RvslInd>true</RvslInd>')).join('\n');
    const books = await booksWithReview(REVERSAL);
    expect(rowsOf(path.join(books, 'bank-review.csv')).map((x) => [x.chf, x.reason.slice(0, 36)])).toEqual([['1000.00', 'the reversal of a credit that is not']]);
    editReview(books, (rows) => rows.map((x) => ({ ...x, reason: 'asked the bank, 3 March', iso3: 'BEL' })));
    await refused(books, ['bank-review.csv'], 'error [bank-file] iso3: a reversal (money taken back) cannot be booked as a contribution (its reason, which said so, was changed)');
    expect(booked(books, 'BK-1007')).toBe(0n);
    // its reason as it was: refused as before
    editReview(books, (rows) => rows.map((x) => ({ ...x, reason: 'the reversal of a credit that is not in this import' })));
    await refused(books, ['bank-review.csv'], 'error [bank-file] iso3: a reversal (money taken back) cannot be booked as a contribution');
  });

  it("a CHF Excel grouped (9'000.00, as its Comma Style saves it): the same value, not an edit; booked as 9000.00", async () => {
    const books = await booksWithReview();
    editReview(books, (rows) => (Object.assign(row(rows, 'BK-1003'), { iso3: 'DEU', chf: "9'000.00", amount: '9’000.00' }), rows));
    const r = await run(['bank', 'import', 'bank-review.csv', '--books', books, '--apply'], { cwd: books });
    expect(r.code, r.stderr).toBe(0);
    expect(booked(books, 'BK-1003')).toBe(900000n);
  });

  it('the check emptied in a file written with it (the CHF typed over too): refused, the check does not turn itself off', async () => {
    const books = await booksWithReview();
    editReview(books, (rows) => (Object.assign(row(rows, 'BK-1003'), { iso3: 'DEU', chf: '9200.00', amount: '9200.00', check: '' }), rows));
    await refused(books, ['bank-review.csv'], "error [bank-file] check: the row's check is empty, though this file was written with one in every row");
    expect(booked(books, 'BK-1003')).toBe(0n);
  });

  it("a row dismissed under another transaction's key (Excel's fill handle, a row pasted over): refused, not taken as the other's dismissal", async () => {
    const books = await booksWithReview();
    editReview(books, (rows) => (Object.assign(row(rows, 'BK-1003'), { key: 'CH9300762011623852957|BK-1004|1', decision: 'not a contribution' }), rows));
    await refused(books, ['bank-review.csv'], 'error [bank-file] check: the columns the import wrote (key, received, chf, amount, currency, fx_rate, bank_file, bank_entry, bank_tx) are not as it wrote them: one was edited, or the row was copied over another (dismissed so, another transaction would be taken for this one)');
    // as the import wrote it, dismissed: fine; its date as Excel rewrites it: the warning of a date rewritten, not a refusal
    editReview(books, (rows) => (Object.assign(row(rows, 'BK-1004'), { key: 'CH9300762011623852957|BK-1003|1' }), rows));
    expect((await run(['bank', 'import', 'bank-review.csv', '--books', books, '--apply'], { cwd: books })).code).toBe(0);
    editReview(books, (rows) => (Object.assign(row(rows, 'BK-1003'), { received: '02.03.2026' }), rows));
    const r = await run(['check', '--books', books], { cwd: books });
    expect(r.stderr).toContain('received: "02.03.2026" is not as the import wrote it (YYYY-MM-DD), here and perhaps in other rows');
    expect(r.stderr).not.toContain('error [bank-file]');
  });

  it('what the officer may change is not sealed: the texts (a reference emptied, as the hint for one Excel spoilt says), the proposal, the reason', async () => {
    const books = await booksWithReview();
    editReview(books, (rows) => (Object.assign(row(rows, 'BK-1003'), { iso3: 'DEU', reference: '', debtor: 'Bundeskasse Trier', text: 'x', proposed_iso3: '', reason: 'seen' }), rows));
    const r = await run(['bank', 'import', 'bank-review.csv', '--books', books, '--apply'], { cwd: books });
    expect(r.code, r.stderr).toBe(0);
    expect(booked(books, 'BK-1003')).toBe(900000n);
  });

  it('a review file of an earlier version (no check column) is read as before; a new row gets its check in the column added at the end', async () => {
    const books = await booksWithReview(FOREIGN);
    const file = path.join(books, 'bank-review.csv');
    const rows = rowsOf(file);
    const old = COLUMNS.filter((c) => c !== 'check');
    writeFileSync(file, `${old.join(',')}\n${rows.filter((x) => x.key.includes('|BK-1003|')).map((x) => old.map((c) => (/[,"]/.test(x[c]) ? `"${x[c].replace(/"/g, '""')}"` : x[c])).join(',')).join('\n')}\n`);
    // BK-1005 listed again, its row added under the old header with its check at the end
    writeFileSync(path.join(books, 'again.xml'), FOREIGN);
    expect((await run(['bank', 'import', 'again.xml', '--books', books, '--apply'], { cwd: books })).code).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text.split('\n')[0]).toBe(`${old.join(',')},check`);
    expect(text.split('\n')[1]).toMatch(/,$/);
    expect(text.split('\n')[2]).toMatch(/,,,,c[0-9a-f]{16}$/);
    // the row without a check is booked as it stands (edited or not: nothing to tell it by)
    editReview(books, (r) => (Object.assign(row(r, 'BK-1003'), { iso3: 'DEU' }), r), [...OLD_COLUMNS, 'check']);
    const r = await run(['bank', 'import', 'bank-review.csv', '--books', books, '--apply'], { cwd: books });
    expect(r.code, r.stderr).toBe(0);
    expect(booked(books, 'BK-1003')).toBe(900000n);
    // deleted, the column no longer seals the rows that had it: such a file reads as one of an earlier version
    editReview(books, (r) => (Object.assign(row(r, 'BK-1005'), { iso3: 'IRL' }), r), OLD_COLUMNS);
    expect((await run(['bank', 'import', 'bank-review.csv', '--books', books, '--apply'], { cwd: books })).code).toBe(0);
  });
});

describe('finproc check on a review file of thousands of rows', () => {
  it('lists the first 20 rows awaiting, and the first 20 completed, one by one; the others in one warning each, with their CHF in all', async () => {
    const books = await booksWithReview();
    // the one row of the example, 25 times awaiting and 22 times completed (each its own transaction)
    editReview(books, (rows) => {
      const one = row(rows, 'BK-1003');
      const copy = (i: number, iso3: string) => ({ ...one, key: `CH9300762011623852957|BK-${2000 + i}|1`, bank_entry: String(100 + i), iso3 });
      return [...Array.from({ length: 25 }, (_, i) => copy(i, '')), ...Array.from({ length: 22 }, (_, i) => copy(100 + i, 'DEU'))];
    }, OLD_COLUMNS); // (rows made here, without a check)
    const r = await run(['check', '--books', books], { cwd: books });
    const warnings = r.stderr.split('\n').filter((l) => l.includes('warning [bank-review]'));
    expect(warnings.filter((l) => l.includes('a bank entry awaiting review: CHF 9000.00'))).toHaveLength(20);
    expect(warnings.filter((l) => l.includes('completed but not yet booked: DEU'))).toHaveLength(20);
    expect(warnings).toContain('bank-review.csv:22: warning [bank-review] 5 more bank entries awaiting review or their breakdown (CHF 45000.00 in all, lines 22 to 26), not listed one by one');
    expect(warnings).toContain('bank-review.csv:47: warning [bank-review] 2 more rows completed but not yet booked (CHF 18000.00 in all, lines 47 to 48), not listed one by one');
    expect(warnings).toHaveLength(42);
    // a CHF that does not read as one (as Excel may leave it) is not guessed into the total
    editReview(books, (rows) => (Object.assign(rows[23]!, { chf: '9 000,00' }), Object.assign(rows[24]!, { chf: '' }), rows), OLD_COLUMNS);
    const again = await run(['check', '--books', books], { cwd: books });
    expect(again.stderr).toContain('bank-review.csv:22: warning [bank-review] 5 more bank entries awaiting review or their breakdown (CHF 27000.00 in all, and 2 whose CHF cannot be read, lines 22 to 26), not listed one by one');
    expect(r.stderr).toMatch(/\n0 errors, \d+ warnings\n$/);
  });
});

describe('a row half completed by a tired officer', () => {
  it('the invoice written, the State not: refused at the invoice, not left to wait in silence ("0 to book"); check says so too', async () => {
    const books = await booksWithReview();
    editReview(books, (rows) => (Object.assign(row(rows, 'BK-1003'), { invoice: 'ISU-2026-003' }), rows));
    const where = 'bank-review.csv:2:';
    const what = 'error [bank-file] invoice: invoice says ISU-2026-003, but iso3 is empty: the row is not booked';
    await refused(books, ['bank-review.csv'], where, what);
    const c = await run(['check', '--books', books], { cwd: books });
    expect(c.code).toBe(1);
    expect(c.stderr).toContain(what);
  });

  it('"not a contribution" written in purpose or in iso3: refused, saying it goes in decision', async () => {
    const books = await booksWithReview();
    editReview(books, (rows) => (Object.assign(row(rows, 'BK-1003'), { purpose: 'Not a contribution' }), rows));
    await refused(books, ['bank-review.csv'], 'error [bank-file] purpose: "Not a contribution" is a decision, not a purpose: the row is neither booked nor dismissed', 'hint: write it in decision, and empty purpose');
    editReview(books, (rows) => (Object.assign(row(rows, 'BK-1003'), { purpose: '', iso3: 'not a contribution' }), rows));
    await refused(books, ['bank-review.csv'], 'error [iso3-invalid] iso3: "not a contribution" is not an ISO 3166-1 alpha-3 code', 'hint: "not a contribution" is written in decision, and iso3 left empty');
  });
});

describe('formula injection: what the review file guards, it un-guards exactly', () => {
  it("a payer's text that begins with an apostrophe and = ('=1+1) comes back as it was, not as the formula =1+1 (in payments.csv)", async () => {
    const books = await booksWithReview(EXAMPLE.replace('<Ref>RF37ISU2026008</Ref>', "<Ref>'=1+1</Ref>").replace('<Nm>Bundeskasse</Nm>', '<Nm>=HYPERLINK("http://x","Bundeskasse")</Nm>'));
    const text = readFileSync(path.join(books, 'bank-review.csv'), 'utf8');
    expect(text).toContain(`,"'=HYPERLINK(""http://x"",""Bundeskasse"")",''=1+1,`);
    editReview(books, (rows) => (Object.assign(row(rows, 'BK-1003'), { iso3: 'DEU' }), rows));
    const r = await run(['bank', 'import', 'bank-review.csv', '--books', books, '--apply'], { cwd: books });
    expect(r.code).toBe(0);
    // guarded in payments.csv as in the review (the ledger reads it back as '=1+1, see test/bank-formula.test.ts)
    expect(readFileSync(path.join(books, 'payments.csv'), 'utf8')).toMatch(/\nBNK-20260302-[0-9A-F]{6},DEU,2026-03-02,9000\.00,CHF,9000\.00,isu,,,,,''=1\+1,/);
  });
});

describe('the header of bank-review.csv', () => {
  it('renamed (Key, Décision): refused for its missing columns, not also as "not a camt.053, camt.054 or MT940 file"', async () => {
    const books = await booksWithReview();
    const file = path.join(books, 'bank-review.csv');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^key,/, 'Key,').replace(',decision\n', ',Décision\n'));
    await refused(books, ['bank-review.csv'], 'bank-review.csv:1:1: error [column-missing] missing required columns "key", "decision"');
    const r = await run(['bank', 'import', 'bank-review.csv', '--books', books, '--apply'], { cwd: books });
    expect(r.stderr).not.toContain('not a camt.053');
  });
});

describe('empty columns Excel saves right of the data', () => {
  it('one: a warning, and the row is booked; two: refused, saying what they are (not "column \\"\\" appears twice")', async () => {
    const books = await booksWithReview();
    const file = path.join(books, 'bank-review.csv');
    editReview(books, (rows) => (Object.assign(row(rows, 'BK-1003'), { iso3: 'DEU' }), rows));
    const saved = readFileSync(file, 'utf8');
    writeFileSync(file, saved.replace(/\r\n/g, ';;\r\n'));
    await refused(books, ['bank-review.csv'], 'error [column-duplicate] the header has several columns without a name', 'hint: a spreadsheet saves the empty columns right of the data once a cell there was used');
    writeFileSync(file, saved.replace(/\r\n/g, ';\r\n'));
    const r = await run(['bank', 'import', 'bank-review.csv', '--books', books, '--apply'], { cwd: books });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('warning [column-unknown] unknown column "" is ignored');
    expect(booked(books, 'BK-1003')).toBe(900000n);
  });
});

describe('rows left open in a review file Excel saved', () => {
  it('their dates rewritten (02.03.2026): the bank file imported again says so once, not that the bank gave its reference to another transaction on another day', async () => {
    const books = await booksWithReview();
    editReview(books, (rows) => rows.map((r) => ({ ...r, received: '02.03.2026' })));
    const r = await run(['bank', 'import', 'ex.xml', '--books', books], { cwd: books });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('bank-reference');
    expect(r.stderr).toContain('bank-review.csv:2:33: warning [bank-file] received: "02.03.2026" is not as the import wrote it (YYYY-MM-DD), here and perhaps in other rows: the row cannot be booked so');
  });
});
