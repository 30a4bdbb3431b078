/**
 * The books of the invoices (docs/invoices.md): the issuer (isu.yaml), the missions' postal
 * addresses (missions.csv) and the register of every invoice and credit note issued
 * (invoices.csv). Every problem has its file, line and column; nothing is thrown.
 */
import path from 'node:path';
import { electronicFormatIBAN, isQRIBAN, isValidBIC, isValidIBAN } from 'ibantools';
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import * as z from 'zod'; // a namespace import lets esbuild keep only the parts used
// The package without its locales (only the codes are needed here): its main entry loads ~80.
import countries from 'i18n-iso-countries/index.js';
import type { Cents } from '../core/ledger.js';
import { parseDate, parseIso3, parseYear } from '../core/parse.js';
import { creditorReference, isCreditorReference, type RegisterRow } from '../core/invoice.js';
import { problem, type Problem } from '../core/problem.js';
import { centsToString } from '../core/ledger.js';
import type { Lang } from '../core/lang.js';
import { CONTROL, LANGUAGES, type Books, type FileReader } from './books.js';
import { atCell, cellProblem, readCsv, type CsvRow, type CsvTable } from './csv.js';
import { parseCents } from './ledger.js';
import { appended } from './record.js';
import { MAIL_SETTINGS, mailSettings, type MailSettings } from './mail-settings.js';

export const INVOICE_FILES = { issuer: 'isu.yaml', missions: 'missions.csv', register: 'invoices.csv' } as const;

export interface PostalAddress {
  street: string;
  building: string;
  postcode: string;
  town: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
}

export interface Issuer {
  name: string;
  careOf: string;
  address: PostalAddress;
  email: string;
  phone: string;
  contact: string;
  bank: { holder: string; name: string; iban: string; bic: string };
  termsDays: number;
  /** Sender settings of `finproc send` (isu.yaml `mail:`, docs/send.md). */
  mail: MailSettings;
  /** The notes verbales (isu.yaml `letter:`): each text per language, absent where not given. */
  letter: IssuerLetter;
}

export type PerLang = Partial<Record<Lang, string>>;
export interface IssuerLetter {
  /** Put before the document number in the reference line, e.g. "CCM/ISU/FIN" → "CCM/ISU/FIN/ISU-2026-006". */
  referencePrefix: string;
  /** The place in the date line ("Geneva, 15 January 2026"). */
  place: PerLang;
  /** The Unit as the subject of the courtesy formulas ("The Implementation Support Unit of …"). */
  unit: PerLang;
  /** Letterhead: the convention and the unit. */
  convention: PerLang;
  unitName: PerLang;
  careOf: PerLang;
  contact: PerLang;
  /** The signature block, one line per `|`. */
  signatory: PerLang;
}

export interface Mission extends PostalAddress {
  iso3: string;
  mission: string;
  email: string;
  qrBill: boolean;
}

// One line of text: no control characters, no bidi overrides that could disguise a document.
const UNSAFE = CONTROL;
const line = (what: string, max = 140) =>
  z
    .string({ error: `expected ${what} as text` })
    .trim()
    .min(1, { error: `${what} is empty` })
    .max(max, { error: `${what} is longer than ${max} characters` })
    .refine((s) => !UNSAFE.test(s), { error: `${what} holds a line break, a control or a direction-override character` });

const perLang = (what: string, max = 200) =>
  z.strictObject({ en: line(what, max).optional(), fr: line(what, max).optional(), es: line(what, max).optional(), ar: line(what, max).optional(), ru: line(what, max).optional(), zh: line(what, max).optional() }).optional();

const LETTER = z
  .object({
    reference_prefix: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9/.-]{0,29}$/, { error: 'expected letters, digits, "/", "." or "-", up to 30 characters, e.g. CCM/ISU/FIN' }).optional(),
    place: perLang('the place', 40),
    unit: perLang('the unit'),
    convention: perLang('the convention'),
    unit_name: perLang('the unit name'),
    care_of: perLang('care_of'),
    contact: perLang('the contact'),
    signatory: perLang('the signatory'),
  })
  .strict();

