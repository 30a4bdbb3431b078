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

describe('wide tables on a terminal are laid out again to fit it', () => {
  it('arrears, statement, bank import and meeting-costs fit 100 columns on a terminal; every cell is still there; piped output is unchanged', async () => {
    const { run } = await import('./helpers.js');
    const cases = [
      ['arrears', '--as-of', '2026-08-18'],
      ['statement', 'MEX', '--as-of', '2026-08-18'],
      ['bank', 'import', 'data/bank/camt054-example.xml'],
      ['meeting-costs', '--meeting', 'MSP14', '--year', '2026', '--estimate', '450000.00', '--participants', 'data/meetings/MSP14-participants.csv'],
    ];
    for (const args of cases) {
      const tty = await run([...args, '--no-color'], { tty: true, env: { COLUMNS: '100' } });
      const piped = await run(args);
      expect(tty.code, args.join(' ')).toBe(0);
      expect(Math.max(...[...tty.stdout.split('\n')].map((l) => [...l].length)), args.join(' ')).toBeLessThanOrEqual(100);
      expect(Math.max(...piped.stdout.split('\n').map((l) => [...l].length)), args.join(' ')).toBeGreaterThan(100);
      // every word and number of the piped table is on the terminal, as often (cells may wrap or move to a block)
      const words = (t: string) => t.split(/\s+/).filter((x) => /\d/.test(x)).sort();
      for (const x of new Set(words(piped.stdout))) expect(tty.stdout.includes(x), `${args.join(' ')}: ${x}`).toBe(true);
    }
  });

  it('fitRenderedTables keeps a table that fits byte for byte, and reads the columns off the rule', async () => {
    const { fitRenderedTables, textTable } = await import('../src/render/text.js');
    const t = textTable([{ title: 'ISO3' }, { title: 'State' }, { title: 'Amount', align: 'right' }], [['AUT', 'Austria', "9'030.79"], ['ATG', 'Antigua and Barbuda', '1.00']]);
    expect(fitRenderedTables(t, 100)).toBe(t);
    const narrow = fitRenderedTables(t, 28).split('\n');
    for (const l of narrow) expect([...l].length).toBeLessThanOrEqual(28);
    expect(narrow.join('\n')).toContain("9'030.79");
    expect(narrow.join('\n')).toMatch(/Antigua and\s*\n\s+Barbuda|Antigua\s/);
  });
});
