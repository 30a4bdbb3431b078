/**
 * The sample bank file for the example books: data/bank/camt054-2026-09-15.xml, what
 * `finproc bank import` is first tried on (README, --help). It is written here, from the
 * entries below, by the generator of the other tests (test/bank-gen.ts, from the ISO 20022
 * message definitions): the first test fails if the file in data/ is not exactly what they
 * give (`UPDATE_SAMPLE=1 npx vitest run test/bank-sample.test.ts` writes it again).
 *
 * The payments are made to the invoices that the example books (data/) leave open in
 * September 2026, so that each shows one rule of docs/bank.md. The proposal expected in the
 * second test was worked out by hand from data/assessments.csv and data/payments.csv (the
 * amounts owed are given next to each entry) and the matching rules.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rf, spaced } from './bank-books.js';
import { camt, cents, entriesSum, IBAN, type GEntry } from './bank-gen.js';
import { ROOT, run } from './helpers.js';

const day = '2026-09-15';
export const SAMPLE_ENTRIES: GEntry[] = [
  // URY owes ISU-2026-106 in full (1055.84 + 1006.42): paid with its RF, written in groups of four
  { ref: 'BK-2001', amount: '2062.26', dir: 'CRDT', date: day, txs: [{ ref: 'T2001', amount: '2062.26', debtor: 'Ministerio de Relaciones Exteriores', scor: spaced(rf('ISU-2026-106')) }] },
  // PER owes 2848.79 of ISU-2025-084: pays part, the invoice number in the free text
  { ref: 'BK-2002', amount: '1500.00', dir: 'CRDT', date: day, txs: [{ ref: 'T2002', amount: '1500.00', debtor: 'Permanent Mission of Peru', ustrd: 'Contribución 2025, factura ISU-2025-084' }] },
  // ECU owes ISU-2026-032 in full (1883.91); a treasury pays it, its RF with a typo (the check digits fail)
  { ref: 'BK-2003', amount: '1883.91', dir: 'CRDT', date: day, txs: [{ ref: 'T2003', amount: '1883.91', debtor: 'Tesorería General', scor: rf('ISU-2026-032').replace(/2$/, '7') }] },
  // NGA owes 1877.91 of ISU-2026-075 (2966.77, less what its July payment of 1385.78 left after 296.92 of 2025): pays 2000.00
  { ref: 'BK-2004', amount: '2000.00', dir: 'CRDT', date: day, txs: [{ ref: 'T2004', amount: '2000.00', debtor: 'Embassy of Nigeria', scor: rf('ISU-2026-075') }] },
  // TTO owes ISU-2026-104 in full (1476.24): sent in EUR, CHF 1476.24 credited
  { ref: 'BK-2005', amount: '1476.24', dir: 'CRDT', date: day, txs: [{ ref: 'T2005', amount: '1476.24', instd: { amount: '1570.47', ccy: 'EUR', rate: '0.94' }, debtor: 'Ministry of Finance', scor: rf('ISU-2026-104') }] },
  // SWZ owes 730.32 of ISU-2026-100: paid, then sent back by the bank
  { ref: 'BK-2006', amount: '730.32', dir: 'CRDT', date: day, txs: [{ ref: 'T2006', e2e: 'SZ-2026-19', amount: '730.32', debtor: 'Government of Eswatini', scor: rf('ISU-2026-100') }] },
  { ref: 'BK-2007', amount: '730.32', dir: 'DBIT', rvsl: true, date: day, txs: [{ ref: 'T2007', e2e: 'SZ-2026-19', amount: '730.32', debtor: 'Government of Eswatini', scor: rf('ISU-2026-100') }] },
];

const FILE = path.join(ROOT, 'data', 'bank', 'camt054-2026-09-15.xml');
const opening = '250000.00';
const xml = camt('054', '08', { id: 'NTF-2026-09-15', iban: IBAN, date: day, opening, closing: cents(BigInt(opening.replace('.', '')) + entriesSum(SAMPLE_ENTRIES)), entries: SAMPLE_ENTRIES });

describe('the sample bank file for the example books (data/bank/camt054-2026-09-15.xml)', () => {
  it('is what the generator writes from the entries above', () => {
    if (process.env.UPDATE_SAMPLE) writeFileSync(FILE, xml);
    expect(readFileSync(FILE, 'utf8')).toBe(xml);
  });

  it('on the example books: the proposal worked out by hand', async () => {
    const r = await run(['bank', 'import', 'data/bank/camt054-2026-09-15.xml', '--format', 'json']);
    expect(r.code).toBe(0);
    const lines = (JSON.parse(r.stdout) as { lines: { match: { iso3: string | null; invoice: string | null; how: string; confidence: number; notes: string[] } | null; action: string; chf: string; reason: string }[] }).lines;
    expect(lines.map((l) => [l.chf, l.match?.iso3 ?? null, l.match?.invoice ?? null, l.match?.how ?? null, l.match?.confidence ?? null, l.action])).toEqual([
      ['2062.26', 'URY', 'ISU-2026-106', 'reference', 100, 'book'],
      ['1500.00', 'PER', 'ISU-2025-084', 'invoice number', 90, 'book'],
      // the RF proves nothing; no State is named; 1883.91 is what one open invoice owes
      ['1883.91', 'ECU', 'ISU-2026-032', 'amount', 60, 'review'],
      ['2000.00', 'NGA', 'ISU-2026-075', 'reference', 100, 'book'],
      ['1476.24', 'TTO', 'ISU-2026-104', 'reference', 100, 'book'],
      ['730.32', 'SWZ', 'ISU-2026-100', 'reference', 100, 'reversed'],
      ['730.32', null, null, null, null, 'reversed'],
    ]);
    expect(lines[1]!.match!.notes).toEqual(['pays ISU-2025-084 in part (outstanding 2848.79)']);
    expect(lines[3]!.match!.notes).toEqual(['overpays ISU-2026-075 (outstanding 1877.91) by 122.09: the rest settles older years or stays as credit']);
    expect(lines[5]!.reason).toBe('reversed by data/bank/camt054-2026-09-15.xml entry 7');
  });
});
