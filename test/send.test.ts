/**
 * `finproc send`: .eml files read back with mailparser (headers, the attached PDF byte for byte,
 * the covering text in the document's language), the same bytes for the same inputs, a dry run
 * that writes nothing, refusals (preview, not in the register, cancelled, changed file, no
 * address), and sending through a local SMTP server (smtp-server on 127.0.0.1) whose messages
 * are read back: a second run sends nothing, --resend sends again with a new Message-ID, a
 * refused recipient is logged as failed and not recorded, a closed port records nothing.
 *
 * The PDFs are printed by Chromium once for the file (beforeAll); each test works on a copy.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planDispatch, type DispatchRecord } from '../src/core/dispatch.js';
import { creditorReference, type RegisterRow } from '../src/core/invoice.js';
import { findChromium } from '../src/io/pdf.js';
import { LOCK_FILE } from '../src/io/lock.js';
import type { Issuer, Mission } from '../src/io/invoice.js';
import type { ManifestDocument } from '../src/io/manifest.js';
import { composeMessage, messageIdOf } from '../src/render/mail.js';
import { booksWith, ROOT, run } from './helpers.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const tmp = (p = 'finproc-send-') => mkdtempSync(path.join(tmpdir(), p));
const csv = (file: string) => parse(readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
interface Manifest {
  preview: boolean;
  documents: { document: string; iso3: string; kind: string; number: string | null; lang: string; total: string; files: { format: string; file: string; sha256: string }[] }[];
}
const manifestOf = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;

const chromium = findChromium(process.env);
const hasChromium = 'path' in chromium;
if (!hasChromium) console.warn(`send.test.ts: skipped, no Chromium to print the PDFs (${(chromium as { missing: string }).missing})`);
// In CI a missing browser is a failure with the reason, not a quiet skip (as in pdf.test.ts).
describe.runIf(!hasChromium && process.env.CI === 'true')('CI', () => {
  it('has Chromium to print the PDFs that send attaches', () => {
    expect.fail(`CI=true and the send tests cannot run: ${(chromium as { missing: string }).missing}`);
  });
});

// Four States in four languages (en, ar, es, fr), issued on 2026-01-15; reminders as of 2026-03-31.
const STATES = 'AUT,IRQ,MEX,SEN';
const EMAIL: Record<string, string> = { AUT: 'finance.aut@mission.example.org', IRQ: 'finance.irq@mission.example.org', MEX: 'finance.mex@mission.example.org', SEN: 'finance.sen@mission.example.org' };
let base: { books: string; inv: string; rem: string };

/** A fresh copy of the books and of the documents (each test changes its own). */
function fresh(): { books: string; inv: string; rem: string } {
  const root = tmp();
  const books = path.join(root, 'books');
  const inv = path.join(root, 'inv');
  const rem = path.join(root, 'rem');
  cpSync(base.books, books, { recursive: true });
  cpSync(base.inv, inv, { recursive: true });
  cpSync(base.rem, rem, { recursive: true });
  return { books, inv, rem };
}

const emls = async (dir: string): Promise<Map<string, { raw: Buffer; mail: ParsedMail }>> => {
  const out = new Map<string, { raw: Buffer; mail: ParsedMail }>();
  for (const f of readdirSync(dir).sort()) {
    const raw = readFileSync(path.join(dir, f));
    out.set(f, { raw, mail: await simpleParser(raw) });
  }
  return out;
};
const addressOf = (a: ParsedMail['to']) => (Array.isArray(a) ? a : a ? [a] : []).flatMap((x) => x.value.map((v) => v.address));

