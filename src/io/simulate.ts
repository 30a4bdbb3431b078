/**
 * Load → compute for `simulate`: the books, the baseline of the year, each scenario (a file
 * or a --split) run through the same `runYear` as `apportion`, and the sweep through the
 * fast split runner. Returns the simulation as data, or every problem found on the way.
 */
import path from 'node:path';
import { apportion, payersFor, scaleColumnFor, type Apportionment } from '../core/apportion.js';
import { boundDuring } from '../core/dates.js';
import { participantsAsPayers } from '../core/meeting.js';
import { D, scaled, type Decimal } from '../core/decimal.js';
import { validatePolicy, type Policy } from '../core/policy.js';
import { cmp, isError, problem, type Problem } from '../core/problem.js';
import { applyMembership, fieldOf, overlayPolicy, scenarioPathOf, validateScenario, type Scenario } from '../core/scenario.js';
import { columnOf, indicators, statesOf, type Column, type Indicators, type SimState } from '../core/simulate.js';
import { compileSplit } from '../core/split.js';
import { FileReader, isDuplicate, KeySet, loadBooks, loadPolicy, type Books, type InputFile } from './books.js';
import { loadParticipants } from './ledger.js';
import { atCell, readCsv } from './csv.js';
import { readYearPolicy, runYear, type ApportionmentReport } from './job.js';
import { issueToProblem, readYaml, type PolicyFile } from './policy-file.js';
import { parseIso3 } from '../core/parse.js';

export const REGIONS_FILE = 'regions.csv';

export interface SweepAxis {
  category: string;
  from: Decimal;
  to: Decimal;
  step: Decimal;
}

export interface SimulateOptions {
  books: string;
  cwd?: string;
  year: number;
  policy?: string;
  budget?: Decimal;
  /** Scenario files (absolute paths), in the order given. */
  scenarios: string[];
  /** Ad hoc splits: category id → percent, as typed. */
  splits: Record<string, string>[];
  sweep?: { axes: SweepAxis[]; absorb?: string };
  /** A State whose rate is below this (percent) is a small contributor. */
  smallBelow: Decimal;
  regions: boolean;
  /** A State whose amount moves by no more than this counts as "same" (default: one rounding unit of the coarser policy). */
  sameWithin?: Decimal;
  /**
   * Keep every sweep point's amounts per State (for JSON and the per-State CSV); without it
   * a sweep keeps only the indicators of each point.
   */
  sweepColumns?: boolean;
}

export interface ScenarioResult {
  id: string;
  title: string;
  kind: 'baseline' | 'file' | 'split' | 'sweep' | 'article14';
  /** As named in reports (relative to the books), for a file. */
  file?: string;
  note?: string;
  /** What the scenario changes, one line each, for people. */
  changes: string[];
  /** The category shares in effect (percent), in policy order; null for a category without a share. */
  shares: { category: string; share: Decimal | null }[];
  policy: Policy;
  /** Amounts per State, when the scenario could be apportioned (for a sweep point, only if asked for). */
  column?: Column;
  indicators?: Indicators;
  /** Why a sweep point could not be apportioned (bounds no allocation satisfies, …). */
  failure?: string;
}

export interface Simulation {
  year: number;
  currency: string;
  budget: Decimal;
  budgetSource: 'books' | 'command line';
  /** What the amounts of the columns count: the finest rounding unit of the baseline and the scenarios, as 10^-places. */
  unit: Decimal;
  policyFile: string;
  states: SimState[];
  baseline: ScenarioResult & { column: Column; indicators: Indicators };
  scenarios: ScenarioResult[];
  sweep?: { axes: SweepAxis[]; absorb: string; points: number; skipped: number };
  /** The Article 14 view: a meeting's cost estimate shared among the participants. */
  article14?: { participants: number; column: string };
  smallBelow: Decimal;
  inputs: InputFile[];
  notes: string[];
}

