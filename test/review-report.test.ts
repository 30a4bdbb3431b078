/**
 * report on a terminal fits COLUMNS (issue 14: "Terminal tables fit COLUMNS"); found in review
 * at 212 characters a line on a 100-column terminal. Piped without COLUMNS, every table stays whole.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findChromium } from '../src/io/pdf.js';
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

const hasChromium = 'path' in findChromium(process.env);

describe('report as PDF', () => {
  // In review: a 9-page document for the meeting had no page numbers and no title on its pages.
  it.skipIf(!hasChromium && !process.env.CI)('every page carries the title and "Page x of y"', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'finproc-review-report-')), 'r.pdf');
    const r = await run(['report', '--as-of', '2026-08-18', '--out', file]);
    expect(r.code).toBe(0);
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
    expect(pages).toBeGreaterThan(1);
    for (let i = 1; i <= pages; i++) {
      const text = execFileSync('pdftotext', ['-f', String(i), '-l', String(i), '-layout', file, '-'], { encoding: 'utf8' });
      expect(text).toContain(`Page ${i} of ${pages}`);
      expect(text).toContain('Financial report 2026 to the Meeting of States Parties, as of 2026-08-18');
    }
  }, 120_000);
});
