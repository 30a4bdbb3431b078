/**
 * Issue 12, careless and hostile input on copies of the example books: each case was
 * observed giving a silent wrong answer (or noise hiding the real problem) before the fix.
 */
import { symlinkSync, unlinkSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { booksWith, run } from './helpers.js';

const codes = (stderr: string) => [...stderr.matchAll(/(error|warning) \[([a-z0-9-]+)\]/g)].map((m) => `${m[1]}:${m[2]}`);

describe('an unreadable input is an error, never "no payments"', () => {
  it('payments.csv a dangling symbolic link: check and arrears fail, naming the file and the link', async () => {
    const books = booksWith();
    unlinkSync(path.join(books, 'payments.csv'));
    symlinkSync(path.join(books, 'gone.csv'), path.join(books, 'payments.csv'));
    const c = await run(['check', '--books', books]);
    expect(c.code).toBe(1);
    expect(c.stderr).toContain('payments.csv: error [file-unreadable] cannot read the file: it is a symbolic link to');
    expect(c.stderr).toContain('which does not exist');
    const a = await run(['arrears', '--as-of', '2026-08-18', '--books', books]);
    expect(a.code).toBe(1);
    expect(a.stdout).toBe('');
  });

  it('payments.csv a link to itself: an error, not an empty ledger', async () => {
    const books = booksWith();
    unlinkSync(path.join(books, 'payments.csv'));
    symlinkSync('payments.csv', path.join(books, 'payments.csv'));
    const r = await run(['arrears', '--as-of', '2026-08-18', '--books', books, '--fail-on', 'art19']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('leads back to itself');
  });

  it('payments.csv missing: every report that depends on it says so', async () => {
    const books = booksWith();
    unlinkSync(path.join(books, 'payments.csv'));
    // adjustments.csv refunds credit that came from payments: drop it too, to see the report.
    writeFileSync(path.join(books, 'adjustments.csv'), 'adjustment_id,iso3,date,kind,invoice,category,amount,reason\n');
    for (const args of [
      ['arrears', '--as-of', '2026-08-18'],
      ['statement', 'MEX', '--as-of', '2026-08-18'],
      ['pledges', '--year', '2026', '--as-of', '2026-08-18'],
      ['cashflow', '--year', '2026', '--as-of', '2026-03-31'],
      ['sponsorship', '--year', '2025'],
      ['remind', '--as-of', '2026-03-31', '--out', path.join(books, 'reminders')],
    ]) {
      const r = await run([...args, '--books', books]);
      expect(r.stderr, args[0]).toContain('warning [file-missing] no payments.csv in the books: this report counts no payment');
    }
  });
});

describe('a State missing from scale.csv', () => {
  it('is an error naming it (Austria paid 1,068.77 at the notional rate instead of 9,030.79); the hint offers fixed_shares', async () => {
    const books = booksWith({ 'scale.csv': (t) => t.replace(/^AUT,.*\n/m, '') });
    const r = await run(['apportion', '--year', '2026', '--books', books]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('error [rate-unrated] scale.unrated: AUT (Austria) has no rate in scale.csv for 2026');
    expect(r.stderr).toContain('fixed_shares: { AUT:');
    expect(r.stderr).toContain('states: [AUT]');
  });

  it('takes a notional rate only when the policy names it in states (or rates)', async () => {
    const books = booksWith({ 'scale.csv': (t) => t.replace(/^AUT,.*\n/m, ''), 'policy.yaml': (t) => t.replace('states: [COK, NIU, PSE, VAT]', 'states: [AUT, COK, NIU, PSE, VAT]') });
    const r = await run(['explain', 'AUT', '--year', '2026', '--books', books, '--format', 'json']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"notional"');
  });

  it('a blanket notional rate with no States named is refused, and states without a rate too', async () => {
    const none = booksWith({ 'policy.yaml': (t) => t.replace(/\n *states: \[COK, NIU, PSE, VAT\].*/, '') });
    expect(readFileSync(path.join(none, 'policy.yaml'), 'utf8')).not.toContain('states:');
    const r = await run(['check', '--books', none]);
    expect(r.stderr).toContain('a notional rate applies only to the States the policy names');
    const noRate = booksWith({ 'policy.yaml': (t) => t.replace('    rate: "0.001"\n', '') });
    expect((await run(['check', '--books', noRate])).stderr).toContain('`states` is given but no `rate` for them');
  });

  it('a blank cell is refused, as data/README.md now says', async () => {
    const books = booksWith({ 'scale.csv': (t) => t.replace(/^DEU,Germany,([\d.]+),([\d.]+),[\d.]+$/m, 'DEU,Germany,$1,$2,') });
    expect(codes((await run(['check', '--books', books])).stderr)).toContain('error:value-missing');
    expect(readFileSync(path.join(books, 'README.md'), 'utf8')).toContain('a blank cell is refused');
  });

  it('scale-sum: silent below 100 (a scale of the parties only), a warning above', async () => {
    // Only the parties' rates kept: the column sums to less than 100, and all is well.
    const parties = new Set(readFileSync(path.join(booksWith(), 'parties.csv'), 'utf8').split('\n').map((l) => l.split(',')[0]));
    const below = booksWith({ 'scale.csv': (t) => t.split('\n').filter((l, i) => i === 0 || l === '' || parties.has(l.split(',')[0])).join('\n') });
    const r = await run(['check', '--books', below]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const above = booksWith({ 'scale.csv': (t) => t.replace('AUT,Austria,0.677,0.679,0.626', 'AUT,Austria,0.677,0.679,6.26') });
    expect((await run(['check', '--books', above])).stderr).toContain('sums to 105.634, more than 100');
  });
});

describe('percentages and policy keys', () => {
  it('a percentage outside 0–100 is refused (max 250 %, ldc_max 101 %)', async () => {
    const books = booksWith({ 'policy.yaml': (t) => t.replace('max: { percent: "25", of: total }', 'max: { percent: "250", of: total }').replace('ldc_max: { percent: "0.01", of: total }', 'ldc_max: { percent: "101", of: total }') });
    expect(readFileSync(path.join(books, 'policy.yaml'), 'utf8')).toContain('"101"');
    const r = await run(['check', '--books', books]);
    expect(r.code).toBe(1);
    expect(r.stderr.match(/expected a percentage from 0 to 100/g)).toHaveLength(2);
    expect(r.stderr).toContain('bounds.max.percent');
    expect(r.stderr).toContain('bounds.ldc_max.percent');
  });

  it('check lists a misspelt key and a wrong scale column together, and suggests the nearest key', async () => {
    const books = booksWith({ 'policy.yaml': (t) => t.replace('column: rate_2025_2027_pct', 'column: rate_2025_2027').replace(/share: /, 'shrae: ') });
    const r = await run(['check', '--books', books]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('unknown key "shrae" (did you mean "share"?)');
    expect(r.stderr).toContain('error [scale-period] scale.periods.2.column: the scale has no column "rate_2025_2027"');
    expect(r.stderr).toContain('2 errors, 0 warnings');
  });

  it('a missing required column is reported once; what follows from it is not', async () => {
    const books = booksWith({
      'assessments.csv': (t) =>
        t
          .split('\n')
          .map((l) => l.split(',').filter((_, i) => i !== 8).join(','))
          .join('\n'),
    });
    expect(readFileSync(path.join(books, 'assessments.csv'), 'utf8').split('\n')[0]).toBe('invoice,iso3,year,purpose,category,amount,currency,issued,note');
    const r = await run(['check', '--books', books]);
    expect(r.code).toBe(1);
    expect(codes(r.stderr)).toEqual(['error:column-missing']);
    expect(r.stderr).toContain('missing required column "due"');
    expect(r.stderr).toContain('not checked until it is fixed');
  });
});

describe('every document follows the register after invoice --reissue', () => {
  it('remind and statement cite the current invoice number and RF, not the cancelled ones', async () => {
    const books = booksWith();
    const out = path.join(books, 'inv');
    expect((await run(['invoice', '--year', '2025', '--books', books, '--states', 'ATG', '--out', out])).code).toBe(0);
    const first = readFileSync(path.join(books, 'invoices.csv'), 'utf8').split('\n')[1]!.split(',');
    expect(first[0]).toBe('ISU-2025-004');
    // A payment entered late, dated before the invoice: its amounts change, so it is reissued.
    writeFileSync(path.join(books, 'payments.csv'), readFileSync(path.join(books, 'payments.csv'), 'utf8') + `PAY-2025-99999,ATG,${first[4]},10.00,CHF,10.00,isu,,,,,late entry\n`);
    const re = await run(['invoice', '--year', '2025', '--books', books, '--states', 'ATG', '--out', out, '--reissue', '--issue-date', '2025-06-02']);
    expect(re.stderr).toBe('');
    const rows = readFileSync(path.join(books, 'invoices.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
    const fresh = rows.find((r) => r[1] === 'invoice' && r[13] === 'ISU-2025-004')!;
    expect(fresh).toBeDefined();
    const [number, reference] = [fresh[0]!, fresh[12]!];
    expect(number).not.toBe('ISU-2025-004');
    // The reminder: the new number and its RF, never the cancelled ones.
    const rem = path.join(books, 'rem');
    expect((await run(['remind', '--as-of', '2026-03-31', '--books', books, '--states', 'ATG', '--format', 'md', '--out', rem])).code).toBe(0);
    const letter = readFileSync(path.join(rem, 'ATG-reminder-2026-03-31.md'), 'utf8');
    expect(letter).toContain(number);
    expect(letter).toContain(reference);
    expect(letter).not.toContain(first[12]!);
    expect(readFileSync(path.join(rem, 'reminders-2026-03-31.csv'), 'utf8')).toContain(number);
    // As of a date before the reissue, the letter cites the invoice then current.
    const before = path.join(books, 'rem-before');
    expect((await run(['remind', '--as-of', '2025-06-01', '--books', books, '--states', 'ATG', '--format', 'md', '--out', before, '--level', '1'])).code).toBe(0);
    // The statement: the assessment and allocations under the current number.
    const st = await run(['statement', 'ATG', '--as-of', '2026-03-31', '--from', '2025-01-01', '--books', books, '--format', 'json']);
    expect(st.code).toBe(0);
    expect(st.stdout).toContain(`reissued as ${number} (recorded as ISU-2025-004)`);
    expect(st.stdout).toMatch(new RegExp(`"ref": ?"${number}"`));
  }, 30_000);
});

describe('collection rate', () => {
  it('is never rounded up to 100.0 % with anything outstanding, nor down to 0.0 % with anything paid (hand-checked)', async () => {
    const { ratePermille, permilleToPercent } = await import('../src/core/arrears.js');
    // 2019 of the example books: 548,860.73 of 548,900.00 = 99.9928 %: half-even would say 100.0.
    expect(permilleToPercent(ratePermille(54886073n, 54890000n))).toBe('99.9');
    expect(permilleToPercent(ratePermille(54890000n, 54890000n))).toBe('100.0');
    // 0.01 of 100,000.00 = 0.00001 %: not 0.0, since something was paid.
    expect(permilleToPercent(ratePermille(1n, 10000000n))).toBe('0.1');
    expect(permilleToPercent(ratePermille(0n, 10000000n))).toBe('0.0');
    // Elsewhere half-even tenths as before: 1/3 = 33.3, 2/3 = 66.7; 1/2000 = 0.05 % is a tie
    // that half-even sends to 0.0, shown 0.1 since something was paid.
    expect(permilleToPercent(ratePermille(1n, 3n))).toBe('33.3');
    expect(permilleToPercent(ratePermille(2n, 3n))).toBe('66.7');
    expect(permilleToPercent(ratePermille(1n, 2000n))).toBe('0.1');
    const r = await run(['arrears', '--as-of', '2026-08-18', '--format', 'json']);
    const y2019 = (JSON.parse(r.stdout) as { years: { year: number; collection_rate_pct: string }[] }).years.find((y) => y.year === 2019)!;
    expect(y2019.collection_rate_pct).toBe('99.9');
  });
});

describe('simulate: rounding alone is no change', () => {
  it('the whole-francs scenario: 64 more / 48 less counted exactly, none beyond one franc but 2 by default', async () => {
    const args = ['simulate', '--year', '2026', '--scenario', 'data/scenarios/whole-francs.yaml', '--table', 'indicators', '--format', 'csv'];
    const row = (out: string) => {
      const [head, , wf] = out.trim().split(/\r?\n/).map((l) => l.split(','));
      return Object.fromEntries(['more', 'less', 'same'].map((k) => [k, Number(wf![head!.indexOf(k)])]));
    };
    const exact = await run([...args, '--same-within', '0']);
    expect(row(exact.stdout)).toEqual({ more: 64, less: 48, same: 0 });
    const dflt = await run(args);
    expect(row(dflt.stdout)).toEqual({ more: 0, less: 2, same: 110 });
    // The two that move by more than a franc, checked against apportion itself.
    const base = JSON.parse((await run(['apportion', '--year', '2026', '--format', 'json'])).stdout) as { states: { iso3: string; total: string }[] };
    const wf = JSON.parse((await run(['simulate', '--year', '2026', '--scenario', 'data/scenarios/whole-francs.yaml', '--format', 'json'])).stdout) as { states: { iso3: string; baseline: string; scenarios: Record<string, string> }[] };
    const moved = wf.states.filter((s) => Math.abs(Number(Object.values(s.scenarios)[0]) - Number(s.baseline)) > 1);
    expect(moved).toHaveLength(2);
    for (const s of moved) expect(base.states.find((b) => b.iso3 === s.iso3)!.total).toBe(s.baseline);
  });

  it('indicators(): moves within the threshold are "same" (hand-worked: A 50→49, B 30→33, C 20→18)', async () => {
    const { indicators } = await import('../src/core/simulate.js');
    const states = ['AAA', 'BBB', 'CCC'].map((iso3) => ({ iso3, name: iso3, ldc: false, region: null }));
    const col = (u: bigint[]) => ({ units: u, payer: [true, true, true], small: [false, false, false] });
    const base = col([50n, 30n, 20n]);
    const sc = col([49n, 33n, 18n]);
    const at = (w: bigint) => { const i = indicators(states, sc, base, undefined, w); return [i.more, i.less, i.same]; };
    expect(at(0n)).toEqual([1, 2, 0]);
    expect(at(1n)).toEqual([1, 1, 1]);
    expect(at(2n)).toEqual([1, 0, 2]);
    expect(at(3n)).toEqual([0, 0, 3]);
  });
});

describe('resource limits', () => {
  it('payments.csv linked to /dev/zero is refused at once, not read without end', async () => {
    const books = booksWith();
    unlinkSync(path.join(books, 'payments.csv'));
    symlinkSync('/dev/zero', path.join(books, 'payments.csv'));
    const r = await run(['arrears', '--as-of', '2026-08-18', '--books', books]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('payments.csv: error [file-unreadable] not a regular file (a device)');
  });

  it('a policy larger than 1 MB is refused with the limit named (a 50 MB one-line policy took 2 GB)', async () => {
    const books = booksWith({ 'policy.yaml': (t) => t + '# ' + 'x'.repeat(2 * 1024 * 1024) + '\n' });
    const r = await run(['check', '--books', books]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('policy.yaml: error [file-unreadable] the file is 2.0 MB, more than the limit of 1 MB for a YAML file');
  });

  it('a 300,000-character cell gives a short message, the value cut with its length said', async () => {
    const books = booksWith({ 'budgets.csv': (t) => t.replace('2026,618250.00', '2026,' + '9'.repeat(300_000)) });
    for (const format of ['text', 'json']) {
      const r = await run(['check', '--books', books, '--format', format]);
      expect(r.code).toBe(1);
      const out = format === 'json' ? JSON.stringify((JSON.parse(r.stdout) as { problems: { message: string; hint?: string }[] }).problems.map((p) => [p.message, p.hint])) : r.stderr;
      expect(out.length, format).toBeLessThan(2000);
      expect(out).toContain('… (300000 characters) …');
    }
  });

  it('200,000 alike problems (dates as Excel writes them, in one column): the first 20 shown, the others counted in one line; other kinds all shown', async () => {
    const { renderProblems } = await import('../src/render/problems.js');
    const { problem } = await import('../src/core/problem.js');
    const dates = Array.from({ length: 200_000 }, (_, i) => problem('date-ambiguous', `"0${(i % 9) + 1}.03.2024" is not an ISO date`, { file: 'payments.csv', line: i + 2, column: 13, field: 'received', excerpt: 'x', hint: 'write the date as YYYY-MM-DD' }));
    const other = [problem('amount-invalid', 'not an amount', { file: 'payments.csv', line: 7, column: 30, field: 'chf' }), problem('date-ambiguous', 'in another column', { file: 'payments.csv', line: 9, column: 40, field: 'due' }), problem('date-ambiguous', 'in another file', { file: 'pledges.csv', line: 3, column: 5, field: 'received' })];
    const out = renderProblems([...dates, ...other]).split('\n');
    expect(out.filter((l) => l.startsWith('payments.csv:') && l.includes('error [date-ambiguous] received'))).toHaveLength(20);
    expect(out.filter((l) => l.includes('not an amount') || l.includes('in another column') || l.includes('in another file'))).toHaveLength(3);
    const at = out.indexOf('payments.csv: 199980 more errors [date-ambiguous] in received like the 20 above, lines 22 to 200001: not shown one by one');
    expect(at).toBeGreaterThan(out.findIndex((l) => l.startsWith('payments.csv:21:13:')));
    expect(out.at(-2)).toBe('200003 errors, 0 warnings');
  });

  it('problem reporting is linear: 30,000 unknown policy keys take about ten times as long as 3,000, not a hundred', async () => {
    const { readPolicy } = await import('../src/io/policy-file.js');
    const { renderProblems } = await import('../src/render/problems.js');
    const base = readFileSync(path.join(booksWith(), 'policy.yaml'), 'utf8');
    const time = (n: number) => {
      let keys = '';
      for (let i = 0; i < n; i++) keys += `unknown_key_${i}: x\n`;
      const text = base + keys;
      const t0 = process.hrtime.bigint();
      const pf = readPolicy('policy.yaml', text);
      const out = renderProblems(pf.problems);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      expect(pf.problems).toHaveLength(n);
      expect(out).toContain(`unknown key "unknown_key_${n - 1}"`);
      return ms;
    };
    time(1000); // warm up
    const small = Math.min(time(3000), time(3000));
    const large = time(30000);
    expect(large / small).toBeLessThan(30);
  }, 60_000);
});

describe('other treaties', () => {
  it('the Art. 17 first-of-month rule is the policy\'s choice: a warning under first-of-month, silence under any-day', async () => {
    const late = (t: string) => t.replace(/^(AUT,Austria,[^,]*,[^,]*,[^,]*),2010-08-01/m, '$1,2010-08-05');
    const ccm = booksWith({ 'parties.csv': late });
    expect(readFileSync(path.join(ccm, 'parties.csv'), 'utf8')).toContain('2010-08-05');
    const r = await run(['check', '--books', ccm]);
    expect(r.code).toBe(0);
    // One warning, not one per budget year.
    expect(r.stderr).toContain('entry into force 2010-08-05 is not the first day of a month');
    expect(r.stderr).toContain('0 errors, 1 warning');
    const other = booksWith({ 'parties.csv': late, 'policy.yaml': (t) => t.replace(/^entry_into_force: first-of-month.*$/m, 'entry_into_force: any-day') });
    const o = await run(['check', '--books', other]);
    expect(o.stderr).toBe('');
    expect(o.code).toBe(0);
  });
});

describe('a budget adopted for a biennium or triennium', () => {
  it('2026-2027 as one amount: shared equally, the spare centime to the first year, the years adding up exactly (hand-checked)', async () => {
    const books = booksWith({ 'budgets.csv': (t) => t.replace(/^2026,618250\.00,CHF,policy\.yaml,.*$/m, '2026-2027,1236501.01,CHF,policy.yaml,biennium') });
    expect((await run(['check', '--books', books])).stderr).toBe('');
    const total = async (y: string) => (JSON.parse((await run(['apportion', '--year', y, '--books', books, '--format', 'json'])).stdout) as { total: string }).total;
    // 123,650,101 centimes / 2 = 61,825,050 rest 1: 618,250.51 then 618,250.50.
    expect(await total('2026')).toBe('618250.51');
    expect(await total('2027')).toBe('618250.50');
  });

  it('in whole francs, the spare francs go to the earliest years of a triennium', async () => {
    const { periodShare } = await import('../src/core/books.js');
    const { D } = await import('../src/core/decimal.js');
    // 1,000,000 / 3 = 333,333 rest 1: 333,334 + 333,333 + 333,333.
    expect([2026, 2027, 2028].map((y) => periodShare(D('1000000'), 2026, 2028, y, D('1'))!.toFixed())).toEqual(['333334', '333333', '333333']);
    expect(periodShare(D('1000000.50'), 2026, 2028, 2026, D('1'))).toBeUndefined();
  });

  it('overlapping rows and spans of more than three years are refused', async () => {
    const overlap = booksWith({ 'budgets.csv': (t) => t + '2026-2027,1236500.00,CHF,policy.yaml,overlap\n' });
    expect((await run(['check', '--books', overlap])).stderr).toContain('row-duplicate');
    const long = booksWith({ 'budgets.csv': (t) => t + '2027-2030,2000000.00,CHF,policy.yaml,too long\n' });
    expect((await run(['check', '--books', long])).stderr).toContain('is not a biennium or triennium');
  });
});

describe('explain with a fixed share in the category', () => {
  const books = () => {
    const doc = readFileSync(path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'docs', 'policy.md'), 'utf8');
    const yaml = /### Writing a policy for another treaty[\s\S]*?```yaml\n([\s\S]*?)```/.exec(doc)![1]!;
    return booksWith({ 'example.yaml': yaml, 'budgets.csv': (t) => t + '2027,600000.00,CHF,example.yaml,doc example\n' });
  };

  it('before and after bounds are shares of the same base, with the States held, the factor, and the share of the whole category', async () => {
    const r = await run(['explain', 'AUT', '--year', '2027', '--books', books()]);
    expect(r.code).toBe(0);
    // AUT in "scale": 540,000 less CHE's fixed 5 % = 513,000 shared by weight. Weight 7.512 of
    // 482.724: 1.5561687424 % before bounds; quota 319673160/40151 = 7,961.773306, which is
    // 1.5520025937 % of 513,000 after bounds (a fall, not the rise to "1.474 %" of before) and
    // 1.4744024640 % of 540,000; factor 1.5520025937 / 1.5561687424 = 0.9973228169.
    expect(r.stdout).toContain('adjusted share 1.5561687424 % of what the fixed shares leave (95 % of the category) before bounds');
    expect(r.stdout).toContain('renormalised by a factor of 0.9973228169: its share is 1.5520025937 % of what the fixed shares leave (95 % of the category) after bounds (1.5561687424 % before), 1.4744024640 % of the whole category');
    expect(r.stdout).toMatch(/39 other States were held at a bound \(AND \(min\), ATG \(min\), .*, and 29 more\)/);
    const exact = 319673160 / 40151;
    expect(exact / 513000 * 100).toBeCloseTo(1.5520025937, 9);
    expect(exact / 540000 * 100).toBeCloseTo(1.474402464, 9);
  });

  it('a State held at a bound: the bound as its rule and its amount', async () => {
    const r = await run(['explain', 'AND', '--year', '2027', '--books', books()]);
    // 0.01 % of the budget of 600,000 = 60.
    expect(r.stdout).toContain('Bound applied: min: 0.01 % of the total = 60 (fixed in round 1 of the bounds loop)');
  });
});

describe('actual spending dated in the future', () => {
  it('check warns at the cell of an expenditure.csv month after today (a typed 2031 for 2025), and is silent on the example books', async () => {
    const dir = booksWith({ 'expenditure.csv': (t) => t + '2031-01,staff,100.00,\n' });
    const line = readFileSync(path.join(dir, 'expenditure.csv'), 'utf8').trimEnd().split('\n').length;
    const r = await run(['check', '--books', dir]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`expenditure.csv:${line}:1: warning [date-future] month: actual spending for 2031-01, a month after today`);
    const early = await run(['check', '--books', dir, '--today', '2026-05-31']);
    expect(early.stderr).toMatch(/expenditure\.csv:\d+:1: warning \[date-future\] month: actual spending for 2026-06/);
    expect((await run(['check'])).stderr).toBe('');
  });
});
