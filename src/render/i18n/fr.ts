/**
 * French catalogue, in the register of the treaty secretariats' correspondence (UN terminology:
 * « Réunion des États parties », « Unité d’appui à l’application », « quote-part », « pays les
 * moins avancés », « barème des quotes-parts »).
 *
 * Typography (plain text, deterministic): group separator U+202F (narrow no-break space), decimal
 * comma, U+202F before « % », « ; » and inside guillemets; U+00A0 before « : » and between the
 * amount and the currency code. The minus sign stays ASCII "-" so that amounts are identical and
 * searchable across languages. Country names carry articles in French (« de l’Autriche », « du
 * Canada »), which the books do not record: sentences never put a State's name after « de ».
 */
import type { Messages } from './types.js';
import { joinList } from './format.js';
import { formatAmount } from '../number.js';

const NBSP = '\u00A0';
const NNBSP = '\u202F';
const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];
const num = (s: string): string => formatAmount(s, 'fr');
const pct = (s: string): string => `${s.replace('.', ',')}${NNBSP}%`;
const states = (n: number): string => (n === 1 ? 'État' : 'États');

export const fr: Messages = {
  lang: 'fr',
  dir: 'ltr',
  name: 'Français',
  number: num,
  money: (s, c) => `${num(s)}${NBSP}${c}`,
  date: (y, m, d) => `${d === 1 ? '1er' : d} ${MONTHS[m - 1]} ${y}`,
  percent: pct,

  invoice: 'Facture',
  creditNote: 'Note de crédit',
  reminder: 'Rappel',
  invoiceNumber: 'Numéro de facture',
  creditNoteNumber: 'Numéro de la note de crédit',
  issueDate: 'Date d’émission',
  dueDate: 'Date d’échéance',
  currency: 'Monnaie',
  reference: 'Référence de paiement',
  replaces: (n) => `La présente facture remplace la facture ${n}, annulée par une note de crédit.`,
  cancels: (n) => `La présente note de crédit annule intégralement la facture ${n}.`,
  from: 'Émetteur',
  to: 'Destinataire',
  subject: (state, year) => `Contribution au budget ${year} de l’Unité d’appui à l’application — ${state}`,
  description: 'Désignation',
  amount: 'Montant',
  basisName: (basis) => (basis === 'equal' ? 'Part égale' : basis === 'scale' ? 'Quote-part selon le barème des quotes-parts de l’ONU' : 'Montant fixe'),
  categoryLine: (name, year) => `${name}, exercice ${year}`,
  contributions: (year) => `Contributions pour ${year}`,
  arrearsFor: (year) => `Solde impayé pour ${year}`,
  arrearsTotal: 'Arriérés des années antérieures',
  creditsApplied: 'Paiements et crédits déjà imputés',
  adjustmentsApplied: 'Rectifications et notes de crédit',
  totalDue: 'Total dû',
  creditRemaining: (a) => `Crédit restant sur votre compte après la présente facture${NBSP}: ${a}.`,

  howToPay: 'Modalités de paiement',
  payBy: (total, due) => `Veuillez virer la somme de ${total} sur le compte ci-dessous au plus tard le ${due}.`,
  nothingToPay: `Aucun montant n’est dû au titre de la présente facture${NBSP}: elle est couverte par les paiements et crédits déjà reçus.`,
  accountHolder: 'Titulaire du compte',
  bank: 'Banque',
  iban: 'IBAN',
  bic: 'BIC (SWIFT)',
  quoteReference: 'Veuillez indiquer la référence de paiement, afin que votre versement soit rapproché automatiquement de la présente facture.',
  qrBill: 'QR-facture suisse (pour un paiement depuis un compte en Suisse)',

  noteTitle: 'Mode de calcul de votre contribution',
  budget: (amount, year) => `La Réunion des États parties a adopté pour ${year} un budget de ${amount}. Celui-ci est réparti entre les États parties conformément aux procédures financières.`,
  unRate: (rate, period) => `Votre taux de contribution au barème des quotes-parts de l’Organisation des Nations Unies pour ${period} est de ${rate}.`,
  notionalRate: (rate) => `Votre État n’ayant pas de taux de contribution au barème de l’ONU, les règles de répartition lui attribuent un taux théorique de ${rate}.`,
  ldc: 'Votre État figure parmi les pays les moins avancés.',
  proRata: (months, year) =>
    `La Convention était en vigueur à l’égard de votre État le premier jour de ${months} des 12 mois de ${year}${NNBSP}; vos quotes-parts sont donc calculées sur ${months} mois.`,
  categoryRule: (basis, id, share, amount, members) => {
    const part = share === null ? `${amount}` : `${share} du budget, soit ${amount},`;
    if (basis === 'equal') return `${id}${NBSP}: ${part} est réparti à parts égales entre ${members} ${states(members)}.`;
    if (basis === 'scale')
      return `${id}${NBSP}: ${part} est réparti entre ${members} ${states(members)} proportionnellement à leur taux de contribution au barème de l’ONU, ajusté de sorte que le total soit de ${pct('100')}.`;
    return `${id}${NBSP}: montant fixe de ${amount}.`;
  },
  adjustedShare: (p) => `Rapporté aux seuls membres de la catégorie, votre taux représente ${p} de la catégorie.`,
  equalShare: (months, total) => `Votre pondération est de ${months} mois sur un total de ${total} pour l’ensemble des membres.`,
  renormalised: (p, held) =>
    `${held === 1 ? 'Comme 1 État a été maintenu' : `Comme ${held} États ont été maintenus`} à un plancher ou à un plafond, le solde a été réparti à nouveau entre les autres${NBSP}: votre quote-part est de ${p} de la catégorie.`,
  bound: (kind, limit) =>
    kind === 'max'
      ? `Votre quote-part est plafonnée à ${limit}.`
      : kind === 'min'
        ? `Votre quote-part est portée au plancher de ${limit}.`
        : `Votre quote-part est plafonnée à ${limit}, plafond applicable aux pays les moins avancés.`,
  fixedShare: (p) => `Les règles de répartition vous attribuent une quote-part fixe de ${p} de la catégorie.`,
  quota: (rounded) => `Votre quote-part${NBSP}: ${rounded}.`,
  rounding: (method, unit) =>
    method === 'largest-remainder'
      ? `Les montants sont arrondis à ${unit} selon la méthode du plus fort reste, de sorte que la somme des quotes-parts soit exactement égale au budget.`
      : `Chaque montant est arrondi séparément à ${unit} (${method === 'half-up' ? 'les demis étant arrondis vers le haut' : 'les demis étant arrondis au pair'}).`,

  owedTitle: 'Situation de votre compte',
  noArrears: (date) => `Au ${date}, aucun montant n’est dû au titre des années antérieures. Nous vous en remercions.`,
  arrears: (amount, date, years, since) =>
    `Au ${date}, un montant de ${amount} reste dû au titre des années antérieures (${years})${NNBSP}; le montant le plus ancien est exigible depuis le ${since}.`,
  credits: (amount, date) => `Les paiements et crédits d’un montant de ${amount} reçus jusqu’au ${date} ont été imputés sur la présente facture.`,
  contact: (name, email, phone) => `Pour toute question relative à la présente facture, veuillez vous adresser à ${name} (${email}, ${phone}).`,
  generated: (version) =>
    `Calculé par finproc ${version} à partir des livres de l’Unité d’appui à l’application${NNBSP}; les mêmes livres donnent toujours le même document.`,
  list: (items) => joinList(items, ', ', ' et '),

  reminderSubject: (state) => `Contributions non acquittées — ${state}`,
  reminderOpening: (level, date) =>
    level === 1
      ? `Selon nos registres au ${date}, les contributions ci-après restent impayées. Nous vous saurions gré de bien vouloir les acquitter dans les meilleurs délais.`
      : level === 2
        ? `Selon nos registres au ${date}, les contributions ci-après restent impayées depuis deux ans ou plus. Nous vous prions de bien vouloir les acquitter ou de prendre contact avec nous pour convenir d’un échéancier de paiement.`
        : `Selon nos registres au ${date}, les contributions ci-après restent impayées depuis trois ans ou plus. Nous vous prions instamment de les acquitter ou de prendre contact avec nous pour convenir d’un échéancier de paiement.`,
  year: 'Année',
  invoiceCol: 'Facture',
  assessed: 'Montant mis en recouvrement',
  paid: 'Montant versé et crédité',
  outstanding: 'Solde dû',
  dueSince: 'Exigible depuis',
  totalOutstanding: 'Total restant dû',
  reminderLevel: (level) => (level === 1 ? 'Premier rappel' : level === 2 ? 'Deuxième rappel' : 'Dernier rappel'),
  quoteReferences: 'Veuillez indiquer la référence de paiement de chaque facture réglée, afin que votre versement soit rapproché automatiquement.',
  contactLetter: (name, email, phone) => `Pour toute question relative à la présente lettre, veuillez vous adresser à ${name} (${email}, ${phone}).`,
  reminderClosing: 'Si vous avez procédé au paiement entre-temps, nous vous prions de ne pas tenir compte de la présente lettre et vous en remercions.',

  indexTitle: (year) => `Factures pour ${year}`,
  state: 'État',
  language: 'Langue',
  document: 'Document',
};
