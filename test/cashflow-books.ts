/**
 * A hand-built year for the cash-flow tests: four States, a flat plan, every figure chosen
 * so that the projection can be worked out with pencil and paper (the tests write it out).
 *
 *   invoices every year 2023–2026, issued 15 January, due 14 February:
 *     DEU 500,000.00   AUT 60,000.00   CHE 40,000.00   MEX 10,000.00
 *   plan 2026: staff 50,000.00 every month (600,000.00)
 *   opening 2026: operating cash 50,000.00, reserve as given (400,000.00 by default)
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { booksWith } from './helpers.js';

const STATES = { DEU: '500000.00', AUT: '60000.00', CHE: '40000.00', MEX: '10000.00' } as const;

export interface HandOptions {
  /** DEU's payment date for each past year (null: not paid). Default 175, 181, 190 days late. */
  deu?: Record<number, string | null>;
  reserve?: string;
  policyReserve?: string;
  openingNote?: string;
  /** Leave MEX (a State that usually does not pay) out. */
  noMex?: boolean;
  /** Further payments rows (after the history). */
  extraPayments?: string[];
  pledges?: string[];
  /** Rows of expenditure.csv (month,line,amount,note); without it the books have no expenditure.csv. */
  actual?: string[];
}

export function handBooks(o: HandOptions = {}): string {
  // Past payment dates (due 14 February):
  //   DEU 2023-08-08 = +175 days, 2024-08-13 = +181 (2024 is a leap year), 2025-08-23 = +190
  //   AUT on the due date (+0); CHE ten days early, 2023-02-04 … (−10)
  //   MEX 2023-03-16 (+30) only; 2024 and 2025 never paid
  const deu = o.deu ?? { 2023: '2023-08-08', 2024: '2024-08-13', 2025: '2025-08-23' };
  const assessments = ['invoice,iso3,year,purpose,category,amount,currency,issued,due,note'];
  const payments = ['payment_id,iso3,received,amount,currency,chf,purpose,earmark_year,earmark_category,earmark_invoice,pledge,reference'];
  let n = 0;
  for (const year of [2023, 2024, 2025, 2026]) {
    for (const [iso3, amount] of Object.entries(STATES)) if (!(o.noMex && iso3 === 'MEX')) assessments.push(`INV-${year}-${iso3},${iso3},${year},isu,scale,${amount},CHF,${year}-01-15,${year}-02-14,`);
    if (year === 2026) continue;
    const pay = (iso3: string, date: string) => payments.push(`PAY-${String(++n).padStart(3, '0')},${iso3},${date},${STATES[iso3 as keyof typeof STATES]},CHF,,isu,,,,,`);
    pay('AUT', `${year}-02-14`);
    pay('CHE', `${year}-02-04`);
    const d = deu[year];
    if (d) pay('DEU', d);
    if (year === 2023 && !o.noMex) pay('MEX', '2023-03-16');
  }
  payments.push(...(o.extraPayments ?? []));
  const plan = ['month,line,amount,note', ...Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')},staff,50000.00,`)];
  const dir = booksWith({
    'assessments.csv': assessments.join('\n') + '\n',
    'payments.csv': payments.join('\n') + '\n',
    'adjustments.csv': 'adjustment_id,iso3,date,kind,invoice,category,amount,reason\n',
    'pledges.csv': ['pledge_id,iso3,purpose,amount,currency,pledged,expected,year,note', ...(o.pledges ?? [])].join('\n') + '\n',
    'expenditure-plan.csv': plan.join('\n') + '\n',
    'opening-balances.csv': `year,operating_cash,reserve,note\n2026,50000.00,${o.reserve ?? '400000.00'},"${(o.openingNote ?? 'hand-built').replace(/"/g, '""')}"\n`,
    ...(o.policyReserve ? { 'policy.yaml': (t: string) => t + o.policyReserve } : {}),
    ...(o.actual ? { 'expenditure.csv': ['month,line,amount,note', ...o.actual].join('\n') + '\n' } : {}),
  });
  // The example books' actual spending is not the hand-built year's.
  if (!o.actual) rmSync(path.join(dir, 'expenditure.csv'));
  return dir;
}

/**
 * The reviewer's FRA example (issue 5 review): the hand-built books without MEX, plus FRA,
 * assessed 10,000.00 every year 2023–2026 (due 14 February), which pays each invoice 400
 * days late: 2024-03-20 settles 2023 (2023-02-14 + 365 = 2024-02-14, + 29 days of February
 * 2024 = 03-14, + 6 = 03-20: 400) and 2025-03-20 settles 2024 (2024-02-14 + 366 = 2025-02-14,
 * + 28 = 03-14, + 6 = 03-20: 400). On 2026-01-31 its 2025 and 2026 invoices are open.
 */
export function fraBooks(pledges: string[]): string {
  const base = handBooks({ noMex: true, pledges });
  const file = (f: string) => path.join(base, f);
  writeFileSync(file('assessments.csv'), readFileSync(file('assessments.csv'), 'utf8') + [2023, 2024, 2025, 2026].map((y) => `INV-${y}-FRA,FRA,${y},isu,scale,10000.00,CHF,${y}-01-15,${y}-02-14,`).join('\n') + '\n');
  writeFileSync(file('payments.csv'), readFileSync(file('payments.csv'), 'utf8') + 'PAY-F1,FRA,2024-03-20,10000.00,CHF,,isu,,,,,\nPAY-F2,FRA,2025-03-20,10000.00,CHF,,isu,,,,,\n');
  return base;
}
