/**
 * The e-mail of `finproc send` (docs/send.md): a short covering text in the document's
 * language (six languages), the PDF attached, built as an RFC 5322 / MIME message by
 * nodemailer's MailComposer. Deterministic: the Date comes from --date (or the document), the
 * Message-ID and the multipart boundary from the document, its PDF and the attempt, never from
 * the clock or a random source, so the same inputs give the same bytes.
 */
import { createHash } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { Issuer, Mission } from '../io/invoice.js';
import type { ManifestDocument } from '../io/manifest.js';
import { countryName, countryOfAddress, formatIsoDate, messagesFor } from './i18n/index.js';
import type { Lang } from './i18n/types.js';
import { escapeHtml } from './text.js';

/** The covering text of one kind of document, sentence by sentence, in one language. */
interface MailWords {
  dir: 'ltr' | 'rtl';
  level(n: number): string;
  subjectInvoice(number: string, state: string, year: number): string;
  subjectCreditNote(number: string, state: string, replaces: string): string;
  subjectReminder(level: string, state: string, date: string): string;
  subjectAck(payment: string, state: string): string;
  ack(state: string, date: string, amount: string, payment: string): string;
  greeting: string;
  invoice(number: string, state: string, year: number): string;
  totalDue(total: string, due: string): string;
  reference(ref: string): string;
  nothingDue: string;
  replaces(old: string): string;
  creditNote(number: string, state: string, replaces: string): string;
  reminder(state: string, date: string, total: string): string;
  disregard: string;
  questions(email: string): string;
  closing: string;
}

