#!/usr/bin/env node
// make-ledger.mjs: generate the example ledger books (2019-2026) in data/:
//   assessments.csv, payments.csv, adjustments.csv, pledges.csv, exchange-rates.csv
// following docs/ledger.md.
//
//   node scripts/make-ledger.mjs             write the five files
//   node scripts/make-ledger.mjs --check     exit 1 if a file in data/ differs from the output
//   node scripts/make-ledger.mjs --summary   also print sanity figures (with or without --check)
//
// AMOUNTS ARE MADE UP; TIMING IS MODELLED ON REAL UN DATA.
//   - Assessments: `finproc apportion --year Y --format json` on the example books
//     (data/budgets.csv is itself illustrative), one invoice per State and year.
//   - Payment timing: the UN regular-budget honour-roll data in
//     data/sources/un-regular-budget-payments-2019-2026.csv (override with the environment
//     variable FINPROC_UN_PAYMENTS). For State S and year Y the UN delay (payment_date -
//     due_date, in days) is added to our due date. The rules are written out at "payments"
//     below and in data/README.md.
//   - Everything else (currencies, bank charges, earmarks, pledges, adjustments, exchange
//     rates) is invented.
//
// DETERMINISM: no clock, no Math.random. Every choice comes from u(key): the first 48 bits of
// SHA-256("make-ledger/1:" + key) as a number in [0, 1). Money is kept in integer centimes.
// Output: UTF-8 without BOM, LF, commas, fields quoted only where RFC 4180 requires it.
//
// The script also replays the books with its own implementation of the allocation rules of
// docs/ledger.md (oldest first, earmarks, credit, adjustments) and stops with an error if an
// adjustment would reduce a line below zero or refund more than the credit.

import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DATA = join(ROOT, 'data');
const BIN = join(ROOT, 'bin', 'finproc.cjs');
const UN_FILE = process.env.FINPROC_UN_PAYMENTS
  ?? join(DATA, 'sources', 'un-regular-budget-payments-2019-2026.csv');

const YEARS = [2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026];
const CUTOFF = '2026-08-18'; // the last UN status date: nothing is dated after it

// ---- helpers ---------------------------------------------------------------------------
const u = (key) =>
  parseInt(createHash('sha256').update(`make-ledger/1:${key}`).digest('hex').slice(0, 12), 16) / 2 ** 48;
/** integer in [lo, hi] */
const pick = (key, lo, hi) => lo + Math.floor(u(key) * (hi - lo + 1));
const rankBy = (items, keyOf) =>
  items.map((it) => [u(keyOf(it)), it]).sort((a, b) => a[0] - b[0]).map((x) => x[1]);

const dnum = (s) => Date.UTC(+s.slice(0, 4), +s.slice(5, 7) - 1, +s.slice(8, 10)) / 86400000;
const dstr = (n) => new Date(n * 86400000).toISOString().slice(0, 10);
const addDays = (s, k) => dstr(dnum(s) + k);
const weekday = (s) => new Date(dnum(s) * 86400000).getUTCDay();
/** next business day (value dates never fall on a weekend) */
const bizFwd = (s) => { while (weekday(s) === 0 || weekday(s) === 6) s = addDays(s, 1); return s; };
const bizBack = (s) => { while (weekday(s) === 0 || weekday(s) === 6) s = addDays(s, -1); return s; };
const maxDate = (a, b) => (a > b ? a : b);
const minDate = (a, b) => (a < b ? a : b);
const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

