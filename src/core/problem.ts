/**
 * Problems are values, not exceptions: every stage returns what it found, and the command
 * reports all of them at once, sorted by file, line and column (see `render/problems.ts`).
 * The code of a problem is the same word in the code, the docs (docs/errors.md) and the
 * reproducer tests (test/errors.test.ts).
 */
export const PROBLEM_CODES = {
  'file-missing': 'a required input file does not exist',
  'file-unreadable': 'an input file cannot be read as UTF-8 text',
  'csv-syntax': 'the CSV text is malformed (quotes, field count)',
  'csv-delimiter': 'the header line has no `,` or `;` delimiter, or both',
  'column-missing': 'a required column is absent from the header',
  'column-unknown': 'a column the file format does not define (warning)',
  'column-duplicate': 'the same column name twice in the header',
  'value-missing': 'a required cell is empty',
  'amount-invalid': 'a cell that must hold an amount or a rate does not',
  'amount-ambiguous': 'an amount whose reading depends on a convention (`1,234`)',
  'amount-negative': 'a negative amount or rate where none is allowed',
  'date-invalid': 'a cell that must hold an ISO date does not',
  'date-ambiguous': 'a date in a day/month order that cannot be told (`12.5.2026`)',
  'year-invalid': 'a cell that must hold a four-digit year does not',
  'iso3-invalid': 'not a three-letter upper-case ISO 3166-1 alpha-3 code',
  'iso3-unknown': 'an ISO3 code that `states.csv` does not list',
  'row-duplicate': 'the same key twice in one file',
  'value-invalid': 'a cell outside its allowed set of values',
  'date-order': 'dates of one row in an impossible order',
  'policy-yaml': 'the policy file is not valid YAML',
  'policy-schema': 'a policy key is missing, unknown or of the wrong type',
  'policy-shares': 'category shares do not add up to exactly 100 %',
  'policy-member': 'a State named in the policy is not a payer that year',
  'policy-bounds': 'bounds that no allocation can satisfy',
  'scale-period': 'no scale period covers the year, or the column is missing',
  'scale-sum': 'a scale column does not sum to 100 (warning)',
  'rate-unrated': 'a payer with no UN rate and no rule for it',
  'budget-missing': 'no adopted budget for the year',
  'budget-unit': 'a budget or fixed amount that is not a whole number of rounding units',
  'budget-currency': 'the budget currency differs from the policy currency',
  'category-empty': 'a category with no member in the year',
  'ledger-reference': 'a ledger record names an invoice, year, category or pledge that does not exist for that State',
  'ledger-rule': 'an adjustment the ledger rules forbid (a line below zero, a refund beyond the credit)',
  'rate-missing': 'no exchange rate on or before a date for a currency that needs one',
  'already-recorded': 'assessments that are already in assessments.csv would be recorded again',
  'config-invalid': 'the issuer file (isu.yaml) is not valid: a key, an IBAN or a BIC',
  'invoice-mismatch': 'recorded assessments that differ from the apportionment the note would explain, or a year not recorded',
  'invoice-changed': 'an invoice already in the register whose amounts have changed (needs --reissue)',
  'argument-invalid': 'a command-line value that cannot be used',
  'scenario-schema': 'a scenario file is not valid YAML, or a key is missing, unknown or names no category',
  'scenario-member': 'a scenario makes a State join that is already bound, or leave that is not',
  'bank-file': 'a bank file that is not a camt.053, camt.054 or MT940 finproc can read, or a bank-review.csv row that cannot be booked (warning: a member of a ZIP left out as plainly not a bank file)',
  'bank-balance': 'a bank file whose amounts do not add up: opening + entries ≠ closing, or an entry ≠ its transactions (warning)',
  'bank-reference': 'a bank transaction skipped as one already booked, in bank-review.csv or in another file, whose bank reference it has, though received on another day (warning)',
  'bank-review': 'bank entries in bank-review.csv still awaiting the officer\'s decision (warning)',
  'date-future': 'a record dated after today (--today, default: the latest date of the books) (warning)',
  'plan-missing': 'the expenditure plan or the opening balances have no row for the year a cash-flow projection needs',
  'dispatch-refused': 'a document `finproc send` will not send: a preview, not in the register, cancelled, changed since written, or no e-mail address',
  'dispatch-failed': 'the mail server refused a message or could not be reached (nothing recorded for it)',
} as const;

export type ProblemCode = keyof typeof PROBLEM_CODES;
export type Severity = 'error' | 'warning';

export interface Problem {
  code: ProblemCode;
  severity: Severity;
  /** One sentence: what is wrong. */
  message: string;
  /** Path as shown to the user (relative to the books directory when inside it). */
  file?: string;
  /** 1-based. */
  line?: number;
  /** 1-based, in characters of the line. */
  column?: number;
  /** Column name (CSV) or key path (policy). */
  field?: string;
  /** The offending line, verbatim. */
  excerpt?: string;
  /** Width of the `^^^` marker under the excerpt. */
  width?: number;
  /** How to fix it. */
  hint?: string;
}

export function problem(code: ProblemCode, message: string, extra: Omit<Problem, 'code' | 'message' | 'severity'> & { severity?: Severity } = {}): Problem {
  return { severity: 'error', ...extra, code, message };
}

export function isError(p: Problem): boolean {
  return p.severity === 'error';
}

/** Sorted by file, then line, then column; problems without a file first. Stable. */
export function sortProblems(ps: readonly Problem[]): Problem[] {
  return ps
    .map((p, i) => ({ p, i }))
    .sort((a, b) =>
      cmp(a.p.file ?? '', b.p.file ?? '') ||
      (a.p.line ?? 0) - (b.p.line ?? 0) ||
      (a.p.column ?? 0) - (b.p.column ?? 0) ||
      a.i - b.i,
    )
    .map((x) => x.p);
}

/** Code-point order of two strings: the same on every machine (never the locale's). */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Thrown by the shell when a stage returned errors; carries all of them. */
export class ProblemsError extends Error {
  constructor(readonly problems: Problem[]) {
    super(`${problems.filter(isError).length} problem(s) in the input`);
  }
}
