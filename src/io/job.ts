/**
 * Load → compute for one year: the books, the year's policy, the payers, the apportionment.
 * Returns the report as data, or every problem found on the way.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { apportion, payersFor, scaleColumnFor, type Apportionment } from '../core/apportion.js';
import type { Decimal } from '../core/decimal.js';
import { isError, problem, type Problem } from '../core/problem.js';
import { FileReader, loadBooks, loadPolicy, type Books, type InputFile } from './books.js';
import { periodShare } from '../core/books.js';
import type { PolicyFile } from './policy-file.js';
import { namedStates } from '../core/policy.js';
import { LEDGER_FILES, loadLedger, type LedgerBooks, type LedgerFile } from './ledger.js';

export interface ApportionmentReport {
  apportionment: Apportionment;
  /** Policy file as named in reports. */
  policyFile: string;
  budgetSource: 'books' | 'command line';
  inputs: InputFile[];
}

export interface YearOptions {
  /** Absolute path of the books directory. */
  books: string;
  /** Directory that paths in error messages are relative to. */
  cwd?: string;
  year: number;
  policy?: string;
  budget?: Decimal;
}

/** The policy of each year that `check` or `apportion` needs, read once per file. */
export function policyFileFor(books: Books, year: number, override?: string): string {
  if (override) return path.resolve(books.dir, override);
  const b = books.budgets.find((x) => x.year === year);
  return path.join(books.dir, b?.policy ?? 'policy.yaml');
}

export function runYear(books: Books, reader: FileReader, pf: PolicyFile, opts: YearOptions): { report?: ApportionmentReport; problems: Problem[] } {
  const problems: Problem[] = [];
  const policy = pf.policy;
  if (!policy) return { problems };
  if (policy.entryIntoForce === 'first-of-month') problems.push(...books.notFirstOfMonth);
  const row = books.budgets.find((b) => b.year === opts.year);
  let budget = opts.budget;
  if (!budget) {
    if (!row) {
      const years = books.budgets.map((b) => b.year).join(', ') || 'none';
      problems.push(problem('budget-missing', `no adopted budget for ${opts.year} in budgets.csv`, { file: reader.display(path.join(books.dir, 'budgets.csv')), hint: `years with a budget: ${years}; or pass --budget AMOUNT` }));
      return { problems };
    }
    budget = row.amount;
    // A year of a biennium or triennium: its share of the period's amount in the policy's unit.
    if (row.period) {
      const share = periodShare(row.period.total, row.period.from, row.period.to, opts.year, policy.rounding.unit);
      if (!share) {
        problems.push(problem('budget-unit', `the ${row.period.from}–${row.period.to} budget of ${row.period.total.toFixed()} is not a whole number of rounding units (${policy.rounding.unit.toFixed()})`, { ...books.budgetCell(opts.year, 'amount'), hint: 'round the adopted amount to the unit of the policy' }));
        return { problems };
      }
      budget = share;
    }
    if (row.currency !== policy.currency)
      problems.push(problem('budget-currency', `the ${opts.year} budget is in ${row.currency} but policy "${policy.id}" is in ${policy.currency}`, { ...books.budgetCell(opts.year, 'currency'), hint: 'convert the budget, or set currency in the policy' }));
  }
  for (const { iso3, field } of namedStates(policy))
    if (!books.ref.states.has(iso3)) problems.push(locateInPolicy(problem('iso3-unknown', `${iso3} is not in states.csv`, { field, hint: 'check the code (ISO 3166-1 alpha-3): a typo here would be silently ignored' }), pf));
  const column = scaleColumnFor(policy, opts.year);
  const notional = [...[...policy.unrated.rates.keys()].map((iso3) => ({ iso3, field: `scale.unrated.rates.${iso3}` })), ...policy.unrated.states.map((iso3, i) => ({ iso3, field: `scale.unrated.states.${i}` }))];
  for (const { iso3, field } of notional)
    if (column && books.ref.scale.rates.get(iso3)?.get(column))
      problems.push(locateInPolicy(problem('policy-member', `${iso3} has a UN rate in ${column}: a notional rate for it would have no effect`, { field, hint: 'notional rates are for States with no UN rate (Holy See, Cook Islands, Niue, State of Palestine)' }), pf));
  const { payers, problems: pp } = payersFor(books.ref, policy, opts.year);
  problems.push(...pp.map((p) => locateInPolicy(p, pf)));
  if (problems.some(isError)) return { problems };
  const { result, problems: ap } = apportion({ year: opts.year, budget, policy, payers, scaleColumn: scaleColumnFor(policy, opts.year)! });
  for (const p of ap) {
    if (p.code === 'budget-unit' && !p.field && !opts.budget) problems.push({ ...p, ...books.budgetCell(opts.year, 'amount') });
    else if (p.code === 'budget-unit' && !p.field) problems.push({ ...p, code: 'argument-invalid', message: `--budget: ${p.message}` });
    else problems.push(locateInPolicy(p, pf));
  }
  if (!result || problems.some(isError)) return { problems };
  return {
    report: { apportionment: result, policyFile: reader.reportName(pf.file === '' ? '' : path.resolve(pf.file)), budgetSource: opts.budget ? 'command line' : 'books', inputs: reader.list() },
    problems,
  };
}

