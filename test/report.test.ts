/**
 * finproc report: its figures are those of arrears, statement, cashflow and sponsorship run
 * for the same books and date (the CLI, each command on its own); budget against actual is
 * checked against the two CSV files read here by hand; the workbook read back with exceljs
 * holds the CSV's numbers, as numbers with a number format; xlsx, HTML and JSON are the same
 * bytes on every run; expenditure.csv is validated with file:line:column; and cashflow takes
 * the actual spending of the months past (worked by hand, and against the Python oracle).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flowsOf, spendingOf, type CashflowReport, type PlanRow } from '../src/core/cashflow.js';
import { budgetAgainstActual } from '../src/core/report.js';
import { findChromium } from '../src/io/pdf.js';
import { handBooks } from './cashflow-books.js';
import { booksWith, DATA, ROOT, run } from './helpers.js';
import { findPython } from './python.js';

type Obj = Record<string, unknown>;
const tmp = () => mkdtempSync(path.join(tmpdir(), 'finproc-report-'));

async function json(cmd: string[]): Promise<Obj> {
  const r = await run([...cmd, '--format', 'json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Obj;
}
const report = (asOf: string, extra: string[] = []) => json(['report', '--as-of', asOf, ...extra]);

/** Integer centimes from "1234.50" (the test's own reading, not the program's). */
const cents = (s: string): bigint => {
  const m = /^(-?)(\d+)\.(\d\d)$/.exec(s);
  if (!m) throw new Error(`not an amount: ${s}`);
  return (m[1] ? -1n : 1n) * (BigInt(m[2]!) * 100n + BigInt(m[3]!));
};

