/**
 * The command line: the only place that reads arguments, picks a format and writes.
 * Each command reads as load → compute → render → write.
 *
 * Exit codes: 0 success; 1 problems in the input (all listed); 2 wrong usage; 3 a bug;
 * 4 a --fail-on condition held.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { arrearsReport } from '../core/arrears.js';
import { centsToString, eventsByState, NO_EVENTS, type AdjustmentRecord, type AssessmentLine } from '../core/ledger.js';
import { meetingShares, participantsAsPayers, type MeetingShares } from '../core/meeting.js';
import { scaleColumnFor } from '../core/apportion.js';
import { Decimal } from '../core/decimal.js';
import { meetingCsv, meetingJson, meetingMarkdown, meetingTable } from '../render/meeting.js';
import { addDays } from '../core/dates.js';
import { assessmentsFile, invoiceNumbers, recordAdjustments, recordAssessments } from '../io/record.js';
import { groupDigits } from '../render/text.js';
import { pledgeBook, RateTable } from '../core/pledges.js';
import { statement } from '../core/statement.js';
import { arrearsCsv, arrearsJson, arrearsMarkdown, arrearsSummary, arrearsTable, pledgesCsv, pledgesJson, pledgesText, statementCsv, statementJson, statementMarkdown, statementText } from '../render/ledger.js';
import { isError, problem, ProblemsError, type Problem } from '../core/problem.js';
import { FileReader, loadBooks, loadPolicy, type Books } from '../io/books.js';
import { loadLedger, loadParticipants, rateMissing, type LedgerBooks } from '../io/ledger.js';
import { boundDuring } from '../core/dates.js';
import { apportionYear, ledgerJob, policyFileFor, readYearPolicy, runYear, type ApportionmentReport } from '../io/job.js';
import { apportionmentCsv, apportionmentJson, apportionmentMarkdown, apportionmentSummary, apportionmentTable } from '../render/apportionment.js';
import type { CsvDialect } from '../render/csv.js';
import { explain, explainJson, explainText, nothingJson } from '../render/explain.js';
import { problemsJson } from '../render/problems.js';
import { colourFor } from './output.js';
import { amountArg, budgetArg, bucketsArg, currencyArg, iso3Arg, meetingArg, namesOf, UsageError, yearArg } from './args.js';
import { makeCli, pkg, type Io } from './context.js';
import { COMMANDS } from './commands/index.js';
import { loadCashflowBooks } from '../io/cashflow.js';

export { DEFAULT_BOOKS, type Io } from './context.js';

export async function main(argv: string[], io: Io): Promise<number> {
  const err = colourFor(io.stderr, io.env, flagColour(argv));
  const out = colourFor(io.stdout, io.env, flagColour(argv));
  const cli = makeCli(io, out, err);
  const { say, report, fail, emit, write, booksDir, policyFile, yearOptions, dateOpt, booksOpt } = cli;

  const program = new Command('finproc')
    .description('Exact financial procedures of the CCM Implementation Support Unit: apportion an adopted budget among the States Parties, check the books, explain any amount.')
    .version(pkg.version, '-V, --version')
    .option('--color', 'force colour on')
    .option('--no-color', 'no colour (also: NO_COLOR=1)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s), outputError: (s, write) => write(err.red(s)) })
    .addHelpText(
      'after',
      `
Books: a directory of CSV files and YAML policies (default: the example books in data/,
see data/README.md). Policies are documented in docs/policy.md.

Examples:
  finproc check                             validate the example books (silent when all is well)
  finproc apportion --year 2026             the 2026 apportionment as a table
  finproc apportion --year 2026 --out out   all formats written under out/, a summary on screen
  finproc explain AUT --year 2026           how Austria's 2026 amount was computed

Exit codes: 0 success, 1 problems in the input (all listed), 2 wrong usage, 3 internal error,
4 a --fail-on condition held (arrears).`,
    );


  program
    .command('check')
    .summary('validate the books; silent when all is well')
    .description('Validate the books and the policy of each budget year (or of --year). Lists every problem at once, sorted by file and line, as file:line:column with the quoted line and a hint. Prints nothing and exits 0 when all is well; exits 1 otherwise.')
    .addOption(booksOpt())
    .option('--year <yyyy>', 'check only this year (its budget, policy and apportionment)', yearArg)
    .option('--policy <file>', 'check this policy instead of the one budgets.csv names')
    .addOption(new Option('--format <format>', 'how problems are listed').choices(['text', 'json']).default('text'))
    .addHelpText('after', '\nExamples:\n  finproc check\n  finproc check --books ./books-2027 --year 2027\n  finproc check --format json > problems.json')
    .action(async (o: { books: string; year?: number; policy?: string; format: string }) => {
      const problems = await checkBooks(booksDir(o.books), o.year, policyFile(o.policy), io.cwd);
      if (o.format === 'json') {
        if (problems.length) say(problemsJson(problems));
      } else report(problems);
      if (problems.some(isError)) cli.code = 1;
    });

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
    .addHelpText(
      'after',
      '\nExamples:\n  finproc apportion --year 2026\n  finproc apportion --year 2026 --format csv --csv-dialect excel --out apportionment-2026.csv\n  finproc apportion --year 2026 --policy data/policies/un-floor-ceiling.yaml --format json\n  finproc apportion --year 2026 --out out     (writes out/apportionment-2026.{txt,csv,json,md})',
    )
    .action((o: { year: number; books: string; policy?: string; budget?: Decimal; format?: string; csvDialect: CsvDialect; out?: string; record?: boolean; issueDate?: string; dueDate?: string }) => {
      if (!o.record && (o.issueDate || o.dueDate)) throw new UsageError('--issue-date and --due-date go with --record');
      if (o.record) {
        if (o.budget || o.policy) throw new UsageError('--record records what the books say was adopted: leave out --budget and --policy (change budgets.csv instead)');
        if (o.out || o.format) throw new UsageError('--record writes assessments.csv in the books; run apportion again without --record for a report');
        if (!o.issueDate) throw new UsageError('--record needs --issue-date YYYY-MM-DD (the date of the invoices)');
      }
      const { report: r, problems } = apportionYear(yearOptions(o));
      if (!r) fail(problems);
      report(problems);
      const rep = r!;
      if (o.record) {
        recordYear(rep, o.issueDate!, o.dueDate ?? addDays(o.issueDate!, 30), booksDir(o.books));
        return;
      }
      const render = (fmt: string) =>
        fmt === 'csv' ? apportionmentCsv(rep, o.csvDialect) : fmt === 'json' ? apportionmentJson(rep) : fmt === 'md' ? apportionmentMarkdown(rep) : apportionmentTable(rep, fmt === 'tty' ? { bold: out.bold } : undefined);
      // The summary is for the person at the terminal; piped, a success is silent.
      emit(o, `apportionment-${rep.apportionment.year}`, render, { table: '.txt', csv: '.csv', json: '.json', md: '.md' }, (w) => apportionmentSummary(rep, w));
    });

  program
    .command('explain')
    .summary("how one State's amount was computed, step by step")
    .description("Show how one State's amount was computed: its category, UN rate, adjusted rate, bounds applied, quota before rounding, rounding adjustment and pro-rata. Built from the same computation as apportion.")
    .argument('<iso3>', 'the State, as an ISO 3166-1 alpha-3 code (e.g. AUT)', iso3Arg)
    .requiredOption('--year <yyyy>', 'budget year', yearArg)
    .addOption(booksOpt())
    .option('--policy <file>', 'policy file (default: the one budgets.csv names for the year)')
    .option('--budget <amount>', 'budget instead of the adopted one', budgetArg)
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'md']).default('text'))
    .addHelpText('after', '\nExamples:\n  finproc explain AUT --year 2026\n  finproc explain LTU --year 2025          (withdrawal during the year: pro-rata)\n  finproc explain NER --year 2026 --format json')
    .action((iso3: string, o: { year: number; books: string; policy?: string; budget?: Decimal; format: string }) => {
      const { report: r, books, problems } = apportionYear(yearOptions(o));
      if (!r || !books) fail(problems);
      report(problems);
      const e = explain(r!, iso3);
      if (!e) {
        // A code that names no State is a usage error; a State that pays nothing is an answer.
        if (!books!.ref.states.has(iso3)) throw new UsageError(`${iso3} is not in states.csv: give the ISO3 code of a State (e.g. AUT)`);
        const why = whyNotPayer(r!, books!, iso3, o.year);
        const policy = r!.apportionment.policy.id;
        say(o.format === 'json' ? nothingJson(iso3, o.year, policy, why) : `${iso3} pays nothing in ${o.year} under policy ${policy}: ${why}.\n`);
        return;
      }
      say(o.format === 'json' ? explainJson(e!) : explainText(e!, o.format === 'md'));
    });


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
      let job = ledgerJob({ books: dir, cwd: io.cwd, need: ['assessments'], stream: { asOf: o.asOf } });
      if (job.ledger && !job.ledger.accounts) job = ledgerJob({ books: dir, cwd: io.cwd, need: ['assessments'] });
      const { books, ledger, reader, problems } = job;
      if (!books || !ledger) fail(problems);
      report(problems);
      const pledges = pledgeBook(ledger!.pledges, ledger!.ledger.payments, new RateTable(ledger!.rates), o.asOf);
      const r = arrearsReport({ ledger: ledger!.ledger, asOf: o.asOf, pledges: pledges.statuses, ...(ledger!.accounts ? { accounts: ledger!.accounts } : {}), ...(o.buckets ? { buckets: o.buckets } : {}) });
      const ctx = { names: namesOf(books!), inputs: reader.list() };
      emit(o, `arrears-${o.asOf}`, (fmt) => (fmt === 'csv' ? arrearsCsv(r, ctx, o.csvDialect) : fmt === 'json' ? arrearsJson(r, ctx) : fmt === 'md' ? arrearsMarkdown(r, ctx) : arrearsTable(r, ctx, fmt === 'tty' ? { bold: out.bold } : undefined)), { table: '.txt', csv: '.csv', json: '.json', md: '.md' }, (w) => arrearsSummary(r, w));
      if (o.failOn && r.states.some((s) => s.flags.includes(o.failOn!))) cli.code = 4;
    });

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
    .action((iso3: string, o: { asOf: string; from?: string; books: string; format?: string; csvDialect: CsvDialect; out?: string }) => {
      const from = o.from ?? `${o.asOf.slice(0, 4)}-01-01`;
      if (from > o.asOf) throw new UsageError(`--from ${from} is after --as-of ${o.asOf}`);
      const { books, ledger, reader, problems } = ledgerJob({ books: booksDir(o.books), cwd: io.cwd, need: ['assessments'] });
      if (!books || !ledger) fail(problems);
      if (!books!.ref.states.has(iso3)) throw new UsageError(`${iso3} is not in states.csv: give the ISO3 code of a State (e.g. AUT)`);
      report(problems);
      const events = eventsByState(ledger!.ledger).get(iso3) ?? NO_EVENTS;
      const s = statement(iso3, events, from, o.asOf);
      const ctx = { names: namesOf(books!), inputs: reader.list() };
      emit(o, `statement-${iso3}-${o.asOf}`, (fmt) => (fmt === 'csv' ? statementCsv(s, o.csvDialect) : fmt === 'json' ? statementJson(s, ctx) : fmt === 'md' ? statementMarkdown(s, ctx) : statementText(s, ctx, fmt === 'tty' ? { bold: out.bold } : undefined)), { text: '.txt', csv: '.csv', json: '.json', md: '.md' });
    });

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
      const { books, ledger, reader, problems } = ledgerJob({ books: booksDir(o.books), cwd: io.cwd });
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


  program
    .command('meeting-costs')
    .summary("share a meeting's costs under Article 14")
    .description(
      "Share the costs of a meeting among its participants — States Parties and States not party alike — by the UN scale of assessment adjusted to them (Article 14): the UN rates renormalised to 100 %, with the bounds and rounding of the policy (default: policies/article14.yaml in the books). Given the final cost, shows each participant's difference (further charge or credit). With --record, the shares become assessments (purpose meeting) in assessments.csv, or, with --final, the differences become reassessments and credit notes in adjustments.csv.",
    )
    .requiredOption('--meeting <id>', 'meeting identifier, e.g. MSP14 (used for invoice numbers MSP14-001, …)', meetingArg)
    .requiredOption('--year <yyyy>', 'year of the meeting (chooses the scale period)', yearArg)
    .requiredOption('--estimate <amount>', 'estimated cost of the meeting', (v: string) => amountArg('--estimate', v))
    .requiredOption('--participants <file>', 'CSV with an iso3 column: the participating States')
    .option('--currency <code>', 'currency of the amounts (ISO 4217)', currencyArg, 'CHF')
    .option('--final <amount>', 'final cost: show the difference per participant', (v: string) => amountArg('--final', v))
    .addOption(booksOpt())
    .option('--policy <file>', 'sharing policy (default: policies/article14.yaml in the books)')
    .addOption(new Option('--format <format>', 'output format (default: table, or from the --out file extension)').choices(['table', 'csv', 'json', 'md']))
    .addOption(new Option('--csv-dialect <dialect>', 'CSV dialect').choices(['rfc4180', 'excel']).default('rfc4180'))
    .option('--out <path>', 'write to a file (format from its extension), or to a directory (every format)')
    .option('--record', 'record the shares as assessments (or, with --final, the differences as adjustments)')
    .addOption(dateOpt('--issue-date', 'with --record: date of the invoices or adjustments; a foreign currency is converted to CHF at the rate of this date'))
    .addOption(dateOpt('--due-date', 'with --record: due date (default: 30 days after --issue-date)'))
    .addHelpText('after', '\nExamples:\n  finproc meeting-costs --meeting MSP14 --year 2026 --estimate 450000.00 --currency USD --participants participants.csv\n  finproc meeting-costs --meeting MSP14 --year 2026 --estimate 450000.00 --final 431250.00 --participants participants.csv\n  finproc meeting-costs --meeting MSP14 --year 2026 --estimate 450000.00 --participants participants.csv --record --issue-date 2026-03-02')
    .action((o: { meeting: string; year: number; estimate: Decimal; participants: string; currency: string; final?: Decimal; books: string; policy?: string; format?: string; csvDialect: CsvDialect; out?: string; record?: boolean; issueDate?: string; dueDate?: string }) => {
      if (!o.record && (o.issueDate || o.dueDate)) throw new UsageError('--issue-date and --due-date go with --record');
      if (o.record && !o.issueDate) throw new UsageError('--record needs --issue-date YYYY-MM-DD');
      if (o.record && (o.out || o.format)) throw new UsageError('--record writes the books; run again without --record for a report');
      const dir = booksDir(o.books);
      const partFile = path.resolve(io.cwd, o.participants);
      if (!existsSync(partFile)) throw new UsageError(`--participants ${o.participants}: no such file`);
      const policyPath = o.policy ? policyFile(o.policy)! : path.join(dir, 'policies', 'article14.yaml');
      if (!o.policy && !existsSync(policyPath)) throw new UsageError(`no policies/article14.yaml in the books: give --policy FILE`);
      const { books, ledger, reader, problems } = ledgerJob({ books: dir, cwd: io.cwd });
      if (!books || !ledger) fail(problems);
      const pf = loadPolicy(reader, policyPath, problems);
      const iso3s = loadParticipants(reader, partFile, books!, problems);
      if (!pf?.policy || !iso3s || problems.some(isError)) fail(problems);
      const policy = pf!.policy!;
      const column = scaleColumnFor(policy, o.year);
      if (!column) fail([...problems, problem('scale-period', `no scale period of policy "${policy.id}" covers ${o.year}`, { file: reader.display(policyPath), hint: `add a period with from ≤ ${o.year} ≤ to` })]);
      // Recording in a foreign currency: the totals are converted at the rate of the issue date, then shared in CHF.
      let currency = o.currency;
      let estimate = o.estimate;
      let final = o.final;
      let conversion = '';
      if (o.record && currency !== 'CHF') {
        const rate = new RateTable(ledger!.rates).at(currency, o.issueDate!);
        if (!rate) fail([problem('rate-missing', `no ${currency} rate on or before ${o.issueDate} to convert the meeting costs to CHF`, { file: reader.display(path.join(dir, 'exchange-rates.csv')), hint: `add a row "${o.issueDate},${currency},<CHF for one ${currency}>"` })]);
        const conv = (d: Decimal) => d.times(rate!.chf).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN);
        conversion = ` (${currency} converted at ${rate!.chf.toFixed()} CHF of ${rate!.date})`;
        estimate = conv(estimate);
        if (final) final = conv(final);
        currency = 'CHF';
      }
      const { payers, parties } = participantsAsPayers(books!.ref, policy, column!, iso3s!, o.year);
      const { shares, problems: mp } = meetingShares({ meeting: o.meeting, year: o.year, currency, policy, scaleColumn: column!, payers, parties, estimate, ...(final ? { final } : {}) });
      const located = mp.map((p) => (p.code === 'budget-unit' && !p.field ? { ...p, code: 'argument-invalid' as const, message: `--estimate/--final: ${p.message}` } : p.file ? p : { ...p, file: reader.display(policyPath) }));
      if (!shares) fail([...problems, ...located]);
      report([...problems, ...located]);
      const s = shares!;
      if (o.record) {
        recordMeeting(s, ledger!, reader, dir, o.issueDate!, o.dueDate ?? addDays(o.issueDate!, 30), conversion);
        return;
      }
      const inputs = reader.list();
      const policyName = reader.reportName(policyPath);
      emit(o, `meeting-costs-${o.meeting}`, (fmt) => (fmt === 'csv' ? meetingCsv(s, o.csvDialect) : fmt === 'json' ? meetingJson(s, inputs, policyName) : fmt === 'md' ? meetingMarkdown(s, inputs) : meetingTable(s, inputs, fmt === 'tty' ? { bold: out.bold } : undefined)), { table: '.txt', csv: '.csv', json: '.json', md: '.md' });
    });

  // The commands that live in src/cli/commands/ (one module each).
  for (const register of COMMANDS) register(program, cli);

  /** `meeting-costs --record`: the estimate shares as invoices, or the final differences as adjustments. */
  function recordMeeting(s: MeetingShares, lb: LedgerBooks, reader: FileReader, dir: string, issued: string, due: string, conversion: string) {
    if (due < issued) throw new UsageError(`--due-date ${due} is before --issue-date ${issued}`);
    const file = reader.display(assessmentsFile(dir));
    const cents = (d: Decimal) => BigInt(d.toFixed(2).replace('.', ''));
    const existing = lb.ledger.lines.filter((l) => l.purpose === 'meeting' && l.category === s.meeting);
    if (!s.final) {
      if (existing.length > 0) fail([problem('already-recorded', `meeting ${s.meeting} is already recorded (${existing.length} invoices, ${existing[0]!.invoice}, …)`, { file, hint: 'record the final cost with --final; issued assessments are never edited' })]);
      const rows = s.rows.filter((r) => !r.estimate.isZero());
      const numbers = invoiceNumbers(s.meeting, rows.length);
      const taken = new Set(lb.ledger.lines.map((l) => l.invoice));
      const clash = numbers.find((n) => taken.has(n));
      if (clash) fail([problem('already-recorded', `invoice number ${clash} is already used`, { file, hint: 'choose another meeting id' })]);
      const lines: AssessmentLine[] = rows.map((r, i) => ({ invoice: numbers[i]!, iso3: r.iso3, year: s.year, purpose: 'meeting', category: s.meeting, amount: cents(r.estimate), issued, due, note: `Article 14 share of the estimated costs of ${s.meeting}${conversion}` }));
      const problems: Problem[] = [];
      const rec = recordAssessments(dir, lines, problems, file);
      if (!rec) fail(problems);
      write([rec!]);
      if (io.stdout.isTTY) say(`Recorded ${s.meeting}: ${lines.length} invoices (${numbers[0]} to ${numbers[numbers.length - 1]}), CHF ${groupDigits(centsToString(lines.reduce((a, l) => a + l.amount, 0n)))}${conversion}, issued ${issued}, due ${due}, in ${file}.\n`);
      return;
    }
    // Final cost: one adjustment per participant whose share changed, against its invoice.
    const byIso = new Map(existing.map((l) => [l.iso3, l]));
    const first = existing.reduce((d, l) => (l.issued > d ? l.issued : d), '');
    if (existing.length > 0 && issued < first) throw new UsageError(`--issue-date ${issued} is before the invoices of ${s.meeting} were issued (${first}): the final cost is recorded on or after that date`);
    const years = [...new Set(existing.map((l) => l.year))];
    if (existing.length > 0 && !years.includes(s.year)) throw new UsageError(`--year ${s.year}: the invoices of ${s.meeting} are for ${years.join(', ')}`);
    const adjFile = reader.display(path.join(dir, 'adjustments.csv'));
    const missing = s.rows.filter((r) => !byIso.has(r.iso3) && !r.estimate.isZero());
    if (existing.length === 0 || missing.length > 0) fail([problem('ledger-reference', existing.length === 0 ? `meeting ${s.meeting} has no invoices in assessments.csv: record the estimate first` : `no invoice of ${s.meeting} for ${missing.map((r) => r.iso3).join(', ')}`, { file, hint: 'run meeting-costs --record without --final first, with the same participants and estimate' })]);
    const wrong = s.rows.filter((r) => byIso.has(r.iso3) && byIso.get(r.iso3)!.amount !== cents(r.estimate));
    if (wrong.length > 0) fail([problem('ledger-reference', `the invoices of ${s.meeting} do not match these shares of the estimate (${wrong.map((r) => `${r.iso3} invoiced ${centsToString(byIso.get(r.iso3)!.amount)}, computed ${r.estimate.toFixed(2)}`).slice(0, 3).join('; ')})`, { file, hint: 'give the same --estimate, --participants and policy as when the estimate was recorded' })]);
    const ids = new Set(lb.ledger.adjustments.map((a) => a.id));
    const changed = s.rows.filter((r) => !r.difference!.isZero());
    const adjustments: AdjustmentRecord[] = changed.map((r, i) => {
      const inv = byIso.get(r.iso3)!;
      return { id: `${s.meeting}-FINAL-${String(i + 1).padStart(3, '0')}`, iso3: r.iso3, date: issued, kind: r.difference!.gt(0) ? 'reassessment' : 'credit-note', invoice: inv.invoice, category: inv.category, amount: cents(r.difference!.abs()), reason: `final cost of ${s.meeting}: ${s.final!.toFixed(2)} against ${s.estimate.toFixed(2)} estimated${conversion}` };
    });
    const clash = adjustments.find((a) => ids.has(a.id));
    if (clash) fail([problem('already-recorded', `adjustment ${clash.id} is already in adjustments.csv: the final cost of ${s.meeting} was recorded`, { file: adjFile, hint: 'a further change is a new adjustment with its own reason' })]);
    const problems: Problem[] = [];
    const rec = recordAdjustments(dir, adjustments, problems, adjFile);
    if (!rec) fail(problems);
    write([rec!]);
    if (io.stdout.isTTY) say(`Recorded the final cost of ${s.meeting}: ${adjustments.length} adjustments (${adjustments.filter((a) => a.kind === 'reassessment').length} further charges, ${adjustments.filter((a) => a.kind === 'credit-note').length} credits) dated ${issued}, in ${adjFile}.\n`);
  }

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
    write([rec!]);
    if (io.stdout.isTTY) say(`Recorded ${a.year}: ${payers.length} invoices (${numbers[0]} to ${numbers[numbers.length - 1]}), ${lines.length} lines, CHF ${groupDigits(centsToString(lines.reduce((s, l) => s + l.amount, 0n)))}, issued ${issued}, due ${due}, in ${file}.\n`);
  }

  try {
    await program.parseAsync(argv, { from: 'user' });
    return cli.code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof UsageError) {
      io.stderr.write(err.red(`error: ${e.message}`) + '\n(run with --help for usage)\n');
      return 2;
    }
    if (e instanceof ProblemsError) {
      report(e.problems);
      return e.problems.filter(isError).every((p) => p.code === 'argument-invalid') ? 2 : 1;
    }
    if (isFsError(e)) {
      io.stderr.write(err.red(`error: ${(e as Error).message}`) + '\n');
      return 1;
    }
    io.stderr.write(`internal error (a bug in finproc; please report it with the command and the books):\n${(e as Error).stack ?? String(e)}\n`);
    return 3;
  }
}

