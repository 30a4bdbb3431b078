/**
 * manifest.json: the list of the documents that `finproc invoice`, `remind` or `acknowledge` wrote
 * into an --out directory, with what `finproc send` needs to address and describe each one
 * (docs/send.md, "The manifest"). Written by render/manifest.ts, read and checked here.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { problem, type Problem } from '../core/problem.js';
import { LANGUAGES } from './books.js';

export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_SCHEMA = 'finproc.manifest/1';

/** A file name finproc writes: ISO3, a dash, letters, digits and dashes, an extension. Never a path. */
const FILE = /^[A-Z]{3}-[A-Za-z0-9-]{1,60}\.(pdf|html|md)$/;
const AMOUNT = /^-?\d{1,15}\.\d\d$/;
const DATE = /^\d{4}-\d\d-\d\d$/;
const NUMBER = /^[A-Za-z0-9][A-Za-z0-9-]{0,40}$/;

const FILE_ENTRY = z.object({ format: z.enum(['pdf', 'html', 'md']), file: z.string().regex(FILE, { error: 'expected a file name such as AUT-ISU-2026-006.pdf' }), sha256: z.string().regex(/^[0-9a-f]{64}$/, { error: 'expected a SHA-256 in hexadecimal' }) }).strict();

const DOCUMENT = z
  .object({
    document: z.string().regex(/^[A-Z]{3}-[A-Za-z0-9-]{1,60}$/, { error: 'expected a document name such as AUT-ISU-2026-006' }),
    iso3: z.string().regex(/^[A-Z]{3}$/, { error: 'expected an ISO3 code' }),
    kind: z.enum(['invoice', 'credit-note', 'reminder', 'acknowledgement']),
    /** Invoice or credit note: its number. Acknowledgement: the payment id (payments.csv). Reminder: null. */
    number: z.string().regex(NUMBER).nullable(),
    year: z.number().int().min(1900).max(9999).nullable(),
    /** Invoice and credit note: the date of issue. Reminder: the date it is written as of. Acknowledgement: the day the payment was received. */
    date: z.string().regex(DATE),
    due: z.string().regex(DATE).nullable(),
    currency: z.literal('CHF'),
    total: z.string().regex(AMOUNT),
    reference: z.string().nullable(),
    /** Invoice: the invoice it replaces; credit note: the invoice it cancels; '' for neither. */
    replaces: z.string(),
    /** Reminder: 1, 2 or 3. */
    level: z.number().int().min(1).max(3).nullable(),
    /** Reminder: the invoices it lists, oldest first. */
    invoices: z.array(z.string().regex(NUMBER)),
    lang: z.enum(LANGUAGES),
    files: z.array(FILE_ENTRY).min(1),
  })
  .strict()
  // The names are made from the document, as invoice and remind make them: an edited manifest
  // cannot send one State's file under another State's document.
  .superRefine((d, ctx) => {
    const name = d.kind === 'reminder' ? `${d.iso3}-reminder-${d.date}` : d.kind === 'acknowledgement' ? `${d.iso3}-ack-${d.number ?? ''}` : `${d.iso3}-${d.number ?? ''}`;
    if (d.document !== name) ctx.addIssue({ code: 'custom', path: ['document'], message: `expected ${name} (the State and the ${d.kind === 'reminder' ? 'date' : d.kind === 'acknowledgement' ? 'payment id' : 'number'})` });
    if (d.kind === 'acknowledgement' && d.number === null) ctx.addIssue({ code: 'custom', path: ['number'], message: 'expected the payment id of the acknowledgement' });
    d.files.forEach((f, i) => {
      if (f.file !== `${d.document}.${f.format}`) ctx.addIssue({ code: 'custom', path: ['files', i, 'file'], message: `expected ${d.document}.${f.format}` });
    });
  });

