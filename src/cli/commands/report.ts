/**
 * `finproc report`: the financial report to the Meeting of States Parties as of a date — the
 * status of contributions, the capital reserve, the sponsorship programme and budget against
 * actual (docs/report.md). Each part is the computation of its own command (arrears,
 * statement, cashflow, sponsorship) on the same books and date.
 * load → compute → render → write.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { arrearsReport } from '../../core/arrears.js';
import { cashflow, reserveRule } from '../../core/cashflow.js';
import { eventsByState } from '../../core/ledger.js';
import { pledgeBook, RateTable } from '../../core/pledges.js';
import { isError } from '../../core/problem.js';
import { financialReport, type FinancialReport } from '../../core/report.js';
import { sponsorship } from '../../core/sponsorship.js';
import { loadCashflowBooks, yearPlanNeeds } from '../../io/cashflow.js';
import { ledgerJob, readYearPolicy } from '../../io/job.js';
import { rateMissing } from '../../io/ledger.js';
import type { CsvDialect } from '../../render/csv.js';
import type { ReportContext, TableId } from '../../render/report.js';
import { namesOf, UsageError, yearArg } from '../args.js';
import type { Cli } from '../context.js';
import { terminalWidth } from '../output.js';
import { chromiumFor, startPdf } from './invoice.js';

const FORMATS = ['table', 'csv', 'json', 'md', 'html', 'pdf', 'xlsx'] as const;
type Format = (typeof FORMATS)[number];
const EXT: Record<Format, string> = { table: '.txt', csv: '.csv', json: '.json', md: '.md', html: '.html', pdf: '.pdf', xlsx: '.xlsx' };
const BINARY = new Set<Format>(['pdf', 'xlsx']);
/** What --out DIR writes without --format: every format but PDF (which needs Chromium). */
const DIR_DEFAULT: Format[] = ['table', 'csv', 'json', 'md', 'html', 'xlsx'];
const TABLES = ['states', 'contributions', 'years', 'art19', 'reserve', 'sponsorship', 'meetings', 'budget', 'budget-months'] as const;

function formatsArg(v: string): Format[] {
  const fs = v.split(',').map((s) => s.trim());
  for (const f of fs) if (!(FORMATS as readonly string[]).includes(f)) throw new UsageError(`--format ${v}: expected ${FORMATS.join(', ')}, or several separated by commas with a directory --out (e.g. html,pdf,xlsx)`);
  return [...new Set(fs)] as Format[];
}

interface Opts {
  asOf: string;
  year?: number;
  books: string;
  policy?: string;
  format?: Format[];
  table?: TableId;
  csvDialect: CsvDialect;
  out?: string;
}

