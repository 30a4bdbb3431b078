/**
 * The command line: the only place that reads arguments, picks a format and writes.
 * Each command reads as load → compute → render → write.
 *
 * Exit codes: 0 success; 1 problems in the input (all listed); 2 wrong usage; 3 a bug;
 * 4 a --fail-on condition held.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import type { Decimal } from '../core/decimal.js';
import { parseAmount, parseDate, parseIso3, parseYear } from '../core/parse.js';
import { arrearsReport } from '../core/arrears.js';
import { eventsByState } from '../core/ledger.js';
import { pledgeBook, RateTable } from '../core/pledges.js';
import { statement } from '../core/statement.js';
import { arrearsCsv, arrearsJson, arrearsMarkdown, arrearsSummary, arrearsTable, pledgesCsv, pledgesJson, pledgesText, statementCsv, statementJson, statementMarkdown, statementText } from '../render/ledger.js';
import { isError, problem, ProblemsError, type Problem } from '../core/problem.js';
import { FileReader, loadBooks, type Books } from '../io/books.js';
import { loadLedger } from '../io/ledger.js';
import { boundDuring } from '../core/dates.js';
import { apportionYear, ledgerJob, policyFileFor, readYearPolicy, runYear, type ApportionmentReport } from '../io/job.js';
import { apportionmentCsv, apportionmentJson, apportionmentMarkdown, apportionmentSummary, apportionmentTable } from '../render/apportionment.js';
import type { CsvDialect } from '../render/csv.js';
import { explain, explainJson, explainText, nothingJson } from '../render/explain.js';
import { problemsJson, renderProblems } from '../render/problems.js';
import { colourFor, writeAtomically } from './output.js';

/** The installed package: the nearest directory above this module with finproc's package.json (bundled or not), and its version. */
function findPackage(): { root: string; version: string } {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const p = path.join(dir, 'package.json');
    if (existsSync(p)) {
      const pkg = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'finproc') return { root: dir, version: pkg.version ?? '0.0.0' };
    }
    const up = path.dirname(dir);
    if (up === dir) return { root: process.cwd(), version: '0.0.0' };
    dir = up;
  }
}
const pkg = findPackage();
export const DEFAULT_BOOKS = path.join(pkg.root, 'data');

