/** Atomic writes: all files or none, the previous ones put back on a failure part-way. */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeAtomically } from '../src/cli/output.js';

describe('writeAtomically', () => {
  it('writes every file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'finproc-w-'));
    writeAtomically([
      { path: path.join(dir, 'a.txt'), content: 'A' },
      { path: path.join(dir, 'sub', 'b.txt'), content: 'B' },
    ]);
    expect(readFileSync(path.join(dir, 'a.txt'), 'utf8')).toBe('A');
    expect(readFileSync(path.join(dir, 'sub', 'b.txt'), 'utf8')).toBe('B');
    expect(readdirSync(dir).sort()).toEqual(['a.txt', 'sub']);
  });

  it('puts back the files it replaced when a rename fails part-way, and leaves no temporary file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'finproc-w-'));
    const names = ['a.txt', 'b.txt', 'c.txt'];
    for (const n of names) writeFileSync(path.join(dir, n), `old ${n}`);
    let renames = 0;
    // The third rename into place fails (after a.txt has been replaced and b.txt set aside).
    const failing = {
      rename: (from: string, to: string) => {
        if (from.endsWith('.tmp') && ++renames === 2) throw Object.assign(new Error('simulated failure'), { code: 'EIO' });
        renameSync(from, to);
      },
    };
    expect(() => writeAtomically(names.map((n) => ({ path: path.join(dir, n), content: `new ${n}` })), failing)).toThrow('simulated failure');
    for (const n of names) expect(readFileSync(path.join(dir, n), 'utf8')).toBe(`old ${n}`);
    expect(readdirSync(dir).sort()).toEqual(names);
  });

  it('refuses a target that is a directory before writing anything', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'finproc-w-'));
    writeFileSync(path.join(dir, 'a.txt'), 'old');
    mkdirSync(path.join(dir, 'b.txt'));
    expect(() => writeAtomically([{ path: path.join(dir, 'a.txt'), content: 'new' }, { path: path.join(dir, 'b.txt'), content: 'x' }])).toThrow();
    expect(readFileSync(path.join(dir, 'a.txt'), 'utf8')).toBe('old');
    expect(existsSync(path.join(dir, 'b.txt'))).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['a.txt', 'b.txt']);
  });
});

describe('prose wraps to the terminal; tables and pipes are left whole', () => {
  it('wrapProse: a long sentence wraps within the width, a "Label:   text" line hangs under its text, table rows and rules stay whole', async () => {
    const { wrapProse } = await import('../src/render/text.js');
    const long = 'Source:    ' + Array.from({ length: 30 }, (_, i) => `word${i}`).join(' ');
    const table = 'AUT   Austria      9\'030.79     0.00   ' + 'x'.repeat(80);
    const out = wrapProse([long, table, '-'.repeat(120), ''].join('\n'), 60).split('\n');
    const wrapped = out.slice(0, out.indexOf(table));
    expect(wrapped.length).toBeGreaterThan(2);
    for (const l of wrapped) expect(l.length).toBeLessThanOrEqual(60);
    for (const l of wrapped.slice(1)) expect(l.startsWith(' '.repeat('Source:    '.length) + 'word')).toBe(true);
    expect(wrapped.join(' ').replace(/\s+/g, ' ')).toBe(long.replace(/\s+/g, ' '));
    expect(out).toContain(table);
    expect(out).toContain('-'.repeat(120));
    expect(wrapProse(long, undefined)).toBe(long);
  });

  it('explain on a 100-column terminal fits it; piped, its lines are whole', async () => {
    const { run } = await import('./helpers.js');
    const tty = await run(['explain', 'NER', '--year', '2026', '--no-color'], { tty: true, env: { COLUMNS: '100' } });
    expect(tty.code).toBe(0);
    expect(Math.max(...tty.stdout.split('\n').map((l) => l.length))).toBeLessThanOrEqual(100);
    const piped = await run(['explain', 'NER', '--year', '2026']);
    expect(Math.max(...piped.stdout.split('\n').map((l) => l.length))).toBeGreaterThan(100);
    expect(piped.stdout.replace(/\s+/g, ' ')).toBe(tty.stdout.replace(/\s+/g, ' '));
  });
});
