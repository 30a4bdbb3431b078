/**
 * Notes verbales in the six UN languages: the courtesy formulas of diplomatic correspondence
 * that frame the invoices, credit notes, reminders and acknowledgements of payment.
 *
 *   "The Implementation Support Unit of the Convention on Cluster Munitions presents its
 *   compliments to the Permanent Mission of … and has the honour to …"
 *   "… avails itself of this opportunity to renew to the Permanent Mission of … the assurances
 *   of its highest consideration."
 *
 * The Unit's name (`unit`), the place, letterhead and signatory come from isu.yaml (`letter:`),
 * with the defaults below. State names are not declined: the formulas say "the Permanent
 * Mission of the State Party X" where the language would need a case or an article (fr « de
 * l’État partie », es «del Estado parte», ar "للدولة الطرف", ru «государства-участника»), which
 * is grammatical with the name in its dictionary form. For reviewers: written from UN usage
 * (UNTERM), not by native translators; to be read by one before the first real mailing.
 *
 * Arabic: Latin parameters (invoice numbers) are isolated (FSI … PDI) as in ar.ts; amounts
 * arrive already isolated from `money`.
 */
import { iso } from './ar.js';
import type { Lang } from './types.js';

export type Level = 1 | 2 | 3;

export interface Letters {
  noteVerbale: string;
  /** Label of the reference number, e.g. "Ref." */
  ref: string;
  /** "Geneva, 15 January 2026". */
  placeDate(place: string, date: string): string;
  /** "Page 1 of 2" around the two counters, for CSS `content` (plain text). */
  pageOf: [string, string, string];
  /** Defaults when isu.yaml gives none: the letterhead (convention, unit) and the Unit as subject of a sentence. */
  convention: string;
  unitName: string;
  unit: string;
  /** The default place of the letters (Geneva). */
  place: string;
  invoiceOpening(unit: string, state: string, year: number, number: string): string;
  creditNoteOpening(unit: string, state: string, number: string, cancelled: string): string;
  reminderOpening(level: Level, unit: string, state: string, date: string): string;
  ackOpening(unit: string, state: string, amount: string, date: string): string;
  closing(unit: string, state: string): string;
  ackTitle: string;
  ackApplied: string;
  ackCredit(amount: string): string;
  ackBalance(amount: string, date: string): string;
  ackSettled(date: string): string;
  received: string;
  bankReference: string;
  appliedTo: string;
  annexTitle: string;
  annexIntro: string;
  /** Heading of the QR-bill page. */
  paymentPartFor(number: string): string;
}

const en: Letters = {
  noteVerbale: 'Note verbale',
  ref: 'Ref.',
  placeDate: (place, date) => `${place}, ${date}`,
  pageOf: ['Page ', ' of ', ''],
  convention: 'Convention on Cluster Munitions',
  unitName: 'Implementation Support Unit',
  unit: 'The Implementation Support Unit of the Convention on Cluster Munitions',
  place: 'Geneva',
  invoiceOpening: (unit, state, year, number) =>
    `${unit} presents its compliments to the Permanent Mission of ${state} and has the honour to transmit herewith invoice ${number} for the contribution of ${state} to the ${year} budget of the Implementation Support Unit, as adopted by the Meeting of States Parties.`,
  creditNoteOpening: (unit, state, number, cancelled) =>
    `${unit} presents its compliments to the Permanent Mission of ${state} and has the honour to transmit herewith credit note ${number}, which cancels invoice ${cancelled} in full.`,
  reminderOpening: (level, unit, state, date) =>
    `${unit} presents its compliments to the Permanent Mission of ${state} and has the honour to recall that, according to its records as of ${date}, the contributions listed below remain unpaid.` +
    (level === 1
      ? ' The Unit would be grateful for their payment at the Mission’s earliest convenience.'
      : level === 2
        ? ' Some have remained unpaid for two years or more; the Unit would be grateful if they could be settled, or if the Mission could contact it to agree on a payment plan.'
        : ' Some have remained unpaid for three years or more. The Unit respectfully urges their settlement, or that the Mission contact it to agree on a payment plan.'),
  ackOpening: (unit, state, amount, date) => `${unit} presents its compliments to the Permanent Mission of ${state} and has the honour to acknowledge with thanks the receipt, on ${date}, of a payment of ${amount}.`,
  closing: (unit, state) => `${unit} avails itself of this opportunity to renew to the Permanent Mission of ${state} the assurances of its highest consideration.`,
  ackTitle: 'Acknowledgement of payment',
  ackApplied: 'The payment has been applied as follows:',
  ackCredit: (a) => `${a} has been kept as a credit on the account, to be set against future contributions.`,
  ackBalance: (a, date) => `As of ${date}, ${a} remains outstanding.`,
  ackSettled: (date) => `As of ${date}, nothing remains outstanding. The Unit is grateful for this support.`,
  received: 'Date received',
  bankReference: 'Bank reference',
  appliedTo: 'Applied to',
  annexTitle: 'Technical annex: the computation, step by step',
  annexIntro: 'The trace below is the output of finproc explain, in English, for technical services.',
  paymentPartFor: (n) => `Swiss QR-bill for invoice ${n}`,
};