function flagColour(argv: string[]): boolean | undefined {
  const i = Math.max(argv.lastIndexOf('--color'), argv.lastIndexOf('--no-color'));
  return i < 0 ? undefined : argv[i] === '--color';
}

function isFsError(e: unknown): boolean {
  return typeof (e as { code?: unknown })?.code === 'string' && /^E[A-Z]+$/.test((e as { code: string }).code);
}

/** Why a State has no line: not a party that year, bound on no first of a month, or not selected. */
function whyNotPayer(r: ApportionmentReport, books: Books, iso3: string, year: number): string {
  const p = books.ref.parties.find((x) => x.iso3 === iso3);
  if (!p?.entryIntoForce) return 'not a State Party';
  if (!boundDuring({ from: p.entryIntoForce, until: p.withdrawalEffective }, year))
    return p.entryIntoForce > `${year}-12-31` ? `the Convention enters into force for it on ${p.entryIntoForce}` : `its withdrawal took effect on ${p.withdrawalEffective}`;
  const note = r.apportionment.notes.find((n) => n.startsWith(`${iso3} `));
  return note ? note.replace(/\.$/, '') : 'no invoiced category selects it';
}

/** `check`: the books, then the policy and a dry-run apportionment of each year. */
export async function checkBooks(booksDir: string, year?: number, policyOverride?: string, cwd?: string): Promise<Problem[]> {
  const dir = path.resolve(booksDir);
  const reader = new FileReader(dir, cwd);
  const { books, problems } = loadBooks(dir, reader);
  if (!books) return dedupe(problems);
  loadLedger(books, reader, problems);
  // Loaded here, not at start-up: only `check` and `invoice` read the invoice books.
  (await import('../io/invoice-job.js')).checkInvoiceBooks(books, reader, problems);
  loadCashflowBooks(books, reader, problems);
  const years = year !== undefined ? [year] : books.budgets.map((b) => b.year);
  const budgetsBroken = problems.some((p) => p.file?.endsWith('budgets.csv') && isError(p));
  if (books.budgets.length === 0 && !budgetsBroken)
    problems.push(problem('budget-missing', 'budgets.csv has no budget: the policy was not checked', { file: reader.display(path.join(dir, 'budgets.csv')), line: 1, hint: 'add a row per adopted budget: year,amount,currency (e.g. 2026,618250.00,CHF)' }));
  if (year !== undefined && !budgetsBroken && !books.budgets.some((b) => b.year === year))
    problems.push(problem('budget-missing', `no adopted budget for ${year} in budgets.csv`, { file: reader.display(path.join(dir, 'budgets.csv')), hint: `years with a budget: ${books.budgets.map((b) => b.year).join(', ') || 'none'}` }));
  const policies = new Map<string, ReturnType<typeof readYearPolicy>>();
  for (const y of years) {
    if (!books.budgets.some((b) => b.year === y)) continue;
    const file = policyFileFor(books, y, policyOverride);
    if (!policies.has(file)) policies.set(file, readYearPolicy(books, reader, y, policyOverride, problems));
    const pf = policies.get(file);
    if (!pf?.policy) continue;
    problems.push(...runYear(books, reader, pf, { books: dir, year: y }).problems);
  }
  return dedupe(problems);
}

function dedupe(ps: Problem[]): Problem[] {
  const seen = new Set<string>();
  return ps.filter((p) => {
    const k = JSON.stringify([p.code, p.file, p.line, p.column, p.message]);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export type { ApportionmentReport };