// The State's name is used as a label (after a dash or in brackets), never inside a sentence
// where French articles or Russian cases would change it.
const WORDS: Record<Lang, MailWords> = {
  en: {
    dir: 'ltr',
    level: (n) => (n === 1 ? 'Reminder' : n === 2 ? 'Second reminder' : 'Final reminder'),
    subjectInvoice: (n, s, y) => `Invoice ${n} – ${s}: contribution to the ${y} budget of the CCM Implementation Support Unit`,
    subjectCreditNote: (n, s, r) => `Credit note ${n} – ${s}: cancellation of invoice ${r}`,
    subjectReminder: (l, s, d) => `${l} – ${s}: contributions outstanding on ${d}`,
    greeting: 'Dear Sir or Madam,',
    invoice: (n, s, y) => `Please find attached invoice ${n} (${s}) for the contribution to the ${y} budget of the Implementation Support Unit of the Convention on Cluster Munitions.`,
    totalDue: (t, d) => `Total due: ${t}, payable by ${d}.`,
    reference: (r) => `Payment reference: ${r} (please quote it with your transfer).`,
    nothingDue: 'Nothing is due on this invoice: it is covered by payments and credits already received.',
    replaces: (r) => `It replaces invoice ${r}, cancelled by the credit note sent in a separate message.`,
    creditNote: (n, s, r) => `Please find attached credit note ${n} (${s}), which cancels invoice ${r} in full. The invoice that replaces it is sent in a separate message.`,
    reminder: (s, d, t) => `Please find attached a letter listing the contributions (${s}) still outstanding on ${d}, with the payment reference of each invoice. Total outstanding: ${t}.`,
    disregard: 'If the payment has been made in the meantime, please disregard this reminder.',
    questions: (e) => `For any question, please reply to this message or write to ${e}.`,
    subjectAck: (p, s) => `Acknowledgement of payment ${p} – ${s}`,
    ack: (s, d, a, p) => `Please find attached our note verbale acknowledging with thanks the payment of ${a} (${s}) received on ${d}, reference ${p}, with the invoices it settled and what remains outstanding.`,
    closing: 'Yours faithfully,',
  },
  fr: {
    dir: 'ltr',
    level: (n) => (n === 1 ? 'Rappel' : n === 2 ? 'Deuxième rappel' : 'Dernier rappel'),
    subjectInvoice: (n, s, y) => `Facture ${n} – ${s} : contribution au budget ${y} de l’Unité d’appui à l’application de la Convention sur les armes à sous-munitions`,
    subjectCreditNote: (n, s, r) => `Note de crédit ${n} – ${s} : annulation de la facture ${r}`,
    subjectReminder: (l, s, d) => `${l} – ${s} : contributions non réglées au ${d}`,
    greeting: 'Madame, Monsieur,',
    invoice: (n, s, y) => `Veuillez trouver ci-joint la facture ${n} (${s}) relative à la contribution au budget ${y} de l’Unité d’appui à l’application de la Convention sur les armes à sous-munitions.`,
    totalDue: (t, d) => `Montant total dû : ${t}, payable au plus tard le ${d}.`,
    reference: (r) => `Référence de paiement : ${r} (veuillez l’indiquer lors du virement).`,
    nothingDue: 'Aucun montant n’est dû au titre de cette facture : elle est couverte par les paiements et crédits déjà reçus.',
    replaces: (r) => `Elle remplace la facture ${r}, annulée par la note de crédit envoyée dans un message séparé.`,
    creditNote: (n, s, r) => `Veuillez trouver ci-joint la note de crédit ${n} (${s}), qui annule intégralement la facture ${r}. La facture qui la remplace est envoyée dans un message séparé.`,
    reminder: (s, d, t) => `Veuillez trouver ci-joint une lettre récapitulant les contributions (${s}) non réglées au ${d}, avec la référence de paiement de chaque facture. Montant total dû : ${t}.`,
    disregard: 'Si le paiement a été effectué entre-temps, nous vous prions de ne pas tenir compte de ce rappel.',
    questions: (e) => `Pour toute question, veuillez répondre à ce message ou écrire à ${e}.`,
    subjectAck: (p, s) => `Accusé de réception du paiement ${p} – ${s}`,
    ack: (s, d, a, p) => `Veuillez trouver ci-joint notre note verbale accusant réception, avec nos remerciements, du paiement de ${a} (${s}) reçu le ${d}, référence ${p}, avec les factures qu’il a réglées et le montant restant dû.`,
    closing: 'Veuillez agréer, Madame, Monsieur, l’expression de notre haute considération.',
  },
  es: {
    dir: 'ltr',
    level: (n) => (n === 1 ? 'Recordatorio' : n === 2 ? 'Segundo recordatorio' : 'Último recordatorio'),
    subjectInvoice: (n, s, y) => `Factura ${n} – ${s}: contribución al presupuesto de ${y} de la Dependencia de Apoyo a la Aplicación de la CMR`,
    subjectCreditNote: (n, s, r) => `Nota de crédito ${n} – ${s}: anulación de la factura ${r}`,
    subjectReminder: (l, s, d) => `${l} – ${s}: contribuciones pendientes al ${d}`,
    greeting: 'Estimados señores:',
    invoice: (n, s, y) => `Adjuntamos la factura ${n} (${s}) correspondiente a la contribución al presupuesto de ${y} de la Dependencia de Apoyo a la Aplicación de la Convención sobre Municiones en Racimo.`,
    totalDue: (t, d) => `Total adeudado: ${t}, pagadero a más tardar el ${d}.`,
    reference: (r) => `Referencia de pago: ${r} (les rogamos que la indiquen en la transferencia).`,
    nothingDue: 'No hay ningún importe adeudado en esta factura: está cubierta por los pagos y créditos ya recibidos.',
    replaces: (r) => `Sustituye a la factura ${r}, anulada por la nota de crédito enviada en un mensaje aparte.`,
    creditNote: (n, s, r) => `Adjuntamos la nota de crédito ${n} (${s}), que anula en su totalidad la factura ${r}. La factura que la sustituye se envía en un mensaje aparte.`,
    reminder: (s, d, t) => `Adjuntamos una carta con las contribuciones (${s}) pendientes de pago al ${d}, con la referencia de pago de cada factura. Total pendiente: ${t}.`,
    disregard: 'Si el pago ya se ha efectuado, les rogamos que no tengan en cuenta este recordatorio.',
    questions: (e) => `Para cualquier consulta, respondan a este mensaje o escriban a ${e}.`,
    subjectAck: (p, s) => `Acuse de recibo del pago ${p} – ${s}`,
    ack: (s, d, a, p) => `Adjuntamos nuestra nota verbal en la que acusamos recibo, con agradecimiento, del pago de ${a} (${s}) recibido el ${d}, referencia ${p}, con las facturas que ha saldado y el importe pendiente.`,
    closing: 'Atentamente,',
  },
  ar: {
    dir: 'rtl',
    level: (n) => (n === 1 ? 'تذكير' : n === 2 ? 'التذكير الثاني' : 'التذكير الأخير'),
    subjectInvoice: (n, s, y) => `الفاتورة ${n} – ${s}: المساهمة في ميزانية وحدة دعم تنفيذ اتفاقية الذخائر العنقودية لعام ${y}`,
    subjectCreditNote: (n, s, r) => `الإشعار الدائن ${n} – ${s}: إلغاء الفاتورة ${r}`,
    subjectReminder: (l, s, d) => `${l} – ${s}: المساهمات غير المسددة في ${d}`,
    greeting: 'السادة المحترمون،',
    invoice: (n, s, y) => `تجدون مرفقاً الفاتورة ${n} (${s}) المتعلقة بالمساهمة في ميزانية وحدة دعم تنفيذ اتفاقية الذخائر العنقودية لعام ${y}.`,
    totalDue: (t, d) => `المبلغ الإجمالي المستحق: ${t}، يُدفع في موعد أقصاه ${d}.`,
    reference: (r) => `مرجع الدفع: ${r} (يرجى ذكره عند التحويل).`,
    nothingDue: 'لا يستحق أي مبلغ بموجب هذه الفاتورة: فهي مغطاة بالمدفوعات والأرصدة الدائنة الواردة بالفعل.',
    replaces: (r) => `وهي تحل محل الفاتورة ${r} الملغاة بالإشعار الدائن المرسل في رسالة منفصلة.`,
    creditNote: (n, s, r) => `تجدون مرفقاً الإشعار الدائن ${n} (${s}) الذي يلغي الفاتورة ${r} بالكامل. وتُرسل الفاتورة التي تحل محلها في رسالة منفصلة.`,
    reminder: (s, d, t) => `تجدون مرفقاً رسالة تبين المساهمات (${s}) التي لم تُسدد حتى ${d}، مع مرجع الدفع لكل فاتورة. المبلغ الإجمالي غير المسدد: ${t}.`,
    disregard: 'إذا كان الدفع قد تم في هذه الأثناء، يرجى عدم الالتفات إلى هذا التذكير.',
    questions: (e) => `لأي استفسار، يرجى الرد على هذه الرسالة أو الكتابة إلى ${e}.`,
    subjectAck: (p, s) => `إشعار باستلام الدفعة ${p} – ${s}`,
    ack: (s, d, a, p) => `تجدون مرفقاً مذكرتنا الشفوية التي نؤكد فيها مع الشكر استلام دفعة بمبلغ ${a} (${s}) وردت في ${d}، المرجع ${p}، مع الفواتير التي سددتها والمبلغ المتبقي غير المسدد.`,
    closing: 'وتفضلوا بقبول فائق الاحترام،',
  },
  ru: {
    dir: 'ltr',
    level: (n) => (n === 1 ? 'Напоминание' : n === 2 ? 'Второе напоминание' : 'Последнее напоминание'),
    subjectInvoice: (n, s, y) => `Счет ${n} – ${s}: взнос в бюджет Группы имплементационной поддержки Конвенции по кассетным боеприпасам на ${y} год`,
    subjectCreditNote: (n, s, r) => `Кредитовое авизо ${n} – ${s}: аннулирование счета ${r}`,
    subjectReminder: (l, s, d) => `${l} – ${s}: задолженность по взносам на ${d}`,
    greeting: 'Уважаемые дамы и господа!',
    invoice: (n, s, y) => `Направляем Вам счет ${n} (${s}) на взнос в бюджет Группы имплементационной поддержки Конвенции по кассетным боеприпасам на ${y} год.`,
    totalDue: (t, d) => `Итого к оплате: ${t}, срок оплаты — ${d}.`,
    reference: (r) => `Референс платежа: ${r} (просим указать его при переводе).`,
    nothingDue: 'По этому счету ничего не причитается: он покрыт уже полученными платежами и кредитами.',
    replaces: (r) => `Он заменяет счет ${r}, аннулированный кредитовым авизо, которое направляется отдельным сообщением.`,
    creditNote: (n, s, r) => `Направляем Вам кредитовое авизо ${n} (${s}), которое полностью аннулирует счет ${r}. Заменяющий его счет направляется отдельным сообщением.`,
    reminder: (s, d, t) => `Направляем Вам письмо с перечнем взносов (${s}), не оплаченных на ${d}, с референсом платежа по каждому счету. Итого задолженность: ${t}.`,
    disregard: 'Если оплата уже произведена, просим не принимать это напоминание во внимание.',
    questions: (e) => `По всем вопросам просим ответить на это сообщение или написать по адресу ${e}.`,
    subjectAck: (p, s) => `Подтверждение получения платежа ${p} – ${s}`,
    ack: (s, d, a, p) => `Направляем Вам нашу вербальную ноту с благодарностью за платеж в размере ${a} (${s}), полученный ${d}, референс ${p}, с указанием оплаченных им счетов и оставшейся задолженности.`,
    closing: 'С уважением,',
  },
  zh: {
    dir: 'ltr',
    level: (n) => (n === 1 ? '催缴通知' : n === 2 ? '第二次催缴通知' : '最后一次催缴通知'),
    subjectInvoice: (n, s, y) => `发票 ${n} – ${s}：${y} 年《集束弹药公约》执行支助股预算摊款`,
    subjectCreditNote: (n, s, r) => `贷记通知单 ${n} – ${s}：撤销发票 ${r}`,
    subjectReminder: (l, s, d) => `${l} – ${s}：截至 ${d} 的未缴摊款`,
    greeting: '敬启者：',
    invoice: (n, s, y) => `随函附上发票 ${n}（${s}），涉及 ${y} 年《集束弹药公约》执行支助股预算摊款。`,
    totalDue: (t, d) => `应付总额：${t}，请于 ${d} 前支付。`,
    reference: (r) => `付款参考号：${r}（汇款时请注明）。`,
    nothingDue: '本发票无应付款项：已由收到的付款和贷项抵付。',
    replaces: (r) => `本发票替代发票 ${r}，该发票已由另函发送的贷记通知单撤销。`,
    creditNote: (n, s, r) => `随函附上贷记通知单 ${n}（${s}），全额撤销发票 ${r}。替代该发票的新发票另函发送。`,
    reminder: (s, d, t) => `随函附上一封信函，列明截至 ${d} 仍未缴纳的摊款（${s}）及每张发票的付款参考号。未缴总额：${t}。`,
    disregard: '如已在此期间付款，请忽略本通知。',
    questions: (e) => `如有任何问题，请回复本邮件或致函 ${e}。`,
    subjectAck: (p, s) => `付款确认 ${p} – ${s}`,
    ack: (s, d, a, p) => `随函附上我方普通照会，谨致谢意并确认已于 ${d} 收到付款 ${a}（${s}），参考号 ${p}，并列明该付款结清的发票及尚未缴纳的余额。`,
    closing: '顺致崇高敬意。',
  },
};

