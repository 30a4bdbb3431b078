/**
 * `finproc invoice`: load the books, the year's apportionment, the ledger and the register,
 * and decide which documents to issue (docs/invoices.md). No output is written here.
 */
import path from 'node:path';
import { addDays, dayNumber } from '../core/dates.js';
import { eventsByState, NO_EVENTS, centsToString, type AssessmentLine } from '../core/ledger.js';
import { creditorReference, invoiceAmounts, planIssue, type Invoice, type IssuePlan, type RegisterRow } from '../core/invoice.js';
import { isError, problem, type Problem } from '../core/problem.js';
import { explain, type Explanation } from './explain.js';
import { LANGS, type Lang } from '../core/lang.js';
import type { Books, FileReader } from './books.js';
import { loadDispatchLog } from './dispatch.js';
import { INVOICE_FILES, loadIssuer, loadMissions, loadRegister, type Issuer, type Mission } from './invoice.js';
import { apportionYear, ledgerJob, type ApportionmentReport } from './job.js';
import type { LedgerBooks } from './ledger.js';

export interface InvoiceDocument {
  invoice: Invoice;
  lang: Lang;
  mission: Mission;
  /** How the contributions were computed (absent on a credit note). */
  explanation?: Explanation;
}

export interface InvoiceJob {
  report: ApportionmentReport;
  books: Books;
  ledger: LedgerBooks;
  reader: FileReader;
  issuer: Issuer;
  missions: Map<string, Mission>;
  register: RegisterRow[];
  plan: IssuePlan;
  documents: InvoiceDocument[];
  problems: Problem[];
}

export interface InvoiceOptions {
  books: string;
  cwd: string;
  year: number;
  issueDate?: string;
  states?: string[];
  lang: Lang | 'auto';
  reissue: boolean;
}

/** The issuer, missions and register of a books directory, with their problems. */
export function loadInvoiceBooks(books: Books, reader: FileReader, problems: Problem[]) {
  const missions = loadMissions(reader, path.join(books.dir, INVOICE_FILES.missions), books, problems);
  const issuer = loadIssuer(reader, path.join(books.dir, INVOICE_FILES.issuer), problems, { qrBills: [...(missions?.values() ?? [])].some((m) => m.qrBill) });
  const register = loadRegister(reader, path.join(books.dir, INVOICE_FILES.register), problems);
  return { issuer, missions, register };
}

/** `check`: the invoice books that are present (a books directory need not issue invoices). */
export function checkInvoiceBooks(books: Books, reader: FileReader, problems: Problem[]): void {
  const at = (f: string) => path.join(books.dir, f);
  const missions = reader.exists(at(INVOICE_FILES.missions)) ? loadMissions(reader, at(INVOICE_FILES.missions), books, problems) : undefined;
  if (reader.exists(at(INVOICE_FILES.issuer))) loadIssuer(reader, at(INVOICE_FILES.issuer), problems, { qrBills: [...(missions?.values() ?? [])].some((m) => m.qrBill) });
  loadRegister(reader, at(INVOICE_FILES.register), problems);
  loadDispatchLog(reader, books.dir, problems); // dispatch.csv, the log of finproc send
}