const ISSUER = z
  .object({
    schema: z.literal('finproc.issuer/1', { error: 'expected "finproc.issuer/1"' }),
    name: line('the name', 70),
    care_of: line('care_of').optional(),
    address: z
      .object({
        street: line('the street', 70),
        building: line('the building number', 16),
        postcode: line('the postcode', 16),
        town: line('the town', 35),
        country: z.string().refine((c) => /^[A-Z]{2}$/.test(c) && !!countries.alpha2ToAlpha3(c), { error: 'expected an ISO 3166-1 alpha-2 country code, e.g. CH' }),
      })
      .strict(),
    email: line('the e-mail address').refine((s) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s), { error: 'expected an e-mail address' }),
    phone: line('the telephone number', 40),
    contact: line('the contact'),
    bank: z
      .object({
        holder: line('the account holder', 70),
        name: line('the bank name', 70),
        iban: z
          .string()
          .refine((s) => isValidIBAN(electronicFormatIBAN(s) ?? ''), { error: 'not a valid IBAN (country code, check digits and length are checked)' })
          .refine((s) => !isQRIBAN(electronicFormatIBAN(s) ?? ''), { error: 'a QR-IBAN takes only QR references, and finproc pays by ISO 11649 creditor references (RF): give the account\'s ordinary IBAN' }),
        bic: z.string().refine((s) => isValidBIC(s.trim()), { error: 'not a valid BIC (8 or 11 characters: bank, country, location, branch)' }),
      })
      .strict(),
    mail: MAIL_SETTINGS.optional(),
    payment_terms_days: z.string().regex(/^[1-9]\d{0,2}$/, { error: 'expected a whole number of days, e.g. "30"' }).default('30'),
    letter: LETTER.optional(),
  })
  .strict();

/**
 * isu.yaml: the issuer's name, address, contact and bank account (IBAN and BIC validated).
 * `qrBills`: some mission asks for a Swiss QR-bill, which needs a CH or LI IBAN and the
 * QR-bill's Latin character set in the creditor's name and address.
 */
export function loadIssuer(reader: FileReader, file: string, problems: Problem[], opts: { qrBills?: boolean } = {}): Issuer | undefined {
  const f = reader.read(file, problems);
  if (!f) return undefined;
  const lc = new LineCounter();
  const doc = parseDocument(f.text, { schema: 'failsafe', lineCounter: lc, uniqueKeys: true, prettyErrors: false });
  const lines = f.text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const at = (offset: number, width = 1) => {
    const pos = lc.linePos(offset);
    return { file: f.display, line: pos.line, column: pos.col, excerpt: lines[pos.line - 1] ?? '', width: Math.max(1, width) };
  };
  const hint = 'see docs/invoices.md, "The issuer (isu.yaml)"';
  if (doc.errors.length > 0) {
    for (const e of doc.errors) problems.push(problem('config-invalid', `not valid YAML: ${e.message.split('\n')[0]}`, { ...at(e.pos[0], e.pos[1] - e.pos[0]), hint: 'check indentation and quotes' }));
    return undefined;
  }
  /** The value of a key path (or the key itself, or the deepest map found on the way). */
  const locate = (path: readonly PropertyKey[], key?: string) => {
    let node: unknown = doc.contents;
    let where = at(0);
    for (const seg of key === undefined ? path : [...path, key]) {
      if (!isMap(node)) break;
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      const target = (key !== undefined && seg === key ? pair.key : (pair.value ?? pair.key)) as { range?: [number, number] };
      if (target.range) where = at(target.range[0], isScalar(target) ? target.range[1] - target.range[0] : 1);
      node = pair.value;
    }
    return where;
  };
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 50 });
  } catch (e) {
    problems.push(problem('config-invalid', `not valid YAML: ${(e as Error).message.split('\n')[0]}`, { ...at(Math.max(0, f.text.search(/[*&]\w/))), hint: 'isu.yaml needs no anchors or aliases: write each value out' }));
    return undefined;
  }
  const r = ISSUER.safeParse(raw);
  if (!r.success) {
    for (const issue of r.error.issues) {
      const field = issue.path.join('.');
      if (issue.code === 'unrecognized_keys') {
        for (const k of issue.keys) problems.push(problem('config-invalid', `unknown key "${k}"${field ? ` in ${field}` : ''}`, { ...locate(issue.path, k), field: field ? `${field}.${k}` : k, hint }));
        continue;
      }
      const missing = issue.code === 'invalid_type' && issue.input === undefined;
      problems.push(problem('config-invalid', missing ? `the key "${field}" is missing` : issue.message, { ...locate(missing ? issue.path.slice(0, -1) : issue.path), field, hint }));
    }
    return undefined;
  }
  if (opts.qrBills) {
    const iban = electronicFormatIBAN(r.data.bank.iban)!;
    if (!/^(CH|LI)/.test(iban)) problems.push(problem('config-invalid', `a Swiss QR-bill needs an account in Switzerland or Liechtenstein (CH or LI IBAN), and missions.csv asks for QR-bills`, { ...locate(['bank', 'iban']), field: 'bank.iban', hint: 'give a CH or LI IBAN, or set qr_bill to no in missions.csv' }));
    const a = r.data.address;
    for (const [k, v] of [['name', r.data.bank.holder], ['street', a.street], ['building', a.building], ['postcode', a.postcode], ['town', a.town]] as const) {
      const path = k === 'name' ? ['bank', 'holder'] : ['address', k];
      if (!qrText(v)) problems.push(problem('config-invalid', `"${v}" has characters a Swiss QR-bill cannot carry (its character set is Latin)`, { ...locate(path), field: path.join('.'), hint: 'write it in Latin characters (e.g. "-" for "–")' }));
    }
    if (problems.length > 0 && problems.some((p) => p.file === f.display)) return undefined;
  }
  const v = r.data;
  return {
    name: v.name,
    careOf: v.care_of ?? '',
    address: v.address,
    email: v.email,
    phone: v.phone,
    contact: v.contact,
    bank: { holder: v.bank.holder, name: v.bank.name, iban: electronicFormatIBAN(v.bank.iban)!, bic: v.bank.bic.trim() },
    termsDays: Number(v.payment_terms_days),
    mail: mailSettings(v.mail, v),
    letter: {
      referencePrefix: v.letter?.reference_prefix ?? '',
      place: v.letter?.place ?? {},
      unit: v.letter?.unit ?? {},
      convention: v.letter?.convention ?? {},
      unitName: v.letter?.unit_name ?? {},
      careOf: v.letter?.care_of ?? {},
      contact: v.letter?.contact ?? {},
      signatory: v.letter?.signatory ?? {},
    },
  };
}