/** Everything `simulate` needs, or the problems. */
export function simulateJob(opts: SimulateOptions): { simulation?: Simulation; problems: Problem[] } {
  const dir = path.resolve(opts.books);
  const reader = new FileReader(dir, opts.cwd);
  const { books, problems } = loadBooks(dir, reader);
  if (!books) return { problems };
  const regions = opts.regions ? loadRegions(books, reader, problems) : null;
  const pf = readYearPolicy(books, reader, opts.year, opts.policy, problems);
  if (!pf || problems.some(isError)) return { problems };
  const yearOpts = { books: dir, year: opts.year, ...(opts.cwd ? { cwd: opts.cwd } : {}), ...(opts.budget ? { budget: opts.budget } : {}) };
  const base = runYear(books, reader, pf, yearOpts);
  problems.push(...base.problems);
  if (!base.report || problems.some(isError)) return { problems };
  const baseA = base.report.apportionment;

  // Named scenarios: files, then --split, each through the same path as `apportion`.
  const runs: { s: Scenario; kind: 'file' | 'split'; file?: string; report: ApportionmentReport }[] = [];
  const ids = new Set<string>(['baseline']);
  for (const file of opts.scenarios) {
    const r = runScenarioFile(books, reader, pf, file, yearOpts, problems);
    if (!r) continue;
    if (ids.has(r.s.id)) problems.push(problem('scenario-schema', `scenario id "${r.s.id}" is used twice`, { ...r.locate('id'), field: 'id', hint: 'give each scenario its own id' }));
    ids.add(r.s.id);
    runs.push({ s: r.s, kind: 'file', file: reader.reportName(file), report: r.report });
  }
  for (const split of opts.splits) {
    const id = Object.entries(split).map(([k, v]) => `${k}=${v}`).join(',');
    const s: Scenario = { id, title: `split ${Object.entries(split).map(([k, v]) => `${k} ${v} %`).join(', ')}`, split };
    const local: Problem[] = [];
    const r = runScenario(books, reader, pf, s, undefined, yearOpts, local);
    // An ad hoc split has no file: its problems are about the command line.
    for (const p of local) {
      if (!isError(p)) problems.push(p);
      else {
        const { file: _f, line: _l, column: _c, excerpt: _e, width: _w, ...rest } = p;
        problems.push({ ...rest, code: 'argument-invalid', message: `--split ${id}: ${p.message}` });
      }
    }
    if (r && !ids.has(id)) runs.push({ s, kind: 'split', report: r });
    ids.add(id);
  }
  if (problems.some(isError)) return { problems };

  const { states, places, baseline, scenarios } = lineUp(
    { title: baseA.policy.title, file: base.report.policyFile, result: baseA },
    runs.map((r) => ({ id: r.s.id, title: r.s.title, kind: r.kind, ...(r.file ? { file: r.file } : {}), ...(r.s.note ? { note: r.s.note } : {}), changes: describeScenario(r.s), result: r.report.apportionment })),
    regions,
    opts.smallBelow,
    opts.sameWithin,
  );
  const baseCol = baseline.column;

  let sweep: Simulation['sweep'];
  if (opts.sweep) {
    const sw = runSweep(books, baseA, opts.sweep.axes, opts.sweep.absorb, states, baseCol, scaled(baseA.policy.rounding.unit, places), opts.sweepColumns ?? true, ids, within(opts.sameWithin, [baseA], places));
    if ('problem' in sw) return { problems: [...problems, sw.problem] };
    scenarios.push(...sw.results);
    sweep = { axes: opts.sweep.axes, absorb: sw.absorb, points: sw.results.length, skipped: sw.skipped };
  }
  const notes = [...new Set([baseA, ...runs.map((r) => r.report.apportionment)].flatMap((a) => a.notes)), sameNote(opts.sameWithin, baseA.currency)];
  return {
    simulation: {
      year: opts.year,
      currency: baseA.currency,
      budget: baseA.budget,
      budgetSource: base.report.budgetSource,
      unit: D(`1e-${places}`),
      policyFile: base.report.policyFile,
      states,
      baseline,
      scenarios,
      ...(sweep ? { sweep } : {}),
      smallBelow: opts.smallBelow,
      inputs: reader.list(),
      notes,
    },
    problems,
  };
}

