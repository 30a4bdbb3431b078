/**
 * Russian catalogue, in the register of UN documents (terminology: «Совещание государств-
 * участников», «Группа имплементационной поддержки», «шкала взносов ООН», «ставка взноса»,
 * «наименее развитые страны»). No «ё», as in UN Russian texts.
 *
 * Numbers: group U+00A0 (no-break space), decimal ","; U+00A0 between the amount and the
 * currency code, before "%" and before "г." in dates. The minus sign stays ASCII "-".
 * Dates use genitive month names ("15 января 2026 г."), which also read correctly after
 * «на», «с», «по», «не позднее». Nouns after counts agree through `ruPlural` (1 месяц,
 * 2–4 месяца, 5+ месяцев; 11–14 take the "many" form). State names are never declined:
 * sentences put them after a dash or a colon.
 */
import type { Messages } from './types.js';
import { joinList } from './format.js';
import { formatAmount } from '../number.js';

const NBSP = '\u00A0';
const MONTHS_GEN = ['января', 'февраля', 'марта', 'апреля', 'мая', 'июня', 'июля', 'августа', 'сентября', 'октября', 'ноября', 'декабря'];

/**
 * The Russian plural category of a non-negative integer: `one` for 1, 21, 101… (not 11),
 * `few` for 2–4, 22–24… (not 12–14), `many` otherwise (0, 5–20, 25…).
 */
export function ruPlural(n: number, one: string, few: string, many: string): string {
  const a = Math.abs(Math.trunc(n));
  const d = a % 10;
  const h = a % 100;
  if (d === 1 && h !== 11) return one;
  if (d >= 2 && d <= 4 && (h < 12 || h > 14)) return few;
  return many;
}

/** The integer part of a formatted number ("1 056" → 1056); NaN if there is none. */
const intOf = (s: string): number => Number(s.split(',')[0]!.replace(/[^0-9]/g, '') || 'NaN');

const num = (s: string): string => formatAmount(s, 'ru');
const pct = (s: string): string => `${s.replace('.', ',')}${NBSP}%`;
/** "1 месяц", "3 месяца", "12 месяцев" (nominative/accusative). */
const monthsAcc = (n: number): string => ruPlural(n, 'месяц', 'месяца', 'месяцев');
/** After «из N»: genitive ("из 1 месяца", "из 3 месяцев", "из 1 056 месяцев"). */
const monthsGen = (n: number): string => ruPlural(n, 'месяца', 'месяцев', 'месяцев');
/** Genitive after «из» for a formatted count; a fraction takes the singular ("из 2,5 месяца"). */
const monthsGenOf = (s: string): string => (s.includes(',') ? 'месяца' : monthsGen(intOf(s)));
/** After «между N»: instrumental ("между 21 государством", "между 88 государствами"). */
const statesInstr = (n: number): string => ruPlural(n, 'государством', 'государствами', 'государствами');
/** After «доли N»: genitive ("1 государства", "9 государств"). */
const statesGen = (n: number): string => ruPlural(n, 'государства', 'государств', 'государств');

/** A date ends in "г.": the sentence's full stop is not doubled. */
const endSentence = (s: string): string => (s.endsWith('.') ? s : `${s}.`);

