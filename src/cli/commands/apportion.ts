/**
 * `finproc apportion`: share a year's adopted budget among the States Parties (and `--record` it as the year's assessments).
 */
import { Option, type Command } from 'commander';
import path from 'node:path';
import { centsToString, type AssessmentLine } from '../../core/ledger.js';
import { Decimal } from '../../core/decimal.js';
import { addDays } from '../../core/dates.js';
import { assessmentsFile, invoiceNumbers, recordAssessments } from '../../io/record.js';
import { groupDigits } from '../../render/text.js';
import { problem } from '../../core/problem.js';
import { apportionYear, ledgerJob, type ApportionmentReport } from '../../io/job.js';
import { apportionmentCsv, apportionmentJson, apportionmentMarkdown, apportionmentSummary, apportionmentTable } from '../../render/apportionment.js';
import type { CsvDialect } from '../../render/csv.js';
import { budgetArg, UsageError, yearArg } from '../args.js';
import type { Cli } from '../context.js';

export function register(program: Command, cli: Cli): void {
  const { io, out, say, report, fail, emit, write, booksDir, yearOptions, dateOpt, booksOpt, waitOpt, locked } = cli;
  program
    .command('apportion')
    .summary("share a year's budget among the States Parties")
    .description("Apportion the year's adopted budget among the States Parties by the policy: per State and category, State totals, grand total, the policy and rounding rule, and the SHA-256 of every input. The same inputs always give the same bytes.")
    .requiredOption('--year <yyyy>', 'budget year', yearArg)
    .addOption(booksOpt())
    .option('--policy <file>', 'policy file (default: the one budgets.csv names for the year)')
    .option('--budget <amount>', 'budget to apportion instead of the adopted one (e.g. 650000.00)', budgetArg)
    .addOption(new Option('--format <format>', 'output format (default: table, or from the --out file extension)').choices(['table', 'csv', 'json', 'md']))
    .addOption(new Option('--csv-dialect <dialect>', 'CSV dialect: RFC 4180 (",") or Excel as used in Geneva (";", BOM)').choices(['rfc4180', 'excel']).default('rfc4180'))
    .option('--out <path>', 'write to a file (format from its extension), or to a directory (every format; a summary on a terminal)')
    .option('--record', "record the result as the year's assessments: append one invoice per State to assessments.csv in the books")
    .addOption(dateOpt('--issue-date', 'with --record: the date of the invoices'))
    .addOption(dateOpt('--due-date', 'with --record: the due date (default: 30 days after --issue-date)'))
    .addOption(waitOpt())
    .addHelpText(
      'after',
      '\nExamples:\n  finproc apportion --year 2026\n  finproc apportion --year 2026 --format csv --csv-dialect excel --out apportionment-2026.csv\n  finproc apportion --year 2026 --policy data/policies/un-floor-ceiling.yaml --format json\n  finproc apportion --year 2026 --out out     (writes out/apportionment-2026.{txt,csv,json,md})',
    )
    .action((o: { year: number; books: string; policy?: string; budget?: Decimal; format?: string; csvDialect: CsvDialect; out?: string; record?: boolean; issueDate?: string; dueDate?: string; wait?: number }) => {
      if (o.wait !== undefined && !o.record) throw new UsageError('--wait goes with --record (only a command that writes the books waits for them)');
      if (!o.record && (o.issueDate || o.dueDate)) throw new UsageError('--issue-date and --due-date go with --record');
      if (o.record) {
        if (o.budget || o.policy) throw new UsageError('--record records what the books say was adopted: leave out --budget and --policy (change budgets.csv instead)');
        if (o.out || o.format) throw new UsageError('--record writes assessments.csv in the books; run apportion again without --record for a report');
        if (!o.issueDate) throw new UsageError('--record needs --issue-date YYYY-MM-DD (the date of the invoices)');
        // The books are read and written under their lock: two runs never record a year twice.
        return locked(booksDir(o.books), `apportion --year ${o.year} --record`, o.wait, () => {
          const { report: r, problems } = apportionYear(yearOptions(o));
          if (!r) fail(problems);
          report(problems);
          recordYear(r!, o.issueDate!, o.dueDate ?? addDays(o.issueDate!, 30), booksDir(o.books));
        });
      }
      const { report: r, problems } = apportionYear(yearOptions(o));
      if (!r) fail(problems);
      report(problems);
      const rep = r!;
      const render = (fmt: string) =>
        fmt === 'csv' ? apportionmentCsv(rep, o.csvDialect) : fmt === 'json' ? apportionmentJson(rep) : fmt === 'md' ? apportionmentMarkdown(rep) : apportionmentTable(rep, fmt === 'tty' ? { bold: out.bold } : undefined);
      // The summary is for the person at the terminal; piped, a success is silent.
      emit(o, `apportionment-${rep.apportionment.year}`, render, { table: '.txt', csv: '.csv', json: '.json', md: '.md' }, (w) => apportionmentSummary(rep, w));
    });

  /** `apportion --record`: one invoice per State with a total, a line per invoiced category. */
  function recordYear(rep: ApportionmentReport, issued: string, due: string, dir: string) {
    const a = rep.apportionment;
    if (due < issued) throw new UsageError(`--due-date ${due} is before --issue-date ${issued}`);
    if (a.currency !== 'CHF') throw new UsageError(`the ledger is kept in CHF; policy "${a.policy.id}" is in ${a.currency}`);
    const { ledger, reader, problems } = ledgerJob({ books: dir, cwd: io.cwd });
    if (!ledger) fail(problems);
    const file = reader.display(assessmentsFile(dir));
    const already = ledger!.ledger.lines.filter((l) => l.purpose === 'isu' && l.year === a.year);
    if (already.length > 0)
      fail([problem('already-recorded', `${a.year} is already recorded: ${new Set(already.map((l) => l.invoice)).size} invoices (${already[0]!.invoice}, …) in ${path.basename(file)}`, { file, hint: 'issued assessments are never edited: correct them with credit notes or reassessments in adjustments.csv (docs/ledger.md)' })]);
    const payers = a.states.filter((s) => s.totalUnits > 0n);
    const numbers = invoiceNumbers(`ISU-${a.year}`, payers.length);
    const taken = new Set(ledger!.ledger.lines.map((l) => l.invoice));
    const clash = numbers.find((n) => taken.has(n));
    if (clash) fail([problem('already-recorded', `invoice number ${clash} is already used in ${path.basename(file)}`, { file, hint: `invoice numbers ISU-${a.year}-NNN are reserved for the ${a.year} assessments` })]);
    const lines: AssessmentLine[] = [];
    payers.forEach((s, i) => {
      for (const c of a.categories) {
        const amount = s.amounts.get(c.id);
        if (!c.invoiced || !amount || amount.isZero()) continue;
        lines.push({ invoice: numbers[i]!, iso3: s.iso3, year: a.year, purpose: 'isu', category: c.id, amount: BigInt(amount.toFixed(2).replace('.', '')), issued, due, note: '' });
      }
    });
    const rec = recordAssessments(dir, lines, problems, file);
    if (!rec) fail(problems);
    write([{ ...rec!, book: true }]);
    if (io.stdout.isTTY) say(`Recorded ${a.year}: ${payers.length} invoices (${numbers[0]} to ${numbers[numbers.length - 1]}), ${lines.length} lines, CHF ${groupDigits(centsToString(lines.reduce((s, l) => s + l.amount, 0n)))}, issued ${issued}, due ${due}, in ${file}.\n`);
  }
}
