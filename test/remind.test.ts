/**
 * `finproc remind --as-of`: one letter per State in arrears, cross-checked against `arrears`
 * for the same date; levels by the age of the oldest unpaid year; same bytes on a rerun.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { booksWith, DATA, run } from './helpers.js';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'finproc-remind-'));

describe('reminders on the example books', () => {
  const asOf = '2026-03-31';
  it('one letter per State with arrears, for exactly its arrears, at the level of its oldest unpaid year', async () => {
    const out = tmp();
    const r = await run(['remind', '--as-of', asOf, '--books', DATA, '--format', 'html,md', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const ar = JSON.parse((await run(['arrears', '--as-of', asOf, '--books', DATA, '--format', 'json'])).stdout) as { states: { iso3: string; arrears: string; by_year: { year: number; outstanding: string }[] }[] };
    const owing = ar.states.filter((s) => s.arrears !== '0.00');
    const list = parse(readFileSync(path.join(out, `reminders-${asOf}.csv`), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(list.map((l) => l.iso3)).toEqual(owing.map((s) => s.iso3));
    for (const s of owing) {
      const row = list.find((l) => l.iso3 === s.iso3)!;
      expect(row.outstanding, s.iso3).toBe(s.arrears);
      const oldest = Math.min(...s.by_year.filter((y) => y.year < 2026 && y.outstanding !== '0.00').map((y) => y.year));
      expect(row.oldest_year, s.iso3).toBe(String(oldest));
      expect(row.level, s.iso3).toBe(String(Math.min(3, 2026 - oldest)));
      const html = readFileSync(path.join(out, row.document!), 'utf8');
      const amounts = [...html.matchAll(/data-amount="([^"]+)"/g)].map((m) => m[1]);
      expect(amounts[amounts.length - 1], s.iso3).toBe(s.arrears);
    }
    // All three levels occur in the example books.
    expect(new Set(list.map((l) => l.level))).toEqual(new Set(['1', '2', '3']));
    // A second run gives the same bytes.
    const again = tmp();
    expect((await run(['remind', '--as-of', asOf, '--books', DATA, '--format', 'html,md', '--out', again])).code).toBe(0);
    for (const f of readdirSync(out)) expect(readFileSync(path.join(again, f), 'utf8'), f).toBe(readFileSync(path.join(out, f), 'utf8'));
  }, 30_000);

  it('--level 3 keeps the final reminders only, in the State\'s language', async () => {
    const out = tmp();
    expect((await run(['remind', '--as-of', asOf, '--books', DATA, '--level', '3', '--out', out])).code).toBe(0);
    const list = parse(readFileSync(path.join(out, `reminders-${asOf}.csv`), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(list.length).toBeGreaterThan(0);
    for (const l of list) expect(l.level).toBe('3');
    const fr = list.find((l) => l.language === 'fr');
    if (fr) expect(readFileSync(path.join(out, fr.document!), 'utf8')).toContain('<html lang="fr" dir="ltr">');
  });

  it('writes nothing for a State that owes nothing, and says nothing on a pipe', async () => {
    const out = tmp();
    const r = await run(['remind', '--as-of', asOf, '--books', DATA, '--states', 'AUT', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(readdirSync(out).sort()).toEqual(['index.html', 'manifest.json', `reminders-${asOf}.csv`]);
  });

  it('an unknown State is a usage error', async () => {
    const r = await run(['remind', '--as-of', asOf, '--books', booksWith(), '--states', 'XYZ', '--out', tmp()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('XYZ');
  });
});
