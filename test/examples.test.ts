/**
 * The newcomer's path: every example in the README and in `--help` runs as written on a fresh
 * clone, and none writes into the tracked example books unless it says so.
 *
 * "A fresh clone" here is a copy of what a clone holds after `npm ci` (bin/, dist/, scripts/,
 * data/, package.json) in a temporary directory, so that the default books (`data/` beside the
 * program) are the copy's, never this checkout's. Each example runs in that directory through
 * bash (globs, `> /dev/null` work as a user would type them), with `finproc` and `npx finproc`
 * both meaning the copy's bin/finproc.cjs, and on a fresh copy of data/. An example may change
 * the books only if it says so: `--record`, `--apply`, an `invoice` run without `--preview`, a
 * `send` without `--dry-run`; any other change to data/ fails the test with the files changed.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

const CLONE = mkdtempSync(path.join(tmpdir(), 'finproc-clone-'));

/** What a command says about recording: it may change the books only then. */
export function saysItRecords(cmd: string): boolean {
  return /--record\b|--apply\b/.test(cmd) || (/^finproc invoice\b/.test(cmd) && !/--preview\b/.test(cmd)) || (/^finproc send\b/.test(cmd) && !/--dry-run\b/.test(cmd));
}

/**
 * The README's code-block lines that run `npx finproc`, as `finproc …` (comments after ` # `
 * dropped; a line ending in ` \` continues on the next, as in a shell).
 */
export function readmeExamples(readme: string): string[] {
  const out: string[] = [];
  let inCode = false;
  let pending = '';
  for (const line of readme.split('\n')) {
    if (line.startsWith('```')) {
      inCode = !inCode;
      pending = '';
      continue;
    }
    if (!inCode) continue;
    const text = pending + line.replace(/\s+#\s.*$/, '').trim();
    if (text.endsWith('\\')) {
      pending = text.slice(0, -1).trim() + ' ';
      continue;
    }
    pending = '';
    if (/(^|&& )npx finproc\b/.test(text)) out.push(text.replace(/\bnpx finproc\b/g, 'finproc'));
  }
  return out;
}

/** The `finproc …` lines under "Examples:" in a help text, without their explanation (after two spaces). */
export function helpExamples(help: string): string[] {
  const m = /\nExamples[^\n]*:\n/.exec(help);
  if (!m) return [];
  const out: string[] = [];
  for (const line of help.slice(m.index + m[0].length).split('\n')) {
    if (!/^\s/.test(line) || line.trim() === '') {
      if (out.length) break;
      continue;
    }
    const cmd = line.trim().split(/\s{2,}/)[0]!;
    if (cmd.startsWith('finproc ')) out.push(cmd);
  }
  return out;
}

function treeHash(dir: string): Map<string, string> {
  const m = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else m.set(path.relative(dir, p), createHash('sha256').update(readFileSync(p)).digest('hex'));
    }
  };
  walk(dir);
  return m;
}

function changed(before: Map<string, string>, after: Map<string, string>): string[] {
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort();
  return keys.filter((k) => before.get(k) !== after.get(k));
}

/** Each worker runs its share of the examples, one after the other, in a copy of its own. */
const WORKERS = 3;
const cloneOf = (w: number) => path.join(CLONE, `w${w}`);
const shimOf = (w: number) => path.join(cloneOf(w), '.shim');

function run(w: number, cmd: string): Promise<{ status: number | null; stderr: string }> {
  const clone = cloneOf(w);
  rmSync(path.join(clone, 'data'), { recursive: true, force: true });
  cpSync(path.join(ROOT, 'data'), path.join(clone, 'data'), { recursive: true });
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', cmd], { cwd: clone, env: { ...process.env, PATH: `${shimOf(w)}:${process.env.PATH}`, NO_COLOR: '1', COLUMNS: '100' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c.length + stderr.length < 1 << 20 ? c : ''));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stderr });
    });
  });
}

let examples: { where: string; cmd: string }[] = [];