function locateInPolicy(p: Problem, pf: PolicyFile): Problem {
  if (p.file) return p;
  // A problem about a State named as a map key (rates, fixed_shares, amounts) points at the code.
  const atKey = /\.(rates|fixed_shares|amounts)\.[A-Z]{3}$/.test(p.field ?? '');
  const where = pf.locate(p.field, atKey);
  return { ...p, ...where, field: p.field ?? '(policy)' };
}

/**
 * `check`: the checks against the books that do not need a valid policy, run on a policy
 * file with schema errors, so that every independent problem is listed at once (a misspelt
 * key and a wrong scale column together, not one after the other).
 */
export function rawPolicyProblems(books: Books, pf: PolicyFile): Problem[] {
  const out: Problem[] = [];
  const raw = pf.raw as { scale?: { periods?: unknown } } | undefined;
  const periods = Array.isArray(raw?.scale?.periods) ? (raw!.scale!.periods as unknown[]) : [];
  periods.forEach((per, i) => {
    const column = (per as { column?: unknown } | null)?.column;
    if (typeof column === 'string' && column !== '' && !books.ref.scale.columns.includes(column))
      out.push(problem('scale-period', `the scale has no column "${column}"`, { ...pf.locate(`scale.periods.${i}.column`), field: `scale.periods.${i}.column`, hint: `scale columns: ${books.ref.scale.columns.join(', ')}` }));
  });
  return out;
}

/** Read the policy of a year; a policy file that budgets.csv names but that is missing is reported at that cell. */
export function readYearPolicy(books: Books, reader: FileReader, year: number, override: string | undefined, problems: Problem[]): PolicyFile | undefined {
  const file = policyFileFor(books, year, override);
  if (!override && !existsSync(file) && books.budgets.some((b) => b.year === year)) {
    const named = books.budgets.find((b) => b.year === year)!.policy;
    problems.push(problem('file-missing', `the policy file "${named}" named for ${year} does not exist`, { ...books.budgetCell(year, 'policy'), hint: 'the path is relative to the books directory, e.g. policy.yaml or policies/article14.yaml' }));
    return undefined;
  }
  return loadPolicy(reader, file, problems);
}

/** Everything for one year, from a books directory. */
export function apportionYear(opts: YearOptions): { report?: ApportionmentReport; books?: Books; problems: Problem[] } {
  const dir = path.resolve(opts.books);
  const reader = new FileReader(dir, opts.cwd);
  const { books, problems } = loadBooks(dir, reader);
  if (!books) return { problems };
  const pf = readYearPolicy(books, reader, opts.year, opts.policy, problems);
  if (!pf || problems.some(isError)) return { problems };
  const r = runYear(books, reader, pf, opts);
  return { ...(r.report ? { report: r.report } : {}), books, problems: [...problems, ...r.problems] };
}

const USES: Record<LedgerFile, string> = {
  assessments: 'this report counts no assessment',
  payments: 'this report counts no payment: every assessment is shown unpaid',
  adjustments: 'this report counts no credit note or reassessment',
  pledges: 'this report counts no pledge',
  rates: 'amounts in other currencies cannot be converted',
};

/** The books and their ledger, for the ledger commands; `need` lists files that must exist. */
export function ledgerJob(opts: { books: string; cwd?: string; need?: LedgerFile[]; uses?: LedgerFile[]; stream?: { asOf: string } }): { books?: Books; ledger?: LedgerBooks; reader: FileReader; problems: Problem[] } {
  const dir = path.resolve(opts.books);
  const reader = new FileReader(dir, opts.cwd);
  const { books, problems } = loadBooks(dir, reader);
  if (!books) return { reader, problems };
  const ledger = loadLedger(books, reader, problems, opts.stream ? { stream: opts.stream } : {});
  for (const f of opts.need ?? []) {
    if (ledger && !ledger.present[f])
      problems.push(problem('file-missing', 'file not found', { file: reader.display(path.join(dir, LEDGER_FILES[f])), hint: `this command needs ${LEDGER_FILES[f]} in the books directory (see docs/ledger.md); finproc apportion --record writes it` }));
  }
  // A report that depends on a file the books do not have says so (never silently "nothing paid").
  for (const f of opts.uses ?? []) {
    if (ledger && !ledger.present[f])
      problems.push(problem('file-missing', `no ${LEDGER_FILES[f]} in the books: ${USES[f]}`, { severity: 'warning', file: reader.display(path.join(dir, LEDGER_FILES[f])), hint: `if ${LEDGER_FILES[f]} was moved or renamed, put it back; an empty file with its header says there are none (docs/ledger.md)` }));
  }
  if (!ledger || problems.some(isError)) return { books, reader, problems };
  return { books, ledger, reader, problems };
}