describe.runIf(hasChromium)('finproc send', () => {
  beforeAll(async () => {
    const root = tmp();
    const books = booksWith();
    const inv = path.join(root, 'inv');
    const rem = path.join(root, 'rem');
    const a = await run(['invoice', '--year', '2026', '--books', books, '--states', STATES, '--format', 'html,pdf', '--out', inv]);
    expect(a.stderr).toBe('');
    expect(a.code).toBe(0);
    const b = await run(['remind', '--as-of', '2026-03-31', '--books', books, '--states', 'IRQ,MEX', '--format', 'pdf', '--out', rem]);
    expect(b.stderr).toBe('');
    expect(b.code).toBe(0);
    base = { books, inv, rem };
  }, 120_000);

  it('invoice and remind list their documents in manifest.json with the SHA-256 of each file', () => {
    const m = manifestOf(base.inv);
    expect(m.preview).toBe(false);
    expect(m.documents.map((d) => d.iso3)).toEqual(['AUT', 'IRQ', 'MEX', 'SEN']);
    expect(m.documents.map((d) => d.lang)).toEqual(['en', 'ar', 'es', 'fr']);
    for (const d of m.documents) for (const f of d.files) expect(sha(readFileSync(path.join(base.inv, f.file))), f.file).toBe(f.sha256);
    const register = csv(path.join(base.books, 'invoices.csv'));
    for (const d of m.documents) expect(register.find((r) => r.number === d.number)?.total, d.document).toBe(d.total);
    const r = manifestOf(base.rem);
    expect(r.documents.map((d) => [d.document, d.kind])).toEqual([
      ['IRQ-reminder-2026-03-31', 'reminder'],
      ['MEX-reminder-2026-03-31', 'reminder'],
    ]);
  });

  it('writes one .eml per document: headers, the PDF byte for byte, the text in the State language', async () => {
    const { books, inv } = fresh();
    const r = await run(['send', inv, '--books', books, '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { counts: Record<string, number> }).counts.written).toBe(4);
    const got = await emls(path.join(inv, 'outbox'));
    expect([...got.keys()]).toEqual(['AUT-ISU-2026-006.eml', 'IRQ-ISU-2026-048.eml', 'MEX-ISU-2026-064.eml', 'SEN-ISU-2026-090.eml']);
    const phrase: Record<string, RegExp> = { en: /Please find attached invoice ISU-2026-006/, ar: /تجدون مرفقاً الفاتورة ISU-2026-048/, es: /Adjuntamos la factura ISU-2026-064/, fr: /Veuillez trouver ci-joint la facture ISU-2026-090/ };
    for (const d of manifestOf(inv).documents) {
      const { raw, mail } = got.get(`${d.document}.eml`)!;
      expect(raw.includes('\r\n')).toBe(true);
      expect(raw.toString('latin1')).not.toMatch(/[^\r]\n/); // CRLF throughout (RFC 5322)
      expect(addressOf(mail.to)).toEqual([EMAIL[d.iso3]]);
      expect(addressOf(mail.from)).toEqual(['finance@isu.example.org']);
      expect(addressOf(mail.replyTo)).toEqual(['finance@isu.example.org']);
      expect(mail.subject).toContain(d.number!);
      expect(mail.date?.toISOString()).toBe('2026-01-15T12:00:00.000Z');
      expect(mail.messageId).toMatch(new RegExp(`^<${d.document}\\.1\\.[0-9a-f]{16}@isu\\.example\\.org>$`));
      expect(mail.headers.get('content-language')).toBe(d.lang);
      expect(mail.text).toMatch(phrase[d.lang]!);
      expect(mail.text).toContain(creditorReference(d.number!));
      expect(mail.html).toContain(`dir="${d.lang === 'ar' ? 'rtl' : 'ltr'}"`);
      expect(mail.attachments).toHaveLength(1);
      const att = mail.attachments[0]!;
      const pdf = d.files.find((f) => f.format === 'pdf')!;
      expect(att.filename).toBe(pdf.file);
      expect(att.contentType).toBe('application/pdf');
      expect(sha(att.content)).toBe(pdf.sha256);
      expect(att.content.equals(readFileSync(path.join(inv, pdf.file)))).toBe(true);
    }
    // Nothing recorded: an .eml is not a dispatch unless --record.
    expect(existsSync(path.join(books, 'dispatch.csv'))).toBe(false);
  });

  it('gives the same bytes for the same inputs, and another Date and Message-ID for another --date', async () => {
    const { books, inv } = fresh();
    const a = tmp();
    const b = tmp();
    const c = tmp();
    expect((await run(['send', inv, '--books', books, '--out', a])).code).toBe(0);
    // The built program in another process, another time zone and locale: the same bytes.
    const other = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'finproc.cjs'), 'send', inv, '--books', books, '--out', b], { encoding: 'utf8', env: { PATH: process.env.PATH, TZ: 'Pacific/Kiritimati', LANG: 'ar_EG.UTF-8', LC_ALL: 'ar_EG.UTF-8' } });
    expect(other.stderr).toBe('');
    expect(other.status).toBe(0);
    expect((await run(['send', inv, '--books', books, '--out', c, '--date', '2026-01-20'])).code).toBe(0);
    for (const f of readdirSync(a)) {
      expect(readFileSync(path.join(b, f)).equals(readFileSync(path.join(a, f))), f).toBe(true);
      const [x, y] = await Promise.all([simpleParser(readFileSync(path.join(a, f))), simpleParser(readFileSync(path.join(c, f)))]);
      expect(y.date?.toISOString()).toBe('2026-01-20T12:00:00.000Z');
      expect(y.messageId).not.toBe(x.messageId);
      expect(sha(y.attachments[0]!.content)).toBe(sha(x.attachments[0]!.content));
    }
  });

  it('--dry-run lists what would go and writes nothing', async () => {
    const { books, inv } = fresh();
    const before = readdirSync(books).sort();
    const r = await run(['send', inv, '--books', books, '--dry-run', '--format', 'csv']);
    expect(r.code).toBe(0);
    const rows = parse(r.stdout, { columns: true }) as Record<string, string>[];
    expect(rows.map((x) => [x.document, x.to, x.status])).toEqual(manifestOf(inv).documents.map((d) => [d.document, EMAIL[d.iso3], 'would-send']));
    expect(existsSync(path.join(inv, 'outbox'))).toBe(false);
    expect(readdirSync(books).sort()).toEqual(before);
  });

  it('sends reminders with their level and total in the covering text', async () => {
    const { books, rem } = fresh();
    const r = await run(['send', rem, '--books', books]);
    expect(r.code).toBe(0);
    const got = await emls(path.join(rem, 'outbox'));
    const irq = got.get('IRQ-reminder-2026-03-31.eml')!.mail;
    const mex = got.get('MEX-reminder-2026-03-31.eml')!.mail;
    const m = manifestOf(rem).documents;
    expect(irq.subject).toMatch(/تذكير|التذكير/);
    expect(mex.subject).toMatch(/^(Recordatorio|Segundo recordatorio|Último recordatorio) – México: contribuciones pendientes al 31 de marzo de 2026$/);
    expect(mex.text).toContain('Si el pago ya se ha efectuado');
    // 72.715,46 CHF in Spanish: the same digits as the manifest's total (72715.46).
    const total = /Total pendiente: ([\d.,\u202f\u00a0 ]+?)\s*CHF\./.exec(mex.text!)?.[1];
    expect(total?.replace(/\D/g, '')).toBe(m.find((d) => d.iso3 === 'MEX')!.total.replace('.', ''));
    expect(sha(irq.attachments[0]!.content)).toBe(m.find((d) => d.iso3 === 'IRQ')!.files[0]!.sha256);
  });

  it('after --reissue: the cancelled invoice is refused, the credit note and the new invoice go, each saying so', async () => {
    const { books, inv } = fresh();
    const pay = readFileSync(path.join(books, 'payments.csv'), 'utf8');
    writeFileSync(path.join(books, 'payments.csv'), `${pay}PAY-2026-99999,MEX,2026-01-15,1000.00,CHF,1000.00,isu,,,,,late entry\n`);
    const reiss = path.join(path.dirname(inv), 'reissued');
    const r = await run(['invoice', '--year', '2026', '--books', books, '--states', 'MEX', '--reissue', '--issue-date', '2026-02-01', '--format', 'pdf', '--out', reiss]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const docs = manifestOf(reiss).documents;
    expect(docs.map((d) => [d.kind, d.number])).toEqual([
      ['credit-note', 'CN-2026-001'],
      ['invoice', expect.stringMatching(/^ISU-2026-\d{3}$/)],
    ]);
    const old = await run(['send', inv, '--books', books, '--format', 'json']);
    expect(old.code).toBe(1);
    const st = (JSON.parse(old.stdout) as { documents: { document: string; status: string; detail: string }[] }).documents;
    expect(st.find((d) => d.document === 'MEX-ISU-2026-064')).toMatchObject({ status: 'refused', detail: 'ISU-2026-064 was cancelled by credit note CN-2026-001' });
    expect(st.filter((d) => d.status === 'written')).toHaveLength(3);
    const now = await run(['send', reiss, '--books', books]);
    expect(now.code).toBe(0);
    const got = await emls(path.join(reiss, 'outbox'));
    const cn = got.get('MEX-CN-2026-001.eml')!.mail;
    expect(cn.subject).toBe('Nota de crédito CN-2026-001 – México: anulación de la factura ISU-2026-064');
    expect(cn.text).toContain('que anula en su totalidad la factura ISU-2026-064');
    const fresh2 = got.get(`MEX-${docs[1]!.number}.eml`)!.mail;
    expect(fresh2.text).toContain('Sustituye a la factura ISU-2026-064');
    expect(fresh2.date?.toISOString()).toBe('2026-02-01T12:00:00.000Z');
    expect(sha(fresh2.attachments[0]!.content)).toBe(docs[1]!.files[0]!.sha256);
  }, 60_000);

  describe('refusals', () => {
    it('a preview is refused as a whole; nothing is written', async () => {
      const books = booksWith();
      const out = tmp();
      expect((await run(['invoice', '--year', '2026', '--books', books, '--states', 'FRA', '--preview', '--out', out])).code).toBe(0);
      const r = await run(['send', out, '--books', books, '--format', 'json']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/\[dispatch-refused\].*FRA-ISU-2026-\d+: a preview/);
      expect((JSON.parse(r.stdout) as { documents: { status: string }[] }).documents.map((d) => d.status)).toEqual(['refused']);
      expect(existsSync(path.join(out, 'outbox'))).toBe(false);
    });

    it('not in the register, cancelled by a credit note, a changed PDF, no e-mail address: refused and listed; the others go', async () => {
      const { books, inv } = fresh();
      const reg = readFileSync(path.join(books, 'invoices.csv'), 'utf8');
      const aut = reg.split('\n').find((l) => l.startsWith('ISU-2026-006,'))!.split(',');
      // AUT's invoice cancelled in full by a credit note; IRQ's row gone from the register.
      const cn = ['CN-2026-001', 'credit-note', 'AUT', '2026', '2026-02-01', '2026-02-01', 'en', 'CHF', `-${aut[8]}`, `-${aut[9]}`, `-${aut[10]}`, `-${aut[11]}`, creditorReference('CN-2026-001'), 'ISU-2026-006'].join(',');
      writeFileSync(path.join(books, 'invoices.csv'), `${reg.split('\n').filter((l) => !l.startsWith('ISU-2026-048,')).join('\n').replace(/\n?$/, '\n')}${cn}\n`);
      // MEX's PDF changed after it was written; SEN has no e-mail.
      const mex = path.join(inv, 'MEX-ISU-2026-064.pdf');
      writeFileSync(mex, Buffer.concat([readFileSync(mex), Buffer.from('\n% changed\n')]));
      const missions = readFileSync(path.join(books, 'missions.csv'), 'utf8');
      writeFileSync(path.join(books, 'missions.csv'), missions.replace(',finance.sen@mission.example.org,', ',,'));
      const r = await run(['send', inv, '--books', books, '--format', 'json']);
      expect(r.code).toBe(1);
      const docs = (JSON.parse(r.stdout) as { documents: { document: string; status: string; detail: string }[] }).documents;
      expect(docs.map((d) => [d.document, d.status])).toEqual([
        ['AUT-ISU-2026-006', 'refused'],
        ['IRQ-ISU-2026-048', 'refused'],
        ['MEX-ISU-2026-064', 'refused'],
        ['SEN-ISU-2026-090', 'refused'],
      ]);
      expect(docs[0]!.detail).toBe('ISU-2026-006 was cancelled by credit note CN-2026-001');
      expect(docs[1]!.detail).toMatch(/ISU-2026-048 is not in the register/);
      expect(docs[2]!.detail).toMatch(/MEX-ISU-2026-064\.pdf has changed since it was written/);
      expect(docs[3]!.detail).toBe('SEN has no e-mail address in missions.csv');
      expect(r.stderr.match(/\[dispatch-refused\]/g)).toHaveLength(4);
      expect(r.stderr).not.toContain('internal error');
      expect(existsSync(path.join(inv, 'outbox'))).toBe(false);

      // With the file back and an address, the two good ones go; the register problems stay.
      cpSync(path.join(base.inv, 'MEX-ISU-2026-064.pdf'), mex);
      writeFileSync(path.join(books, 'missions.csv'), missions);
      const again = await run(['send', inv, '--books', books, '--format', 'json']);
      expect(again.code).toBe(1);
      expect((JSON.parse(again.stdout) as { documents: { status: string }[] }).documents.map((d) => d.status)).toEqual(['refused', 'refused', 'written', 'written']);
      expect(readdirSync(path.join(inv, 'outbox')).sort()).toEqual(['MEX-ISU-2026-064.eml', 'SEN-ISU-2026-090.eml']);
    });

    it("a manifest edited to send one State's PDF under another's document is refused", async () => {
      const { books, inv } = fresh();
      const m = manifestOf(inv);
      const fra = m.documents.find((d) => d.iso3 === 'SEN')!.files.find((f) => f.format === 'pdf')!;
      const aut = m.documents.find((d) => d.iso3 === 'AUT')!;
      aut.files = aut.files.map((f) => (f.format === 'pdf' ? { ...fra } : f));
      writeFileSync(path.join(inv, 'manifest.json'), JSON.stringify(m));
      const r = await run(['send', inv, '--books', books]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/documents\.0\.files\.1\.file: expected AUT-ISU-2026-006\.pdf/);
      expect(existsSync(path.join(inv, 'outbox'))).toBe(false);
    });

    it('a manifest edited to point outside the directory is refused', async () => {
      const { books, inv } = fresh();
      const m = readFileSync(path.join(inv, 'manifest.json'), 'utf8');
      writeFileSync(path.join(inv, 'manifest.json'), m.replace('"AUT-ISU-2026-006.pdf"', '"../../etc/passwd.pdf"'));
      const r = await run(['send', inv, '--books', books]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/manifest\.json.*not a finproc\.manifest\/1 manifest: documents\.0\.files\.1\.file/);
    });
  });

  describe('through SMTP', () => {
    const received: { from: string; to: string[]; raw: Buffer }[] = [];
    const refuse = new Set<string>();
    let refuseData = '';
    let server: SMTPServer;
    let port = 0;
    beforeAll(async () => {
      server = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS'],
        disableReverseLookup: true,
        logger: false,
        // A client that logs in must be isu / s3cret (AUTH PLAIN or LOGIN over the plain test connection).
        allowInsecureAuth: true,
        onAuth(auth, _session, cb) {
          if (auth.username === 'isu' && auth.password === 's3cret') return cb(null, { user: 'isu' });
          cb(new Error('535 5.7.8 authentication failed'));
        },
        onRcptTo(address, _session, cb) {
          if (refuse.has(address.address)) return cb(Object.assign(new Error('5.1.1 mailbox unavailable'), { responseCode: 550 }));
          cb();
        },
        onData(stream, session, cb) {
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            const raw = Buffer.concat(chunks);
            if (refuseData && raw.includes(`X-Finproc-Document: ${refuseData}`)) return cb(Object.assign(new Error('5.7.1 message content rejected'), { responseCode: 554 }));
            received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks) });
            cb(null);
          });
        },
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.server.address() as AddressInfo).port;
    });
    afterAll(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
    const toMission = (iso3: string) => received.filter((m) => m.to.includes(EMAIL[iso3]!));

    it('sends, records what was accepted, never twice; a refused recipient is failed, not recorded; --resend sends again', async () => {
      const { books, inv } = fresh();
      const smtp = `smtp://127.0.0.1:${port}`;
      const log = () => (existsSync(path.join(books, 'dispatch.csv')) ? csv(path.join(books, 'dispatch.csv')) : []);
      const m = manifestOf(inv).documents;

      // 1. IRQ's mission refuses: IRQ failed and not recorded; the next ones still go (the same connection).
      refuse.add(EMAIL.IRQ!);
      received.length = 0;
      const r1 = await run(['send', inv, '--books', books, '--smtp', smtp, '--format', 'json']);
      expect(r1.code).toBe(1);
      expect(r1.stderr).toContain("warning: the messages are dated with their documents' own dates (e.g. 2026-01-15); give --date");
      const s1 = (JSON.parse(r1.stdout) as { documents: { document: string; status: string; message_id: string; detail: string }[] }).documents;
      expect(s1.map((d) => d.status)).toEqual(['sent', 'failed', 'sent', 'sent']);
      expect(s1[1]!.detail).toMatch(/refused finance\.irq@mission\.example\.org/);
      expect(r1.stderr).toMatch(/\[dispatch-failed\].*IRQ-ISU-2026-048 to finance\.irq@mission\.example\.org/);
      expect(log().map((l) => [l.document, l.to, l.via])).toEqual([
        ['AUT-ISU-2026-006', EMAIL.AUT, 'smtp'],
        ['MEX-ISU-2026-064', EMAIL.MEX, 'smtp'],
        ['SEN-ISU-2026-090', EMAIL.SEN, 'smtp'],
      ]);
      for (const iso3 of ['AUT', 'MEX', 'SEN']) {
        const got = toMission(iso3);
        expect(got, iso3).toHaveLength(1);
        expect(got[0]!.from).toBe('finance@isu.example.org');
        expect(got[0]!.to).toEqual([EMAIL[iso3], 'records@isu.example.org']); // the archive copy, in the envelope only
        const mail = await simpleParser(got[0]!.raw);
        const d = m.find((x) => x.iso3 === iso3)!;
        const row = log().find((l) => l.document === d.document)!;
        expect(mail.messageId).toBe(row.message_id);
        expect(sha(mail.attachments[0]!.content)).toBe(row.sha256);
        expect(row.sha256).toBe(d.files.find((f) => f.format === 'pdf')!.sha256);
        expect(row.number).toBe(d.number);
        expect(row.date).toBe('2026-01-15T12:00:00Z');
        expect(row.sent_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        expect(addressOf(mail.to)).toEqual([EMAIL[iso3]]);
        expect(mail.headers.has('bcc')).toBe(false);
      }
      expect(toMission('IRQ')).toHaveLength(0);

      // 2. IRQ accepts now: only IRQ goes.
      refuse.clear();
      received.length = 0;
      const r2 = await run(['send', inv, '--books', books, '--smtp', smtp, '--format', 'json']);
      expect(r2.code).toBe(0);
      expect((JSON.parse(r2.stdout) as { documents: { status: string }[] }).documents.map((d) => d.status)).toEqual(['skipped', 'sent', 'skipped', 'skipped']);
      expect(received.map((x) => x.to[0])).toEqual([EMAIL.IRQ]);
      expect(log()).toHaveLength(4);

      // 3. Nothing left: nothing sent, the log unchanged.
      received.length = 0;
      const before = readFileSync(path.join(books, 'dispatch.csv'));
      const r3 = await run(['send', inv, '--books', books, '--smtp', smtp]);
      expect(r3.code).toBe(0);
      expect(received).toHaveLength(0);
      expect(readFileSync(path.join(books, 'dispatch.csv')).equals(before)).toBe(true);

      // 4. --resend: AUT again, with a Message-ID of its own.
      const r4 = await run(['send', inv, '--books', books, '--smtp', smtp, '--resend', '--states', 'AUT']);
      expect(r4.code).toBe(0);
      expect(received).toHaveLength(1);
      const rows = log().filter((l) => l.document === 'AUT-ISU-2026-006');
      expect(rows).toHaveLength(2);
      expect(rows[1]!.message_id).not.toBe(rows[0]!.message_id);
      expect(rows[1]!.message_id).toMatch(/^<AUT-ISU-2026-006\.2\./);
      expect((await simpleParser(received[0]!.raw)).messageId).toBe(rows[1]!.message_id);
    }, 60_000);

    it('a message refused after its data (554) is failed and not recorded; the others go', async () => {
      const { books, inv } = fresh();
      refuseData = 'MEX-ISU-2026-064';
      received.length = 0;
      try {
        const r = await run(['send', inv, '--books', books, '--smtp', `smtp://127.0.0.1:${port}`, '--format', 'json']);
        expect(r.code).toBe(1);
        const docs = (JSON.parse(r.stdout) as { documents: { status: string; detail: string }[] }).documents;
        expect(docs.map((d) => d.status)).toEqual(['sent', 'sent', 'failed', 'sent']);
        expect(docs[2]!.detail).toMatch(/EMESSAGE.*554/);
        expect(csv(path.join(books, 'dispatch.csv')).map((l) => l.document)).toEqual(['AUT-ISU-2026-006', 'IRQ-ISU-2026-048', 'SEN-ISU-2026-090']);
        expect(received).toHaveLength(3);
      } finally {
        refuseData = '';
      }
    });

    it('a server that cannot be reached: every message failed or not attempted, nothing recorded', async () => {
      const { books, inv } = fresh();
      // A port that was free a moment ago: nobody listens there.
      const probe = createServer();
      await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
      const closed = (probe.address() as AddressInfo).port;
      await new Promise<void>((resolve) => probe.close(() => resolve()));
      const r = await run(['send', inv, '--books', books, '--smtp', `smtp://127.0.0.1:${closed}`, '--format', 'json']);
      expect(r.code).toBe(1);
      const docs = (JSON.parse(r.stdout) as { documents: { status: string; detail: string }[] }).documents;
      expect(docs.map((d) => d.status)).toEqual(['failed', 'not-attempted', 'not-attempted', 'not-attempted']);
      expect(docs[0]!.detail).toMatch(/ECONNECTION|ECONNREFUSED/);
      expect(existsSync(path.join(books, 'dispatch.csv'))).toBe(false);
    }, 60_000);

    it('logs in with the user of the URL and FINPROC_SMTP_PASSWORD; a wrong password fails and records nothing', async () => {
      const { books, inv } = fresh();
      const url = `smtp://isu@127.0.0.1:${port}`;
      const bad = await run(['send', inv, '--books', books, '--smtp', url, '--states', 'AUT', '--format', 'json'], { env: { FINPROC_SMTP_PASSWORD: 'wrong-one' } });
      expect(bad.code).toBe(1);
      expect((JSON.parse(bad.stdout) as { documents: { status: string; detail: string }[] }).documents[0]!.detail).toMatch(/EAUTH/);
      expect(bad.stdout + bad.stderr).not.toContain('wrong-one');
      expect(existsSync(path.join(books, 'dispatch.csv'))).toBe(false);
      received.length = 0;
      const good = await run(['send', inv, '--books', books, '--smtp', url, '--states', 'AUT'], { env: { FINPROC_SMTP_PASSWORD: 's3cret' } });
      expect(good.code).toBe(0);
      expect(received.map((x) => x.to[0])).toEqual([EMAIL.AUT]);
      expect(csv(path.join(books, 'dispatch.csv'))).toHaveLength(1);
      const none = await run(['send', inv, '--books', books, '--smtp', url, '--states', 'AUT']);
      expect(none.code).toBe(2);
      expect(none.stderr).toContain('FINPROC_SMTP_PASSWORD');
    });

    it('holds the lock on the books while it sends: another run holding it means exit 5 and nothing sent; a dry run and .eml files need no lock', async () => {
      const { books, inv } = fresh();
      writeFileSync(path.join(books, LOCK_FILE), `${JSON.stringify({ pid: process.pid, host: hostname(), command: 'invoice --year 2026', since: '2026-01-15T09:00:00.000Z', token: 'other' })}\n`);
      received.length = 0;
      const r = await run(['send', inv, '--books', books, '--smtp', `smtp://127.0.0.1:${port}`]);
      expect(r.code).toBe(5);
      expect(r.stderr).toContain('the books are in use');
      expect(received).toHaveLength(0);
      expect(existsSync(path.join(books, 'dispatch.csv'))).toBe(false);
      expect((await run(['send', inv, '--books', books, '--dry-run'])).code).toBe(0);
      expect((await run(['send', inv, '--books', books])).code).toBe(0);
      expect((await run(['send', inv, '--books', books, '--wait', '5'])).code).toBe(2);
    });

    it('--record with .eml files: recorded as sent, and then not sent by SMTP', async () => {
      const { books, inv } = fresh();
      expect((await run(['send', inv, '--books', books, '--record', '--states', 'AUT'])).code).toBe(0);
      expect(csv(path.join(books, 'dispatch.csv')).map((l) => [l.document, l.via])).toEqual([['AUT-ISU-2026-006', 'eml']]);
      received.length = 0;
      const r = await run(['send', inv, '--books', books, '--smtp', `smtp://127.0.0.1:${port}`, '--states', 'AUT', '--format', 'json']);
      expect(r.code).toBe(0);
      expect((JSON.parse(r.stdout) as { documents: { status: string }[] }).documents.map((d) => d.status)).toEqual(['skipped']);
      expect(received).toHaveLength(0);
    });
  });

  it('usage: a password in the URL, --out with --smtp, a State not in the manifest', async () => {
    const { books, inv } = fresh();
    const a = await run(['send', inv, '--books', books, '--smtp', 'smtp://user:secret@127.0.0.1:25']);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('FINPROC_SMTP_PASSWORD');
    expect(a.stderr).not.toContain('secret');
    expect((await run(['send', inv, '--books', books, '--smtp', 'smtp://127.0.0.1:25', '--out', tmp()])).code).toBe(2);
    const c = await run(['send', inv, '--books', books, '--states', 'FRA']);
    expect(c.code).toBe(2);
    expect(c.stderr).toContain('has no document for FRA');
    const d = await run(['send', tmp(), '--books', books]);
    expect(d.code).toBe(1);
    expect(d.stderr).toMatch(/no manifest\.json/);
  });
});

