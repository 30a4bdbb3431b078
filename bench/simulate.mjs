// The `simulate --sweep` benchmark (issue 6), called from bench/run.mjs.
//
// A sweep of 10,000 splits over the example books (112 States Parties in 2026) under a
// three-category policy with bounds: an equal part among the non-LDCs (0 to 24.75 % by
// 0.25), a "solidarity" part by the scale among the States rated 1 % or more (the same
// grid), and the adjusted scale with a floor and two ceilings taking the rest: 100 × 100
// points, each apportioned exactly. Whole process, against `node -e 0` in the same run.
// Then three points of the grid are checked against `finproc apportion` of the policy
// written with those shares: the sweep's amounts must be identical.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const POLICY = (base, solidarity, scale) => `schema: finproc.policy/1
id: bench-sweep
title: Benchmark policy for simulate --sweep
source: synthetic, for npm run bench (not a CCM rule)
currency: CHF
scale:
  periods: [{ from: "2025", to: "2027", column: rate_2025_2027_pct }]
  unrated: { rule: notional, rate: "0.001", states: [COK, NIU, PSE, VAT] }
pro_rata: months
rounding: { unit: "0.01", method: largest-remainder }
categories:
  - { id: base, name: Equal part, basis: equal, share: "${base}", members: non-ldc }
  - { id: solidarity, name: Solidarity part, basis: scale, share: "${solidarity}", members: { rate_at_least: "1" } }
  - id: scale
    name: Adjusted scale, bounded
    basis: scale
    share: "${scale}"
    bounds:
      min: { percent: "0.001", of: total }
      max: { percent: "22", of: total }
      ldc_max: { percent: "0.01", of: total }
`;

/**
 * @param {{ root: string, bin: string, runs: number, step?: string, wall: (args: string[]) => number }} o
 *   `step`: the grid step in percent (0.25 gives 100 × 100 points; the smoke test uses a coarse one)
 */
export function benchSimulate({ root, bin, runs, step = '0.25', wall }) {
  const dir = mkdtempSync(path.join(tmpdir(), 'finproc-bench-sim-'));
  cpSync(path.join(root, 'data'), dir, { recursive: true });
  writeFileSync(path.join(dir, 'bench-sweep.yaml'), POLICY('10', '10', '80'));
  const to = '24.75'; // the grid's last value, in percent
  const sweep = ['--sweep', `base=0..${to}:${step}`, '--sweep', `solidarity=0..${to}:${step}`];
  const args = [bin, 'simulate', '--books', dir, '--year', '2026', '--policy', path.join(dir, 'bench-sweep.yaml'), ...sweep, '--format', 'csv'];
  const hasTime = existsSync('/usr/bin/time');
  const base = [];
  const sim = [];
  let rssMB = NaN;
  for (let i = 0; i < runs; i++) {
    base.push(wall(['-e', '0']));
    sim.push(wall(args));
  }
  if (hasTime) {
    const f = path.join(dir, 'rss');
    const r = spawnSync('/usr/bin/time', ['-f', '%M', '-o', f, process.execPath, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    if (r.status === 0) rssMB = Number(readFileSync(f, 'utf8').trim().split('\n').pop()) / 1024;
  }
  // The CSV has one row per point after the header and the baseline row.
  const csv = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout.trimEnd().split('\r\n');
  const points = csv.length - 2;
  const feasible = csv.slice(2).filter((l) => /,sweep,[\d.]+,[\d.]+,[\d.]+,ok,/.test(l)).length;

  // Three points against apportion: the sweep's State amounts (JSON) must be the same bytes.
  const picks = [
    ['0', '0', '100'],
    ['12.5', '7.75', '79.75'],
    [to, to, '50.5'],
  ];
  const json = JSON.parse(spawnSync(process.execPath, [bin, 'simulate', '--books', dir, '--year', '2026', '--policy', path.join(dir, 'bench-sweep.yaml'), '--sweep', `base=0..${to}:${step}`, '--sweep', `solidarity=0..${to}:${step}`, '--format', 'json'], { encoding: 'utf8', maxBuffer: 1 << 30 }).stdout);
  const differ = [];
  let checked = 0;
  for (const [b, s, sc] of picks) {
    const id = `base=${Number(b)},solidarity=${Number(s)},scale=${Number(sc)}`;
    if (!json.scenarios.some((x) => x.id === id)) continue; // not on this grid (coarse smoke test)
    checked++;
    writeFileSync(path.join(dir, 'point.yaml'), POLICY(b, s, sc));
    const a = JSON.parse(spawnSync(process.execPath, [bin, 'apportion', '--books', dir, '--year', '2026', '--policy', path.join(dir, 'point.yaml'), '--format', 'json'], { encoding: 'utf8' }).stdout);
    const want = new Map(a.states.map((x) => [x.iso3, x.total]));
    for (const r of json.states) if (r.scenarios[id] !== want.get(r.iso3)) differ.push(`${id} ${r.iso3}`);
  }
  rmSync(dir, { recursive: true, force: true });
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return {
    states: 112,
    categories: 3,
    points,
    feasible,
    ms: median(sim),
    min_ms: Math.min(...sim),
    baseline_ms: median(base),
    vs_baseline: median(sim) / median(base),
    peak_rss_mb: rssMB,
    target_ms: 2000,
    apportion_check: { points: checked, agree: checked > 0 && differ.length === 0, differ: differ.slice(0, 10) },
  };
}