const NBSP = '\u00A0';
const NNBSP = '\u202F';
const fr: Letters = {
  noteVerbale: 'Note verbale',
  ref: 'Réf.',
  placeDate: (place, date) => `${place}, le ${date}`,
  pageOf: ['Page ', ' sur ', ''],
  convention: 'Convention sur les armes à sous-munitions',
  unitName: 'Unité d’appui à l’application',
  unit: 'L’Unité d’appui à l’application de la Convention sur les armes à sous-munitions',
  place: 'Genève',
  invoiceOpening: (unit, state, year, number) =>
    `${unit} présente ses compliments à la Mission permanente de l’État partie ${state} et a l’honneur de lui faire tenir ci-après la facture ${number} relative à la contribution de cet État au budget ${year} de l’Unité d’appui à l’application, tel qu’adopté par la Réunion des États parties.`,
  creditNoteOpening: (unit, state, number, cancelled) =>
    `${unit} présente ses compliments à la Mission permanente de l’État partie ${state} et a l’honneur de lui faire tenir ci-après la note de crédit ${number}, qui annule intégralement la facture ${cancelled}.`,
  reminderOpening: (level, unit, state, date) =>
    `${unit} présente ses compliments à la Mission permanente de l’État partie ${state} et a l’honneur de lui rappeler que, selon ses registres au ${date}, les contributions indiquées ci-après restent impayées.` +
    (level === 1
      ? ' L’Unité saurait gré à la Mission de bien vouloir les acquitter dans les meilleurs délais.'
      : level === 2
        ? ` Certaines d’entre elles sont impayées depuis deux ans ou plus${NNBSP}; l’Unité saurait gré à la Mission de bien vouloir les acquitter ou de prendre contact avec elle afin de convenir d’un échéancier de paiement.`
        : ' Certaines d’entre elles sont impayées depuis trois ans ou plus. L’Unité prie instamment la Mission de bien vouloir les acquitter ou de prendre contact avec elle afin de convenir d’un échéancier de paiement.'),
  ackOpening: (unit, state, amount, date) => `${unit} présente ses compliments à la Mission permanente de l’État partie ${state} et a l’honneur d’accuser réception, avec ses remerciements, du versement de ${amount} reçu le ${date}.`,
  closing: (unit, state) => `${unit} saisit cette occasion pour renouveler à la Mission permanente de l’État partie ${state} les assurances de sa très haute considération.`,
  ackTitle: 'Accusé de réception de paiement',
  ackApplied: `Ce versement a été imputé comme suit${NBSP}:`,
  ackCredit: (a) => `Un montant de ${a} a été porté au crédit du compte et sera imputé sur les contributions futures.`,
  ackBalance: (a, date) => `Au ${date}, un montant de ${a} reste dû.`,
  ackSettled: (date) => `Au ${date}, aucun montant ne reste dû. L’Unité remercie la Mission de son soutien.`,
  received: 'Date de réception',
  bankReference: 'Référence bancaire',
  appliedTo: 'Imputé sur',
  annexTitle: `Annexe technique${NBSP}: le calcul pas à pas`,
  annexIntro: 'Trace produite par finproc explain (en anglais), à l’intention des services techniques.',
  paymentPartFor: (n) => `QR-facture suisse de la facture ${n}`,
};

