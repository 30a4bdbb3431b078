/**
 * Arabic catalogue, in the register of UN documents (terminology: "اجتماع الدول الأطراف",
 * "وحدة دعم التنفيذ", "جدول الأنصبة المقررة للأمم المتحدة", "أقل البلدان نمواً"; months as in
 * UN Arabic texts: يناير … يوليه … ديسمبر).
 *
 * Digits: Western (Latin) digits 0–9, group "," and decimal ".", so that an amount is the same
 * string in all six languages and can be searched for (UN Arabic documents also use them).
 *
 * Bidi: the documents are right-to-left. A run such as "-1,234.50 CHF" or "ISU-2026-005" inside
 * an Arabic sentence would be reordered by the Unicode bidi algorithm (the minus sign moves to
 * the other end, "ISU-2026-005" can display as "2026-005-ISU", "CHF" can jump to the other side
 * of the amount). So:
 *  - `number`, `money` and `percent` return their text inside LRI … PDI (U+2066 … U+2069): a
 *    left-to-right isolate, displayed as one unit exactly as in the other languages
 *    ("1,234.50 CHF", "0.081%"), and treated as a single neutral by the surrounding sentence.
 *  - Parameters that may hold Latin letters or punctuation (invoice numbers, category ids, the
 *    policy name, column names, version, contact name, e-mail, phone, list items) are wrapped
 *    in FSI … PDI (U+2068 … U+2069), whose direction follows their first strong character
 *    (left-to-right for "ISU-2026-005", right-to-left for an Arabic name). Values that are
 *    already isolated, pure digit runs (years, counts) and Arabic words are left as they are.
 *  - `date` needs no isolate: "15 يناير 2026" has its two numbers separated by an Arabic word,
 *    and a run of digits alone keeps its order in right-to-left text.
 * Isolates are invisible format characters; they never split an amount, so "1,234.50" is still a
 * substring of the text.
 */
import type { Messages } from './types.js';
import { formatAmount } from '../number.js';

const NBSP = '\u00A0';
const LRI = '\u2066';
const FSI = '\u2068';
const PDI = '\u2069';
const MONTHS = ['يناير', 'فبراير', 'مارس', 'أبريل', 'مايو', 'يونيه', 'يوليه', 'أغسطس', 'سبتمبر', 'أكتوبر', 'نوفمبر', 'ديسمبر'];

const ltr = (s: string): string => `${LRI}${s}${PDI}`;
/** Isolates a parameter unless it is already isolated, digits only, or Arabic words. */
export const iso = (s: string): string =>
  (s.startsWith(LRI) || s.startsWith(FSI)) && s.endsWith(PDI) ? s : /^[0-9]*$|^[\p{Script=Arabic}\s]+$/u.test(s) ? s : `${FSI}${s}${PDI}`;
const num = (s: string): string => ltr(formatAmount(s, 'ar'));
const pct = (s: string): string => ltr(`${s}%`);

