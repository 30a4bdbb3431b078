/**
 * The Swiss QR-bill payment part (SVG) of an invoice, drawn by the `swissqrbill` package
 * (SIX Swiss Payment Standards, Implementation Guidelines QR-bill). With an ordinary IBAN the
 * bill carries the invoice's ISO 11649 creditor reference (SCOR).
 *
 * swissqrbill takes the amount as a JS number. Amounts here are exact strings with two
 * decimals; one converts to a number and back unchanged below 10^15 centimes, and the QR-bill
 * maximum is 999,999,999.99: the conversion is checked both ways before the bill is drawn.
 */
import { SwissQRBill } from 'swissqrbill/svg';
import { qrText, type Issuer, type Mission } from '../io/invoice.js';
import type { Lang } from './i18n/types.js';

export interface QrBillInput {
  amount: string;
  reference: string;
  issuer: Issuer;
  mission: Mission;
  lang: Lang;
  /** One line for the bill's "Additional information", e.g. the invoice number. */
  message: string;
}

export function qrBillSvg(x: QrBillInput): string {
  const amount = Number(x.amount);
  if (!/^\d{1,9}\.\d\d$/.test(x.amount) || amount.toFixed(2) !== x.amount) throw new Error(`amount ${x.amount} cannot be put on a QR-bill exactly`);
  const a = x.issuer.address;
  const creditor = { account: x.issuer.bank.iban, name: x.issuer.bank.holder, address: a.street, buildingNumber: a.building, zip: a.postcode, city: a.town, country: a.country };
  const m = x.mission;
  const debtor = { name: m.mission, address: m.street, buildingNumber: m.building, zip: m.postcode, city: m.town, country: m.country };
  // The bill's field limits (name 70, street 70, building 16, postcode 16, town 35) and its
  // Latin character set: a debtor that does not fit is left off, and the bill shows an empty "Payable by" box instead.
  const fits = [debtor.name, debtor.address, debtor.buildingNumber, debtor.zip, debtor.city].every(qrText) && debtor.name.length <= 70 && debtor.address.length <= 70 && debtor.buildingNumber.length <= 16 && debtor.zip.length <= 16 && debtor.city.length <= 35;
  const language = x.lang === 'fr' ? 'FR' : 'EN';
  const bill = new SwissQRBill({ amount, currency: 'CHF', reference: x.reference, creditor, ...(fits ? { debtor } : {}), message: x.message.slice(0, 140) }, { language });
  return bill.toString().replace(/^<\?xml[^>]*>\s*/, '');
}
