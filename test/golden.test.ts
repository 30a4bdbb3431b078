/**
 * Golden outputs of `finproc apportion` on the example books, one per format, for 2026
 * (the illustrative CCM policy) and 2026 under the per-line policy (rounding difference
 * lines). How their numbers were checked: the lines of each golden JSON are compared here,
 * in every run, with the independent Python oracle (test/oracle/apportion.py); the other
 * formats are renderings of the same report and are compared with the JSON figure by
 * figure below. The text around the numbers was reviewed by reading it.
 *
 * To regenerate after a deliberate change: UPDATE_GOLDEN=1 npx vitest run test/golden.test.ts,
 * then review the diff.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { DATA, ROOT, run } from './helpers.js';
import { findPython } from './python.js';

const GOLDEN = path.join(ROOT, 'test', 'golden');
const cases = [
  { name: 'apportion-2026', args: ['apportion', '--year', '2026'], policy: 'policy.yaml', budget: '618250.00' },
  { name: 'apportion-2026-tiers', args: ['apportion', '--year', '2026', '--policy', 'data/policies/tiers-per-line.yaml'], policy: 'policies/tiers-per-line.yaml', budget: '618250.00' },
];
const formats = [
  { fmt: 'table', ext: 'txt' },
  { fmt: 'csv', ext: 'csv' },
  { fmt: 'json', ext: 'json' },
  { fmt: 'md', ext: 'md' },
];

function golden(file: string, actual: string): void {
  const p = path.join(GOLDEN, file);
  if (process.env.UPDATE_GOLDEN) writeFileSync(p, actual);
  expect(existsSync(p), `${file} is missing: run UPDATE_GOLDEN=1 npx vitest run test/golden.test.ts and review it`).toBe(true);
  expect(actual).toBe(readFileSync(p, 'utf8'));
}

describe('golden apportionment outputs', () => {
  for (const c of cases) {
    for (const f of formats) {
      it(`${c.name}.${f.ext}`, async () => {
        const r = await run([...c.args, '--format', f.fmt]);
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        golden(`${c.name}.${f.ext}`, r.stdout);
      });
    }

    it(`${c.name}: the golden JSON lines equal the independent oracle's`, () => {
      const doc = JSON.parse(readFileSync(path.join(GOLDEN, `${c.name}.json`), 'utf8')) as { lines: unknown[]; categories: { id: string; amount: string }[] };
      const o = spawnSync(findPython(), [path.join(ROOT, 'test/oracle/apportion.py'), '--books', DATA, '--policy', path.join(DATA, c.policy), '--year', '2026', '--budget', c.budget], { encoding: 'utf8' });
      expect(o.status).toBe(0);
      const want = JSON.parse(o.stdout) as { lines: unknown[]; categories: { id: string; amount: string }[] };
      expect(doc.lines).toEqual(want.lines);
      expect(doc.categories.map((k) => [k.id, k.amount])).toEqual(want.categories.map((k) => [k.id, k.amount]));
    });

    it(`${c.name}: CSV and Markdown carry the same figures as the JSON`, () => {
      const doc = JSON.parse(readFileSync(path.join(GOLDEN, `${c.name}.json`), 'utf8')) as { lines: { iso3: string; category: string; amount: string }[]; states: { iso3: string; total: string }[] };
      const rows = parse(readFileSync(path.join(GOLDEN, `${c.name}.csv`), 'utf8'), { columns: true }) as Record<string, string>[];
      for (const l of doc.lines) expect(rows.find((r) => r.iso3 === l.iso3)![l.category]).toBe(l.amount);
      for (const s of doc.states) expect(rows.find((r) => r.iso3 === s.iso3)!.total).toBe(s.total);
      const md = readFileSync(path.join(GOLDEN, `${c.name}.md`), 'utf8');
      for (const s of doc.states) {
        const row = md.split('\n').find((l) => l.startsWith(`| ${s.iso3} |`))!;
        const cells = row.split(' | ');
        expect(cells[cells.length - 1]).toBe(`${s.total} |`);
        for (const l of doc.lines.filter((x) => x.iso3 === s.iso3)) expect(cells).toContain(l.amount);
      }
    });
  }
});
