// Benchmark of `finproc bank import` (docs/bank.md): a generated camt.053 (.001.08) of
// 100,000 entries against the example books, whole process, time and peak RSS, against the
// target (2 s, 300 MB), and against a baseline measured in the same run: `finproc check` on
// the same books (the cost of reading them, which the import also pays).
//
//   node bench/bank.mjs            (after npm run build; npm run bench runs it too)
//   BENCH_BANK_ENTRIES=10000 node bench/bank.mjs
//
// The entries, as a day of real credits would be: 40 % an invoice's RF (SCOR), 20 % its
// number in the free text, 10 % a batch of three, 10 % a State's name only, 10 % nothing the
// books know (→ review), 5 % debits, 5 % in EUR. Deterministic (no clock, no Math.random).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'finproc.cjs');

/** ISO 11649 reference of an invoice number (as src/core/invoice.ts). */
function rf(number) {
  const body = number.replace(/[^A-Za-z0-9]/g, '').toUpperCase();
  const digits = [...`${body}RF00`].map((c) => (/\d/.test(c) ? c : String(c.charCodeAt(0) - 55))).join('');
  return `RF${String(98n - (BigInt(digits) % 97n)).padStart(2, '0')}${body}`;
}

export function makeBankBench(dir, n) {
  cpSync(path.join(root, 'data'), dir, { recursive: true });
  const inv = readFileSync(path.join(dir, 'assessments.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','))
    .filter((c, i, all) => i === 0 || all[i - 1][0] !== c[0])
    .map((c) => ({ number: c[0], iso3: c[1], cents: Number(c[5].replace('.', '')) }));
  const names = new Map(readFileSync(path.join(dir, 'states.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')).map((c) => [c[0], c[1]]));
  let seed = 20261203;
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const pick = (a) => a[Math.floor(rnd() * a.length)];
  const amt = (c) => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;
  const parts = [];
  let sum = 0;
  const tx = (i, k, cents, extra) => `<TxDtls><Refs><AcctSvcrRef>TX${i}-${k}</AcctSvcrRef><EndToEndId>E2E-${i}-${k}</EndToEndId></Refs><Amt Ccy="CHF">${amt(cents)}</Amt><CdtDbtInd>CRDT</CdtDbtInd>${extra}</TxDtls>`;
  for (let i = 1; i <= n; i++) {
    const r = rnd();
    const v = pick(inv);
    // most pay an invoice's first line exactly, the others part of it (as real payers do: a
    // pile of overpayments would measure the ledger's credit handling, not the import)
    const cents = rnd() < 0.7 && v.cents > 0 ? v.cents : 100 + Math.floor(rnd() * Math.max(1, v.cents));
    const dbtr = (name) => `<RltdPties><Dbtr><Pty><Nm>${name}</Nm></Pty></Dbtr></RltdPties>`;
    let dir = 'CRDT';
    let total = cents;
    let body;
    if (r < 0.4) body = tx(i, 1, cents, `${dbtr('Ministry of Foreign Affairs')}<RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>${rf(v.number)}</Ref></CdtrRefInf></Strd></RmtInf>`);
    else if (r < 0.6) body = tx(i, 1, cents, `${dbtr('Treasury')}<RmtInf><Ustrd>Contribution ${v.number}</Ustrd></RmtInf>`);
    else if (r < 0.7) {
      const c2 = 1000 + Math.floor(rnd() * 100000);
      const c3 = 1000 + Math.floor(rnd() * 100000);
      total = cents + c2 + c3;
      body = `<Btch><NbOfTxs>3</NbOfTxs></Btch>${tx(i, 1, cents, `<RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>${rf(v.number)}</Ref></CdtrRefInf></Strd></RmtInf>`)}${tx(i, 2, c2, `<RmtInf><Ustrd>${pick(inv).number}</Ustrd></RmtInf>`)}${tx(i, 3, c3, dbtr('Unknown payer'))}`;
    } else if (r < 0.8) body = tx(i, 1, cents, dbtr(`Permanent Mission of ${names.get(v.iso3)}`));
    else if (r < 0.9) body = tx(i, 1, cents, `${dbtr('Someone')}<RmtInf><Ustrd>donation</Ustrd></RmtInf>`);
    else if (r < 0.95) {
      dir = 'DBIT';
      body = `<TxDtls><Refs><AcctSvcrRef>TX${i}-1</AcctSvcrRef></Refs><Amt Ccy="CHF">${amt(cents)}</Amt><CdtDbtInd>DBIT</CdtDbtInd><RmtInf><Ustrd>supplier</Ustrd></RmtInf></TxDtls>`;
    } else body = tx(i, 1, cents, `<AmtDtls><InstdAmt><Amt Ccy="EUR">${amt(Math.round(cents / 0.94))}</Amt><CcyXchg><SrcCcy>EUR</SrcCcy><TrgtCcy>CHF</TrgtCcy><XchgRate>0.94</XchgRate></CcyXchg></InstdAmt></AmtDtls>${dbtr('Foreign Office')}<RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>${rf(v.number)}</Ref></CdtrRefInf></Strd></RmtInf>`);
    sum += dir === 'CRDT' ? total : -total;
    parts.push(`<Ntry><Amt Ccy="CHF">${amt(total)}</Amt><CdtDbtInd>${dir}</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-08-18</Dt></BookgDt><ValDt><Dt>2026-08-18</Dt></ValDt><AcctSvcrRef>BNK-${i}</AcctSvcrRef><NtryDtls>${body}</NtryDtls></Ntry>\n`);
  }
  const open = 100_000_000;
  const bal = (code, c) => `<Bal><Tp><CdOrPrtry><Cd>${code}</Cd></CdOrPrtry></Tp><Amt Ccy="CHF">${amt(Math.abs(c))}</Amt><CdtDbtInd>${c < 0 ? 'DBIT' : 'CRDT'}</CdtDbtInd><Dt><Dt>2026-08-18</Dt></Dt></Bal>`;
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt><GrpHdr><MsgId>BENCH</MsgId><CreDtTm>2026-08-18T18:00:00</CreDtTm></GrpHdr><Stmt><Id>BENCH-1</Id><Acct><Id><IBAN>CH9300762011623852957</IBAN></Id><Ccy>CHF</Ccy></Acct>${bal('OPBD', open)}${bal('CLBD', open + sum)}\n${parts.join('')}</Stmt></BkToCstmrStmt></Document>\n`;
  const file = path.join(dir, 'camt053-bench.xml');
  writeFileSync(file, xml);
  return { file, bytes: Buffer.byteLength(xml) };
}

const hasTime = existsSync('/usr/bin/time');
function timed(args, tmp) {
  const rss = path.join(tmp, 'rss');
  const [c, a] = hasTime ? ['/usr/bin/time', ['-f', '%M', '-o', rss, process.execPath, ...args]] : [process.execPath, args];
  const t = process.hrtime.bigint();
  const r = spawnSync(c, a, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0 && !(args.includes('check') && r.status === 1)) throw new Error(`${args.join(' ')} failed (${r.status}): ${String(r.stderr).slice(0, 2000)}`);
  return { ms, rssMB: hasTime ? Number(readFileSync(rss, 'utf8').trim().split('\n').pop()) / 1024 : NaN, stderr: String(r.stderr) };
}

/** The phases of `bank import --timings` (its stderr block), name → ms. */
function phasesOf(stderr) {
  const block = stderr.slice(stderr.lastIndexOf('timings (wall time, ms):'));
  return Object.fromEntries([...block.matchAll(/^ {2}(.+?) +(\d+)$/gm)].map((m) => [m[1], Number(m[2])]));
}

export function benchBank({ entries = Number(process.env.BENCH_BANK_ENTRIES ?? 100_000), runs = Number(process.env.BENCH_BIG_RUNS ?? 3) } = {}) {
  const tmp = mkdtempSync(path.join(tmpdir(), 'finproc-bench-bank-'));
  const books = path.join(tmp, 'books');
  const { file, bytes } = makeBankBench(books, entries);
  const pristine = path.join(tmp, 'payments.csv');
  cpSync(path.join(books, 'payments.csv'), pristine);
  const base = [];
  const propose = [];
  const apply = [];
  // Every run starts from the example books as they were (the first import of the file).
  const reset = () => {
    rmSync(path.join(books, 'bank-review.csv'), { force: true });
    cpSync(pristine, path.join(books, 'payments.csv'));
  };
  for (let i = 0; i < runs; i++) {
    reset();
    base.push(timed([bin, 'check', '--books', books], tmp));
    propose.push(timed([bin, 'bank', 'import', file, '--books', books, '--format', 'json'], tmp));
    reset();
    apply.push(timed([bin, 'bank', 'import', file, '--books', books, '--apply', '--format', 'json'], tmp));
  }
  // One more --apply with --timings, apart (its clock readings are not in the runs above):
  // where the time goes, and how much is left without the reading of the XML.
  reset();
  const phases = phasesOf(timed([bin, 'bank', 'import', file, '--books', books, '--apply', '--format', 'json', '--timings'], tmp).stderr);
  const booked = readFileSync(path.join(books, 'payments.csv'), 'utf8').split('\n').filter((l) => l.startsWith('BNK-')).length;
  const review = existsSync(path.join(books, 'bank-review.csv')) ? readFileSync(path.join(books, 'bank-review.csv'), 'utf8').trim().split('\n').length - 1 : 0;
  rmSync(tmp, { recursive: true, force: true });
  const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const r = {
    entries,
    file_mb: bytes / 1e6,
    booked,
    to_review: review,
    baseline_check_ms: med(base.map((x) => x.ms)),
    propose_ms: med(propose.map((x) => x.ms)),
    propose_min_ms: Math.min(...propose.map((x) => x.ms)),
    apply_ms: med(apply.map((x) => x.ms)),
    apply_min_ms: Math.min(...apply.map((x) => x.ms)),
    peak_rss_mb: Math.max(...propose.map((x) => x.rssMB), ...apply.map((x) => x.rssMB)),
    target_ms: 2000,
    target_rss_mb: 300,
    phases_ms: phases,
    apply_without_reading_ms: phases.total - phases['reading the bank files'],
  };
  r.apply_vs_check = r.apply_ms / r.baseline_check_ms;
  return r;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(JSON.stringify(benchBank(), null, 2));
