#!/usr/bin/env node
/**
 * Writes the ILLUSTRATIVE cash-flow and sponsorship books of the example data:
 *
 *   data/expenditure-plan.csv     planned spending per month and budget line, 2025 and 2026
 *   data/opening-balances.csv     operating cash and capital reserve on 1 January, 2025 and 2026
 *   data/sponsored-delegates.csv  delegates sponsored by the sponsorship programme, 2019-2026
 *   data/expenditure.csv          actual spending per month and budget line: 2025, and 2026 to July
 *
 * Every figure is made up (data/README.md says so and why it is plausible). No clock, no
 * random numbers: the same script always writes the same bytes. `--check` exits 1 if a file
 * differs from what the script would write.
 *
 *   node scripts/make-cashflow-books.mjs [--check]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const DATA = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'data');

// Amounts in centimes (integers), written with two decimals.
const chf = (c) => `${Math.trunc(c / 100)}.${String(c % 100).padStart(2, '0')}`;
const F = (francs) => francs * 100;

/**
 * The plan of one year. Staff: 12 monthly salaries plus the 13th in December (Swiss
 * practice). The MSP (September) and its preparation (August); the intersessional meetings
 * (May preparation, June meetings); travel every month but August; office and hosting
 * monthly; communications and translation quarterly. The lines add up to the budget of
 * budgets.csv for the year.
 */
function plan(year, p) {
  const rows = [];
  for (let m = 1; m <= 12; m++) {
    const month = `${year}-${String(m).padStart(2, '0')}`;
    const add = (line, amount, note = '') => rows.push([month, line, chf(amount), note]);
    add('staff', m === 12 ? 2 * p.salary : p.salary, m === 12 ? 'includes the 13th monthly salary' : '');
    add('office', p.office);
    if (m !== 8) add('travel', p.travel);
    if (m % 3 === 0) add('communications', p.comms, 'translation and communications, quarterly');
    if (m === 5) add('intersessional', p.interPrep, 'intersessional meetings: preparation');
    if (m === 6) add('intersessional', p.inter, 'intersessional meetings, Geneva');
    if (m === 8) add('msp', p.mspPrep, 'Meeting of States Parties: preparation');
    if (m === 9) add('msp', p.msp, 'Meeting of States Parties, Geneva');
  }
  const total = rows.reduce((s, r) => s + Math.round(Number(r[2]) * 100), 0);
  if (total !== p.budget) throw new Error(`plan ${year}: ${chf(total)} is not the budget ${chf(p.budget)}`);
  return rows;
}

const PLANS = [
  // 605,400.00 = 13 × 34,800 + 12 × 3,900 + 11 × 3,000 + 4 × 2,175 + 5,500 + 12,000 + 7,000 + 40,000
  plan(2025, { budget: F(605400), salary: F(34800), office: F(3900), travel: F(3000), comms: F(2175), interPrep: F(5500), inter: F(12000), mspPrep: F(7000), msp: F(40000) }),
  // 618,250.00 = 13 × 35,500 + 12 × 4,000 + 11 × 3,000 + 4 × 2,437.50 + 6,000 + 12,000 + 8,000 + 40,000
  plan(2026, { budget: F(618250), salary: F(35500), office: F(4000), travel: F(3000), comms: 243750, interPrep: F(6000), inter: F(12000), mspPrep: F(8000), msp: F(40000) }),
].flat();

/**
 * Actual spending: the plan's months and lines, moved by fixed, explainable differences (no
 * random numbers). 2025 is closed; 2026 runs to July (the books stand in late August 2026).
 * Staff: a vacancy of six weeks in April-May 2025, overtime for the June 2026 meetings.
 * Office: a few hundred francs either way. Travel: 64-140 % of the plan month by month.
 * Communications: over, then under. Meetings: what they cost, not what was budgeted.
 */
