/**
 * Issue 12, concurrency: commands that write the books run one at a time under a lock on
 * the books directory (src/io/lock.ts). Each case below was observed before the lock: two
 * `invoice` runs at once gave the same number and RF to two States, two `apportion --record`
 * recorded a year twice or lost one, two runs on one --out left half a register.
 * The runs are real processes (bin/finproc.cjs, built by `npm run build`) started together.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { booksWith, ROOT, run } from './helpers.js';
import { withBooksLock, BooksLockedError, LOCK_FILE } from '../src/io/lock.js';

const BIN = path.join(ROOT, 'bin', 'finproc.cjs');
const tmp = () => mkdtempSync(path.join(tmpdir(), 'finproc-conc-'));
const csv = (file: string) => parse(readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true }) as Record<string, string>[];

interface Proc {
  code: number;
  stdout: string;
  stderr: string;
}
function spawnRun(args: string[]): Promise<Proc> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
/** A PID that certainly runs no longer: a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(r.stdout.toString());
}

describe('the lock on the books', () => {
  it('a second run stops at once with exit 5, naming the PID, the command and since when', async () => {
    const books = booksWith();
    let seen: { code: number; stderr: string } | undefined;
    await withBooksLock(books, async () => {
      const r = await run(['invoice', '--year', '2026', '--books', books, '--states', 'AUT', '--out', tmp()]);
      seen = { code: r.code, stderr: r.stderr };
    }, { command: 'invoice --year 2026' });
    expect(seen!.code).toBe(5);
    expect(seen!.stderr).toMatch(new RegExp(`books are in use by PID ${process.pid} \\(finproc invoice --year 2026\\) since \\d{4}-\\d\\d-\\d\\dT`));
    expect(seen!.stderr).toContain('--wait');
    // Released: nothing recorded by the refused run, the lock file gone, the next run goes through.
    expect(existsSync(path.join(books, 'invoices.csv'))).toBe(false);
    expect(existsSync(path.join(books, LOCK_FILE))).toBe(false);
    expect((await run(['invoice', '--year', '2026', '--books', books, '--states', 'AUT', '--out', tmp()])).code).toBe(0);
  });

  it('is released when the command fails, and --wait waits for it', async () => {
    const books = booksWith();
    await expect(withBooksLock(books, () => { throw new Error('boom'); })).rejects.toThrow('boom');
    expect(existsSync(path.join(books, LOCK_FILE))).toBe(false);
    // Held for 300 ms by one holder, a second with wait 5 s gets it after; with wait 0 it fails.
    const order: string[] = [];
    const first = withBooksLock(books, async () => { order.push('first in'); await new Promise((r) => setTimeout(r, 300)); order.push('first out'); });
    await new Promise((r) => setTimeout(r, 20));
    await expect(withBooksLock(books, () => 0)).rejects.toBeInstanceOf(BooksLockedError);
    await withBooksLock(books, () => void order.push('second'), { wait: 5 });
    await first;
    expect(order).toEqual(['first in', 'first out', 'second']);
  });

  it('a lock left by a process killed outright (its PID gone) is broken by the next run, which says so', async () => {
    const books = booksWith();
    const pid = deadPid();
    writeFileSync(path.join(books, LOCK_FILE), JSON.stringify({ pid, host: hostname(), command: 'invoice --year 2026', since: '2026-01-01T00:00:00.000Z', token: 'x' }));
    const r = await run(['apportion', '--year', '2026', '--books', books, '--record', '--issue-date', '2026-01-15']);
    expect(r.stderr).toContain(`removed a stale lock ${path.join(books, LOCK_FILE)} left by PID ${pid}`);
    // 2026 is already recorded in the example books: the run got the lock and read the books.
    expect(r.stderr).toContain('already-recorded');
    expect(existsSync(path.join(books, LOCK_FILE))).toBe(false);
  });

  it('a lock of another host is never broken: the message says which file to remove', async () => {
    const books = booksWith();
    writeFileSync(path.join(books, LOCK_FILE), JSON.stringify({ pid: 1, host: 'elsewhere.example', command: 'invoice --year 2026', since: '2026-01-01T00:00:00.000Z', token: 'x' }));
    const r = await run(['invoice', '--year', '2026', '--books', books, '--states', 'AUT', '--out', tmp()]);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('in use by PID 1 on elsewhere.example');
    expect(r.stderr).toContain(`remove ${path.join(books, LOCK_FILE)}`);
  });

  it('--wait is refused where nothing writes the books, and must be a number', async () => {
    expect((await run(['apportion', '--year', '2026', '--wait', '5'])).code).toBe(2);
    expect((await run(['apportion', '--year', '2026', '--record', '--issue-date', '2026-01-15', '--wait', 'soon'])).stderr).toContain('expected a number of seconds');
  });
});

describe('runs at once (separate processes)', () => {
  it('two invoice --reissue runs at once never give one number or RF to two States', async () => {
    const books = booksWith();
    // Both States invoiced, then their amounts changed by a late payment each: both need --reissue.
    expect((await run(['invoice', '--year', '2026', '--books', books, '--states', 'MEX,AUT', '--out', tmp()])).code).toBe(0);
    const reg = csv(path.join(books, 'invoices.csv'));
    const pay = readFileSync(path.join(books, 'payments.csv'), 'utf8');
    writeFileSync(path.join(books, 'payments.csv'), pay + reg.map((r, i) => `PAY-2026-9999${i},${r.iso3},${r.issued},1000.00,CHF,1000.00,isu,,,,,late entry\n`).join(''));
    const [a, b] = await Promise.all([
      spawnRun(['invoice', '--year', '2026', '--books', books, '--states', 'MEX', '--out', tmp(), '--reissue', '--issue-date', '2026-02-01', '--wait', '60']),
      spawnRun(['invoice', '--year', '2026', '--books', books, '--states', 'AUT', '--out', tmp(), '--reissue', '--issue-date', '2026-02-01', '--wait', '60']),
    ]);
    expect(a.stderr + b.stderr).toBe('');
    expect([a.code, b.code]).toEqual([0, 0]);
    const rows = csv(path.join(books, 'invoices.csv'));
    // 2 first invoices + per State a credit note and a new invoice: nothing lost.
    expect(rows).toHaveLength(6);
    const numbers = rows.map((r) => r.number);
    expect(new Set(numbers).size).toBe(numbers.length);
    const refs = rows.filter((r) => r.kind === 'invoice').map((r) => r.reference);
    expect(new Set(refs).size).toBe(refs.length);
    expect(new Set(rows.filter((r) => r.kind === 'invoice' && r.replaces).map((r) => r.iso3))).toEqual(new Set(['MEX', 'AUT']));
  }, 60_000);

  it('two invoice runs at once on one --out keep a complete register, in the books and in --out', async () => {
    const books = booksWith();
    const out = tmp();
    const [a, b] = await Promise.all([
      spawnRun(['invoice', '--year', '2026', '--books', books, '--states', 'AUT,BEL,CHE', '--out', out, '--wait', '60']),
      spawnRun(['invoice', '--year', '2026', '--books', books, '--states', 'FRA,MEX,SEN', '--out', out, '--wait', '60']),
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const states = ['AUT', 'BEL', 'CHE', 'FRA', 'MEX', 'SEN'];
    expect(csv(path.join(books, 'invoices.csv')).map((r) => r.iso3).sort()).toEqual(states);
    // The run that went second saw the first one's rows: register-2026.csv in --out lists all six.
    expect(csv(path.join(out, 'register-2026.csv')).map((r) => r.iso3).sort()).toEqual(states);
    const numbers = csv(path.join(books, 'invoices.csv')).map((r) => r.number);
    expect(new Set(numbers).size).toBe(6);
  }, 60_000);

  it('two apportion --record of one year at once record it once; a meeting recorded meanwhile is not lost', async () => {
    const books = booksWith({ 'budgets.csv': (t) => t + '2027,630000.00,CHF,policy.yaml,test\n' });
    const part = path.join(books, 'participants.csv');
    writeFileSync(part, 'iso3\nAUT\nFRA\nMEX\n');
    const rec = ['apportion', '--year', '2027', '--books', books, '--record', '--issue-date', '2027-01-15', '--wait', '60'];
    const [a, b, m] = await Promise.all([
      spawnRun(rec),
      spawnRun(rec),
      spawnRun(['meeting-costs', '--meeting', 'MSP15', '--year', '2027', '--estimate', '100000.00', '--participants', part, '--books', books, '--record', '--issue-date', '2027-02-01', '--wait', '60']),
    ]);
    // One records 2027, the other finds it recorded (exit 1, already-recorded); the meeting is recorded too.
    expect([a.code, b.code].sort()).toEqual([0, 1]);
    expect(a.stderr + b.stderr).toContain('already-recorded');
    expect(m.code).toBe(0);
    const rows = csv(path.join(books, 'assessments.csv'));
    const y2027 = rows.filter((r) => r.year === '2027' && r.purpose === 'isu');
    const invoices = new Set(y2027.map((r) => r.invoice));
    const payers = new Set(y2027.map((r) => r.iso3));
    expect(invoices.size).toBe(payers.size);
    expect(y2027.length).toBeGreaterThan(100);
    expect(rows.filter((r) => r.purpose === 'meeting' && r.category === 'MSP15').map((r) => r.iso3).sort()).toEqual(['AUT', 'FRA', 'MEX']);
    // The example years are all still there.
    for (const y of ['2019', '2026']) expect(rows.some((r) => r.year === y)).toBe(true);
  }, 60_000);
});
