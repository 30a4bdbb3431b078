/**
 * The side of `finproc send` that touches files and the network (docs/send.md): the dispatch
 * log (dispatch.csv in the books), the documents' files checked against the manifest, and an
 * SMTP connection through nodemailer that sends messages already built, byte for byte.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { DispatchRecord, Refusal } from '../core/dispatch.js';
import { parseDate } from '../core/parse.js';
import type { Problem } from '../core/problem.js';
import type { FileReader } from './books.js';
import { atCell, readCsv } from './csv.js';
import { PDF_MAX_BYTES, readCapped, sha256, type ManifestDocument } from './manifest.js';
import { appended } from './record.js';

export const DISPATCH_FILE = 'dispatch.csv';
export const DISPATCH_COLUMNS = ['document', 'kind', 'iso3', 'number', 'to', 'via', 'message_id', 'date', 'sent_at', 'file', 'sha256'];

/** dispatch.csv: every message accepted so far. Absent means nothing was sent yet. */
export function loadDispatchLog(reader: FileReader, booksDir: string, problems: Problem[]): DispatchRecord[] | undefined {
  const file = path.join(booksDir, DISPATCH_FILE);
  if (!reader.exists(file)) return [];
  const f = reader.read(file, problems);
  if (!f) return undefined;
  const r = readCsv(f.display, f.text, { required: DISPATCH_COLUMNS });
  problems.push(...r.problems);
  const t = r.table;
  if (!t) return undefined;
  const before = problems.length;
  const rows: DispatchRecord[] = [];
  for (const row of t.rows) {
    const v = (c: string) => (row.text(c) ?? '').trim();
    if (!/^[A-Z]{3}-[A-Za-z0-9-]+$/.test(v('document'))) problems.push(atCell(t, row, 'document', 'value-invalid', `"${v('document')}" is not a document name`, 'e.g. AUT-ISU-2026-006; dispatch.csv is written by finproc send: do not edit it'));
    const via = v('via');
    if (via !== 'smtp' && via !== 'eml') problems.push(atCell(t, row, 'via', 'value-invalid', `"${via}" is not smtp or eml`, 'dispatch.csv is written by finproc send: do not edit it'));
    if (!parseDate(v('date').slice(0, 10)).ok) problems.push(atCell(t, row, 'date', 'date-invalid', `"${v('date')}" is not a date`, 'an ISO timestamp, e.g. 2026-08-18T12:00:00Z'));
    rows.push({ document: v('document'), kind: v('kind'), iso3: v('iso3'), number: v('number'), to: v('to'), via: via as DispatchRecord['via'], messageId: v('message_id'), date: v('date'), sentAt: v('sent_at'), file: v('file'), sha256: v('sha256') });
  }
  return problems.length > before ? undefined : rows;
}

/** dispatch.csv with rows appended (its existing bytes kept), for an atomic write. */
export function appendDispatchLog(booksDir: string, rows: DispatchRecord[], problems: Problem[], display: string): { path: string; content: string } | undefined {
  const file = path.join(booksDir, DISPATCH_FILE);
  const content = appended(
    file,
    DISPATCH_COLUMNS,
    rows.map((r) => ({ document: r.document, kind: r.kind, iso3: r.iso3, number: r.number, to: r.to, via: r.via, message_id: r.messageId, date: r.date, sent_at: r.sentAt, file: r.file, sha256: r.sha256 })),
    problems,
    display,
  );
  return content === undefined ? undefined : { path: file, content };
}

