/**
 * `check`: records dated after today (a payment typed 2042 for 2024), in the ledger files and
 * in the actual spending (docs/bank.md, "check --today").
 */
import path from 'node:path';
import type { Problem } from '../core/problem.js';
import type { Books, FileReader } from './books.js';
import { atCell, readCsv, type CsvRow, type CsvTable } from './csv.js';
import { LEDGER_FILES } from './ledger.js';

/** `check`: a record dated after `today` (a typo such as 2042 for 2024). */
export function checkFutureDates(books: Books, reader: FileReader, today: string | undefined, problems: Problem[]): void {
  const files: [string, string[]][] = [
    [LEDGER_FILES.payments, ['received']],
    [LEDGER_FILES.assessments, ['issued']],
    [LEDGER_FILES.adjustments, ['date']],
    [LEDGER_FILES.pledges, ['pledged']],
    [LEDGER_FILES.rates, ['date']],
  ];
  const found: { t: CsvTable; row: CsvRow; col: string; date: string }[] = [];
  const dates = new Set<string>();
  for (const [name, cols] of files) {
    const abs = path.join(books.dir, name);
    if (!reader.exists(abs)) continue;
    const f = reader.read(abs, []);
    if (!f) continue;
    let idx: number[] | undefined;
    readCsv(f.display, f.text, { required: [], pattern: /.*/ }, {
      onRow: (row, t) => {
        idx ??= cols.map((c) => t.header.indexOf(c));
        cols.forEach((c, i) => {
          const v = idx![i]! < 0 ? '' : (row.values[idx![i]!] ?? '').trim();
          if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return;
          dates.add(v);
          if (today !== undefined ? v > today : true) found.push({ t, row, col: c, date: v });
          // Without --today only the few latest dates are candidates: keep the list short.
          if (today === undefined && found.length > 4096) found.sort((a, b) => (a.date < b.date ? 1 : -1)).splice(2048);
        });
      },
    });
  }
  let limit = today;
  let how = `--today ${today}`;
  if (limit === undefined) {
    // The latest date of the books, leaving out dates more than a year after every earlier one.
    const sorted = [...dates].sort();
    let i = sorted.length - 1;
    while (i > 0 && dayGap(sorted[i - 1]!, sorted[i]!) > 366) i--;
    limit = sorted[i];
    how = `the latest date of the books (${limit}); dates more than a year after all the others are left out of it`;
  }
  if (limit === undefined) return;
  for (const x of found)
    if (x.date > limit) problems.push({ ...atCell(x.t, x.row, x.col, 'date-future', `dated ${x.date}, after today (${how})`, 'a typo in the year? correct the date, or pass --today'), severity: 'warning' });
  // Actual spending (expenditure.csv) for a month that has not begun yet.
  const spent = path.join(books.dir, 'expenditure.csv');
  const f = reader.exists(spent) ? reader.read(spent, []) : undefined;
  if (!f) return;
  const month = limit.slice(0, 7);
  readCsv(f.display, f.text, { required: [], pattern: /.*/ }, {
    onRow: (row, t) => {
      const v = (row.values[t.header.indexOf('month')] ?? '').trim();
      if (/^\d{4}-\d{2}$/.test(v) && v > month)
        problems.push({ ...atCell(t, row, 'month', 'date-future', `actual spending for ${v}, a month after today (${how})`, 'a typo in the year? actual spending is recorded once the month has begun; the plan goes to expenditure-plan.csv'), severity: 'warning' });
    },
  });
}

function dayGap(a: string, b: string): number {
  return (Date.UTC(+b.slice(0, 4), +b.slice(5, 7) - 1, +b.slice(8, 10)) - Date.UTC(+a.slice(0, 4), +a.slice(5, 7) - 1, +a.slice(8, 10))) / 86400000;
}

