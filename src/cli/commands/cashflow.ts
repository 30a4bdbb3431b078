/**
 * `finproc cashflow`: the year's operating cash month by month against the capital reserve,
 * and with --stress a Monte Carlo over the States' payment dates (docs/cashflow.md).
 * load → compute → render → write.
 */
import path from 'node:path';
import { Option, type Command } from 'commander';
import { cashflow, defaultAsOf, latestPayment, reserveRule, type CashflowReport } from '../../core/cashflow.js';
import { centsToString } from '../../core/ledger.js';
import { pledgeBook, RateTable } from '../../core/pledges.js';
import { isError } from '../../core/problem.js';
import type { StressReport } from '../../core/stress.js';
import { loadCashflowBooks, yearPlanNeeds } from '../../io/cashflow.js';
import { ledgerJob, readYearPolicy } from '../../io/job.js';
import { rateMissing } from '../../io/ledger.js';
import type { CashflowContext } from '../../render/cashflow.js';
import type { CsvDialect } from '../../render/csv.js';
import { namesOf, UsageError, yearArg } from '../args.js';
import type { Cli } from '../context.js';
import { emitsFormat, terminalWidth } from '../output.js';

const MAX_RUNS = 1_000_000;

export function runsArg(v: string): number {
  if (!/^[1-9]\d{0,6}$/.test(v) || Number(v) > MAX_RUNS) throw new UsageError(`--stress ${v}: expected a whole number of runs from 1 to ${MAX_RUNS}, e.g. 10000`);
  return Number(v);
}
export function seedArg(v: string): number {
  if (!/^(0|[1-9]\d{0,9})$/.test(v) || Number(v) > 0xffffffff) throw new UsageError(`--seed ${v}: expected a whole number from 0 to 4294967295`);
  return Number(v);
}

interface Opts {
  year?: number;
  asOf?: string;
  books: string;
  policy?: string;
  format?: string;
  csvDialect: CsvDialect;
  out?: string;
  failOn?: 'draw' | 'gap';
  stress?: number;
  seed?: number;
  receipts?: boolean;
}

export function register(program: Command, cli: Cli): void {
  program
    .command('cashflow')
    .summary('cash by month against the capital reserve')
    .description(
      "Project the year's operating cash month by month: opening cash, expected receipts, spending (the actual spending of expenditure.csv for the months ended on or before --as-of, else the plan of expenditure-plan.csv), closing cash before the reserve, reserve drawn or repaid, reserve balance and any gap the reserve cannot cover. Receipts are the payments received up to --as-of, then open pledges at their expected dates and each State's unpaid assessment at the date its own payment history predicts. Flags the first month the reserve is drawn, the largest draw, uncovered months, and the contributions needed to restore the reserve to its target. With --stress N, N runs draw each State's payment date from its history and report the probability of a draw or a gap and P10/P50/P90 bands of month-end cash. Rules: docs/cashflow.md.",
    )
    .option('--year <yyyy>', 'the year to project (default: the year of --as-of, else of the latest payment in the books)', yearArg)
    .addOption(cli.dateOpt('--as-of', 'receipts up to this date are actual, later ones expected (default: the latest payment in the books, at most 31 December of --year)'))
    .addOption(cli.booksOpt())
    .option('--policy <file>', 'the policy whose reserve key applies (default: the one budgets.csv names for the year)')
    .addOption(new Option('--format <format>', 'output format (default: table with a chart, or from the --out file extension)').choices(['table', 'csv', 'json', 'md', 'html']))
    .addOption(new Option('--csv-dialect <dialect>', 'CSV dialect').choices(['rfc4180', 'excel']).default('rfc4180'))
    .option('--out <path>', 'write to a file (format from its extension), or to a directory (every format)')
    .addOption(new Option('--fail-on <condition>', 'exit with status 4 if the reserve is drawn (draw) or a gap remains uncovered (gap)').choices(['draw', 'gap']))
    .option('--stress <runs>', 'Monte Carlo: this many runs over payment dates drawn from each State’s history (e.g. 10000)', runsArg)
    .option('--receipts', 'in the table: list every receipt expected after --as-of (by default one line counts them; md, html and json always list them)')
    .option('--seed <n>', 'with --stress: the seed of the random numbers (default 1); the same seed gives the same output', seedArg)
    .addHelpText(
      'after',
      `
Examples:
  finproc cashflow --year 2026                              month by month, flags and a chart
  finproc cashflow --year 2026 --as-of 2026-06-30 --format html --out cashflow-2026.html
  finproc cashflow --year 2026 --format json --out cashflow-2026.json
  finproc cashflow --year 2026 --stress 10000 --seed 42     probabilities and P10/P50/P90 bands
  finproc cashflow --stress 10000 --seed 42                 the same for the year of the latest payment
  finproc cashflow --year 2026 --fail-on gap > /dev/null    exit status 4 if the reserve cannot cover a month

Books: expenditure-plan.csv (month,line,amount), expenditure.csv (actual spending, the same columns; optional)
and opening-balances.csv (year,operating_cash,reserve) besides the ledger; the reserve target is the policy's reserve key (default CHF 400,000).`,
    )
    .action(async (o: Opts) => {
      if (o.seed !== undefined && o.stress === undefined) throw new UsageError('--seed goes with --stress N');
      // Loaded here, not at start-up: only this command draws the chart and runs the stress test.
      const { cashflowChart, cashflowCsv, cashflowHtml, cashflowJson, cashflowMarkdown, cashflowTable } = await import('../../render/cashflow.js');
      const { report: r, ctx } = load(cli, o);
      let st: StressReport | undefined;
      if (o.stress !== undefined) st = await runStress(cli, r, o.stress, o.seed ?? 1);
      // The chart only when the HTML is written: Vega renders it asynchronously, before emit.
      const chart = emitsFormat(o, cli.io.cwd, 'html', '.html') ? await cashflowChart(r, st) : undefined;
      const render = (fmt: string) =>
        fmt === 'csv' ? cashflowCsv(r, o.csvDialect, st) : fmt === 'json' ? cashflowJson(r, ctx, st) : fmt === 'md' ? cashflowMarkdown(r, ctx, st) : fmt === 'html' ? cashflowHtml(r, ctx, st, chart) : cashflowTable(r, ctx, fmt === 'tty' ? { bold: cli.out.bold, red: cli.out.red, yellow: cli.out.yellow } : undefined, st, { receipts: o.receipts === true, ...(o.out ? {} : { width: terminalWidth(cli.io.stdout, cli.io.env) }) });
      cli.emit(o, `cashflow-${r.year}${st ? '-stress' : ''}`, render, { table: '.txt', csv: '.csv', json: '.json', md: '.md', html: '.html' });
      if (o.failOn === 'gap' && r.flags.uncovered.length > 0) cli.code = 4;
      if (o.failOn === 'draw' && r.flags.firstDraw) cli.code = 4;
    });
}

