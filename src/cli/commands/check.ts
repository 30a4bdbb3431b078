/**
 * `finproc check`: validate the books and the policy of each budget year; silent when all is well.
 */
import { Option, type Command } from 'commander';
import path from 'node:path';
import { isError, problem, type Problem } from '../../core/problem.js';
import { FileReader, loadBooks } from '../../io/books.js';
import { loadLedger } from '../../io/ledger.js';
import { policyFileFor, rawPolicyProblems, readYearPolicy, runYear } from '../../io/job.js';
import { problemsJson } from '../../render/problems.js';
import { yearArg } from '../args.js';
import { loadCashflowBooks } from '../../io/cashflow.js';
import type { Cli } from '../context.js';

export function register(program: Command, cli: Cli): void {
  const { io, say, report, booksDir, policyFile, booksOpt } = cli;
  program
    .command('check')
    .summary('validate the books; silent when all is well')
    .description('Validate the books and the policy of each budget year (or of --year). Lists every problem at once, sorted by file and line, as file:line:column with the quoted line and a hint. Prints nothing and exits 0 when all is well; exits 1 otherwise.')
    .addOption(booksOpt())
    .option('--year <yyyy>', 'check only this year (its budget, policy and apportionment)', yearArg)
    .option('--policy <file>', 'check this policy instead of the one budgets.csv names')
    .addOption(cli.dateOpt('--today', "warn on records dated after this day (default: the latest date of the books, leaving out dates more than a year after all others)"))
    .addOption(new Option('--format <format>', 'how problems are listed').choices(['text', 'json']).default('text'))
    .addHelpText('after', '\nExamples:\n  finproc check\n  finproc check --books data --year 2026\n  finproc check --format json > problems.json')
    .action(async (o: { books: string; year?: number; policy?: string; format: string; today?: string }) => {
      const problems = await checkBooks(booksDir(o.books), o.year, policyFile(o.policy), io.cwd, o.today);
      if (o.format === 'json') {
        if (problems.length) say(problemsJson(problems));
      } else report(problems);
      if (problems.some(isError)) cli.code = 1;
    });
}

/** `check`: the books, then the policy and a dry-run apportionment of each year. */
export async function checkBooks(booksDir: string, year?: number, policyOverride?: string, cwd?: string, today?: string): Promise<Problem[]> {
  const dir = path.resolve(booksDir);
  const reader = new FileReader(dir, cwd);
  const { books, problems } = loadBooks(dir, reader);
  if (!books) return dedupe(problems);
  const ledger = loadLedger(books, reader, problems);
  // Bank imports awaiting review, bank transactions booked twice, records dated after today (docs/bank.md).
  const bank = await import('../../io/bank.js');
  bank.checkBankBooks(books, reader, ledger?.ledger, problems);
  (await import('../../io/future-dates.js')).checkFutureDates(books, reader, today, problems);
  // Loaded here, not at start-up: only `check` and `invoice` read the invoice books.
  (await import('../../io/invoice-job.js')).checkInvoiceBooks(books, reader, problems);
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
    if (pf && !pf.policy) problems.push(...rawPolicyProblems(books, pf));
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