export function register(program: Command, cli: Cli): void {
  program
    .command('report')
    .summary('financial report to the Meeting of States Parties')
    .description(
      "The financial report as of a date, for the Meeting of States Parties and the finance committee: the status of contributions (per State and assessment year: assessed, received, outstanding; totals and the collection rate per year; the States under Art. 19 conditions; each State's balance on 1 January, what it was assessed and paid in the year, and its balance on --as-of), the capital reserve month by month, the sponsorship programme, and budget against actual per budget line (expenditure.csv against expenditure-plan.csv). Each part is what arrears, statement, cashflow and sponsorship give for the same books and date. Formats: table, md, json, csv (one table, --table), html and pdf (one self-contained document), xlsx (one sheet per table, numbers with a number format). Rules: docs/report.md.",
    )
    .addOption(cli.dateOpt('--as-of', 'the date of the report (YYYY-MM-DD)').makeOptionMandatory())
    .option('--year <yyyy>', 'the budget year reported on (default: the year of --as-of)', yearArg)
    .addOption(cli.booksOpt())
    .option('--policy <file>', 'the policy whose reserve key applies (default: the one budgets.csv names for the year)')
    .addOption(new Option('--format <format>', `${FORMATS.join('|')} (default: table, or from the --out file extension); with a directory --out, several: html,pdf,xlsx`).argParser(formatsArg))
    .addOption(new Option('--table <table>', 'with --format csv: the table to write (default: states; a directory --out writes them all)').choices([...TABLES]))
    .addOption(new Option('--csv-dialect <dialect>', 'CSV dialect').choices(['rfc4180', 'excel']).default('rfc4180'))
    .option('--out <path>', 'write to a file (format from its extension: .txt .csv .json .md .html .pdf .xlsx), or to a directory (table, csv, json, md, html and xlsx; pdf too when --format names it)')
    .addHelpText(
      'after',
      `
Examples:
  finproc report --as-of 2026-08-18                                  the report on the terminal
  finproc report --as-of 2026-08-18 --out report-2026.xlsx           the workbook for the finance committee
  finproc report --as-of 2026-08-18 --out report-2026.pdf            the meeting's document (needs Debian chromium)
  finproc report --as-of 2026-08-18 --format csv --table budget      budget against actual as CSV
  finproc report --as-of 2026-08-18 --out msp-report --format html,pdf,xlsx,json

Books: the ledger, expenditure-plan.csv and opening-balances.csv (as for cashflow), expenditure.csv
(actual spending by month and budget line) and sponsored-delegates.csv.`,
    )
    .action(async (o: Opts) => {
      const year = o.year ?? Number(o.asOf.slice(0, 4));
      if (year > Number(o.asOf.slice(0, 4))) throw new UsageError(`--year ${year} is after --as-of ${o.asOf}: a report is on a year begun by its date`);
      const target = o.out ? path.resolve(cli.io.cwd, o.out) : undefined;
      const ext = target ? path.extname(target).toLowerCase() : '';
      const isDir = target !== undefined && ((existsSync(target) && statSync(target).isDirectory()) || ext === '');
      const byExt = Object.fromEntries(Object.entries(EXT).map(([f, e]) => [e, f as Format]));
      let formats: Format[];
      if (isDir) formats = o.format ?? DIR_DEFAULT;
      else {
        if (o.format && o.format.length > 1) throw new UsageError('--format with several formats goes with a directory --out (e.g. --out msp-report --format html,pdf)');
        const fromExt = target ? byExt[ext] : undefined;
        if (target && !o.format && !fromExt) throw new UsageError(`--out ${o.out}: cannot tell the format from "${ext}"; use one of ${Object.values(EXT).join(' ')}, or add --format`);
        if (o.format && fromExt && fromExt !== o.format[0]) throw new UsageError(`--format ${o.format[0]} does not match --out ${o.out}: use a ${EXT[o.format[0]!]} file name, or leave --format out`);
        formats = [o.format?.[0] ?? fromExt ?? 'tty'] as Format[];
        if (!target && BINARY.has(formats[0]!) && cli.io.stdout.isTTY) throw new UsageError(`--format ${formats[0]} is a binary file: add --out report${EXT[formats[0]!]} (or redirect standard output to a file)`);
      }
      if (o.table && (isDir || formats[0] !== 'csv')) throw new UsageError(`--table goes with --format csv (or a .csv --out file)${isDir ? '; a directory --out writes every table' : ''}`);
      const chromium = chromiumFor(formats, cli.io.env);

      const { report: r, ctx } = load(cli, o, year);
      const R = await import('../../render/report.js');
      const render = async (f: Format | 'tty', table: TableId = o.table ?? 'states'): Promise<string | Uint8Array> => {
        switch (f) {
          case 'csv':
            return R.reportCsv(r, ctx, table, o.csvDialect);
          case 'json':
            return R.reportJson(r, ctx);
          case 'md':
            return R.reportMarkdown(r, ctx);
          case 'html':
            return R.reportHtml(r, ctx);
          case 'xlsx':
            return (await import('../../render/report-xlsx.js')).reportXlsx(r, ctx);
          case 'pdf': {
            const pdf = await startPdf(chromium!);
            try {
              return await pdf.render(R.reportHtml(r, ctx));
            } finally {
              await pdf.close();
            }
          }
          default:
            return R.reportTable(r, ctx, f === 'tty' ? { bold: cli.out.bold } : undefined, target ? undefined : terminalWidth(cli.io.stdout, cli.io.env));
        }
      };
      if (!target) {
        const content = await render(formats[0]!);
        if (typeof content === 'string') cli.say(content);
        else cli.io.stdout.write(content);
        return;
      }
      const files: { path: string; content: string | Uint8Array }[] = [];
      if (!isDir) files.push({ path: target, content: await render(formats[0]!) });
      else {
        const base = path.join(target, `report-${r.asOf}`);
        for (const f of formats) {
          if (f === 'csv') for (const t of TABLES) files.push({ path: `${base}-${t}.csv`, content: await render('csv', t) });
          else files.push({ path: `${base}${EXT[f]}`, content: await render(f) });
        }
      }
      cli.write(files);
      if (cli.io.stdout.isTTY) cli.say(`${R.headline(r)}\nWrote ${files.map((f) => cli.shown(f.path)).join(', ')}\n`);
      else if (cli.verbose) cli.say(`wrote ${files.map((f) => cli.shown(f.path)).join(', ')}\n`);
    });
}

