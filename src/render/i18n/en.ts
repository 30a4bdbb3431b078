import type { Messages } from './types.js';
import { joinList } from './format.js';
import { formatAmount } from '../number.js';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const BOUND = { max: 'held at the ceiling of', min: 'raised to the floor of', ldc_max: 'held at the ceiling for least developed countries of' } as const;

export const en: Messages = {
  lang: 'en',
  dir: 'ltr',
  name: 'English',
  number: (s) => formatAmount(s, 'en'),
  money: (s, c) => `${c} ${formatAmount(s, 'en')}`,
  date: (y, m, d) => `${d} ${MONTHS[m - 1]} ${y}`,
  percent: (s) => `${s} %`,

  invoice: 'Invoice',
  creditNote: 'Credit note',
  reminder: 'Reminder',
  invoiceNumber: 'Invoice number',
  creditNoteNumber: 'Credit note number',
  issueDate: 'Date of issue',
  dueDate: 'Due date',
  currency: 'Currency',
  reference: 'Payment reference',
  replaces: (n) => `This invoice replaces invoice ${n}, which is cancelled by a credit note.`,
  cancels: (n) => `This credit note cancels invoice ${n} in full.`,
  from: 'From',
  to: 'To',
  subject: (state, year) => `Contribution of ${state} to the ${year} budget of the Implementation Support Unit`,
  description: 'Description',
  amount: 'Amount',
  basisName: (basis) => (basis === 'equal' ? 'Equal share' : basis === 'scale' ? 'Share by the UN scale of assessments' : 'Fixed amount'),
  categoryLine: (name, year) => `${name}, ${year}`,
  contributions: (year) => `Contributions for ${year}`,
  arrearsFor: (year) => `Unpaid balance for ${year}`,
  arrearsTotal: 'Arrears from earlier years',
  creditsApplied: 'Payments and credits already applied',
  adjustmentsApplied: 'Reassessments and credit notes',
  totalDue: 'Total due',
  creditRemaining: (a) => `Credit remaining on your account after this invoice: ${a}.`,

  howToPay: 'How to pay',
  payBy: (total, due) => `Please transfer ${total} by ${due} to the account below.`,
  nothingToPay: 'Nothing is due on this invoice: it is covered by payments and credits already received.',
  accountHolder: 'Account holder',
  bank: 'Bank',
  iban: 'IBAN',
  bic: 'BIC (SWIFT)',
  quoteReference: 'Please quote the payment reference, so that your payment is matched to this invoice automatically.',
  qrBill: 'Swiss QR-bill (for payment from an account in Switzerland)',

  noteTitle: 'How your contribution was computed',
  budget: (amount, year) => `The Meeting of States Parties adopted a budget of ${amount} for ${year}. It is shared among the States Parties under the financial procedures.`,
  unRate: (rate, period) => `Your rate in the United Nations scale of assessments for ${period} is ${rate}.`,
  notionalRate: (rate) => `As a State without a UN rate of assessment, you are given a notional rate of ${rate} by the policy.`,
  ldc: 'You are counted as a least developed country.',
  proRata: (months, year) => `The Convention was binding on you on the first day of ${months} of the 12 months of ${year}, so your shares count ${months} months.`,
  categoryRule: (basis, id, share, amount, members) => {
    const part = share === null ? `${amount}` : `${share} of the budget, ${amount},`;
    if (basis === 'equal') return `${id}: ${part} is shared equally among ${members} States.`;
    if (basis === 'scale') return `${id}: ${part} is shared among ${members} States in proportion to their UN rates, adjusted so that they add up to 100 %.`;
    return `${id}: a fixed amount of ${amount}.`;
  },
  adjustedShare: (pct) => `Adjusted to the members of the category, your rate is ${pct} of the category.`,
  equalShare: (months, total) => `Your weight is ${months} months out of ${total} for all members.`,
  renormalised: (pct, held) => `Because ${held} States were held at a floor or a ceiling, the rest was shared again among the others: your share is ${pct} of the category.`,
  bound: (kind, limit) => `Your share is ${BOUND[kind]} ${limit}.`,
  fixedShare: (pct) => `The policy gives you a fixed share of ${pct} of the category.`,
  quota: (rounded) => `Your share: ${rounded}.`,
  rounding: (method, unit) =>
    method === 'largest-remainder'
      ? `Amounts are rounded to ${unit} by the largest-remainder method, so that the shares add up exactly to the budget.`
      : `Each amount is rounded to ${unit} on its own (${method === 'half-up' ? 'halves up' : 'halves to even'}).`,

  owedTitle: 'Your account',
  noArrears: (date) => `As of ${date}, nothing is outstanding from earlier years. Thank you.`,
  arrears: (amount, date, years, since) => `As of ${date}, ${amount} remains unpaid from earlier years (${years}); the oldest amount has been due since ${since}.`,
  credits: (amount, date) => `Payments and credits of ${amount} received by ${date} have been applied to this invoice.`,
  contact: (name, email, phone) => `For any question about this invoice, please contact ${name} (${email}, ${phone}).`,
  generated: (version) => `Computed by finproc ${version} from the ISU's books; the same books always give the same document.`,
  list: (items) => joinList(items, ', ', ' and '),

  reminderSubject: (state) => `Outstanding contributions of ${state}`,
  reminderOpening: (level, date) =>
    level === 1
      ? `According to our records as of ${date}, the following contributions remain unpaid. We would be grateful for their payment at your earliest convenience.`
      : level === 2
        ? `According to our records as of ${date}, the following contributions have remained unpaid for two years or more. We kindly ask you to settle them, or to contact us to agree on a payment plan.`
        : `According to our records as of ${date}, the following contributions have remained unpaid for three years or more. We urge you to settle them, or to contact us to agree on a payment plan.`,
  year: 'Year',
  invoiceCol: 'Invoice',
  assessed: 'Assessed',
  paid: 'Paid and credited',
  outstanding: 'Outstanding',
  dueSince: 'Due since',
  totalOutstanding: 'Total outstanding',
  reminderLevel: (level) => (level === 1 ? 'First reminder' : level === 2 ? 'Second reminder' : 'Final reminder'),
  quoteReferences: 'Please quote the payment reference of each invoice you pay, so that your payment is matched automatically.',
  contactLetter: (name, email, phone) => `For any question about this letter, please contact ${name} (${email}, ${phone}).`,
  reminderClosing: 'If you have paid in the meantime, please disregard this letter, and accept our thanks.',

  indexTitle: (year) => `Invoices for ${year}`,
  state: 'State',
  language: 'Language',
  document: 'Document',
};
