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
