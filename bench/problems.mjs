// Problem reporting must grow linearly with the number of problems (issue 12): a policy with
// 30,000 unknown keys ran for minutes (the yaml package's duplicate-key check and locating
// each problem in its map were both quadratic). Called from the end of bench/run.mjs:
// `finproc check` on the example books with 3,000 and with 30,000 unknown keys added to the
// policy (and as many rows of payments.csv with a bad amount), whole process, interleaved with
// `node -e 0` and `check` on the example books as they are. The work per problem is
// (t(N) − t(books)) / N: linear growth keeps the ratio of the two sizes near 1 (quadratic: 10).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

function wall(root, args) {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
  return ms;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function booksWithProblems(root, n) {
  const dir = mkdtempSync(path.join(tmpdir(), `finproc-bench-problems-${n}-`));
  cpSync(path.join(root, 'data'), dir, { recursive: true });
  let keys = '';
  for (let i = 0; i < n; i++) keys += `unknown_key_${i}: x\n`;
  writeFileSync(path.join(dir, 'policy.yaml'), readFileSync(path.join(dir, 'policy.yaml'), 'utf8') + keys);
  let rows = '';
  for (let i = 0; i < n; i++) rows += `PAY-BENCH-${i},AUT,2026-03-01,12.3.4,CHF,,isu,,,,,bad amount\n`;
  writeFileSync(path.join(dir, 'payments.csv'), readFileSync(path.join(dir, 'payments.csv'), 'utf8') + rows);
  return dir;
}

export function benchProblems({ root, bin, runs = 3, small = 3_000, large = 30_000 }) {
  const dSmall = booksWithProblems(root, small);
  const dLarge = booksWithProblems(root, large);
  const base = [];
  const books = [];
  const s = [];
  const l = [];
  for (let i = 0; i < runs; i++) {
    base.push(wall(root, ['-e', '0']));
    books.push(wall(root, [bin, 'check']));
    s.push(wall(root, [bin, 'check', '--books', dSmall, '--format', 'json']));
    l.push(wall(root, [bin, 'check', '--books', dLarge, '--format', 'json']));
  }
  const b = median(books);
  const perSmall = (median(s) - b) / (2 * small);
  const perLarge = (median(l) - b) / (2 * large);
  return {
    runs,
    problems_small: 2 * small,
    problems_large: 2 * large,
    baseline_node_e0_ms: median(base),
    check_example_ms: b,
    check_small_ms: median(s),
    check_large_ms: median(l),
    us_per_problem_small: perSmall * 1000,
    us_per_problem_large: perLarge * 1000,
    // 1 = linear; a quadratic reporter would give large/small = 10.
    growth_ratio: perLarge / perSmall,
  };
}