function sharesIn(p: Policy): ScenarioResult['shares'] {
  return p.categories.map((c) => ({ category: c.id, share: c.share ?? null }));
}

interface Named {
  id: string;
  title: string;
  kind: ScenarioResult['kind'];
  file?: string;
  note?: string;
  changes: string[];
  result: Apportionment;
}

/**
 * How far an amount may move and still count as "same", in units of 10^-places: the given
 * amount (rounded down to the unit), or one rounding unit of the coarser of the policies
 * (whole francs beside centimes: CHF 1), so that a move made by rounding alone is no change.
 */
/** The note that says what "same" means in this run. */
function sameNote(sameWithin: Decimal | undefined, currency: string): string {
  return sameWithin
    ? `pays more / less: a State whose amount moves by ${currency} ${sameWithin.toFixed()} or less counts as the same (--same-within)`
    : 'pays more / less: a State whose amount moves by no more than one rounding unit (of the coarser of the two policies compared) counts as the same; --same-within 0 counts every move';
}

export function within(sameWithin: Decimal | undefined, compared: readonly Apportionment[], places: number): bigint {
  if (sameWithin) return BigInt(sameWithin.times(D(`1e${places}`)).toFixed(0, 1));
  return compared.reduce((m, a) => (scaled(a.policy.rounding.unit, places) > m ? scaled(a.policy.rounding.unit, places) : m), 0n);
}

/**
 * The baseline and the named scenarios on one list of States (every payer of any of them),
 * counted in the finest rounding unit of all (0.01 beside whole francs), with indicators.
 */
function lineUp(base: { title: string; file: string; result: Apportionment }, named: Named[], regions: Map<string, string> | null, smallBelow: Decimal, sameWithin?: Decimal) {
  const all = [base.result, ...named.map((n) => n.result)];
  const states = statesOf(all, regions);
  const places = Math.max(...all.map((a) => a.policy.rounding.unit.decimalPlaces()));
  const baseCol = columnOf(base.result, states, smallBelow, places);
  const baseline = { id: 'baseline', title: base.title, kind: 'baseline' as const, file: base.file, changes: [], shares: sharesIn(base.result.policy), policy: base.result.policy, column: baseCol, indicators: indicators(states, baseCol, baseCol) };
  const scenarios: ScenarioResult[] = named.map(({ result, ...n }) => {
    const column = columnOf(result, states, smallBelow, places);
    return { ...n, shares: sharesIn(result.policy), policy: result.policy, column, indicators: indicators(states, column, baseCol, undefined, within(sameWithin, [base.result, result], places)) };
  });
  return { states, places, baseline, scenarios };
}

/** What a scenario changes, one line each. */
export function describeScenario(s: Scenario): string[] {
  const out: string[] = [];
  if (s.split) out.push(`split: ${Object.entries(s.split).map(([k, v]) => `${k} ${v} %`).join(', ')}`);
  for (const id of s.remove ?? []) out.push(`remove category ${id}`);
  for (const [id, keys] of Object.entries(s.categories ?? {})) out.push(`category ${id}: ${Object.keys(keys).join(', ')}`);
  if (s.rounding) out.push(`rounding: ${Object.entries(s.rounding).map(([k, v]) => `${k} ${String(v)}`).join(', ')}`);
  if (s.pro_rata !== undefined) out.push(`pro_rata: ${String(s.pro_rata)}`);
  if (s.scale?.column) out.push(`scale column: ${s.scale.column}`);
  if (s.scale?.unrated !== undefined) out.push('unrated States: rule replaced');
  const who = (l: [string, string | null][]) => l.map(([k, d]) => (d ? `${k} (${d})` : k)).join(', ');
  if (s.join?.length) out.push(`join: ${who(s.join)}`);
  if (s.leave?.length) out.push(`leave: ${who(s.leave)}`);
  return out;
}