export interface MailText {
  subject: string;
  text: string;
  html: string;
}

/** The subject and covering text of a document, in its language. */
export function coverText(doc: ManifestDocument, issuer: Issuer, names: { nameEn: string; nameFr: string; nameEs: string } | undefined): MailText {
  const lang = doc.lang;
  const w = WORDS[lang];
  const m = messagesFor(lang);
  const state = countryName(doc.iso3, lang, names);
  const date = (iso: string) => formatIsoDate(m, iso);
  const money = m.money(doc.total, doc.currency);
  let subject: string;
  const paras: string[] = [w.greeting];
  if (doc.kind === 'invoice') {
    subject = w.subjectInvoice(doc.number!, state, doc.year!);
    const pays = !doc.total.startsWith('-') && doc.total !== '0.00';
    paras.push(`${w.invoice(doc.number!, state, doc.year!)}${doc.replaces ? ` ${w.replaces(doc.replaces)}` : ''}`, pays ? `${w.totalDue(money, date(doc.due!))}\n${w.reference(doc.reference!)}` : w.nothingDue);
  } else if (doc.kind === 'credit-note') {
    subject = w.subjectCreditNote(doc.number!, state, doc.replaces);
    paras.push(w.creditNote(doc.number!, state, doc.replaces));
  } else if (doc.kind === 'acknowledgement') {
    subject = w.subjectAck(doc.number!, state);
    paras.push(w.ack(state, date(doc.date), money, doc.number!));
  } else {
    subject = w.subjectReminder(w.level(doc.level ?? 1), state, date(doc.date));
    paras.push(w.reminder(state, date(doc.date), money), w.disregard);
  }
  const a = issuer.address;
  const signature = [issuer.contact, issuer.name, ...(issuer.careOf ? [issuer.careOf] : []), `${a.street} ${a.building}, ${a.postcode} ${a.town}, ${countryOfAddress(a.country, lang)}`, issuer.phone, issuer.mail.replyTo];
  paras.push(w.questions(issuer.mail.replyTo), w.closing);
  const text = `${paras.join('\n\n')}\n\n${signature.join('\n')}\n`;
  // The signature is Latin script (isu.yaml): each line isolated (<bdi>), so that in an Arabic
  // message a telephone number or a street keeps its order.
  const body = [...paras.map((p) => p.split('\n').map(escapeHtml).join('<br>\n')), signature.map((l) => `<bdi>${escapeHtml(l)}</bdi>`).join('<br>\n')];
  const html = `<!DOCTYPE html>\n<html lang="${lang}" dir="${w.dir}">\n<head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>\n<body dir="${w.dir}">\n${body.map((p) => `<p>${p}</p>`).join('\n')}\n</body>\n</html>\n`;
  return { subject, text, html };
}

