// Benchmark of `finproc invoice`: HTML invoices for 200 synthetic States whose languages
// cycle through English, French and Arabic (so right-to-left documents are in the mix), with
// a year of arrears behind them. The books are made once (not timed): 2025 and 2026 recorded
// with `apportion --record`, 2025 paid in full by half of the States, in part by a quarter.
// The whole `invoice` process is timed, interleaved with `node -e 0`.
//
// Two runs per round: with no Swiss QR-bill, and with a QR-bill for one State in four (the
// share of the example books' missions.csv). A third measurement (issue 13): 600 invoices, each
// with its QR-bill (benchQrBills), against the target of 3 s, with the cost of one bill drawn
// the old way (swissqrbill's SVG class, an element per QR module) measured in the same run.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

const LANGS = ['en', 'fr', 'ar'];

export function makeInvoiceBooks(root, bin, dir, { states = 200, qrShare = 0 } = {}) {
  let seed = 20261128;
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  // Up to 26 x 26 x 26 codes: QAA… for the first 676, then RAA…
  const codes = Array.from({ length: states }, (_, i) => `${String.fromCharCode(81 + Math.floor(i / 676))}${String.fromCharCode(65 + Math.floor(i / 26) % 26)}${String.fromCharCode(65 + (i % 26))}`);
  const w = (f, text) => writeFileSync(path.join(dir, f), text);
  w('states.csv', 'iso3,name_en,name_fr,name_es,language\n' + codes.map((c, i) => `${c},State ${c},État ${c},Estado ${c},${LANGS[i % 3]}`).join('\n') + '\n');
  w('parties.csv', 'iso3,participant,entry_into_force,withdrawal_effective\n' + codes.map((c) => `${c},State ${c},2010-08-01,`).join('\n') + '\n');
  w('scale.csv', 'iso3,rate_2025_2027_pct\n' + codes.map((c) => `${c},${((1 + Math.floor(rnd() * 3000)) / 1000).toFixed(3)}`).join('\n') + '\n');
  w('ldc.csv', 'iso3\n' + codes.filter((_, i) => i % 5 === 0).join('\n') + '\n');
  w('budgets.csv', 'year,amount,currency\n2025,605400.00,CHF\n2026,618250.00,CHF\n');
  w(
    'policy.yaml',
    `schema: finproc.policy/1
id: bench-invoices
title: Synthetic benchmark policy
source: synthetic, for npm run bench
scale:
  periods: [{ from: "2025", to: "2027", column: rate_2025_2027_pct }]
categories:
  - { id: base, name: Equal base share, basis: equal, share: "15", members: non-ldc }
  - id: scale
    name: Adjusted UN scale
    basis: scale
    share: "85"
    bounds:
      max: { percent: "22", of: total }
      ldc_max: { percent: "0.01", of: total }
`,
  );
  copyFileSync(path.join(root, 'data', 'isu.yaml'), path.join(dir, 'isu.yaml'));
  w('missions.csv', 'iso3,mission,street,building,postcode,town,country,email,qr_bill\n' + codes.map((c, i) => `${c},Permanent Mission of State ${c},Avenue de France,${1 + i},1202,Geneva,CH,m@example.org,${qrShare > 0 && i % Math.round(1 / qrShare) === 0 ? 'yes' : 'no'}`).join('\n') + '\n');
  for (const [year, date] of [['2025', '2025-01-15'], ['2026', '2026-01-15']]) {
    const r = spawnSync(process.execPath, [bin, 'apportion', '--year', year, '--books', dir, '--record', '--issue-date', date], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`recording ${year} failed: ${r.stderr}`);
  }
  // 2025: half pay in full, a quarter pay half, a quarter nothing (so that 2026 invoices carry arrears).
  const lines = readCsv(path.join(dir, 'assessments.csv')).filter((l) => l.year === '2025');
  const owed = new Map();
  for (const l of lines) owed.set(l.iso3, (owed.get(l.iso3) ?? 0n) + BigInt(l.amount.replace('.', '')));
  const pays = [];
  let n = 0;
  for (const [iso3, c] of [...owed].sort()) {
    const k = codes.indexOf(iso3) % 4;
    const paid = k < 2 ? c : k === 2 ? c / 2n : 0n;
    if (paid === 0n) continue;
    const s = `${paid / 100n}.${String(paid % 100n).padStart(2, '0')}`;
    pays.push(`PAY-${String(++n).padStart(5, '0')},${iso3},2025-06-01,${s},CHF,${s},isu,,,,,`);
  }
  w('payments.csv', 'payment_id,iso3,received,amount,currency,chf,purpose,earmark_year,earmark_category,earmark_invoice,pledge,reference\n' + pays.join('\n') + '\n');
  return { states, qr: codes.filter((_, i) => qrShare > 0 && i % Math.round(1 / qrShare) === 0).length };
}

function readCsv(file) {
  const [head, ...rows] = readFileSync(file, 'utf8').trim().split('\n');
  const cols = head.split(',');
  return rows.map((r) => Object.fromEntries(r.split(',').map((v, i) => [cols[i], v])));
}