function runScenarioFile(books: Books, reader: FileReader, pf: PolicyFile, file: string, yearOpts: Parameters<typeof runYear>[3], problems: Problem[]) {
  const f = reader.read(file, problems);
  if (!f) return undefined;
  const y = readYaml(f.display, f.text, 'scenario-schema');
  problems.push(...y.problems);
  if (y.raw === undefined) return undefined;
  const { scenario, issues } = validateScenario(y.raw);
  problems.push(...issues.map((i) => issueToProblem(i, y.locatePath(i.path, i.atKey))));
  if (!scenario) return undefined;
  const report = runScenario(books, reader, pf, scenario, { y, file }, yearOpts, problems);
  return report ? { s: scenario, report, locate: (field: string) => y.locate(field) } : undefined;
}

/**
 * One scenario: the baseline policy as written with the scenario applied, validated like a
 * policy file, and apportioned by `runYear` on the books with the membership changed.
 * Problems point into the scenario file when the scenario wrote the key, else into the
 * baseline policy.
 */
function runScenario(books: Books, reader: FileReader, pf: PolicyFile, s: Scenario, from: { y: ReturnType<typeof readYaml>; file: string } | undefined, yearOpts: Parameters<typeof runYear>[3], problems: Problem[]): ApportionmentReport | undefined {
  const baseRaw = (pf.raw ?? {}) as Record<string, unknown>;
  const y = from?.y;
  const locate: PolicyFile['locate'] = (field, atKey) => {
    const sp = field === undefined ? undefined : field.startsWith('membership.') ? membershipPath(y?.raw, field) : scenarioPathOf(s, baseRaw, field);
    return sp && y ? y.locatePath(sp, atKey && typeof sp[sp.length - 1] === 'string') : pf.locate(field, atKey);
  };
  const { raw, issues } = overlayPolicy(baseRaw, s, yearOpts.year);
  const own = issues.map((i) => issueToProblem(i, y ? y.locatePath(i.path, i.atKey) : {}));
  const { policy, issues: pIssues } = validatePolicy(raw);
  const located = [...own, ...pIssues.map((i) => ({ ...issueToProblem(i, locate(fieldOf(raw, i.path), i.atKey)), field: fieldOf(raw, i.path) }))];
  const m = applyMembership(books.ref, s, yearOpts.year);
  located.push(...m.problems.map((p) => ({ ...p, ...locate(p.field, true) })));
  problems.push(...located);
  if (!policy || located.some(isError)) return undefined;
  const spf: PolicyFile = { file: from?.file ?? pf.file, policy, raw, problems: [], locate };
  const r = runYear({ ...books, ref: m.ref }, reader, spf, yearOpts);
  problems.push(...r.problems);
  return r.report;
}

/** `membership.join.AGO` → the path of AGO in the file: its index in a list, or its key in a map. */
function membershipPath(raw: unknown, field: string): (string | number)[] {
  const [, kind, iso3] = field.split('.');
  const list = ((raw as { membership?: Record<string, unknown> } | undefined)?.membership ?? {})[kind!];
  return Array.isArray(list) && list.includes(iso3) ? ['membership', kind!, list.indexOf(iso3)] : ['membership', kind!, iso3!];
}

/** The grid of splits, each run by the fast split runner on the baseline's members. */
/**
 * The largest sweep: 100,000 points run in about 30 s and 560 MB on a 2-core machine (every
 * point is kept for the indicators); a larger grid is refused before it is built.
 */
export const MAX_POINTS = 100_000;