const es: Letters = {
  noteVerbale: 'Nota verbal',
  ref: 'Ref.',
  placeDate: (place, date) => `${place}, ${date}`,
  pageOf: ['Página ', ' de ', ''],
  convention: 'Convención sobre Municiones en Racimo',
  unitName: 'Dependencia de Apoyo a la Aplicación',
  unit: 'La Dependencia de Apoyo a la Aplicación de la Convención sobre Municiones en Racimo',
  place: 'Ginebra',
  invoiceOpening: (unit, state, year, number) =>
    `${unit} saluda atentamente a la Misión Permanente del Estado parte ${state} y tiene el honor de remitirle a continuación la factura ${number}, correspondiente a la contribución de dicho Estado al presupuesto de ${year} de la Dependencia de Apoyo a la Aplicación, aprobado por la Reunión de los Estados Partes.`,
  creditNoteOpening: (unit, state, number, cancelled) =>
    `${unit} saluda atentamente a la Misión Permanente del Estado parte ${state} y tiene el honor de remitirle a continuación la nota de crédito ${number}, que anula íntegramente la factura ${cancelled}.`,
  reminderOpening: (level, unit, state, date) =>
    `${unit} saluda atentamente a la Misión Permanente del Estado parte ${state} y tiene el honor de recordarle que, según sus registros al ${date}, las contribuciones que figuran a continuación siguen pendientes de pago.` +
    (level === 1
      ? ' La Dependencia agradecería que se abonaran a la mayor brevedad posible.'
      : level === 2
        ? ' Algunas de ellas llevan pendientes dos años o más; la Dependencia agradecería que se liquidaran o que la Misión se pusiera en contacto con ella para acordar un plan de pagos.'
        : ' Algunas de ellas llevan pendientes tres años o más. La Dependencia insta respetuosamente a que se liquiden o a que la Misión se ponga en contacto con ella para acordar un plan de pagos.'),
  ackOpening: (unit, state, amount, date) => `${unit} saluda atentamente a la Misión Permanente del Estado parte ${state} y tiene el honor de acusar recibo, con agradecimiento, del pago de ${amount} recibido el ${date}.`,
  closing: (unit, state) => `${unit} aprovecha la oportunidad para reiterar a la Misión Permanente del Estado parte ${state} las seguridades de su más alta consideración.`,
  ackTitle: 'Acuse de recibo de pago',
  ackApplied: 'El pago se ha aplicado de la siguiente manera:',
  ackCredit: (a) => `Un importe de ${a} se ha abonado en la cuenta como crédito y se imputará a futuras contribuciones.`,
  ackBalance: (a, date) => `Al ${date}, sigue pendiente un importe de ${a}.`,
  ackSettled: (date) => `Al ${date}, no queda ningún importe pendiente. La Dependencia agradece a la Misión su apoyo.`,
  received: 'Fecha de recepción',
  bankReference: 'Referencia bancaria',
  appliedTo: 'Aplicado a',
  annexTitle: 'Anexo técnico: el cálculo paso a paso',
  annexIntro: 'Traza producida por finproc explain (en inglés), para los servicios técnicos.',
  paymentPartFor: (n) => `Factura QR suiza de la factura ${n}`,
};

