// Synthetic ledger books for the `arrears` benchmark (bench/run.mjs), and the same data as an
// hledger journal. Deterministic: a seeded PRNG, no clock, no Math.random.
//
//   node bench/ledger.mjs DIR [--payments N]              write the books into DIR
//   node bench/ledger.mjs DIR --journal FILE [--limit N]  also write DIR's data as a journal
//
// The books: the reference files of data/ (states.csv gets 3 synthetic States XAA, XAB, XAC,
// since data/states.csv has 197), assessments.csv (200 States x 1997..2026 x 3 categories)
// and payments.csv (1,000,000 rows by default, in date order). File formats: docs/ledger.md.
import { cpSync, mkdirSync, readFileSync, openSync, writeSync, closeSync, copyFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DATA = path.join(root, 'data');
export const STATES = 200;
export const YEARS = Array.from({ length: 30 }, (_, i) => 1997 + i);
const CATEGORIES = ['base', 'scale', 'special'];
const REFERENCE = ['states.csv', 'parties.csv', 'scale.csv', 'ldc.csv', 'budgets.csv', 'policy.yaml'];

/** mulberry32: a seeded PRNG in [0, 1). */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const cents = (c) => `${Math.trunc(c / 100)}.${String(c % 100).padStart(2, '0')}`;
const pad = (n, w) => String(n).padStart(w, '0');

/** Buffered writes to a file descriptor (the payments file is ~100 MB). */
function writer(file) {
  const fd = openSync(file, 'w');
  let buf = '';
  return {
    write(s) {
      buf += s;
      if (buf.length > 1 << 20) (writeSync(fd, buf), (buf = ''));
    },
    close() {
      if (buf) writeSync(fd, buf);
      closeSync(fd);
    },
  };
}

/** The 200 States: the 197 of data/states.csv and 3 synthetic ones, in ISO3 order. */
function statesRows() {
  const [header, ...rows] = readFileSync(path.join(DATA, 'states.csv'), 'utf8').trimEnd().split('\n');
  const extra = ['XAA', 'XAB', 'XAC'].map((c) => `${c},Synthetic State ${c},État synthétique ${c},Estado sintético ${c},en`);
  const all = [...rows, ...extra].slice(0, STATES).sort((a, b) => (a.slice(0, 3) < b.slice(0, 3) ? -1 : 1));
  if (all.length !== STATES) throw new Error(`need ${STATES} States, have ${all.length}`);
  return { header, rows: all, codes: all.map((r) => r.slice(0, 3)) };
}

/**
 * Write the synthetic books into `dir` (created if needed). Returns a summary: counts and
 * CHF totals (in centimes) of what was assessed and paid.
 */
export function makeLedgerBooks(dir, { payments = 1_000_000 } = {}) {
  mkdirSync(dir, { recursive: true });
  for (const f of REFERENCE) copyFileSync(path.join(DATA, f), path.join(dir, f));
  cpSync(path.join(DATA, 'policies'), path.join(dir, 'policies'), { recursive: true });
  const { header, rows, codes } = statesRows();
  const sw = writer(path.join(dir, 'states.csv'));
  sw.write(header + '\n' + rows.join('\n') + '\n');
  sw.close();

  const rnd = prng(19970115);
  // Per State: a size (log-uniform, 1 to 1000) and how much of its assessments it pays
  // (45 % pay a little more than assessed and end in credit, 35 % nearly all, 20 % much less).
  const size = codes.map(() => Math.exp(rnd() * Math.log(1000)));
  const payRatio = codes.map(() => {
    const x = rnd();
    return x < 0.45 ? 1 + rnd() * 0.05 : x < 0.8 ? 0.9 + rnd() * 0.1 : 0.5 + rnd() * 0.4;
  });

  // assessments.csv: one invoice per State and year, 3 lines.
  const assessed = codes.map(() => new Array(YEARS.length).fill(0)); // centimes per State and year
  let assessedTotal = 0;
  const aw = writer(path.join(dir, 'assessments.csv'));
  aw.write('invoice,iso3,year,purpose,category,amount,currency,issued,due,note\n');
  for (const [yi, y] of YEARS.entries()) {
    const growth = 1 + yi * 0.02;
    for (const [si, iso3] of codes.entries()) {
      const amounts = [
        Math.round((80000 + rnd() * 40000) * growth), // base: ~1000 CHF
        Math.round(size[si] * (9000 + rnd() * 2000) * growth), // scale: 100 .. 100,000 CHF
        Math.round(size[si] * (800 + rnd() * 400) * growth), // special: ~10 % of scale
      ];
      for (const [ci, cat] of CATEGORIES.entries()) {
        aw.write(`ISU-${y}-${pad(si + 1, 3)},${iso3},${y},isu,${cat},${cents(amounts[ci])},CHF,${y}-01-15,${y}-02-14,\n`);
        assessed[si][yi] += amounts[ci];
      }
      assessedTotal += assessed[si][yi];
    }
  }
  aw.close();

  // How many payments each State makes each year: `payments` spread evenly over the
  // 6,000 State-years, the remainder to State-years picked at random.
  const cells = STATES * YEARS.length;
  const count = new Array(cells).fill(Math.floor(payments / cells));
  const order = Array.from({ length: cells }, (_, i) => i);
  for (let i = cells - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  for (let k = 0; k < payments % cells; k++) count[order[k]]++;

  // payments.csv, year by year, in date order (received between 16 January and 31 December).
  const pw = writer(path.join(dir, 'payments.csv'));
  pw.write('payment_id,iso3,received,amount,currency,chf,purpose,earmark_year,earmark_category,earmark_invoice,pledge,reference\n');
  let paidTotal = 0;
  let eur = 0;
  let earmarked = 0;
  for (const [yi, y] of YEARS.entries()) {
    const days = [];
    for (let t = Date.UTC(y, 0, 16); t <= Date.UTC(y, 11, 31); t += 86400000) days.push(new Date(t).toISOString().slice(0, 10));
    const eurRate = 1.05 + rnd() * 0.6; // CHF per EUR this year (made up)
    const year = [];
    for (let si = 0; si < STATES; si++) {
      const k = count[yi * STATES + si];
      const each = (assessed[si][yi] * payRatio[si]) / Math.max(k, 1);
      for (let n = 0; n < k; n++) {
        const chf = Math.max(1, Math.round(each * (0.5 + rnd())));
        const day = Math.floor(rnd() * days.length);
        year.push({ day, si, chf, eur: rnd() < 0.1, mark: rnd() < 0.001 ? YEARS[Math.floor(rnd() * (yi + 1))] : '', ref: Math.floor(rnd() * 1e9) });
      }
    }
    year.sort((a, b) => a.day - b.day || a.si - b.si);
    for (const [n, p] of year.entries()) {
      const iso3 = codes[p.si];
      let amount = cents(p.chf);
      let currency = 'CHF';
      let chf = '';
      if (p.eur) {
        amount = cents(Math.max(1, Math.round(p.chf / eurRate)));
        currency = 'EUR';
        chf = cents(p.chf);
        eur++;
      }
      if (p.mark) earmarked++;
      paidTotal += p.chf;
      pw.write(`PAY-${y}-${pad(n + 1, 6)},${iso3},${days[p.day]},${amount},${currency},${chf},isu,${p.mark},,,,TRF${pad(p.ref, 9)}\n`);
    }
  }
  pw.close();
  return { dir, states: STATES, years: YEARS.length, lines: STATES * YEARS.length * CATEGORIES.length, payments, eur, earmarked, assessedCents: assessedTotal, paidCents: paidTotal };
}

/** Copy the books in `src` to `dst`, with only the first `limit` rows of payments.csv. */
export function sliceBooks(src, dst, limit) {
  mkdirSync(dst, { recursive: true });
  for (const f of readdirSync(src)) if (f !== 'payments.csv') cpSync(path.join(src, f), path.join(dst, f), { recursive: true });
  const w = writer(path.join(dst, 'payments.csv'));
  let n = -1;
  for (const line of readLines(path.join(src, 'payments.csv'))) {
    if (n++ >= limit) break;
    w.write(line + '\n');
  }
  w.close();
}

/** The lines of a file as read by this generator (no quoted fields, LF, final newline). */
function* readLines(file) {
  const text = readFileSync(file, 'latin1'); // only ASCII in the ledger files written above
  let i = 0;
  while (i < text.length) {
    const j = text.indexOf('\n', i);
    const end = j < 0 ? text.length : j;
    yield text.slice(i, end);
    i = end + 1;
  }
}

/**
 * Write the ledger of the books in `dir` (as written by makeLedgerBooks) as an hledger
 * journal: each assessment line a transaction on its issued date (assets:receivable:ISO3 to
 * income:assessed), each payment one on its received date (assets:bank to
 * assets:receivable:ISO3) for its CHF amount. `limit`: only the first N payment rows.
 */
export function toJournal(dir, outFile, { limit = Infinity } = {}) {
  const w = writer(outFile);
  w.write('; finproc bench: synthetic ledger (bench/ledger.mjs)\ncommodity CHF 1000.00\n\n');
  let first = true;
  for (const line of readLines(path.join(dir, 'assessments.csv'))) {
    if (first) { first = false; continue; }
    const [invoice, iso3, , , category, amount, , issued] = line.split(',');
    w.write(`${issued} ${invoice} ${category}\n    assets:receivable:${iso3}  CHF ${amount}\n    income:assessed  CHF -${amount}\n\n`);
  }
  let n = -1;
  for (const line of readLines(path.join(dir, 'payments.csv'))) {
    if (n++ < 0) continue;
    if (n > limit) break;
    const [id, iso3, received, amount, currency, chf] = line.split(',');
    const v = currency === 'CHF' && chf === '' ? amount : chf;
    w.write(`${received} ${id}\n    assets:bank  CHF ${v}\n    assets:receivable:${iso3}  CHF -${v}\n\n`);
  }
  w.close();
  return { payments: Math.min(n, limit) };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (name) => {
    const i = args.indexOf(name);
    return i < 0 ? undefined : args[i + 1];
  };
  const dir = args[0];
  if (!dir || dir.startsWith('--')) {
    console.error('usage: node bench/ledger.mjs DIR [--payments N] [--journal FILE [--limit N]]');
    process.exit(2);
  }
  const s = makeLedgerBooks(dir, { payments: Number(opt('--payments') ?? 1_000_000) });
  console.log(`${dir}: ${s.states} States x ${s.years} years, ${s.lines} assessment lines, ${s.payments} payments (${s.eur} EUR, ${s.earmarked} earmarked); paid ${(s.paidCents / s.assessedCents * 100).toFixed(1)} % of assessed`);
  const j = opt('--journal');
  if (j) {
    const r = toJournal(dir, j, { limit: Number(opt('--limit') ?? Infinity) });
    console.log(`${j}: ${r.payments} payments`);
  }
}
