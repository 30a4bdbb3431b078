/**
 * finproc against an independent oracle: test/oracle/apportion.py, written in Python from
 * docs/policy.md alone (standard-library Fractions, PyYAML), without reading src/. Its own
 * hand-worked cases are in test/oracle/selftest.py. It finds the bounded allocation by a
 * different method (searching the multiplier directly, not the round-by-round loop), so
 * agreement is evidence for both.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DATA, ROOT, run, yamlOf } from './helpers.js';
import { findPython } from './python.js';

const PY = findPython();
const ORACLE = path.join(ROOT, 'test', 'oracle', 'apportion.py');

interface Lines {
  categories: { id: string; amount: string }[];
  lines: { iso3: string; category: string; amount: string }[];
}

function oracle(books: string, policy: string, year: number, budget: string): Lines | { error: string } {
  const r = spawnSync(PY, [ORACLE, '--books', books, '--policy', policy, '--year', String(year), '--budget', budget], { encoding: 'utf8' });
  if (r.status !== 0) return { error: r.stderr.trim() };
  const doc = JSON.parse(r.stdout) as Lines;
  return { categories: doc.categories.map((c) => ({ id: c.id, amount: c.amount })), lines: doc.lines };
}

async function finproc(books: string, policy: string, year: number, budget: string): Promise<Lines | { error: string }> {
  const r = await run(['apportion', '--books', books, '--policy', policy, '--year', String(year), '--budget', budget, '--format', 'json']);
  if (r.code !== 0) return { error: r.stderr.trim() };
  const doc = JSON.parse(r.stdout) as Lines;
  return { categories: doc.categories.map((c) => ({ id: c.id, amount: c.amount })), lines: doc.lines };
}

const policies = ['policy.yaml', ...readdirSync(path.join(DATA, 'policies')).map((f) => `policies/${f}`)];

describe('shipped policies agree with the oracle to the centime', () => {
  it('the oracle passes its own hand-worked cases', () => {
    const r = spawnSync(PY, [path.join(ROOT, 'test', 'oracle', 'selftest.py')], { encoding: 'utf8' });
    expect(r.stdout).toContain('all checks passed');
    expect(r.status).toBe(0);
  });
  for (const policy of policies) {
    for (const year of [2024, 2025, 2026]) {
      for (const budget of ['592000.00', '618250.00', '1000001.00']) {
        it(`${policy} ${year} budget ${budget}`, async () => {
          const p = path.join(DATA, policy);
          const want = oracle(DATA, p, year, budget);
          const got = await finproc(DATA, p, year, budget);
          expect('error' in want ? 'error' : 'ok').toBe('ok');
          expect(got).toEqual(want);
        });
      }
    }
  }
});

/** Small random books and policies, including bounds that bind on both sides. */
const caseArb = fc.record({
  rates: fc.array(fc.integer({ min: 1, max: 30000 }), { minLength: 3, maxLength: 12 }),
  ldcs: fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
  eif: fc.array(fc.constantFrom('2010-08-01', '2025-07-01', '2026-03-01', '2026-12-01'), { minLength: 12, maxLength: 12 }),
  equalShare: fc.integer({ min: 0, max: 60 }),
  min: fc.option(fc.constantFrom('0.1', '0.5', '1'), { nil: undefined }),
  max: fc.option(fc.constantFrom('25', '40', '60'), { nil: undefined }),
  ldcMax: fc.option(fc.constantFrom('0.5', '2'), { nil: undefined }),
  of: fc.constantFrom('total', 'category'),
  unit: fc.constantFrom('0.01', '0.05', '1'),
  method: fc.constantFrom('largest-remainder', 'half-up', 'half-even'),
  proRata: fc.constantFrom('none', 'months'),
  units: fc.integer({ min: 1000, max: 50_000_000 }),
  // The rest of the policy language: a fixed-amount category, a flat amount, a voluntary
  // part, "rest", a fixed share, an unrated State given a notional rate.
  host: fc.option(fc.integer({ min: 1, max: 500 }), { nil: undefined }),
  flat: fc.option(fc.integer({ min: 1, max: 500 }), { nil: undefined }),
  voluntary: fc.boolean(),
  rest: fc.boolean(),
  fixedShare: fc.option(fc.constantFrom('2.5', '10', '33.333'), { nil: undefined }),
  unrated: fc.boolean(),
});