export interface MessageInput {
  doc: ManifestDocument;
  /** The attached file: its name and bytes, and the SHA-256 of the bytes. */
  file: { name: string; bytes: Uint8Array; sha256: string };
  issuer: Issuer;
  mission: Mission;
  names: { nameEn: string; nameFr: string; nameEs: string } | undefined;
  /** The Date of the message: YYYY-MM-DD (taken at 12:00 UTC, the same day from UTC−11 to UTC+11). */
  date: string;
  /** 1 for the first dispatch of the document, 2 for the first --resend, … */
  attempt: number;
}

export interface Message {
  messageId: string;
  /** The Date header as an ISO timestamp. */
  date: string;
  subject: string;
  from: string;
  to: string;
  raw: Buffer;
}

/**
 * The Message-ID of a dispatch: the document, the attempt and a digest of what identifies the
 * message (document, attachment, date, recipient, attempt). Same inputs, same id; a resend or
 * another attachment, another id (a server may drop a message whose id it has seen).
 */
export function messageIdOf(doc: string, sha: string, date: string, to: string, attempt: number, domain: string): string {
  const digest = createHash('sha256').update([doc, sha, date, to.toLowerCase(), String(attempt)].join('\n')).digest('hex').slice(0, 16);
  return `<${doc}.${attempt}.${digest}@${domain}>`;
}

