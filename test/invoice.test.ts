/**
 * `finproc invoice` on the example books: totals cross-checked against `apportion` and
 * `arrears`, RF references, reruns byte for byte, --reissue with credit notes, atomic writes,
 * and the IBAN/BIC checks of isu.yaml.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { isSCORReferenceValid } from 'swissqrbill/utils';
import { beforeAll, describe, expect, it } from 'vitest';
import { booksWith, run } from './helpers.js';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'finproc-inv-'));
const csv = (file: string) => parse(readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
const cents = (s: string) => {
  const m = /^(-?)(\d+)\.(\d\d)$/.exec(s);
  if (!m) throw new Error(`not an amount: ${s}`);
  return (m[1] ? -1n : 1n) * BigInt(m[2]! + m[3]!);
};

/** ISO 7064 mod 97-10, written independently of src/core/invoice.ts: digit by digit, as a bank would. */
function rfValid(ref: string): boolean {
  if (!/^RF\d\d[0-9A-Z]{1,21}$/.test(ref)) return false;
  const moved = ref.slice(4) + ref.slice(0, 4);
  let r = 0;
  for (const ch of moved) {
    const v = /\d/.test(ch) ? ch : String(ch.charCodeAt(0) - 55);
    for (const d of v) r = (r * 10 + Number(d)) % 97;
  }
  return r === 1;
}

describe('invoices for every State of the example books', () => {
  // Issued on 18 August 2026, so that payments, credits and arrears are all in play.
  const asOf = '2026-08-18';
  let books: string;
  let out: string;
  let register: Record<string, string>[];
  beforeAll(async () => {
    books = booksWith();
    out = tmp();
    const r = await run(['invoice', '--year', '2026', '--books', books, '--issue-date', asOf, '--format', 'html,md', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    register = csv(path.join(out, 'register-2026.csv'));
  }, 60_000);

  it('total = apportioned + arrears − credits, each cross-checked against apportion and arrears', async () => {
    const ap = JSON.parse((await run(['apportion', '--year', '2026', '--books', books, '--format', 'json'])).stdout) as { states: { iso3: string; total: string }[] };
    const ar = JSON.parse((await run(['arrears', '--as-of', asOf, '--books', books, '--format', 'json'])).stdout) as { states: { iso3: string; outstanding: string; by_year: { year: number; outstanding: string }[] }[] };
    const payers = ap.states.filter((s) => cents(s.total) > 0n);
    expect(register.map((r) => r.iso3)).toEqual(payers.map((s) => s.iso3));
    let withArrears = 0;
    let withCredits = 0;
    for (const s of payers) {
      const row = register.find((r) => r.iso3 === s.iso3)!;
      const a = ar.states.find((x) => x.iso3 === s.iso3)!;
      const c = cents(row.contributions!);
      const arrears = cents(row.arrears!);
      const credits = cents(row.credits!);
      const total = cents(row.total!);
      expect(c, s.iso3).toBe(cents(s.total));
      expect(arrears, s.iso3).toBe(a.by_year.filter((y) => y.year < 2026).reduce((t, y) => t + cents(y.outstanding), 0n));
      // The books hold only ISU assessments, so what the State owes is what the invoice asks.
      expect(total, s.iso3).toBe(cents(a.outstanding));
      expect(total, s.iso3).toBe(c + arrears - credits);
      expect(credits).toBeGreaterThanOrEqual(0n);
      if (arrears > 0n) withArrears++;
      if (credits > 0n) withCredits++;
    }
    // The check covers the cases that matter, not only zeros.
    expect(withArrears).toBeGreaterThan(5);
    expect(withCredits).toBeGreaterThan(50);
  });

  it('each document shows the register amounts, and the same amounts in every format', () => {
    for (const row of register.slice(0, 40)) {
      const html = readFileSync(path.join(out, `${row.iso3}-${row.number}.html`), 'utf8');
      const md = readFileSync(path.join(out, `${row.iso3}-${row.number}.md`), 'utf8');
      const amounts = [...html.matchAll(/data-amount="(-?\d+\.\d\d)"/g)].map((m) => m[1]);
      expect(amounts[amounts.length - 1], row.number).toBe(row.total);
      expect(html).toContain(row.reference);
      expect(md).toContain(row.reference);
    }
  });

  it('RF references validate (mod 97, by two independent checks) and are unique', () => {
    const refs = register.map((r) => r.reference!);
    for (const r of refs) {
      expect(rfValid(r), r).toBe(true);
      expect(isSCORReferenceValid(r), r).toBe(true);
    }
    expect(new Set(refs).size).toBe(refs.length);
    // A changed digit is caught.
    expect(rfValid(refs[0]!.replace(/\d$/, (d) => String((Number(d) + 1) % 10)))).toBe(false);
  });

  it('numbers are gapless within the year and those of the assessments', () => {
    const nums = register.map((r) => Number(r.number!.slice('ISU-2026-'.length)));
    expect(nums).toEqual(Array.from({ length: nums.length }, (_, i) => i + 1));
    const assessed = new Set(csv(path.join(books, 'assessments.csv')).filter((r) => r.year === '2026').map((r) => `${r.iso3}:${r.invoice}`));
    for (const r of register) expect(assessed.has(`${r.iso3}:${r.number}`), r.number).toBe(true);
  });

  it('running again gives the same bytes and records nothing new', async () => {
    const regBefore = readFileSync(path.join(books, 'invoices.csv'), 'utf8');
    const out2 = tmp();
    const r = await run(['invoice', '--year', '2026', '--books', books, '--format', 'html,md', '--out', out2]);
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(books, 'invoices.csv'), 'utf8')).toBe(regBefore);
    const files = readdirSync(out).sort();
    expect(readdirSync(out2).sort()).toEqual(files);
    for (const f of files) expect(readFileSync(path.join(out2, f), 'utf8'), f).toBe(readFileSync(path.join(out, f), 'utf8'));
  });
});

