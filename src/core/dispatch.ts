/**
 * Dispatch (docs/send.md): which of the documents of a manifest may go, and to whom. Pure: the
 * manifest, the register, the missions' addresses and the dispatch log are given.
 *
 * A document is refused when it is a preview, when an invoice or credit note is not in the
 * register as it was written (number, State, kind, total), when an invoice was cancelled by a
 * credit note (--reissue), when an acknowledgement names a payment that is not in payments.csv
 * or is another State's or another amount, when its file is missing or changed since it was written, or when
 * the State has no e-mail address. A document already in the dispatch log is skipped unless
 * `resend`; each dispatch of a document is numbered (attempt 1, 2, …) so that a message sent
 * again has its own Message-ID.
 */
import { centsToString } from './ledger.js';
import type { RegisterRow } from './invoice.js';

/**
 * One plain e-mail address: no display name, no comments, no list. Local part of letters,
 * digits and . _ % + - (what a finance office uses) starting with a letter or digit (nothing a
 * spreadsheet would read as a formula), a domain of at least two labels.
 */
const EMAIL = /^[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

export function isEmail(s: string): boolean {
  return EMAIL.test(s) && !s.includes('..') && !s.startsWith('.') && !s.split('@')[0]!.endsWith('.');
}

export interface DispatchDocument {
  document: string;
  iso3: string;
  kind: 'invoice' | 'credit-note' | 'reminder' | 'acknowledgement';
  /** Invoice or credit note: its number; acknowledgement: the payment id; reminder: null. */
  number: string | null;
  /** As written in the manifest, e.g. "9030.79". */
  total: string;
}

/** One row of the dispatch log (dispatch.csv in the books): one message accepted for delivery. */
export interface DispatchRecord {
  document: string;
  kind: string;
  iso3: string;
  /** Invoice or credit note: its number; acknowledgement: the payment id; reminder: the invoices it lists, separated by spaces. */
  number: string;
  to: string;
  /** smtp: accepted by the mail server; eml: written as a file and recorded with --record. */
  via: 'smtp' | 'eml';
  messageId: string;
  /** The Date of the message, as in its header, in ISO form (UTC). */
  date: string;
  /** When the server accepted it (UTC, from the clock), or when the .eml was recorded. */
  sentAt: string;
  file: string;
  sha256: string;
}

export type Refusal = { reason: string; hint: string };

export type Decision<D extends DispatchDocument> =
  | { doc: D; status: 'send'; to: string; attempt: number }
  | { doc: D; status: 'skipped'; to: string; previous: DispatchRecord }
  | ({ doc: D; status: 'refused' } & Refusal);

export interface DispatchInputs {
  /** The manifest was written with --preview. */
  preview: boolean;
  register: readonly RegisterRow[];
  /** The payments received (payments.csv): an acknowledgement goes only for a payment there, of its State, for its amount. */
  payments: readonly { id: string; iso3: string; chf: bigint }[];
  /** Each State's mission e-mail ('' when missions.csv has the State but no e-mail); absent: no row. */
  emails: ReadonlyMap<string, string>;
  log: readonly DispatchRecord[];
  resend: boolean;
  /** Refusals found on the files (missing, changed, not a PDF), by document. */
  fileRefusals: ReadonlyMap<string, Refusal>;
}

export function planDispatch<D extends DispatchDocument>(docs: readonly D[], x: DispatchInputs): Decision<D>[] {
  const byNumber = new Map(x.register.map((r) => [r.number, r]));
  const payments = new Map(x.payments.map((p) => [p.id, p]));
  const cancelledBy = new Map(x.register.filter((r) => r.kind === 'credit-note').map((r) => [r.replaces, r.number]));
  return docs.map((doc): Decision<D> => {
    const refuse = (reason: string, hint: string): Decision<D> => ({ doc, status: 'refused', reason, hint });
    if (x.preview) return refuse('a preview (--preview): it was not issued', 'issue the documents first (finproc invoice without --preview), then send that directory');
    if (doc.kind === 'acknowledgement') {
      const p = doc.number === null ? undefined : payments.get(doc.number);
      if (!p) return refuse(`${doc.number ?? 'it'} is not a payment in payments.csv`, 'only payments received are acknowledged: send the acknowledgements with the books they were written from (--books)');
      if (p.iso3 !== doc.iso3 || centsToString(p.chf) !== doc.total)
        return refuse(`${p.id} in payments.csv is a payment of CHF ${centsToString(p.chf)} from ${p.iso3}, not CHF ${doc.total} from ${doc.iso3}`, 'the acknowledgement was written from other books, or edited: write it again with finproc acknowledge, in these books');
    } else if (doc.kind !== 'reminder') {
      const reg = doc.number === null ? undefined : byNumber.get(doc.number);
      if (!reg) return refuse(`${doc.number ?? 'it'} is not in the register (invoices.csv)`, 'only issued documents are sent: run finproc invoice without --preview, in these books');
      if (reg.iso3 !== doc.iso3 || reg.kind !== doc.kind || centsToString(reg.total) !== doc.total)
        return refuse(`${reg.number} in the register is a ${reg.kind} to ${reg.iso3} for ${centsToString(reg.total)}, not this ${doc.kind} to ${doc.iso3} for ${doc.total}`, 'the documents were written from other books: send them with the books they were issued from (--books)');
      const cn = cancelledBy.get(reg.number);
      if (reg.kind === 'invoice' && cn) return refuse(`${reg.number} was cancelled by credit note ${cn}`, `send the credit note and the invoice that replaces it (finproc invoice --reissue wrote them)`);
    }
    const f = x.fileRefusals.get(doc.document);
    if (f) return refuse(f.reason, f.hint);
    const to = x.emails.get(doc.iso3);
    if (to === undefined) return refuse(`${doc.iso3} has no row in missions.csv`, 'add the mission: iso3,mission,street,building,postcode,town,country,email,qr_bill');
    if (to === '') return refuse(`${doc.iso3} has no e-mail address in missions.csv`, 'fill in the email column of its row');
    if (!isEmail(to)) return refuse(`"${to}", the e-mail of ${doc.iso3} in missions.csv, is not one plain e-mail address`, 'write one address such as finance@mission.example.org');
    const sent = x.log.filter((r) => r.document === doc.document);
    if (sent.length > 0 && !x.resend) return { doc, status: 'skipped', to, previous: sent[sent.length - 1]! };
    return { doc, status: 'send', to, attempt: sent.length + 1 };
  });
}
