/**
 * A bank reference given again (docs/bank.md, "Idempotence"): a transaction with the identity
 * of one already booked, in bank-review.csv or in another file of the import, with the same
 * direction and CHF but received on another day, is skipped as the same transaction (one
 * booking has one value date in every file; a date corrected by hand in the books must not
 * book a payment twice) and said: a `bank-reference` warning naming both, and the line's
 * reason. The same day gives no warning.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bankBooks, onlyEntry } from './bank-books.js';
import { run } from './helpers.js';

interface Line { entry: number; key: string; received: string; action: string; reason: string; payment_id: string | null }
const laterDay = (l: string) => l.replace(/2026-03-02/g, '2026-04-02');

async function propose(books: string, files: string[]) {
  const r = await run(['bank', 'import', ...files, '--books', books, '--format', 'json'], { cwd: books });
  expect(r.code, r.stderr).toBe(0);
  return { lines: (JSON.parse(r.stdout) as { lines: Line[] }).lines, stderr: r.stderr };
}

describe('a bank reference given again on another day', () => {
  it('against payments.csv: skipped, with a warning naming the payment and both dates; nothing booked twice', async () => {
    const books = bankBooks();
    writeFileSync(path.join(books, 'a.xml'), onlyEntry('BK-1001'));
    const a = await run(['bank', 'import', 'a.xml', '--books', books, '--apply'], { cwd: books });
    expect(a.code, a.stderr).toBe(0);
    const payments = readFileSync(path.join(books, 'payments.csv'), 'utf8');
    const id = /^(BNK-20260302-[0-9A-F]+),AUT,2026-03-02,3000\.00,/m.exec(payments)?.[1];
    expect(id).toBeDefined();

    writeFileSync(path.join(books, 'b.xml'), onlyEntry('BK-1001', laterDay));
    const { lines, stderr } = await propose(books, ['b.xml']);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ action: 'skip', received: '2026-04-02', reason: `already booked as ${id}; but received on 2026-04-02, there on 2026-03-02 (see the warning)` });
    expect(stderr).toContain(`b.xml: warning [bank-reference] entry 1 transaction 1 (CHF 3000.00, received 2026-04-02) has the bank's identity of payment ${id} of payments.csv, received 2026-03-02 (${lines[0]!.key})`);
    expect(stderr).toContain('hint: if these are two transactions');

    const b = await run(['bank', 'import', 'b.xml', '--books', books, '--apply'], { cwd: books });
    expect(b.code, b.stderr).toBe(0);
    expect(readFileSync(path.join(books, 'payments.csv'), 'utf8')).toBe(payments);
  });

  it('the same day again: skipped without a warning', async () => {
    const books = bankBooks();
    writeFileSync(path.join(books, 'a.xml'), onlyEntry('BK-1001'));
    expect((await run(['bank', 'import', 'a.xml', '--books', books, '--apply'], { cwd: books })).code).toBe(0);
    const { lines, stderr } = await propose(books, ['a.xml']);
    expect(lines[0]).toMatchObject({ action: 'skip' });
    expect(lines[0]!.reason).toMatch(/^already booked as BNK-20260302-[0-9A-F]+$/);
    expect(stderr).toBe('');
  });

  it('in two files of one import: the first booked, the second skipped with the warning, in either order', async () => {
    const books = bankBooks();
    writeFileSync(path.join(books, 'a.xml'), onlyEntry('BK-1001'));
    writeFileSync(path.join(books, 'b.xml'), onlyEntry('BK-1001', laterDay));
    for (const [first, second, on, other] of [['a.xml', 'b.xml', '2026-03-02', '2026-04-02'], ['b.xml', 'a.xml', '2026-04-02', '2026-03-02']] as const) {
      const { lines, stderr } = await propose(books, [first, second]);
      expect(lines.map((l) => [l.received, l.action])).toEqual([[on, 'book'], [other, 'skip']]);
      expect(lines[1]!.reason).toBe(`the same transaction as ${first} entry 1 transaction 1; but received on ${other}, there on ${on} (see the warning)`);
      expect(stderr).toContain(`${second}: warning [bank-reference] entry 1 transaction 1 (CHF 3000.00, received ${other}) has the bank's identity of ${first} entry 1 transaction 1, received ${on}`);
    }
  });

  it('the reason the line had (the bank\'s charges) is kept, the date said after it', async () => {
    const books = bankBooks();
    writeFileSync(path.join(books, 'a.xml'), onlyEntry('BK-1001'));
    expect((await run(['bank', 'import', 'a.xml', '--books', books, '--apply'], { cwd: books })).code).toBe(0);
    // the payer sent 3010.00, the bank credited 3000.00, a month later under the same reference
    writeFileSync(path.join(books, 'b.xml'), onlyEntry('BK-1001', (l) => laterDay(l).replace('<TxDtls><Refs><AcctSvcrRef>T1</AcctSvcrRef><EndToEndId>NOTPROVIDED</EndToEndId></Refs><Amt Ccy="CHF">3000.00</Amt>', '<TxDtls><Refs><AcctSvcrRef>T1</AcctSvcrRef><EndToEndId>NOTPROVIDED</EndToEndId></Refs><Amt Ccy="CHF">3010.00</Amt>')));
    const { lines } = await propose(books, ['b.xml']);
    expect(lines[0]!.reason).toMatch(/^already booked as BNK-20260302-[0-9A-F]+; the payer's transfer was 3010\.00; the bank credited 3000\.00 \(charges 10\.00\); but received on 2026-04-02, there on 2026-03-02 \(see the warning\)$/);
  });

  it('an entry given whole on one day and with its details on another: the warning is of the one skipped (the one without details)', async () => {
    const books = bankBooks();
    writeFileSync(path.join(books, 'whole.xml'), onlyEntry('BK-1001', (l) => l.replace(/<NtryDtls>.*<\/NtryDtls>/, '')));
    writeFileSync(path.join(books, 'detailed.xml'), onlyEntry('BK-1001', laterDay));
    for (const files of [['whole.xml', 'detailed.xml'], ['detailed.xml', 'whole.xml']]) {
      const { lines, stderr } = await propose(books, files);
      const whole = lines.find((l) => l.received === '2026-03-02')!;
      const detailed = lines.find((l) => l.received === '2026-04-02')!;
      expect(detailed.action).toBe('book');
      expect(detailed.reason).not.toContain('received on');
      expect(whole.action).toBe('skip');
      // (read first, it is replaced by the one with details; read second, skipped as its twin)
      const why = files[0] === 'whole.xml' ? 'the same transaction as detailed.xml entry 1, which has its details' : 'the same transaction as detailed.xml entry 1 transaction 1';
      expect(whole.reason).toBe(`${why}; but received on 2026-03-02, there on 2026-04-02 (see the warning)`);
      expect(stderr).toContain(`whole.xml: warning [bank-reference] entry 1 (CHF 3000.00, received 2026-03-02) has the bank's identity of detailed.xml entry 1 transaction 1, received 2026-04-02`);
      expect(stderr.match(/\[bank-reference\]/g)).toHaveLength(1);
    }
  });

  it('against a row of bank-review.csv: skipped, with the warning', async () => {
    const books = bankBooks();
    writeFileSync(path.join(books, 'a.xml'), onlyEntry('BK-1001'));
    const key = (await propose(books, ['a.xml'])).lines[0]!.key;
    writeFileSync(path.join(books, 'bank-review.csv'), `key,received,chf,iso3,invoice,decision\n${key},2026-02-27,3000.00,,,\n`);
    const { lines, stderr } = await propose(books, ['a.xml']);
    expect(lines[0]).toMatchObject({ action: 'skip', reason: 'already in bank-review.csv, awaiting review; but received on 2026-03-02, there on 2026-02-27 (see the warning)' });
    expect(stderr).toContain('warning [bank-reference]');
  });
});