describe('an issued invoice is never silently overwritten', () => {
  it('changed amounts are refused without --reissue; with it, a credit note and the next number', async () => {
    const books = booksWith();
    const out = tmp();
    expect((await run(['invoice', '--year', '2026', '--books', books, '--states', 'MEX,AUT', '--out', out])).code).toBe(0);
    const reg1 = readFileSync(path.join(books, 'invoices.csv'), 'utf8');
    const mex = csv(path.join(books, 'invoices.csv')).find((r) => r.iso3 === 'MEX')!;
    // A payment of MEX dated before the issue date, entered late: the invoice's amounts change.
    const pay = readFileSync(path.join(books, 'payments.csv'), 'utf8');
    writeFileSync(path.join(books, 'payments.csv'), pay + `PAY-2026-99999,MEX,${mex.issued},1000.00,CHF,1000.00,isu,,,,,late entry\n`);
    const refused = await run(['invoice', '--year', '2026', '--books', books, '--states', 'MEX,AUT', '--out', out]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('invoice-changed');
    expect(refused.stderr).toContain(mex.number);
    expect(refused.stderr).toContain('invoices.csv');
    expect(readFileSync(path.join(books, 'invoices.csv'), 'utf8')).toBe(reg1);

    const again = await run(['invoice', '--year', '2026', '--books', books, '--states', 'MEX,AUT', '--out', out, '--reissue', '--issue-date', '2026-02-01']);
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    const rows = csv(path.join(books, 'invoices.csv'));
    expect(rows).toHaveLength(4);
    const [cn, fresh] = rows.slice(2);
    // The highest number of 2026 in the assessments is the number of payers (gapless).
    const n2026 = new Set(csv(path.join(books, 'assessments.csv')).filter((r) => r.year === '2026').map((r) => r.invoice)).size;
    expect(cn).toMatchObject({ kind: 'credit-note', number: 'CN-2026-001', iso3: 'MEX', replaces: mex.number, total: `-${mex.total}` });
    expect(fresh).toMatchObject({ kind: 'invoice', number: `ISU-2026-${String(n2026 + 1).padStart(3, '0')}`, iso3: 'MEX', replaces: mex.number, issued: '2026-02-01' });
    expect(cents(fresh!.total!)).toBe(cents(mex.total!) - 100000n);
    // Both documents written, the old one kept; AUT unchanged and not reissued.
    for (const n of [mex.number, cn!.number, fresh!.number]) expect(existsSync(path.join(out, `MEX-${n}.html`)), n).toBe(true);
    expect(readFileSync(path.join(out, `MEX-${cn!.number}.html`), 'utf8')).toContain(mex.number);
    // A third run changes nothing.
    const reg2 = readFileSync(path.join(books, 'invoices.csv'), 'utf8');
    expect((await run(['invoice', '--year', '2026', '--books', books, '--states', 'MEX,AUT', '--out', out])).code).toBe(0);
    expect(readFileSync(path.join(books, 'invoices.csv'), 'utf8')).toBe(reg2);
  }, 30_000);

  it('a failure part-way leaves the previous files and the register as they were, and names the State', async () => {
    const books = booksWith();
    const out = tmp();
    expect((await run(['invoice', '--year', '2026', '--books', books, '--states', 'AUT,BEL', '--out', out])).code).toBe(0);
    const before = Object.fromEntries(readdirSync(out).map((f) => [f, readFileSync(path.join(out, f), 'utf8')]));
    const reg = readFileSync(path.join(books, 'invoices.csv'), 'utf8');
    // A directory stands where one State's document must go.
    const csvRows = csv(path.join(books, 'assessments.csv'));
    const fra = csvRows.find((r) => r.iso3 === 'FRA' && r.year === '2026')!.invoice;
    mkdirSync(path.join(out, `FRA-${fra}.html`));
    const r = await run(['invoice', '--year', '2026', '--books', books, '--states', 'AUT,BEL,CHE,FRA', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`FRA-${fra}.html`);
    expect(r.stderr).toContain('nothing was written');
    expect(readFileSync(path.join(books, 'invoices.csv'), 'utf8')).toBe(reg);
    for (const [f, text] of Object.entries(before)) expect(readFileSync(path.join(out, f), 'utf8')).toBe(text);
    expect(readdirSync(out).filter((f) => f.startsWith('CHE-'))).toEqual([]);
  });
});

describe('the books of the invoices', () => {
  it('an invalid IBAN or BIC in isu.yaml is refused with its line and column', async () => {
    const books = booksWith({ 'isu.yaml': (t) => t.replace('CH93 0076 2011 6238 5295 7', 'CH93 0076 2011 6238 5295 8').replace('UBSWCHZH80A', 'UBSW-CH') });
    const r = await run(['invoice', '--year', '2026', '--books', books, '--out', tmp()]);
    expect(r.code).toBe(1);
    const lines = readFileSync(path.join(books, 'isu.yaml'), 'utf8').split('\n');
    const ibanLine = lines.findIndex((l) => l.includes('iban:')) + 1;
    const bicLine = lines.findIndex((l) => l.includes('bic:')) + 1;
    expect(r.stderr).toContain(`isu.yaml:${ibanLine}:9`);
    expect(r.stderr).toMatch(/not a valid IBAN/);
    expect(r.stderr).toContain(`isu.yaml:${bicLine}:8`);
    expect(r.stderr).toMatch(/not a valid BIC/);
    expect(existsSync(path.join(books, 'invoices.csv'))).toBe(false);
  });

  it('a year not recorded in assessments.csv is refused with the command that records it', async () => {
    const books = booksWith({ 'assessments.csv': (t) => t.split('\n').filter((l) => !l.includes(',2026,isu,')).join('\n') });
    const r = await run(['invoice', '--year', '2026', '--books', books, '--out', tmp()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('invoice-mismatch');
    expect(r.stderr).toContain('finproc apportion --year 2026 --record');
  });

  it('a recorded assessment that differs from the apportionment is refused (the note would not explain it)', async () => {
    const books = booksWith({ 'assessments.csv': (t) => t.replace(/^(ISU-2026-\d+,AUT,2026,isu,scale,)(\d+\.\d\d)/m, (_m, a: string, b: string) => `${a}${(Number(b) + 1).toFixed(2)}`) });
    const r = await run(['invoice', '--year', '2026', '--books', books, '--states', 'AUT', '--out', tmp()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/assessment of AUT .* differs from the apportionment: scale: recorded/);
  });

  it('--format pdf without Chromium says so and downloads nothing', async () => {
    const r = await run(['invoice', '--year', '2026', '--states', 'AUT', '--format', 'pdf', '--books', booksWith(), '--out', tmp()], { env: { FINPROC_CHROMIUM: '/nonexistent/chromium' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/FINPROC_CHROMIUM/);
  });
});

describe('the terminal', () => {
  it('a progress bar on a terminal for more than a few documents, a summary; nothing at all when piped', async () => {
    const states = ['AUT', 'BEL', 'CHE', 'DEU', 'ESP', 'FRA', 'ITA', 'NOR', 'SWE'];
    const tty = await run(['invoice', '--year', '2026', '--books', booksWith(), '--states', states.join(','), '--out', tmp()], { tty: true });
    expect(tty.code).toBe(0);
    expect(tty.stderr).toContain(`0/${states.length} invoices`);
    expect(tty.stdout).toMatch(new RegExp(`^${states.length} documents for 2026 in .*Recorded in .*invoices\\.csv: ${states.length} new invoices\\.\\n$`, 's'));
    const piped = await run(['invoice', '--year', '2026', '--books', booksWith(), '--states', states.join(','), '--out', tmp()]);
    expect(piped.code).toBe(0);
    expect(piped.stdout).toBe('');
    expect(piped.stderr).toBe('');
  });
});

describe('--preview', () => {
  it('writes the documents and records nothing', async () => {
    const books = booksWith();
    const out = tmp();
    const r = await run(['invoice', '--year', '2026', '--books', books, '--states', 'AUT', '--preview', '--out', out]);
    expect(r.code).toBe(0);
    expect(existsSync(path.join(books, 'invoices.csv'))).toBe(false);
    expect(readdirSync(out).sort()).toEqual(['AUT-ISU-2026-006.html', 'index.html', 'manifest.json', 'register-2026.csv']);
    // Issued for real afterwards, the document is the same.
    const out2 = tmp();
    expect((await run(['invoice', '--year', '2026', '--books', books, '--states', 'AUT', '--out', out2])).code).toBe(0);
    expect(readFileSync(path.join(out2, 'AUT-ISU-2026-006.html'), 'utf8')).toBe(readFileSync(path.join(out, 'AUT-ISU-2026-006.html'), 'utf8'));
    expect(csv(path.join(books, 'invoices.csv')).map((x) => x.number)).toEqual(['ISU-2026-006']);
  });
});

describe('the note', () => {
  it('explains the pro-rata of a State that left during the year, with the numbers of explain', async () => {
    const out = tmp();
    const r = await run(['invoice', '--year', '2025', '--books', booksWith(), '--states', 'LTU', '--format', 'md', '--preview', '--out', out]);
    expect(r.code).toBe(0);
    const md = readFileSync(path.join(out, readdirSync(out).find((f) => f.startsWith('LTU-'))!), 'utf8');
    const e = JSON.parse((await run(['explain', 'LTU', '--year', '2025', '--format', 'json'])).stdout) as { months: number; total: string; steps: { category: string; quota: string; rounded: string }[] };
    expect(e.months).toBe(3);
    expect(md).toContain('on the first day of 3 of the 12 months of 2025');
    // Each category under its display name (data/policy.yaml), with the rounded share of explain;
    // no policy identifier and no unrounded quota in the note.
    const names: Record<string, string> = { base: 'Equal base share', scale: 'Share by the United Nations scale of assessments' };
    for (const s of e.steps) {
      expect(md).toContain(`${names[s.category]}: `);
      expect(md).toContain(`Your share: CHF ${s.rounded.replace(/\B(?=(\d{3})+\.)/g, ',')}.`);
      expect(md).not.toContain(s.quota);
    }
    expect(md).not.toMatch(/Category (base|scale)|ccm-illustrative|rate_20\d\d_20\d\d_pct/);
    expect(md).toContain(`| **Total due** | **CHF ${e.total}** |`);
  });
});

describe('found by the final review', () => {
  it('--reissue without --issue-date dates each State\'s credit note and new invoice with its own date', async () => {
    const books = booksWith();
    const out = tmp();
    expect((await run(['invoice', '--year', '2026', '--books', books, '--states', 'AUT', '--out', out])).code).toBe(0);
    expect((await run(['invoice', '--year', '2026', '--books', books, '--states', 'SEN', '--issue-date', '2026-03-01', '--out', out])).code).toBe(0);
    // Payments dated before each issue date, entered late: both invoices change.
    const pay = readFileSync(path.join(books, 'payments.csv'), 'utf8');
    writeFileSync(path.join(books, 'payments.csv'), pay + 'PAY-2026-99998,AUT,2026-01-10,10.00,CHF,10.00,isu,,,,,late\nPAY-2026-99999,SEN,2026-02-20,1.00,CHF,1.00,isu,,,,,late\n');
    const r = await run(['invoice', '--year', '2026', '--books', books, '--states', 'AUT,SEN', '--reissue', '--out', out]);
    expect(r.stderr).toBe('');
    const rows = csv(path.join(books, 'invoices.csv')).slice(2);
    expect(rows.map((x) => [x.kind, x.iso3, x.issued])).toEqual([
      ['credit-note', 'AUT', '2026-01-15'],
      ['invoice', 'AUT', '2026-01-15'],
      ['credit-note', 'SEN', '2026-03-01'],
      ['invoice', 'SEN', '2026-03-01'],
    ]);
    // A date before an issued invoice is refused: a credit note never precedes what it cancels.
    writeFileSync(path.join(books, 'payments.csv'), readFileSync(path.join(books, 'payments.csv'), 'utf8') + 'PAY-2026-99997,SEN,2026-02-21,1.00,CHF,1.00,isu,,,,,late\n');
    const early = await run(['invoice', '--year', '2026', '--books', books, '--states', 'SEN', '--reissue', '--issue-date', '2026-02-01', '--out', out]);
    expect(early.code).toBe(2);
    expect(early.stderr).toContain('a credit note cannot precede the invoice it cancels');
  });

  it('a meeting id must leave room for its invoice numbers in a payment reference', async () => {
    const r = await run(['meeting-costs', '--meeting', 'MSP14.2026', '--year', '2026', '--estimate', '1000.00', '--participants', 'x.csv']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('at most 17 letters and digits');
  });
});

describe('adjustments on the invoice', () => {
  it('a reassessment shows as such, not as a payment, and the total still reconciles', async () => {
    const books = booksWith({ 'adjustments.csv': (t) => t.replace(/\n?$/, '\n') + 'ADJ-2026-900,AUT,2026-01-20,reassessment,ISU-2026-006,scale,100.00,a correction\n' });
    const out = tmp();
    const r = await run(['invoice', '--year', '2026', '--books', books, '--states', 'AUT', '--issue-date', '2026-01-20', '--format', 'md', '--preview', '--out', out]);
    expect(r.code).toBe(0);
    const md = readFileSync(path.join(out, 'AUT-ISU-2026-006.md'), 'utf8');
    // Hand check: 1,055.84 + 7,974.95 = 9,030.79 assessed; + 100.00 reassessed; nothing paid by 20 January.
    expect(md).toContain('| Contributions for 2026 | CHF 9,030.79 |');
    expect(md).toContain('| Reassessments and credit notes | CHF 100.00 |');
    expect(md).not.toContain('Payments and credits already applied');
    expect(md).toContain('| **Total due** | **CHF 9,130.79** |');
  });
});
