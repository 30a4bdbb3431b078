/**
 * `finproc pledges`: a year's pledges against the payments received, by purpose (docs/ledger.md).
 */
import { Option, type Command } from 'commander';
import path from 'node:path';
import { pledgeBook, RateTable } from '../../core/pledges.js';
import { pledgesCsv, pledgesJson, pledgesText } from '../../render/ledger.js';
import { rateMissing } from '../../io/ledger.js';
import { ledgerJob } from '../../io/job.js';
import type { CsvDialect } from '../../render/csv.js';
import { namesOf, yearArg } from '../args.js';
import type { Cli } from '../context.js';

export function register(program: Command, cli: Cli): void {
  const { io, report, fail, emit, booksDir, dateOpt, booksOpt } = cli;
  program
    .command('pledges')
    .summary("a year's pledges against payments, by purpose")
    .description('The pledges made for a year (ISU budget, sponsorship programme, capital reserve, meeting costs) against the payments received, with what is still outstanding (valued in CHF at the as-of rate for other currencies), overdue pledges, and voluntary contributions received without a pledge. Rules: docs/ledger.md.')
    .requiredOption('--year <yyyy>', 'the year the pledges are for', yearArg)
    .addOption(dateOpt('--as-of', 'count payments received on or before this date (default: 31 December of --year)'))
    .addOption(booksOpt())
    .addOption(new Option('--purpose <purpose>', 'only this purpose').choices(['isu', 'sponsorship', 'reserve', 'meeting']))
    .addOption(new Option('--format <format>', 'output format (default: table, or from the --out file extension)').choices(['table', 'csv', 'json', 'md']))
    .addOption(new Option('--csv-dialect <dialect>', 'CSV dialect').choices(['rfc4180', 'excel']).default('rfc4180'))
    .option('--out <path>', 'write to a file (format from its extension), or to a directory (every format)')
    .addHelpText('after', '\nExamples:\n  finproc pledges --year 2025\n  finproc pledges --year 2026 --as-of 2026-08-18 --purpose sponsorship')
    .action((o: { year: number; asOf?: string; books: string; purpose?: string; format?: string; csvDialect: CsvDialect; out?: string }) => {
      const asOf = o.asOf ?? `${o.year}-12-31`;
      const { books, ledger, reader, problems } = ledgerJob({ books: booksDir(o.books), cwd: io.cwd, uses: ['pledges', 'payments'] });
      if (!books || !ledger) fail(problems);
      const pledges = ledger!.pledges.filter((p) => p.year === o.year && (!o.purpose || p.purpose === o.purpose));
      const payments = ledger!.ledger.payments.filter((p) => (!o.purpose || p.purpose === o.purpose) && (p.purpose === 'sponsorship' || p.purpose === 'reserve' ? p.received.slice(0, 4) === String(o.year) || pledges.some((x) => x.id === p.pledge) : true));
      const b = pledgeBook(pledges, payments, new RateTable(ledger!.rates), asOf);
      const missing = b.missing.map((x) => rateMissing(x, reader.display(path.join(books!.dir, 'exchange-rates.csv'))));
      if (missing.length) fail([...problems, ...missing]);
      report(problems);
      const ctx = { names: namesOf(books!), inputs: reader.list() };
      emit(o, `pledges-${o.year}`, (fmt) => (fmt === 'csv' ? pledgesCsv(b, o.csvDialect) : fmt === 'json' ? pledgesJson(b, o.year, asOf, ctx) : pledgesText(b, o.year, asOf, fmt === 'md')), { table: '.txt', csv: '.csv', json: '.json', md: '.md' });
    });
}
