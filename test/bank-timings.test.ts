/**
 * `bank import --timings`: where the time of an import went, on stderr only. The output and
 * the books written are the same bytes with it as without it; the phases are listed in the
 * order they ran, and the total is their sum.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bankBooks } from './bank-books.js';
import { DATA, run } from './helpers.js';

const FILE = path.join(DATA, 'bank', 'camt054-example.xml');
const PHASES = [
  'start-up (Node.js, the program)',
  'the books (their lock, ledger, bank-review.csv)',
  'reading the bank files',
  'deciding the entries (matching)',
  'batches, reversals, payment ids',
  'payments.csv (its text)',
  'bank-review.csv (its text)',
  'the books as written, checked',
  'writing the files',
  'printing the proposal',
];

describe('bank import --timings', () => {
  it('lists every phase of an --apply on stderr, with their total; the output and the books are unchanged', async () => {
    const plain = bankBooks();
    const timed = bankBooks();
    const a = await run(['bank', 'import', FILE, '--books', plain, '--apply', '--format', 'json'], { cwd: plain });
    const b = await run(['bank', 'import', FILE, '--books', timed, '--apply', '--format', 'json', '--timings'], { cwd: timed });
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    // (the paths of the two sets of books differ in the JSON's "written")
    expect(b.stdout.split(timed).join('BOOKS')).toBe(a.stdout.split(plain).join('BOOKS'));
    for (const f of ['payments.csv', 'bank-review.csv']) expect(readFileSync(path.join(timed, f), 'utf8')).toBe(readFileSync(path.join(plain, f), 'utf8'));
    expect(a.stderr).not.toMatch(/timings/);
    expect(b.stderr.startsWith(a.stderr)).toBe(true);

    const block = b.stderr.slice(a.stderr.length).split('\n').filter((l) => l !== '');
    expect(block[0]).toBe('timings (wall time, ms):');
    const rows = block.slice(1).map((l) => /^ {2}(.+?) +(\d+)$/.exec(l));
    expect(rows.every((r) => r !== null)).toBe(true);
    const names = rows.map((r) => r![1]!);
    expect(names).toEqual([...PHASES, 'total']);
    const ms = rows.map((r) => Number(r![2]));
    // each is rounded on its own: the total is their sum within half a millisecond each
    expect(Math.abs(ms.slice(0, -1).reduce((x, y) => x + y, 0) - ms.at(-1)!)).toBeLessThanOrEqual(PHASES.length / 2);
  });

  it('an import that fails says its phases up to the error, then the errors, with the same exit code and output', async () => {
    const dir = bankBooks();
    const bad = path.join(dir, 'cut.xml');
    writeFileSync(bad, readFileSync(FILE, 'utf8').slice(0, 900));
    const a = await run(['bank', 'import', bad, '--books', dir, '--apply'], { cwd: dir });
    const b = await run(['bank', 'import', bad, '--books', dir, '--apply', '--timings'], { cwd: dir });
    expect(a.code).not.toBe(0);
    expect(b.code).toBe(a.code);
    expect(b.stdout).toBe(a.stdout);
    const at = b.stderr.indexOf('  (stopped by the errors below)\n');
    expect(b.stderr.startsWith('timings (wall time, ms):\n')).toBe(true);
    expect(at).toBeGreaterThan(0);
    expect(b.stderr.slice(at + '  (stopped by the errors below)\n'.length)).toBe(a.stderr);
    expect(readFileSync(path.join(dir, 'payments.csv'), 'utf8')).toBe(readFileSync(path.join(bankBooks(), 'payments.csv'), 'utf8'));
  });

  it('without --apply, nothing is written and the phases of writing are not listed', async () => {
    const dir = bankBooks();
    const r = await run(['bank', 'import', FILE, '--books', dir, '--timings'], { cwd: dir });
    expect(r.code).toBe(0);
    const names = [...r.stderr.matchAll(/^ {2}(.+?) +\d+$/gm)].map((m) => m[1]);
    expect(names).toEqual(['start-up (Node.js, the program)', 'the books (their lock, ledger, bank-review.csv)', 'reading the bank files', 'deciding the entries (matching)', 'batches, reversals, payment ids', 'printing the proposal', 'total']);
  });
});
