/**
 * manifest.json for an --out directory of `finproc invoice`, `remind` or `acknowledge`: each document,
 * its State, kind, number, amounts and language, and each of its files with its SHA-256, so
 * that `finproc send` knows what to send and can tell a file changed since (docs/send.md).
 */
import path from 'node:path';
import type { Invoice } from '../core/invoice.js';
import { centsToString } from '../core/ledger.js';
import type { Reminder } from '../core/reminder.js';
import type { Acknowledgement } from '../core/acknowledgement.js';
import { MANIFEST_FILE, MANIFEST_SCHEMA, sha256, type Manifest, type ManifestDocument } from '../io/manifest.js';
import type { Lang } from './i18n/types.js';

type Written = { path: string; content: string | Uint8Array };

function filesOf(names: readonly string[], written: readonly Written[]): ManifestDocument['files'] {
  return names.map((name) => {
    const w = written.find((f) => path.basename(f.path) === name);
    if (!w) throw new Error(`manifest: ${name} was not written`);
    return { format: path.extname(name).slice(1) as 'pdf' | 'html' | 'md', file: name, sha256: sha256(w.content) };
  });
}

export function invoiceEntry(inv: Invoice, lang: Lang, names: readonly string[], written: readonly Written[]): ManifestDocument {
  return {
    document: `${inv.iso3}-${inv.number}`,
    iso3: inv.iso3,
    kind: inv.kind,
    number: inv.number,
    year: inv.year,
    date: inv.issued,
    due: inv.due,
    currency: 'CHF',
    total: centsToString(inv.total),
    reference: inv.reference,
    replaces: inv.replaces ?? '',
    level: null,
    invoices: [],
    lang,
    files: filesOf(names, written),
  };
}

export function reminderEntry(r: Reminder, lang: Lang, names: readonly string[], written: readonly Written[]): ManifestDocument {
  return {
    document: `${r.iso3}-reminder-${r.asOf}`,
    iso3: r.iso3,
    kind: 'reminder',
    number: null,
    year: null,
    date: r.asOf,
    due: null,
    currency: 'CHF',
    total: centsToString(r.total),
    reference: null,
    replaces: '',
    level: r.level,
    invoices: r.items.map((i) => i.invoice),
    lang,
    files: filesOf(names, written),
  };
}

/** An acknowledgement of payment: its number is the payment id, its date the day received, its total the amount received. */
export function acknowledgementEntry(a: Acknowledgement, lang: Lang, names: readonly string[], written: readonly Written[]): ManifestDocument {
  return {
    document: `${a.iso3}-ack-${a.payment.id}`,
    iso3: a.iso3,
    kind: 'acknowledgement',
    number: a.payment.id,
    year: null,
    date: a.payment.received,
    due: null,
    currency: 'CHF',
    total: centsToString(a.payment.chf),
    reference: null,
    replaces: '',
    level: null,
    invoices: a.applied.map((l) => l.invoice),
    lang,
    files: filesOf(names, written),
  };
}

/** The manifest file of an --out directory (one per run: it lists the documents of that run). */
export function manifestFile(out: string, command: Manifest['command'], preview: boolean, generator: string, documents: ManifestDocument[]): Written {
  const m: Manifest = { schema: MANIFEST_SCHEMA, command, preview, generator, documents };
  return { path: path.join(out, MANIFEST_FILE), content: `${JSON.stringify(m, null, 2)}\n` };
}