function runSweep(books: Books, baseA: Apportionment, axes: SweepAxis[], absorbOpt: string | undefined, states: SimState[], baseCol: Column, factor: bigint, keepColumns: boolean, usedIds: ReadonlySet<string>, sameWithin = 0n): { results: ScenarioResult[]; absorb: string; skipped: number } | { problem: Problem } {
  const policy = baseA.policy;
  const bad = (message: string, hint?: string) => ({ problem: problem('argument-invalid', `--sweep: ${message}`, hint ? { hint } : {}) });
  const shareIds = policy.categories.filter((c) => c.share !== undefined).map((c) => c.id);
  for (const a of axes) if (!shareIds.includes(a.category)) return bad(`category "${a.category}" has no share in policy "${policy.id}"`, `categories with a share: ${shareIds.join(', ')}`);
  if (new Set(axes.map((a) => a.category)).size !== axes.length) return bad('a category is swept twice');
  const others = shareIds.filter((id) => !axes.some((a) => a.category === id));
  const absorb = absorbOpt ?? (others.length === 1 ? others[0] : undefined);
  if (absorb === undefined) return bad(others.length === 0 ? 'every category with a share is swept: one must take the rest' : `several categories could take the rest (${others.join(', ')})`, 'name it with --absorb CATEGORY');
  if (!others.includes(absorb)) return bad(`--absorb ${absorb} is not a category with a share that is not swept`, `one of: ${others.join(', ')}`);

  const { payers } = payersFor(books.ref, policy, baseA.year);
  const runner = compileSplit(baseA, payers);
  const fixed = new Map(policy.categories.filter((c) => c.share !== undefined).map((c) => [c.id, c.share!]));
  // The grid, first axis slowest; each value from + k × step up to `to`. Counted before it is built.
  const sizes = axes.map((a) => a.to.minus(a.from).div(a.step).floor().plus(1));
  const total = sizes.reduce((n, x) => n.times(x), D('1'));
  if (total.gt(MAX_POINTS)) return bad(`${total.toFixed()} points: at most 100,000`, 'use a larger step');
  const values = axes.map((a) => {
    const vs: Decimal[] = [];
    for (let v = a.from; v.lte(a.to); v = v.plus(a.step)) vs.push(v);
    return vs;
  });
  const texts = values.map((vs) => vs.map((v) => v.toFixed()));
  const count = values.reduce((n, v) => n * v.length, 1);
  // The State list of the simulation may hold States that are not baseline payers (a scenario
  // made them join); the sweep's States are the baseline's.
  const pos = runner.states.map((iso3) => states.findIndex((s) => s.iso3 === iso3));
  const identity = pos.length === states.length && pos.every((p, i) => p === i);
  const results: ScenarioResult[] = [];
  let skipped = 0;
  const idx = new Array<number>(axes.length).fill(0);
  const scratch = new BigInt64Array(states.length);
  const basePlain: Column = { ...baseCol, units: Array.from(baseCol.units) };
  // Share categories neither swept nor taking the rest keep their baseline share.
  const kept = [...fixed].filter(([id]) => id !== absorb && !axes.some((a) => a.category === id));
  const keptTotal = kept.reduce((t, [, v]) => t.plus(v), D('0'));
  const shareAt = new Map(runner.shareCategories.map((id, k) => [id, k]));
  const base = runner.shareCategories.map((id) => fixed.get(id)!);
  for (let k = 0; k < count; k++) {
    let rem = k;
    for (let a = axes.length - 1; a >= 0; a--) {
      idx[a] = rem % values[a]!.length;
      rem = Math.floor(rem / values[a]!.length);
    }
    const shares = [...base];
    let taken = keptTotal;
    axes.forEach((a, i) => {
      const v = values[i]![idx[i]!]!;
      shares[shareAt.get(a.category)!] = v;
      taken = taken.plus(v);
    });
    if (taken.gt(100)) {
      skipped++;
      continue;
    }
    const rest = D('100').minus(taken);
    shares[shareAt.get(absorb)!] = rest;
    const restText = rest.toFixed();
    const plainId = [...axes.map((a, i) => `${a.category}=${texts[i]![idx[i]!]!}`), `${absorb}=${restText}`].join(',');
    // Ids are unique in a run: a point that repeats a --split or a scenario's id is marked as a sweep point.
    const id = usedIds.has(plainId) ? `sweep:${plainId}` : plainId;
    const title = `split ${[...axes.map((a, i) => `${a.category} ${texts[i]![idx[i]!]!} %`), `${absorb} ${restText} %`].join(', ')}`;
    const out = runner.run(shares);
    const r: ScenarioResult = { id, title, kind: 'sweep', changes: [title], shares: policy.categories.map((c) => ({ category: c.id, share: shareAt.has(c.id) ? shares[shareAt.get(c.id)!]! : null })), policy };
    if (!out.ok) r.failure = out.message;
    else {
      // The sweep's States are the baseline's; the list is longer only if a scenario made some join.
      let units = out.units;
      if (!identity || factor !== 1n) {
        units = new Array<bigint>(states.length).fill(0n);
        for (let i = 0; i < pos.length; i++) units[pos[i]!] = out.units[i]! * factor;
      }
      r.indicators = indicators(states, { units, payer: baseCol.payer, small: baseCol.small }, basePlain, scratch, sameWithin);
      if (keepColumns) r.column = { units: new BigInt64Array(units), payer: baseCol.payer, small: baseCol.small };
    }
    results.push(r);
  }
  return { results, absorb, skipped };
}