describe('random books agree with the oracle (differential test)', () => {
  it('same lines, or both refuse', async () => {
    const samples = fc.sample(caseArb, { numRuns: 60, seed: 20261128 });
    let compared = 0;
    for (const c of samples) {
      const dir = mkdtempSync(path.join(tmpdir(), 'finproc-oracle-'));
      const codes = c.rates.map((_, i) => `Z${String.fromCharCode(65 + i)}${String.fromCharCode(90 - i)}`);
      writeFileSync(path.join(dir, 'states.csv'), 'iso3,name_en,name_fr,name_es,language\n' + codes.map((k) => `${k},${k},${k},${k},en\n`).join(''));
      writeFileSync(path.join(dir, 'parties.csv'), 'iso3,participant,entry_into_force,withdrawal_effective\n' + codes.map((k, i) => `${k},${k},${c.eif[i]},\n`).join(''));
      // With `unrated`, the last State is not in the scale and gets a notional rate.
      const rated = c.unrated ? codes.slice(0, -1) : codes;
      writeFileSync(path.join(dir, 'scale.csv'), 'iso3,member_state,rate_2025_2027_pct\n' + rated.map((k, i) => `${k},${k},${(c.rates[i]! / 1000).toFixed(3)}\n`).join(''));
      writeFileSync(path.join(dir, 'ldc.csv'), 'iso3,name\n' + codes.filter((_, i) => c.ldcs[i]).map((k) => `${k},${k}\n`).join(''));
      writeFileSync(path.join(dir, 'budgets.csv'), 'year,amount,currency\n');
      const bounds = { ...(c.min ? { min: { percent: c.min, of: c.of } } : {}), ...(c.max ? { max: { percent: c.max, of: c.of } } : {}), ...(c.ldcMax ? { ldc_max: { percent: c.ldcMax, of: c.of } } : {}) };
      const unitCents = c.unit === '1' ? 100n : c.unit === '0.05' ? 5n : 1n;
      const money = (n: number) => (BigInt(n) * unitCents).toString().padStart(3, '0').replace(/(\d\d)$/, '.$1');
      const vol = c.voluntary ? 10 : 0;
      const eq = Math.round((c.equalShare * (100 - vol)) / 100);
      const cats = [
        ...(c.host ? [{ id: 'host', name: 'Host', basis: 'fixed', amounts: { [codes[0]!]: money(c.host) } }] : []),
        ...(c.flat ? [{ id: 'flat', name: 'Flat', basis: 'equal', amount: money(c.flat), members: { iso3: [codes[2]!] } }] : []),
        ...(eq > 0 ? [{ id: 'equal', name: 'Equal', basis: 'equal', share: String(eq), members: c.rest ? { iso3: [codes[2]!] } : 'non-ldc' }] : []),
        {
          id: 'scale',
          name: 'Scale',
          basis: 'scale',
          share: String(100 - vol - eq),
          ...(c.rest && eq > 0 ? { members: 'rest' } : {}),
          ...(Object.keys(bounds).length ? { bounds } : {}),
          ...(c.fixedShare ? { fixed_shares: { [codes[1]!]: c.fixedShare } } : {}),
        },
        ...(vol ? [{ id: 'vol', name: 'Voluntary', basis: 'voluntary', share: String(vol) }] : []),
      ];
      const policy = path.join(dir, 'policy.yaml');
      writeFileSync(
        policy,
        yamlOf({
          schema: 'finproc.policy/1',
          id: 'random',
          title: 'random',
          source: 'test',
          scale: { periods: [{ from: '2025', to: '2027', column: 'rate_2025_2027_pct' }], ...(c.unrated ? { unrated: { rule: 'notional', rate: '0.002', states: [codes[codes.length - 1]!] } } : {}) },
          pro_rata: c.proRata,
          rounding: { unit: c.unit, method: c.method },
          categories: cats,
        }),
      );
      const budget = money(c.units);
      const want = oracle(dir, policy, 2026, budget);
      const got = await finproc(dir, policy, 2026, budget);
      if ('error' in want || 'error' in got) {
        // Both must refuse (each says why in its own words).
        expect({ finproc: 'error' in got, oracle: 'error' in want }, JSON.stringify([got, want]).slice(0, 600)).toEqual({ finproc: true, oracle: true });
      } else {
        expect(got).toEqual(want);
        compared++;
      }
    }
    // Most cases must be real comparisons, not agreed refusals.
    expect(compared).toBeGreaterThan(35);
    // 40 books through Python: about 25 s on an idle machine, more than 60 s on a loaded one.
  }, 180_000);
});