export interface Io {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

class UsageError extends Error {}

function yearArg(v: string): number {
  const r = parseYear(v);
  if (!r.ok) throw new UsageError(`--year: ${r.message}; ${r.hint}`);
  return r.value;
}
function budgetArg(v: string): Decimal {
  const r = parseAmount(v, { money: true });
  if (!r.ok) throw new UsageError(`--budget: ${r.message}; ${r.hint}`);
  if (r.value.isZero()) throw new UsageError('--budget: the budget must be more than zero');
  return r.value;
}
function iso3Arg(v: string): string {
  const r = parseIso3(v.toUpperCase());
  if (!r.ok) throw new UsageError(`ISO3: ${r.message}; ${r.hint}`);
  return r.value;
}

function dateArg(flag: string, v: string): string {
  const r = parseDate(v);
  if (!r.ok) throw new UsageError(`${flag}: ${r.message}; ${r.hint}`);
  return r.value;
}
function bucketsArg(v: string): number[] {
  const parts = v.split(',').map((s) => s.trim());
  const ns = parts.map((s) => (/^[1-9]\d{0,4}$/.test(s) ? Number(s) : NaN));
  if (ns.some((n) => Number.isNaN(n))) throw new UsageError(`--buckets ${v}: expected whole numbers of days separated by commas, e.g. 30,90,180,365`);
  if (ns.some((n, i) => i > 0 && n <= ns[i - 1]!)) throw new UsageError(`--buckets ${v}: the limits must be in ascending order`);
  return ns;
}
function namesOf(books: Books): Map<string, string> {
  return new Map([...books.ref.states].map(([k, s]) => [k, s.nameEn]));
}

const EXT_FORMAT: Record<string, string> = { '.csv': 'csv', '.json': 'json', '.md': 'md', '.txt': 'table' };

export async function main(argv: string[], io: Io): Promise<number> {
  const err = colourFor(io.stderr, io.env, flagColour(argv));
  const out = colourFor(io.stdout, io.env, flagColour(argv));
  const paint = { red: err.red, yellow: err.yellow, dim: err.dim, bold: err.bold };
  let code = 0;
  const say = (s: string) => io.stdout.write(s);
  const report = (ps: Problem[]) => {
    if (ps.length) io.stderr.write(renderProblems(ps, paint));
  };
  const fail = (ps: Problem[]): never => {
    throw new ProblemsError(ps);
  };

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

  const booksOpt = () => new Option('--books <dir>', 'books directory').default(DEFAULT_BOOKS, 'the example books in data/');

  program
    .command('check')
    .summary('validate the books; silent when all is well')
    .description('Validate the books and the policy of each budget year (or of --year). Lists every problem at once, sorted by file and line, as file:line:column with the quoted line and a hint. Prints nothing and exits 0 when all is well; exits 1 otherwise.')
    .addOption(booksOpt())
    .option('--year <yyyy>', 'check only this year (its budget, policy and apportionment)', yearArg)
    .option('--policy <file>', 'check this policy instead of the one budgets.csv names')
    .addOption(new Option('--format <format>', 'how problems are listed').choices(['text', 'json']).default('text'))
    .addHelpText('after', '\nExamples:\n  finproc check\n  finproc check --books ./books-2027 --year 2027\n  finproc check --format json > problems.json')
    .action((o: { books: string; year?: number; policy?: string; format: string }) => {
      const problems = checkBooks(booksDir(o.books), o.year, policyFile(o.policy), io.cwd);
      if (o.format === 'json') {
        if (problems.length) say(problemsJson(problems));
      } else report(problems);
      if (problems.some(isError)) code = 1;
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
    .addHelpText(
      'after',
      '\nExamples:\n  finproc apportion --year 2026\n  finproc apportion --year 2026 --format csv --csv-dialect excel --out apportionment-2026.csv\n  finproc apportion --year 2026 --policy data/policies/un-floor-ceiling.yaml --format json\n  finproc apportion --year 2026 --out out     (writes out/apportionment-2026.{txt,csv,json,md})',
    )
    .action((o: { year: number; books: string; policy?: string; budget?: Decimal; format?: string; csvDialect: CsvDialect; out?: string }) => {
      const { report: r, problems } = apportionYear(yearOptions(o));
      if (!r) fail(problems);
      report(problems);
      const rep = r!;
      const render = (fmt: string) =>
        fmt === 'csv' ? apportionmentCsv(rep, o.csvDialect) : fmt === 'json' ? apportionmentJson(rep) : fmt === 'md' ? apportionmentMarkdown(rep) : apportionmentTable(rep, fmt === 'tty' ? { bold: out.bold } : undefined);
      if (!o.out) {
        say(render(o.format ?? 'tty'));
        return;
      }
      const target = path.resolve(io.cwd, o.out);
      const ext = path.extname(target).toLowerCase();
      const isDir = (existsSync(target) && statSync(target).isDirectory()) || ext === '';
      if (isDir) {
        if (o.format) throw new UsageError('--format goes with a file --out (e.g. --out report.csv); a directory --out gets every format');
        const base = `apportionment-${rep.apportionment.year}`;
        const files = [
          { path: path.join(target, `${base}.txt`), content: render('table') },
          { path: path.join(target, `${base}.csv`), content: render('csv') },
          { path: path.join(target, `${base}.json`), content: render('json') },
          { path: path.join(target, `${base}.md`), content: render('md') },
        ];
        write(files);
        // The summary is for the person at the terminal; piped, a success is silent.
        if (io.stdout.isTTY) say(apportionmentSummary(rep, files.map((f) => shown(f.path))));
      } else {
        const fmt = o.format ?? EXT_FORMAT[ext];
        if (!fmt) throw new UsageError(`--out ${o.out}: cannot tell the format from "${ext}"; add --format table|csv|json|md`);
        if (o.format && EXT_FORMAT[ext] && EXT_FORMAT[ext] !== o.format) throw new UsageError(`--format ${o.format} does not match --out ${o.out}: use a ${Object.entries(EXT_FORMAT).find(([, f]) => f === o.format)?.[0] ?? 'matching'} file name, or leave --format out`);
        write([{ path: target, content: render(fmt) }]);
      }
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

  const dateOpt = (flag: string, what: string) => new Option(`${flag} <date>`, what).argParser((v: string) => dateArg(flag, v));

  program
    .command('arrears')
    .summary('what each State owes, by year and age, as of a date')
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
      const { books, ledger, reader, problems } = ledgerJob({ books: booksDir(o.books), cwd: io.cwd, need: ['assessments'] });
      if (!books || !ledger) fail(problems);
      report(problems);
      const pledges = pledgeBook(ledger!.pledges, ledger!.ledger.payments, new RateTable(ledger!.rates), o.asOf);
      const r = arrearsReport({ ledger: ledger!.ledger, asOf: o.asOf, pledges: pledges.statuses, ...(o.buckets ? { buckets: o.buckets } : {}) });
      const ctx = { names: namesOf(books!), inputs: reader.list() };
      emit(o, `arrears-${o.asOf}`, (fmt) => (fmt === 'csv' ? arrearsCsv(r, ctx, o.csvDialect) : fmt === 'json' ? arrearsJson(r, ctx) : fmt === 'md' ? arrearsMarkdown(r, ctx) : arrearsTable(r, ctx, fmt === 'tty' ? { bold: out.bold } : undefined)), { table: '.txt', csv: '.csv', json: '.json', md: '.md' }, (w) => arrearsSummary(r, w));
      if (o.failOn && r.states.some((s) => s.flags.includes(o.failOn!))) code = 4;
    });

  program
    .command('statement')
    .summary("one State's statement of account, reconciled line by line")
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
      const events = eventsByState(ledger!.ledger).get(iso3) ?? [];
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
      const missing = b.missing.map((x) => problem('rate-missing', `no ${x.currency} rate on or before ${x.date} (${x.why})`, { file: reader.display(path.join(books!.dir, 'exchange-rates.csv')), hint: `add a row "${x.date},${x.currency},<CHF for one ${x.currency}>" to exchange-rates.csv` }));
      if (missing.length) fail([...problems, ...missing]);
      report(problems);
      const ctx = { names: namesOf(books!), inputs: reader.list() };
      emit(o, `pledges-${o.year}`, (fmt) => (fmt === 'csv' ? pledgesCsv(b, o.csvDialect) : fmt === 'json' ? pledgesJson(b, o.year, asOf, ctx) : pledgesText(b, o.year, asOf, fmt === 'md')), { table: '.txt', csv: '.csv', json: '.json', md: '.md' });
    });


  /**
   * Print, or write to --out: a file (format from its extension) or a directory (every format,
   * a summary on a terminal). `render` takes 'tty' for the terminal table.
   */
  function emit(o: { format?: string; out?: string }, base: string, render: (fmt: string) => string, formats: Record<string, string>, summary?: (written: string[]) => string) {
    if (!o.out) {
      say(render(o.format ?? 'tty'));
      return;
    }
    const target = path.resolve(io.cwd, o.out);
    const ext = path.extname(target).toLowerCase();
    const isDir = (existsSync(target) && statSync(target).isDirectory()) || ext === '';
    const byExt = Object.fromEntries(Object.entries(formats).map(([fmt, e]) => [e, fmt]));
    if (isDir) {
      if (o.format) throw new UsageError('--format goes with a file --out (e.g. --out report.csv); a directory --out gets every format');
      const files = Object.entries(formats).map(([fmt, e]) => ({ path: path.join(target, `${base}${e}`), content: render(fmt) }));
      write(files);
      if (io.stdout.isTTY && summary) say(summary(files.map((f) => shown(f.path))));
      return;
    }
    const fmt = o.format ?? byExt[ext];
    if (!fmt) throw new UsageError(`--out ${o.out}: cannot tell the format from "${ext}"; add --format ${Object.keys(formats).join('|')}`);
    if (o.format && byExt[ext] && byExt[ext] !== o.format) throw new UsageError(`--format ${o.format} does not match --out ${o.out}: use a ${formats[o.format] ?? 'matching'} file name, or leave --format out`);
    write([{ path: target, content: render(fmt) }]);
  }

  function booksDir(books: string): string {
    const dir = path.resolve(io.cwd, books);
    if (!existsSync(dir)) throw new UsageError(`--books ${books}: no such directory`);
    if (!statSync(dir).isDirectory()) throw new UsageError(`--books ${books}: not a directory (give the directory that holds budgets.csv, parties.csv, …)`);
    return dir;
  }
  function policyFile(policy: string | undefined): string | undefined {
    if (policy === undefined) return undefined;
    const p = path.resolve(io.cwd, policy);
    if (!existsSync(p)) throw new UsageError(`--policy ${policy}: no such file`);
    if (statSync(p).isDirectory()) throw new UsageError(`--policy ${policy}: a directory, not a policy file`);
    return p;
  }
  /** A path as the user should see it: relative inside the working directory, else absolute. */
  function shown(p: string): string {
    const rel = path.relative(io.cwd, p);
    return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p;
  }
  function write(files: { path: string; content: string }[]) {
    try {
      writeAtomically(files);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      const where = err.path ? shown(err.path) : '--out';
      const why: Record<string, string> = { EACCES: 'permission denied', EPERM: 'not permitted', EEXIST: 'a file stands where a directory is needed', ENOTDIR: 'a file stands where a directory is needed', EISDIR: 'a directory stands where the file should go', ENOENT: 'no such directory', ENOSPC: 'no space left on the device', EROFS: 'read-only file system' };
      throw new UsageError(`--out: cannot write ${where}: ${why[err.code ?? ''] ?? err.message}; nothing was written`);
    }
  }
  function yearOptions(o: { year: number; books: string; policy?: string; budget?: Decimal }) {
    const policy = policyFile(o.policy);
    return {
      books: booksDir(o.books),
      cwd: io.cwd,
      year: o.year,
      ...(policy ? { policy } : {}),
      ...(o.budget ? { budget: o.budget } : {}),
    };
  }

  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
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
export function checkBooks(booksDir: string, year?: number, policyOverride?: string, cwd?: string): Problem[] {
  const dir = path.resolve(booksDir);
  const reader = new FileReader(dir, cwd);
  const { books, problems } = loadBooks(dir, reader);
  if (!books) return dedupe(problems);
  loadLedger(books, reader, problems);
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