beforeAll(() => {
  for (let w = 0; w < WORKERS; w++) {
    for (const part of ['bin', 'dist', 'scripts', 'data', 'package.json']) cpSync(path.join(ROOT, part), path.join(cloneOf(w), part), { recursive: true });
    // the copy resolves its dependencies from this checkout's node_modules, as `npm ci` would have installed them
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(cloneOf(w), 'node_modules'));
    mkdirSync(shimOf(w));
    writeFileSync(path.join(shimOf(w), 'finproc'), `#!/bin/sh\nexec node "${path.join(cloneOf(w), 'bin', 'finproc.cjs')}" "$@"\n`, { mode: 0o755 });
  }
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  examples = readmeExamples(readme).map((cmd) => ({ where: 'README.md', cmd }));
  const top = execFileSync('node', [path.join(cloneOf(0), 'bin', 'finproc.cjs'), '--help'], { encoding: 'utf8', cwd: cloneOf(0) });
  for (const cmd of helpExamples(top)) examples.push({ where: 'finproc --help', cmd });
  const names = [...top.matchAll(/^ {2}([a-z][a-z-]*) /gm)].map((m) => m[1]!).filter((n) => n !== 'help');
  const helpOf = (args: string[]) => execFileSync('node', [path.join(cloneOf(0), 'bin', 'finproc.cjs'), ...args, '--help'], { encoding: 'utf8', cwd: cloneOf(0) });
  for (const name of names) {
    const help = helpOf([name]);
    for (const cmd of helpExamples(help)) examples.push({ where: `finproc ${name} --help`, cmd });
    // a command with subcommands (bank import): their examples too
    const subs = help.includes('\nCommands:\n') ? [...help.slice(help.indexOf('\nCommands:\n')).matchAll(/^ {2}([a-z][a-z-]*) /gm)].map((m) => m[1]!).filter((n) => n !== 'help') : [];
    for (const sub of subs) for (const cmd of helpExamples(helpOf([name, sub]))) examples.push({ where: `finproc ${name} ${sub} --help`, cmd });
  }
}, 120_000);

afterAll(() => rmSync(CLONE, { recursive: true, force: true }));

describe('the examples of the README and of --help', () => {
  it('are found: the README and every command with examples in its help', () => {
    expect(examples.filter((e) => e.where === 'README.md').length).toBeGreaterThanOrEqual(20);
    const helps = new Set(examples.filter((e) => e.where !== 'README.md').map((e) => e.where));
    for (const c of ['check', 'apportion', 'explain', 'arrears', 'statement', 'meeting-costs', 'invoice', 'remind', 'cashflow', 'simulate', 'bank import', 'report', 'send', 'acknowledge']) expect(helps).toContain(`finproc ${c} --help`);
  });

  it('the extraction reads a help text as a user would', () => {
    expect(helpExamples('x\n\nExamples:\n  finproc a --b 1     what it does\n  finproc c (x)\n\nBooks: y\n  finproc not-this')).toEqual(['finproc a --b 1', 'finproc c (x)']);
    expect(readmeExamples('```\nnpx finproc check      # silent\nfinproc no\ncp a b && \\\n  npx finproc x --y   # z\n```\nnpx finproc outside')).toEqual(['finproc check', 'cp a b && finproc x --y']);
    expect(saysItRecords('finproc invoice --year 2026')).toBe(true);
    expect(saysItRecords('finproc invoice --year 2026 --preview')).toBe(false);
    expect(saysItRecords('finproc apportion --year 2027 --record --issue-date 2027-01-15')).toBe(true);
    expect(saysItRecords('finproc arrears --as-of 2026-08-18')).toBe(false);
  });

  it('each runs as written on a fresh clone (exit 0, or 4 where it asks for --fail-on) and writes into the books only if it says so', async () => {
    const failures: string[] = [];
    const before = treeHash(path.join(ROOT, 'data'));
    await Promise.all(
      Array.from({ length: WORKERS }, async (_, w) => {
        for (let i = w; i < examples.length; i += WORKERS) {
          const { where, cmd } = examples[i]!;
          const r = await run(w, cmd);
          const ok = r.status === 0 || (r.status === 4 && /--fail-on/.test(cmd));
          if (!ok) failures.push(`${where}: \`${cmd}\` exited ${r.status}: ${r.stderr.split('\n').slice(0, 4).join(' | ')}`);
          const diff = changed(before, treeHash(path.join(cloneOf(w), 'data')));
          if (diff.length && !saysItRecords(cmd)) failures.push(`${where}: \`${cmd}\` changed the books without saying so: ${diff.join(', ')}`);
        }
      }),
    );
    expect(failures.sort()).toEqual([]);
    // the copies' outputs exist where the examples say (a sample, so that "ran" means "wrote")
    expect(Array.from({ length: WORKERS }, (_, w) => existsSync(path.join(cloneOf(w), 'out', 'apportionment-2026.json')))).toContain(true);
  }, 600_000);
});
