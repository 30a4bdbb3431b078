/**
 * Invoices (docs/invoices.md): what one State is asked to pay for a year, and the register of
 * every invoice and credit note issued. Pure: amounts in centimes, dates as ISO strings.
 *
 * An invoice presents the State's account as of its date of issue:
 *   contributions  the year's assessment lines of the invoice (assessments.csv), which must
 *                  equal the apportionment (the note explains them from the same trace);
 *   arrears        what is outstanding, as of the issue date, on lines of earlier years;
 *   credits        payments and credits already applied to this invoice's lines by then;
 *   total          contributions + arrears − credits, which is what the account still owes
 *                  on these lines and on earlier years.
 * Invoice numbers are those of the assessments (ISU-YYYY-NNN, gapless, given by
 * `apportion --record`); an invoice issued again takes the next free number of the year, and
 * the one it replaces is cancelled by a credit note (CN-YYYY-NNN, its own gapless series).
 */
import { addDays } from './dates.js';
import { replay, type Account, type Cents, type StateEvents } from './ledger.js';

export interface InvoiceLine {
  category: string;
  amount: Cents;
}

export interface InvoiceAmounts {
  contributions: Cents;
  /** Outstanding on earlier years, oldest first; years with nothing outstanding left out. */
  arrears: { year: number; amount: Cents; since: string }[];
  arrearsTotal: Cents;
  /**
   * What has already reduced what is owed on this invoice: payments and credits applied
   * (`settled`) net of reassessments and credit notes on its lines (`adjustments`, signed:
   * a reassessment adds, a credit note or write-off takes away): credits = settled − adjustments.
   */
  credits: Cents;
  settled: Cents;
  adjustments: Cents;
  total: Cents;
  /** Credit left on the account after this invoice (a prepayment not yet used). */
  creditAfter: Cents;
}

export interface Invoice extends InvoiceAmounts {
  kind: 'invoice' | 'credit-note';
  number: string;
  iso3: string;
  year: number;
  issued: string;
  due: string;
  currency: 'CHF';
  lines: InvoiceLine[];
  reference: string;
  /** Invoice: the invoice it replaces. Credit note: the invoice it cancels. */
  replaces?: string;
}

/** One row of the register (invoices.csv in the books). */
export interface RegisterRow {
  number: string;
  kind: 'invoice' | 'credit-note';
  iso3: string;
  year: number;
  issued: string;
  due: string;
  language: string;
  currency: string;
  contributions: Cents;
  arrears: Cents;
  credits: Cents;
  total: Cents;
  reference: string;
  replaces: string;
}

/** The invoice that currently stands for an assessment invoice, after any --reissue. */
export interface CurrentInvoice {
  number: string;
  reference: string;
}

/**
 * For every invoice number that a reissue has replaced (by the register as of `asOf`), the
 * invoice that stands for it now: the last of the chain ISU-2026-064 → ISU-2026-201 → …,
 * with its own RF reference. Letters and statements cite that one, never a cancelled number.
 */
export function currentInvoices(register: readonly RegisterRow[], asOf: string): Map<string, CurrentInvoice> {
  const next = new Map<string, RegisterRow>();
  for (const r of register) if (r.kind === 'invoice' && r.replaces !== '' && r.issued <= asOf) next.set(r.replaces, r);
  const out = new Map<string, CurrentInvoice>();
  for (const start of next.keys()) {
    let r = next.get(start)!;
    const seen = new Set([start]);
    while (next.has(r.number) && !seen.has(r.number)) {
      seen.add(r.number);
      r = next.get(r.number)!;
    }
    out.set(start, { number: r.number, reference: r.reference });
  }
  return out;
}

/**
 * The account of one State as of `issued`, seen from its invoice `number` for `year`.
 * Returns undefined when the invoice has no line in the ledger by that date.
 */