/** regions.csv: iso3 → region (UN M49), for --group region. */
function loadRegions(books: Books, reader: FileReader, problems: Problem[]): Map<string, string> | null {
  const file = path.join(books.dir, REGIONS_FILE);
  const local: Problem[] = [];
  const f = reader.read(file, local);
  if (!f) {
    problems.push(...local.map((p) => (p.code === 'file-missing' ? { ...p, hint: `--group region needs ${REGIONS_FILE} in the books (iso3,region); node scripts/make-regions.mjs writes it from UN M49` } : p)));
    return null;
  }
  const r = readCsv(f.display, f.text, { required: ['iso3', 'region'], optional: ['subregion'] });
  problems.push(...r.problems);
  if (!r.table) return null;
  const t = r.table;
  const out = new Map<string, string>();
  const seen = new KeySet();
  for (const row of t.rows) {
    const p = parseIso3(row.text('iso3') ?? '');
    if (!p.ok) {
      problems.push(atCell(t, row, 'iso3', p.code, p.message, p.hint));
      continue;
    }
    if (!books.ref.states.has(p.value)) {
      problems.push(atCell(t, row, 'iso3', 'iso3-unknown', `${p.value} is not in states.csv`, 'check the code (ISO 3166-1 alpha-3)'));
      continue;
    }
    if (isDuplicate(t, row, 'iso3', seen, p.value, problems)) continue;
    const region = (row.text('region') ?? '').trim();
    if (region === '') {
      problems.push(atCell(t, row, 'region', 'value-missing', `no region for ${p.value}`, 'write its UN M49 region (Africa, Americas, Asia, Europe, Oceania)'));
      continue;
    }
    out.set(p.value, region);
  }
  return out;
}

/** One scenario of the Article 14 view: the participants plus these States not party. */
export type NonPartySpec = { order: 'largest' | 'smallest'; count: number } | { iso3: string[] };

export interface Article14Options {
  books: string;
  cwd?: string;
  year: number;
  /** The meeting's cost estimate, shared among the participants (Article 14). */
  estimate: Decimal;
  /** Absolute path of the sharing policy (default: policies/article14.yaml in the books). */
  policy: string;
  /** CSV of participants (iso3 column); default: every State Party bound in the year. */
  participants?: string;
  nonParties: NonPartySpec[];
  smallBelow: Decimal;
  regions: boolean;
  /** A State whose amount moves by no more than this counts as "same" (default: one rounding unit of the coarser policy). */
  sameWithin?: Decimal;
}

/**
 * Article 14: how each participant's share of a meeting's costs moves when States not
 * party take part. The baseline is the participants (by default every State Party of the
 * year); each scenario adds States not party: the N largest or smallest by UN rate, one
 * more at each step, or a list. Shares come from `apportion` with the participants as
 * payers bound the whole year, as `finproc meeting-costs` computes them.
 */
