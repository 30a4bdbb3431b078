/**
 * Regressions from the hostile-input hunt (one test per finding): crashes, hangs, silent
 * acceptance of bad or ambiguous input, output that could be damaged or could damage.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { toCsv } from '../src/render/csv.js';
import { booksWith, DATA, ROOT, run } from './helpers.js';

const bin = path.join(ROOT, 'bin', 'finproc.cjs');
const check = async (dir: string) => run(['check', '--books', dir], { cwd: dir });
const codes = (stderr: string) => [...stderr.matchAll(/(error|warning) \[([a-z0-9-]+)\]/g)].map((m) => `${m[1]}:${m[2]}`);

describe('no crash, no hang', () => {
  it('an unquoted * in the policy (a YAML alias) is a policy-yaml error at its line', async () => {
    const dir = booksWith({ 'policy.yaml': (t) => t.replace('name: Equal base share (non-LDC)', 'name: *Equal*') });
    const r = await check(dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^policy\.yaml:\d+:\d+: error \[policy-yaml\]/m);
    expect(r.stderr).not.toContain('internal error');
  });

  it('a full disk on stdout is one line and exit 1, not a stack trace', () => {
    const r = spawnSync(process.execPath, [bin, 'apportion', '--year', '2026'], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', shell: false, env: { ...process.env } });
    expect(r.status).toBe(0);
    const full = spawnSync('sh', ['-c', `"${process.execPath}" "${bin}" apportion --year 2026 > /dev/full`], { encoding: 'utf8' });
    expect(full.status).toBe(1);
    expect(full.stderr.trim().split('\n')).toHaveLength(1);
    expect(full.stderr).toContain('cannot write the output');
  });

  it('--out under /proc fails at once (Node 20 recursive mkdir would hang there)', () => {
    const r = spawnSync(process.execPath, [bin, 'apportion', '--year', '2026', '--out', '/proc/finproc-test-out'], { encoding: 'utf8', timeout: 20_000 });
    expect(r.signal).toBeNull();
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--out: cannot write');
  });
});

describe('bad input is refused, not absorbed', () => {
  it('a fixed category cannot take a member selector (its money would go nowhere)', async () => {
    const dir = booksWith({ 'policy.yaml': (t) => t + '  - { id: host, name: Host, basis: fixed, members: rest, amounts: { CHE: "50000.00" } }\n' });
    expect(codes((await check(dir)).stderr)).toContain('error:policy-schema');
  });

  it('a blank or zero UN rate in scale.csv is an error, never a notional rate', async () => {
    const blank = booksWith({ 'scale.csv': (t) => t.replace(/^DEU,Germany,([\d.]+),([\d.]+),[\d.]+$/m, 'DEU,Germany,$1,$2,') });
    expect(codes((await check(blank)).stderr)).toContain('error:value-missing');
    const zero = booksWith({ 'scale.csv': (t) => t.replace(/^CHE,Switzerland,([\d.]+),([\d.]+),[\d.]+$/m, 'CHE,Switzerland,$1,$2,0.000') });
    expect(codes((await check(zero)).stderr)).toContain('error:amount-invalid');
  });

  it('a name with a line break or a control character is refused; the CSV writer quotes line breaks anyway', async () => {
    const dir = booksWith({ 'states.csv': (t) => t.replace('BEL,Belgium,', 'BEL,"Bel\ngium",').replace('AUT,Austria,', 'AUT,Aus\u001b[2Jtria,') });
    const r = await check(dir);
    expect(codes(r.stderr).filter((c) => c === 'error:value-invalid')).toHaveLength(2);
    expect(r.stderr).not.toContain('\u001b');
    expect(toCsv([{ title: 'name', kind: 'text' }], [['a\nb']], 'rfc4180')).toBe('name\r\n"a\nb"\r\n');
  });

  it('an escape sequence in a cell is shown, not played, when the line is quoted', async () => {
    const dir = booksWith({ 'budgets.csv': (t) => t.replace('2026,618250.00', '2026,\u001b[2J618250.00') });
    const r = await check(dir);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain('\u001b');
    expect(r.stderr).toContain('\\u{1b}');
  });

  it('amounts beyond 15 integer digits, and "618.250" for money, are refused', async () => {
    const big = await run(['apportion', '--year', '2026', '--budget', '1234567890123456789.00']);
    expect(big.code).toBe(2);
    for (const b of ['618.250', '1.000']) expect((await run(['apportion', '--year', '2026', '--budget', b])).code).toBe(2);
    const dir = booksWith({ 'budgets.csv': (t) => t.replace('2026,618250.00', '2026,618.250') });
    expect(codes((await check(dir)).stderr)).toContain('error:amount-ambiguous');
  });

  it('the status of parties.csv is checked against the dates', async () => {
    const dir = booksWith({
      'parties.csv': (t) =>
        t
          .replace('AUT,Austria,2008-12-03,ratification,2009-04-02,2010-08-01,,,party', 'AUT,Austria,2008-12-03,ratification,2009-04-02,,,,party')
          .replace('AGO,Angola,2008-12-03,,,,,,signatory', 'AGO,Angola,2008-12-03,,,2012-01-01,,,signatory')
          .replace(/^(BEL,Belgium,[^,]*,[^,]*,[^,]*,)2010-08-01/m, '$12010-08-15'),
    });
    const r = await check(dir);
    expect(codes(r.stderr)).toEqual(expect.arrayContaining(['error:value-missing', 'error:value-invalid', 'warning:value-invalid']));
  });

  it('a code the policy names that states.csv does not know is an error, not ignored', async () => {
    const dir = booksWith({ 'policy.yaml': (t) => t.replace('    members: non-ldc', '    members: { ldc: false, except: [FRN] }') });
    const r = await check(dir);
    expect(r.stderr).toMatch(/^policy\.yaml:\d+:\d+: error \[iso3-unknown\] categories\.base\.members\.except\.0: FRN is not in states\.csv/m);
  });

  it('an empty budgets.csv fails check', async () => {
    const dir = booksWith({ 'budgets.csv': 'year,amount,currency,policy,note\n' });
    expect(codes((await check(dir)).stderr)).toEqual(['error:budget-missing']);
  });

  it('a missing policy named in budgets.csv is reported at that cell', async () => {
    const dir = booksWith({ 'budgets.csv': (t) => t.replace('2026,618250.00,CHF,policy.yaml', '2026,618250.00,CHF,polcy.yaml') });
    expect((await check(dir)).stderr).toMatch(/^budgets\.csv:9:20: error \[file-missing\]/m);
  });
});

describe('CSV files from the real world', () => {
  it('Latin-1 is refused at the first bad byte; UTF-16 is named', async () => {
    const latin = booksWith();
    writeFileSync(path.join(latin, 'ldc.csv'), Buffer.concat([Buffer.from('iso3,name\nAFG,Afghanistan\nCIV,C'), Buffer.from([0xf4]), Buffer.from('te\n')]));
    expect((await check(latin)).stderr).toMatch(/^ldc\.csv:3:6: error \[file-unreadable\]/m);
    const utf16 = booksWith();
    writeFileSync(path.join(utf16, 'ldc.csv'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('iso3,name\n', 'utf16le')]));
    expect((await check(utf16)).stderr).toContain('UTF-16');
  });

  it("Excel's sep=; line is read, a tab-separated file is named, CR-only endings are refused", async () => {
    const sep = booksWith({ 'ldc.csv': (t) => 'sep=;\n' + t.replace(/,/g, ';') });
    expect((await check(sep)).code).toBe(0);
    const tab = booksWith({ 'ldc.csv': (t) => t.replace(/,/g, '\t') });
    expect(codes((await check(tab)).stderr)).toEqual(['error:csv-delimiter']);
    const cr = booksWith({ 'ldc.csv': (t) => t.replace(/\n/g, '\r') });
    expect(codes((await check(cr)).stderr)).toEqual(['error:csv-syntax']);
  });

  it('one broken header does not flood the screen', async () => {
    const dir = booksWith({ 'ldc.csv': (t) => t.replace('iso3,name', 'iso3,name,') });
    const r = await check(dir);
    expect(codes(r.stderr).filter((c) => c === 'error:csv-syntax').length).toBeLessThanOrEqual(6);
    expect(r.stderr).toContain('more records with the wrong number of fields are not listed');
  });

  it('a very long line is quoted around the problem, not whole', async () => {
    const dir = booksWith({ 'budgets.csv': (t) => t.replace('2026,618250.00,CHF,policy.yaml,', `2026,618250.00,CHF,policy.yaml,${'x'.repeat(5000)}`).replace('2025,605400.00', '2025,6054OO.00') });
    const r = await check(dir);
    expect(r.code).toBe(1);
    expect(Math.max(...r.stderr.split('\n').map((l) => l.length))).toBeLessThan(200);
  });
});

describe('command-line values', () => {
  it('missing --books or --policy, and an unwritable or mismatched --out, are usage errors (exit 2)', async () => {
    expect((await run(['check', '--books', '/nonexistent-finproc'])).code).toBe(2);
    expect((await run(['check', '--books', path.join(ROOT, 'package.json')])).code).toBe(2);
    expect((await run(['apportion', '--year', '2026', '--policy', '/nonexistent.yaml'])).code).toBe(2);
    const r = await run(['apportion', '--year', '2026', '--out', '/etc/passwd/x.csv']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('a file stands where a directory is needed');
    const dir = mkdtempSync(path.join(tmpdir(), 'finproc-'));
    expect((await run(['apportion', '--year', '2026', '--out', path.join(dir, 'x.csv'), '--format', 'json'])).code).toBe(2);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a directory where a report should go stops the write before any file is replaced', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'finproc-out-'));
    expect((await run(['apportion', '--year', '2026', '--out', dir])).code).toBe(0);
    const before = Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]));
    // The .md target becomes a directory: the .txt, .csv and .json must not be replaced.
    const md = path.join(dir, 'apportionment-2026.md');
    writeFileSync(path.join(dir, 'keep'), '');
    const { rmSync } = await import('node:fs');
    rmSync(md);
    mkdirSync(md);
    const r = await run(['apportion', '--year', '2026', '--budget', '700000.00', '--out', dir]);
    expect(r.code).toBe(2);
    for (const f of ['apportionment-2026.txt', 'apportionment-2026.csv', 'apportionment-2026.json']) expect(readFileSync(path.join(dir, f), 'utf8')).toBe(before[f]);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp') || f.includes('.previous'))).toEqual([]);
  });

  it('Markdown output escapes HTML in names', async () => {
    const dir = booksWith({ 'states.csv': (t) => t.replace('AUT,Austria,', 'AUT,<img src=x onerror=alert(1)>,') });
    const r = await run(['apportion', '--year', '2026', '--books', dir, '--format', 'md']);
    expect(r.stdout).not.toContain('<img');
    expect(r.stdout).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('an empty policy file says so in plain words', async () => {
    const dir = booksWith({ 'policy.yaml': '# nothing yet\n' });
    const r = await check(dir);
    expect(r.stderr).toContain('expected a map of keys, found nothing');
    expect(r.stderr).not.toMatch(/received|Invalid input/);
  });
});

describe('second pass', () => {
  const withPolicy = (edit: (t: string) => string) => booksWith({ 'policy.yaml': edit });

  it('a category id that is a report column is refused (the CSV would have two "total" columns)', async () => {
    const r = await check(withPolicy((t) => t.replace('  - id: base', '  - id: total')));
    expect(r.stderr).toMatch(/error \[policy-schema\] categories\.0\.id: "total" is a column of the reports/);
  });

  // the line the edits below insert: just after `rate: "0.001"` in the example policy
  const ratesLine = () => readFileSync(path.join(DATA, 'policy.yaml'), 'utf8').split('\n').indexOf('    rate: "0.001"') + 2;

  it('a __proto__ key in a map of the policy is refused, not dropped', async () => {
    const r = await check(withPolicy((t) => t.replace('    rate: "0.001"', '    rate: "0.001"\n    rates: { __proto__: "5", VAT: "0.001" }')));
    expect(r.stderr).toMatch(new RegExp(`^policy\\.yaml:${ratesLine()}:14: error \\[policy-schema\\] a key named "__proto__" is not allowed`, 'm'));
  });

  it('a notional rate for a State that has a UN rate is an error at that code', async () => {
    const r = await check(withPolicy((t) => t.replace('    rate: "0.001"', '    rate: "0.001"\n    rates: { CHE: "5" }')));
    expect(r.stderr).toMatch(new RegExp(`^policy\\.yaml:${ratesLine()}:14: error \\[policy-member\\] scale\\.unrated\\.rates\\.CHE: CHE has a UN rate`, 'm'));
  });

  it('schema messages speak of the file, not of the validator', async () => {
    const r = await check(withPolicy((t) => t.replace(/categories:[\s\S]*$/, 'categories: abc\n').replace('    rate: "0.001"', '    rate: "0.001"\n    rates: { vat: "0.001" }').replace('title: Illustrative', 'title: ""\n#')));
    expect(r.stderr).toContain('categories: expected a list, found "abc"');
    expect(r.stderr).toContain('"vat" is not an ISO 3166-1 alpha-3 code');
    expect(r.stderr).toContain('title: must not be empty');
    expect(r.stderr).not.toMatch(/Invalid key|Too small|received/);
  });

  it('a broken budget row is not reported a second time as a missing budget', async () => {
    const dir = booksWith({ 'budgets.csv': (t) => t.replace('2026,618250.00', '2026,618,250') });
    const r = await run(['check', '--books', dir, '--year', '2026'], { cwd: dir });
    expect(codes(r.stderr)).not.toContain('error:budget-missing');
    expect(codes(r.stderr)).toContain('error:csv-syntax');
  });

  it('an adjustment that rounds to 0.000000 keeps its sign', async () => {
    // CHF 100.00, CHE's fixed share 33.330000000001 %: quota 33.330000000001, line 33.33,
    // adjustment -0.000000000001, shown as -0.000000 (not +0.000000).
    const dir = withPolicy((t) => t.replace('    share: "85"\n    members: all', '    share: "85"\n    members: all\n    fixed_shares: { CHE: "33.330000000001" }'));
    const r = await run(['explain', 'CHE', '--books', dir, '--year', '2026', '--budget', '117.65', '--format', 'json'], { cwd: dir });
    const e = JSON.parse(r.stdout) as { steps: { category: string; quota: string; rounded: string; adjustment: string }[] };
    const step = e.steps.find((s) => s.category === 'scale')!;
    expect(step.rounded).toBe('33.33');
    expect(step.adjustment).toBe('-0.000000');
  });
});

describe('ledger hostile-input hunt (issue 3)', () => {
  const books = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'finproc-hx-'));
    cpSync(DATA, dir, { recursive: true });
    return dir;
  };
  it('meeting-costs --final --record refuses an issue date before the invoices, and writes nothing', async () => {
    const dir = books();
    const p = path.join(dir, 'p.csv');
    writeFileSync(p, 'iso3\nAUT\nFRA\nUSA\nCHE\n');
    const base = ['meeting-costs', '--books', dir, '--meeting', 'MSP14', '--year', '2026', '--estimate', '100000', '--participants', p];
    expect((await run([...base, '--record', '--issue-date', '2026-03-02'])).code).toBe(0);
    const before = readFileSync(path.join(dir, 'adjustments.csv'), 'utf8');
    const r = await run([...base, '--final', '90000', '--record', '--issue-date', '2026-02-01']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/before the invoices of MSP14 were issued/);
    expect(readFileSync(path.join(dir, 'adjustments.csv'), 'utf8')).toBe(before);
    expect((await run(['check', '--books', dir])).code).toBe(0);
  });
  it('a pledge in a currency with no exchange rate is refused at its cell by check', async () => {
    const dir = books();
    writeFileSync(path.join(dir, 'pledges.csv'), readFileSync(path.join(dir, 'pledges.csv'), 'utf8') + 'PLG-X,AUT,isu,10.00,ZZZ,2025-01-01,2025-02-01,2025,\n');
    const r = await run(['check', '--books', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/pledges\.csv:65:21: error \[rate-missing\]/);
  });
  it('a line break inside a payment reference is refused', async () => {
    const dir = books();
    writeFileSync(path.join(dir, 'payments.csv'), readFileSync(path.join(dir, 'payments.csv'), 'utf8') + 'PAY-X,AUT,2026-03-01,10.00,CHF,,isu,,,,,"a\n=cmd()"\n');
    const r = await run(['check', '--books', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\[value-invalid\] reference: the reference contains a line break/);
  });
  it('--estimate with three decimals is wrong usage (exit 2)', async () => {
    const r = await run(['meeting-costs', '--meeting', 'M1', '--year', '2026', '--estimate', '1000.001', '--participants', path.join(DATA, 'ldc.csv')]);
    expect(r.code).toBe(2);
  });
});