/**
 * The character set of the Swiss QR-bill (SIX, Implementation Guidelines QR-bill, "Character
 * set"): Basic Latin, Latin-1 Supplement, Latin Extended-A, Ș ș Ț ț and €.
 */
export function qrText(s: string): boolean {
  return /^[\u0020-\u007e\u00a0-\u017f\u0218-\u021b\u20ac]*$/.test(s);
}

const text = (row: CsvRow, col: string) => (row.text(col) ?? '').trim();

/** missions.csv: one postal address per State (the recipient of its invoices). */
export function loadMissions(reader: FileReader, file: string, books: Books, problems: Problem[]): Map<string, Mission> | undefined {
  const f = reader.read(file, problems);
  if (!f) return undefined;
  const r = readCsv(f.display, f.text, { required: ['iso3', 'mission', 'street', 'building', 'postcode', 'town', 'country'], optional: ['email', 'qr_bill'] });
  problems.push(...r.problems);
  const t = r.table;
  if (!t) return undefined;
  const out = new Map<string, Mission>();
  const before = problems.length;
  for (const row of t.rows) {
    const iso = parseIso3(text(row, 'iso3'));
    if (!iso.ok) {
      problems.push(cellProblem(t, row, 'iso3', iso));
      continue;
    }
    if (!books.ref.states.has(iso.value)) {
      problems.push(atCell(t, row, 'iso3', 'iso3-unknown', `${iso.value} is not in states.csv`, 'add the State to states.csv, or correct the code'));
      continue;
    }
    if (out.has(iso.value)) {
      problems.push(atCell(t, row, 'iso3', 'row-duplicate', `${iso.value} has a second address`, 'keep one row per State'));
      continue;
    }
    const cells: Record<string, string> = {};
    for (const col of ['mission', 'street', 'building', 'postcode', 'town', 'country', 'email']) {
      const v = text(row, col);
      cells[col] = v;
      if (col !== 'email' && v === '') problems.push(atCell(t, row, col, 'value-missing', `the ${col} is empty`, 'every part of the address is needed (the Swiss QR-bill requires a structured address)'));
      else if (UNSAFE.test(v)) problems.push(atCell(t, row, col, 'value-invalid', `the ${col} holds a line break, a control or a direction-override character`, 'write it on one line, as plain text'));
      else if (v.length > 140) problems.push(atCell(t, row, col, 'value-invalid', `the ${col} is longer than 140 characters`, 'shorten it'));
    }
    if (cells.country !== '' && (!/^[A-Z]{2}$/.test(cells.country!) || !countries.alpha2ToAlpha3(cells.country!))) problems.push(atCell(t, row, 'country', 'value-invalid', `"${cells.country}" is not an ISO 3166-1 alpha-2 country code`, 'e.g. CH'));
    const qr = text(row, 'qr_bill').toLowerCase();
    if (!['', 'yes', 'no'].includes(qr)) problems.push(atCell(t, row, 'qr_bill', 'value-invalid', `"${text(row, 'qr_bill')}" is not yes or no`, 'yes: the State pays in CHF from an account in Switzerland and gets a Swiss QR-bill'));
    out.set(iso.value, { iso3: iso.value, mission: cells.mission!, street: cells.street!, building: cells.building!, postcode: cells.postcode!, town: cells.town!, country: cells.country!, email: cells.email!, qrBill: qr === 'yes' });
  }
  return problems.length > before ? undefined : out;
}