export function invoiceAmounts(iso3: string, events: StateEvents, number: string, year: number, issued: string): { amounts: InvoiceAmounts; lines: InvoiceLine[]; account: Account } | undefined {
  const account = replay(iso3, events, issued);
  const own = account.lines.filter((l) => l.line.invoice === number);
  if (own.length === 0) return undefined;
  const lines = own.map((l) => ({ category: l.line.category, amount: l.line.amount }));
  const contributions = lines.reduce((s, l) => s + l.amount, 0n);
  const owedHere = own.reduce((s, l) => s + (l.due - l.settled), 0n);
  const byYear = new Map<number, { year: number; amount: Cents; since: string }>();
  for (const l of account.lines) {
    if (l.line.year >= year) continue;
    const out = l.due - l.settled;
    if (out === 0n) continue;
    const b = byYear.get(l.line.year) ?? { year: l.line.year, amount: 0n, since: l.line.due };
    b.amount += out;
    if (l.line.due < b.since) b.since = l.line.due;
    byYear.set(l.line.year, b);
  }
  const arrears = [...byYear.values()].sort((a, b) => a.year - b.year);
  const arrearsTotal = arrears.reduce((s, a) => s + a.amount, 0n);
  const credits = contributions - owedHere;
  const settled = own.reduce((s, l) => s + l.settled, 0n);
  const adjustments = own.reduce((s, l) => s + l.reassessed - l.reduced, 0n);
  return { amounts: { contributions, arrears, arrearsTotal, credits, settled, adjustments, total: contributions + arrearsTotal - credits, creditAfter: account.credit }, lines, account };
}

/** `ISU-2026-005` → `RF…` : the ISO 11649 creditor reference of an invoice number. */
export function creditorReference(number: string): string {
  const body = number.replace(/[^A-Za-z0-9]/g, '').toUpperCase();
  if (body.length === 0 || body.length > 21) throw new Error(`invoice number ${number} cannot make an RF reference (1 to 21 letters and digits)`);
  const check = 98n - mod97(`${body}RF00`);
  return `RF${String(check).padStart(2, '0')}${body}`;
}

/** ISO 11649 / ISO 7064 mod 97 of an alphanumeric string (A = 10 … Z = 35). */
export function mod97(s: string): bigint {
  let digits = '';
  for (const ch of s.toUpperCase()) {
    const c = ch.charCodeAt(0);
    if (c >= 48 && c <= 57) digits += ch;
    else if (c >= 65 && c <= 90) digits += String(c - 55);
    else throw new Error(`not alphanumeric: ${s}`);
  }
  return BigInt(digits) % 97n;
}

/** An RF reference is valid when moving "RFkk" to the end gives 1 mod 97. */
export function isCreditorReference(ref: string): boolean {
  if (!/^RF\d\d[A-Z0-9]{1,21}$/.test(ref)) return false;
  return mod97(`${ref.slice(4)}${ref.slice(0, 4)}`) === 1n;
}

/** The next number of a series `PREFIX-NNN` after those in use (gapless: max + 1). */
export function nextNumber(prefix: string, used: Iterable<string>): string {
  let max = 0;
  let width = 3;
  const re = new RegExp(`^${prefix.replace(/[-\\^$*+?.()|[\]{}]/g, '\\$&')}-(\\d+)$`);
  for (const n of used) {
    const m = re.exec(n);
    if (!m) continue;
    max = Math.max(max, Number(m[1]));
    width = Math.max(width, m[1]!.length);
  }
  return `${prefix}-${String(max + 1).padStart(width, '0')}`;
}

export interface IssuePlan {
  /** Documents to write: every invoice asked for (new, already issued, or issued again) and any credit notes. */
  documents: Invoice[];
  /** Rows to append to the register. */
  append: RegisterRow[];
  /** Invoices already issued whose amounts have changed (refused without `reissue`). */
  changed: { registered: RegisterRow; computed: Invoice }[];
}

const sameAmounts = (r: RegisterRow, i: Invoice) => r.contributions === i.contributions && r.arrears === i.arrearsTotal && r.credits === i.credits && r.total === i.total;