export async function composeMessage(x: MessageInput): Promise<Message> {
  const mail = x.issuer.mail;
  const { subject, text, html } = coverText(x.doc, x.issuer, x.names);
  const when = new Date(`${x.date}T12:00:00Z`);
  if (Number.isNaN(when.getTime())) throw new Error(`not a date: ${x.date}`);
  const messageId = messageIdOf(x.doc.document, x.file.sha256, x.date, x.mission.email, x.attempt, mail.messageIdDomain);
  const boundary = createHash('sha256').update(messageId).digest('hex').slice(0, 24);
  const composer = new MailComposer({
    from: { name: mail.fromName, address: mail.from },
    replyTo: mail.replyTo,
    to: { name: x.mission.mission, address: x.mission.email },
    subject,
    messageId,
    date: when,
    text,
    html,
    attachments: [{ filename: x.file.name, content: Buffer.from(x.file.bytes), contentType: 'application/pdf' }],
    baseBoundary: boundary,
    boundaryPrefix: '--_finproc',
    newline: 'win',
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  // Added after the standard headers, so that From, To, Subject come first in the file.
  const node = composer.compile();
  node.addHeader('Content-Language', x.doc.lang);
  node.addHeader('X-Finproc-Document', x.doc.document);
  node.addHeader('X-Finproc-Attachment-SHA256', x.file.sha256);
  const raw = await node.build();
  return { messageId, date: when.toISOString().replace('.000Z', 'Z'), subject, from: mail.from, to: x.mission.email, raw };
}
