/**
 * simulate: indicators checked by hand, the fast split runner against `apportion` point by
 * point, every shipped scenario against `apportion` of a policy edited independently (by
 * hand, as text), exact sums, and results that do not depend on the order of scenarios or
 * of input rows.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apportion, payersFor, type Apportionment, type Payer } from '../src/core/apportion.js';
import { D, type Decimal } from '../src/core/decimal.js';
import type { Policy } from '../src/core/policy.js';
import { indicators, ratio, type Column, type SimState } from '../src/core/simulate.js';
import { compileSplit } from '../src/core/split.js';
import { apportionYear } from '../src/io/job.js';
import { booksWith, DATA, payer, policyOf, ROOT, run } from './helpers.js';
import { findPython } from './python.js';

const st = (iso3: string, ldc = false): SimState => ({ iso3, name: iso3, ldc, region: null });
const col = (units: (number | null)[], small: boolean[] = units.map(() => false)): Column => ({ units: BigInt64Array.from(units.map((u) => BigInt(u ?? 0))), payer: units.map((u) => u !== null), small });

describe('indicators, checked by hand', () => {
  it('the worked example of src/core/simulate.ts', () => {
    const states = [st('AAA'), st('BBB'), st('CCC', true)];
    const base = col([50, 30, 20], [false, true, true]);
    const s = col([40, 35, 25], [false, true, true]);
    const i = indicators(states, s, base);
    expect([i.payers, i.more, i.less, i.same, i.joined, i.left]).toEqual([3, 2, 1, 0, 0, 0]);
    // B and C both rise by 5: the tie goes to the earlier ISO3.
    expect(i.largestIncrease).toEqual({ iso3: 'BBB', units: 5n });
    // B +5/30 = 16.67 %, C +5/20 = 25 %.
    expect(i.largestRelative).toEqual({ iso3: 'CCC', num: 5n, den: 20n });
    expect(ratio(i.largestRelative!.num * 100n, i.largestRelative!.den, 2)).toBe('25.00');
    expect([i.assessedUnits, i.ldcUnits, i.ldcCount, i.smallUnits, i.smallCount, i.top5Units]).toEqual([100n, 25n, 1, 60n, 2, 100n]);
    // (40² + 35² + 25²) / 100² = (1600 + 1225 + 625) / 10000 = 0.345: 3,450 points.
    expect(ratio(i.hhiNum * 10000n, i.hhiDen, 2)).toBe('3450.00');
    expect(i.min).toEqual({ iso3: 'CCC', units: 25n });
    expect(i.medianTwice).toBe(70n); // median 35
    const b = indicators(states, base, base);
    expect(ratio(b.hhiNum * 10000n, b.hhiDen, 2)).toBe('3800.00'); // (2500 + 900 + 400) / 10000
    expect([b.more, b.less, b.same, b.medianTwice]).toEqual([0, 0, 3, 60n]);
  });

  it('States joining and leaving; the median of an even count; no increase', () => {
    const states = [st('AAA'), st('BBB'), st('CCC'), st('DDD')];
    const base = col([10, 20, null, null]);
    const s = col([10, null, 7, 3]);
    const i = indicators(states, s, base);
    expect([i.payers, i.more, i.less, i.same, i.joined, i.left]).toEqual([3, 0, 0, 1, 2, 1]);
    expect(i.largestIncrease).toBeNull();
    expect(i.largestRelative).toBeNull();
    expect(i.assessedUnits).toBe(20n);
    expect(i.medianTwice).toBe(14n); // 3, 7, 10 → 7
    expect(ratio(i.hhiNum * 10000n, i.hhiDen, 2)).toBe('3950.00'); // (100 + 49 + 9) / 400
    expect(i.min).toEqual({ iso3: 'DDD', units: 3n });
    const even = indicators(states, col([10, 12, 7, 3]), base);
    expect(even.medianTwice).toBe(17n); // (7 + 10) / 2 = 8.5
    expect(even.top5Units).toBe(32n);
  });

  it('ratio rounds half away from zero, for display only', () => {
    expect(ratio(500n, 30n, 2)).toBe('16.67');
    expect(ratio(-1n, 200n, 2)).toBe('-0.01');
    expect(ratio(1n, 200n, 2)).toBe('0.01');
    expect(ratio(-1n, 300n, 2)).toBe('0.00');
    expect(ratio(7n, 2n, 0)).toBe('4');
  });
});

/** State totals of `apportion` for the policy with these shares, or 'refused'. */
function byApportion(a: Apportionment, payers: readonly Payer[], shares: Map<string, Decimal>): bigint[] | 'refused' {
  const policy: Policy = { ...a.policy, categories: a.policy.categories.map((c) => (shares.has(c.id) ? { ...c, share: shares.get(c.id)! } : c)) };
  const r = apportion({ year: a.year, budget: a.budget, policy, payers, scaleColumn: a.scaleColumn });
  if (!r.result) return 'refused';
  const t = new Map(r.result.states.map((s) => [s.iso3, s.totalUnits]));
  return a.states.map((s) => t.get(s.iso3) ?? -1n);
}

