/**
 * The words of the invoices, notes and reminders, in the six UN languages. One `Messages`
 * object per language (en.ts, fr.ts, …); every sentence is a function of plain values that are
 * already formatted for the language (amounts through `money`, dates through `date`), so a
 * translation can reorder words freely. Nothing here reads the machine's locale or `Intl`:
 * the same books give the same bytes on every machine.
 *
 * Every parameter is plain text: the renderer escapes it for HTML or Markdown after the
 * sentence is built, so a translation must not add markup.
 */

import { LANGS, type Lang } from '../../core/lang.js';

export { LANGS, type Lang };

/** A category's basis, as the policy states it (docs/policy.md). */
export type Basis = 'equal' | 'scale' | 'fixed';
export type BoundKind = 'min' | 'max' | 'ldc_max';
export type RoundingMethod = 'largest-remainder' | 'half-up' | 'half-even';

export interface Messages {
  lang: Lang;
  /** Text direction of the language. */
  dir: 'ltr' | 'rtl';
  /** The language's own name (for the index), e.g. "Français". */
  name: string;

  // ---- Formatting (Western digits in every language, so amounts read the same everywhere) ----
  /** Groups an amount already written as `-1234567.50` (always '.' and two decimals or none). */
  number(plain: string): string;
  /** An amount with its currency, e.g. en "CHF 1,234.50", fr "1 234,50 CHF". */
  money(plain: string, currency: string): string;
  /** A date, from year, month (1–12) and day, e.g. en "15 January 2026", fr "15 janvier 2026". */
  date(y: number, m: number, d: number): string;
  /** A percentage already written as a decimal string, e.g. en "0.081 %" (fr uses a comma). */
  percent(plain: string): string;

  // ---- The invoice ----
  invoice: string; // "Invoice"
  creditNote: string; // "Credit note"
  reminder: string; // "Reminder"
  invoiceNumber: string; // "Invoice number"
  creditNoteNumber: string; // "Credit note number"
  issueDate: string; // "Date of issue"
  dueDate: string; // "Due date"
  currency: string; // "Currency"
  reference: string; // "Payment reference"
  replaces(number: string): string; // "This invoice replaces invoice ISU-2026-005, cancelled by credit note CN-2026-001."
  cancels(number: string): string; // "This credit note cancels invoice ISU-2026-005 in full."
  from: string; // "From"
  to: string; // "To"
  /** Subject line of the invoice. */
  subject(state: string, year: number): string; // "Contribution of Austria to the 2026 budget of the Implementation Support Unit"
  description: string; // table header "Description"
  amount: string; // table header "Amount"
  /** The default name of a category of this basis, when the policy gives none in the language. */
  basisName(basis: Basis): string; // "Equal share", "Share by the UN scale of assessments", "Fixed amount"
  /** A contribution line: the category's display name and the year, e.g. "Equal base share, 2026". */
  categoryLine(name: string, year: number): string;
  contributions(year: number): string; // "Contributions for 2026"
  arrearsFor(year: number): string; // "Unpaid balance for 2024"
  arrearsTotal: string; // "Arrears from earlier years"
  creditsApplied: string; // "Payments and credits already applied"
  adjustmentsApplied: string; // "Reassessments and credit notes" (signed: a reassessment adds, a credit note takes away)
  totalDue: string; // "Total due"
  creditRemaining(amount: string): string; // "Credit remaining on your account after this invoice: CHF 120.00."

  // ---- Payment instructions ----
  howToPay: string; // heading "How to pay"
  payBy(total: string, due: string): string; // "Please transfer CHF 1,234.50 by 14 February 2026 to the account below."
  nothingToPay: string; // "Nothing is due on this invoice: it is covered by payments and credits already received."
  accountHolder: string; // "Account holder"
  bank: string; // "Bank"
  iban: string; // "IBAN"
  bic: string; // "BIC (SWIFT)"
  quoteReference: string; // "Please quote the payment reference so that your payment is matched to this invoice automatically."
  qrBill: string; // "Swiss QR-bill (for payment from an account in Switzerland)"