describe('the covering text in six languages (no PDF printer needed)', () => {
  const issuer: Issuer = {
    name: 'Implementation Support Unit, Convention on Cluster Munitions',
    careOf: '',
    address: { street: 'Chemin Eugène-Rigot', building: '2C', postcode: '1202', town: 'Geneva', country: 'CH' },
    email: 'finance@isu.example.org',
    phone: '+41 22 000 00 00',
    contact: 'The Finance Officer, ISU',
    bank: { holder: 'ISU', name: 'Bank', iban: 'CH9300762011623852957', bic: 'UBSWCHZH80A' },
    termsDays: 30,
    mail: { from: 'isu@isu.example.org', fromName: 'CCM ISU', replyTo: 'finance@isu.example.org', messageIdDomain: 'mail.isu.example.org' },
    letter: { referencePrefix: '', place: {}, unit: {}, convention: {}, unitName: {}, careOf: {}, contact: {}, signatory: {} },
  };
  const mission: Mission = { iso3: 'ALB', mission: 'Permanent Mission of Albania', street: 'Chemin Louis-Dunant', building: '83', postcode: '1202', town: 'Geneva', country: 'CH', email: 'finance.alb@mission.example.org', qrBill: false };
  const pdf = Buffer.from('%PDF-1.4\n% stand-in for a printed invoice\n%%EOF\n');
  const doc = (over: Partial<ManifestDocument>): ManifestDocument => ({ document: 'ALB-ISU-2026-002', iso3: 'ALB', kind: 'invoice', number: 'ISU-2026-002', year: 2026, date: '2026-01-15', due: '2026-02-14', currency: 'CHF', total: '1183.23', reference: creditorReference('ISU-2026-002'), replaces: '', level: null, invoices: [], lang: 'en', files: [{ format: 'pdf', file: 'ALB-ISU-2026-002.pdf', sha256: sha(pdf) }], ...over });
  const compose = async (d: ManifestDocument) => {
    const m = await composeMessage({ doc: d, file: { name: d.files[0]!.file, bytes: pdf, sha256: sha(pdf) }, issuer, mission, names: { nameEn: 'Albania', nameFr: 'Albanie', nameEs: 'Albania' }, date: '2026-01-20', attempt: 1 });
    return { m, mail: await simpleParser(m.raw) };
  };
  // Each language: the State's name in it, the opening of the text, the words of the subject.
  const expected: Record<string, { state: string; text: RegExp; subject: RegExp }> = {
    en: { state: 'Albania', text: /^Dear Sir or Madam,\n\nPlease find attached invoice ISU-2026-002 \(Albania\)/, subject: /^Invoice ISU-2026-002 – Albania: contribution to the 2026 budget/ },
    fr: { state: 'Albanie', text: /^Madame, Monsieur,\n\nVeuillez trouver ci-joint la facture ISU-2026-002 \(Albanie\)/, subject: /^Facture ISU-2026-002 – Albanie : contribution au budget 2026/ },
    es: { state: 'Albania', text: /^Estimados señores:\n\nAdjuntamos la factura ISU-2026-002 \(Albania\)/, subject: /^Factura ISU-2026-002 – Albania: contribución al presupuesto de 2026/ },
    ar: { state: 'ألبانيا', text: /^السادة المحترمون،\n\nتجدون مرفقاً الفاتورة ISU-2026-002 \(ألبانيا\)/, subject: /^الفاتورة ISU-2026-002 – ألبانيا: المساهمة في ميزانية/ },
    ru: { state: 'Албания', text: /^Уважаемые дамы и господа!\n\nНаправляем Вам счет ISU-2026-002 \(Албания\)/, subject: /^Счет ISU-2026-002 – Албания: взнос в бюджет/ },
    zh: { state: '阿尔巴尼亚', text: /^敬启者：\n\n随函附上发票 ISU-2026-002（阿尔巴尼亚）/, subject: /^发票 ISU-2026-002 – 阿尔巴尼亚：2026 年/ },
  };
  for (const lang of ['en', 'fr', 'es', 'ar', 'ru', 'zh'] as const) {
    it(`${lang}: subject, text and HTML in the language, the PDF attached, the sender from isu.yaml`, async () => {
      const { m, mail } = await compose(doc({ lang }));
      const e = expected[lang]!;
      expect(mail.subject).toMatch(e.subject);
      expect(mail.text).toMatch(e.text);
      expect(mail.text).toContain('RF');
      expect(mail.text).toContain('finance@isu.example.org');
      expect(mail.html).toContain(`<html lang="${lang}" dir="${lang === 'ar' ? 'rtl' : 'ltr'}">`);
      expect(mail.html).toContain(e.state);
      expect(mail.headers.get('content-language')).toBe(lang);
      expect(addressOf(mail.from)).toEqual(['isu@isu.example.org']);
      expect((mail.from as { value: { name: string }[] }).value[0]!.name).toBe('CCM ISU');
      expect(addressOf(mail.replyTo)).toEqual(['finance@isu.example.org']);
      expect(addressOf(mail.to)).toEqual(['finance.alb@mission.example.org']);
      expect(mail.messageId).toBe(m.messageId);
      expect(m.messageId).toMatch(/^<ALB-ISU-2026-002\.1\.[0-9a-f]{16}@mail\.isu\.example\.org>$/);
      expect(mail.attachments[0]!.content.equals(pdf)).toBe(true);
      // The same message twice: the same bytes.
      expect((await compose(doc({ lang }))).m.raw.equals(m.raw)).toBe(true);
    });
  }

  it('a credit note, a reissued invoice and an invoice with nothing due say so', async () => {
    const cn = (await compose(doc({ document: 'ALB-CN-2026-001', kind: 'credit-note', number: 'CN-2026-001', total: '-1183.23', replaces: 'ISU-2026-002', lang: 'fr' }))).mail;
    expect(cn.subject).toBe('Note de crédit CN-2026-001 – Albanie : annulation de la facture ISU-2026-002');
    expect(cn.text).toContain('qui annule intégralement la facture ISU-2026-002');
    const re = (await compose(doc({ document: 'ALB-ISU-2026-114', number: 'ISU-2026-114', replaces: 'ISU-2026-002' }))).mail;
    expect(re.text).toContain('It replaces invoice ISU-2026-002, cancelled by the credit note');
    const paid = (await compose(doc({ total: '0.00', lang: 'es' }))).mail;
    expect(paid.text).toContain('No hay ningún importe adeudado');
    expect(paid.text).not.toContain('Referencia de pago');
  });

  it('another attempt or another recipient gives another Message-ID', () => {
    const a = messageIdOf('ALB-ISU-2026-002', 'ab', '2026-01-20', 'x@y.org', 1, 'd.org');
    expect(messageIdOf('ALB-ISU-2026-002', 'ab', '2026-01-20', 'X@Y.org', 1, 'd.org')).toBe(a);
    expect(messageIdOf('ALB-ISU-2026-002', 'ab', '2026-01-20', 'x@y.org', 2, 'd.org')).not.toBe(a);
    expect(messageIdOf('ALB-ISU-2026-002', 'ab', '2026-01-20', 'z@y.org', 1, 'd.org')).not.toBe(a);
    expect(messageIdOf('ALB-ISU-2026-002', 'ac', '2026-01-20', 'x@y.org', 1, 'd.org')).not.toBe(a);
  });
});