function compare(a: Apportionment, payers: readonly Payer[], shareList: Decimal[][]): number {
  const runner = compileSplit(a, payers);
  let compared = 0;
  for (const shares of shareList) {
    const got = runner.run(shares);
    const want = byApportion(a, payers, new Map(runner.shareCategories.map((id, k) => [id, shares[k]!])));
    if (want === 'refused') expect(got.ok, `shares ${shares.join('/')}`).toBe(false);
    else {
      expect(got.ok ? [...got.units] : got.message, `shares ${shares.join('/')}`).toEqual(want);
      compared++;
    }
  }
  return compared;
}

describe('the split runner gives exactly the units of apportion', () => {
  it('policy.yaml, 2025 and 2026: the equal part from 0 to 100 % by 1 %, and odd shares', () => {
    for (const year of [2025, 2026]) {
      const { report, books } = apportionYear({ books: DATA, year });
      const a = report!.apportionment;
      const { payers } = payersFor(books!.ref, a.policy, year);
      const list: Decimal[][] = [];
      for (let x = 0; x <= 100; x++) list.push([D(String(x)), D(String(100 - x))]);
      list.push([D('12.345678901234'), D('87.654321098766')], [D('0.01'), D('99.99')]);
      expect(compare(a, payers, list)).toBe(list.length);
    }
  });

  it('tiers-per-line (a flat amount, rest, a fixed share, a voluntary part, whole francs half-up)', () => {
    const { report, books } = apportionYear({ books: DATA, year: 2026, policy: path.join(DATA, 'policies', 'tiers-per-line.yaml') });
    const a = report!.apportionment;
    const { payers } = payersFor(books!.ref, a.policy, 2026);
    const list: Decimal[][] = [];
    for (let x = 0; x <= 100; x += 2.5) list.push([D(String(x)), D(String(100 - x))]);
    expect(compare(a, payers, list)).toBe(list.length);
  });

  it('random payers and policies: bounds on both sides, fixed shares, pro-rata, every rounding', () => {
    const arb = fc.record({
      rates: fc.array(fc.integer({ min: 1, max: 30000 }), { minLength: 2, maxLength: 14 }),
      ldc: fc.array(fc.boolean(), { minLength: 14, maxLength: 14 }),
      months: fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 14, maxLength: 14 }),
      min: fc.option(fc.constantFrom('0.1', '0.5', '1', '3'), { nil: undefined }),
      max: fc.option(fc.constantFrom('10', '25', '40'), { nil: undefined }),
      ldcMax: fc.option(fc.constantFrom('0.5', '2'), { nil: undefined }),
      of: fc.constantFrom('total', 'category'),
      unit: fc.constantFrom('0.01', '0.05', '1'),
      method: fc.constantFrom('largest-remainder', 'half-up', 'half-even'),
      units: fc.integer({ min: 100, max: 50_000_000 }),
      fixedShare: fc.option(fc.constantFrom('2.5', '10', '33.333'), { nil: undefined }),
      flat: fc.option(fc.integer({ min: 1, max: 300 }), { nil: undefined }),
      voluntary: fc.boolean(),
      splits: fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 3, maxLength: 8 }),
    });
    let compared = 0;
    let cases = 0;
    for (const c of fc.sample(arb, { numRuns: 200, seed: 6 })) {
      const codes = c.rates.map((_, i) => `Z${String.fromCharCode(65 + i)}${String.fromCharCode(90 - i)}`);
      const payers = codes.map((k, i) => payer(k, (c.rates[i]! / 1000).toFixed(3), { ldc: c.ldc[i]!, months: c.months[i]! }));
      const unitCents = c.unit === '1' ? 100n : c.unit === '0.05' ? 5n : 1n;
      const money = (n: number) => (BigInt(n) * unitCents).toString().padStart(3, '0').replace(/(\d\d)$/, '.$1');
      const bounds = { ...(c.min ? { min: { percent: c.min, of: c.of } } : {}), ...(c.max ? { max: { percent: c.max, of: c.of } } : {}), ...(c.ldcMax ? { ldc_max: { percent: c.ldcMax, of: c.of } } : {}) };
      let policy: Policy;
      try {
        policy = policyOf({
          pro_rata: 'months',
          rounding: { unit: c.unit, method: c.method },
          categories: [
            ...(c.flat ? [{ id: 'flat', name: 'Flat', basis: 'equal', amount: money(c.flat), members: { iso3: [codes[0]!] } }] : []),
            { id: 'equal', name: 'Equal', basis: 'equal', share: c.voluntary ? '10' : '20', members: 'non-ldc' },
            { id: 'scale', name: 'Scale', basis: 'scale', share: '70', ...(Object.keys(bounds).length ? { bounds } : {}), ...(c.fixedShare ? { fixed_shares: { [codes[1]!]: c.fixedShare } } : {}) },
            { id: 'vol', name: 'Voluntary', basis: c.voluntary ? 'voluntary' : 'equal', share: c.voluntary ? '20' : '10' },
          ],
        });
      } catch {
        continue;
      }
      const base = apportion({ year: 2026, budget: D(money(c.units)), policy, payers, scaleColumn: 'rate' });
      if (!base.result) continue;
      cases++;
      // Splits of the three share categories (tenths of a percent), some with a zero share.
      const list = c.splits.map((x, k) => {
        const e = D(String(x)).div(10);
        const v = D(String((x * 7 + k * 13) % (1000 - x + 1))).div(10);
        return [e, v, D('100').minus(e).minus(v)].map((d) => d) as Decimal[];
      }).filter((s) => s.every((d) => !d.isNegative()));
      compared += compare(base.result, payers, list.map((s) => reorder(policy, s)));
    }
    expect(cases).toBeGreaterThan(60);
    expect(compared).toBeGreaterThan(200);
  });
});