describe('the report reconciles with arrears, statement, cashflow and sponsorship', () => {
  for (const asOf of ['2026-08-18', '2026-03-31']) {
    it(`contributions as of ${asOf}: the arrears report, and each State's statement`, async () => {
      const r = (await report(asOf)) as { contributions: { years: Obj[]; totals: Obj; states: Obj[]; art19: string[] } };
      const a = (await json(['arrears', '--as-of', asOf])) as { years: Obj[]; totals: Obj; states: Obj[] };
      // Per year: assessed, received, outstanding and the collection rate, as arrears gives them.
      expect(r.contributions.years).toEqual(a.years.map((y) => ({ year: y.year, assessed: y.due, received: y.settled, outstanding: y.outstanding, collection_rate_pct: y.collection_rate_pct })));
      for (const k of ['outstanding', 'arrears', 'credit', 'balance', 'paid']) expect(r.contributions.totals[k]).toBe(a.totals[k]);
      // The totals of the years are the sum of the years.
      const sum = (k: string) => r.contributions.years.reduce((s, y) => s + cents(y[k] as string), 0n);
      expect(cents(r.contributions.totals.assessed as string)).toBe(sum('assessed'));
      expect(cents(r.contributions.totals.outstanding as string)).toBe(sum('outstanding'));
      // Per State: the same positions and flags; the closing balance is arrears' balance.
      const byIso = new Map(a.states.map((s) => [s.iso3, s]));
      const withAccount = a.states.filter((s) => !(s.assessed === '0.00' && s.paid === '0.00' && (s.flags as string[]).join() === 'pledge-overdue'));
      expect(r.contributions.states.map((s) => s.iso3)).toEqual(withAccount.map((s) => s.iso3));
      for (const s of r.contributions.states) {
        const x = byIso.get(s.iso3 as string)!;
        for (const k of ['outstanding', 'arrears', 'credit', 'art19_threshold', 'flags', 'oldest_unpaid_year', 'last_payment']) expect(s[k], `${s.iso3 as string} ${k}`).toEqual(x[k]);
        expect(s.closing_balance).toBe(x.balance);
        // opening + assessed − paid + adjustments = closing, State by State
        expect(cents(s.opening_balance as string) + cents(s.assessed_in_year as string) - cents(s.paid_in_year as string) + cents(s.adjustments_in_year as string)).toBe(cents(s.closing_balance as string));
      }
      expect(r.contributions.art19).toEqual(a.states.filter((s) => (s.flags as string[]).includes('art19')).map((s) => s.iso3));
      expect(r.contributions.art19.length).toBeGreaterThan(0);
      // Statements of account from 1 January: opening, assessed, paid, adjustments, closing.
      const mine = new Map(r.contributions.states.map((s) => [s.iso3, s]));
      for (const iso3 of ['MEX', 'AFG', 'STP', 'BLZ', 'AUT', 'ISL']) {
        const st = (await json(['statement', iso3, '--as-of', asOf])) as { reconciliation: Obj };
        const s = mine.get(iso3)!;
        expect([s.opening_balance, s.assessed_in_year, s.paid_in_year, s.adjustments_in_year, s.closing_balance], iso3).toEqual([st.reconciliation.opening, st.reconciliation.assessed, st.reconciliation.paid, st.reconciliation.adjustments, st.reconciliation.closing]);
      }
    });

    it(`reserve and spending as of ${asOf}: the cash-flow projection of the year`, async () => {
      const r = (await report(asOf)) as { reserve: { months: Obj[]; closing: string; contributions_to_restore: string; drawn: string }; budget: { months: Obj[]; total: Obj } };
      const c = (await json(['cashflow', '--year', '2026', '--as-of', asOf])) as { months: Obj[]; totals: Obj; flags: Obj };
      expect(r.reserve.months.map((m) => [m.month, m.opening, m.contributions, m.drawn, m.repaid, m.closing, m.operating_cash_closing])).toEqual(c.months.map((m) => [m.month, m.reserve_opening, m.reserve_contributions, m.reserve_drawn, m.reserve_repaid, m.reserve_closing, m.closing]));
      expect(r.reserve.closing).toBe(c.flags.reserve_at_year_end);
      expect(r.reserve.contributions_to_restore).toBe(c.flags.contributions_to_restore);
      expect(r.reserve.drawn).toBe(c.totals.reserve_drawn);
      expect(r.budget.months.map((m) => [m.month, m.spending, m.basis])).toEqual(c.months.map((m) => [m.month, m.spending, m.spending_basis]));
      expect(r.budget.total.projected).toBe(c.totals.spending);
    });

    it(`sponsorship as of ${asOf}: the programme of the year`, async () => {
      const r = (await report(asOf)) as { sponsorship: Obj };
      const s = await json(['sponsorship', '--year', '2026', '--as-of', asOf]);
      for (const k of ['received', 'pledged_outstanding', 'delegates', 'cost', 'average_per_delegate', 'funds_in_hand', 'meetings', 'history']) expect(r.sponsorship[k], k).toEqual(s[k]);
      expect(r.sponsorship.delegates_covered).toBe((s.coverage as Obj).delegates_covered);
    });
  }

  it('budget against actual: the plan and expenditure.csv summed here, line by line', async () => {
    const asOf = '2026-08-18'; // January to July are past
    const rows = (f: string) => parse(readFileSync(path.join(DATA, f), 'utf8'), { columns: true }) as Record<string, string>[];
    const plan = rows('expenditure-plan.csv').filter((x) => x.month!.startsWith('2026-'));
    const actual = rows('expenditure.csv').filter((x) => x.month!.startsWith('2026-') && x.month! <= '2026-07');
    const past = (m: string) => m <= '2026-07';
    const lines = [...new Set(plan.map((p) => p.line!))];
    const r = (await report(asOf)) as { budget: { lines: Obj[]; total: Obj; actual_months: string[] } };
    expect(r.budget.actual_months).toEqual(['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07']);
    expect(r.budget.lines.map((l) => l.line)).toEqual(lines);
    const fmt = (c: bigint) => `${c < 0n ? '-' : ''}${(c < 0n ? -c : c) / 100n}.${String((c < 0n ? -c : c) % 100n).padStart(2, '0')}`;
    let total = 0n;
    for (const l of r.budget.lines) {
      const budget = plan.filter((p) => p.line === l.line).reduce((s, p) => s + cents(p.amount!), 0n);
      const planToDate = plan.filter((p) => p.line === l.line && past(p.month!)).reduce((s, p) => s + cents(p.amount!), 0n);
      const spent = actual.filter((p) => p.line === l.line).reduce((s, p) => s + cents(p.amount!), 0n);
      expect([l.budget, l.plan_to_date, l.actual_to_date, l.variance, l.remaining, l.projected], l.line as string).toEqual([fmt(budget), fmt(planToDate), fmt(spent), fmt(spent - planToDate), fmt(budget - spent), fmt(budget - planToDate + spent)]);
      total += budget;
    }
    expect(r.budget.total.budget).toBe('618250.00'); // the adopted budget of budgets.csv
    expect(fmt(total)).toBe('618250.00');
    // By hand: the staff line, 7 months of 35,500.00 planned; actual 6 × 35,500.00 + 36,650.00 (June overtime).
    expect(r.budget.lines[0]).toMatchObject({ line: 'staff', plan_to_date: '248500.00', actual_to_date: '249650.00', variance: '1150.00' });
  });

  it('the collection rate is the one arrears prints, for every year', async () => {
    const r = (await report('2026-08-18')) as { contributions: { years: Obj[] } };
    const a = (await json(['arrears', '--as-of', '2026-08-18'])) as { years: Obj[] };
    expect(r.contributions.years.map((y) => y.collection_rate_pct)).toEqual(a.years.map((y) => y.collection_rate_pct));
  });
});

