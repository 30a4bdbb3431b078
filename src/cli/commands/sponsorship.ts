/**
 * `finproc sponsorship`: the sponsorship programme's contributions against the delegates it
 * sponsored (docs/cashflow.md, "Sponsorship programme"). load → compute → render → write.
 */
import path from 'node:path';
import { Option, type Command } from 'commander';
import { pledgeBook, RateTable } from '../../core/pledges.js';
import { isError, problem } from '../../core/problem.js';
import { sponsorship } from '../../core/sponsorship.js';
import { latestPayment } from '../../core/cashflow.js';
import { CASHFLOW_FILES, loadCashflowBooks } from '../../io/cashflow.js';
import { ledgerJob } from '../../io/job.js';
import { rateMissing } from '../../io/ledger.js';
import type { CsvDialect } from '../../render/csv.js';
import { namesOf, yearArg } from '../args.js';
import type { Cli } from '../context.js';

export function register(program: Command, cli: Cli): void {
  program
    .command('sponsorship')
    .summary('sponsorship funds against delegates and their cost')
    .description(
      "The sponsorship programme of a year: contributions received and pledged (purpose sponsorship) against the delegates sponsored (sponsored-delegates.csv) and their cost; the average cost per delegate; the funds in hand (all contributions received less all delegate costs, up to --as-of) and how many delegates they cover at that average for the next meeting; the same figures for every year of the books. Rules: docs/cashflow.md.",
    )
    .requiredOption('--year <yyyy>', 'the year of the programme', yearArg)
    .addOption(cli.dateOpt('--as-of', 'count what happened on or before this date (default: the latest payment or delegate in the books, at most 31 December of --year)'))
    .addOption(cli.booksOpt())
    .addOption(new Option('--format <format>', 'output format (default: table, or from the --out file extension)').choices(['table', 'csv', 'json', 'md']))
    .addOption(new Option('--csv-dialect <dialect>', 'CSV dialect').choices(['rfc4180', 'excel']).default('rfc4180'))
    .option('--out <path>', 'write to a file (format from its extension), or to a directory (every format)')
    .addHelpText('after', '\nExamples:\n  finproc sponsorship --year 2025\n  finproc sponsorship --year 2026 --as-of 2026-08-18 --format json\n  finproc sponsorship --year 2026 --format csv --out sponsorship.csv   (the figures of every year)')
    .action(async (o: { year: number; asOf?: string; books: string; format?: string; csvDialect: CsvDialect; out?: string }) => {
      const { sponsorshipCsv, sponsorshipJson, sponsorshipMarkdown, sponsorshipTable } = await import('../../render/sponsorship.js');
      const dir = cli.booksDir(o.books);
      const { books, ledger, reader, problems } = ledgerJob({ books: dir, cwd: cli.io.cwd, uses: ['payments'] });
      if (!books || !ledger) cli.fail(problems);
      const cf = loadCashflowBooks(books!, reader, problems);
      if (!cf || problems.some(isError)) cli.fail(problems);
      if (!cf!.present.delegates)
        cli.fail([...problems, problem('file-missing', 'file not found', { file: cf!.display.delegates, hint: `finproc sponsorship needs ${CASHFLOW_FILES.delegates} in the books directory: one row per sponsored State and meeting, columns meeting,date,iso3,delegates,cost (see data/README.md)` })]);
      let asOf = o.asOf;
      if (!asOf) {
        const end = `${o.year}-12-31`;
        let latest = latestPayment(ledger!.ledger);
        for (const d of cf!.delegates) if (d.date > latest) latest = d.date;
        asOf = latest === '' || latest > end ? end : latest;
      }
      const book = pledgeBook(ledger!.pledges.filter((p) => p.purpose === 'sponsorship'), ledger!.ledger.payments, new RateTable(ledger!.rates), asOf);
      if (book.missing.length)
        cli.fail([...problems, ...book.missing.map((x) => rateMissing(x, reader.display(path.join(dir, 'exchange-rates.csv'))))]);
      cli.report(problems);
      const r = sponsorship({ year: o.year, asOf, payments: ledger!.ledger.payments, pledges: book.statuses, delegates: cf!.delegates });
      const ctx = { names: namesOf(books!), inputs: reader.list(), ...(o.asOf ? {} : { asOfNote: `as of ${asOf}, the latest record in the books; pass --as-of to choose the date` }) };
      cli.emit(o, `sponsorship-${o.year}`, (fmt) => (fmt === 'csv' ? sponsorshipCsv(r, o.csvDialect) : fmt === 'json' ? sponsorshipJson(r, ctx) : fmt === 'md' ? sponsorshipMarkdown(r, ctx) : sponsorshipTable(r, ctx, fmt === 'tty' ? { bold: cli.out.bold } : undefined)), { table: '.txt', csv: '.csv', json: '.json', md: '.md' });
    });
}