function load(cli: Cli, o: Opts): { report: CashflowReport; ctx: CashflowContext } {
  const dir = cli.booksDir(o.books);
  const policyOverride = cli.policyFile(o.policy);
  const { books, ledger, reader, problems } = ledgerJob({ books: dir, cwd: cli.io.cwd, uses: ['payments'] });
  if (!books || !ledger) cli.fail(problems);
  // No --year: the year of --as-of, else of the latest payment in the books (never the clock).
  const latest = o.asOf ?? latestPayment(ledger!.ledger);
  if (o.year === undefined && latest === '') throw new UsageError('--year is needed: the books have no payment to take the year from');
  const year = o.year ?? Number(latest.slice(0, 4));
  const cf = loadCashflowBooks(books!, reader, problems);
  const pf = readYearPolicy(books!, reader, year, policyOverride, problems);
  if (!cf || !pf?.policy || problems.some(isError)) cli.fail(problems);
  const { need, opening } = yearPlanNeeds(cf!, year, 'cashflow');
  if (need.length) cli.fail([...problems, ...need]);
  const asOf = o.asOf ?? defaultAsOf(ledger!.ledger, year);
  const rates = new RateTable(ledger!.rates);
  const book = pledgeBook(ledger!.pledges.filter((p) => p.purpose === 'isu' || p.purpose === 'reserve'), ledger!.ledger.payments, rates, asOf);
  if (book.missing.length)
    cli.fail([...problems, ...book.missing.map((x) => rateMissing(x, reader.display(path.join(dir, 'exchange-rates.csv'))))]);
  cli.report(problems);
  const report = cashflow({ year: year, asOf, ledger: ledger!.ledger, pledges: book.statuses, plan: cf!.plan, ...(cf!.present.actual ? { actual: cf!.actual } : {}), opening: opening!, rule: reserveRule(pf!.policy!.reserve) });
  const budget = books!.budgets.find((b) => b.year === year);
  const planTotal = report.planLines.reduce((a, l) => a + l.total, 0n);
  if (budget && budget.amount.toFixed(2) !== centsToString(planTotal))
    report.notes.push(`The expenditure plan adds up to ${centsToString(planTotal)}, the adopted budget of ${year} is ${budget.amount.toFixed(2)}.`);
  const ctx: CashflowContext = {
    names: namesOf(books!),
    inputs: reader.list(),
    policyFile: reader.reportName(pf!.file),
    ...(o.asOf ? {} : { asOfNote: `as of the latest payment in the books (${asOf}); pass --as-of to choose the date${o.year === undefined ? ` (and --year: ${year} is the year of that payment)` : ''}` }),
  };
  return { report, ctx };
}

/** The Monte Carlo, with a progress bar on a terminal for long runs. */
async function runStress(cli: Cli, r: CashflowReport, runs: number, seed: number): Promise<StressReport> {
  const { stress, StressBoundError } = await import('../../core/stress.js');
  try {
    return await stressWithBar(cli, r, runs, seed, stress);
  } catch (e) {
    if (e instanceof StressBoundError) throw new UsageError(`--stress: ${e.message}; the projection without --stress is exact at any size`);
    throw e;
  }
}

async function stressWithBar(cli: Cli, r: CashflowReport, runs: number, seed: number, stress: typeof import('../../core/stress.js').stress): Promise<StressReport> {
  const showBar = cli.io.stderr.isTTY === true && runs >= 20_000;
  if (!showBar) return stress(r, { runs, seed });
  const { SingleBar } = await import('cli-progress');
  const bar = new SingleBar({ stream: cli.io.stderr, format: 'stress test [{bar}] {percentage}% {value}/{total} runs', hideCursor: true, clearOnComplete: true }, undefined);
  bar.start(runs, 0);
  try {
    return stress(r, { runs, seed, onProgress: (done) => bar.update(done) });
  } finally {
    bar.stop();
  }
}
