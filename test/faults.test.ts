/**
 * Issue 12, faults: a full disk, a file size limit, a process killed outright, and an --out
 * that names the books' own files. Each case was observed before the fix: a partial .tmp left
 * while saying "nothing was written", hundreds of .tmp files that later runs never removed, a
 * partial set of invoices with no register row, and `--out BOOKS/budgets.csv` replacing the
 * adopted budgets.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { writeAtomically, sweepLeftovers } from '../src/cli/output.js';
import { booksWith, ROOT, run } from './helpers.js';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'finproc-fault-'));
const csv = (file: string) => parse(readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
const temps = (dir: string) => readdirSync(dir).filter((f) => f.includes('.tmp'));
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString());
}
/** A write that puts half the bytes on disk, then fails as a full disk (or a size limit) does. */
function failingAfter(n: number, code: 'ENOSPC' | 'EFBIG') {
  let calls = 0;
  return {
    writeFile: (file: string, content: string | Uint8Array) => {
      const text = typeof content === 'string' ? content : Buffer.from(content).toString('latin1');
      if (++calls === n) {
        writeFileSync(file, text.slice(0, text.length >> 1), { flag: 'wx' });
        throw Object.assign(new Error(`${code}: simulated`), { code });
      }
      writeFileSync(file, content, { flag: 'wx' });
    },
  };
}

