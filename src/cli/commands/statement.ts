/**
 * `finproc statement`: one State's account, reconciled line by line (docs/ledger.md).
 */
import { Option, type Command } from 'commander';
import { eventsByState, NO_EVENTS } from '../../core/ledger.js';
import { statement } from '../../core/statement.js';
import { currentInvoices } from '../../core/invoice.js';
import { isError } from '../../core/problem.js';
import path from 'node:path';
import { statementCsv, statementJson, statementMarkdown, statementText } from '../../render/ledger.js';
import { ledgerJob } from '../../io/job.js';
import type { CsvDialect } from '../../render/csv.js';
import { iso3Arg, namesOf, UsageError } from '../args.js';
import type { Cli } from '../context.js';

export function register(program: Command, cli: Cli): void {
  const { io, out, report, fail, emit, booksDir, dateOpt, booksOpt } = cli;
  program
    .command('statement')
    .summary("one State's account, reconciled line by line")
    .description(
      "A State's statement of account: the opening balance, every assessment, payment, allocation (which payment settled which invoice) and adjustment in the order the ledger applied them, each with the running balance, then the closing balance and what is outstanding by year. It reconciles: opening + assessed − paid ± adjustments = closing.",
    )
    .argument('<iso3>', 'the State, as an ISO 3166-1 alpha-3 code (e.g. AUT)', iso3Arg)
    .addOption(dateOpt('--as-of', 'the date of the statement (YYYY-MM-DD)').makeOptionMandatory())
    .addOption(dateOpt('--from', 'the first day shown; earlier records make the opening balance (default: 1 January of the --as-of year)'))
    .addOption(booksOpt())
    .addOption(new Option('--format <format>', 'output format (default: text, or from the --out file extension)').choices(['text', 'csv', 'json', 'md']))
    .addOption(new Option('--csv-dialect <dialect>', 'CSV dialect').choices(['rfc4180', 'excel']).default('rfc4180'))
    .option('--out <path>', 'write to a file (format from its extension), or to a directory (every format)')
    .addHelpText('after', '\nExamples:\n  finproc statement AUT --as-of 2026-08-18\n  finproc statement BRA --as-of 2026-08-18 --from 2019-01-01\n  finproc statement LTU --as-of 2025-12-31 --format json')
    .action(async (iso3: string, o: { asOf: string; from?: string; books: string; format?: string; csvDialect: CsvDialect; out?: string }) => {
      const from = o.from ?? `${o.asOf.slice(0, 4)}-01-01`;
      if (from > o.asOf) throw new UsageError(`--from ${from} is after --as-of ${o.asOf}`);
      const { books, ledger, reader, problems } = ledgerJob({ books: booksDir(o.books), cwd: io.cwd, need: ['assessments'], uses: ['payments'] });
      if (!books || !ledger) fail(problems);
      if (!books!.ref.states.has(iso3)) throw new UsageError(`${iso3} is not in states.csv: give the ISO3 code of a State (e.g. AUT)`);
      report(problems);
      const events = eventsByState(ledger!.ledger).get(iso3) ?? NO_EVENTS;
      // A reissued invoice is cited by its current number, from the register (if the books have one).
      // Loaded here, not at start-up: the register's reader brings the IBAN and country-code checks.
      const { INVOICE_FILES, loadRegister } = await import('../../io/invoice.js');
      const regFile = path.join(books!.dir, INVOICE_FILES.register);
      const regProblems: typeof problems = [];
      const register = reader.exists(regFile) ? loadRegister(reader, regFile, regProblems) : [];
      if (regProblems.some(isError)) fail(regProblems);
      const s = statement(iso3, events, from, o.asOf, undefined, currentInvoices(register ?? [], o.asOf));
      const ctx = { names: namesOf(books!), inputs: reader.list() };
      emit(o, `statement-${iso3}-${o.asOf}`, (fmt) => (fmt === 'csv' ? statementCsv(s, o.csvDialect) : fmt === 'json' ? statementJson(s, ctx) : fmt === 'md' ? statementMarkdown(s, ctx) : statementText(s, ctx, fmt === 'tty' ? { bold: out.bold } : undefined)), { text: '.txt', csv: '.csv', json: '.json', md: '.md' });
    });
}
