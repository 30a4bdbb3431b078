/**
 * Spanish catalogue, in the register of the treaty secretariats' correspondence (UN terminology:
 * «Reunión de los Estados Partes», «Dependencia de Apoyo a la Aplicación», «escala de cuotas»,
 * «tasa de prorrateo», «países menos adelantados»).
 *
 * Numbers: group ".", decimal ",". CLDR (es) leaves four-digit integers ungrouped ("1234,50");
 * we group always ("1.234,50") so that a column of amounts is uniform and every amount has one
 * spelling whatever its size. U+00A0 between the amount and the currency code, and before "%"
 * (RAE: "0,081 %"). The minus sign stays ASCII "-". Sentences put the State's name after a dash
 * rather than after "de", since some names take an article ("del Reino Unido").
 */
import type { Messages } from './types.js';
import { joinList } from './format.js';
import { formatAmount } from '../number.js';

const NBSP = '\u00A0';
const MONTHS = ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'];
const num = (s: string): string => formatAmount(s, 'es');
const pct = (s: string): string => `${s.replace('.', ',')}${NBSP}%`;
const states = (n: number): string => (n === 1 ? 'Estado' : 'Estados');
const months = (n: number): string => (n === 1 ? 'mes' : 'meses');

export const es: Messages = {
  lang: 'es',
  dir: 'ltr',
  name: 'Español',
  number: num,
  money: (s, c) => `${num(s)}${NBSP}${c}`,
  date: (y, m, d) => `${d} de ${MONTHS[m - 1]} de ${y}`,
  percent: pct,

  invoice: 'Factura',
  creditNote: 'Nota de crédito',
  reminder: 'Recordatorio',
  invoiceNumber: 'Número de factura',
  creditNoteNumber: 'Número de nota de crédito',
  issueDate: 'Fecha de emisión',
  dueDate: 'Fecha de vencimiento',
  currency: 'Moneda',
  reference: 'Referencia de pago',
  replaces: (n) => `La presente factura sustituye a la factura ${n}, anulada mediante una nota de crédito.`,
  cancels: (n) => `La presente nota de crédito anula en su totalidad la factura ${n}.`,
  from: 'Emisor',
  to: 'Destinatario',
  subject: (state, year) => `Contribución al presupuesto de ${year} de la Dependencia de Apoyo a la Aplicación — ${state}`,
  description: 'Concepto',
  amount: 'Importe',
  basisName: (basis) => (basis === 'equal' ? 'Parte igual' : basis === 'scale' ? 'Cuota según la escala de cuotas de las Naciones Unidas' : 'Importe fijo'),
  categoryLine: (name, year) => `${name}, ejercicio ${year}`,
  contributions: (year) => `Contribuciones para ${year}`,
  arrearsFor: (year) => `Saldo pendiente de ${year}`,
  arrearsTotal: 'Atrasos de años anteriores',
  creditsApplied: 'Pagos y créditos ya aplicados',
  adjustmentsApplied: 'Reliquidaciones y notas de crédito',
  totalDue: 'Total adeudado',
  creditRemaining: (a) => `Crédito restante en su cuenta después de la presente factura: ${a}.`,

  howToPay: 'Forma de pago',
  payBy: (total, due) => `Sírvase transferir ${total} a la cuenta indicada a continuación a más tardar el ${due}.`,
  nothingToPay: 'La presente factura no arroja ningún importe adeudado: está cubierta por los pagos y créditos ya recibidos.',
  accountHolder: 'Titular de la cuenta',
  bank: 'Banco',
  iban: 'IBAN',
  bic: 'BIC (SWIFT)',
  quoteReference: 'Sírvase indicar la referencia de pago, a fin de que su pago se asigne automáticamente a la presente factura.',
  qrBill: 'Factura QR suiza (para pagos desde una cuenta en Suiza)',

  noteTitle: 'Cómo se calculó su contribución',
  budget: (amount, year) => `La Reunión de los Estados Partes aprobó un presupuesto de ${amount} para ${year}. Dicho presupuesto se reparte entre los Estados Partes con arreglo a los procedimientos financieros.`,
  unRate: (rate, period) => `Su tasa de prorrateo en la escala de cuotas de las Naciones Unidas para ${period} es del ${rate}.`,
  notionalRate: (rate) => `Dado que su Estado no tiene tasa de prorrateo en la escala de las Naciones Unidas, las reglas de reparto le asignan una tasa teórica del ${rate}.`,
  ldc: 'Su Estado figura entre los países menos adelantados.',
  proRata: (m, year) =>
    `La Convención estaba en vigor para su Estado el primer día de ${m} de los 12 meses de ${year}, por lo que sus cuotas se calculan sobre ${m} ${months(m)}.`,
  categoryRule: (basis, id, share, amount, members) => {
    const part = share === null ? `${amount}` : `el ${share} del presupuesto, es decir, ${amount},`;
    if (basis === 'equal') return `${id}: ${part} se reparte a partes iguales entre ${members} ${states(members)}.`;
    if (basis === 'scale')
      return `${id}: ${part} se reparte entre ${members} ${states(members)} en proporción a sus tasas de prorrateo de las Naciones Unidas, ajustadas de modo que sumen el ${pct('100')}.`;
    return `${id}: importe fijo de ${amount}.`;
  },
  adjustedShare: (p) => `Ajustada a los miembros de la categoría, su tasa representa el ${p} de la categoría.`,
  equalShare: (m, total) => `Su ponderación es de ${m} ${months(m)} sobre un total de ${total} para el conjunto de los miembros.`,
  renormalised: (p, held) =>
    `${held === 1 ? 'Dado que 1 Estado quedó limitado' : `Dado que ${held} Estados quedaron limitados`} por un mínimo o un máximo, el resto se repartió de nuevo entre los demás: su cuota es del ${p} de la categoría.`,
  bound: (kind, limit) =>
    kind === 'max'
      ? `Su cuota queda limitada al máximo de ${limit}.`
      : kind === 'min'
        ? `Su cuota se eleva al mínimo de ${limit}.`
        : `Su cuota queda limitada al máximo aplicable a los países menos adelantados, de ${limit}.`,
  fixedShare: (p) => `Las reglas de reparto le asignan una cuota fija del ${p} de la categoría.`,
  quota: (rounded) => `Su cuota: ${rounded}.`,
  rounding: (method, unit) =>
    method === 'largest-remainder'
      ? `Los importes se redondean a ${unit} por el método del resto mayor, de modo que la suma de las cuotas sea exactamente igual al presupuesto.`
      : `Cada importe se redondea por separado a ${unit} (${method === 'half-up' ? 'las mitades, hacia arriba' : 'las mitades, al número par'}).`,

  owedTitle: 'Situación de su cuenta',
  noArrears: (date) => `Al ${date}, no queda ningún importe pendiente de años anteriores. Le expresamos nuestro agradecimiento.`,
  arrears: (amount, date, years, since) =>
    `Al ${date}, sigue pendiente de pago un importe de ${amount} correspondiente a años anteriores (${years}); el importe más antiguo es exigible desde el ${since}.`,
  credits: (amount, date) => `Se han aplicado a la presente factura pagos y créditos por valor de ${amount} recibidos hasta el ${date}.`,
  contact: (name, email, phone) => `Para cualquier consulta sobre la presente factura, sírvase dirigirse a ${name} (${email}, ${phone}).`,
  generated: (version) =>
    `Calculado por finproc ${version} a partir de los libros de la Dependencia de Apoyo a la Aplicación; los mismos libros producen siempre el mismo documento.`,
  list: (items) => joinList(items, ', ', ' y '),

  reminderSubject: (state) => `Contribuciones pendientes de pago — ${state}`,
  reminderOpening: (level, date) =>
    level === 1
      ? `Según nuestros registros al ${date}, las contribuciones que figuran a continuación siguen pendientes de pago. Le agradeceríamos que procediera a su pago a la mayor brevedad posible.`
      : level === 2
        ? `Según nuestros registros al ${date}, las contribuciones que figuran a continuación siguen pendientes de pago desde hace dos años o más. Le rogamos que proceda a su pago o que se ponga en contacto con nosotros para convenir un plan de pagos.`
        : `Según nuestros registros al ${date}, las contribuciones que figuran a continuación siguen pendientes de pago desde hace tres años o más. Le instamos a que proceda a su pago o a que se ponga en contacto con nosotros para convenir un plan de pagos.`,
  year: 'Año',
  invoiceCol: 'Factura',
  assessed: 'Importe prorrateado',
  paid: 'Pagado y acreditado',
  outstanding: 'Pendiente',
  dueSince: 'Exigible desde',
  totalOutstanding: 'Total pendiente',
  reminderLevel: (level) => (level === 1 ? 'Primer recordatorio' : level === 2 ? 'Segundo recordatorio' : 'Último recordatorio'),
  quoteReferences: 'Sírvase indicar la referencia de pago de cada factura que abone, a fin de que su pago se asigne automáticamente.',
  contactLetter: (name, email, phone) => `Para cualquier consulta sobre la presente carta, sírvase dirigirse a ${name} (${email}, ${phone}).`,
  reminderClosing: 'Si ya ha efectuado el pago, le rogamos que haga caso omiso de la presente carta y le damos las gracias.',

  indexTitle: (year) => `Facturas de ${year}`,
  state: 'Estado',
  language: 'Idioma',
  document: 'Documento',
};