export const ar: Messages = {
  lang: 'ar',
  dir: 'rtl',
  name: 'العربية',
  number: num,
  money: (s, c) => ltr(`${formatAmount(s, 'ar')}${NBSP}${c}`),
  date: (y, m, d) => `${d} ${MONTHS[m - 1]} ${y}`,
  percent: pct,

  invoice: 'فاتورة',
  creditNote: 'إشعار دائن',
  reminder: 'تذكير',
  invoiceNumber: 'رقم الفاتورة',
  creditNoteNumber: 'رقم الإشعار الدائن',
  issueDate: 'تاريخ الإصدار',
  dueDate: 'تاريخ الاستحقاق',
  currency: 'العملة',
  reference: 'مرجع الدفع',
  replaces: (n) => `تحل هذه الفاتورة محل الفاتورة ${iso(n)}، التي ألغيت بموجب إشعار دائن.`,
  cancels: (n) => `يلغي هذا الإشعار الدائن الفاتورة ${iso(n)} بالكامل.`,
  from: 'من',
  to: 'إلى',
  subject: (state, year) => `مساهمة ${iso(state)} في ميزانية وحدة دعم التنفيذ لعام ${year}`,
  description: 'البيان',
  amount: 'المبلغ',
  basisName: (basis) => (basis === 'equal' ? 'حصة متساوية' : basis === 'scale' ? 'حصة وفقاً لجدول الأنصبة المقررة للأمم المتحدة' : 'مبلغ ثابت'),
  categoryLine: (name, year) => `${iso(name)}، ${year}`,
  contributions: (year) => `المساهمات لعام ${year}`,
  arrearsFor: (year) => `الرصيد غير المسدد لعام ${year}`,
  arrearsTotal: 'المتأخرات من السنوات السابقة',
  creditsApplied: 'المدفوعات والأرصدة الدائنة المخصومة بالفعل',
  adjustmentsApplied: 'إعادة التقدير والإشعارات الدائنة',
  totalDue: 'المبلغ الإجمالي المستحق',
  creditRemaining: (a) => `الرصيد الدائن المتبقي في حسابكم بعد هذه الفاتورة: ${iso(a)}.`,

  howToPay: 'طريقة الدفع',
  payBy: (total, due) => `يرجى تحويل مبلغ ${iso(total)} إلى الحساب المبين أدناه في موعد أقصاه ${due}.`,
  nothingToPay: 'لا يستحق أي مبلغ بموجب هذه الفاتورة، إذ إنها مغطاة بالمدفوعات والأرصدة الدائنة الواردة بالفعل.',
  accountHolder: 'صاحب الحساب',
  bank: 'المصرف',
  iban: 'رقم الحساب المصرفي الدولي (IBAN)',
  bic: 'رمز BIC (SWIFT)',
  quoteReference: 'يرجى ذكر مرجع الدفع، لكي تتم مطابقة دفعتكم مع هذه الفاتورة تلقائياً.',
  qrBill: 'فاتورة QR السويسرية (للدفع من حساب في سويسرا)',

  noteTitle: 'طريقة حساب مساهمتكم',
  budget: (amount, year) => `اعتمد اجتماع الدول الأطراف ميزانية قدرها ${iso(amount)} لعام ${year}. وتقسم هذه الميزانية بين الدول الأطراف وفقاً للإجراءات المالية.`,
  unRate: (rate, period) => `يبلغ معدل الأنصبة المقررة لدولتكم في جدول الأنصبة المقررة للأمم المتحدة للفترة ${iso(period)} ${iso(rate)}.`,
  notionalRate: (rate) => `نظراً إلى أن دولتكم ليس لها معدل أنصبة مقررة في الأمم المتحدة، تحدد لها قواعد التقسيم معدلاً افتراضياً قدره ${iso(rate)}.`,
  ldc: 'تصنف دولتكم ضمن أقل البلدان نمواً.',
  proRata: (months, year) =>
    `كانت الاتفاقية ملزمة لدولتكم في اليوم الأول من ${months} من أشهر عام ${year} الاثني عشر، ولذلك تحسب حصصكم على أساس عدد الأشهر: ${months}.`,
  categoryRule: (basis, id, share, amount, members) => {
    const part = share === null ? iso(amount) : `${iso(share)} من الميزانية، أي ${iso(amount)}،`;
    if (basis === 'equal') return `${iso(id)}: يقسم ${part} بالتساوي بين الدول الأعضاء في الفئة، وعددها ${members}.`;
    if (basis === 'scale')
      return `${iso(id)}: يقسم ${part} بين الدول الأعضاء في الفئة، وعددها ${members}، بنسبة معدلات أنصبتها المقررة في الأمم المتحدة بعد تعديلها بحيث يبلغ مجموعها ${pct('100')}.`;
    return `${iso(id)}: مبلغ ثابت قدره ${iso(amount)}.`;
  },
  adjustedShare: (p) => `بعد التعديل وفقاً للدول الأعضاء في الفئة، يبلغ معدلكم ${iso(p)} من الفئة.`,
  equalShare: (months, total) => `وزنكم بالأشهر: ${months} من أصل ${iso(total)} لمجموع الأعضاء.`,
  renormalised: (p, held) =>
    `نظراً إلى تثبيت حصص دول عددها ${held} عند حد أدنى أو حد أقصى، أعيد تقسيم الباقي بين الدول الأخرى: تبلغ حصتكم ${iso(p)} من الفئة.`,
  bound: (kind, limit) =>
    kind === 'max'
      ? `ثبتت حصتكم عند الحد الأقصى البالغ ${iso(limit)}.`
      : kind === 'min'
        ? `رفعت حصتكم إلى الحد الأدنى البالغ ${iso(limit)}.`
        : `ثبتت حصتكم عند الحد الأقصى المطبق على أقل البلدان نمواً، البالغ ${iso(limit)}.`,
  fixedShare: (p) => `تحدد قواعد التقسيم لدولتكم حصة ثابتة قدرها ${iso(p)} من الفئة.`,
  quota: (rounded) => `حصتكم: ${iso(rounded)}.`,
  rounding: (method, unit) =>
    method === 'largest-remainder'
      ? `تقرب المبالغ إلى ${iso(unit)} بطريقة الباقي الأكبر، بحيث يساوي مجموع الحصص الميزانية تماماً.`
      : `يقرب كل مبلغ على حدة إلى ${iso(unit)} (${method === 'half-up' ? 'يقرب النصف إلى الأعلى' : 'يقرب النصف إلى أقرب رقم زوجي'}).`,

  owedTitle: 'حالة حسابكم',
  noArrears: (date) => `حتى ${date}، لا توجد أي مبالغ مستحقة من السنوات السابقة. ونشكركم على ذلك.`,
  arrears: (amount, date, years, since) =>
    `حتى ${date}، لا يزال مبلغ ${iso(amount)} غير مسدد من السنوات السابقة (${years})؛ وأقدم مبلغ منها مستحق منذ ${since}.`,
  credits: (amount, date) => `خصمت من هذه الفاتورة مدفوعات وأرصدة دائنة قدرها ${iso(amount)} وردت حتى ${date}.`,
  contact: (name, email, phone) => `لأي استفسار بشأن هذه الفاتورة، يرجى الاتصال بـ ${iso(name)} (${iso(email)}، ${iso(phone)}).`,
  generated: (version) => `أجريت الحسابات باستخدام برنامج ${iso(`finproc ${version}`)} استناداً إلى دفاتر وحدة دعم التنفيذ؛ وتنتج الدفاتر نفسها دائماً الوثيقة نفسها.`,
  list: (items) => items.map(iso).join(' و'),

  reminderSubject: (state) => `المساهمات غير المسددة المستحقة على ${iso(state)}`,
  reminderOpening: (level, date) =>
    level === 1
      ? `تفيد سجلاتنا حتى ${date} بأن المساهمات التالية لا تزال غير مسددة. وسنكون ممتنين لو تفضلتم بتسديدها في أقرب وقت ممكن.`
      : level === 2
        ? `تفيد سجلاتنا حتى ${date} بأن المساهمات التالية لا تزال غير مسددة منذ سنتين أو أكثر. ونرجو منكم التفضل بتسديدها، أو الاتصال بنا للاتفاق على خطة للسداد.`
        : `تفيد سجلاتنا حتى ${date} بأن المساهمات التالية لا تزال غير مسددة منذ ثلاث سنوات أو أكثر. ونحثكم على تسديدها، أو الاتصال بنا للاتفاق على خطة للسداد.`,
  year: 'السنة',
  invoiceCol: 'الفاتورة',
  assessed: 'المبلغ المقرر',
  paid: 'المدفوع والمقيد لحسابكم',
  outstanding: 'المبلغ غير المسدد',
  dueSince: 'مستحق منذ',
  totalOutstanding: 'مجموع المبالغ غير المسددة',
  reminderLevel: (level) => (level === 1 ? 'التذكير الأول' : level === 2 ? 'التذكير الثاني' : 'التذكير الأخير'),
  quoteReferences: 'يرجى ذكر مرجع الدفع الخاص بكل فاتورة تسددونها، لكي تتم مطابقة دفعتكم تلقائياً.',
  contactLetter: (name, email, phone) => `لأي استفسار بشأن هذه الرسالة، يرجى الاتصال بـ ${iso(name)} (${iso(email)}، ${iso(phone)}).`,
  reminderClosing: 'إذا كنتم قد سددتم المبلغ في غضون ذلك، يرجى عدم الالتفات إلى هذه الرسالة، مع خالص شكرنا.',

  indexTitle: (year) => `فواتير عام ${year}`,
  state: 'الدولة',
  language: 'اللغة',
  document: 'الوثيقة',
};
