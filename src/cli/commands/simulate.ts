/**
 * `finproc simulate`: alternative category splits, rules and memberships against the
 * baseline of a year, for the Review Conference (docs/simulate.md).
 * load → compute (src/io/simulate.ts) → render (src/render/simulation.ts) → write.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { D, type Decimal } from '../../core/decimal.js';
import { parseAmount } from '../../core/parse.js';
import type { NonPartySpec, SweepAxis } from '../../io/simulate.js';
import type { CsvDialect } from '../../render/csv.js';
import type { View } from '../../render/simulation.js';
import { amountArg, budgetArg, iso3Arg, UsageError, yearArg } from '../args.js';
import type { Cli } from '../context.js';
import { emitsFormat, terminalWidth } from '../output.js';

const CATEGORY = /^[a-z0-9][a-z0-9_-]*$/;

function percentArg(flag: string, v: string): Decimal {
  const r = parseAmount(v);
  if (!r.ok) throw new UsageError(`${flag}: ${r.message}; ${r.hint}`);
  if (r.value.gt(100)) throw new UsageError(`${flag}: ${v} is more than 100 %`);
  if (r.value.decimalPlaces() > 12) throw new UsageError(`${flag}: ${v} has more than 12 decimals`);
  return r.value;
}

/** `base=25,scale=75` → { base: "25", scale: "75" } (percent, as typed). */
export function splitArg(v: string, previous: Record<string, string>[] = []): Record<string, string>[] {
  const out: Record<string, string> = {};
  for (const part of v.split(',')) {
    const m = /^\s*([^=\s]+)\s*=\s*(\S+)\s*$/.exec(part);
    if (!m || !CATEGORY.test(m[1]!)) throw new UsageError(`--split ${v}: expected CATEGORY=PERCENT pairs separated by commas, e.g. base=25,scale=75`);
    if (m[1]! in out) throw new UsageError(`--split ${v}: ${m[1]} is named twice`);
    out[m[1]!] = percentArg(`--split ${m[1]}`, m[2]!).toFixed();
  }
  return [...previous, out];
}

/** `base=0..30:2.5` → one axis of the grid. */
export function sweepArg(v: string, previous: SweepAxis[] = []): SweepAxis[] {
  const m = /^([^=]+)=([^.]+(?:\.\d+)?)\.\.([^:]+):(.+)$/.exec(v.trim());
  if (!m || !CATEGORY.test(m[1]!)) throw new UsageError(`--sweep ${v}: expected CATEGORY=FROM..TO:STEP in percent, e.g. base=0..30:2.5`);
  const from = percentArg('--sweep FROM', m[2]!);
  const to = percentArg('--sweep TO', m[3]!);
  const step = percentArg('--sweep STEP', m[4]!);
  if (step.isZero()) throw new UsageError(`--sweep ${v}: the step must be more than zero`);
  if (from.gt(to)) throw new UsageError(`--sweep ${v}: FROM is above TO`);
  return [...previous, { category: m[1]!, from, to, step }];
}

function topArg(v: string): number {
  if (!/^[1-9]\d{0,5}$/.test(v)) throw new UsageError(`--top ${v}: expected a whole number of States, e.g. 10`);
  return Number(v);
}

/** `largest:5`, `smallest:5` (one scenario per step) or `USA,CHN` (one scenario). */
function nonPartiesArg(v: string, previous: NonPartySpec[] = []): NonPartySpec[] {
  const m = /^(largest|smallest):([1-9]\d{0,2})$/.exec(v.trim());
  if (m) return [...previous, { order: m[1] as 'largest' | 'smallest', count: Number(m[2]) }];
  if (!/^[A-Za-z]{3}(,[A-Za-z]{3})*$/.test(v.trim())) throw new UsageError(`--non-parties ${v}: expected largest:N, smallest:N, or ISO3 codes separated by commas (e.g. USA,CHN)`);
  return [...previous, { iso3: statesArg(v) }];
}

function statesArg(v: string): string[] {
  return v.split(',').map((x) => iso3Arg(x.trim()));
}