export const ru: Messages = {
  lang: 'ru',
  dir: 'ltr',
  name: 'Русский',
  number: num,
  money: (s, c) => `${num(s)}${NBSP}${c}`,
  date: (y, m, d) => `${d} ${MONTHS_GEN[m - 1]} ${y}${NBSP}г.`,
  percent: pct,

  invoice: 'Счет',
  creditNote: 'Кредитовое авизо',
  reminder: 'Напоминание',
  invoiceNumber: 'Номер счета',
  creditNoteNumber: 'Номер кредитового авизо',
  issueDate: 'Дата выставления',
  dueDate: 'Срок оплаты',
  currency: 'Валюта',
  reference: 'Референс платежа',
  replaces: (n) => `Настоящий счет заменяет счет ${n}, аннулированный кредитовым авизо.`,
  cancels: (n) => `Настоящее кредитовое авизо полностью аннулирует счет ${n}.`,
  from: 'Отправитель',
  to: 'Получатель',
  subject: (state, year) => `Взнос в бюджет Группы имплементационной поддержки на ${year} год — ${state}`,
  description: 'Наименование',
  amount: 'Сумма',
  basisName: (basis) => (basis === 'equal' ? 'Равная доля' : basis === 'scale' ? 'Доля по шкале взносов ООН' : 'Фиксированная сумма'),
  categoryLine: (name, year) => `${name}, ${year}${NBSP}г.`,
  contributions: (year) => `Взносы на ${year} год`,
  arrearsFor: (year) => `Непогашенный остаток за ${year} год`,
  arrearsTotal: 'Задолженность за предыдущие годы',
  creditsApplied: 'Уже зачтенные платежи и кредиты',
  adjustmentsApplied: 'Перерасчеты и кредитовые авизо',
  totalDue: 'Итого к оплате',
  creditRemaining: (a) => `Остаток средств в вашу пользу после выставления настоящего счета: ${a}.`,

  howToPay: 'Порядок оплаты',
  payBy: (total, due) => `Просьба перевести ${total} на указанный ниже банковский счет не позднее ${endSentence(due)}`,
  nothingToPay: 'По настоящему счету ничего не причитается: сумма покрыта уже полученными платежами и кредитами.',
  accountHolder: 'Владелец счета',
  bank: 'Банк',
  iban: 'IBAN',
  bic: 'BIC (SWIFT)',
  quoteReference: 'Просьба указать референс платежа, чтобы ваш платеж был автоматически сопоставлен с настоящим счетом.',
  qrBill: 'Швейцарский QR-счет (для оплаты с банковского счета в Швейцарии)',

  noteTitle: 'Порядок расчета вашего взноса',
  budget: (amount, year) => `Совещание государств-участников утвердило бюджет на ${year} год в размере ${amount}. Он распределяется между государствами-участниками в соответствии с финансовыми процедурами.`,
  unRate: (rate, period) => `Ставка взноса вашего государства по шкале взносов ООН на ${period} годы составляет ${rate}.`,
  notionalRate: (rate) =>
    `Поскольку у вашего государства нет ставки взноса по шкале ООН, правила распределения устанавливают для него условную ставку в размере ${rate}.`,
  ldc: 'Ваше государство относится к наименее развитым странам.',
  proRata: (months, year) =>
    `Конвенция имела обязательную силу для вашего государства в первый день ${months} из 12 месяцев ${year} года, поэтому ваши доли рассчитываются за ${months} ${monthsAcc(months)}.`,
  categoryRule: (basis, id, share, amount, members) => {
    const part = share === null ? `${amount}` : `${share} бюджета, т.${NBSP}е. ${amount},`;
    if (basis === 'equal') return `${id}: ${part} распределяется поровну между ${members} ${statesInstr(members)}.`;
    if (basis === 'scale')
      return `${id}: ${part} распределяется между ${members} ${statesInstr(members)} пропорционально их ставкам взносов по шкале ООН, скорректированным так, чтобы в сумме они составляли ${pct('100')}.`;
    return `${id}: фиксированная сумма в размере ${amount}.`;
  },
  adjustedShare: (p) => `С поправкой на состав членов категории ваша ставка составляет ${p} от суммы категории.`,
  equalShare: (months, total) =>
    `Ваш вес составляет ${months} ${monthsAcc(months)} из ${total} ${monthsGenOf(total)} в совокупности по всем членам.`,
  renormalised: (p, held) =>
    `Поскольку доли ${held} ${statesGen(held)} были ограничены нижним или верхним пределом, остаток был заново распределен между остальными государствами: ваша доля составляет ${p} от суммы категории.`,
  bound: (kind, limit) =>
    kind === 'max'
      ? `Ваша доля ограничена верхним пределом в размере ${limit}.`
      : kind === 'min'
        ? `Ваша доля увеличена до нижнего предела в размере ${limit}.`
        : `Ваша доля ограничена верхним пределом для наименее развитых стран в размере ${limit}.`,
  fixedShare: (p) => `Правила распределения устанавливают для вашего государства фиксированную долю в размере ${p} от суммы категории.`,
  quota: (rounded) => `Ваша доля: ${rounded}.`,
  rounding: (method, unit) =>
    method === 'largest-remainder'
      ? `Суммы округляются до ${unit} методом наибольшего остатка, с тем чтобы сумма долей в точности равнялась бюджету.`
      : `Каждая сумма округляется до ${unit} отдельно (${method === 'half-up' ? 'половины округляются в большую сторону' : 'половины округляются до ближайшего четного'}).`,

  owedTitle: 'Состояние расчетов',
  noArrears: (date) => `По состоянию на ${date} задолженность за предыдущие годы отсутствует. Благодарим вас.`,
  arrears: (amount, date, years, since) =>
    `По состоянию на ${date} за предыдущие годы (${years}) остается непогашенной сумма в размере ${amount}; самая давняя из этих сумм подлежит оплате с ${endSentence(since)}`,
  credits: (amount, date) => `Платежи и кредиты на сумму ${amount}, поступившие по ${date} включительно, учтены в настоящем счете.`,
  contact: (name, email, phone) => `По всем вопросам, касающимся настоящего счета, просьба обращаться: ${name} (${email}, ${phone}).`,
  generated: (version) =>
    `Рассчитано программой finproc ${version} на основе учетных книг Группы имплементационной поддержки; одни и те же книги всегда дают один и тот же документ.`,
  list: (items) => joinList(items, ', ', ' и '),

  reminderSubject: (state) => `Задолженность по взносам — ${state}`,
  reminderOpening: (level, date) =>
    level === 1
      ? `Согласно нашим данным на ${date}, указанные ниже взносы остаются неуплаченными. Будем признательны за их уплату в кратчайшие возможные сроки.`
      : level === 2
        ? `Согласно нашим данным на ${date}, указанные ниже взносы остаются неуплаченными в течение двух или более лет. Просим вас погасить задолженность или связаться с нами, чтобы согласовать график платежей.`
        : `Согласно нашим данным на ${date}, указанные ниже взносы остаются неуплаченными в течение трех или более лет. Настоятельно призываем вас погасить задолженность или связаться с нами, чтобы согласовать график платежей.`,
  year: 'Год',
  invoiceCol: 'Счет',
  assessed: 'Начислено',
  paid: 'Уплачено и зачтено',
  outstanding: 'Задолженность',
  dueSince: 'Подлежит оплате с',
  totalOutstanding: 'Итого задолженность',
  reminderLevel: (level) => (level === 1 ? 'Первое напоминание' : level === 2 ? 'Второе напоминание' : 'Последнее напоминание'),
  quoteReferences: 'Просьба указывать референс платежа каждого оплачиваемого счета, чтобы ваш платеж был сопоставлен автоматически.',
  contactLetter: (name, email, phone) => `По всем вопросам, касающимся настоящего письма, просьба обращаться: ${name} (${email}, ${phone}).`,
  reminderClosing: 'Если вы уже произвели оплату, просим не принимать настоящее письмо во внимание и благодарим вас.',

  indexTitle: (year) => `Счета на ${year} год`,
  state: 'Государство',
  language: 'Язык',
  document: 'Документ',
};