describe('which documents may go (planDispatch), for any register, addresses and log', () => {
  const ISO = ['AUT', 'FRA', 'SEN'];
  const rec = (document: string, to: string): DispatchRecord => ({ document, kind: 'invoice', iso3: document.slice(0, 3), number: '', to, via: 'smtp', messageId: `<${document}@x>`, date: '2026-01-15T12:00:00Z', sentAt: '2026-01-15T12:00:00Z', file: '', sha256: '' });
  const arb = fc.record({
    docs: fc.uniqueArray(fc.record({ iso3: fc.constantFrom(...ISO), kind: fc.constantFrom('invoice' as const, 'credit-note' as const, 'reminder' as const), n: fc.integer({ min: 1, max: 6 }), total: fc.constantFrom('10.00', '20.00') }), { maxLength: 8, selector: (d) => `${d.kind}${d.n}` }),
    registered: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
    otherTotal: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
    cancelled: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
    sent: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 8, maxLength: 8 }),
    email: fc.record({ AUT: fc.constantFrom('a@b.org', '', 'not an address', undefined), FRA: fc.constantFrom('f@b.org', undefined), SEN: fc.constant('s@b.org') }),
    preview: fc.boolean(),
    resend: fc.boolean(),
  });
  it('sends only what is issued, not cancelled, addressed and not yet sent (or --resend), numbering each attempt', () => {
    fc.assert(
      fc.property(arb, (x) => {
        const docs = x.docs.map((d) => ({ document: `${d.iso3}-${d.kind === 'credit-note' ? 'CN' : d.kind === 'reminder' ? 'R' : 'ISU'}-${d.n}`, iso3: d.iso3, kind: d.kind, number: d.kind === 'reminder' ? null : `${d.kind === 'credit-note' ? 'CN' : 'ISU'}-2026-00${d.n}`, total: d.total }));
        const register: RegisterRow[] = [];
        docs.forEach((d, i) => {
          if (d.number === null || !x.registered[i]) return;
          const row: RegisterRow = { number: d.number, kind: d.kind as RegisterRow['kind'], iso3: d.iso3, year: 2026, issued: '2026-01-15', due: '2026-02-14', language: 'en', currency: 'CHF', contributions: 0n, arrears: 0n, credits: 0n, total: x.otherTotal[i] ? 999n : BigInt(d.total.replace('.', '')), reference: '', replaces: '' };
          register.push(row);
          if (x.cancelled[i] && d.kind === 'invoice') register.push({ ...row, number: `CNX-${i}`, kind: 'credit-note', replaces: d.number });
        });
        const emails = new Map(Object.entries(x.email).filter(([, v]) => v !== undefined) as [string, string][]);
        const log = docs.flatMap((d, i) => Array.from({ length: x.sent[i]! }, () => rec(d.document, 'old@b.org')));
        const plan = planDispatch(docs, { preview: x.preview, register, payments: [], emails, log, resend: x.resend, fileRefusals: new Map() });
        expect(plan.map((p) => p.doc)).toEqual(docs);
        plan.forEach((p, i) => {
          const d = docs[i]!;
          const reg = register.find((r) => r.number === d.number);
          const issued = d.kind === 'reminder' || (reg !== undefined && !x.otherTotal[i] && !(d.kind === 'invoice' && x.cancelled[i]));
          const to = emails.get(d.iso3);
          const addressed = to !== undefined && /^[a-z]@b\.org$/.test(to);
          const times = x.sent[i]!;
          const want = x.preview || !issued || !addressed ? 'refused' : times > 0 && !x.resend ? 'skipped' : 'send';
          expect(p.status, `${d.document} ${JSON.stringify(x)}`).toBe(want);
          if (p.status === 'send') {
            expect(p.attempt).toBe(times + 1);
            expect(p.to).toBe(to);
          }
        });
      }),
      { numRuns: 300 },
    );
  });
});
