// Micro-benchmark of the matcher alone (src/core/bank.ts `matchTx`) against the matcher as it
// was (test/bank-match-oracle.ts), in the same run, on the credits of a bank file against the
// books' match context; it also checks that both give the same Match objects.
//
//   node -e "import('./bench/bank.mjs').then(m=>m.makeBankBench('/tmp/match-bb',100000))"
//   npx esbuild bench/match.ts --bundle --platform=node --format=esm --external:fast-xml-parser --external:fflate --outfile=/tmp/match-bench.mjs
//   node /tmp/match-bench.mjs /tmp/match-bb /tmp/match-bb/camt053-bench.xml [rounds]
import { readFileSync } from 'node:fs';
import { matchContext, matchTx, type MatchInput } from '../src/core/bank.js';
import { bankContext } from '../src/io/bank.js';
import { readBankFile } from '../src/io/bankfile.js';
import { ledgerJob } from '../src/io/job.js';
import { oldMatchContext, oldMatchTx } from '../test/bank-match-oracle.js';

const [dir, file, roundsArg] = process.argv.slice(2);
if (!dir || !file) throw new Error('usage: match.mjs BOOKS BANKFILE [ROUNDS]');
const { books, ledger, reader, problems } = ledgerJob({ books: dir, cwd: dir, need: ['assessments'] });
if (!books || !ledger) throw new Error(JSON.stringify(problems));
const built = bankContext(books, reader, ledger.ledger, problems);
// Both contexts from the same invoices and names (the new one rebuilt, so that no cache is shared).
const invoices = [...built.invoices.values()];
const names: { name: string; iso3: string }[] = [];
for (const s of books.ref.states.values()) for (const n of [s.nameEn, s.nameFr, s.nameEs]) names.push({ name: n, iso3: s.iso3 });
const ctx = matchContext(invoices, names);
const old = oldMatchContext(invoices, names);

const inputs: MatchInput[] = [];
for (const s of readBankFile(file, readFileSync(file)))
  for (const e of s.entries) {
    if (e.direction !== 'CRDT' || e.reversal) continue;
    for (const t of e.txs) inputs.push({ chf: e.txs.length === 1 ? e.amount : (t.amount ?? 0n), reference: t.reference, referenceType: '', text: t.text, debtor: t.debtor });
  }

let diffs = 0;
for (const t of inputs) {
  const a = JSON.stringify(matchTx(ctx, t));
  const b = JSON.stringify(oldMatchTx(old, t));
  if (a !== b && diffs++ < 5) console.log('DIFF', t, '\n new', a, '\n old', b);
}
console.log(`${inputs.length} credits, ${diffs} differences`);

// The same credits in fresh strings, allocated one after the other: as a streaming import
// matches each transaction right after reading it (its strings still in the CPU's caches),
// rather than long after, among a file's worth of objects.
const fresh = (s: string) => (s === '' ? '' : (JSON.parse(JSON.stringify(s)) as string));
const hot = inputs.map((t) => ({ chf: t.chf, reference: fresh(t.reference), referenceType: '', text: fresh(t.text), debtor: fresh(t.debtor) }));

const rounds = Number(roundsArg ?? 5);
const time = (f: () => void) => {
  const t0 = process.hrtime.bigint();
  f();
  return Number(process.hrtime.bigint() - t0) / 1e6;
};
const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
for (const [what, list] of [
  ['as read', inputs],
  ['fresh strings', hot],
] as const) {
  const tOld: number[] = [];
  const tNew: number[] = [];
  // interleaved, so that a busy machine slows both alike
  for (let r = 0; r < rounds; r++) {
    tOld.push(time(() => list.forEach((t) => oldMatchTx(old, t))));
    tNew.push(time(() => list.forEach((t) => matchTx(ctx, t))));
  }
  const [o, n] = [median(tOld), median(tNew)];
  const [oMin, nMin] = [Math.min(...tOld), Math.min(...tNew)];
  console.log(`${what}: old ${o.toFixed(1)} ms, new ${n.toFixed(1)} ms (median of ${rounds}): ${(o / n).toFixed(2)}× faster (fastest rounds: ${oMin.toFixed(1)} → ${nMin.toFixed(1)} ms, ${(oMin / nMin).toFixed(2)}×); per credit ${((o * 1000) / list.length).toFixed(2)} µs → ${((n * 1000) / list.length).toFixed(2)} µs`);
}