export function register(program: Command, cli: Cli): void {
  const { report, fail, emit, yearOptions, booksOpt, out } = cli;
  program
    .command('simulate')
    .summary('alternative splits and rules against the baseline')
    .description(
      "Set alternative policies against the year's baseline, State by State: named scenarios (small YAML files that override the policy, the membership or the scale), ad hoc splits between the categories, and sweeps over a grid of splits. For each scenario: every State's amount, difference and change in percent, and indicators (how many pay more or less, the largest increase, what the LDCs and the small contributors pay, the share of the five largest payers, the Herfindahl index, the minimum and the median). A scenario's amounts are exactly those apportion gives for the same policy. Scenarios: docs/simulate.md.",
    )
    .requiredOption('--year <yyyy>', 'budget year', yearArg)
    .addOption(booksOpt())
    .option('--policy <file>', 'baseline policy (default: the one budgets.csv names for the year)')
    .option('--budget <amount>', 'budget instead of the adopted one', budgetArg)
    .option('--scenario <files...>', 'scenario files (finproc.scenario/1), in the order shown')
    .option('--split <shares>', 'an ad hoc scenario: CATEGORY=PERCENT pairs, e.g. base=25,scale=75 (repeatable)', splitArg)
    .option('--sweep <grid>', 'a grid of splits: CATEGORY=FROM..TO:STEP in percent, e.g. base=0..30:1 (repeat for a grid over several categories)', sweepArg)
    .option('--absorb <category>', 'with --sweep: the category whose share takes the rest (default: the only other category with a share)')
    .addOption(new Option('--small-below <percent>', 'small contributors: States whose rate is below this percent').argParser((v: string) => percentArg('--small-below', v)).default(D('0.01'), '0.01'))
    .addOption(
      new Option('--same-within <amount>', 'a State whose amount moves by no more than this counts as paying the same (default: one rounding unit of the coarser policy, so that rounding alone is no change; 0 counts every move)').argParser((v: string) => {
        const r = parseAmount(v, { money: true });
        if (!r.ok) throw new UsageError(`--same-within: ${r.message}; ${r.hint}`);
        return r.value;
      }),
    )
    .option('--top <n>', 'only the N States whose amount moves most', topArg)
    .option('--states <iso3s>', 'only these States in the per-State tables, e.g. AUT,NER', statesArg)
    .addOption(new Option('--sort <order>', 'order of the per-State tables').choices(['iso3', 'baseline', 'change']).default('iso3'))
    .addOption(new Option('--group <by>', 'totals by group: LDC or not, or UN M49 region (regions.csv)').choices(['ldc', 'region']))
    .option('--meeting-estimate <amount>', 'Article 14 view: share this meeting-cost estimate among the participants, and see each share move as States not party join', (v: string) => amountArg('--meeting-estimate', v))
    .option('--participants <file>', 'with --meeting-estimate: CSV with an iso3 column (default: every State Party of the year)')
    .option('--non-parties <states>', 'with --meeting-estimate: largest:N or smallest:N (N scenarios, one more State not party by UN rate at each), or ISO3 codes (one scenario); repeatable', nonPartiesArg)
    .addOption(new Option('--format <format>', 'output format (default: table, or from the --out file extension)').choices(['table', 'csv', 'json', 'md', 'html']))
    .addOption(new Option('--table <table>', 'with CSV: which table (default: indicators with --sweep, else states)').choices(['states', 'indicators', 'groups']))
    .addOption(new Option('--csv-dialect <dialect>', 'CSV dialect').choices(['rfc4180', 'excel']).default('rfc4180'))
    .option('--out <path>', 'write to a file (format from its extension), or to a directory (every format; a summary on a terminal)')
    .addHelpText(
      'after',
      `
Examples:
  finproc simulate --year 2026 --split base=25,scale=75
  finproc simulate --year 2026 --scenario data/scenarios/*.yaml --top 10
  finproc simulate --year 2026 --scenario data/scenarios/ratify-10.yaml --group region
  finproc simulate --year 2026 --sweep base=0..40:1 --format html --out sweep.html
  finproc simulate --year 2026 --sweep base=0..40:0.5 --format csv --csv-dialect excel --out sweep.csv
  finproc simulate --year 2026 --meeting-estimate 450000.00 --non-parties largest:5 --non-parties smallest:5`,
    )
    .action(async (o: Options) => {
      if (o.absorb && !o.sweep) throw new UsageError('--absorb goes with --sweep');
      if (o.table === 'groups' && !o.group) throw new UsageError('--table groups needs --group ldc|region');
      if ((o.participants || o.nonParties) && !o.meetingEstimate) throw new UsageError('--participants and --non-parties go with --meeting-estimate (the Article 14 view)');
      if (o.meetingEstimate && (o.scenario || o.split || o.sweep || o.budget)) throw new UsageError('--meeting-estimate (the Article 14 view) compares participants, not policies: leave out --scenario, --split, --sweep and --budget');
      if (o.meetingEstimate && !o.nonParties) throw new UsageError('--meeting-estimate needs --non-parties largest:N, smallest:N or ISO3 codes: the States not party that join the meeting');
      if (!o.meetingEstimate && !o.scenario?.length && !o.split?.length && !o.sweep?.length) throw new UsageError('nothing to compare: give --scenario FILE, --split CAT=PCT,… or --sweep CAT=FROM..TO:STEP (or --meeting-estimate for the Article 14 view)');
      // Loaded here, not at start-up: only this command needs the simulation engine and charts.
      const [{ article14Job, simulateJob }, { simulationCharts, simulationCsv, simulationHtml, simulationJson, simulationMarkdown, simulationSummary, simulationTable }] = await Promise.all([import('../../io/simulate.js'), import('../../render/simulation.js')]);
      const base = yearOptions(o);
      const file = (flag: string, f: string) => {
        const p = cli.inputFile(f);
        if (!existsSync(p)) throw new UsageError(`${flag} ${f}: no such file`);
        if (statSync(p).isDirectory()) throw new UsageError(`${flag} ${f}: a directory, not a file (e.g. ${path.join(f, '*.yaml')})`);
        return p;
      };
      let job: ReturnType<typeof simulateJob>;
      if (o.meetingEstimate) {
        const policy = base.policy ?? path.join(base.books, 'policies', 'article14.yaml');
        if (!existsSync(policy)) throw new UsageError('no policies/article14.yaml in the books: give --policy FILE');
        job = article14Job({ books: base.books, cwd: base.cwd, year: o.year, estimate: o.meetingEstimate, policy, ...(o.participants ? { participants: file('--participants', o.participants) } : {}), nonParties: o.nonParties!, smallBelow: o.smallBelow, regions: o.group === 'region', ...(o.sameWithin ? { sameWithin: o.sameWithin } : {}) });
      } else {
        const scenarios = (o.scenario ?? []).map((f) => file('--scenario', f));
        job = simulateJob({
          ...base,
          scenarios,
          splits: o.split ?? [],
          ...(o.sweep ? { sweep: { axes: o.sweep, ...(o.absorb ? { absorb: o.absorb } : {}) } } : {}),
          smallBelow: o.smallBelow,
          ...(o.sameWithin ? { sameWithin: o.sameWithin } : {}),
          regions: o.group === 'region',
          sweepColumns: sweepColumnsNeeded(o, o.out !== undefined && existsSync(path.resolve(cli.io.cwd, o.out)) && statSync(path.resolve(cli.io.cwd, o.out)).isDirectory()),
        });
      }
      if (!job.simulation) fail(job.problems);
      report(job.problems);
      const s = job.simulation!;
      const unknown = (o.states ?? []).filter((x) => !s.states.some((st) => st.iso3 === x));
      if (unknown.length) throw new UsageError(`--states: ${unknown.join(', ')} ${unknown.length > 1 ? 'are' : 'is'} not among the States of this simulation (the payers of the baseline and of each scenario)`);
      const view: View = { sort: o.sort, ...(o.top !== undefined ? { top: o.top } : {}), ...(o.states ? { states: o.states } : {}), ...(o.group ? { group: o.group } : {}) };
      const table = o.table ?? (o.sweep ? 'indicators' : 'states');
      // Charts only when the HTML is written: Vega renders them asynchronously, before emit.
      const charts = emitsFormat(o, cli.io.cwd, 'html', '.html') ? await simulationCharts(s, view) : undefined;
      const render = (fmt: string) =>
        fmt === 'csv' ? simulationCsv(s, view, table, o.csvDialect) : fmt === 'json' ? simulationJson(s, view) : fmt === 'md' ? simulationMarkdown(s, view) : fmt === 'html' ? simulationHtml(s, view, charts) : simulationTable(s, view, fmt === 'tty' ? { bold: out.bold, up: out.red, down: out.green } : undefined, o.out ? undefined : terminalWidth(cli.io.stdout, cli.io.env));
      emit(o, `simulation-${s.year}`, render, { table: '.txt', csv: '.csv', json: '.json', md: '.md', html: '.html' }, (w) => simulationSummary(s, w, terminalWidth(cli.io.stdout, cli.io.env)));
    });
}

