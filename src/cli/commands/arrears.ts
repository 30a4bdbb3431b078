/**
 * `finproc arrears`: what each State owes on a date, by year and age (docs/ledger.md).
 */
import { Option, type Command } from 'commander';
import { arrearsReport } from '../../core/arrears.js';
import { pledgeBook, RateTable } from '../../core/pledges.js';
import { arrearsCsv, arrearsJson, arrearsMarkdown, arrearsSummary, arrearsTable } from '../../render/ledger.js';
import { ledgerJob } from '../../io/job.js';
import type { CsvDialect } from '../../render/csv.js';
import { bucketsArg, namesOf } from '../args.js';
import type { Cli } from '../context.js';

export function register(program: Command, cli: Cli): void {
  const { io, out, report, fail, emit, booksDir, dateOpt, booksOpt } = cli;
  program
    .command('arrears')
    .summary('what each State owes, by year and age, on a date')
    .description(
      'Outstanding assessments per State and assessment year as of a date, aged by year and by days past due, with flags (arrears, art19, never-paid, credit, pledge-overdue), totals and the collection rate per year. Only records dated on or before --as-of count, so the same books give the same bytes for the same date, whenever it is run. Rules: docs/ledger.md.',
    )
    .addOption(dateOpt('--as-of', 'the date of the report (YYYY-MM-DD)').makeOptionMandatory())
    .addOption(booksOpt())
    .addOption(new Option('--format <format>', 'output format (default: table, or from the --out file extension)').choices(['table', 'csv', 'json', 'md']))
    .addOption(new Option('--csv-dialect <dialect>', 'CSV dialect').choices(['rfc4180', 'excel']).default('rfc4180'))
    .option('--buckets <days>', 'ageing buckets in days past due, ascending (e.g. 30,90,180,365)', bucketsArg)
    .addOption(new Option('--fail-on <condition>', 'exit with status 4 if any State is in arrears, or at or above the Art. 19 threshold').choices(['arrears', 'art19']))
    .option('--out <path>', 'write to a file (format from its extension), or to a directory (every format)')
    .addHelpText('after', '\nExamples:\n  finproc arrears --as-of 2026-08-18\n  finproc arrears --as-of 2025-12-31 --format csv --csv-dialect excel --out arrears-2025.csv\n  finproc arrears --as-of 2026-08-18 --buckets 30,60,90 --format json\n  finproc arrears --as-of 2026-08-18 --fail-on art19 > /dev/null   (exit status 4 if any State is at the threshold)')
    .action((o: { asOf: string; books: string; format?: string; csvDialect: CsvDialect; buckets?: number[]; failOn?: 'arrears' | 'art19'; out?: string }) => {
      // The accounts are replayed while the payments are read; a payments file out of date
      // order for some State is read a second time, the ordinary way.
      const dir = booksDir(o.books);
      let job = ledgerJob({ books: dir, cwd: io.cwd, need: ['assessments'], uses: ['payments'], stream: { asOf: o.asOf } });
      if (job.ledger && !job.ledger.accounts) job = ledgerJob({ books: dir, cwd: io.cwd, need: ['assessments'], uses: ['payments'] });
      const { books, ledger, reader, problems } = job;
      if (!books || !ledger) fail(problems);
      report(problems);
      const pledges = pledgeBook(ledger!.pledges, ledger!.ledger.payments, new RateTable(ledger!.rates), o.asOf);
      const r = arrearsReport({ ledger: ledger!.ledger, asOf: o.asOf, pledges: pledges.statuses, ...(ledger!.accounts ? { accounts: ledger!.accounts } : {}), ...(o.buckets ? { buckets: o.buckets } : {}) });
      const ctx = { names: namesOf(books!), inputs: reader.list() };
      emit(o, `arrears-${o.asOf}`, (fmt) => (fmt === 'csv' ? arrearsCsv(r, ctx, o.csvDialect) : fmt === 'json' ? arrearsJson(r, ctx) : fmt === 'md' ? arrearsMarkdown(r, ctx) : arrearsTable(r, ctx, fmt === 'tty' ? { bold: out.bold } : undefined)), { table: '.txt', csv: '.csv', json: '.json', md: '.md' }, (w) => arrearsSummary(r, w));
      if (o.failOn && r.states.some((s) => s.flags.includes(o.failOn!))) cli.code = 4;
    });
}