/** The books, and each part computed as its own command computes it for the same date. */
function load(cli: Cli, o: Opts, year: number): { report: FinancialReport; ctx: ReportContext } {
  const dir = cli.booksDir(o.books);
  const policyOverride = cli.policyFile(o.policy);
  const { books, ledger, reader, problems } = ledgerJob({ books: dir, cwd: cli.io.cwd });
  if (!books || !ledger) cli.fail(problems);
  const cf = loadCashflowBooks(books!, reader, problems);
  const pf = readYearPolicy(books!, reader, year, policyOverride, problems);
  if (!cf || !pf?.policy || problems.some(isError)) cli.fail(problems);
  const { need, opening } = yearPlanNeeds(cf!, year, 'report');
  if (need.length) cli.fail([...problems, ...need]);

  const asOf = o.asOf;
  const L = ledger!;
  const rates = new RateTable(L.rates);
  const rateFile = reader.display(path.join(dir, 'exchange-rates.csv'));
  // The pledges as each command takes them: all (arrears), isu and reserve (cashflow), sponsorship.
  const all = pledgeBook(L.pledges, L.ledger.payments, rates, asOf);
  const cash = pledgeBook(L.pledges.filter((p) => p.purpose === 'isu' || p.purpose === 'reserve'), L.ledger.payments, rates, asOf);
  const spons = pledgeBook(L.pledges.filter((p) => p.purpose === 'sponsorship'), L.ledger.payments, rates, asOf);
  const missing = [...cash.missing, ...spons.missing];
  if (missing.length) cli.fail([...problems, ...missing.map((x) => rateMissing(x, rateFile))]);
  cli.report(problems);

  const events = eventsByState(L.ledger);
  const arrears = arrearsReport({ ledger: L.ledger, asOf, pledges: all.statuses, events });
  const actual = cf!.present.actual ? cf!.actual : undefined;
  const projection = cashflow({ year, asOf, ledger: L.ledger, pledges: cash.statuses, plan: cf!.plan, ...(actual ? { actual } : {}), opening: opening!, rule: reserveRule(pf!.policy!.reserve) });
  const programme = sponsorship({ year, asOf, payments: L.ledger.payments, pledges: spons.statuses, delegates: cf!.delegates });
  const budget = books!.budgets.find((b) => b.year === year);
  const report = financialReport({ year, asOf, arrears, events, cashflow: projection, sponsorship: programme, plan: cf!.plan, actual, adopted: budget ? BigInt(budget.amount.toFixed(2).replace('.', '')) : null });
  return { report, ctx: { names: namesOf(books!), inputs: reader.list(), policyFile: reader.reportName(pf!.file) } };
}