export function invoiceJob(o: InvoiceOptions): { job?: InvoiceJob; problems: Problem[] } {
  const ap = apportionYear({ books: o.books, cwd: o.cwd, year: o.year });
  if (!ap.report) return { problems: ap.problems };
  const lj = ledgerJob({ books: o.books, cwd: o.cwd, need: ['assessments'], uses: ['payments'] });
  const problems = [...ap.problems.filter((p) => !isError(p)), ...lj.problems];
  if (!lj.books || !lj.ledger) return { problems };
  const { books, ledger, reader } = lj;
  const { issuer, missions, register } = loadInvoiceBooks(books, reader, problems);
  if (!issuer || !missions || !register || problems.some(isError)) return { problems };
  const report = ap.report;
  const a = report.apportionment;
  const assessFile = reader.display(path.join(books.dir, 'assessments.csv'));
  const payers = a.states.filter((s) => s.totalUnits > 0n && (!o.states || o.states.includes(s.iso3)));
  for (const iso3 of o.states ?? []) {
    if (!a.states.some((s) => s.iso3 === iso3 && s.totalUnits > 0n)) problems.push(problem('argument-invalid', `--states: ${iso3} has no contribution to invoice for ${o.year}`, { hint: `finproc explain ${iso3} --year ${o.year} says why` }));
  }
  // The year's ISU assessment lines, by State.
  const lines = new Map<string, AssessmentLine[]>();
  for (const l of ledger.ledger.lines) if (l.purpose === 'isu' && l.year === o.year) lines.set(l.iso3, [...(lines.get(l.iso3) ?? []), l]);
  if (lines.size === 0) {
    problems.push(problem('invoice-mismatch', `${o.year} is not recorded in assessments.csv: there is nothing to invoice`, { file: assessFile, hint: `record the year first: finproc apportion --year ${o.year} --record --issue-date YYYY-MM-DD` }));
    return { problems };
  }
  const events = eventsByState(ledger.ledger);
  const registered = new Map<string, RegisterRow>();
  const cancelled = new Set(register.filter((r) => r.kind === 'credit-note').map((r) => r.replaces));
  for (const r of register) if (r.kind === 'invoice' && r.year === o.year && !cancelled.has(r.number)) registered.set(r.iso3, r);
  const computed: Invoice[] = [];
  const explanations = new Map<string, Explanation>();
  for (const s of payers) {
    const own = lines.get(s.iso3) ?? [];
    const numbers = [...new Set(own.map((l) => l.invoice))];
    if (numbers.length !== 1) {
      problems.push(problem('invoice-mismatch', numbers.length === 0 ? `${s.iso3} has no assessment for ${o.year} in assessments.csv` : `${s.iso3} has ${numbers.length} invoices for ${o.year} (${numbers.join(', ')}); one is expected`, { file: assessFile, hint: 'the assessments of a year are recorded once, by finproc apportion --record' }));
      continue;
    }
    // The note explains the apportionment; the invoice shows the ledger. They must agree.
    const differs: string[] = [];
    for (const c of a.categories.filter((k) => k.invoiced)) {
      const want = s.amounts.get(c.id);
      const got = own.filter((l) => l.category === c.id).reduce((t, l) => t + l.amount, 0n);
      const wantCents = want ? BigInt(want.toFixed(2).replace('.', '')) : 0n;
      if (got !== wantCents) differs.push(`${c.id}: recorded ${centsToString(got)}, apportioned ${centsToString(wantCents)}`);
    }
    for (const l of own) if (!a.categories.some((k) => k.id === l.category && k.invoiced)) differs.push(`${l.category}: recorded ${centsToString(l.amount)}, not an invoiced category of the policy`);
    if (differs.length > 0) {
      problems.push(problem('invoice-mismatch', `the ${o.year} assessment of ${s.iso3} (${numbers[0]}) differs from the apportionment: ${differs.join('; ')}`, { file: assessFile, hint: 'the invoice note explains the apportionment; correct the books (budget, policy, or a reassessment) before invoicing' }));
      continue;
    }
    const number = numbers[0]!;
    const first = own.reduce((d, l) => (l.issued < d ? l.issued : d), own[0]!.issued);
    const issued = o.issueDate ?? registered.get(s.iso3)?.issued ?? first;
    if (dayNumber(issued) < dayNumber(first)) {
      problems.push(problem('argument-invalid', `--issue-date ${issued} is before ${number} was recorded (${first})`, { hint: `give a date on or after ${first}` }));
      continue;
    }
    const r = invoiceAmounts(s.iso3, events.get(s.iso3) ?? NO_EVENTS, number, o.year, issued);
    if (!r) continue;
    // Payable by the assessment's due date, or, for a document issued later, within the terms.
    const terms = addDays(issued, issuer.termsDays);
    if (!/^\d{4}-\d\d-\d\d$/.test(terms)) {
      problems.push(problem('argument-invalid', `--issue-date ${issued}: the due date would fall after 9999-12-31`, { hint: 'give the real date of the invoices' }));
      break;
    }
    const due = dayNumber(own[0]!.due) >= dayNumber(terms) || issued === first ? own[0]!.due : terms;
    computed.push({ kind: 'invoice', number, iso3: s.iso3, year: o.year, issued, due, currency: 'CHF', lines: r.lines, reference: creditorReference(number), ...r.amounts });
    const e = explain(report, s.iso3);
    if (e) explanations.set(s.iso3, e);
    if (!missions.has(s.iso3)) problems.push(problem('value-missing', `${s.iso3} has no address in missions.csv`, { file: reader.display(path.join(books.dir, INVOICE_FILES.missions)), hint: 'add a row: iso3,mission,street,building,postcode,town,country,email,qr_bill' }));
  }
  if (problems.some(isError)) return { problems };
  const langOf = (iso3: string): Lang => (o.lang === 'auto' ? ((books.ref.states.get(iso3)?.language as Lang | undefined) ?? 'en') : o.lang);
  if (o.reissue && o.issueDate) {
    const later = [...registered.values()].filter((r) => computed.some((c) => c.iso3 === r.iso3) && dayNumber(r.issued) > dayNumber(o.issueDate!));
    if (later.length) {
      problems.push(problem('argument-invalid', `--issue-date ${o.issueDate} is before ${later.map((r) => `${r.number} (${r.issued})`).slice(0, 3).join(', ')}: a credit note cannot precede the invoice it cancels`, { hint: 'give a date on or after the invoices issued' }));
      return { problems };
    }
  }
  const plan = planIssue(computed, register, { reissue: o.reissue, ...(o.issueDate ? { issued: o.issueDate } : {}), termsDays: issuer.termsDays, language: langOf, taken: ledger.ledger.lines.map((l) => l.invoice) });
  if (plan.changed.length > 0) {
    const regFile = reader.display(path.join(books.dir, INVOICE_FILES.register));
    for (const c of plan.changed)
      problems.push(
        problem('invoice-changed', `${c.registered.number} (${c.registered.iso3}, issued ${c.registered.issued}) is in the register with a total of ${centsToString(c.registered.total)}; the books now give ${centsToString(c.computed.total)} as of ${c.computed.issued}`, {
          file: regFile,
          hint: 'an issued invoice is never overwritten: run again with --reissue to cancel it by a credit note and issue a new one',
        }),
      );
    return { problems };
  }
  const documents = plan.documents.map((inv) => {
    // A registered document keeps the language it was issued in, unless --lang asks for another.
    const reg = register.find((r) => r.number === inv.number);
    const lang = o.lang === 'auto' && reg && isLang(reg.language) ? reg.language : langOf(inv.iso3);
    const e = explanations.get(inv.iso3);
    return { invoice: inv, lang, mission: missions.get(inv.iso3)!, ...(inv.kind === 'invoice' && e ? { explanation: e } : {}) };
  });
  return { job: { report, books, ledger, reader, issuer, missions, register, plan, documents, problems }, problems };
}

function isLang(s: string): s is Lang {
  return (LANGS as readonly string[]).includes(s);
}