const MANIFEST = z
  .object({
    schema: z.literal(MANIFEST_SCHEMA),
    command: z.enum(['invoice', 'remind', 'acknowledge']),
    /** Written with --preview: nothing recorded, nothing to send. */
    preview: z.boolean(),
    generator: z.string(),
    documents: z.array(DOCUMENT).refine((ds) => new Set(ds.map((d) => d.document)).size === ds.length, { error: 'a document is listed twice' }),
  })
  .strict();

export type Manifest = z.infer<typeof MANIFEST>;
export type ManifestDocument = z.infer<typeof DOCUMENT>;
export type ManifestFile = z.infer<typeof FILE_ENTRY>;

/** The largest manifest read: a run of 10,000 documents writes about 7 MB. */
export const MANIFEST_MAX_BYTES = 16 * 1024 * 1024;
/** The largest PDF attached: mail servers refuse far smaller messages (an invoice is about 40 KB). */
export const PDF_MAX_BYTES = 20 * 1024 * 1024;

/**
 * The bytes of a regular file, at most `max` of them, or why not. A link to /dev/zero, a FIFO
 * or a file that grows while it is read would otherwise be read without end (and kill the
 * process for want of memory): only a regular file is read, and never beyond the limit.
 */
export function readCapped(file: string, max: number): Buffer | { reason: string } {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    return { reason: `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { reason: 'is not a regular file (a device, a FIFO or a directory)' };
    const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
    if (st.size > max) return { reason: `is ${mb(st.size)}: at most ${mb(max)} is read` };
    const buf = Buffer.alloc(max + 1);
    let n = 0;
    for (;;) {
      const k = readSync(fd, buf, n, buf.length - n, null);
      if (k === 0) break;
      n += k;
      if (n > max) return { reason: `grew beyond ${mb(max)} while it was read` };
    }
    return buf.subarray(0, n);
  } catch (e) {
    return { reason: `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  } finally {
    closeSync(fd);
  }
}

/** Line and column (1-based) of a character offset in a text. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const nl = before.lastIndexOf('\n');
  return { line: before.split('\n').length, column: before.length - nl };
}

export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The manifest of a documents directory, or undefined with a problem saying why. */
export function loadManifest(dir: string, display: (abs: string) => string, problems: Problem[]): Manifest | undefined {
  const file = path.join(dir, MANIFEST_FILE);
  const shown = display(file);
  if (!existsSync(file)) {
    problems.push(problem('file-missing', `no ${MANIFEST_FILE} in ${display(dir) || '.'}: send takes the documents a run of finproc invoice, remind or acknowledge listed there`, { file: shown, hint: 'give the --out directory of finproc invoice or finproc remind (run it again with this version if its documents have no manifest)' }));
    return undefined;
  }
  const bytes = readCapped(file, MANIFEST_MAX_BYTES);
  if (!Buffer.isBuffer(bytes) && 'reason' in bytes) {
    problems.push(problem('file-unreadable', `${MANIFEST_FILE} ${bytes.reason}`, { file: shown, hint: 'give the --out directory of finproc invoice or finproc remind, as they wrote it' }));
    return undefined;
  }
  const text = bytes.toString('utf8');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0]!;
    // "… at position 100" (Node 20): said as the line and column an editor shows.
    const at = /at position (\d+)/.exec(msg);
    const where = at ? lineColumn(text, Number(at[1])) : /end of JSON input/.test(msg) ? lineColumn(text, text.length) : undefined;
    problems.push(problem('file-unreadable', `not valid JSON: ${msg.replace(/ in JSON at position \d+.*$/, '').replace(/^Unexpected end of JSON input$/, 'the file ends before the JSON does')}`, { file: shown, ...where, hint: 'the manifest is written by finproc invoice and finproc remind: do not edit it; run the command again' }));
    return undefined;
  }
  const r = MANIFEST.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0]!;
    problems.push(problem('file-unreadable', `not a ${MANIFEST_SCHEMA} manifest: ${i.path.join('.') || 'the file'}: ${i.message}`, { file: shown, hint: 'the manifest is written by finproc invoice and finproc remind: do not edit it; run the command again' }));
    return undefined;
  }
  return r.data;
}
