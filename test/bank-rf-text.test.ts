/**
 * A reference of one State's invoice with another State's invoice number in the text
 * (docs/bank.md, "Matching"): which of the two the payer meant is not guessed. Worked out by
 * hand on the books of test/bank-books.ts: BK-1001 pays AUT's ISU-2026-001 (3000.00) by its RF;
 * ISU-2026-002 is FRA's, ISU-2025-010 NOR's.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bankBooks, onlyEntry, rf } from './bank-books.js';
import { run } from './helpers.js';

interface Line { action: string; reason: string; match: { iso3: string; invoice: string; how: string; confidence: number; notes: string[] } }
async function line(text: string | undefined): Promise<Line> {
  const books = bankBooks();
  const xml = onlyEntry('BK-1001', (l) => (text === undefined ? l : l.replace('</Strd></RmtInf>', `</Strd><Ustrd>${text}</Ustrd></RmtInf>`)));
  writeFileSync(path.join(books, 'a.xml'), xml);
  const r = await run(['bank', 'import', 'a.xml', '--books', books, '--format', 'json'], { cwd: books });
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { lines: Line[] }).lines[0]!;
}

describe('a reference whose text names another State\'s invoice', () => {
  it('the RF alone: booked to AUT at 100 (the control)', async () => {
    expect(await line(undefined)).toMatchObject({ action: 'book', match: { iso3: 'AUT', invoice: 'ISU-2026-001', how: 'reference', confidence: 100, notes: [] } });
  });

  it('the RF and the number of its own invoice in the text: still booked at 100', async () => {
    expect(await line('Contribution ISU-2026-001')).toMatchObject({ action: 'book', match: { confidence: 100, notes: [] } });
  });

  it('the RF of AUT and FRA\'s invoice number in the text: to review at 70, the note naming both', async () => {
    expect(await line('Contribution 2026 ISU-2026-002')).toMatchObject({
      action: 'review',
      reason: 'reference, confidence 70: below 80, to be confirmed',
      match: { iso3: 'AUT', invoice: 'ISU-2026-001', how: 'reference', confidence: 70, notes: ['the text names ISU-2026-002, an invoice of FRA, not of AUT'] },
    });
  });

  it('FRA\'s invoice by its RF in the text (one word, as banks write it): the same', async () => {
    expect(rf('ISU-2026-002')).toBe('RF64ISU2026002');
    expect((await line('also RF64ISU2026002')).match).toMatchObject({ iso3: 'AUT', confidence: 70, notes: ['the text names ISU-2026-002, an invoice of FRA, not of AUT'] });
  });

  it('two other States\' invoices: both named', async () => {
    expect((await line('ISU 2025 010 and ISU/2026/002')).match).toMatchObject({ confidence: 70, notes: ['the text names ISU-2025-010, ISU-2026-002, invoices of FRA, NOR, not of AUT'] });
  });
});