  // ---- The personalised note: how the amount was computed ----
  noteTitle: string; // "How your contribution was computed"
  budget(amount: string, year: number): string; // "The Meeting of States Parties adopted a budget of CHF 618,250.00 for 2026. It is shared among the States Parties under the financial procedures." (no policy id: the note is for a ministry)
  unRate(rate: string, period: string): string; // "Your rate in the United Nations scale of assessments for 2025–2027 is 0.679 %." (the years, never the column of scale.csv)
  notionalRate(rate: string): string; // "As a State without a UN rate of assessment, it is given a notional rate of 0.001 % by the policy."
  ldc: string; // "It is counted as a least developed country."
  proRata(months: number, year: number): string; // "The Convention was binding on it on the first day of 3 of the 12 months of 2025, so its shares count 3 months."
  /** One sentence per category on how the category is shared. */
  categoryRule(basis: Basis, name: string, share: string | null, amount: string, members: number): string; // name: the display name, e.g. "Equal base share: 15 % of the budget, …"
  // equal: "Equal base share: 15 % of the budget, CHF 92,737.50, is shared equally among 88 States."
  // scale: "Share by the United Nations scale of assessments: 85 % of the budget, CHF 525,512.50, is shared among 112 States in proportion to their UN rates adjusted to 100 %."
  // fixed: "Host country share: a fixed amount of CHF 1,000.00."
  // share null (category without a share): "Host country share: CHF 1,000.00 (the rest of the budget) …"
  adjustedShare(pct: string): string; // "Adjusted to the members of the category, your rate is 0.1371 % of the category."
  equalShare(months: number, totalMonths: string): string; // "Your weight is 12 months out of 1,056 for all members."
  renormalised(pct: string, held: number): string; // "Because 9 States were held at a floor or a ceiling, the rest was shared again among the others: your share is 0.1372 % of the category."
  bound(kind: BoundKind, limit: string): string; // max: "Your share is held at the ceiling of CHF 154,562.50." min: "…raised to the floor of …" ldc_max: "…held at the ceiling for least developed countries of …"
  fixedShare(pct: string): string; // "The policy gives you a fixed share of 3 % of the category."
  quota(rounded: string): string; // "Your share: CHF 4,221.45." (the unrounded quota is in `explain` and the annex)
  rounding(method: RoundingMethod, unit: string): string; // largest-remainder: "Amounts are rounded to CHF 0.01 by the largest-remainder method, so that the shares add up exactly to the budget." half-up/half-even: "Each amount is rounded to CHF 0.01 on its own (half up / half to even)."

  // ---- The note: what is still owed ----
  owedTitle: string; // "Your account"
  noArrears(date: string): string; // "As of 15 January 2026, nothing is outstanding from earlier years. Thank you."
  arrears(amount: string, date: string, years: string, since: string): string; // "As of 15 January 2026, CHF 2,345.60 remains unpaid from earlier years (2023, 2024); the oldest amount has been due since 14 February 2023."
  credits(amount: string, date: string): string; // "Payments and credits of CHF 500.00 received by 15 January 2026 have been applied to this invoice."
  contact(name: string, email: string, phone: string): string; // "For any question about this invoice, please contact Name (email, phone)."
  generated(version: string): string; // "Computed by finproc 0.1.0 from the ISU's books; the same books always give the same document."
  /** A list of years or items joined for prose: en "2023, 2024 and 2025". */
  list(items: string[]): string;

  // ---- Reminders (remind --as-of) ----
  reminderSubject(state: string): string; // "Outstanding contributions of Austria"
  /** Level 1: one year in arrears; 2: two years; 3: three or more years. */
  reminderOpening(level: 1 | 2 | 3, date: string): string;
  // 1: "According to our records as of 31 March 2026, the following contributions remain unpaid. We would be grateful for their payment at your earliest convenience."
  // 2: "…remain unpaid for two years or more. We kindly ask you to settle them, or to contact us to agree on a payment plan."
  // 3: "…remain unpaid for three years or more. We urge you to settle them, or to contact us to agree on a payment plan."
  year: string; // table header "Year"
  invoiceCol: string; // table header "Invoice"
  assessed: string; // "Assessed"
  paid: string; // "Paid and credited"
  outstanding: string; // "Outstanding"
  dueSince: string; // "Due since"
  totalOutstanding: string; // "Total outstanding"
  reminderLevel(level: 1 | 2 | 3): string; // "First reminder", "Second reminder", "Final reminder"
  quoteReferences: string; // "Please quote the payment reference of each invoice you pay, so that your payment is matched automatically."
  contactLetter(name: string, email: string, phone: string): string; // "For any question about this letter, please contact Name (email, phone)."
  reminderClosing: string; // "If you have paid in the meantime, please disregard this letter, and accept our thanks."

  // ---- Index of documents ----
  indexTitle(year: number): string; // "Invoices for 2026"
  state: string; // "State"
  language: string; // "Language"
  document: string; // "Document"
}