export function article14Job(opts: Article14Options): { simulation?: Simulation; problems: Problem[] } {
  const dir = path.resolve(opts.books);
  const reader = new FileReader(dir, opts.cwd);
  const { books, problems } = loadBooks(dir, reader);
  if (!books) return { problems };
  const regions = opts.regions ? loadRegions(books, reader, problems) : null;
  const pf = loadPolicy(reader, opts.policy, problems);
  const listed = opts.participants ? loadParticipants(reader, opts.participants, books, problems) : undefined;
  if (!pf?.policy || problems.some(isError)) return { problems };
  const policy = pf.policy;
  const column = scaleColumnFor(policy, opts.year);
  if (!column) return { problems: [...problems, problem('scale-period', `no scale period of policy "${policy.id}" covers ${opts.year}`, { file: reader.display(opts.policy), hint: `add a period with from ≤ ${opts.year} ≤ to` })] };
  const bound = (iso3: string) => {
    const p = books.ref.parties.find((x) => x.iso3 === iso3);
    return p?.entryIntoForce !== undefined && boundDuring({ from: p.entryIntoForce, until: p.withdrawalEffective }, opts.year);
  };
  const participants = listed ?? books.ref.parties.filter((p) => bound(p.iso3)).map((p) => p.iso3);
  const inMeeting = new Set(participants);
  const rateOf = (iso3: string) => books.ref.scale.rates.get(iso3)?.get(column);
  // States not party that could take part: UN members with a rate, not bound, not already in.
  const candidates = [...books.ref.scale.rates.keys()].filter((k) => !bound(k) && !inMeeting.has(k) && rateOf(k) !== undefined);
  const bySize = (order: 'largest' | 'smallest') => [...candidates].sort((a, b) => rateOf(b)!.comparedTo(rateOf(a)!) * (order === 'largest' ? 1 : -1) || cmp(a, b));
  const run = (iso3s: string[]) => {
    const { payers } = participantsAsPayers(books.ref, policy, column, iso3s, opts.year);
    return apportion({ year: opts.year, budget: opts.estimate, policy: { ...policy, proRata: 'none' }, payers, scaleColumn: column });
  };
  const base = run(participants);
  if (!base.result) return { problems: [...problems, ...base.problems.map((p) => (p.file ? p : { ...p, ...pf.locate(p.field) }))] };
  const steps: { id: string; title: string; added: string[] }[] = [];
  for (const spec of opts.nonParties) {
    if ('iso3' in spec) {
      for (const k of spec.iso3)
        if (bound(k) || inMeeting.has(k)) problems.push(problem('argument-invalid', `--non-parties: ${k} is ${bound(k) ? `a State Party in ${opts.year}` : 'already a participant'}`, { hint: 'list States not party to the Convention' }));
        else if (rateOf(k) === undefined) problems.push(problem('argument-invalid', `--non-parties: ${k} has no UN rate in ${column}`, { hint: 'States not party share by their UN rate' }));
      steps.push({ id: `+${spec.iso3.join('+')}`, title: `with ${spec.iso3.join(', ')} (not party)`, added: spec.iso3 });
      continue;
    }
    const list = bySize(spec.order).slice(0, spec.count);
    list.forEach((_, k) => steps.push({ id: `+${k + 1}-${spec.order}`, title: `with the ${k + 1} ${spec.order} States not party by UN rate (${list.slice(0, k + 1).join(', ')})`, added: list.slice(0, k + 1) }));
  }
  if (problems.some(isError)) return { problems };
  const results = steps.map((s) => ({ s, r: run([...participants, ...s.added]) }));
  for (const { r } of results) if (!r.result) problems.push(...r.problems.map((p) => (p.file ? p : { ...p, ...pf.locate(p.field) })));
  if (problems.some(isError)) return { problems };
  const seen = new Set<string>();
  const named = results.filter(({ s }) => !seen.has(s.id) && !!seen.add(s.id)).map(({ s, r }) => ({ id: s.id, title: s.title, kind: 'article14' as const, changes: [`join the meeting: ${s.added.join(', ')}`], result: r.result! }));
  const title = `${participants.length} participants${listed ? '' : ` (the States Parties of ${opts.year})`}`;
  const { states, places, baseline, scenarios } = lineUp({ title, file: reader.reportName(opts.policy), result: base.result }, named, regions, opts.smallBelow, opts.sameWithin);
  return {
    simulation: {
      year: opts.year,
      currency: policy.currency,
      budget: opts.estimate,
      budgetSource: 'command line',
      unit: D(`1e-${places}`),
      policyFile: reader.reportName(opts.policy),
      states,
      baseline,
      scenarios,
      article14: { participants: participants.length, column },
      smallBelow: opts.smallBelow,
      inputs: reader.list(),
      notes: [sameNote(opts.sameWithin, policy.currency)],
    },
    problems,
  };
}