describe('temporary files are removed on every failure', () => {
  for (const code of ['ENOSPC', 'EFBIG'] as const)
    it(`${code} part-way through the second file: no partial file left, the old files intact`, () => {
      const dir = tmp();
      writeFileSync(path.join(dir, 'a.txt'), 'old a');
      const files = ['a.txt', 'b.txt', 'c.txt'].map((n) => ({ path: path.join(dir, n), content: `new ${n} `.repeat(100) }));
      expect(() => writeAtomically(files, failingAfter(2, code))).toThrow(code);
      expect(readdirSync(dir)).toEqual(['a.txt']);
      expect(readFileSync(path.join(dir, 'a.txt'), 'utf8')).toBe('old a');
    });

  it('a real file size limit (ulimit -f): the command says so, names the file, and leaves no .tmp', () => {
    const out = tmp();
    const r = spawnSync('bash', ['-c', `ulimit -f 8; exec "${process.execPath}" bin/finproc.cjs apportion --year 2026 --out "${out}"`], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    expect(r.status).toBe(2);
    expect(r.stderr.toString()).toMatch(/cannot write .*apportionment-2026\.\w+: file too large \(a file size limit: ulimit -f\); nothing was written/);
    expect(readdirSync(out)).toEqual([]);
  });
});

describe('a run killed outright: the next run cleans up and says so', () => {
  it('removes the temporary files of a dead process, keeps those of a live one, puts back a file set aside', () => {
    const dir = tmp();
    const dead = deadPid();
    writeFileSync(path.join(dir, 'a.csv'), 'current a');
    writeFileSync(path.join(dir, `.a.csv.${dead}-0123456789ab.tmp`), 'partial');
    // b.csv was moved aside and the process died before the new one was renamed in.
    writeFileSync(path.join(dir, `.b.csv.${dead}-0123456789ab.tmp.previous`), 'previous b');
    // A run still alive (this process's parent) is left alone.
    writeFileSync(path.join(dir, `.c.csv.${process.ppid}-0123456789ab.tmp`), 'in progress');
    writeFileSync(path.join(dir, 'notes.tmp'), 'not ours');
    const left = sweepLeftovers(dir);
    expect(left.removed.map((p) => path.basename(p))).toEqual([`.a.csv.${dead}-0123456789ab.tmp`]);
    expect(left.restored.map((p) => path.basename(p))).toEqual(['b.csv']);
    expect(readFileSync(path.join(dir, 'b.csv'), 'utf8')).toBe('previous b');
    expect(readdirSync(dir).sort()).toEqual([`.c.csv.${process.ppid}-0123456789ab.tmp`, 'a.csv', 'b.csv', 'notes.tmp']);
  });

  it('the next command writing there reports what it removed', async () => {
    const out = tmp();
    writeFileSync(path.join(out, `.apportionment-2026.csv.${deadPid()}-0123456789ab.tmp`), 'partial');
    const r = await run(['apportion', '--year', '2026', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('warning: removed 1 temporary file left by an interrupted run');
    expect(temps(out)).toEqual([]);
  });

  it('kill -9 during invoice: no document without its register row; the next run removes the .tmp files and completes the documents', async () => {
    const books = booksWith();
    const out = tmp();
    mkdirSync(out, { recursive: true });
    const p = spawn(process.execPath, [path.join(ROOT, 'bin', 'finproc.cjs'), 'invoice', '--year', '2026', '--books', books, '--format', 'html,md', '--out', out], { cwd: ROOT, stdio: 'ignore' });
    // Kill it as soon as its temporary files appear (staging ~400 files takes a while).
    const killed = await new Promise<boolean>((resolve) => {
      const t0 = Date.now();
      const poll = () => {
        if (temps(out).length > 20) {
          p.kill('SIGKILL');
          resolve(true);
        } else if (Date.now() - t0 > 20_000 || p.exitCode !== null) resolve(false);
        else setTimeout(poll, 2);
      };
      poll();
    });
    if (p.exitCode === null && p.signalCode === null) await new Promise((r) => p.once('exit', r));
    expect(killed, 'the run was killed while staging').toBe(true);
    expect(temps(out).length).toBeGreaterThan(0);
    const registered = existsSync(path.join(books, 'invoices.csv')) ? new Set(csv(path.join(books, 'invoices.csv')).map((r) => r.number)) : new Set<string>();
    for (const f of readdirSync(out).filter((f) => /^[A-Z]{3}-ISU-/.test(f))) expect(registered.has(f.replace(/^[A-Z]{3}-|\.(html|md)$/g, '')), f).toBe(true);
    // The lock it held is stale; the next run breaks it, removes the temporary files and writes everything.
    const again = await run(['invoice', '--year', '2026', '--books', books, '--format', 'html,md', '--out', out]);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('removed a stale lock');
    expect(again.stderr).toMatch(/removed \d+ temporary files left by an interrupted run/);
    expect(temps(out)).toEqual([]);
    expect(temps(books)).toEqual([]);
    const rows = csv(path.join(books, 'invoices.csv'));
    for (const r of rows) for (const ext of ['html', 'md']) expect(existsSync(path.join(out, `${r.iso3}-${r.number}.${ext}`)), r.number).toBe(true);
  }, 60_000);
});

describe('--out never replaces the books', () => {
  it('refuses --out naming budgets.csv, a policy, or a new CSV in the books; the budgets stay as they were', async () => {
    const books = booksWith();
    const before = readFileSync(path.join(books, 'budgets.csv'), 'utf8');
    for (const target of ['budgets.csv', 'policy.yaml', 'policies/article14.yaml', 'new.csv']) {
      const r = await run(['apportion', '--year', '2026', '--books', books, '--format', target.endsWith('.csv') ? 'csv' : 'json', '--out', path.join(books, target)]);
      expect(r.code, target).toBe(2);
      expect(r.stderr, target).toContain('a file of the books');
    }
    // A directory --out that is the books directory itself would add CSV files to it.
    expect((await run(['apportion', '--year', '2026', '--books', books, '--out', books])).code).toBe(2);
    expect(readFileSync(path.join(books, 'budgets.csv'), 'utf8')).toBe(before);
  });

  it('refuses --out naming the --policy or --participants file, also through a symbolic link, and a cashflow over payments.csv', async () => {
    const books = booksWith();
    const pol = path.join(tmp(), 'p.yaml');
    writeFileSync(pol, readFileSync(path.join(books, 'policy.yaml')));
    const r = await run(['apportion', '--year', '2026', '--books', books, '--policy', pol, '--format', 'json', '--out', pol]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('an input named on the command line');
    const part = path.join(tmp(), 'p.csv');
    writeFileSync(part, 'iso3\nAUT\nFRA\n');
    const m = await run(['meeting-costs', '--books', books, '--meeting', 'M1', '--year', '2026', '--estimate', '1000.00', '--participants', part, '--format', 'csv', '--out', part]);
    expect(m.code).toBe(2);
    expect(readFileSync(part, 'utf8')).toBe('iso3\nAUT\nFRA\n');
    const link = path.join(tmp(), 'link.csv');
    spawnSync('ln', ['-s', path.join(books, 'payments.csv'), link]);
    const c = await run(['cashflow', '--year', '2026', '--books', books, '--format', 'csv', '--out', link]);
    expect(c.code).toBe(2);
    expect(c.stderr).toContain(`(a link to ${path.join(books, 'payments.csv')}) would replace a file of the books`);
  });

  it('an --out directory beside the books, or inside it for documents, is fine', async () => {
    const books = booksWith();
    expect((await run(['apportion', '--year', '2026', '--books', books, '--out', path.join(books, 'reports')])).code).toBe(0);
    expect((await run(['invoice', '--year', '2026', '--books', books, '--states', 'AUT', '--preview', '--out', path.join(books, 'invoices-2026')])).code).toBe(0);
    expect((await run(['invoice', '--year', '2026', '--books', books, '--states', 'AUT', '--preview', '--out', path.join(books, 'invoices-2026')])).code).toBe(0);
  });
});