/** '1009.09' -> 100909 */
function cents(s) {
  const m = /^(\d+)\.(\d{2})$/.exec(s);
  if (!m) throw new Error(`not an amount with two decimals: ${s}`);
  return Number(m[1]) * 100 + Number(m[2]);
}
/** 100909 -> '1009.09' */
function fmt(c) {
  if (!Number.isSafeInteger(c)) throw new Error(`bad centimes ${c}`);
  const a = Math.abs(c);
  return `${c < 0 ? '-' : ''}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}
/** round(n / d) half-up, integers, n >= 0, d > 0 */
const divRound = (n, d) => Math.floor((2 * n + d) / (2 * d));

function readCsv(path) {
  return parse(readFileSync(path, 'utf8'), { columns: true, skip_empty_lines: true, bom: true });
}

// ---- reference data --------------------------------------------------------------------
const parties = readCsv(join(DATA, 'parties.csv'));
const isParty = new Map(parties.map((p) => [p.iso3, p]));
const ldc = new Set(readCsv(join(DATA, 'ldc.csv')).map((r) => r.iso3));
if (!existsSync(UN_FILE)) {
  console.error(`UN payment data not found: ${UN_FILE} (set FINPROC_UN_PAYMENTS)`);
  process.exit(2);
}
const un = new Map(readCsv(UN_FILE).map((r) => [`${r.year}:${r.iso3}`, r]));
const boundIn = (iso3, y) => {
  const p = isParty.get(iso3);
  return !!p && !!p.entry_into_force && p.entry_into_force <= `${y}-12-31`
    && (!p.withdrawal_effective || p.withdrawal_effective > `${y}-01-01`);
};

// ---- exchange rates --------------------------------------------------------------------
// Monthly, first day of each month 2019-01 .. 2026-08. A straight line from the first to the
// last value plus two slow sine waves (mild wiggle); 4 decimals. Invented, but of the order
// of the real EUR/CHF and USD/CHF rates over the period.
const MONTHS = [];
for (let y = 2019; y <= 2026; y++) for (let m = 1; m <= 12; m++) {
  const d = `${y}-${String(m).padStart(2, '0')}-01`;
  if (d <= '2026-08-01') MONTHS.push(d);
}
const RATE = { EUR: new Map(), USD: new Map() }; // date -> rate in 1/10000 CHF
{
  const n = MONTHS.length - 1;
  MONTHS.forEach((d, i) => {
    const t = i / n;
    // the wiggle is pinned to zero at both ends, so the first and last values are exact
    const pin = (w) => w(i) - w(0) * (1 - t) - w(n) * t;
    const eur = 11300 + (9400 - 11300) * t
      + pin((k) => 110 * Math.sin((2 * Math.PI * k) / 17) + 45 * Math.sin((2 * Math.PI * k) / 7 + 1.3));
    const usd = 9900 + (8000 - 9900) * t
      + pin((k) => 160 * Math.sin((2 * Math.PI * k) / 23) + 60 * Math.sin((2 * Math.PI * k) / 9 + 0.4));
    RATE.EUR.set(d, Math.round(eur));
    RATE.USD.set(d, Math.round(usd));
  });
}
const rateOn = (cur, date) => {
  const r = RATE[cur].get(`${date.slice(0, 7)}-01`);
  if (r === undefined) throw new Error(`no ${cur} rate for ${date}`);
  return r;
};
const fmtRate = (r) => `${Math.floor(r / 10000)}.${String(r % 10000).padStart(4, '0')}`;

// ---- assessments -----------------------------------------------------------------------
// invoices: iso3 -> year -> { invoice, year, issued, due, total, lines: [{category, amount}] }
if (!existsSync(join(ROOT, 'dist', 'finproc.cjs'))) {
  console.error('dist/finproc.cjs is missing: run npm run build first');
  process.exit(2);
}
const invoices = new Map();
const assessmentRows = [];
const assessedByYear = new Map();
for (const y of YEARS) {
  const j = JSON.parse(execFileSync(process.execPath,
    [BIN, 'apportion', '--year', String(y), '--format', 'json', '--books', DATA],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }));
  const cats = j.categories.filter((c) => c.invoiced).map((c) => c.id);
  const states = j.states.filter((s) => cents(s.total) > 0).map((s) => s.iso3).sort(cmp);
  let total = 0;
  states.forEach((iso3, i) => {
    const invoice = `ISU-${y}-${String(i + 1).padStart(3, '0')}`;
    const issued = `${y}-01-15`, due = `${y}-02-14`;
    const lines = cats
      .map((category) => {
        const l = j.lines.filter((x) => x.iso3 === iso3 && x.category === category);
        if (l.length > 1) throw new Error(`two ${category} lines for ${iso3} ${y}`);
        return { category, amount: l.length ? cents(l[0].amount) : 0 };
      })
      .filter((l) => l.amount > 0);
    const inv = { invoice, iso3, year: y, issued, due, lines, total: lines.reduce((a, l) => a + l.amount, 0) };
    const st = j.states.find((s) => s.iso3 === iso3);
    if (inv.total !== cents(st.total)) throw new Error(`lines of ${iso3} ${y} do not add up`);
    if (!invoices.has(iso3)) invoices.set(iso3, new Map());
    invoices.get(iso3).set(y, inv);
    total += inv.total;
    for (const l of lines) {
      assessmentRows.push([invoice, iso3, y, 'isu', l.category, fmt(l.amount), 'CHF', issued, due, '']);
    }
  });
  assessedByYear.set(y, total);
}
const STATES = [...invoices.keys()].sort(cmp);

// ---- currencies of the assessed payments -----------------------------------------------
// 15 European States (EU members and euro users) pay in EUR, 5 other States in USD; both
// hash-chosen among non-LDC UN members that are invoiced; the rest pay in CHF.
const EURO_POOL = ['AND', 'AUT', 'BEL', 'BGR', 'CZE', 'DEU', 'DNK', 'ESP', 'FRA', 'HRV', 'HUN',
  'IRL', 'ITA', 'LTU', 'LUX', 'MCO', 'MLT', 'MNE', 'NLD', 'PRT', 'SMR', 'SVK', 'SVN', 'SWE'];
const EUROPE = new Set([...EURO_POOL, 'ALB', 'BIH', 'CHE', 'GBR', 'ISL', 'LIE', 'MDA', 'MKD', 'NOR', 'VAT']);
const NON_UN = new Set(['COK', 'NIU', 'PSE', 'VAT']);
const eligible = (s) => STATES.includes(s) && !ldc.has(s) && !NON_UN.has(s);
const CURRENCY = new Map(STATES.map((s) => [s, 'CHF']));
for (const s of rankBy(EURO_POOL.filter(eligible), (s) => `eur:${s}`).slice(0, 15)) CURRENCY.set(s, 'EUR');
for (const s of rankBy(STATES.filter((s) => eligible(s) && !EUROPE.has(s)), (s) => `usd:${s}`).slice(0, 5)) CURRENCY.set(s, 'USD');

// ---- payments of assessed contributions ------------------------------------------------
// For each State S and year Y with an invoice, with the UN row for (Y, S):
//  - no UN row (COK, NIU, PSE, VAT): the invoice total, 5 days before our due date;
//  - paid_on_time / paid_late: one payment at our due date + (UN payment_date - UN due_date),
//    never before issued + 3 days; dropped if after 2026-08-18 (not received yet). Amount:
//    the invoice total; but in the first paid year after one or more not_paid_in_full years,
//    u(clear:S:Y) < 0.5 makes S clear its whole balance in that payment;
//  - not_paid_in_full: nothing, except when u(partial:S:Y) < 0.3: a part payment of 30-80 %
//    of the invoice total, 5-40 days before the UN status_as_of date.
// Value dates falling on a weekend move to the next Monday (the previous Friday near the
// cut-off). Oldest first then settles older years first, as the UN does.
// Foreign-currency payers send amount = CHF / rate of the month (to the centime); the 5
// hash-chosen "charges" cases have CHF 15.00-35.00 less credited than the CHF intended.
function balanceBefore(iso3, date, pays, adjs) {
  let b = 0;
  for (const inv of invoices.get(iso3).values()) if (inv.issued <= date) b += inv.total;
  for (const p of pays) if (p.iso3 === iso3 && p.received <= date) b -= p.chf;
  for (const a of adjs) {
    if (a.iso3 !== iso3 || a.date > date) continue;
    if (a.kind === 'reassessment' || a.kind === 'refund') b += a.amount; else b -= a.amount;
  }
  return b;
}

function genAssessedPayments({ charges = new Set(), adjs = [], duplicate = null }) {
  const pays = [];
  for (const s of STATES) {
    let owedFromUnpaid = false;
    for (const y of YEARS) {
      const inv = invoices.get(s).get(y);
      if (!inv) continue;
      const row = un.get(`${y}:${s}`);
      const base = { iso3: s, year: y, invoice: inv.invoice, currency: CURRENCY.get(s), charge: 0 };
      if (!row) {
        pays.push({ ...base, kind: 'on-time', received: bizBack(addDays(inv.due, -5)), intended: inv.total });
        continue;
      }
      if (row.payment_status === 'paid_on_time' || row.payment_status === 'paid_late') {
        const delay = dnum(row.payment_date) - dnum(row.due_date);
        let received = bizFwd(maxDate(addDays(inv.due, delay), addDays(inv.issued, 3)));
        if (received > CUTOFF) continue; // not received by the last status date
        const bal = balanceBefore(s, received, pays, adjs);
        let kind = 'full', intended = inv.total;
        if (bal > inv.total) {
          if (owedFromUnpaid && u(`clear:${s}:${y}`) < 0.5) { kind = 'clear'; intended = bal; }
          else kind = 'current-in-arrears';
        }
        owedFromUnpaid = false;
        const charge = charges.has(`${s}:${y}`) ? pick(`charge-amount:${s}:${y}`, 1500, 3500) : 0;
        pays.push({ ...base, kind, received, intended, charge, arrears: bal - inv.total });
        if (duplicate && duplicate.key === `${s}:${y}`) {
          pays.push({ ...base, kind: 'duplicate', received: duplicate.received, intended: inv.total });
        }
      } else if (row.payment_status === 'not_paid_in_full') {
        owedFromUnpaid = true;
        if (u(`partial:${s}:${y}`) < 0.3) {
          const frac = 30 + Math.floor(u(`partial-frac:${s}:${y}`) * 5001) / 100; // 30.00 .. 80.00 %
          const intended = Math.round((inv.total * Math.round(frac * 100)) / 10000);
          let received = bizBack(addDays(row.status_as_of, -pick(`partial-days:${s}:${y}`, 5, 40)));
          received = minDate(maxDate(received, bizFwd(addDays(inv.issued, 3))), CUTOFF);
          const arrears = balanceBefore(s, addDays(received, -1), pays, adjs) - inv.total;
          if (intended > 0) pays.push({ ...base, kind: 'partial', received, intended, arrears });
        }
      } else {
        throw new Error(`unknown UN payment status ${row.payment_status}`);
      }
    }
  }
  for (const p of pays) {
    p.chf = p.intended - p.charge;
    p.amount = p.currency === 'CHF' ? p.chf : divRound(p.intended * 10000, rateOn(p.currency, p.received));
  }
  return pays;
}

// ---- pledges and voluntary payments ------------------------------------------------------
// Sponsorship programme: 8 donors (all parties); yearly amount = base x (0.85 .. 1.15), whole
// CHF/EUR 500s; a donor skips a year when u < 0.08. Pledged 1 March - 31 May, expected 45-70
// days later; paid 25 days before to 7 days after the expected date, except 1 or 2 late
// payers a year (35-120 days after). 2026: 2 pledges unpaid (and past expected).
// Capital reserve: four contributions in 2019-2020.
const DONORS = [['AUS', 'CHF', 6500], ['AUT', 'EUR', 5500], ['BEL', 'EUR', 5000], ['CHE', 'CHF', 13000],
  ['DEU', 'EUR', 8500], ['IRL', 'EUR', 5500], ['NOR', 'CHF', 8000], ['NZL', 'CHF', 4500]];
const RESERVE = [
  { iso3: 'CHE', currency: 'CHF', amount: 15000, pledged: '2019-04-11', expected: '2019-06-28', received: '2019-06-20' },
  { iso3: 'NOR', currency: 'CHF', amount: 10000, pledged: '2019-09-05', expected: '2019-11-29', received: '2019-11-14' },
  { iso3: 'DEU', currency: 'EUR', amount: 10000, pledged: '2020-03-19', expected: '2020-06-30', received: '2020-07-09' },
  { iso3: 'AUS', currency: 'CHF', amount: 8000, pledged: '2020-05-26', expected: '2020-08-31', received: '2020-08-24' },
];

function genPledges() {
  const pledges = [];
  const pays = [];
  for (const y of YEARS) {
    const donors = DONORS.filter(([s]) => boundIn(s, y) && u(`skip:${s}:${y}`) >= 0.08);
    const ranked = rankBy(donors.map((d) => d[0]), (s) => `late:${s}:${y}`);
    const nLate = y === 2026 ? 2 : 1 + (u(`nlate:${y}`) < 0.5 ? 1 : 0);
    const late = new Set(ranked.slice(0, nLate));
    for (const [s, currency, base] of donors) {
      const amount = Math.round((base * (0.85 + 0.3 * u(`spons-amount:${s}:${y}`))) / 500) * 500 * 100;
      const pledged = bizFwd(addDays(`${y}-03-01`, pick(`pledged:${s}:${y}`, 0, 91)));
      const expected = addDays(pledged, pick(`expected:${s}:${y}`, 45, 70));
      const p = { iso3: s, purpose: 'sponsorship', amount, currency, pledged, expected, year: y, note: `Sponsorship Programme ${y}` };
      pledges.push(p);
      let received;
      if (y === 2026 && late.has(s)) received = null; // still unpaid at the cut-off
      else if (late.has(s)) received = bizFwd(addDays(expected, pick(`late-days:${s}:${y}`, 35, 120)));
      else received = bizFwd(maxDate(addDays(expected, pick(`paid-days:${s}:${y}`, -25, 7)), addDays(pledged, 7)));
      if (received && received <= CUTOFF) pays.push({ iso3: s, purpose: 'sponsorship', pledgeRef: p, received, currency, amount, reference: `Sponsorship Programme ${y}` });
    }
  }
  for (const r of RESERVE) {
    const p = { iso3: r.iso3, purpose: 'reserve', amount: r.amount * 100, currency: r.currency, pledged: r.pledged, expected: r.expected, year: +r.pledged.slice(0, 4), note: 'Capital reserve top-up' };
    pledges.push(p);
    pays.push({ iso3: r.iso3, purpose: 'reserve', pledgeRef: p, received: r.received, currency: r.currency, amount: r.amount * 100, reference: 'Capital reserve' });
  }
  for (const p of pledges) if (!boundIn(p.iso3, p.year)) throw new Error(`pledge donor ${p.iso3} not a party in ${p.year}`);
  // ids: PLG-Y-NN by pledge date, then iso3, then purpose
  pledges.sort((a, b) => cmp(a.pledged, b.pledged) || cmp(a.iso3, b.iso3) || cmp(a.purpose, b.purpose));
  const seq = new Map();
  for (const p of pledges) {
    const y = +p.pledged.slice(0, 4);
    seq.set(y, (seq.get(y) ?? 0) + 1);
    p.pledge_id = `PLG-${y}-${String(seq.get(y)).padStart(2, '0')}`;
  }
  for (const p of pays) {
    p.pledge = p.pledgeRef.pledge_id;
    p.chf = p.currency === 'CHF' ? p.amount : divRound(p.amount * rateOn(p.currency, p.received), 10000);
  }
  return { pledges, pays };
}

// ---- ledger replay (docs/ledger.md) ------------------------------------------------------
const KIND_RANK = { line: 0, reassessment: 1, 'credit-note': 2, 'write-off': 3, payment: 4, refund: 5 };
const oldestFirst = (a, b) => a.year - b.year || cmp(a.due, b.due) || cmp(a.issued, b.issued)
  || cmp(a.invoice, b.invoice) || cmp(a.category, b.category);

function replay(asOf, payments, adjustments) {
  const events = [];
  for (const [iso3, byYear] of invoices) for (const inv of byYear.values()) for (const l of inv.lines) {
    events.push({ type: 'line', date: inv.issued, id: [inv.invoice, l.category], iso3, inv, l });
  }
  for (const a of adjustments) events.push({ type: a.kind, date: a.date, id: [a.adjustment_id], iso3: a.iso3, a });
  for (const p of payments) if (p.purpose === 'isu' || p.purpose === 'meeting') {
    events.push({ type: 'payment', date: p.received, id: [p.payment_id], iso3: p.iso3, p });
  }
  events.sort((x, y) => cmp(x.date, y.date) || KIND_RANK[x.type] - KIND_RANK[y.type]
    || cmp(x.id[0], y.id[0]) || cmp(x.id[1] ?? '', y.id[1] ?? ''));
  const acc = new Map(); // iso3 -> { lines, pieces, paid }
  const get = (s) => { if (!acc.has(s)) acc.set(s, { lines: [], pieces: [], paid: 0 }); return acc.get(s); };
  const due = (ln) => ln.amount + ln.plus - ln.minus;
  const outstanding = (ln) => Math.max(0, due(ln) - ln.settled);
  const allocate = (piece, lines, date) => {
    for (const ln of lines.slice().sort(oldestFirst)) {
      if (piece.amount === 0) break;
      const x = Math.min(piece.amount, outstanding(ln));
      if (x <= 0) continue;
      ln.settled += x; piece.amount -= x;
      ln.allocs.push({ pid: piece.pid, amount: x, date });
    }
  };
  const names = (e, ln) => (e.invoice ? ln.invoice === e.invoice
    : ln.year === e.year && (!e.category || ln.category === e.category));
  const applyAll = (st, date) => {
    for (const piece of st.pieces) {
      if (piece.amount === 0) continue;
      if (piece.earmark) {
        const named = st.lines.filter((ln) => names(piece.earmark, ln));
        allocate(piece, named, date);
        if (piece.amount > 0 && named.length > 0) piece.earmark = null; else continue;
      }
      allocate(piece, st.lines, date);
    }
    st.pieces = st.pieces.filter((p) => p.amount > 0);
  };
  for (const e of events) {
    if (e.date > asOf) break;
    const st = get(e.iso3);
    if (e.type === 'line') {
      st.lines.push({ invoice: e.inv.invoice, category: e.l.category, year: e.inv.year, due: e.inv.due,
        issued: e.inv.issued, amount: e.l.amount, plus: 0, minus: 0, settled: 0, allocs: [] });
    } else if (e.type === 'payment') {
      const p = e.p;
      const earmark = p.earmark_invoice ? { invoice: p.earmark_invoice }
        : p.earmark_year ? { year: p.earmark_year, category: p.earmark_category || null } : null;
      st.pieces.push({ pid: p.payment_id, amount: p.chf, earmark });
      st.paid += p.chf;
    } else if (e.type === 'refund') {
      const credit = st.pieces.reduce((a, p) => a + p.amount, 0);
      if (e.a.amount > credit) throw new Error(`${e.a.adjustment_id}: refund ${fmt(e.a.amount)} > credit ${fmt(credit)}`);
      let left = e.a.amount;
      for (let i = st.pieces.length - 1; i >= 0 && left > 0; i--) {
        const x = Math.min(left, st.pieces[i].amount); st.pieces[i].amount -= x; left -= x;
      }
      st.pieces = st.pieces.filter((p) => p.amount > 0);
    } else {
      const a = e.a;
      const ln = st.lines.find((l) => l.invoice === a.invoice && l.category === a.category);
      if (!ln) throw new Error(`${a.adjustment_id}: no line ${a.invoice}/${a.category} issued by ${a.date}`);
      if (a.kind === 'reassessment') ln.plus += a.amount;
      else {
        if (a.amount > due(ln)) throw new Error(`${a.adjustment_id}: would reduce ${a.invoice}/${a.category} below zero`);
        ln.minus += a.amount;
        let excess = ln.settled - due(ln);
        while (excess > 0) {
          const al = ln.allocs[ln.allocs.length - 1];
          const x = Math.min(excess, al.amount);
          al.amount -= x; ln.settled -= x; excess -= x;
          if (al.amount === 0) ln.allocs.pop();
          st.pieces.push({ pid: al.pid, amount: x, earmark: null });
        }
      }
    }
    applyAll(st, e.date);
  }
  const res = new Map();
  for (const [s, st] of acc) {
    const byYear = new Map();
    for (const ln of st.lines) byYear.set(ln.year, (byYear.get(ln.year) ?? 0) + outstanding(ln));
    const dueByYear = new Map();
    for (const ln of st.lines) dueByYear.set(ln.year, (dueByYear.get(ln.year) ?? 0) + due(ln));
    res.set(s, { byYear, dueByYear, credit: st.pieces.reduce((a, p) => a + p.amount, 0), paid: st.paid,
      lines: st.lines.map((ln) => ({ ...ln, out: outstanding(ln) })) });
  }
  return res;
}

// ---- build -------------------------------------------------------------------------------
const assessedIds = (list) => {
  // PAY-Y-NNNNN: by received date, then iso3, then purpose, then invoice/pledge
  const PURPOSE_RANK = { isu: 0, meeting: 1, sponsorship: 2, reserve: 3 };
  list.sort((a, b) => cmp(a.received, b.received) || cmp(a.iso3, b.iso3)
    || PURPOSE_RANK[a.purpose] - PURPOSE_RANK[b.purpose] || cmp(a.invoice ?? a.pledge, b.invoice ?? b.pledge)
    || cmp(a.kind ?? '', b.kind ?? ''));
  const seq = new Map();
  for (const p of list) {
    const y = +p.received.slice(0, 4);
    seq.set(y, (seq.get(y) ?? 0) + 1);
    p.payment_id = `PAY-${y}-${String(seq.get(y)).padStart(5, '0')}`;
  }
  return list;
};

// Pass 1: which foreign-currency payments lose bank charges (5, hash-ranked).
const pass1 = genAssessedPayments({});
const charges = new Set(rankBy(pass1.filter((p) => p.currency !== 'CHF' && p.kind !== 'partial'),
  (p) => `charges:${p.iso3}:${p.year}`).slice(0, 5).map((p) => `${p.iso3}:${p.year}`));

// The fixed adjustments: São Tomé and Príncipe was an LDC until 13 December 2024, but
// data/ldc.csv is the list after its graduation, so its 2024 invoice carries a base share
// (charged to non-LDC States only). The credit is first posted to the 2025 invoice in error,
// reversed by a reassessment, then posted to the 2024 invoice.
const stp24 = invoices.get('STP').get(2024), stp25 = invoices.get('STP').get(2025);
const stpBase = stp24.lines.find((l) => l.category === 'base');
if (!stpBase || !stp25.lines.find((l) => l.category === 'base')) throw new Error('STP base lines expected');
const fixedAdjs = [
  { iso3: 'STP', date: '2025-03-10', kind: 'credit-note', invoice: stp25.invoice, category: 'base', amount: stpBase.amount,
    reason: `Base share of CHF ${fmt(stpBase.amount)} credited: Sao Tome and Principe was a least developed country until its graduation on 13 December 2024 and owes no base share for 2024` },
  { iso3: 'STP', date: '2025-04-02', kind: 'reassessment', invoice: stp25.invoice, category: 'base', amount: stpBase.amount,
    reason: `Reverses the credit note of 2025-03-10, posted to the 2025 invoice in error (the State was no longer an LDC in 2025); the credit is posted to ${stp24.invoice}` },
  { iso3: 'STP', date: '2025-04-02', kind: 'credit-note', invoice: stp24.invoice, category: 'base', amount: stpBase.amount,
    reason: 'Base share 2024 credited: Sao Tome and Principe was a least developed country until 13 December 2024 (the base share is for non-LDC States only)' },
];

// Pass 2: a duplicate transfer to refund, and a bank-charge residual to write off.
const pass2 = genAssessedPayments({ charges, adjs: fixedAdjs });
const dupCand = rankBy(pass2.filter((p) => p.kind === 'full' && p.currency === 'CHF' && !ldc.has(p.iso3)
  && p.year >= 2021 && p.year <= 2025 && p.intended >= 100000 && p.intended <= 1000000
  && p.received < `${p.year}-04-30` && un.get(`${p.year}:${p.iso3}`)?.payment_status === 'paid_on_time'
  && balanceBefore(p.iso3, addDays(p.received, -1), pass2, fixedAdjs) === p.intended), (p) => `duplicate:${p.iso3}:${p.year}`)[0];
const dupReceived = bizFwd(addDays(dupCand.received, pick('duplicate-days', 8, 20)));
const duplicate = { key: `${dupCand.iso3}:${dupCand.year}`, received: dupReceived };
const refundDate = bizFwd(addDays(dupReceived, pick('refund-days', 25, 45)));

const woCand = rankBy(pass2.filter((p) => p.charge > 0), (p) => `write-off:${p.iso3}:${p.year}`).find((p) => {
  const date = bizFwd(addDays(p.received, 45));
  const next = pass2.filter((q) => q.iso3 === p.iso3 && q.received > p.received).map((q) => q.received).sort(cmp)[0];
  return (!next || next > date) && balanceBefore(p.iso3, date, pass2, fixedAdjs) === p.charge;
});
if (!woCand) throw new Error('no bank-charge residual to write off');
const woDate = bizFwd(addDays(woCand.received, 45));
const woInv = invoices.get(woCand.iso3).get(woCand.year);
const adjs = [
  ...fixedAdjs,
  { iso3: woCand.iso3, date: woDate, kind: 'write-off', invoice: woInv.invoice, category: null, amount: woCand.charge,
    reason: `Bank charges of CHF ${fmt(woCand.charge)} deducted from the transfer received on ${woCand.received}; written off (below the CHF 50 follow-up threshold)` },
  { iso3: dupCand.iso3, date: refundDate, kind: 'refund', invoice: '', category: '', amount: dupCand.intended,
    reason: `Refund of a duplicate transfer of CHF ${fmt(dupCand.intended)} received on ${dupReceived} (the ${dupCand.year} contribution was paid twice), at the request of the Permanent Mission` },
];

// Pass 3: the final payments.
const assessedPays = genAssessedPayments({ charges, adjs, duplicate });
for (const p of assessedPays) {
  p.purpose = 'isu';
  p.reference = p.kind === 'duplicate' || u(`ref:${p.iso3}:${p.year}:${p.kind}`) >= 0.15 ? p.invoice : '';
}
// earmarks: a State in arrears (CHF 50 or more from earlier years) paying its current year
// explicitly, in full or in part: 4 name the year, the next 2 the invoice (hash-ranked).
const earmarkCand = rankBy(assessedPays.filter((p) => (p.kind === 'current-in-arrears' || p.kind === 'partial')
  && p.arrears >= 5000), (p) => `earmark:${p.iso3}:${p.year}`);
if (earmarkCand.length < 6) throw new Error('fewer than 6 payments to earmark');
earmarkCand.slice(0, 4).forEach((p) => { p.earmark_year = p.year; p.reference = `${p.invoice} contribution ${p.year}`; });
earmarkCand.slice(4, 6).forEach((p) => { p.earmark_invoice = p.invoice; p.reference = p.invoice; });

const { pledges, pays: voluntaryPays } = genPledges();
const payments = assessedIds([...assessedPays, ...voluntaryPays]);

// the write-off line: where the residual sits at the write-off date
{
  const before = replay(addDays(woDate, -1), payments, fixedAdjs).get(woCand.iso3);
  const ln = before.lines.filter((l) => l.out > 0);
  if (ln.length !== 1 || ln[0].out !== woCand.charge) throw new Error('write-off residual is not on one line');
  adjs.find((a) => a.kind === 'write-off').category = ln[0].category;
  adjs.find((a) => a.kind === 'write-off').invoice = ln[0].invoice;
}
const KIND_ORDER = ['reassessment', 'credit-note', 'write-off', 'refund'];
adjs.sort((a, b) => cmp(a.date, b.date) || KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || cmp(a.iso3, b.iso3));
{
  const seq = new Map();
  for (const a of adjs) {
    const y = +a.date.slice(0, 4);
    seq.set(y, (seq.get(y) ?? 0) + 1);
    a.adjustment_id = `ADJ-${y}-${String(seq.get(y)).padStart(3, '0')}`;
  }
}

// ---- checks ------------------------------------------------------------------------------
for (const p of payments) {
  if (p.received > CUTOFF) throw new Error(`${p.payment_id} after the cut-off`);
  if (!(p.amount > 0 && p.chf > 0)) throw new Error(`${p.payment_id}: amount not positive`);
}
const final = replay(CUTOFF, payments, adjs); // throws on a broken rule

// ---- output ------------------------------------------------------------------------------
const csvOf = (columns, rows) => stringify(rows, { header: true, columns, record_delimiter: 'unix', bom: false });
const files = {
  'assessments.csv': csvOf(['invoice', 'iso3', 'year', 'purpose', 'category', 'amount', 'currency', 'issued', 'due', 'note'],
    assessmentRows.map((r) => r.map(String))),
  'payments.csv': csvOf(['payment_id', 'iso3', 'received', 'amount', 'currency', 'chf', 'purpose', 'earmark_year',
    'earmark_category', 'earmark_invoice', 'pledge', 'reference'],
  payments.map((p) => [p.payment_id, p.iso3, p.received, fmt(p.amount), p.currency, fmt(p.chf), p.purpose,
    p.earmark_year ? String(p.earmark_year) : '', '', p.earmark_invoice ?? '', p.pledge ?? '', p.reference ?? ''])),
  'adjustments.csv': csvOf(['adjustment_id', 'iso3', 'date', 'kind', 'invoice', 'category', 'amount', 'reason'],
    adjs.map((a) => [a.adjustment_id, a.iso3, a.date, a.kind, a.invoice ?? '', a.category ?? '', fmt(a.amount), a.reason])),
  'pledges.csv': csvOf(['pledge_id', 'iso3', 'purpose', 'amount', 'currency', 'pledged', 'expected', 'year', 'note'],
    pledges.map((p) => [p.pledge_id, p.iso3, p.purpose, fmt(p.amount), p.currency, p.pledged, p.expected, String(p.year), p.note])),
  'exchange-rates.csv': csvOf(['date', 'currency', 'chf'],
    MONTHS.flatMap((d) => [[d, 'EUR', fmtRate(RATE.EUR.get(d))], [d, 'USD', fmtRate(RATE.USD.get(d))]])),
};

const countRows = (text) => text.split('\n').length - 2;
if (process.argv.includes('--check')) {
  let stale = 0;
  for (const [name, text] of Object.entries(files)) {
    const path = join(DATA, name);
    const old = existsSync(path) ? readFileSync(path, 'utf8') : null;
    if (old !== text) { console.error(`data/${name} is out of date: run node scripts/make-ledger.mjs`); stale++; }
  }
  if (stale) process.exit(1);
  console.log(`data/ ledger books are up to date (${Object.entries(files).map(([n, t]) => `${n} ${countRows(t)}`).join(', ')})`);
} else {
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(join(DATA, name), text, 'utf8');
    console.log(`wrote data/${name} (${countRows(text)} rows)`);
  }
}

if (process.argv.includes('--summary')) {
  const isuPays = payments.filter((p) => p.purpose === 'isu');
  console.log('\nyear  assessed      paid in year  invoices  payments  open at cut-off');
  for (const y of YEARS) {
    const paidIn = isuPays.filter((p) => p.received.startsWith(String(y))).reduce((a, p) => a + p.chf, 0);
    let open = 0;
    for (const r of final.values()) open += r.byYear.get(y) ?? 0;
    console.log(`${y}  ${fmt(assessedByYear.get(y)).padStart(11)}  ${fmt(paidIn).padStart(12)}  ${String([...invoices.values()].filter((m) => m.has(y)).length).padStart(8)}  ${String(isuPays.filter((p) => p.received.startsWith(String(y))).length).padStart(8)}  ${fmt(open).padStart(12)}`);
  }
  const inArrears = [...final].filter(([, r]) => [...r.byYear].some(([y, o]) => y < 2026 && o > 0));
  const arrearsTotal = inArrears.reduce((a, [, r]) => a + [...r.byYear].filter(([y]) => y < 2026).reduce((b, [, o]) => b + o, 0), 0);
  const art19 = inArrears.filter(([, r]) => {
    const arr = [...r.byYear].filter(([y]) => y < 2026).reduce((b, [, o]) => b + o, 0);
    return arr >= (r.dueByYear.get(2025) ?? 0) + (r.dueByYear.get(2024) ?? 0);
  });
  const unpaid2026 = [...final].filter(([, r]) => (r.byYear.get(2026) ?? 0) > 0);
  console.log(`\nas of ${CUTOFF}: ${inArrears.length} States in arrears (CHF ${fmt(arrearsTotal)}), art19 ${art19.length}, ` +
    `${unpaid2026.length} with 2026 open, credit: ${[...final].filter(([, r]) => r.credit > 0).map(([s, r]) => `${s} ${fmt(r.credit)}`).join(', ') || 'none'}`);
  console.log(`arrears > CHF 1000: ${inArrears.filter(([, r]) => [...r.byYear].filter(([y]) => y < 2026).reduce((b, [, o]) => b + o, 0) > 100000).map(([s]) => s).join(' ')}`);
  const kinds = {};
  for (const p of assessedPays) kinds[p.kind] = (kinds[p.kind] ?? 0) + 1;
  console.log('payment kinds:', JSON.stringify(kinds), 'currencies:', JSON.stringify(Object.fromEntries(['EUR', 'USD'].map((c) => [c, STATES.filter((s) => CURRENCY.get(s) === c).join(' ')]))));
  console.log('bank charges:', assessedPays.filter((p) => p.charge).map((p) => `${p.payment_id} ${p.iso3} ${fmt(p.charge)}`).join('; '));
  console.log('earmarks:', assessedPays.filter((p) => p.earmark_year || p.earmark_invoice).map((p) => `${p.payment_id} ${p.iso3} ${p.earmark_year ?? p.earmark_invoice}`).join('; '));
  for (const y of YEARS) {
    const pl = pledges.filter((p) => p.year === y && p.purpose === 'sponsorship');
    const chf = pl.reduce((a, p) => a + (p.currency === 'CHF' ? p.amount : divRound(p.amount * rateOn(p.currency, p.pledged), 10000)), 0);
    const paidIds = new Set(voluntaryPays.map((p) => p.pledge));
    console.log(`sponsorship ${y}: ${pl.length} pledges, ~CHF ${fmt(chf)}, unpaid ${pl.filter((p) => !paidIds.has(p.pledge_id)).map((p) => p.pledge_id).join(' ') || '-'}`);
  }
}
