/**
 * One golden invoice per language (test/golden/invoices/ISO3-LANG.html|md), issued on the
 * example books on 18 August 2026.
 *
 * How the goldens were checked: each was read in full, as text (Markdown) and as a page
 * rendered by Chromium (HTML), before it was committed: English AFG (an LDC held at the LDC
 * ceiling, arrears of seven years, a Swiss QR-bill), French BDI (an LDC, part paid), Spanish
 * CRI (part paid), Arabic IRQ (arrears of three years; right to left, Latin runs isolated),
 * Russian BGR (part paid; plural forms) and Chinese AUT (paid in full, nothing due). Their
 * amounts are the register's, which test/invoice.test.ts cross-checks against `apportion` and
 * `arrears` for every State. A change of wording or layout shows here as a diff to read again.
 *
 * Issue 13 rewrote them as notes verbales (letterhead, courtesy formulas, display names instead
 * of policy identifiers). Before they were replaced, the new files were checked to carry exactly
 * the same `data-amount` values in the same order, the same RF reference, and no amount in the
 * Markdown that the old file did not have (only wording and layout changed).
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { booksWith, ROOT, run } from './helpers.js';

const GOLDEN = path.join(ROOT, 'test', 'golden', 'invoices');
const CASES = [
  ['AFG', 'en'],
  ['BDI', 'fr'],
  ['CRI', 'es'],
  ['IRQ', 'ar'],
  ['BGR', 'ru'],
  ['AUT', 'zh'],
] as const;

describe('one golden invoice per language', () => {
  let books: string;
  beforeAll(() => {
    books = booksWith();
  });
  for (const [iso3, lang] of CASES) {
    it(`${iso3} in ${lang}`, async () => {
      const out = mkdtempSync(path.join(tmpdir(), 'finproc-golden-'));
      const r = await run(['invoice', '--year', '2026', '--books', books, '--issue-date', '2026-08-18', '--states', iso3, '--lang', lang, '--format', 'html,md', '--out', out]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      for (const ext of ['html', 'md']) {
        const made = readdirSync(out).find((f) => f.startsWith(`${iso3}-ISU-`) && f.endsWith(`.${ext}`))!;
        expect(readFileSync(path.join(out, made), 'utf8'), `${iso3}-${lang}.${ext}`).toBe(readFileSync(path.join(GOLDEN, `${iso3}-${lang}.${ext}`), 'utf8'));
      }
      if (lang === 'ar') expect(readFileSync(path.join(GOLDEN, `${iso3}-${lang}.html`), 'utf8')).toContain('<html lang="ar" dir="rtl">');
    });
  }
});

describe('the same amounts in every language', () => {
  it('CIV in six languages: the same amounts, in the same order, and the same reference', async () => {
    const books = booksWith();
    const seen: string[] = [];
    for (const lang of ['en', 'fr', 'es', 'ar', 'ru', 'zh']) {
      const out = mkdtempSync(path.join(tmpdir(), 'finproc-lang-'));
      const r = await run(['invoice', '--year', '2026', '--books', books, '--issue-date', '2026-08-18', '--states', 'CIV', '--lang', lang, '--out', out]);
      expect(r.code).toBe(0);
      const html = readFileSync(path.join(out, readdirSync(out).find((f) => f.startsWith('CIV-') && f.endsWith('.html'))!), 'utf8');
      expect(html).toContain(`<html lang="${lang}" dir="${lang === 'ar' ? 'rtl' : 'ltr'}">`);
      seen.push(JSON.stringify([...html.matchAll(/data-amount="([^"]+)"/g)].map((m) => m[1])) + /RF\d\dISU\d+/.exec(html)![0]);
    }
    // CIV owes arrears, so the table has several amounts to compare.
    expect(JSON.parse(seen[0]!.replace(/RF.*$/, '')).length).toBeGreaterThan(3);
    expect(new Set(seen).size).toBe(1);
  }, 30_000);
});