// ---------------------------------------------------------------- the workbook and the CSV

interface Written {
  dir: string;
  files: string[];
}
async function writeAll(asOf: string, extra: string[] = []): Promise<Written> {
  const dir = tmp();
  const r = await run(['report', '--as-of', asOf, '--out', dir, ...extra]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return { dir, files: readdirSync(dir).sort() };
}

describe('the workbook', () => {
  it('one sheet per table holds the CSV of that table: numbers as numbers with a format, text as text', async () => {
    const w = await writeAll('2026-08-18');
    const tables = ['states', 'contributions', 'years', 'art19', 'reserve', 'sponsorship', 'meetings', 'budget', 'budget-months'];
    expect(w.files).toEqual([...tables.map((t) => `report-2026-08-18-${t}.csv`).sort(), 'report-2026-08-18.html', 'report-2026-08-18.json', 'report-2026-08-18.md', 'report-2026-08-18.txt', 'report-2026-08-18.xlsx'].sort());
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(path.join(w.dir, 'report-2026-08-18.xlsx')) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((s) => s.name)).toEqual(['About', ...tables]);
    expect(wb.created.toISOString()).toBe('2026-08-18T00:00:00.000Z');
    expect(wb.modified.toISOString()).toBe('2026-08-18T00:00:00.000Z');
    let numbers = 0;
    for (const t of tables) {
      const csv = parse(readFileSync(path.join(w.dir, `report-2026-08-18-${t}.csv`), 'utf8'), { relax_column_count: false }) as string[][];
      const [header, ...rows] = csv;
      const ws = wb.getWorksheet(t)!;
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
      expect((ws.getRow(2).values as unknown[]).slice(1).length).toBe(header!.length);
      // Data from row 3; then the totals row, if the table has one, and nothing else.
      expect(ws.rowCount === rows.length + 2 || ws.rowCount === rows.length + 3, t).toBe(true);
      rows.forEach((row, i) => {
        row.forEach((v, j) => {
          const cell = ws.getCell(i + 3, j + 1);
          if (v === '') return expect(cell.value, `${t} ${i + 3}:${j + 1}`).toBe(null);
          if (typeof cell.value === 'number') {
            numbers++;
            expect(cell.value, `${t} ${i + 3}:${j + 1}`).toBe(Number(v));
            expect(cell.type).toBe(ExcelJS.ValueType.Number);
            expect(cell.numFmt, `${t} ${header![j]!}`).toMatch(/^(#,##0\.00;-#,##0\.00|0|0\.0)$/);
            if (/^-?\d+\.\d\d$/.test(v) && !header![j]!.endsWith('_pct')) expect(cell.numFmt).toBe('#,##0.00;-#,##0.00');
          } else {
            expect(typeof cell.value, `${t} ${i + 3}:${j + 1} "${v}"`).toBe('string');
            expect(/^-?\d+(\.\d+)?$/.test(v) && !['iso3', 'month'].includes(header![j]!), `${t} ${header![j]!}: a number written as text`).toBe(false);
            expect(String(cell.value)).toBe(v.replace(/^'(?=[=+\-@\t\r])/, ''));
          }
        });
      });
    }
    expect(numbers).toBeGreaterThan(4000);
    // The totals rows add up the column (years: assessed; budget: projected; states: outstanding).
    const colSum = (sheet: string, col: number, first: number, last: number) => {
      const ws = wb.getWorksheet(sheet)!;
      let s = 0n;
      for (let i = first; i <= last; i++) s += cents((ws.getCell(i, col).value as number).toFixed(2));
      return s;
    };
    const years = wb.getWorksheet('years')!;
    expect(cents((years.getCell(years.rowCount, 2).value as number).toFixed(2))).toBe(colSum('years', 2, 3, years.rowCount - 1));
    expect(years.getCell(years.rowCount, 1).value).toBe('Total');
    const budget = wb.getWorksheet('budget')!;
    expect((budget.getCell(budget.rowCount, 8).value as number).toFixed(2)).toBe('619428.30');
    expect(cents((budget.getCell(budget.rowCount, 8).value as number).toFixed(2))).toBe(colSum('budget', 8, 3, budget.rowCount - 1));
    // About: the inputs' SHA-256, as in the other formats.
    const about = (wb.getWorksheet('About')!.getColumn(1).values as unknown[]).filter((v) => typeof v === 'string') as string[];
    const j = JSON.parse(readFileSync(path.join(w.dir, 'report-2026-08-18.json'), 'utf8')) as { inputs: { file: string; sha256: string }[] };
    for (const i of j.inputs) expect(about).toContain(`${i.sha256}  ${i.file}`);
    expect(j.inputs.map((i) => i.file)).toContain('expenditure.csv');
  });

  it('the same bytes on every run, in any time zone or locale: xlsx, HTML, JSON, CSV, Markdown, table', async () => {
    const a = await writeAll('2026-08-18');
    await new Promise((r) => setTimeout(r, 2100)); // past the 2-second resolution of ZIP dates
    // The built program in another process, so that the time zone is really another one.
    const b = tmp();
    const rb = spawnSync(process.execPath, [path.join(ROOT, 'bin/finproc.cjs'), 'report', '--as-of', '2026-08-18', '--out', b], { encoding: 'utf8', env: { ...process.env, TZ: 'Pacific/Kiritimati', LANG: 'de_CH.UTF-8', LC_ALL: 'de_CH.UTF-8' } });
    expect(rb.stderr).toBe('');
    expect(rb.status).toBe(0);
    for (const f of a.files) expect(readFileSync(path.join(b, f)).equals(readFileSync(path.join(a.dir, f))), f).toBe(true);
  });

  it('a file --out takes its format from the extension; xlsx is refused on a terminal without --out', async () => {
    const d = tmp();
    expect((await run(['report', '--as-of', '2026-08-18', '--out', path.join(d, 'r.xlsx')])).code).toBe(0);
    expect(readFileSync(path.join(d, 'r.xlsx')).subarray(0, 2).toString()).toBe('PK');
    const quiet = await run(['report', '--as-of', '2026-08-18', '--out', path.join(d, 'q.json')]);
    expect([quiet.code, quiet.stdout]).toEqual([0, '']);
    const verbose = await run(['--verbose', 'report', '--as-of', '2026-08-18', '--out', path.join(d, 'v.json')]);
    expect(verbose.stdout).toMatch(/^wrote .*v\.json\n$/);
    const tty = await run(['report', '--as-of', '2026-08-18', '--format', 'xlsx'], { tty: true });
    expect(tty.code).toBe(2);
    expect(tty.stderr).toMatch(/--out report\.xlsx/);
    expect((await run(['report', '--as-of', '2026-08-18', '--format', 'csv', '--out', path.join(d, 'r.json')])).code).toBe(2);
    expect((await run(['report', '--as-of', '2026-08-18', '--year', '2027'])).code).toBe(2);
    expect((await run(['report', '--as-of', '2026-08-18', '--format', 'csv,json'])).code).toBe(2);
    expect((await run(['report', '--as-of', '2026-08-18', '--table', 'budget'])).code).toBe(2);
    const csv = await run(['report', '--as-of', '2026-08-18', '--table', 'budget', '--out', path.join(d, 'b.csv')]);
    expect(csv.code).toBe(0);
    expect(readFileSync(path.join(d, 'b.csv'), 'utf8')).toMatch(/^line,budget,plan_to_date,actual_to_date,variance,spent_pct,remaining,projected\r\nstaff,461500\.00,248500\.00,249650\.00,1150\.00,54\.1,211850\.00,462650\.00\r\n/);
    const help = await run(['report', '--help']);
    expect(help.stdout).toMatch(/Examples:\n\s+finproc report /);
  });
});

// ---------------------------------------------------------------- the meeting's document

describe('HTML and PDF', () => {
  it('HTML is one self-contained page: no script, no external resource; every part and the inputs', async () => {
    const r = await run(['report', '--as-of', '2026-08-18', '--format', 'html']);
    expect(r.code).toBe(0);
    const h = r.stdout;
    expect(h).toMatch(/^<!DOCTYPE html>/);
    expect(h).not.toMatch(/<script|<link|src=|url\(|@import/i);
    for (const s of ['1. Status of contributions', '2. Capital reserve', '3. Sponsorship programme', '4. Budget against actual', 'Annex: status of contributions by State', 'Inputs (SHA-256)']) expect(h).toContain(s);
    expect(h).toContain('618&#39;250.00');
    expect(h).toContain('619&#39;428.30');
  });

  it('text from the books is escaped', async () => {
    const dir = booksWith({ 'states.csv': (t: string) => t.replace(/^MEX,[^,\r\n]*/m, 'MEX,"<b>Mexico</b> & ""co"""') });
    const r = await run(['report', '--as-of', '2026-08-18', '--books', dir, '--format', 'html']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('<b>Mexico</b>');
    expect(r.stdout).toContain('&lt;b&gt;Mexico&lt;/b&gt; &amp; &quot;co&quot;');
  });

  const chromium = findChromium(process.env);
  const pdftotext = spawnSync('pdftotext', ['-v']).error === undefined;
  const canPrint = 'path' in chromium && pdftotext;
  it.skipIf(!canPrint && !process.env.CI)(`PDF through Chromium, read back with pdftotext${canPrint ? '' : ' (skipped: no Chromium or pdftotext)'}`, async () => {
    const d = tmp();
    const r = await run(['report', '--as-of', '2026-08-18', '--out', path.join(d, 'r.pdf')], { env: { ...process.env } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const text = spawnSync('pdftotext', ['-layout', path.join(d, 'r.pdf'), '-'], { encoding: 'utf8' }).stdout;
    expect(text).toContain('Financial report 2026 to the Meeting of States Parties, as of 2026-08-18');
    expect(text).toContain('Budget against actual');
    expect(text).toMatch(/Total\s+618'250\.00\s+320'375\.00\s+321'553\.30\s+1'178\.30/);
    expect(text).toContain('Mexico');
  }, 60_000);
});

// ---------------------------------------------------------------- expenditure.csv

describe('expenditure.csv is validated like every book', () => {
  it('bad cells are named by file:line:column, by check, cashflow and report', async () => {
    const dir = booksWith({ 'expenditure.csv': 'month,line,amount,note\n2026-01,staff,35500.00,\n2026-13,staff,1.00,\n2026-02,Staff!,1.00,\n2026-02,office,1,000.00\n2026-02,travel,12.345,\n2026-01,staff,1.00,again\n' });
    for (const args of [['check'], ['cashflow', '--year', '2026', '--as-of', '2026-08-18'], ['report', '--as-of', '2026-08-18']]) {
      const r = await run([...args, '--books', dir]);
      expect(r.code, args[0]).toBe(1);
      expect(r.stderr).toMatch(/expenditure\.csv:3:1: error \[date-invalid\]/);
      expect(r.stderr).toMatch(/expenditure\.csv:4:9: error \[value-invalid\]/);
      expect(r.stderr).toMatch(/expenditure\.csv:5:16: error \[amount-ambiguous\]/);
      expect(r.stderr).toMatch(/expenditure\.csv:6:16: error \[amount-ambiguous\]/);
      expect(r.stderr).toMatch(/expenditure\.csv:7:9: error \[row-duplicate\]/);
    }
  });

  it('the example expenditure.csv is what scripts/make-cashflow-books.mjs writes, and check finds nothing in it', async () => {
    const g = spawnSync(process.execPath, [path.join(ROOT, 'scripts/make-cashflow-books.mjs'), '--check'], { encoding: 'utf8' });
    expect(g.stderr).toBe('');
    expect(g.status).toBe(0);
    const c = await run(['check']);
    expect(c.stderr).toBe('');
    expect(c.code).toBe(0);
  });

  it('a line the plan does not have is a warning at its cell; the report still runs', async () => {
    const dir = booksWith({ 'expenditure.csv': (t: string) => t + '2026-07,consultants,1200.00,\n' });
    const c = await run(['check', '--books', dir]);
    expect(c.code).toBe(0);
    expect(c.stderr).toMatch(/expenditure\.csv:70:9: warning \[value-invalid\] line: the budget line "consultants" is not in expenditure-plan\.csv for 2026/);
    const r = await run(['report', '--as-of', '2026-08-18', '--books', dir, '--format', 'json']);
    expect(r.code).toBe(0);
    const b = (JSON.parse(r.stdout) as { budget: { lines: Obj[] } }).budget.lines;
    expect(b[b.length - 1]).toMatchObject({ line: 'consultants', budget: '0.00', actual_to_date: '1200.00', variance: '1200.00', spent_pct: null, remaining: '-1200.00' });
  });

  it('without expenditure.csv the report says so and uses the plan', async () => {
    const dir = handBooks();
    const r = (await json(['report', '--as-of', '2026-03-31', '--books', dir])) as { notes: string[]; budget: { actual_months: string[]; total: Obj } };
    expect(r.budget.actual_months).toEqual([]);
    expect(r.budget.total.projected).toBe('600000.00');
    expect(r.notes.join('\n')).toContain('no expenditure.csv');
  });
});

// ---------------------------------------------------------------- cashflow takes the actual spending

describe('cashflow: the actual spending of the months past', () => {
  // The hand-built year of test/cashflow-books.ts: plan 50,000.00 a month, opening cash
  // 50,000.00, reserve 400,000.00; on 2026-01-31 CHE (40,000) and AUT (60,000) are expected in
  // February. January actually cost 80,000.00:
  //   Jan: 50,000 − 80,000 = −30,000 → draw 30,000, cash 0, reserve 370,000
  //   Feb: 0 + 100,000 − 50,000 = 50,000 → repay 30,000, cash 20,000, reserve 400,000
  //   Mar: 20,000 − 50,000 = −30,000 → draw 30,000, reserve 370,000
  const months = async (asOf: string, actual?: string[]) => ((await json(['cashflow', '--year', '2026', '--as-of', asOf, '--books', handBooks(actual ? { actual } : {})])) as { months: Obj[]; notes: string[] });

  it('a month ended on or before the as-of date takes its actual spending (worked by hand)', async () => {
    const d = await months('2026-01-31', ['2026-01,staff,80000.00,', '2026-02,staff,1.00,not read: February is not past']);
    expect(d.months.slice(0, 3).map((m) => [m.spending, m.spending_basis, m.reserve_drawn, m.reserve_repaid, m.closing, m.reserve_closing])).toEqual([
      ['80000.00', 'actual', '30000.00', '0.00', '0.00', '370000.00'],
      ['50000.00', 'plan', '0.00', '30000.00', '20000.00', '400000.00'],
      ['50000.00', 'plan', '30000.00', '0.00', '0.00', '370000.00'],
    ]);
  });

  it('the month of the as-of date is not past; a past month with no row keeps the plan, with a note', async () => {
    const d = await months('2026-01-30', ['2026-01,staff,80000.00,']);
    expect([d.months[0]!.spending, d.months[0]!.spending_basis]).toEqual(['50000.00', 'plan']);
    const e = await months('2026-02-28', ['2026-02,staff,45000.00,']);
    expect(e.months.slice(0, 2).map((m) => [m.spending, m.spending_basis])).toEqual([['50000.00', 'plan'], ['45000.00', 'actual']]);
    expect(e.notes).toContain('No actual spending for 2026-01 in expenditure.csv: the plan is used for that month.');
  });

  it('the Python oracle reads expenditure.csv on its own and agrees', async () => {
    for (const [asOf, actual] of [['2026-01-31', ['2026-01,staff,80000.00,']], ['2026-04-30', ['2026-01,staff,80000.00,', '2026-02,staff,20000.00,', '2026-02,travel,7000.00,', '2026-03,staff,0.00,', '2026-04,staff,120000.00,']]] as const) {
      const books = handBooks({ actual: [...actual] });
      // The hand-built plan has only "staff": travel is a warning, not an error.
      writeFileSync(path.join(books, 'expenditure-plan.csv'), readFileSync(path.join(books, 'expenditure-plan.csv'), 'utf8') + '2026-02,travel,0.00,\n');
      const o = spawnSync(findPython(), [path.join(ROOT, 'test/oracle/cashflow.py'), books, '--year', '2026', '--as-of', asOf], { encoding: 'utf8' });
      expect(o.stderr).toBe('');
      const oracle = JSON.parse(o.stdout) as { months: Obj[] };
      const ours = (await json(['cashflow', '--year', '2026', '--as-of', asOf, '--books', books])) as { months: Obj[] };
      const keys = Object.keys(oracle.months[0]!);
      expect(ours.months.map((m) => Object.fromEntries(keys.map((k) => [k, m[k]])))).toEqual(oracle.months);
    }
  });
});

// ---------------------------------------------------------------- invariants of budget against actual

describe('budget against actual: invariants (fast-check)', () => {
  it('projected = budget − plan to date + actual to date, line by line; its total is what the projection spends; each month spends its actual or its plan', () => {
    const ym = (m: number) => `2026-${String(m).padStart(2, '0')}`;
    const row = fc.record({ month: fc.integer({ min: 1, max: 12 }), line: fc.constantFrom('staff', 'office', 'travel', 'msp'), amount: fc.bigInt({ min: 0n, max: 10_000_000n }) });
    const arb = fc.record({ plan: fc.array(row, { maxLength: 30 }), actual: fc.option(fc.array(row, { maxLength: 30 }), { nil: undefined }), asOf: fc.date({ min: new Date('2025-12-01T00:00:00Z'), max: new Date('2027-01-31T00:00:00Z'), noInvalidDate: true }) });
    const dedupe = (rows: { month: number; line: string; amount: bigint }[]): PlanRow[] => {
      const seen = new Map<string, PlanRow>();
      for (const r of rows) seen.set(`${r.month} ${r.line}`, { month: ym(r.month), line: r.line, amount: r.amount, note: '' });
      return [...seen.values()];
    };
    fc.assert(
      fc.property(arb, (c) => {
        const asOf = c.asOf.toISOString().slice(0, 10);
        const plan = dedupe(c.plan);
        const actual = c.actual === undefined ? undefined : dedupe(c.actual);
        const spent = spendingOf(2026, asOf, plan, actual);
        const cf = { spendingBasis: spent.basis, flows: flowsOf(2026, [], spent.rows) } as unknown as CashflowReport;
        const b = budgetAgainstActual(2026, cf, plan, actual, null);
        const sum = (xs: bigint[]) => xs.reduce((a, x) => a + x, 0n);
        for (const l of [...b.lines, b.total]) {
          expect(l.projected).toBe(l.budget - l.planToDate + l.actualToDate);
          expect(l.variance).toBe(l.actualToDate - l.planToDate);
          expect(l.remaining).toBe(l.budget - l.actualToDate);
        }
        expect(b.total.projected).toBe(sum(cf.flows.spending));
        expect(b.total.budget).toBe(sum(plan.map((p) => p.amount)));
        expect(b.total.actualToDate).toBe(sum(b.months.map((m) => m.actual ?? 0n)));
        for (const m of b.months) {
          const past = `${ym(m.month)}-${String(new Date(Date.UTC(2026, m.month, 0)).getUTCDate())}` <= asOf;
          const hasActual = actual !== undefined && actual.some((a) => a.month === ym(m.month));
          expect(m.basis).toBe(past && hasActual ? 'actual' : 'plan');
          expect(m.spending).toBe(m.basis === 'actual' ? m.actual! : m.plan);
          expect(spent.missing.includes(ym(m.month))).toBe(actual !== undefined && past && !hasActual);
        }
      }),
      { numRuns: 200, seed: 20261203 },
    );
  });
});