/** [equal, vol, scale] shares in the runner's order (policy order: equal, scale, vol). */
function reorder(p: Policy, s: Decimal[]): Decimal[] {
  const byId: Record<string, Decimal> = { equal: s[0]!, vol: s[1]!, scale: s[2]! };
  return p.categories.filter((c) => c.share !== undefined).map((c) => byId[c.id]!);
}

const sub = (a: string | RegExp, b: string) => (t: string) => {
  const next = t.replace(a, b);
  if (next === t) throw new Error(`edit does not apply: ${String(a)}`);
  return next;
};

/**
 * What each shipped scenario means, written independently of src/core/scenario.ts: edits
 * of data/policy.yaml (and parties.csv) made by hand, as text.
 */
const MEANING: Record<string, Record<string, (t: string) => string>> = {
  'equal-25': { 'policy.yaml': (t) => sub('share: "85"', 'share: "75"')(sub('share: "15"', 'share: "25"')(t)) },
  'scale-only': { 'policy.yaml': (t) => sub('share: "85"', 'share: "100"')(sub(/  - id: base\n[\s\S]*?\n(?=\n)/, '')(t)) },
  'base-all': { 'policy.yaml': sub('    members: non-ldc', '    members: all') },
  'ceiling-10': { 'policy.yaml': sub('max: { percent: "25", of: total }', 'max: { percent: "10", of: total }') },
  'scale-2022': { 'policy.yaml': sub('- { from: "2025", to: "2027", column: rate_2025_2027_pct }', '- { from: "2025", to: "2027", column: rate_2022_2024_pct }') },
  'whole-francs': { 'policy.yaml': sub('unit: "0.01"', 'unit: "1"') },
  'ratify-10': {
    'parties.csv': (t) => ['AGO', 'CYP', 'DJI', 'HTI', 'IDN', 'JAM', 'KEN', 'LBR', 'TZA', 'UGA'].reduce((x, k) => sub(new RegExp(`^(${k},[^,]*,[^,]*),([^,]*),([^,]*),,,,signatory$`, 'm'), '$1,$2,$3,2026-01-01,,,party')(x), t),
  },
};