export const REGISTER_COLUMNS = ['number', 'kind', 'iso3', 'year', 'issued', 'due', 'language', 'currency', 'contributions', 'arrears', 'credits', 'total', 'reference', 'replaces'];

/** A signed CHF amount in centimes (credit notes are negative). */
function signedCents(s: string) {
  const neg = s.startsWith('-');
  const r = parseCents(neg ? s.slice(1) : s);
  return r.ok ? { ok: true as const, value: neg ? -r.value : r.value } : r;
}

/** invoices.csv: the register. Absent means nothing was issued yet. */
export function loadRegister(reader: FileReader, file: string, problems: Problem[]): RegisterRow[] | undefined {
  if (!reader.exists(file)) return [];
  const f = reader.read(file, problems);
  if (!f) return undefined;
  const r = readCsv(f.display, f.text, { required: REGISTER_COLUMNS });
  problems.push(...r.problems);
  const t: CsvTable | undefined = r.table;
  if (!t) return undefined;
  const before = problems.length;
  const rows: RegisterRow[] = [];
  const seen = new Set<string>();
  const refs = new Map<string, string>();
  const byNumber = new Map<string, { row: CsvRow; r: RegisterRow }>();
  for (const row of t.rows) {
    const number = text(row, 'number');
    if (!/^[A-Za-z0-9][A-Za-z0-9-]{0,30}$/.test(number)) problems.push(atCell(t, row, 'number', 'value-invalid', `"${number}" is not an invoice number`, 'e.g. ISU-2026-005 or CN-2026-001'));
    else if (seen.has(number)) problems.push(atCell(t, row, 'number', 'row-duplicate', `${number} is in the register twice`, 'a number is issued once'));
    seen.add(number);
    const kind = text(row, 'kind');
    if (kind !== 'invoice' && kind !== 'credit-note') problems.push(atCell(t, row, 'kind', 'value-invalid', `"${kind}" is not invoice or credit-note`, 'invoice or credit-note'));
    const get = <T>(col: string, p: { ok: true; value: T } | { ok: false; code: Problem['code']; message: string; hint: string }): T | undefined => {
      if (p.ok) return p.value;
      problems.push(cellProblem(t, row, col, p));
      return undefined;
    };
    const iso3 = get('iso3', parseIso3(text(row, 'iso3')));
    const year = get('year', parseYear(text(row, 'year')));
    const issued = get('issued', parseDate(text(row, 'issued')));
    const due = get('due', parseDate(text(row, 'due')));
    const amounts = ['contributions', 'arrears', 'credits', 'total'].map((c) => get(c, signedCents(text(row, c))));
    const reference = text(row, 'reference');
    if (!isCreditorReference(reference)) problems.push(atCell(t, row, 'reference', 'value-invalid', `"${reference}" is not a valid ISO 11649 creditor reference`, 'RF, two check digits, then up to 21 letters and digits (mod 97)'));
    else if (/^[A-Za-z0-9][A-Za-z0-9-]{0,30}$/.test(number) && number.replace(/-/g, '').length <= 21 && reference !== creditorReference(number))
      problems.push(atCell(t, row, 'reference', 'value-invalid', `${reference} is not the reference of ${number} (${creditorReference(number)})`, 'a payment quoting it would be matched to another invoice; the register is written by finproc invoice: do not edit it'));
    else if (refs.has(reference)) problems.push(atCell(t, row, 'reference', 'row-duplicate', `${reference} is already the reference of ${refs.get(reference)}`, 'each invoice has its own reference'));
    refs.set(reference, number);
    const currency = text(row, 'currency');
    if (currency !== 'CHF') problems.push(atCell(t, row, 'currency', 'value-invalid', `"${currency}": invoices are issued in CHF`, 'CHF'));
    const language = text(row, 'language');
    if (!(LANGUAGES as readonly string[]).includes(language)) problems.push(atCell(t, row, 'language', 'value-invalid', `"${language}" is not a language finproc writes`, `one of ${LANGUAGES.join(', ')}`));
    if (iso3 === undefined || year === undefined || issued === undefined || due === undefined || amounts.some((a) => a === undefined)) continue;
    const [contributions, arrears, credits, total] = amounts as Cents[];
    if (contributions! + arrears! - credits! !== total) problems.push(atCell(t, row, 'total', 'value-invalid', `the total ${centsToString(total!)} is not contributions + arrears − credits (${centsToString(contributions! + arrears! - credits!)})`, 'the register is written by finproc invoice; do not edit its amounts'));
    const reg: RegisterRow = { number, kind: kind as RegisterRow['kind'], iso3, year, issued, due, language, currency, contributions: contributions!, arrears: arrears!, credits: credits!, total: total!, reference, replaces: text(row, 'replaces') };
    // A credit note cancels, in full, an invoice issued before it to the same State for the same year.
    if (reg.kind === 'credit-note') {
      const old = byNumber.get(reg.replaces)?.r;
      if (!old || old.kind !== 'invoice') problems.push(atCell(t, row, 'replaces', 'ledger-reference', `credit note ${number} cancels ${reg.replaces || 'nothing'}, which is not an invoice above it in the register`, 'a credit note names the invoice it cancels'));
      else if (old.iso3 !== iso3 || old.year !== year || old.total !== -total!) problems.push(atCell(t, row, 'replaces', 'ledger-reference', `credit note ${number} does not cancel ${old.number} in full (${old.iso3} ${old.year}, total ${centsToString(old.total)})`, 'a credit note has the opposite amounts of the invoice it cancels'));
      else if (rows.some((x) => x.kind === 'credit-note' && x.replaces === reg.replaces)) problems.push(atCell(t, row, 'replaces', 'row-duplicate', `${reg.replaces} is already cancelled`, 'an invoice is cancelled once'));
    } else if (reg.replaces !== '' && !rows.some((x) => x.kind === 'credit-note' && x.replaces === reg.replaces)) problems.push(atCell(t, row, 'replaces', 'ledger-reference', `${number} replaces ${reg.replaces}, which no credit note above it cancels`, 'the register is written by finproc invoice: do not edit it'));
    byNumber.set(number, { row, r: reg });
    rows.push(reg);
  }
  return problems.length > before ? undefined : rows;
}

/** The register with rows appended (its existing bytes kept), for an atomic write. */
export function appendRegister(booksDir: string, rows: RegisterRow[], problems: Problem[], display: string): { path: string; content: string } | undefined {
  const file = path.join(booksDir, INVOICE_FILES.register);
  const content = appended(file, REGISTER_COLUMNS, rows.map(registerRecord), problems, display);
  return content === undefined ? undefined : { path: file, content };
}

export function registerRecord(r: RegisterRow): Record<string, string> {
  return { number: r.number, kind: r.kind, iso3: r.iso3, year: String(r.year), issued: r.issued, due: r.due, language: r.language, currency: r.currency, contributions: centsToString(r.contributions), arrears: centsToString(r.arrears), credits: centsToString(r.credits), total: centsToString(r.total), reference: r.reference, replaces: r.replaces };
}