export function benchInvoices({ root, bin, runs = 5, states = 200 }) {
  const work = mkdtempSync(path.join(tmpdir(), 'finproc-bench-inv-'));
  const plain = path.join(work, 'plain');
  const qr = path.join(work, 'qr');
  for (const d of [plain, qr]) mkdirSync(d);
  const a = makeInvoiceBooks(root, bin, plain, { states, qrShare: 0 });
  const b = makeInvoiceBooks(root, bin, qr, { states, qrShare: 0.25 });
  const wall = (args) => {
    const t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  const base = [];
  const tPlain = [];
  const tQr = [];
  let docs = 0;
  for (let i = 0; i < runs; i++) {
    // A fresh copy of the books each time: the first run records the register, as a real one does.
    for (const [books, times] of [[plain, tPlain], [qr, tQr]]) {
      const copy = path.join(work, `run-${i}-${path.basename(books)}`);
      cpSync(books, copy, { recursive: true });
      const out = path.join(copy, 'out');
      base.push(wall(['-e', '0']));
      times.push(wall([bin, 'invoice', '--year', '2026', '--books', copy, '--issue-date', '2026-03-01', '--out', out]));
      docs = readdirSync(out).filter((f) => f.endsWith('.html') && f !== 'index.html').length;
    }
  }
  rmSync(work, { recursive: true, force: true });
  const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  return {
    states: a.states,
    languages: LANGS,
    documents: docs,
    baseline_ms: median(base),
    html_ms: median(tPlain),
    html_min_ms: Math.min(...tPlain),
    html_vs_baseline: median(tPlain) / median(base),
    with_qr_bills: b.qr,
    html_qr_ms: median(tQr),
    ms_per_qr_bill: (median(tQr) - median(tPlain)) / b.qr,
    target_ms: 2000,
  };
}

/**
 * 600 invoices, every one with a Swiss QR-bill (HTML, three languages), whole process, against
 * `node -e 0` in the same rounds; and the old way of drawing a bill (swissqrbill's SVG class)
 * timed in this process on the same kind of data, for the ratio per bill.
 */
export function benchQrBills({ root, bin, runs = 5, states = 600 }) {
  const work = mkdtempSync(path.join(tmpdir(), 'finproc-bench-qr-'));
  const books = path.join(work, 'qr');
  mkdirSync(books);
  const plainBooks = path.join(work, 'plain');
  mkdirSync(plainBooks);
  const made = makeInvoiceBooks(root, bin, books, { states, qrShare: 1 });
  makeInvoiceBooks(root, bin, plainBooks, { states, qrShare: 0 });
  const wall = (args) => {
    const t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  const base = [];
  const tQr = [];
  const tPlain = [];
  let docs = 0;
  let bills = 0;
  for (let i = 0; i < runs; i++) {
    for (const [b, times] of [[books, tQr], [plainBooks, tPlain]]) {
      const copy = path.join(work, `run-${i}-${path.basename(b)}`);
      cpSync(b, copy, { recursive: true });
      const out = path.join(copy, 'out');
      base.push(wall(['-e', '0']));
      times.push(wall([bin, 'invoice', '--year', '2026', '--books', copy, '--issue-date', '2026-03-01', '--out', out]));
      if (b === books) {
        const files = readdirSync(out).filter((f) => f.endsWith('.html') && f !== 'index.html');
        docs = files.length;
        bills = files.filter((f) => readFileSync(path.join(out, f), 'utf8').includes('class="qrbill"')).length;
      }
    }
  }
  // The old way, in this process: swissqrbill's SVG of the whole payment part.
  const require = createRequire(path.join(root, 'package.json'));
  const { SwissQRBill } = require('swissqrbill/svg');
  const data = { amount: 1234.5, currency: 'CHF', reference: 'RF53ISU2026006', creditor: { account: 'CH9300762011623852957', name: 'GICHD - CCM Implementation Support Unit', address: 'Chemin Eugene-Rigot', buildingNumber: '2C', zip: '1202', city: 'Geneva', country: 'CH' }, debtor: { name: 'Permanent Mission of State QAA', address: 'Avenue de France', buildingNumber: '1', zip: '1202', city: 'Geneva', country: 'CH' }, message: 'ISU-2026-001' };
  for (let i = 0; i < 5; i++) new SwissQRBill(data).toString(); // warm-up
  const n = 40;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) new SwissQRBill({ ...data, amount: 1000 + i }).toString();
  const oldPerBill = Number(process.hrtime.bigint() - t0) / 1e6 / n;
  rmSync(work, { recursive: true, force: true });
  const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  const perBill = (median(tQr) - median(tPlain)) / Math.max(1, bills);
  return {
    states: made.states,
    documents: docs,
    qr_bills: bills,
    baseline_ms: median(base),
    ms: median(tQr),
    min_ms: Math.min(...tQr),
    vs_baseline: median(tQr) / median(base),
    without_bills_ms: median(tPlain),
    ms_per_bill: perBill,
    old_svg_ms_per_bill: oldPerBill,
    speedup_per_bill: oldPerBill / Math.max(perBill, 0.001),
    target_ms: 3000,
  };
}