const ACTUAL_TO = { 2025: 12, 2026: 7 };
const TRAVEL_PCT = [85, 112, 64, 131, 97, 120, 73, 100, 140, 92, 88, 105];
const EXACT = {
  '2025-04 staff': [-620000, 'vacancy: programme officer post, from mid-April'],
  '2025-05 staff': [-310000, 'vacancy filled on 16 May'],
  '2026-06 staff': [115000, 'overtime for the intersessional meetings'],
  '2025-05 intersessional': [41235, ''],
  '2025-06 intersessional': [-61510, 'fewer interpreted sessions than budgeted'],
  '2026-05 intersessional': [24000, ''],
  '2026-06 intersessional': [87615, 'additional room hire'],
  '2025-08 msp': [-34480, ''],
  '2025-09 msp': [318040, 'interpretation into six languages on both days'],
};
function actual(plans) {
  const rows = [];
  plans.forEach(([month, line, amount], k) => {
    const year = Number(month.slice(0, 4));
    const m = Number(month.slice(5, 7));
    if (m > (ACTUAL_TO[year] ?? 0)) return;
    const planned = Math.round(Number(amount) * 100);
    const exact = EXACT[`${month} ${line}`];
    let cents = planned;
    let note = '';
    if (exact) [cents, note] = [planned + exact[0], exact[1]];
    else if (line === 'office') cents = planned + (((k * 37) % 11) - 5) * 4530;
    else if (line === 'travel') cents = Math.round((planned * TRAVEL_PCT[m - 1]) / 100);
    else if (line === 'communications') cents = planned + (m % 2 === 1 ? 31240 : -18075);
    rows.push([month, line, chf(cents), note]);
  });
  return rows;
}

const OPENING = [
  [2025, chf(F(95000)), chf(F(400000)), 'ILLUSTRATIVE opening position on 1 January'],
  [2026, chf(F(60000)), chf(F(400000)), 'ILLUSTRATIVE opening position on 1 January'],
];

/**
 * Delegates: about 17 a year at about CHF 3,100 each (CHF 52,800 a year on average in
 * 2016-2019, DOMAIN.md), fewer in 2020-2021 (meetings held online or postponed). Sponsored
 * States are taken in turn from a fixed list of least developed States Parties.
 */
const SPONSORED = ['AFG', 'BDI', 'BEN', 'BFA', 'CAF', 'COM', 'GIN', 'GMB', 'GNB', 'LAO', 'LSO', 'MDG', 'MLI', 'MOZ', 'MRT', 'MWI', 'NER', 'RWA', 'SEN', 'SLE', 'SOM', 'TCD', 'TGO', 'UGA', 'ZMB'];
const MEETINGS = [
  ['IM-2019', '2019-05-20', 6], ['9MSP', '2019-09-02', 11],
  ['2RC-1', '2020-11-25', 0], ['IM-2021', '2021-06-14', 0], ['2RC-2', '2021-09-20', 8],
  ['IM-2022', '2022-05-16', 6], ['10MSP', '2022-08-30', 11],
  ['IM-2023', '2023-05-15', 6], ['11MSP', '2023-09-11', 12],
  ['IM-2024', '2024-05-13', 6], ['12MSP', '2024-09-09', 11],
  ['IM-2025', '2025-05-12', 6], ['13MSP', '2025-09-15', 11],
  ['IM-2026', '2026-05-11', 6],
];
function delegates() {
  const rows = [];
  let k = 0;
  for (const [meeting, date, n] of MEETINGS) {
    for (let i = 0; i < n; i++) {
      const iso3 = SPONSORED[k % SPONSORED.length];
      // Economy fare and daily subsistence allowance: CHF 2,450-3,750, in steps of CHF 25.
      const cost = F(2450) + ((k * 7919) % 53) * F(25);
      const two = k % 9 === 4; // now and then a State sends two sponsored delegates
      rows.push([meeting, date, iso3, two ? '2' : '1', chf(two ? 2 * cost : cost), two ? 'two delegates' : '']);
      k++;
    }
  }
  return rows;
}

const q = (v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const csv = (header, rows) => [header, ...rows].map((r) => r.map(String).map(q).join(',')).join('\n') + '\n';

const FILES = {
  'expenditure-plan.csv': csv(['month', 'line', 'amount', 'note'], PLANS),
  'opening-balances.csv': csv(['year', 'operating_cash', 'reserve', 'note'], OPENING),
  'sponsored-delegates.csv': csv(['meeting', 'date', 'iso3', 'delegates', 'cost', 'note'], delegates()),
  'expenditure.csv': csv(['month', 'line', 'amount', 'note'], actual(PLANS)),
};

const check = process.argv.includes('--check');
let differs = 0;
for (const [name, text] of Object.entries(FILES)) {
  const p = path.join(DATA, name);
  if (check) {
    let old = '';
    try {
      old = readFileSync(p, 'utf8');
    } catch {
      /* missing counts as different */
    }
    if (old !== text) {
      console.error(`${name} differs from what scripts/make-cashflow-books.mjs writes`);
      differs++;
    }
  } else writeFileSync(p, text);
}
process.exit(differs ? 1 : 0);