const ar: Letters = {
  noteVerbale: 'مذكرة شفوية',
  ref: 'المرجع',
  placeDate: (place, date) => `${place}، ${date}`,
  pageOf: ['الصفحة ', ' من ', ''],
  convention: 'اتفاقية الذخائر العنقودية',
  unitName: 'وحدة دعم التنفيذ',
  unit: 'وحدة دعم تنفيذ اتفاقية الذخائر العنقودية',
  place: 'جنيف',
  invoiceOpening: (unit, state, year, number) =>
    `تهدي ${unit} تحياتها إلى البعثة الدائمة للدولة الطرف ${iso(state)}، وتتشرف بأن تحيل إليها طيه الفاتورة ${iso(number)} المتعلقة بمساهمة هذه الدولة في ميزانية وحدة دعم التنفيذ لعام ${year}، بصيغتها التي اعتمدها اجتماع الدول الأطراف.`,
  creditNoteOpening: (unit, state, number, cancelled) =>
    `تهدي ${unit} تحياتها إلى البعثة الدائمة للدولة الطرف ${iso(state)}، وتتشرف بأن تحيل إليها طيه الإشعار الدائن ${iso(number)}، الذي يلغي الفاتورة ${iso(cancelled)} بالكامل.`,
  reminderOpening: (level, unit, state, date) =>
    `تهدي ${unit} تحياتها إلى البعثة الدائمة للدولة الطرف ${iso(state)}، وتتشرف بأن تذكّر بأن المساهمات المبينة أدناه لا تزال غير مسددة وفقاً لسجلاتها في ${date}.` +
    (level === 1
      ? ' وستكون الوحدة ممتنة لو تفضلت البعثة بتسديدها في أقرب وقت ممكن.'
      : level === 2
        ? ' وقد ظل بعضها غير مسدد لمدة سنتين أو أكثر؛ وستكون الوحدة ممتنة لو جرى تسديدها أو لو تفضلت البعثة بالاتصال بها للاتفاق على خطة للسداد.'
        : ' وقد ظل بعضها غير مسدد لمدة ثلاث سنوات أو أكثر. وتحث الوحدة بكل احترام على تسديدها أو على أن تتصل بها البعثة للاتفاق على خطة للسداد.'),
  ackOpening: (unit, state, amount, date) => `تهدي ${unit} تحياتها إلى البعثة الدائمة للدولة الطرف ${iso(state)}، وتتشرف بأن تفيد، مع الشكر، باستلام مبلغ قدره ${iso(amount)} في ${date}.`,
  closing: (unit, state) => `وتغتنم ${unit} هذه الفرصة لتعرب مجدداً للبعثة الدائمة للدولة الطرف ${iso(state)} عن أسمى آيات تقديرها.`,
  ackTitle: 'إشعار باستلام مبلغ',
  ackApplied: 'وقد خُصص هذا المبلغ على النحو التالي:',
  ackCredit: (a) => `وقُيد مبلغ ${iso(a)} رصيداً دائناً في الحساب، يخصم من المساهمات المقبلة.`,
  ackBalance: (a, date) => `وفي ${date}، لا يزال مبلغ ${iso(a)} مستحقاً.`,
  ackSettled: (date) => `وفي ${date}، لم يعد أي مبلغ مستحقاً. وتشكر الوحدة البعثة على دعمها.`,
  received: 'تاريخ الاستلام',
  bankReference: 'المرجع المصرفي',
  appliedTo: 'خُصص لـ',
  annexTitle: 'مرفق تقني: الحساب خطوة بخطوة',
  annexIntro: 'أثر الحساب كما يخرجه الأمر finproc explain (بالإنكليزية)، للدوائر التقنية.',
  paymentPartFor: (n) => `فاتورة QR السويسرية للفاتورة ${iso(n)}`,
};

