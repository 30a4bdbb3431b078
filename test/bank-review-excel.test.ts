/**
 * bank-review.csv for a Swiss or French Excel (docs/bank.md, "--apply: what is written"): with
 * --csv-dialect excel a new review file is written with ";", a byte order mark and CRLF, so that
 * Excel opens it in columns with its accents right; the officer completes it there and it is
 * imported back. A review file that exists keeps its own dialect.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bankBooks, EXAMPLE } from './bank-books.js';
import { run } from './helpers.js';

const KEY = 'CH9300762011623852957|BK-1003|1';

describe('a new bank-review.csv in Excel\'s dialect', () => {
  it('is written with ";", a BOM and CRLF, completed as Excel saves it, and booked', async () => {
    const books = bankBooks();
    writeFileSync(path.join(books, 'ex.xml'), EXAMPLE);
    const a = await run(['bank', 'import', 'ex.xml', '--books', books, '--apply', '--csv-dialect', 'excel'], { cwd: books });
    expect(a.code, a.stderr).toBe(0);
    const review = readFileSync(path.join(books, 'bank-review.csv'), 'utf8');
    expect(review.startsWith('\uFEFFkey;received;chf;amount;currency;fx_rate;debtor;reference;text;bank_file;')).toBe(true);
    expect(review.split('\r\n').length).toBeGreaterThan(2);
    expect(review.replace(/\r\n/g, '')).not.toContain('\n');
    // BK-1003 (RF37ISU2026008, an invoice the books do not have) awaits the officer
    const row = review.split('\r\n').find((l) => l.startsWith(`${KEY};`))!;
    expect(row).toMatch(/^CH9300762011623852957\|BK-1003\|1;2026-03-02;9000\.00;9000\.00;CHF;;Bundeskasse;RF37ISU2026008;/);
    expect(row.endsWith(';;;;')).toBe(true);

    // completed in Excel (iso3 DEU), saved as it was opened
    writeFileSync(path.join(books, 'bank-review.csv'), review.replace(`${row}\r\n`, `${row.slice(0, -4)};DEU;;;\r\n`));
    const before = readFileSync(path.join(books, 'payments.csv'), 'utf8');
    const b = await run(['bank', 'import', 'bank-review.csv', '--books', books, '--apply'], { cwd: books });
    expect(b.code, b.stderr).toBe(0);
    const after = readFileSync(path.join(books, 'payments.csv'), 'utf8');
    expect(after.slice(before.length)).toMatch(/^BNK-20260302-[0-9A-F]{6},DEU,2026-03-02,9000\.00,CHF,9000\.00,isu,,,,,RF37ISU2026008,CH9300762011623852957\|BK-1003\|1,/);
    // the row booked is taken out; the file keeps its dialect
    const left = readFileSync(path.join(books, 'bank-review.csv'), 'utf8');
    expect(left).not.toContain(KEY);
    expect(left.startsWith('\uFEFFkey;')).toBe(true);
  });

  it('without the option, RFC 4180 as before; and a review file that exists keeps its own dialect', async () => {
    const books = bankBooks();
    writeFileSync(path.join(books, 'ex.xml'), EXAMPLE);
    expect((await run(['bank', 'import', 'ex.xml', '--books', books, '--apply'], { cwd: books })).code).toBe(0);
    const review = readFileSync(path.join(books, 'bank-review.csv'), 'utf8');
    expect(review.startsWith('key,received,chf,')).toBe(true);
    expect(review).not.toContain('\r\n');
    // another bank file later, with --csv-dialect excel: the file stays as it is, rows added in its dialect
    writeFileSync(path.join(books, 'more.xml'), EXAMPLE.replace(/BK-100/g, 'BK-200').replace(/<AcctSvcrRef>T(\d)<\/AcctSvcrRef>/g, '<AcctSvcrRef>U$1</AcctSvcrRef>'));
    expect((await run(['bank', 'import', 'more.xml', '--books', books, '--apply', '--csv-dialect', 'excel'], { cwd: books })).code).toBe(0);
    const more = readFileSync(path.join(books, 'bank-review.csv'), 'utf8');
    expect(more.startsWith(review)).toBe(true);
    expect(more).toContain('CH9300762011623852957|BK-2003|1,2026-03-02,9000.00,');
    expect(more.charCodeAt(0)).not.toBe(0xfeff);
    expect(more).not.toContain('\r\n');
  });
});
