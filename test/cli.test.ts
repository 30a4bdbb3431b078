/**
 * The command line as a user meets it: help, formats, colour, files, reruns.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { booksWith, ROOT, run } from './helpers.js';

const ESC = '\u001b[';

describe('help', () => {
  it('lists the commands with one line each', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['check', 'apportion', 'explain', 'arrears', 'statement', 'pledges', 'meeting-costs', 'invoice', 'remind']) expect(r.stdout).toMatch(new RegExp(`^  ${c}\\b.*\\S`, 'm'));
    // No command's line wraps onto a second line (at commander's 80 columns when piped).
    const commands = r.stdout.split('Commands:\n')[1]!.split('\n\n')[0]!.split('\n');
    expect(commands.every((l) => /^  \S/.test(l))).toBe(true);
  });
  for (const c of ['check', 'apportion', 'explain', 'arrears', 'statement', 'pledges', 'meeting-costs', 'invoice', 'remind']) {
    it(`${c} --help has an example`, async () => {
      const r = await run([c, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Examples:\n\s+finproc /);
    });
  }
  it('wrong usage exits 2 with a pointer to --help', async () => {
    for (const args of [['apportion'], ['apportion', '--year', '26'], ['apportion', '--year', '2026', '--budget', '1,000'], ['nonsense']]) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain('--help');
    }
  });
  it('no command: the help on stderr and exit 2, as documented; `finproc help` is a request (exit 0)', async () => {
    const none = await run([]);
    expect(none.code).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toContain('Usage: finproc');
    expect(none.stderr).toContain('2 wrong usage (also: no command)');
    const help = await run(['help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: finproc');
  });
  it('--version exits 0', async () => {
    const r = await run(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});

describe('apportion output', () => {
  it('check is silent and exits 0 on the example books', async () => {
    const r = await run(['check']);
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('JSON is the versioned document with amounts as strings that sum to the total', async () => {
    const r = await run(['apportion', '--year', '2026', '--format', 'json']);
    const doc = JSON.parse(r.stdout) as { schema: string; currency: string; total: string; lines: { iso3: string; category: string; amount: string }[]; inputs: { file: string; sha256: string }[] };
    expect(doc.schema).toBe('finproc.apportionment/1');
    expect(doc.currency).toBe('CHF');
    expect(doc.total).toBe('618250.00');
    let cents = 0n;
    for (const l of doc.lines) {
      expect(l.amount).toMatch(/^\d+\.\d{2}$/);
      cents += BigInt(l.amount.replace('.', ''));
    }
    expect(cents).toBe(61825000n);
    expect(doc.inputs.map((f) => f.file)).toEqual(['budgets.csv', 'ldc.csv', 'parties.csv', 'policy.yaml', 'scale.csv', 'states.csv']);
    for (const f of doc.inputs) expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('the same command twice gives byte-identical files, whatever the directory, locale or time zone', async () => {
    const a = mkdtempSync(path.join(tmpdir(), 'finproc-a-'));
    const b = mkdtempSync(path.join(tmpdir(), 'finproc-b-'));
    const bin = path.join(ROOT, 'bin', 'finproc.cjs');
    const r1 = spawnSync(process.execPath, [bin, 'apportion', '--year', '2026', '--out', a], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, TZ: 'UTC', LANG: 'C' } });
    const r2 = spawnSync(process.execPath, [bin, 'apportion', '--year', '2026', '--books', path.join(ROOT, 'data'), '--out', b], { cwd: tmpdir(), encoding: 'utf8', env: { ...process.env, TZ: 'Pacific/Kiritimati', LANG: 'fr_CH.UTF-8', LC_ALL: 'fr_CH.UTF-8' } });
    expect(r1.status).toBe(0);
    expect(r2.status).toBe(0);
    const files = readdirSync(a).sort();
    expect(files).toEqual(['apportionment-2026.csv', 'apportionment-2026.json', 'apportionment-2026.md', 'apportionment-2026.txt']);
    expect(readdirSync(b).sort()).toEqual(files);
    for (const f of files) expect(readFileSync(path.join(b, f)).equals(readFileSync(path.join(a, f))), f).toBe(true);
  });

  it('CSV is RFC 4180 by default and the Excel dialect on request (";", BOM, CRLF)', async () => {
    const rfc = (await run(['apportion', '--year', '2026', '--format', 'csv'])).stdout;
    expect(rfc.startsWith('iso3,name,')).toBe(true);
    expect(rfc).toContain('\r\n');
    const xl = (await run(['apportion', '--year', '2026', '--format', 'csv', '--csv-dialect', 'excel'])).stdout;
    expect(xl.startsWith('\uFEFFiso3;name;')).toBe(true);
    expect(xl.split('\r\n').length).toBe(rfc.split('\r\n').length);
    const rows = parse(xl, { delimiter: ';', bom: true, columns: true }) as Record<string, string>[];
    expect(rows.find((r) => r.iso3 === 'AUT')!.total).toMatch(/^\d+\.\d{2}$/);
  });

  it('text cells cannot inject formulas; amounts stay plain numbers', async () => {
    const dir = booksWith({ 'states.csv': (t) => t.replace('AUT,Austria,', 'AUT,"=HYPERLINK(""http://x"",""y"")",').replace('BEL,Belgium,', 'BEL,+Belgium,').replace('CHE,Switzerland,', 'CHE,@SUM(A1),') });
    const r = await run(['apportion', '--year', '2026', '--books', dir, '--format', 'csv']);
    expect(r.code).toBe(0);
    const rows = parse(r.stdout, { columns: true }) as Record<string, string>[];
    const byIso = (k: string) => rows.find((x) => x.iso3 === k)!;
    expect(byIso('AUT').name).toBe(`'=HYPERLINK("http://x","y")`);
    expect(byIso('BEL').name).toBe(`'+Belgium`);
    expect(byIso('CHE').name).toBe(`'@SUM(A1)`);
    for (const row of rows) for (const k of ['base', 'scale', 'total']) if (row[k]) expect(row[k]).toMatch(/^-?\d+\.\d{2}$/);
  });

  it('--out FILE takes the format from the extension and writes atomically', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'finproc-out-'));
    const r = await run(['apportion', '--year', '2026', '--out', path.join(dir, 'a.json')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(JSON.parse(readFileSync(path.join(dir, 'a.json'), 'utf8')).schema).toBe('finproc.apportionment/1');
    expect(readdirSync(dir)).toEqual(['a.json']);
    const bad = await run(['apportion', '--year', '2026', '--out', path.join(dir, 'a.xlsx')]);
    expect(bad.code).toBe(2);
  });

  it('--out DIR prints a summary that reconciles to the budget on a terminal, and nothing when piped', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'finproc-out-'));
    const r = await run(['apportion', '--year', '2026', '--out', dir, '--no-color'], { tty: true });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Apportionment 2026: CHF 618'250.00 among 112 States Parties");
    expect(r.stdout).toContain("lines sum to 618'250.00 = 618'250.00");
    const piped = await run(['apportion', '--year', '2026', '--out', dir]);
    expect(piped).toEqual({ code: 0, stdout: '', stderr: '' });
    // --verbose (what `npm start` passes): one line saying what was written where, also when piped
    const verbose = await run(['apportion', '--year', '2026', '--out', dir, '--verbose']);
    expect(verbose.code).toBe(0);
    expect(verbose.stdout.split('\n')).toEqual([`wrote ${['txt', 'csv', 'json', 'md'].map((e) => path.join(dir, `apportionment-2026.${e}`)).join(', ')}`, '']);
    const file = await run(['-v', 'apportion', '--year', '2026', '--out', path.join(dir, 'a.csv')]);
    expect(file.stdout).toBe(`wrote ${path.join(dir, 'a.csv')}\n`);
  });

  it('--budget overrides the adopted budget and says so', async () => {
    const r = await run(['apportion', '--year', '2026', '--budget', "650'000.00", '--format', 'json']);
    const doc = JSON.parse(r.stdout) as { total: string; budget_source: string };
    expect(doc.total).toBe('650000.00');
    expect(doc.budget_source).toBe('command line');
  });
});

describe('colour', () => {
  it('none when piped, none with NO_COLOR even on a terminal, some with FORCE_COLOR or --color', async () => {
    const args = ['apportion', '--year', '2026'];
    expect((await run(args)).stdout).not.toContain(ESC);
    expect((await run(args, { tty: true, env: { NO_COLOR: '1' } })).stdout).not.toContain(ESC);
    expect((await run(args, { tty: true })).stdout).toContain(ESC);
    expect((await run([...args, '--no-color'], { tty: true })).stdout).not.toContain(ESC);
    expect((await run(args, { env: { FORCE_COLOR: '1' } })).stdout).toContain(ESC);
    expect((await run(['--color', ...args])).stdout).toContain(ESC);
  });
});

describe('explain', () => {
  it('traces a State whose share is held at the LDC maximum, and agrees with apportion', async () => {
    const ap = JSON.parse((await run(['apportion', '--year', '2026', '--format', 'json'])).stdout) as { lines: { iso3: string; category: string; amount: string }[] };
    const held = ap.lines.filter((l) => l.category === 'scale' && (l.amount === '61.83' || l.amount === '61.82'));
    expect(held.length).toBeGreaterThan(0);
    const iso3 = held[0]!.iso3;
    const e = JSON.parse((await run(['explain', iso3, '--year', '2026', '--format', 'json'])).stdout) as { steps: { category: string; bound: { kind: string; limit: string } | null; rounded: string }[]; total: string };
    const step = e.steps.find((s) => s.category === 'scale')!;
    expect(step.bound).toMatchObject({ kind: 'ldc_max', limit: '61.825' });
    expect(step.rounded).toBe(held[0]!.amount);
    const text = (await run(['explain', iso3.toLowerCase(), '--year', '2026'])).stdout;
    // The bound as its rule and amount: 0.01 % of the 2026 budget of 618,250.00 = 61.825.
    expect(text).toContain('Bound applied: ldc_max: 0.01 % of the total = 61.825 ');
  });

  it('shows the pro-rata of a State that withdrew during the year', async () => {
    const r = await run(['explain', 'LTU', '--year', '2025']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('bound on the first day of 3 of the 12 months of 2025');
  });

  it('says why a State pays nothing', async () => {
    const r = await run(['explain', 'LTU', '--year', '2026']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('LTU pays nothing in 2026 under policy ccm-illustrative: its withdrawal took effect on 2025-03-06.\n');
    const s = await run(['explain', 'AGO', '--year', '2026', '--format', 'json']);
    expect(JSON.parse(s.stdout)).toMatchObject({ iso3: 'AGO', total: null, pays_nothing_because: 'not a State Party' });
    const x = await run(['explain', 'XYZ', '--year', '2026']);
    expect(x.code).toBe(2);
    expect(x.stderr).toContain('XYZ is not in states.csv');
  });
});

describe('the core is pure', () => {
  it('src/core imports no file system, process, clock or terminal', () => {
    const dir = path.join(ROOT, 'src', 'core');
    for (const f of readdirSync(dir)) {
      const text = readFileSync(path.join(dir, f), 'utf8');
      expect(text, f).not.toMatch(/from 'node:|from 'fs'|from 'chalk'|require\(|import\(|process\.|Date\.now|new Date\(|Math\.random|console\.|Intl\.|localeCompare|toLocale/);
    }
  });
});


describe('the layers', () => {
  // cli → render → io → core, no arrow back up (issue 15): a module may import its own layer
  // and the layers below it, never one above. Checked on every import, static or lazy.
  const RANK: Record<string, number> = { core: 0, io: 1, render: 2, cli: 3 };
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
  it('no module imports a layer above its own', () => {
    const src = path.join(ROOT, 'src');
    const upward: string[] = [];
    for (const f of files(src)) {
      const layer = path.relative(src, f).split(path.sep)[0]!;
      for (const m of readFileSync(f, 'utf8').matchAll(/(?:from|import\()\s*'(\.{1,2}\/[^']+)'/g)) {
        const target = path.relative(src, path.resolve(path.dirname(f), m[1]!)).split(path.sep)[0]!;
        if (RANK[target]! > RANK[layer]!) upward.push(`${path.relative(src, f)} → ${m[1]}`);
      }
    }
    expect(upward).toEqual([]);
    expect(files(src).length).toBeGreaterThan(40);
  });
  it('every command is its own module: main.ts defines none', () => {
    const main = readFileSync(path.join(ROOT, 'src', 'cli', 'main.ts'), 'utf8');
    expect(main).not.toMatch(/\.command\(/);
    const registered = readFileSync(path.join(ROOT, 'src', 'cli', 'commands', 'index.ts'), 'utf8');
    for (const f of readdirSync(path.join(ROOT, 'src', 'cli', 'commands')).filter((x) => x !== 'index.ts'))
      expect(registered, f).toContain(`'./${f.replace(/\.ts$/, '.js')}'`);
  });
});