/**
 * Whether the output shows a sweep's amounts per State: JSON, the per-State or group CSV, or
 * every format (--out DIR). The tables, Markdown and HTML show the indicators along a sweep.
 */
function sweepColumnsNeeded(o: Options, outIsDir: boolean): boolean {
  const ext = o.out ? path.extname(o.out).toLowerCase() : undefined;
  const format = outIsDir ? 'all' : (o.format ?? (ext === undefined ? 'table' : ext === '' ? 'all' : ({ '.json': 'json', '.csv': 'csv' } as Record<string, string>)[ext] ?? 'table'));
  const table = o.table ?? 'indicators';
  return format === 'all' || format === 'json' || (format === 'csv' && table !== 'indicators');
}

interface Options {
  year: number;
  books: string;
  policy?: string;
  budget?: Decimal;
  scenario?: string[];
  split?: Record<string, string>[];
  sweep?: SweepAxis[];
  absorb?: string;
  meetingEstimate?: Decimal;
  participants?: string;
  nonParties?: NonPartySpec[];
  smallBelow: Decimal;
  sameWithin?: Decimal;
  top?: number;
  states?: string[];
  sort: View['sort'];
  group?: View['group'];
  format?: string;
  table?: 'states' | 'indicators' | 'groups';
  csvDialect: CsvDialect;
  out?: string;
}
