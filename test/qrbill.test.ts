/**
 * The Swiss QR-bill (render/qrbill.ts): the faster mask penalty gives exactly qrcodegen's
 * score, hence the same code; the text is laid out inside its fields; a creditor that cannot
 * fit is an error before anything is drawn; the slip is 210 × 105 mm.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { qrcodegen } from '../node_modules/swissqrbill/lib/esm/shared/qr-code-generator.js';
import { fastApplyMask, fastPenaltyScore, ORIGINAL_APPLY_MASK, ORIGINAL_PENALTY, ORIGINAL_SET_FUNCTION_MODULE, syncedSetFunctionModule, qrBill, qrBillLayout, QrBillError, textWidthMm, wrap, type QrBillInput } from '../src/render/qrbill.js';
import type { Issuer, Mission } from '../src/io/invoice.js';

const issuer: Issuer = {
  name: 'Implementation Support Unit',
  careOf: '',
  address: { street: 'Chemin Eugène-Rigot', building: '2C', postcode: '1202', town: 'Geneva', country: 'CH' },
  email: 'finance@isu.example.org',
  phone: '+41 22 000 00 00',
  contact: 'x',
  bank: { holder: 'GICHD - CCM Implementation Support Unit', name: 'Bank', iban: 'CH9300762011623852957', bic: 'UBSWCHZH80A' },
  termsDays: 30,
  letter: { referencePrefix: '', place: {}, unit: {}, convention: {}, unitName: {}, careOf: {}, contact: {}, signatory: {} },
  mail: { from: 'finance@isu.example.org', fromName: 'ISU', replyTo: 'finance@isu.example.org', messageIdDomain: 'isu.example.org' },
};
const mission: Mission = { iso3: 'AFG', mission: 'Permanent Mission of Afghanistan to the UN Office at Geneva', street: 'Avenue de la Paix', building: '40', postcode: '1202', town: 'Geneva', country: 'CH', email: '', qrBill: true };
const input = (x: Partial<QrBillInput> = {}): QrBillInput => ({ amount: '1234.50', reference: 'RF53ISU2026006', issuer, mission, lang: 'en', message: 'ISU-2026-006', ...x });

describe('mask penalty', () => {
  it('the fast score equals qrcodegen’s on every mask of many payloads', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 400 }), fc.integer({ min: 0, max: 7 }), (text, mask) => {
        const segs = qrcodegen.QrSegment.makeSegments(text);
        const qr = qrcodegen.QrCode.encodeSegments(segs, qrcodegen.QrCode.Ecc.MEDIUM, 1, 40, mask, false) as unknown as { size: number; modules: boolean[][] };
        expect(fastPenaltyScore.call(qr)).toBe(ORIGINAL_PENALTY.call(qr));
      }),
      { numRuns: 150 },
    );
  });
});

describe('the same code as qrcodegen', () => {
  it('with its own mask functions, the automatic choice gives the same symbol, module for module', () => {
    const proto = qrcodegen.QrCode.prototype as unknown as Record<string, unknown>;
    const encode = (text: string) => {
      const qr = qrcodegen.QrCode.encodeSegments([qrcodegen.QrSegment.makeEci(26), ...qrcodegen.QrSegment.makeSegments(text)], qrcodegen.QrCode.Ecc.MEDIUM, 10, 25, -1, false);
      return { mask: qr.mask, modules: Array.from({ length: qr.size }, (_, y) => Array.from({ length: qr.size }, (_, x) => (qr.getModule(x, y) ? '1' : '0')).join('')).join('\n') };
    };
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 300 }), (text) => {
        proto.getPenaltyScore = ORIGINAL_PENALTY;
        proto.applyMask = ORIGINAL_APPLY_MASK;
        proto.setFunctionModule = ORIGINAL_SET_FUNCTION_MODULE;
        let want: ReturnType<typeof encode>;
        try {
          want = encode(text);
        } finally {
          proto.getPenaltyScore = fastPenaltyScore;
          proto.applyMask = fastApplyMask;
          proto.setFunctionModule = syncedSetFunctionModule;
        }
        expect(encode(text)).toEqual(want);
      }),
      { numRuns: 60 },
    );
  });
});

describe('the flat copy kept in step', () => {
  it('during the automatic choice, every score from the flat copy equals qrcodegen’s on the matrix as it is', () => {
    const proto = qrcodegen.QrCode.prototype as unknown as Record<string, unknown>;
    let calls = 0;
    proto.getPenaltyScore = function (this: { size: number; modules: boolean[][] }) {
      calls++;
      const fast = fastPenaltyScore.call(this);
      expect(fast).toBe(ORIGINAL_PENALTY.call(this));
      return fast;
    };
    try {
      fc.assert(
        fc.property(fc.string({ minLength: 1, maxLength: 300 }), (text) => {
          qrcodegen.QrCode.encodeSegments(qrcodegen.QrSegment.makeSegments(text), qrcodegen.QrCode.Ecc.MEDIUM, 1, 40, -1, false);
        }),
        { numRuns: 40 },
      );
    } finally {
      proto.getPenaltyScore = fastPenaltyScore;
    }
    expect(calls).toBe(40 * 8);
  });
});

describe('layout', () => {
  it('every line of text fits the width of its field', () => {
    const l = qrBillLayout(input());
    for (const t of l.lines) {
      const width = t.x < 62 ? 57 - t.x : t.x >= 118 ? 205 - t.x : 113 - t.x;
      expect(textWidthMm(t.text, t.pt, t.bold), t.text).toBeLessThanOrEqual(width + 0.01);
    }
    // The holder's full name is on the bill, over two lines in the 52 mm receipt if need be.
    const receipt = l.lines.filter((t) => t.x === 5).map((t) => t.text).join(' ');
    expect(receipt).toContain('GICHD - CCM Implementation Support Unit');
    expect(l.debtorLeftBlank).toBeUndefined();
  });

  it('wraps on spaces, and cuts a word longer than the line', () => {
    expect(wrap('GICHD - CCM Implementation Support Unit', 52, 8).join(' ')).toBe('GICHD - CCM Implementation Support Unit');
    const cut = wrap('X'.repeat(60), 20, 10);
    expect(cut.join('')).toBe('X'.repeat(60));
    for (const l of cut) expect(textWidthMm(l, 10)).toBeLessThanOrEqual(20);
  });

  it('a creditor name over 70 characters is an error before anything is drawn', () => {
    const long = { ...issuer, bank: { ...issuer.bank, holder: 'A'.repeat(71) } };
    expect(() => qrBillLayout(input({ issuer: long }))).toThrow(QrBillError);
    expect(() => qrBillLayout(input({ issuer: long }))).toThrow(/isu.yaml: the name .* 71 characters, more than the 70/);
  });

  it('a creditor that is within the limits but does not fit its field is an error naming the field', () => {
    const w70 = 'WWWWWWWWW WWWWWWWWW WWWWWWWWW WWWWWWWWW WWWWWWWWW WWWWWWWWW WWWWWWWWW';
    const wide = { ...issuer, address: { ...issuer.address, street: w70 }, bank: { ...issuer.bank, holder: w70 } };
    expect(() => qrBillLayout(input({ issuer: wide }))).toThrow(/receipt needs .* mm/);
  });

  it('a mission that cannot be printed leaves the "Payable by" box blank, with corner marks', () => {
    const l = qrBillLayout(input({ mission: { ...mission, mission: 'M'.repeat(75) } }));
    expect(l.debtorLeftBlank).toMatch(/75 characters/);
    expect(l.boxes).toHaveLength(2);
    expect(l.lines.map((t) => t.text)).toContain('Payable by (name/address)');
  });

  it('the amount must be exact', () => {
    expect(() => qrBillLayout(input({ amount: '1234.5' }))).toThrow(/cannot be put on a Swiss QR-bill/);
    expect(() => qrBillLayout(input({ amount: '1000000000.00' }))).toThrow(QrBillError);
  });

  it('the slip is 210 × 105 mm, the code one path of 46 mm with the Swiss cross, French labels for French', () => {
    const { html, layout } = qrBill(input({ lang: 'fr' }));
    expect(html).toContain('class="qrbill"');
    expect(html).toMatch(/<svg class="code"[^>]*width="46mm" height="46mm"/);
    expect(html.match(/<path /g)!.length).toBeLessThanOrEqual(4); // the code, the perforation, two pairs of scissors: no element per module
    expect(layout.cross).toHaveLength(4);
    expect(html).toContain('Section paiement');
    expect(html).toContain('Récépissé');
    // The payload: SIX "SPC" 0200, the IBAN, the amount, the SCOR reference.
    expect(layout.payload.split('\n').slice(0, 4)).toEqual(['SPC', '0200', '1', 'CH9300762011623852957']);
    expect(layout.payload).toContain('\n1234.50\nCHF\n');
    expect(layout.payload).toContain('\nSCOR\nRF53ISU2026006\n');
  });
});

describe('the invoice command', () => {
  it('a creditor whose text cannot fit the bill is a located error, and nothing is written', async () => {
    const { booksWith, run } = await import('./helpers.js');
    const { existsSync, mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const w70 = 'WWWWWWWWW WWWWWWWWW WWWWWWWWW WWWWWWWWW WWWWWWWWW WWWWWWWWW WWWWWWWWW';
    const books = booksWith({ 'isu.yaml': (t) => t.replace('holder: GICHD - CCM Implementation Support Unit', `holder: ${w70}`).replace('street: Chemin Eugène-Rigot', `street: ${w70}`) });
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'finproc-qr-')), 'out');
    const r = await run(['invoice', '--year', '2026', '--books', books, '--states', 'AFG', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/isu\.yaml: error \[config-invalid\] the Swiss QR-bill of ISU-2026-001 \(AFG\): the receipt needs [\d.]+ mm/);
    expect(existsSync(out)).toBe(false);
  });
});
