// The cash-flow benchmark (called from the end of bench/run.mjs): `finproc cashflow --year
// 2026` on the example books, as a whole process, without and with `--stress 10000`,
// interleaved with `node -e 0` so that the machine's noise moves every series alike.
// Target: the stress test of 10,000 runs under 5 s.
import { spawnSync } from 'node:child_process';

function wall(root, args) {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
  return ms;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export function benchCashflow({ root, bin, runs = 5, stressRuns = 10_000 }) {
  const base = [];
  const plain = [];
  const stressed = [];
  for (let i = 0; i < runs; i++) {
    base.push(wall(root, ['-e', '0']));
    plain.push(wall(root, [bin, 'cashflow', '--year', '2026', '--format', 'json']));
    stressed.push(wall(root, [bin, 'cashflow', '--year', '2026', '--stress', String(stressRuns), '--seed', '1', '--format', 'json']));
  }
  const b = median(base);
  return {
    runs,
    stress_runs: stressRuns,
    baseline_node_e0_ms: b,
    cashflow_ms: median(plain),
    cashflow_vs_baseline: median(plain) / b,
    stress_ms: median(stressed),
    stress_min_ms: Math.min(...stressed),
    stress_vs_baseline: median(stressed) / b,
    target_ms: 5000,
  };
}
