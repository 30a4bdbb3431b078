/**
 * The documents as printed (issue 13): PDFs made by Chromium and read back with poppler
 * (pdfinfo, pdftotext, pdftoppm), the QR-bill decoded from the rendered page with jsQR.
 *
 * - a short invoice is one page, in every language, with "page 1 of 1" and its number;
 * - no internal identifier of the books in any language (policy id, scale column, category
 *   ids, unrounded quotas, the weight of the equal share);
 * - a long invoice with a QR-bill has the number and "page x of y" on every page, the bill's
 *   text complete, its receipt and payment part at the SIX positions of a 210 × 105 mm slip at
 *   the foot of the A4 page, and a QR code that decodes to the IBAN, amount, currency and
 *   reference of the invoice;
 * - reminders and acknowledgements in Arabic: the telephone number stays on one line.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as jsqr from 'jsqr';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { booksWith, run } from './helpers.js';

// jsqr is CommonJS with an `exports.default`: take the function whichever way it arrives.
type Decode = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
const jsqrAny = jsqr as unknown as { default?: Decode | { default?: Decode } };
const jsQR: Decode = typeof jsqrAny.default === 'function' ? jsqrAny.default : (jsqrAny.default as { default: Decode }).default;

const HAVE = existsSync('/usr/bin/chromium') && existsSync('/usr/bin/pdftotext');
const LANGS = ['en', 'fr', 'es', 'ar', 'ru', 'zh'] as const;
const PAGE_OF: Record<(typeof LANGS)[number], (x: number, y: number) => string> = {
  en: (x, y) => `Page ${x} of ${y}`,
  fr: (x, y) => `Page ${x} sur ${y}`,
  es: (x, y) => `Página ${x} de ${y}`,
  ar: () => 'الصفحة',
  ru: (x, y) => `Стр. ${x} из ${y}`,
  zh: (x, y) => `第${x}页，共${y}页`,
};
/** What the books call things, and must never reach a reader. */
const INTERNAL = [/ccm-illustrative/, /rate_20\d\d_20\d\d_pct/, /\((base|scale)\)/, /Catégorie scale|Category (base|scale)|Categoría (base|scale)|Категория (base|scale)|类别(base|scale)/, /out of 1,?056|months out of/, /\d\.\d{6}\b/, /\bpolicy\b/i];

const pages = (pdf: string) => Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))![1]);
const text = (pdf: string, ...args: string[]) => execFileSync('pdftotext', [...args, pdf, '-'], { encoding: 'utf8' });