const ru: Letters = {
  noteVerbale: 'Вербальная нота',
  ref: 'Исх.',
  placeDate: (place, date) => `${place}, ${date}`,
  pageOf: ['Стр. ', ' из ', ''],
  convention: 'Конвенция по кассетным боеприпасам',
  unitName: 'Группа имплементационной поддержки',
  unit: 'Группа имплементационной поддержки Конвенции по кассетным боеприпасам',
  place: 'Женева',
  invoiceOpening: (unit, state, year, number) =>
    `${unit} свидетельствует свое уважение Постоянному представительству государства-участника ${state} и имеет честь препроводить настоящим счет ${number} на взнос этого государства в бюджет Группы имплементационной поддержки на ${year} год, утвержденный Совещанием государств-участников.`,
  creditNoteOpening: (unit, state, number, cancelled) =>
    `${unit} свидетельствует свое уважение Постоянному представительству государства-участника ${state} и имеет честь препроводить настоящим кредитовое авизо ${number}, которым полностью аннулируется счет ${cancelled}.`,
  reminderOpening: (level, unit, state, date) =>
    `${unit} свидетельствует свое уважение Постоянному представительству государства-участника ${state} и имеет честь напомнить, что, согласно ее данным на ${date}, указанные ниже взносы остаются неуплаченными.` +
    (level === 1
      ? ' Группа была бы признательна за их уплату в кратчайшие сроки.'
      : level === 2
        ? ' Некоторые из них не уплачены в течение двух лет или более; Группа была бы признательна за их погашение или за обращение Представительства к ней для согласования графика платежей.'
        : ' Некоторые из них не уплачены в течение трех лет или более. Группа настоятельно просит погасить их или обратиться к ней для согласования графика платежей.'),
  ackOpening: (unit, state, amount, date) => `${unit} свидетельствует свое уважение Постоянному представительству государства-участника ${state} и имеет честь с благодарностью подтвердить получение ${date} платежа в размере ${amount}.`,
  closing: (unit, state) => `${unit} пользуется случаем, чтобы возобновить Постоянному представительству государства-участника ${state} уверения в своем самом высоком уважении.`,
  ackTitle: 'Подтверждение получения платежа',
  ackApplied: 'Платеж зачтен следующим образом:',
  ackCredit: (a) => `Сумма в размере ${a} зачислена на счет в качестве кредита в счет будущих взносов.`,
  ackBalance: (a, date) => `По состоянию на ${date} непогашенной остается сумма в размере ${a}.`,
  ackSettled: (date) => `По состоянию на ${date} задолженность отсутствует. Группа благодарит Представительство за поддержку.`,
  received: 'Дата получения',
  bankReference: 'Банковская ссылка',
  appliedTo: 'Зачтено в счет',
  annexTitle: 'Техническое приложение: расчет шаг за шагом',
  annexIntro: 'Трассировка расчета, выданная командой finproc explain (на английском языке), для технических служб.',
  paymentPartFor: (n) => `Швейцарский QR-счет к счету ${n}`,
};

const zh: Letters = {
  noteVerbale: '普通照会',
  ref: '编号',
  placeDate: (place, date) => `${date}，${place}`,
  pageOf: ['第', '页，共', '页'],
  convention: '集束弹药公约',
  unitName: '执行支助股',
  unit: '《集束弹药公约》执行支助股',
  place: '日内瓦',
  invoiceOpening: (unit, state, year, number) => `${unit}向${state}常驻代表团致意，并谨随函附上第${number}号发票，涉及该国对缔约国会议通过的执行支助股${year}年预算的缴款。`,
  creditNoteOpening: (unit, state, number, cancelled) => `${unit}向${state}常驻代表团致意，并谨随函附上第${number}号贷记通知单，该通知单全额冲销第${cancelled}号发票。`,
  reminderOpening: (level, unit, state, date) =>
    `${unit}向${state}常驻代表团致意，并谨提请注意，根据截至${date}的记录，下列缴款仍未缴付。` +
    (level === 1 ? '执行支助股如能早日收到上述缴款，将不胜感激。' : level === 2 ? '其中部分缴款已拖欠两年或以上；执行支助股如能收到缴款，或请代表团与其联系商定付款计划，将不胜感激。' : '其中部分缴款已拖欠三年或以上。执行支助股恳请代表团缴清上述款项，或与其联系商定付款计划。'),
  ackOpening: (unit, state, amount, date) => `${unit}向${state}常驻代表团致意，并谨确认已于${date}收到${amount}的付款，谨致谢意。`,
  closing: (unit, state) => `${unit}顺此机会向${state}常驻代表团重申最崇高的敬意。`,
  ackTitle: '付款确认',
  ackApplied: '该笔付款已按如下方式入账：',
  ackCredit: (a) => `其中${a}已记入账户贷方，将用于抵扣今后的缴款。`,
  ackBalance: (a, date) => `截至${date}，尚有${a}未缴。`,
  ackSettled: (date) => `截至${date}，已无未缴款项。执行支助股感谢代表团的支持。`,
  received: '收款日期',
  bankReference: '银行参考号',
  appliedTo: '用于',
  annexTitle: '技术附件：逐步计算过程',
  annexIntro: '以下为 finproc explain 输出的计算记录（英文），供技术部门参考。',
  paymentPartFor: (n) => `第${n}号发票的瑞士二维码账单`,
};

export const LETTERS: Record<Lang, Letters> = { en, fr, es, ar, ru, zh };

export function lettersFor(lang: Lang): Letters {
  return LETTERS[lang];
}
