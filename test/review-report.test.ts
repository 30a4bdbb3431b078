/**
 * report on a terminal fits COLUMNS (issue 14: "Terminal tables fit COLUMNS"); found in review
 * at 212 characters a line on a 100-column terminal. Piped without COLUMNS, every table stays whole.
 */
import { describe, expect, it } from 'vitest';
import { run } from './helpers.js';

const width = (s: string) => [...s].length;

describe('report --as-of on a terminal', () => {
  it('fits COLUMNS=100 and keeps every figure (tables split into blocks that repeat ISO3 and State)', async () => {
    const wide = await run(['report', '--as-of', '2026-08-18']);
    const fit = await run(['report', '--as-of', '2026-08-18'], { env: { COLUMNS: '100' } });
    expect(wide.code).toBe(0);
    expect(fit.code).toBe(0);
    expect(Math.max(...wide.stdout.split('\n').map(width))).toBeGreaterThan(200);
    expect(Math.max(...fit.stdout.split('\n').map(width))).toBeLessThanOrEqual(100);
    // the same amounts, only laid out differently: every Swiss-grouped figure of the wide report is in the narrow one
    const figures = (s: string) => (s.match(/-?\d[\d']*\.\d\d/g) ?? []).sort();
    expect(figures(fit.stdout)).toEqual(expect.arrayContaining(figures(wide.stdout)));
    // Afghanistan's row is split, its key repeated in each block
    const afg = fit.stdout.split('\n').filter((l) => l.startsWith('AFG   Afghanistan'));
    expect(afg.length).toBeGreaterThan(2);
  });
});