describe.skipIf(!HAVE)('PDFs read back', () => {
  let books: string;
  beforeAll(() => {
    books = booksWith();
  });

  it('a short invoice is one page in every language, numbered, with no internal identifier', async () => {
    for (const lang of LANGS) {
      const out = mkdtempSync(path.join(tmpdir(), 'finproc-pdf-'));
      const r = await run(['invoice', '--year', '2026', '--books', books, '--issue-date', '2026-08-18', '--states', 'AUT', '--lang', lang, '--format', 'html,pdf', '--preview', '--out', out]);
      expect(r.stderr, lang).toBe('');
      const pdf = path.join(out, 'AUT-ISU-2026-006.pdf');
      expect(pages(pdf), lang).toBe(1);
      const t = text(pdf);
      expect(t, lang).toContain(PAGE_OF[lang](1, 1));
      expect(t, lang).toContain('ISU-2026-006');
      for (const bad of INTERNAL) expect(t, `${lang}: ${bad}`).not.toMatch(bad);
      // The same for the HTML, tags removed (the generator meta names finproc, not a policy).
      const html = readFileSync(path.join(out, 'AUT-ISU-2026-006.html'), 'utf8').replace(/<style>[\s\S]*?<\/style>|<[^>]+>/g, ' ');
      for (const bad of INTERNAL) expect(html, `${lang} html: ${bad}`).not.toMatch(bad);
    }
  }, 120_000);

  it('a long invoice with a QR-bill: number and page x of y on every page; the bill complete, in place, and readable', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'finproc-pdf-'));
    const r = await run(['invoice', '--year', '2026', '--books', books, '--issue-date', '2026-08-18', '--states', 'AFG', '--lang', 'en', '--format', 'pdf', '--preview', '--out', out]);
    expect(r.stderr).toBe('');
    const pdf = path.join(out, 'AFG-ISU-2026-001.pdf');
    const n = pages(pdf);
    expect(n).toBeGreaterThanOrEqual(2);
    for (let p = 1; p <= n; p++) {
      const t = text(pdf, '-f', String(p), '-l', String(p));
      expect(t, `page ${p}`).toContain('ISU-2026-001');
      expect(t, `page ${p}`).toContain(`Page ${p} of ${n}`);
    }
    // The bill is on the last page, its text whole (the holder was clipped before issue 13).
    const last = text(pdf, '-f', String(n), '-l', String(n), '-layout');
    for (const s of ['Receipt', 'Payment part', 'Account / Payable to', 'CH93 0076 2011 6238 5295 7', 'GICHD - CCM Implementation Support Unit', 'Chemin Eugène-Rigot 2C', '1202 Geneva', 'Reference', 'RF91 ISU2 0260 01', 'Additional information', 'Payable by', 'Permanent Mission of Afghanistan', 'Avenue de la Paix 40', 'Currency', 'Amount', 'CHF', '422.74', 'Acceptance point'])
      expect(last, s).toContain(s);

    // Geometry, in PDF points from the top-left of the A4 page (595.28 × 841.89): the slip's
    // top edge is 105 mm above the foot; SIX places the titles 5 mm inside it, the receipt at
    // 5 mm from the left edge and the payment part at 67 mm.
    const mm = (v: number) => (v * 72) / 25.4;
    const words = [...text(pdf, '-f', String(n), '-l', String(n), '-bbox').matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]), x2: Number(m[3]), y2: Number(m[4]), w: m[5]! }));
    const page = /<page width="([\d.]+)" height="([\d.]+)"/.exec(text(pdf, '-f', String(n), '-l', String(n), '-bbox'))!;
    expect(Number(page[1])).toBeCloseTo(mm(210), 0);
    expect(Number(page[2])).toBeCloseTo(mm(297), 0);
    const top = mm(297 - 105);
    const receipt = words.find((w) => w.w === 'Receipt')!;
    const payment = words.find((w) => w.w === 'Payment')!;
    expect(Math.abs(receipt.x - mm(5))).toBeLessThan(1.5);
    expect(Math.abs(payment.x - mm(67))).toBeLessThan(1.5);
    // The 11 pt title's box starts within 2 pt of 5 mm below the slip's top edge.
    for (const w of [receipt, payment]) expect(Math.abs(w.y - (top + mm(5)))).toBeLessThan(3);
    // Every word of the bill inside the slip: below its top edge, above the foot of the page.
    const onSlip = words.filter((w) => w.y >= top - 1);
    expect(onSlip.length).toBeGreaterThan(40);
    for (const w of onSlip) {
      expect(w.y2, w.w).toBeLessThanOrEqual(mm(297));
      expect(w.x2, w.w).toBeLessThanOrEqual(mm(210));
      // Nothing of the receipt crosses into the payment part (the vertical line at 62 mm).
      if (w.x < mm(62)) expect(w.x2, w.w).toBeLessThanOrEqual(mm(62));
    }

    // The QR code, rendered at 200 dpi and cut out around its place (67 mm, 17 mm into the slip).
    execFileSync('pdftoppm', ['-f', String(n), '-l', String(n), '-r', '200', '-png', '-singlefile', pdf, path.join(out, 'bill')]);
    const png = PNG.sync.read(readFileSync(path.join(out, 'bill.png')));
    const px = (v: number) => Math.round((v * 200) / 25.4);
    const x0 = px(62), y0 = px(297 - 105 + 12), w = px(56), h = px(56);
    const crop = new Uint8ClampedArray(w * h * 4);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let k = 0; k < 4; k++) crop[(y * w + x) * 4 + k] = png.data[((y0 + y) * png.width + x0 + x) * 4 + k]!;
    const code = jsQR(crop, w, h);
    expect(code, 'a QR code at the SIX place of the payment part').not.toBeNull();
    const lines = code!.data.split(/\r?\n/);
    expect(lines.slice(0, 3)).toEqual(['SPC', '0200', '1']);
    expect(lines[3]).toBe('CH9300762011623852957');
    expect(lines[18]).toBe('422.74');
    expect(lines[19]).toBe('CHF');
    expect(lines[lines.indexOf('SCOR') + 1]).toBe('RF91ISU2026001');
    expect(lines).toContain('ISU-2026-001');
  }, 120_000);

  it('reminders and acknowledgements in Arabic: right to left, numbered, the telephone number on one line', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'finproc-pdf-'));
    const r = await run(['remind', '--as-of', '2026-03-31', '--books', books, '--states', 'IRQ', '--lang', 'ar', '--format', 'html,pdf', '--out', out]);
    expect(r.stderr).toBe('');
    const html = readFileSync(path.join(out, readdirSync(out).find((f) => f.endsWith('.html') && f.startsWith('IRQ'))!), 'utf8');
    expect(html).toContain('<html lang="ar" dir="rtl">');
    expect(html).toContain('تهدي');
    // In the letterhead and in the sentence that gives it: a left-to-right run that cannot break.
    expect(html).toMatch(/<p>[^\n]*<bdi class="nw" dir="ltr">\+41 22 000 00 00<\/bdi>[^\n]*<\/p>/);
    expect(html).toMatch(/<p>[^\n]*<bdi class="nw" dir="ltr">finance@isu\.example\.org<\/bdi>[^\n]*<\/p>/);
    const pdf = path.join(out, readdirSync(out).find((f) => f.endsWith('.pdf'))!);
    const t = text(pdf);
    expect(t).toContain('+41 22 000 00 00');
    expect(t).toContain('IRQ-reminder-2026-03-31');
    const a = mkdtempSync(path.join(tmpdir(), 'finproc-pdf-'));
    expect((await run(['acknowledge', '--payment', 'PAY-2026-00084', '--books', books, '--lang', 'ar', '--format', 'pdf', '--out', a])).stderr).toBe('');
    const ack = path.join(a, 'CMR-ack-PAY-2026-00084.pdf');
    expect(pages(ack)).toBe(1);
    expect(text(ack)).toContain('+41 22 000 00 00');
  }, 120_000);
});
