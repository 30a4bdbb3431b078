/**
 * `finproc acknowledge` then `finproc send`: the acknowledgement listed in manifest.json, sent
 * as an .eml read back with mailparser (To the mission, the PDF byte for byte, the covering text
 * in the State's language), sent once unless --resend, and refused when the manifest names a
 * payment of another State. One payment (CMR, French) so that Chromium prints one PDF.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { simpleParser } from 'mailparser';
import { beforeAll, describe, expect, it } from 'vitest';
import { findChromium } from '../src/io/pdf.js';
import type { Issuer } from '../src/io/invoice.js';
import type { ManifestDocument } from '../src/io/manifest.js';
import { coverText } from '../src/render/mail.js';
import { booksWith, run } from './helpers.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const tmp = () => mkdtempSync(path.join(tmpdir(), 'finproc-send-ack-'));
const csv = (file: string) => parse(readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
interface Doc { document: string; iso3: string; kind: string; number: string | null; date: string; lang: string; total: string; files: { format: string; file: string; sha256: string }[] }
const manifestOf = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { command: string; preview: boolean; documents: Doc[] };

const hasChromium = 'path' in findChromium(process.env);
const PAYMENT = 'PAY-2026-00084'; // CMR, 4 August 2026, CHF 572.04 (payments.csv)
let base: { books: string; ack: string };
const fresh = () => {
  const root = tmp();
  cpSync(base.books, path.join(root, 'books'), { recursive: true });
  cpSync(base.ack, path.join(root, 'ack'), { recursive: true });
  return { books: path.join(root, 'books'), ack: path.join(root, 'ack') };
};

describe.runIf(hasChromium)('finproc send: acknowledgements of payment', () => {
  beforeAll(async () => {
    const books = booksWith();
    const ack = path.join(tmp(), 'ack');
    const r = await run(['acknowledge', '--payment', PAYMENT, '--books', books, '--format', 'html,pdf', '--out', ack]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    base = { books, ack };
  }, 120_000);

  it('acknowledge lists the letter in manifest.json: kind, State, payment id, date, language, SHA-256 of each file', () => {
    const m = manifestOf(base.ack);
    expect(m.command).toBe('acknowledge');
    expect(m.preview).toBe(false);
    const pay = csv(path.join(base.books, 'payments.csv')).find((p) => p.payment_id === PAYMENT)!;
    const lang = csv(path.join(base.books, 'states.csv')).find((s) => s.iso3 === pay.iso3)!.language;
    expect(m.documents).toHaveLength(1);
    const d = m.documents[0]!;
    expect([d.document, d.kind, d.iso3, d.number, d.date, d.total, d.lang]).toEqual([`CMR-ack-${PAYMENT}`, 'acknowledgement', pay.iso3, PAYMENT, pay.received, pay.chf, lang]);
    expect(d.files.map((f) => f.file)).toEqual([`CMR-ack-${PAYMENT}.html`, `CMR-ack-${PAYMENT}.pdf`]);
    for (const f of d.files) expect(sha(readFileSync(path.join(base.ack, f.file))), f.file).toBe(f.sha256);
  });

  it('sends it to the mission with the PDF attached and the text in French; a second run sends nothing', async () => {
    const { books, ack } = fresh();
    const r = await run(['send', ack, '--books', books, '--record', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const files = readdirSync(path.join(ack, 'outbox'));
    expect(files).toEqual([`CMR-ack-${PAYMENT}.eml`]);
    const mail = await simpleParser(readFileSync(path.join(ack, 'outbox', files[0]!)));
    const to = Array.isArray(mail.to) ? mail.to : [mail.to!];
    expect(to.flatMap((a) => a.value.map((v) => v.address))).toEqual(['finance.cmr@mission.example.org']);
    expect(mail.attachments.map((a) => a.filename)).toEqual([`CMR-ack-${PAYMENT}.pdf`]);
    const pdf = readFileSync(path.join(ack, `CMR-ack-${PAYMENT}.pdf`));
    expect(sha(mail.attachments[0]!.content)).toBe(sha(pdf));
    expect(sha(mail.attachments[0]!.content)).toBe(manifestOf(ack).documents[0]!.files.find((f) => f.format === 'pdf')!.sha256);
    expect(mail.subject).toContain(`Accusé de réception du paiement ${PAYMENT}`);
    expect(mail.text).toContain('accusant réception, avec nos remerciements, du paiement de');
    expect(mail.text).toContain('reçu le 4 août 2026');
    expect(mail.headers.get('content-language')).toBe('fr');
    const log = csv(path.join(books, 'dispatch.csv'));
    expect(log.map((x) => [x.document, x.kind, x.iso3, x.number])).toEqual([[`CMR-ack-${PAYMENT}`, 'acknowledgement', 'CMR', PAYMENT]]);

    const again = await run(['send', ack, '--books', books, '--record', '--format', 'json']);
    expect(again.code).toBe(0);
    const rep = JSON.parse(again.stdout) as { counts: Record<string, number> };
    expect(rep.counts.skipped).toBe(1);
    expect(rep.counts.written ?? 0).toBe(0);
    expect(csv(path.join(books, 'dispatch.csv'))).toHaveLength(1);
    const resend = await run(['send', ack, '--books', books, '--record', '--resend', '--format', 'json']);
    expect(resend.code).toBe(0);
    expect(existsSync(path.join(ack, 'outbox', `CMR-ack-${PAYMENT}.2.eml`))).toBe(true);
    expect(csv(path.join(books, 'dispatch.csv'))).toHaveLength(2);
  });

  it('refuses an acknowledgement naming a payment of another State, or one not in payments.csv', async () => {
    const { books, ack } = fresh();
    const other = csv(path.join(books, 'payments.csv')).find((p) => p.iso3 === 'AUT' && p.purpose === 'isu')!;
    // The manifest rewritten so that CMR's letter names AUT's payment (names kept consistent, so the manifest itself is valid).
    const m = readFileSync(path.join(ack, 'manifest.json'), 'utf8');
    writeFileSync(path.join(ack, 'manifest.json'), m.replaceAll(PAYMENT, other.payment_id!));
    for (const f of ['html', 'pdf']) cpSync(path.join(ack, `CMR-ack-${PAYMENT}.${f}`), path.join(ack, `CMR-ack-${other.payment_id}.${f}`));
    const r = await run(['send', ack, '--books', books, '--record']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('dispatch-refused');
    expect(r.stderr).toContain(`${other.payment_id} in payments.csv is a payment of CHF ${other.chf} from AUT`);
    expect(existsSync(path.join(ack, 'outbox'))).toBe(false);
    expect(existsSync(path.join(books, 'dispatch.csv'))).toBe(false);

    writeFileSync(path.join(ack, 'manifest.json'), m.replaceAll(PAYMENT, 'PAY-2026-99999'));
    for (const f of ['html', 'pdf']) cpSync(path.join(ack, `CMR-ack-${PAYMENT}.${f}`), path.join(ack, `CMR-ack-PAY-2026-99999.${f}`));
    const n = await run(['send', ack, '--books', books, '--dry-run']);
    expect(n.code).toBe(1);
    expect(n.stderr).toContain('PAY-2026-99999 is not a payment in payments.csv');
  });
});

describe('the covering text of an acknowledgement, in the six languages', () => {
  const issuer = {
    name: 'Implementation Support Unit, Convention on Cluster Munitions',
    careOf: '',
    address: { street: 'Chemin Eugène-Rigot', building: '2C', postcode: '1202', town: 'Geneva', country: 'CH' },
    phone: '+41 22 000 00 00',
    contact: 'The Finance Officer, ISU',
    mail: { from: 'isu@isu.example.org', fromName: 'CCM ISU', replyTo: 'finance@isu.example.org', messageIdDomain: 'mail.isu.example.org' },
  } as unknown as Issuer;
  const doc = (lang: ManifestDocument['lang']): ManifestDocument => ({ document: 'ALB-ack-PAY-2026-00007', iso3: 'ALB', kind: 'acknowledgement', number: 'PAY-2026-00007', year: null, date: '2026-03-04', due: null, currency: 'CHF', total: '1183.23', reference: null, replaces: '', level: null, invoices: ['ISU-2026-002'], lang, files: [{ format: 'pdf', file: 'ALB-ack-PAY-2026-00007.pdf', sha256: '0'.repeat(64) }] });
  // The State's name in the language, and the words that say what is attached.
  const expected = {
    en: ['Albania', /^Acknowledgement of payment PAY-2026-00007 – Albania$/, /acknowledging with thanks the payment of .*1.?183\.23.* \(Albania\) received on 4 March 2026, reference PAY-2026-00007/],
    fr: ['Albanie', /^Accusé de réception du paiement PAY-2026-00007 – Albanie$/, /accusant réception, avec nos remerciements, du paiement de .* \(Albanie\) reçu le 4 mars 2026, référence PAY-2026-00007/],
    es: ['Albania', /^Acuse de recibo del pago PAY-2026-00007 – Albania$/, /acusamos recibo, con agradecimiento, del pago de .* \(Albania\) recibido el 4 de marzo de 2026, referencia PAY-2026-00007/],
    ar: ['ألبانيا', /^إشعار باستلام الدفعة PAY-2026-00007 – ألبانيا$/, /نؤكد فيها مع الشكر استلام دفعة بمبلغ .* \(ألبانيا\) وردت في .*، المرجع PAY-2026-00007/],
    ru: ['Албания', /^Подтверждение получения платежа PAY-2026-00007 – Албания$/, /с благодарностью за платеж в размере .* \(Албания\), полученный .*2026.*, референс PAY-2026-00007/],
    zh: ['阿尔巴尼亚', /^付款确认 PAY-2026-00007 – 阿尔巴尼亚$/, /确认已于 2026.* 收到付款 .*（阿尔巴尼亚），参考号 PAY-2026-00007/],
  } as const;
  it('subject and text name the payment, the amount, the day and the State, in the language of the manifest', () => {
    const texts = new Set<string>();
    for (const lang of ['en', 'fr', 'es', 'ar', 'ru', 'zh'] as const) {
      const [state, subject, text] = expected[lang];
      const t = coverText(doc(lang), issuer, { nameEn: 'Albania', nameFr: 'Albanie', nameEs: 'Albania' });
      expect(t.subject, lang).toMatch(subject);
      expect(t.text, lang).toMatch(text);
      expect(t.text, lang).not.toMatch(/rappel|reminder|disregard|recordatorio/i);
      expect(t.html, lang).toContain(`<html lang="${lang}" dir="${lang === 'ar' ? 'rtl' : 'ltr'}">`);
      expect(t.html, lang).toContain(state);
      texts.add(t.text);
    }
    expect(texts.size).toBe(6);
  });
});