interface SimJson {
  total: string;
  scenarios: { id: string; status: string; indicators: Record<string, string | null> | null }[];
  states: { iso3: string; baseline: string | null; scenarios: Record<string, string | null> }[];
}

const cents = (s: string | null | undefined) => (s === null || s === undefined ? null : D(s).toFixed(2));

async function apportionTotals(dir: string): Promise<Map<string, string>> {
  const r = await run(['apportion', '--books', dir, '--year', '2026', '--format', 'json'], { cwd: dir });
  expect(r.stderr).toBe('');
  const doc = JSON.parse(r.stdout) as { states: { iso3: string; total: string }[] };
  return new Map(doc.states.map((s) => [s.iso3, D(s.total).toFixed(2)]));
}

describe('scenarios give exactly what apportion gives for the same policy', () => {
  const files = readdirSync(path.join(DATA, 'scenarios')).filter((f) => f.endsWith('.yaml')).sort();

  it('every shipped scenario has its independent meaning in this test', () => {
    expect(files.map((f) => f.replace(/\.yaml$/, '')).sort()).toEqual(Object.keys(MEANING).sort());
  });

  it('the baseline equals apportion, and each scenario equals apportion of the policy edited by hand', async () => {
    const r = await run(['simulate', '--year', '2026', '--format', 'json', '--scenario', ...files.map((f) => path.join(DATA, 'scenarios', f))]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as SimJson;
    const base = await apportionTotals(DATA);
    expect(new Map(doc.states.filter((s) => s.baseline !== null).map((s) => [s.iso3, cents(s.baseline)]))).toEqual(base);
    for (const f of files) {
      const id = f.replace(/\.yaml$/, '');
      const want = await apportionTotals(booksWith(MEANING[id]!));
      const got = new Map(doc.states.filter((s) => s.scenarios[id] !== null).map((s) => [s.iso3, cents(s.scenarios[id])]));
      expect(got, id).toEqual(want);
    }
  });

  it('every scenario and every sweep point sums exactly to the budget', async () => {
    const r = await run(['simulate', '--year', '2026', '--format', 'json', '--scenario', ...files.map((f) => path.join(DATA, 'scenarios', f)), '--split', 'base=33.333,scale=66.667', '--sweep', 'base=0..100:2.5']);
    const doc = JSON.parse(r.stdout) as SimJson;
    expect(doc.scenarios.length).toBe(files.length + 1 + 41);
    for (const sc of doc.scenarios) {
      expect(sc.status, sc.id).toBe('ok');
      const sum = doc.states.reduce((s, x) => s.plus(D(x.scenarios[sc.id] ?? '0')), D('0'));
      expect(sum.toFixed(2), sc.id).toBe(doc.total);
    }
  });
});

describe('results do not depend on the order of scenarios or of input rows', () => {
  it('scenarios reversed, and parties.csv, scale.csv and ldc.csv rows shuffled: the same results per scenario', async () => {
    const shuffle = (t: string) => {
      const [head, ...rows] = t.trimEnd().split('\n');
      // A fixed permutation: odd rows first, then even rows reversed.
      const odd = rows.filter((_, i) => i % 2 === 1);
      const even = rows.filter((_, i) => i % 2 === 0).reverse();
      return [head, ...odd, ...even].join('\n') + '\n';
    };
    const shuffled = booksWith({ 'parties.csv': shuffle, 'scale.csv': shuffle, 'ldc.csv': shuffle, 'regions.csv': shuffle });
    const names = ['equal-25.yaml', 'ratify-10.yaml', 'ceiling-10.yaml'];
    const args = (dir: string, order: string[]) => ['simulate', '--books', dir, '--year', '2026', '--format', 'json', '--group', 'region', '--sweep', 'base=0..40:5', '--scenario', ...order.map((f) => path.join(dir, 'scenarios', f))];
    const a = JSON.parse((await run(args(DATA, names))).stdout) as SimJson & { inputs: unknown };
    const b = JSON.parse((await run(args(shuffled, [...names].reverse()))).stdout) as SimJson & { inputs: unknown };
    const byId = (d: SimJson) => new Map(d.scenarios.map((s) => [s.id, s]));
    expect(byId(b)).toEqual(byId(a));
    expect(b.states).toEqual(a.states);
    // Named scenarios in the order given, then the sweep's points in grid order.
    expect(b.scenarios.map((s) => s.id)).toEqual(['ceiling-10', 'ratify-10', 'equal-25', ...a.scenarios.slice(3).map((s) => s.id)]);
  });

  it('the same command twice gives the same bytes, in every format', async () => {
    for (const format of ['table', 'csv', 'json', 'md', 'html']) {
      const args = ['simulate', '--year', '2026', '--format', format, '--split', 'base=20,scale=80', '--sweep', 'base=10..20:5'];
      const x = await run(args);
      const y = await run(args, { env: { TZ: 'Pacific/Kiritimati', LANG: 'ar_EG.UTF-8' } });
      expect(x.code).toBe(0);
      expect(y.stdout).toBe(x.stdout);
    }
  });
});

describe('the command line', () => {
  it('HTML is self-contained, with one SVG chart per charted indicator along the sweep', async () => {
    const r = await run(['simulate', '--year', '2026', '--sweep', 'base=0..40:1', '--format', 'html']);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('<!DOCTYPE html>')).toBe(true);
    expect((r.stdout.match(/<svg /g) ?? []).length).toBe(10);
    // Each chart: a line through the 41 points of the sweep, each point with its value as a tooltip.
    expect((r.stdout.match(/aria-roledescription="point"/g) ?? []).length).toBe(10 * 41);
    // 36 States pay more at base=0, 4 of them (AFG, BEN, BFA, ZMB: LDCs at the ceiling) by one
    // centime of rounding, which counts as "same" (--same-within, default one rounding unit): 32.
    expect(r.stdout).toContain('<title>base=0,scale=100: 32 States</title>');
    // Nothing loaded from elsewhere: no script, no link, no URL but the SVG namespace.
    expect(r.stdout).not.toMatch(/<script|<link|src=/);
    expect(r.stdout.replace(/http:\/\/www\.w3\.org\/2000\/svg/g, '')).not.toMatch(/https?:/);
  });

  it('CSV: the indicators along a sweep, and the long per-State table', async () => {
    const ind = await run(['simulate', '--year', '2026', '--sweep', 'base=10..20:5', '--format', 'csv']);
    const lines = ind.stdout.trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^scenario,kind,share_base,share_scale,status,payers,assessed,more,less,/);
    expect(lines.slice(1).map((l) => /^("[^"]*"|[^,]*),\w+,\d+,\d+,ok,/.exec(l)?.[0])).toEqual(['baseline,baseline,15,85,ok,', '"base=10,scale=90",sweep,10,90,ok,', '"base=15,scale=85",sweep,15,85,ok,', '"base=20,scale=80",sweep,20,80,ok,']);
    // A sweep's amounts per State, one row per State and point.
    const long = await run(['simulate', '--year', '2026', '--sweep', 'base=10..20:5', '--states', 'NER', '--format', 'csv', '--table', 'states']);
    expect(long.stdout.trimEnd().split('\r\n').slice(1).map((l) => l.split(',').slice(0, 1).concat(l.split('"')[1] ?? '').join(' '))).toEqual(['NER base=10,scale=90', 'NER base=15,scale=85', 'NER base=20,scale=80']);
    const states = await run(['simulate', '--year', '2026', '--split', 'base=20,scale=80', '--states', 'NER,AUT', '--format', 'csv']);
    const rows = states.stdout.trimEnd().split('\r\n');
    expect(rows[0]).toBe('iso3,name,ldc,region,scenario,baseline,amount,difference,change_pct');
    expect(rows.slice(1).map((l) => l.split(',')[0])).toEqual(['AUT', 'NER']);
  });

  it('--top, --sort and --group', async () => {
    const r = await run(['simulate', '--year', '2026', '--scenario', path.join(DATA, 'scenarios', 'base-all.yaml'), '--top', '3', '--group', 'ldc', '--format', 'json']);
    const doc = JSON.parse(r.stdout) as SimJson & { groups: { group: string; baseline: string; scenarios: Record<string, string> }[] };
    expect(doc.states).toHaveLength(3);
    const moved = doc.states.map((s) => D(s.scenarios['base-all']!).minus(D(s.baseline!)).abs());
    expect(moved[0]!.gte(moved[1]!) && moved[1]!.gte(moved[2]!)).toBe(true);
    expect(doc.groups.map((g) => g.group)).toEqual(['LDC', 'non-LDC']);
    // What the LDCs pay more is what the others pay less: the budget is the same.
    const ldc = doc.groups[0]!;
    const other = doc.groups[1]!;
    expect(D(ldc.scenarios['base-all']!).minus(ldc.baseline).plus(D(other.scenarios['base-all']!).minus(other.baseline)).isZero()).toBe(true);
  });

  it('--out DIR writes every format at once, and a summary on a terminal only', async () => {
    const dir = booksWith();
    const r = await run(['simulate', '--books', dir, '--year', '2026', '--split', 'base=20,scale=80', '--out', 'out'], { cwd: dir, tty: true });
    expect(r.code).toBe(0);
    expect(readdirSync(path.join(dir, 'out')).sort()).toEqual(['simulation-2026.csv', 'simulation-2026.html', 'simulation-2026.json', 'simulation-2026.md', 'simulation-2026.txt']);
    expect(r.stdout).toContain('Wrote out/simulation-2026.txt');
    const piped = await run(['simulate', '--books', dir, '--year', '2026', '--split', 'base=20,scale=80', '--out', 'out2'], { cwd: dir });
    expect(piped.stdout).toBe('');
  });

  it('usage errors exit 2 and say what was expected', async () => {
    for (const [args, msg] of [
      [['simulate', '--year', '2026'], 'nothing to compare'],
      [['simulate', '--year', '2026', '--sweep', 'base=0-30:1'], 'CATEGORY=FROM..TO:STEP'],
      [['simulate', '--year', '2026', '--sweep', 'base=30..0:1'], 'FROM is above TO'],
      [['simulate', '--year', '2026', '--sweep', 'base=0..30:0'], 'more than zero'],
      [['simulate', '--year', '2026', '--split', 'base=25;scale=75'], 'is not a number'],
      [['simulate', '--year', '2026', '--split', 'base=1,000'], 'CATEGORY=PERCENT'],
      [['simulate', '--year', '2026', '--split', 'bsae=25,scale=75'], 'no category "bsae"'],
      [['simulate', '--year', '2026', '--sweep', 'nope=0..10:1'], 'has no share'],
      [['simulate', '--year', '2026', '--scenario', 'no-such.yaml'], 'no such file'],
      [['simulate', '--year', '2026', '--split', 'base=20,scale=80', '--absorb', 'scale'], '--absorb goes with --sweep'],
      // Refused before a single point is built.
      [['simulate', '--year', '2026', '--sweep', 'base=0..100:0.000001'], '100000001 points: at most 100,000'],
    ] as [string[], string][]) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toContain(msg);
    }
  });

  it('a sweep point that no allocation satisfies is reported as such, not as an error', async () => {
    // A floor of 0.5 % of the budget for each of 112 States needs 56 % in the scale part:
    // from base 50 % on, no allocation exists.
    const dir = booksWith({ 'policy.yaml': sub('ldc_max: { percent: "0.01", of: total }', 'min: { percent: "0.5", of: total }') });
    const r = await run(['simulate', '--books', dir, '--year', '2026', '--sweep', 'base=0..100:10', '--format', 'json'], { cwd: dir });
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout) as SimJson & { scenarios: { id: string; status: string; failure?: string }[] };
    expect(doc.scenarios.map((s) => s.status)).toEqual([...Array(5).fill('ok'), ...Array(6).fill('not feasible')]);
    // 112 States × 0.5 % × 618,250.00 = 112 × 3,091.25 = 346,220.00 > half the budget.
    expect(doc.scenarios[5]!.failure).toBe('category "scale": the minimums add up to 346220.00, more than the 309125.00 to share');
  });
});