/** The PDF of a document, read and checked against the manifest, or why it cannot go. */
export function documentPdf(dir: string, doc: ManifestDocument): { name: string; bytes: Buffer; sha256: string } | Refusal {
  const entry = doc.files.find((f) => f.format === 'pdf');
  if (!entry) return { reason: `no PDF was written for ${doc.document} (only ${doc.files.map((f) => f.format).join(', ')})`, hint: `run finproc ${doc.kind === 'reminder' ? 'remind' : doc.kind === 'acknowledgement' ? 'acknowledge' : 'invoice'} again with --format pdf (html,pdf keeps both)` };
  const file = path.join(dir, entry.file);
  if (!existsSync(file)) return { reason: `${entry.file} is listed in the manifest but missing`, hint: 'write the documents again, or send from the directory they were written to' };
  const bytes = readCapped(file, PDF_MAX_BYTES);
  if (!Buffer.isBuffer(bytes) && 'reason' in bytes) return { reason: `${entry.file} ${bytes.reason}`, hint: 'send only what finproc wrote: write the documents again' };
  const sha = sha256(bytes);
  if (sha !== entry.sha256) return { reason: `${entry.file} has changed since it was written (SHA-256 ${sha.slice(0, 12)}…, the manifest says ${entry.sha256.slice(0, 12)}…)`, hint: 'send only what finproc wrote: write the documents again' };
  if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') return { reason: `${entry.file} is not a PDF`, hint: 'write the documents again with --format pdf' };
  return { name: entry.file, bytes, sha256: sha };
}

export interface SmtpAccepted {
  ok: true;
  accepted: string[];
  rejected: string[];
  response: string;
}
export interface SmtpFailed {
  ok: false;
  message: string;
  /** The connection (or the login) failed: the following messages would fail the same way. */
  fatal: boolean;
}

export interface SmtpSender {
  send(raw: Buffer, envelope: { from: string; to: string[] }): Promise<SmtpAccepted | SmtpFailed>;
  close(): void;
}

/** nodemailer's codes for a connection that cannot carry any message (docs: SMTP errors). */
const FATAL = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EAUTH', 'ETLS', 'EDNS', 'EPROTOCOL', 'EPROXY', 'ESTREAM']);

/** An SMTP URL shown without its password. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
  }
}

/**
 * nodemailer, loaded on first use through `require` (as playwright-core in pdf.ts): it is kept
 * out of the bundle so that every other command starts as fast as before, and the bundle runs
 * in a vm.Script where a dynamic import() has no loader.
 */
function loadNodemailer(): typeof import('nodemailer') {
  return createRequire(import.meta.url)('nodemailer') as typeof import('nodemailer');
}

/**
 * One SMTP connection kept open for the messages in turn (nodemailer's pool, one connection:
 * 7 ms a message against a local server, 111 ms when each message opens its own). A message
 * is "sent" only when the server has accepted it (250 after DATA). `password` goes with the
 * URL's user.
 */
export async function openSmtp(url: string, password?: string): Promise<SmtpSender> {
  const { createTransport } = loadNodemailer();
  // The user goes in `auth` with the password, out of the URL: nodemailer's URL settings
  // override the other options, and a user in the URL would come with an empty password.
  const u = new URL(url);
  const user = decodeURIComponent(u.username);
  u.username = '';
  u.password = '';
  const transport = createTransport({
    url: u.toString(),
    ...(user ? { auth: { user, pass: password ?? '' } } : {}),
    pool: true,
    maxConnections: 1,
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 120_000,
  });
  return {
    async send(raw, envelope) {
      try {
        const info = await transport.sendMail({ envelope, raw });
        const s = (a: unknown[] | undefined) => (a ?? []).map((x) => (typeof x === 'string' ? x : (x as { address: string }).address));
        return { ok: true, accepted: s(info.accepted), rejected: s(info.rejected), response: String(info.response ?? '') };
      } catch (e) {
        const err = e as Error & { code?: string; responseCode?: number; response?: string; rejected?: unknown[] };
        const detail = err.response ? err.response.replace(/\s+/g, ' ').trim() : err.message.split('\n')[0]!;
        return { ok: false, message: `${err.code ? `${err.code}: ` : ''}${detail}`, fatal: FATAL.has(err.code ?? '') };
      }
    },
    close() {
      transport.close();
    },
  };
}