export function registerRow(i: Invoice, language: string): RegisterRow {
  return { number: i.number, kind: i.kind, iso3: i.iso3, year: i.year, issued: i.issued, due: i.due, language, currency: i.currency, contributions: i.contributions, arrears: i.arrearsTotal, credits: i.credits, total: i.total, reference: i.reference, replaces: i.replaces ?? '' };
}

/**
 * Decide what to issue. `computed` are the invoices as the books give them now, each under the
 * number of its assessment; `register` is every row issued so far (all years). An invoice in
 * the register with the same amounts is issued again as registered (same number, dates and
 * bytes); with other amounts it is `changed`, and with `reissue` it is cancelled by a credit
 * note and issued under the next number of the year.
 */
export function planIssue(computed: Invoice[], register: RegisterRow[], opts: { reissue: boolean; issued?: string; termsDays: number; language: (iso3: string) => string; taken: Iterable<string> }): IssuePlan {
  // Every number already given: the register's and every assessment's (not only those asked for).
  const used = new Set([...register.map((r) => r.number), ...opts.taken]);
  for (const c of computed) used.add(c.number);
  // The current invoice of each State and year: the last one not cancelled.
  const cancelled = new Set(register.filter((r) => r.kind === 'credit-note').map((r) => r.replaces));
  const current = new Map<string, RegisterRow>();
  for (const r of register) if (r.kind === 'invoice' && !cancelled.has(r.number)) current.set(`${r.iso3}:${r.year}`, r);
  const plan: IssuePlan = { documents: [], append: [], changed: [] };
  for (const c of computed) {
    const reg = current.get(`${c.iso3}:${c.year}`);
    if (!reg) {
      // Never issued, or issued and cancelled by a credit note: then under a new number, since a
      // number is issued once (the cancelled document stays as it was).
      const cancelledAs = register.find((r) => r.kind === 'invoice' && r.iso3 === c.iso3 && r.year === c.year);
      if (!cancelledAs) {
        plan.documents.push(c);
        plan.append.push(registerRow(c, opts.language(c.iso3)));
        continue;
      }
      const last = [...register].reverse().find((r) => r.kind === 'invoice' && r.iso3 === c.iso3 && r.year === c.year)!;
      const number = nextNumber(`ISU-${c.year}`, used);
      used.add(number);
      const again: Invoice = { ...c, number, reference: creditorReference(number), replaces: last.number };
      plan.documents.push(again);
      plan.append.push(registerRow(again, opts.language(c.iso3)));
      continue;
    }
    if (sameAmounts(reg, c)) {
      // As registered: its own number, dates and reference.
      plan.documents.push({ ...c, number: reg.number, issued: reg.issued, due: reg.due, reference: reg.reference, ...(reg.replaces ? { replaces: reg.replaces } : {}) });
      continue;
    }
    if (!opts.reissue) {
      plan.changed.push({ registered: reg, computed: c });
      continue;
    }
    // Each State's documents carry its own date: --issue-date, else the date its amounts were computed at.
    const date = opts.issued ?? c.issued;
    const cn = nextNumber(`CN-${c.year}`, used);
    used.add(cn);
    const credit: Invoice = {
      kind: 'credit-note',
      number: cn,
      iso3: c.iso3,
      year: c.year,
      issued: date,
      due: date,
      currency: 'CHF',
      lines: [],
      reference: creditorReference(cn),
      replaces: reg.number,
      contributions: -reg.contributions,
      arrears: [],
      arrearsTotal: -reg.arrears,
      credits: -reg.credits,
      settled: -reg.credits,
      adjustments: 0n,
      total: -reg.total,
      creditAfter: 0n,
    };
    const number = nextNumber(`ISU-${c.year}`, used);
    used.add(number);
    const due = addDays(date, opts.termsDays);
    const again: Invoice = { ...c, number, issued: date, due: c.due > due ? c.due : due, reference: creditorReference(number), replaces: reg.number };
    plan.documents.push(credit, again);
    plan.append.push(registerRow(credit, opts.language(c.iso3)), registerRow(again, opts.language(c.iso3)));
  }
  return plan;
}