// Keep the helpers honest: a scenario file written here is read like a shipped one.
describe('scenario files', () => {
  it('an impossible date in membership is refused where it is written', async () => {
    const dir = booksWith({ 'scenarios/d.yaml': 'schema: finproc.scenario/1\nid: d\ntitle: t\nmembership:\n  join: { AGO: "2026-02-30" }\n' });
    const r = await run(['simulate', '--books', dir, '--year', '2026', '--scenario', 'scenarios/d.yaml'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^scenarios\/d\.yaml:5:\d+: error \[scenario-schema\] membership\.join\.AGO: /m);
  });

  it('a title with control characters and line breaks is one clean line in every format', async () => {
    const dir = booksWith({ 'scenarios/x.yaml': 'schema: finproc.scenario/1\nid: x\ntitle: "=HYPERLINK(1)\\e[31m red\\nsecond line"\nsplit: { base: "20", scale: "80" }\n' });
    const r = await run(['simulate', '--books', dir, '--year', '2026', '--scenario', 'scenarios/x.yaml'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('\u001b');
    expect(r.stdout).toContain('=HYPERLINK(1) [31m red second line');
    const html = await run(['simulate', '--books', dir, '--year', '2026', '--scenario', 'scenarios/x.yaml', '--format', 'html'], { cwd: dir });
    expect(html.stdout).toContain('=HYPERLINK(1) [31m red second line');
    const json = await run(['simulate', '--books', dir, '--year', '2026', '--scenario', 'scenarios/x.yaml', '--format', 'json'], { cwd: dir });
    expect((JSON.parse(json.stdout) as { scenarios: { title: string }[] }).scenarios[0]!.title).toBe('=HYPERLINK(1) [31m red second line');
  });


  it('a new category, a removed one, pro-rata and rounding changes, and a join with a date', async () => {
    const dir = booksWith({
      'scenarios/mix.yaml': [
        'schema: finproc.scenario/1',
        'id: mix',
        'title: A host-State fixed amount, no equal part, no pro-rata',
        'remove: [base]',
        'categories:',
        '  host:',
        '    name: Host State',
        '    basis: fixed',
        '    amounts: { CHE: "30000.00" }',
        'split: { scale: "100" }',
        'pro_rata: none',
        'rounding: { method: half-even }',
        'membership:',
        '  join: { AGO: "2026-07-01" }',
        '',
      ].join('\n'),
    });
    const r = await run(['simulate', '--books', dir, '--year', '2026', '--scenario', 'scenarios/mix.yaml', '--format', 'json', '--states', 'AGO,CHE'], { cwd: dir });
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout) as SimJson;
    const che = doc.states.find((s) => s.iso3 === 'CHE')!;
    const ago = doc.states.find((s) => s.iso3 === 'AGO')!;
    expect(ago.baseline).toBeNull();
    expect(D(ago.scenarios.mix!).gt(0)).toBe(true);
    // CHE pays the fixed 30,000 plus its scale share.
    expect(D(che.scenarios.mix!).gt(30000)).toBe(true);
    // Independently: the same policy and parties, written by hand, through apportion.
    writeFileSync(
      path.join(dir, 'policy.yaml'),
      sub(/  - id: base\n[\s\S]*?members: non-ldc\n/, '  - id: host\n    name: Host State\n    basis: fixed\n    amounts: { CHE: "30000.00" }\n')(
        sub('share: "85"', 'share: "100"')(sub('pro_rata: months', 'pro_rata: none')(sub('method: largest-remainder', 'method: half-even')(readFileSync(path.join(DATA, 'policy.yaml'), 'utf8')))),
      ),
    );
    writeFileSync(path.join(dir, 'parties.csv'), sub(/^AGO,Angola,2008-12-03,,,,,,signatory$/m, 'AGO,Angola,2008-12-03,,,2026-07-01,,,party')(readFileSync(path.join(DATA, 'parties.csv'), 'utf8')));
    const want = await apportionTotals(dir);
    expect(cents(ago.scenarios.mix)).toBe(want.get('AGO'));
    expect(cents(che.scenarios.mix)).toBe(want.get('CHE'));
  });
});

describe('the Article 14 view', () => {
  it('each scenario equals meeting-costs for the same participants; States not party are added by UN rate', async () => {
    const r = await run(['simulate', '--year', '2026', '--meeting-estimate', '450000.00', '--non-parties', 'largest:2', '--non-parties', 'IND,BRA', '--format', 'json']);
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout) as Omit<SimJson, 'scenarios'> & { scenarios: { id: string; changes: string[] }[] };
    // The 2025-2027 scale: USA 22 %, then CHN 20.004 %, both not party.
    expect(doc.scenarios.map((s) => [s.id, s.changes[0]])).toEqual([
      ['+1-largest', 'join the meeting: USA'],
      ['+2-largest', 'join the meeting: USA, CHN'],
      ['+IND+BRA', 'join the meeting: IND, BRA'],
    ]);
    const dir = booksWith();
    const parties = doc.states.filter((s) => s.baseline !== null).map((s) => s.iso3);
    for (const [id, extra] of [['baseline', []], ['+2-largest', ['USA', 'CHN']], ['+IND+BRA', ['IND', 'BRA']]] as [string, string[]][]) {
      writeFileSync(path.join(dir, 'p.csv'), `iso3\n${[...parties, ...extra].join('\n')}\n`);
      const m = await run(['meeting-costs', '--books', dir, '--meeting', 'X', '--year', '2026', '--estimate', '450000.00', '--participants', 'p.csv', '--format', 'json'], { cwd: dir });
      expect(m.stderr).toBe('');
      const want = new Map((JSON.parse(m.stdout) as { shares: { iso3: string; estimate: string }[] }).shares.map((x) => [x.iso3, x.estimate]));
      const got = new Map(doc.states.flatMap((s) => {
        const v = id === 'baseline' ? s.baseline : s.scenarios[id];
        return v === null || v === undefined ? [] : [[s.iso3, v] as [string, string]];
      }));
      expect(got, id).toEqual(want);
    }
  });

  it('refuses a State Party as a State not party, and options of the other mode', async () => {
    const a = await run(['simulate', '--year', '2026', '--meeting-estimate', '450000.00', '--non-parties', 'AUT']);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('AUT is a State Party in 2026');
    const b = await run(['simulate', '--year', '2026', '--meeting-estimate', '450000.00', '--non-parties', 'largest:2', '--sweep', 'base=0..10:1']);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('compares participants, not policies');
  });
});

describe('indicators against an independent oracle (test/oracle/indicators.py)', () => {
  const PY = findPython();
  const check = async (args: string[]) => {
    const r = await run(['simulate', '--year', '2026', '--format', 'json', ...args]);
    expect(r.stderr).toBe('');
    const py = spawnSync(PY, [path.join(ROOT, 'test', 'oracle', 'indicators.py')], { input: r.stdout, encoding: 'utf8' });
    expect(py.stderr).toBe('');
    const want = JSON.parse(py.stdout) as Record<string, Record<string, string>>;
    const doc = JSON.parse(r.stdout) as { baseline: { indicators: Record<string, string | number | null> }; scenarios: { id: string; status: string; indicators: Record<string, string | number | null> | null }[] };
    const ours = (i: Record<string, string | number | null>) => Object.fromEntries(Object.entries(i).filter(([k, v]) => v !== null && !k.startsWith('small_')).map(([k, v]) => [k, String(v)]));
    const got: Record<string, Record<string, string | null>> = { baseline: ours(doc.baseline.indicators) };
    for (const x of doc.scenarios) if (x.status === 'ok') got[x.id] = ours(x.indicators!);
    expect(got).toEqual(want);
    return Object.keys(want).length;
  };

  it('every shipped scenario, a sweep and the Article 14 view', async () => {
    const files = readdirSync(path.join(DATA, 'scenarios')).map((f) => path.join(DATA, 'scenarios', f));
    expect(await check(['--scenario', ...files, '--sweep', 'base=0..100:12.5'])).toBe(1 + files.length + 9);
    expect(await check(['--meeting-estimate', '450000.00', '--non-parties', 'largest:3', '--non-parties', 'smallest:2'])).toBe(6);
  });
});
