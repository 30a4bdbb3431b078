/**
 * Reading bank files (docs/bank.md): ISO 20022 camt.053 (statement) and camt.054
 * (debit/credit notification) in versions .001.02 to .001.08+, SWIFT MT940, and ZIP
 * archives of them. XML is parsed with fast-xml-parser with every value kept as text
 * (`parseTagValue: false`): an amount never becomes a floating-point number.
 *
 * Entries: the header and balances are parsed by fast-xml-parser with the entries kept as
 * raw text (stop nodes; in a large file the entries are found as spans of the text and left
 * out), and each entry is read on its own when the iteration of `openBankFile` reaches it:
 * by the scanner of src/io/camt-entry.ts, or for anything unusual through simpleXml's tree
 * (or fast-xml-parser's). A whole 100,000-entry document at once is far slower.
 */
import { isAscii, isUtf8 } from 'node:buffer';
import { isValidIBAN } from 'ibantools';
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync, type BigIntStats } from 'node:fs';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { unzipSync } from 'fflate';
import { compactRef, entryKey, txKey, type BankBalance, type BankEntry, type BankFormat, type BankStatement, type BankStatementStream, type BankTx, type Place } from '../core/bank.js';
import type { Cents } from '../core/ledger.js';
import { parseDate } from '../core/parse.js';
import { problem, type Problem } from '../core/problem.js';
import { copy, decode, scanEntry, type ChargeFields, type EntryFields, type TxFields } from './camt-entry.js';

/** Files at most this large are checked for well-formedness first (the validator is slow on larger ones). */
const VALIDATE_MAX_BYTES = 16 * 1024 * 1024;

type Node = Record<string, unknown>;

const top = new XMLParser({ parseTagValue: false, parseAttributeValue: false, ignoreAttributes: false, removeNSPrefix: true, stopNodes: ['*.Ntry'], processEntities: true });
const inner = new XMLParser({ parseTagValue: false, parseAttributeValue: false, ignoreAttributes: false, removeNSPrefix: true, processEntities: true });

const arr = (x: unknown): Node[] => (x === undefined || x === null || x === '' ? [] : Array.isArray(x) ? (x as Node[]) : [x as Node]);
const node = (x: unknown): Node | undefined => (x && typeof x === 'object' && !Array.isArray(x) ? (x as Node) : Array.isArray(x) ? (x[0] as Node) : undefined);
/** Text of an element (with or without attributes). */
const txt = (x: unknown): string => {
  if (x === undefined || x === null) return '';
  if (typeof x === 'string') return x.trim();
  if (Array.isArray(x)) return txt(x[0]);
  if (typeof x === 'object') return txt((x as Node)['#text']);
  return '';
};
/** Follow a path of element names; the first of each repeated element. */
const at = (x: unknown, ...path: string[]): unknown => {
  let n: unknown = x;
  for (const p of path) {
    const o = node(n);
    if (!o) return undefined;
    n = o[p];
  }
  return n;
};
const attr = (x: unknown, name: string): string => {
  const o = node(x);
  const v = o?.[`@_${name}`];
  return typeof v === 'string' ? v.trim() : '';
};

export class BankFileError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.message);
  }
}

/** A CHF (or other) amount in hundredths; at most two decimals that are not zero. */
export function amountCents(text: string): Cents | undefined {
  // the usual: 1 to 13 digits, a point, two digits (exact as a number: below 2^53)
  const n = text.length;
  if (n >= 4 && n <= 16 && text.charCodeAt(n - 3) === 46) {
    let v = 0;
    let k = 0;
    for (; k < n; k++) {
      if (k === n - 3) continue;
      const d = text.charCodeAt(k) - 48;
      if (d < 0 || d > 9) break;
      v = v * 10 + d;
    }
    if (k === n) return BigInt(v);
  }
  const m = /^(\d{1,15})(?:\.(\d{1,5}))?$/.exec(text);
  if (!m) return undefined;
  const frac = (m[2] ?? '').padEnd(2, '0');
  if (/[^0]/.test(frac.slice(2))) return undefined;
  return BigInt(m[1]! + frac.slice(0, 2));
}

function fail(file: string, message: string, hint: string, where: Partial<Problem> = {}): never {
  throw new BankFileError(problem('bank-file', message, { file, ...where, hint }));
}

/** The largest file read, the largest member of a ZIP and all its members together (bytes). */
export const BANK_FILE_MAX = 512 * 2 ** 20;
const ZIP_MEMBER_MAX = 512 * 2 ** 20;
const ZIP_TOTAL_MAX = 1024 * 2 ** 20;

/** The statements in one file's bytes (a ZIP gives those of its members), entries read at once. */
export function readBankFile(name: string, bytes: Uint8Array): BankStatement[] {
  // Each statement is read to its end before the next file (of a ZIP) is opened: the first
  // damage found is the one reported, as when the files are read one by one.
  // (all read: no reader left to say where an entry is, an MT940 statement's either)
  return readFile(name, bytes, (n, h, t) => materialize(openCamt(n, h, t))).map((s) => {
    const { where: _where, ...rest } = s as BankStatement & Pick<BankStatementStream, 'where'>;
    return rest;
  });
}

/**
 * The statements in one file's bytes (a ZIP gives those of its members), their header,
 * account and balances read at once, and the entries of a camt file each read when the
 * iteration reaches it: an error for a damaged entry (BankFileError) is thrown then. The
 * entries can be iterated once; the text of the file is let go when the iteration ends.
 * MT940 files are read at once.
 *
 * `source`: the bytes, a function that reads them, or the file on disk (bankFileAt): a large
 * camt file on disk is read in windows and never held whole (see `openOnDisk`). `tune`: for
 * the tests.
 */
export function openBankFile(name: string, source: Uint8Array | (() => Uint8Array) | BankFileOnDisk, tune: StreamTuning = {}): BankStatementStream[] {
  if (source instanceof Uint8Array || typeof source === 'function') return readFile<BankStatementStream>(name, source, openCamt);
  return openOnDisk(name, source, tune);
}

/** A statement whose reading failed: iterating its entries throws the error. */
function failed(name: string, e: BankFileError): BankStatementStream {
  return {
    name,
    sha256: '',
    format: 'camt.053',
    version: '',
    account: '',
    currency: '',
    id: '',
    entries: {
      [Symbol.iterator]() {
        throw e;
      },
    },
  };
}

function materialize(s: BankStatementStream): BankStatement {
  // (its entries all read, a statement has no reader left to say where one is)
  const { where: _where, ...rest } = s;
  return { ...rest, entries: Array.from(s.entries) };
}

/**
 * `source`: the bytes, or a function that reads them. Given the function, the bytes are held
 * by nothing but this reader, which lets go of them once they are decoded: the 58 MB of a
 * large statement are not kept through the reading of its entries.
 */
function readFile<S extends BankStatementStream>(name: string, source: Uint8Array | (() => Uint8Array), camt: (name: string, sha256: string, text: string) => S): (S | BankStatement)[] {
  let bytes: Uint8Array | undefined = typeof source === 'function' ? source() : source;
  // An archive with no member at all is its end record alone (PK 5 6): said as an empty ZIP, not as bytes quoted.
  if (isZip(bytes, 0x05, 0x06)) fail(name, 'the ZIP archive holds no file', 'give the archive of camt.053, camt.054 or MT940 files');
  if (isZip(bytes, 0x03, 0x04)) {
    let members: Record<string, Uint8Array>;
    // A ZIP bomb is refused from the sizes its directory declares, before anything is inflated.
    let total = 0;
    let tooLarge: string | undefined;
    // Two members of one name would be one key of `members`: the second would silently replace the first.
    const seen = new Set<string>();
    let twice: string | undefined;
    try {
      members = unzipSync(bytes, {
        filter: (f) => {
          if (seen.has(f.name)) twice ??= f.name;
          seen.add(f.name);
          total += f.originalSize;
          if (f.originalSize > ZIP_MEMBER_MAX || total > ZIP_TOTAL_MAX) tooLarge ??= f.name;
          return tooLarge === undefined;
        },
      });
    } catch (e) {
      fail(name, `not a readable ZIP archive: ${(e as Error).message}`, 'download the archive again from the e-banking');
    }
    if (tooLarge !== undefined)
      fail(name, `the ZIP archive unpacks to more than ${ZIP_TOTAL_MAX / 2 ** 20} MB (at ${tooLarge}): refused, nothing read`, `a bank's archive of statements is far smaller; unpack it yourself and import the files (at most ${ZIP_MEMBER_MAX / 2 ** 20} MB each)`);
    if (twice !== undefined) fail(name, `the ZIP archive holds two files named ${twice}: refused, nothing read`, 'which of the two is the statement cannot be told: download the archive again, or unpack it yourself and import the files');
    const out: (S | BankStatement)[] = [];
    const raw = Object.keys(members).filter((m) => !m.endsWith('/'));
    const all = raw.filter((m) => !m.startsWith('__MACOSX/') && !/(^|\/)\./.test(m));
    const unsafe = raw.filter((m) => m.startsWith('/') || /(^|[\\/])\.\.([\\/]|$)/.test(m) || /^[A-Za-z]:/.test(m));
    if (unsafe.length) fail(name, `the ZIP archive names a file outside itself (${unsafe[0]}): refused, nothing read`, 'an archive from the e-banking names its files plainly; unpack it yourself and import the files');
    // By its name or by what it is (a ZIP renamed .dat would be read, and its own limits counted anew).
    const nested = all.filter((m) => /\.zip$/i.test(m) || isZip(members[m]!, 0x03, 0x04) || isZip(members[m]!, 0x05, 0x06));
    if (nested.length) fail(name, `the ZIP archive holds another archive (${nested[0]}): refused`, 'unpack the inner archive and import its files');
    const names = all.sort();
    if (names.length === 0) fail(name, 'the ZIP archive holds no file', 'give the archive of camt.053, camt.054 or MT940 files');
    // A member that is plainly not a bank file (a README, the statement as a PDF) is left out
    // and said (docs/bank.md); its bytes are let go now. Nothing left to read is an error.
    const why = new Map<string, string>();
    for (const m of names) {
      const head = members[m]!.subarray(0, 400);
      if (isReviewText(new TextDecoder().decode(head).replace(/^\uFEFF/, ''))) fail(name, `the ZIP archive holds a bank-review.csv (${m}): refused, nothing read`, 'the review file is imported on its own: unpack it, and give it to bank import after the bank files (finproc bank import bank-review.csv --apply)');
      const w = leftOutWhy(m, members[m]!);
      if (w === undefined) continue;
      why.set(m, w);
      delete members[m];
    }
    if (why.size === names.length) {
      const list = names.slice(0, 5).map((m) => `${m} (${why.get(m)!})`);
      if (names.length > 5) list.push(`and ${names.length - 5} more`);
      fail(name, `the ZIP archive holds no bank statement: ${list.join(', ')}`, 'give the archive of camt.053, camt.054 or MT940 files');
    }
    bytes = undefined;
    // Each member handed over and forgotten here: only its reader holds it.
    const take = (m: string) => () => {
      const b = members[m]!;
      delete members[m];
      return b;
    };
    for (const m of names) {
      const w = why.get(m);
      if (w !== undefined) {
        out.push({ name: `${name}!${m}`, sha256: '', format: 'camt.053', version: '', account: '', currency: '', id: '', entries: [], leftOut: w });
        continue;
      }
      try {
        // (one by one: a member of 120,000 statements or more would overflow V8's stack spread)
        for (const st of readFile(`${name}!${m}`, take(m), camt)) out.push(st);
      } catch (e) {
        // Read lazily, an earlier member's entries are only read after this member's header:
        // its error waits until they have been, so that the first damage in the archive's
        // order is the one reported (as when the members are read one after the other).
        if (!(e instanceof BankFileError) || out.every((x) => Array.isArray(x.entries))) throw e;
        out.push(failed(`${name}!${m}`, e) as S);
        break;
      }
    }
    return out;
  }
  // A file saved as UTF-16 (its byte order mark): said as such, not as "not a camt file" with its NULs quoted.
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    fail(name, `the file is UTF-16 (${bytes[0] === 0xff ? 'little' : 'big'}-endian, by its byte order mark): ISO 20022 files are UTF-8, and MT940 files and bank-review.csv are read as UTF-8`, 'download the bank file again from the e-banking, or save it as UTF-8 if an editor changed it (a bank-review.csv saved by Excel as "Unicode Text": save it as "CSV UTF-8")', { line: 1, column: 1 });
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // MT940 is often Latin-1 (SWIFT's character set is ASCII; national characters appear in names).
    text = new TextDecoder('latin1').decode(bytes);
    if (/^\s*</.test(text)) fail(name, 'the XML file is not valid UTF-8', 'ISO 20022 files are UTF-8: download the file again', notUtf8At(bytes));
  }
  bytes = undefined;
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (isXmlText(text)) return [camt(name, sha256, text)];
  if (isMt940Text(text)) return readMt940(name, sha256, text);
  fail(name, 'not a camt.053, camt.054 or MT940 file, nor a ZIP of them', 'give the ISO 20022 XML (camt.053/camt.054) or the MT940 file from the e-banking', { line: 1, column: 1, excerpt: (text.split('\n')[0] ?? '').replace(/\r$/, '').slice(0, 200), width: 1 });
}

/** XML, as a bank file: `<` its first character that is not white space (a byte order mark taken off). */
const isXmlText = (text: string): boolean => /^\s*</.test(text);

/** MT940: a `:20:` field at the start of a line (or of SWIFT block 4), and a `:61:` or opening balance. */
const isMt940Text = (text: string): boolean => /(^|\n|\{4:\s*\r?\n):20:/.test(text) && /:61:|:60[FM]:/.test(text);

/**
 * What a member of a ZIP may be, by the extension of its name, to be left out of an import
 * (docs/bank.md): the kinds an e-banking archive holds beside its statements (the statement as
 * a PDF or a CSV, a README, an index page, a logo) and that are never a camt.053, camt.054 or
 * MT940. Not .xml (a statement's own), nor a name without one; not .docx, .xlsx or .odt,
 * which are ZIPs (an archive inside the archive is refused, not looked into).
 */
const LEFT_OUT_KINDS = new Map<string, string>([
  ...['txt', 'md', 'log'].map((e): [string, string] => [e, 'a text file without MT940 fields']),
  ['csv', 'a CSV file'],
  ['json', 'a JSON file'],
  ['html', 'an HTML page'],
  ['htm', 'an HTML page'],
  ['pdf', 'a PDF document'],
  ['rtf', 'an RTF document'],
  ['doc', 'a Word document'],
  ...['png', 'jpg', 'jpeg', 'gif'].map((e): [string, string] => [e, 'an image']),
]);

/**
 * Why a member of a ZIP is left out (what it is), or undefined: it is read as a bank file,
 * and refused if it is not one. Left out only when BOTH its name is of a kind of
 * LEFT_OUT_KINDS AND its content is not a bank file by the tests readFile reads it by: not a
 * ZIP, not MT940, not XML (an HTML page, `<!DOCTYPE html` or `<html` first, that names
 * nothing of ISO 20022, is not taken for one), and not a bank-review.csv. A damaged
 * statement under any name, or an MT940 named .txt, is never left out: no money is lost
 * silently. A UTF-16 member (its byte order mark) is tested on its text too: a README saved
 * as "Unicode" is left out, a statement saved so is refused as UTF-16, as today.
 */
function leftOutWhy(member: string, bytes: Uint8Array): string | undefined {
  const ext = /\.([A-Za-z0-9]+)$/.exec(member)?.[1]!.toLowerCase();
  const kind = ext === undefined ? undefined : LEFT_OUT_KINDS.get(ext);
  if (kind === undefined || isZip(bytes, 0x03, 0x04) || isZip(bytes, 0x05, 0x06)) return undefined;
  let text: string;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) text = new TextDecoder('utf-16le').decode(bytes);
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) text = new TextDecoder('utf-16be').decode(bytes);
  else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      text = new TextDecoder('latin1').decode(bytes);
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (isXmlText(text) && !isHtmlPage(text)) return undefined;
  if (isMt940Text(text)) return undefined;
  // (a bank-review.csv: refused in an archive, imported as a file of its own)
  if (isReviewText(text)) return undefined;
  return kind;
}

/** A completed bank-review.csv, told by its header (after Excel's "sep=;" line, if any; the byte order mark taken off). */
export function isReviewText(text: string): boolean {
  return /^(?:sep=.\r?\n)?"?key"?[,;][^\n]*decision/.test(text);
}

/**
 * An HTML page, not XML a statement could be: `<!DOCTYPE html` or `<html` its first markup
 * (after an XML declaration or comments), and nothing of ISO 20022 in it (a camt element or
 * namespace: a statement wrapped in HTML is read, and refused, as XML).
 */
function isHtmlPage(text: string): boolean {
  return /^\s*(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html)[\s>]/i.test(text) && !/BkToCstmr|iso:20022/i.test(text);
}

/** Whether the bytes begin with a ZIP record signature: PK, then `a`, `b` (3 4: a member; 5 6: the end of an archive). */
function isZip(bytes: Uint8Array, a: number, b: number): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === a && bytes[3] === b;
}

/** Where the first byte that is not UTF-8 is (line, column in characters, the line so far). */
function notUtf8At(bytes: Uint8Array): Partial<Problem> {
  // The longest prefix that is valid UTF-8, by halves (a character is at most 4 bytes).
  let lo = 0;
  let hi = bytes.length;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (isUtf8(bytes.subarray(0, mid)) || isUtf8(bytes.subarray(0, Math.min(bytes.length, mid + 1))) || isUtf8(bytes.subarray(0, Math.min(bytes.length, mid + 2))) || isUtf8(bytes.subarray(0, Math.min(bytes.length, mid + 3)))) lo = mid;
    else hi = mid;
  }
  while (lo > 0 && !isUtf8(bytes.subarray(0, lo))) lo--;
  const start = bytes.lastIndexOf(0x0a, lo - 1) + 1;
  let line = 1;
  for (let i = bytes.indexOf(0x0a); i >= 0 && i < start; i = bytes.indexOf(0x0a, i + 1)) line++;
  const before = new TextDecoder().decode(bytes.subarray(start, lo));
  return { line, column: before.length + 1, width: 1, ...((x) => (x === undefined ? {} : { excerpt: x }))(excerptOf(before, before.length + 1)) };
}

/** Excerpts reach this far into a line: a bank file is often one line of megabytes. */
const EXCERPT_MAX = 20_000;

/**
 * The line and column of an offset, and the line as excerpt: from its start to a little past
 * the column (the problem's renderer shows a window around the column), and none when the
 * column is further into the line than EXCERPT_MAX.
 */
function lineOf(text: string, offset: number): { line: number; column: number; excerpt?: string } {
  let line = 1;
  let last = -1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    last = i;
  }
  const end = text.indexOf('\n', offset);
  const column = offset - last;
  const excerpt = excerptOf(text.slice(last + 1, Math.min(end < 0 ? text.length : end, last + 1 + Math.max(200, column + 120))), column);
  return excerpt === undefined ? { line, column } : { line, column, excerpt };
}

/** The excerpt of a line for a problem at `column` (see lineOf). */
function excerptOf(lineText: string, column: number): string | undefined {
  if (column > EXCERPT_MAX) return undefined;
  return lineText.slice(0, Math.max(200, column + 120)).replace(/\r$/, '');
}

/**
 * Where the n-th (1-based) entry of a camt file starts, for problems; with `element`, where
 * the content of that entry's own first such element is: a path from the entry (`Amt`, its
 * own; `ValDt/Dt`; `NtryDtls/TxDtls[2]/AmtDtls/InstdAmt/Amt`, in its second transaction).
 */
function entryWhere(text: string, n: number, element?: string): Partial<Problem> {
  const at = entryAt(text, n, element);
  return at ? { ...lineOf(text, at.offset), width: at.width } : {};
}

/** entryWhere as an offset in the text (of the element's content, or of the entry's tag) and a width. */
function entryAt(text: string, n: number, element?: string): { offset: number; width: number } | undefined {
  const re = /<(?:[A-Za-z_][\w.-]*:)?Ntry[\s>]/g;
  let m: RegExpExecArray | null;
  let k = 0;
  while ((m = re.exec(text))) {
    if (++k !== n) continue;
    if (element) {
      // The names of the elements open inside the entry, TxDtls numbered (an Amt of its details is not its own).
      const open: string[] = [];
      let txs = 0;
      const tag = /<\/?(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)[^>]*?(\/?)>([^<]*)/y;
      for (let i = text.indexOf('<', m.index + 1); i >= 0; i = text.indexOf('<', i + 1)) {
        const c = text.charCodeAt(i + 1);
        if (c === 33 || c === 63) {
          // a comment, CDATA, a processing instruction: passed over whole (tags in it are no tags)
          const close = text.startsWith('<!--', i) ? '-->' : text.startsWith('<![CDATA[', i) ? ']]>' : c === 63 ? '?>' : '>';
          const e = text.indexOf(close, i + 2);
          if (e < 0) break;
          i = e + close.length - 1;
          continue;
        }
        tag.lastIndex = i;
        const t = tag.exec(text);
        if (!t) break;
        if (c === 47) {
          if (open.pop() === undefined) break; // the entry's own end
          continue;
        }
        if (t[2] === '/') continue;
        open.push(t[1] === 'TxDtls' ? `TxDtls[${++txs}]` : t[1]!);
        if (open.join('/') === element || (open.length === 1 && open[0] === element)) return { offset: i + t[0].length - t[3]!.length, width: Math.max(1, t[3]!.length) };
      }
    }
    return { offset: m.index, width: 1 };
  }
  return undefined;
}

/**
 * `plain`: fast-xml-parser for everything; `tree`: each entry through simpleXml's tree, not
 * the scanner (the tests compare the ways).
 */
export function readCamt(name: string, sha256: string, text: string, opts: { plain?: boolean; tree?: boolean } = {}): BankStatement {
  return materialize(openCamt(name, sha256, text, opts));
}

/**
 * Where the entries of a camt file are: spans of its text, what fast-xml-parser left of them
 * (with the text, for the place of a problem), or spans of the file on disk.
 */
type EntrySource = { text: string; spans: EntrySpans } | { text: string; raw: unknown[] } | { stream: StreamedEntries };

/** A camt file's header and balances, read at once, and its entries, read as they are iterated. */
function openCamt(name: string, sha256: string, text: string, opts: { plain?: boolean; tree?: boolean; validate?: boolean } = {}): BankStatementStream {
  // ISO 20022 messages have no DOCTYPE; its entity declarations are a known way to attack a parser.
  const dt = /<!DOCTYPE/i.exec(text);
  if (dt) fail(name, 'an XML file with a DOCTYPE: ISO 20022 messages have none', 'download the file again from the e-banking', { ...lineOf(text, dt.index), width: 9 });
  if (opts.validate || text.length <= VALIDATE_MAX_BYTES) {
    const v = XMLValidator.validate(text);
    if (v !== true) {
      const l = lineOf(text, 0);
      const lines = text.split('\n');
      // Elements left open at the end: the validator lists them as a JSON array at 1:1; say
      // that the file is cut short, at its end.
      const open = /^Invalid '\[(.*)\]' found\.?$/s.exec(v.err.msg);
      if (open) {
        const names = [...open[1]!.matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
        const last = text.replace(/\s+$/, '');
        fail(name, `the file ends before its elements close (${names.join(' > ')} still open): it is cut short`, 'download the file again from the e-banking', { ...lineOf(last, Math.max(0, last.length - 1)), width: 1 });
      }
      fail(name, `not well-formed XML: ${v.err.msg}`, 'the file is damaged or not XML: download it again', { line: v.err.line, column: v.err.col, ...((x) => (x === undefined ? {} : { excerpt: x }))(excerptOf(lines[v.err.line - 1] ?? l.excerpt ?? '', v.err.col)), width: 1 });
    }
  }
  // Large files: the entries are found in the text and each read from there when iterated;
  // the rest (header, balances) is parsed by fast-xml-parser as usual.
  const spans = opts.plain ? undefined : entrySpans(text);
  const doc = parseTop(name, spans ? spans.rest : text);
  if (spans) spans.rest = '';
  const head = camtHead(name, doc, text.slice(0, 4000));
  return camtStatement(name, sha256, head, spans ? { text, spans } : { text, raw: arr(head.stmt.Ntry) as unknown[] }, opts.plain ? 'plain' : opts.tree ? 'tree' : 'scan');
}

/** The document (without its entries, or with them as raw text) as fast-xml-parser reads it. */
function parseTop(name: string, text: string): Node {
  try {
    return top.parse(text) as Node;
  } catch (e) {
    fail(name, `not well-formed XML: ${(e as Error).message.split('\n')[0]}`, 'the file is damaged or not XML: download it again');
  }
}

/** What a camt file says of its statement, its entries aside. */
interface CamtHead {
  format: BankFormat;
  version: string;
  account: string;
  currency: string;
  id: string;
  opening: BankBalance | undefined;
  closing: BankBalance | undefined;
  /** The statement's node (Stmt or Ntfctn). */
  stmt: Node;
}

/** The header and balances of a camt document parsed by `top`; `start`: the first 4000 characters of its text (for the namespace). */
function camtHead(name: string, doc: Node, start: string): CamtHead {
  const root = node(doc.Document);
  const ns = /xmlns(?::\w+)?="urn:iso:std:iso:20022:tech:xsd:(camt\.05[34]\.\d{3}\.\d{2})"/.exec(start)?.[1] ?? '';
  if (!root) fail(name, 'an XML file without an ISO 20022 Document element', 'give a camt.053 or camt.054 file', { line: 1, column: 1 });
  const stmtRoot = node(root.BkToCstmrStmt);
  const ntfRoot = node(root.BkToCstmrDbtCdtNtfctn);
  const format: BankFormat | undefined = stmtRoot ? 'camt.053' : ntfRoot ? 'camt.054' : undefined;
  if (!format) {
    const what = Object.keys(root).filter((k) => !k.startsWith('@_'))[0] ?? 'nothing';
    fail(name, `an ISO 20022 document of another kind (${what}${ns ? `, ${ns}` : ''}): finproc reads camt.053 and camt.054`, 'download the statement (camt.053) or the credit notification (camt.054)', { line: 1, column: 1 });
  }
  if (ns !== '' && !ns.startsWith(format)) fail(name, `the namespace says ${ns} but the document is a ${format}`, 'the file is damaged: download it again');
  const version = ns || format;
  const reports = arr(format === 'camt.053' ? stmtRoot!.Stmt : ntfRoot!.Ntfctn);
  if (reports.length !== 1) fail(name, reports.length === 0 ? `a ${format} with no ${format === 'camt.053' ? 'Stmt' : 'Ntfctn'}` : `a ${format} with ${reports.length} statements: finproc reads one account per file`, 'give the file of one account and day as the bank delivers it');
  const s = reports[0]!;
  const account = txt(at(s, 'Acct', 'Id', 'IBAN')) || txt(at(s, 'Acct', 'Id', 'Othr', 'Id'));
  if (account === '') fail(name, 'the statement names no account (Acct/Id)', 'the file is incomplete: download it again');
  const currency = txt(at(s, 'Acct', 'Ccy'));
  const id = txt(s.Id);
  let opening: BankBalance | undefined;
  let closing: BankBalance | undefined;
  for (const b of arr(s.Bal)) {
    const code = txt(at(b, 'Tp', 'CdOrPrtry', 'Cd')) || txt(at(b, 'Tp', 'CdOrPrtry', 'Prtry'));
    const amt = amountCents(txt(b.Amt));
    const date = dateOf(b.Dt);
    if (amt === undefined || !date) fail(name, `balance ${code || '?'} without a valid amount or date`, 'the file is damaged: download it again');
    const bal = { amount: txt(b.CdtDbtInd) === 'DBIT' ? -amt : amt, date };
    if (code === 'OPBD' || (code === 'PRCD' && !opening)) opening = bal;
    else if (code === 'CLBD') closing = bal;
  }
  return { format, version, account, currency, id, opening, closing, stmt: s };
}

/** The statement of a camt file: its head, and its entries read from `source` as they are iterated. */
function camtStatement(name: string, sha256: string, head: CamtHead, source: EntrySource, way: 'scan' | 'tree' | 'plain'): BankStatementStream {
  const { format, version, account, currency, id, opening, closing } = head;
  const reader = new CamtEntries(name, account, currency, source, way);
  // Without Acct/Ccy the statement is in the currency of its first entry that names one.
  const ahead: BankEntry[] = [];
  let failure: { error: unknown } | undefined;
  if (currency === '') {
    try {
      for (let e = reader.next(); e !== undefined; e = reader.next()) {
        ahead.push(e);
        if (reader.ccy !== '') break;
      }
    } catch (error) {
      failure = { error };
    }
  }
  // (copies: the version is a substring of the text, and V8 would keep the whole text as long
  // as the statement if it were a view of it)
  return { name, sha256, format, version: copy(version), account: copy(account), currency: copy(reader.ccy || 'CHF'), id: copy(id), ...(opening ? { opening } : {}), ...(closing ? { closing } : {}), count: reader.count, entries: onePass(name, reader, ahead, failure), where: (n, element) => reader.where(n, element) };
}

/** The entries, once: those read ahead first, then (or the error met reading ahead) the reader's. */
function onePass(name: string, reader: CamtEntries, ahead: BankEntry[], failure: { error: unknown } | undefined): Iterable<BankEntry> {
  let used = false;
  return {
    [Symbol.iterator](): Iterator<BankEntry> {
      if (used) throw new Error(`${name}: the entries of a bank file opened by openBankFile can be iterated once`);
      used = true;
      let k = 0;
      return {
        next(): IteratorResult<BankEntry> {
          if (k < ahead.length) {
            const e = ahead[k]!;
            ahead[k++] = undefined as unknown as BankEntry;
            return { value: e, done: false };
          }
          if (failure) {
            const { error } = failure;
            failure = undefined;
            reader.drop();
            throw error;
          }
          const e = reader.next();
          return e === undefined ? { value: undefined, done: true } : { value: e, done: false };
        },
        return(): IteratorResult<BankEntry> {
          ahead.length = 0;
          reader.drop();
          return { value: undefined, done: true };
        },
      };
    },
  };
}

/** The entries of one statement read in order, each from its text; `next` gives undefined after the last. */
class CamtEntries {
  /** The currency of the entries: the account's, or the first entry's that names one. */
  ccy: string;
  private i = 0;
  private readonly n: number;
  /** The entries of the statement, read or not. */
  get count(): number {
    return this.n;
  }
  private readonly fallbacks = new Map<string, number>();

  constructor(
    private readonly name: string,
    private readonly account: string,
    currency: string,
    private source: EntrySource | undefined,
    private readonly way: 'scan' | 'tree' | 'plain',
  ) {
    this.ccy = currency;
    this.n = 'spans' in source! ? source.spans.starts.length : 'stream' in source! ? source.stream.count : source!.raw.length;
  }

  /** The text (or the window on the file) and what is left of the entries are let go (at the end, or when the iteration stops). */
  drop(): void {
    this.source = undefined;
  }

  /** Where entry n is (see BankStatementStream.where): while the text is held, or from the file on disk. */
  where(n: number, element?: string): Partial<Problem> {
    const src = this.source;
    if (src === undefined) return {};
    return 'stream' in src ? src.stream.where(n, element) : entryWhere(src.text, n, element);
  }

  next(): BankEntry | undefined {
    const src = this.source;
    if (this.i >= this.n || src === undefined) {
      this.drop();
      return undefined;
    }
    const i = this.i++;
    try {
      const where = (element?: string): Partial<Problem> => ('stream' in src ? src.stream.where(i + 1, element) : entryWhere(src.text, i + 1, element));
      const bad = (msg: string, hint: string, element?: string): never => fail(this.name, msg, hint, where(element));
      let fields: EntryFields;
      try {
        if ('spans' in src) fields = entryFields(src.text, src.spans.starts[i]!, src.spans.ends[i]!, this.way);
        else if ('stream' in src) {
          const t = src.stream.entry(i);
          fields = entryFields(t, 0, t.length, this.way);
        } else {
          const r = src.raw[i];
          src.raw[i] = undefined; // the entry's text is no longer needed once it is read
          // (fast-xml-parser gives an entry with attributes as an object of its text and them)
          const attrs = r && typeof r === 'object' ? Object.keys(r).filter((k) => k.startsWith('@_')) : [];
          if (attrs.length > 0) bad(`entry ${i + 1}: its <Ntry> tag has ${attrs.length === 1 ? 'an attribute' : 'attributes'} (${attrs.map((k) => k.slice(2)).join(', ')}), which an ISO 20022 entry never has`, 'the file is damaged or was not written by a bank: download it again from the e-banking');
          fields = typeof r !== 'string' ? fieldsOfNode(r as Node) : this.way === 'plain' ? fieldsOfNode(node(inner.parse(`<Ntry>${r}</Ntry>`))!.Ntry as Node) : entryFields(r, 0, r.length, this.way);
        }
      } catch (x) {
        // (the validator's own place is in the entry as it was given to it: left out)
        if (x instanceof EntryXmlError) bad(`entry ${i + 1} is not well-formed XML: ${x.message.replace(/ \(opened in line \d+, col \d+\)/, '')}`, 'the file is damaged: download it again');
        throw x;
      }
      const e = buildEntry(fields, i + 1, this.account, this.fallbacks, bad);
      if (this.ccy === '') this.ccy = e.currency;
      if (e.currency !== this.ccy) fail(this.name, `entry ${i + 1} is in ${e.currency}, the account in ${this.ccy}`, 'the file is damaged: download it again', where());
      // (the text is let go at the next call, after the last entry has been planned: a
      // problem found then can still say where the entry is)
      return e;
    } catch (e) {
      this.drop();
      throw e;
    }
  }
}

/**
 * The fields of the entry whose content (the text inside <Ntry>) is text[from, to): by the
 * scanner, or (anything unusual, or `way` says so) through the tree.
 */
function entryFields(text: string, from: number, to: number, way: 'scan' | 'tree' | 'plain'): EntryFields {
  // (a copy: a value of the tree must not be a view of the whole text)
  return (way === 'scan' ? scanEntry(text, from, to) : undefined) ?? fieldsOfNode(entryNode(from === 0 && to === text.length ? text : copy(text.slice(from, to))));
}

/** An entry's content (the text inside <Ntry>) as fast-xml-parser gives it. */
export function entryNode(r: string): Node {
  const plain = simpleXml(r);
  if (plain) return plain;
  // fast-xml-parser reads past damage: an entry it is left to is checked first (a file above
  // 16 MB is not checked whole)
  const xml = `<Ntry>${r}</Ntry>`;
  const v = XMLValidator.validate(xml);
  if (v !== true) throw new EntryXmlError(v.err.msg);
  return node(inner.parse(xml))!.Ntry as Node;
}

/** An entry that is not well-formed XML (its reader locates it). */
class EntryXmlError extends Error {}

/** The entries of a camt document as spans of its text (content of each <Ntry>), and the document without them. */
interface EntrySpans {
  rest: string;
  starts: number[];
  ends: number[];
}

/**
 * The entries of a camt document cut out as text, and the document without them, or
 * undefined when the text has anything but plain elements around them (a comment, CDATA, a
 * DOCTYPE, text between two entries): then fast-xml-parser reads the whole document.
 */
export function splitEntries(text: string): { rest: string; entries: string[] } | undefined {
  const spans = entrySpans(text);
  return spans && { rest: spans.rest, entries: spans.starts.map((s, k) => text.slice(s, spans.ends[k])) };
}

/** An entry's start tag, with or without attributes. */
const NTRY_TAG = /<(?:[A-Za-z_][\w.-]*:)?Ntry[\s>/]/;

function entrySpans(text: string): EntrySpans | undefined {
  if (text.length < 1 << 20 || /<!--|<!\[CDATA\[|<!DOCTYPE/.test(text)) return undefined;
  const first = /<([A-Za-z_][\w.-]*:)?Ntry>/.exec(text);
  if (!first) return undefined;
  const open = `<${first[1] ?? ''}Ntry>`;
  const close = `</${first[1] ?? ''}Ntry>`;
  const starts: number[] = [];
  const ends: number[] = [];
  let at = first.index;
  let end = at;
  for (;;) {
    const c = text.indexOf(close, at);
    if (c < 0) return undefined;
    starts.push(at + open.length);
    ends.push(c);
    end = c + close.length;
    const next = text.indexOf('<', end);
    if (next < 0 || !text.startsWith(open, next)) break;
    if (next > end && text.slice(end, next).trim() !== '') return undefined;
    at = next;
  }
  if (text.indexOf(open, end) >= 0) return undefined;
  const rest = text.slice(0, first.index) + text.slice(end);
  // an entry not found (one with attributes, after the last found): it must not be left out
  if (NTRY_TAG.test(rest)) return undefined;
  return { rest, starts, ends };
}

/**
 * The same object fast-xml-parser builds (with the options of `inner`) for a fragment of
 * plain elements, attributes in quotes, text and the XML entities — the whole of a camt
 * entry as banks write it — and undefined for anything else (a comment, CDATA, a processing
 * instruction, mixed content, a tag that does not close), which fast-xml-parser then reads.
 * test/bank.test.ts checks that both give the same entries on every sample file.
 */
export function simpleXml(s: string): Node | undefined {
  interface Frame {
    /** Name without its prefix, and as written (for the closing tag). */
    name: string;
    raw: string;
    node: Node;
    /** Where its content starts. */
    start: number;
    children: boolean;
    attrs: boolean;
  }
  const root: Frame = { name: '', raw: '', node: {}, start: 0, children: true, attrs: false };
  const stack: Frame[] = [root];
  let cur = root;
  let i = 0;
  const put = (parent: Node, name: string, value: unknown) => {
    const old = parent[name];
    if (old === undefined) parent[name] = value;
    else if (Array.isArray(old)) old.push(value);
    else parent[name] = [old, value];
  };
  /** Text between from and to that is not blank. */
  const text = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (s.charCodeAt(k) > 32) return true;
    return false;
  };
  for (;;) {
    const lt = s.indexOf('<', i);
    if (lt < 0) {
      if (text(i, s.length)) return undefined;
      break;
    }
    const c = s.charCodeAt(lt + 1);
    if (c === 47) {
      // </name>: the name of the element open, as written
      const gt = lt + 2 + cur.raw.length;
      if (stack.length < 2 || !s.startsWith(cur.raw, lt + 2) || s.charCodeAt(gt) !== 62) return undefined;
      let v: unknown;
      if (cur.children) {
        if (text(i, lt)) return undefined;
        v = cur.node;
      } else {
        const t = s.slice(cur.start, lt).trim();
        if (t.includes('<')) return undefined;
        if (cur.attrs) {
          if (t !== '') cur.node['#text'] = decode(t);
          v = cur.node;
        } else v = decode(t);
      }
      stack.pop();
      const parent = stack[stack.length - 1]!;
      put(parent.node, cur.name, v);
      cur = parent;
      i = gt + 1;
      continue;
    }
    if (c === 33 || c === 63) return undefined;
    // text before a child element: mixed content
    if (text(i, lt)) return undefined;
    const gt = s.indexOf('>', lt);
    if (gt < 0) return undefined;
    let end = gt;
    const self = s.charCodeAt(gt - 1) === 47;
    if (self) end--;
    let sp = lt + 1;
    while (sp < end && s.charCodeAt(sp) > 32) sp++;
    const raw = s.slice(lt + 1, sp);
    if (!/^[A-Za-z_][\w.:-]*$/.test(raw)) return undefined;
    const colon = raw.indexOf(':');
    const nm = colon >= 0 ? raw.slice(colon + 1) : raw;
    const f: Frame = { name: nm, raw, node: {}, start: gt + 1, children: false, attrs: false };
    if (sp < end) {
      const rest = s.slice(sp, end);
      if ((rest.split('"').length - 1) % 2 !== 0 || (rest.split("'").length - 1) % 2 !== 0) return undefined;
      const re = /\s*([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')\s*/y;
      let a: RegExpExecArray | null;
      let used = 0;
      while ((a = re.exec(rest))) {
        used = re.lastIndex;
        let an = a[1]!;
        if (an === 'xmlns' || an.startsWith('xmlns:')) continue;
        const ac = an.indexOf(':');
        if (ac >= 0) an = an.slice(ac + 1);
        f.node[`@_${an}`] = decode(a[2] ?? a[3] ?? '');
        f.attrs = true;
      }
      if (used !== rest.length && rest.trim() !== '') return undefined;
    }
    cur.children = true;
    if (self) put(cur.node, nm, f.attrs ? f.node : '');
    else {
      stack.push(f);
      cur = f;
    }
    i = gt + 1;
  }
  return stack.length === 1 ? root.node : undefined;
}

function dateOf(x: unknown): string | undefined {
  return dateOfText(txt(at(x, 'Dt')), txt(at(x, 'DtTm')));
}

let lastDate = '';
let lastDateValue: string | undefined;
function dateOfText(dt: string, dtTm: string): string | undefined {
  // the entries of a file mostly have one or a few dates: the last one is kept (also so that
  // the entries share one string for it)
  const d = dt || dtTm.slice(0, 10);
  if (d === lastDate) return lastDateValue;
  const p = parseDate(d);
  lastDate = d;
  lastDateValue = p.ok ? p.value : undefined;
  return lastDateValue;
}

const shared = new Map<string, string>();
/** Short values that repeat (currency, status): one string for all the entries that have them. */
function share(s: string): string {
  if (s.length > 8) return s;
  const t = shared.get(s);
  if (t !== undefined) return t;
  if (shared.size < 1024) shared.set(s, s);
  return s;
}

/** Printable ASCII words and single spaces: what oneLine leaves as it is. */
const PLAIN_LINE = /^[!-~]+(?: [!-~]+)*$/;

/** Remittance, additional information: one line, no control characters. */
function oneLine(parts: string[]): string {
  let plain = true;
  for (const p of parts) if (p !== '' && !PLAIN_LINE.test(p)) plain = false;
  if (plain) {
    let out = '';
    for (const p of parts) if (p !== '') out = out === '' ? p : `${out} ${p}`;
    return out;
  }
  return parts
    .map((p) => p.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g, ' ').trim())
    .filter((p) => p !== '')
    .join(' ')
    .replace(/\s+/g, ' ');
}

/** Each Chrgs: its TtlChrgsAndTaxAmt; .001.04+: the Amt of each Rcrd; .001.02: its Amt. */
function chargeFields(x: unknown): ChargeFields[] {
  return arr(x).map((c) => {
    const rs = arr(c.Rcrd);
    return { total: txt(at(c, 'TtlChrgsAndTaxAmt')), amounts: (rs.length ? rs : [c]).map((r) => txt(r.Amt)) };
  });
}

function chargesTotal(list: ChargeFields[]): Cents | undefined {
  let total: Cents | undefined;
  for (const c of list) {
    const t = amountCents(c.total);
    if (t !== undefined) {
      total = (total ?? 0n) + t;
      continue;
    }
    for (const r of c.amounts) {
      const a = amountCents(r);
      if (a !== undefined) total = (total ?? 0n) + a;
    }
  }
  return total;
}

/** The fields of an entry from fast-xml-parser's object (or simpleXml's); src/io/camt-entry.ts reads them from the text. */
function fieldsOfNode(n: Node): EntryFields {
  const details = arr(n.NtryDtls);
  return {
    amt: txt(n.Amt),
    ccy: attr(n.Amt, 'Ccy'),
    dir: txt(n.CdtDbtInd),
    rvsl: txt(n.RvslInd),
    stsCd: txt(at(n, 'Sts', 'Cd')),
    sts: txt(n.Sts),
    bookDt: txt(at(n.BookgDt, 'Dt')),
    bookDtTm: txt(at(n.BookgDt, 'DtTm')),
    valDt: txt(at(n.ValDt, 'Dt')),
    valDtTm: txt(at(n.ValDt, 'DtTm')),
    ref: txt(n.AcctSvcrRef),
    ntryRef: txt(n.NtryRef),
    info: txt(n.AddtlNtryInf),
    count: txt(at(details[0], 'Btch', 'NbOfTxs')),
    charges: chargeFields(n.Chrgs),
    txs: details.flatMap((d) => arr(d.TxDtls)).map(txFieldsOfNode),
  };
}

function txFieldsOfNode(t: Node): TxFields {
  const inst = at(t, 'AmtDtls', 'InstdAmt');
  const refs = node(t.Refs) ?? {};
  const rmt = node(t.RmtInf) ?? {};
  let reference = '';
  let referenceType = '';
  for (const s of arr(rmt.Strd)) {
    for (const c of arr(s.CdtrRefInf)) {
      const r = compactRef(txt(c.Ref));
      if (r === '' || reference !== '') continue;
      reference = r;
      referenceType = txt(at(c, 'Tp', 'CdOrPrtry', 'Cd')) || txt(at(c, 'Tp', 'CdOrPrtry', 'Prtry'));
    }
  }
  const rp = node(t.RltdPties) ?? {};
  return {
    amt: txt(t.Amt),
    dir: txt(t.CdtDbtInd),
    txAmt: txt(at(t, 'AmtDtls', 'TxAmt', 'Amt')),
    amtCcy: attr(t.Amt, 'Ccy'),
    txAmtCcy: attr(at(t, 'AmtDtls', 'TxAmt', 'Amt'), 'Ccy'),
    inst: inst !== undefined,
    instAmt: txt(at(inst, 'Amt')),
    instCcy: attr(at(inst, 'Amt'), 'Ccy'),
    instRate: txt(at(inst, 'CcyXchg', 'XchgRate')),
    txAmtRate: txt(at(t, 'AmtDtls', 'TxAmt', 'CcyXchg', 'XchgRate')),
    cntrRate: txt(at(t, 'AmtDtls', 'CntrValAmt', 'CcyXchg', 'XchgRate')),
    txRef: txt(refs.AcctSvcrRef),
    e2e: txt(refs.EndToEndId),
    reference,
    referenceType,
    ustrd: (Array.isArray(rmt.Ustrd) ? rmt.Ustrd : rmt.Ustrd === undefined ? [] : [rmt.Ustrd]).map(txt),
    addtl: arr(rmt.Strd).flatMap((s) => (Array.isArray(s.AddtlRmtInf) ? s.AddtlRmtInf : s.AddtlRmtInf === undefined ? [] : [s.AddtlRmtInf]).map(txt)),
    addtlTx: txt(t.AddtlTxInf),
    dbtrPtyNm: txt(at(rp.Dbtr, 'Pty', 'Nm')),
    dbtrNm: txt(at(rp.Dbtr, 'Nm')),
    ultPtyNm: txt(at(rp.UltmtDbtr, 'Pty', 'Nm')),
    ultNm: txt(at(rp.UltmtDbtr, 'Nm')),
    charges: chargeFields(t.Chrgs),
  };
}

function buildEntry(n: EntryFields, index: number, account: string, fallbacks: Map<string, number>, bad: (msg: string, hint: string, element?: string) => never): BankEntry {
  const amountText = n.amt;
  const amount = amountCents(amountText);
  if (amount === undefined) bad(`entry ${index}: "${amountText}" is not an amount with at most two decimals`, 'the file is damaged: download it again', 'Amt');
  const currency = share(n.ccy);
  const dir = n.dir === 'CRDT' ? 'CRDT' : n.dir === 'DBIT' ? 'DBIT' : n.dir;
  if (dir !== 'CRDT' && dir !== 'DBIT') bad(`entry ${index}: CdtDbtInd "${dir}" is neither CRDT nor DBIT`, 'the file is damaged: download it again', 'CdtDbtInd');
  const rv = n.rvsl.toLowerCase();
  const status = share(n.stsCd || n.sts || 'BOOK');
  // A date written but not a date is refused where it is, not replaced by the other one.
  const dated = (el: 'BookgDt' | 'ValDt', dt: string, tm: string): string | undefined => {
    const d = dateOfText(dt, tm);
    if (d === undefined && (dt !== '' || tm !== '')) {
      const sub = dt !== '' ? 'Dt' : 'DtTm';
      bad(`entry ${index}: ${el}/${sub} "${dt || tm}" is not a date (${sub === 'Dt' ? 'YYYY-MM-DD' : 'YYYY-MM-DDThh:mm:ss'})`, 'the file is damaged: download it again', `${el}/${sub}`);
    }
    return d;
  };
  const booked = dated('BookgDt', n.bookDt, n.bookDtTm);
  const value = dated('ValDt', n.valDt, n.valDtTm) ?? booked;
  if (!value) bad(`entry ${index}: no booking or value date (BookgDt, ValDt)`, 'the file is damaged: download it again');
  const ref = n.ref;
  const count = n.count !== '' && /^\d+$/.test(n.count) ? Number(n.count) : undefined;
  const info = oneLine([n.info]);
  const entry: BankEntry = { index, ref, amount: amount!, currency, direction: dir as 'CRDT' | 'DBIT', reversal: rv === 'true' || rv === '1', status, booked: booked ?? value!, value: value!, count, charges: chargesTotal(n.charges), info, txs: [] };
  const txs: BankTx[] = n.txs.map((t, k) => buildTx(t, k + 1, info, index, currency, bad));
  if (txs.length === 0) txs.push({ key: '', tx: 0, txRef: '', endToEndId: '', amount: undefined, charges: undefined, instructed: undefined, debtor: '', reference: '', referenceType: '', text: info });
  let fb = '';
  if (ref === '') {
    fb = `${n.ntryRef}|${txs[0]!.endToEndId}`;
    const base = entryKey(account, { ...entry, reversal: false }, fb); // (the rank among identical entries, counted as before reversals had their own identity: the keys of books stay)
    const k = (fallbacks.get(base) ?? 0) + 1;
    fallbacks.set(base, k);
    fb = `${fb}|n${k}`;
  }
  const ek = entryKey(account, entry, fb);
  const single = txs.length === 1 && (count === undefined || count <= 1);
  for (const t of txs) t.key = txKey(ek, single, t);
  entry.txs = txs;
  return entry;
}

/** An amount in any currency as ISO 20022 writes it (up to 18 digits, 5 of them decimals), and an exchange rate. */
const DECIMAL = /^\d{1,18}(?:\.\d{1,5})?$/;
const RATE = /^\d{1,11}(?:\.\d{1,10})?$/;

function buildTx(t: TxFields, k: number, entryInfo: string, index: number, ccy: string, bad: (msg: string, hint: string, element?: string) => never): BankTx {
  // A value of the transaction that is written but not valid is refused where it is: left
  // out, it would be booked at another amount, or reach payments.csv as written.
  const damaged = (what: string, value: string, expected: string, element: string): never =>
    bad(`entry ${index} transaction ${k}: ${what} "${value}" is not ${expected}`, 'the file is damaged: download it again', `NtryDtls/TxDtls[${k}]/${element}`);
  // The amount in the entry's (the account's) currency: TxDtls/Amt, else AmtDtls/TxAmt. One
  // in another currency (EUR sent to a CHF account) is not the CHF credited: not taken (the
  // entry's CHF is then shared out by the planning, or the entry held whole).
  const cents = (v: string, c: string, el: string): Cents | undefined => {
    if (v === '') return undefined;
    if (c === '' || ccy === '' || c === ccy) {
      const x = amountCents(v);
      if (x === undefined) damaged(el, v, 'an amount with at most two decimals', el);
      return x;
    }
    if (!DECIMAL.test(v)) damaged(el, v, `an amount in ${c} (digits, a point, at most 5 decimals)`, el);
    return undefined;
  };
  const amount = cents(t.amt, t.amtCcy, 'Amt') ?? cents(t.txAmt, t.txAmtCcy, 'AmtDtls/TxAmt/Amt');
  if (t.dir !== '' && t.dir !== 'CRDT' && t.dir !== 'DBIT') damaged('CdtDbtInd', t.dir, 'CRDT or DBIT', 'CdtDbtInd');
  let instructed: BankTx['instructed'];
  if (t.inst) {
    const a = t.instAmt;
    const c = t.instCcy;
    const rate = t.instRate || t.txAmtRate || t.cntrRate;
    if (a !== '' && !DECIMAL.test(a)) damaged('AmtDtls/InstdAmt/Amt', a, 'an amount (digits, a point, at most 5 decimals)', 'AmtDtls/InstdAmt/Amt');
    if (a !== '' && c !== '' && !/^[A-Z]{3}$/.test(c)) damaged('the currency of AmtDtls/InstdAmt/Amt', c, 'a currency code (three capital letters)', 'AmtDtls/InstdAmt/Amt');
    // Zero (0.00 EUR sent for CHF credited, or a rate of 0) is no exchange: the ledger refuses a
    // payment of zero, and a rate of 0 would reach payments.csv as written.
    if (a !== '' && /^[0.]+$/.test(a)) damaged('AmtDtls/InstdAmt/Amt', a, 'an amount (more than zero)', 'AmtDtls/InstdAmt/Amt');
    if (rate !== '' && (!RATE.test(rate) || /^[0.]+$/.test(rate))) {
      const el = t.instRate ? 'AmtDtls/InstdAmt/CcyXchg/XchgRate' : t.txAmtRate ? 'AmtDtls/TxAmt/CcyXchg/XchgRate' : 'AmtDtls/CntrValAmt/CcyXchg/XchgRate';
      damaged(el, rate, RATE.test(rate) ? 'an exchange rate (more than zero)' : 'an exchange rate (digits and a point)', el);
    }
    // (the schema requires the currency of an amount: one without it is not guessed to be the account's)
    if (a !== '' && c === '') damaged('AmtDtls/InstdAmt/Amt', a, 'an amount with its currency (Ccy="EUR" and the like)', 'AmtDtls/InstdAmt/Amt');
    if (a !== '' && c !== '') instructed = { amount: a, currency: c, ...(rate !== '' ? { rate } : {}) };
  }
  const debtor = oneLine([t.dbtrPtyNm || t.dbtrNm || t.ultPtyNm || t.ultNm]);
  const ultimate = t.ultPtyNm || t.ultNm;
  const e2e = t.e2e;
  return {
    key: '',
    tx: k,
    txRef: t.txRef,
    endToEndId: e2e === 'NOTPROVIDED' ? '' : e2e,
    amount,
    ...(t.dir === 'CRDT' || t.dir === 'DBIT' ? { direction: t.dir } : {}),
    charges: chargesTotal(t.charges),
    instructed,
    debtor,
    reference: t.reference,
    referenceType: share(t.referenceType),
    text: oneLine([...t.ustrd, ...t.addtl, t.addtlTx, ultimate && ultimate !== debtor ? ultimate : '', entryInfo]),
  };
}

// ---------------------------------------------------------------------------------------------
// Large camt files on disk, read in windows

/** A bank file on disk: its size, and a read of its bytes at a position (as fs.readSync; 0 when the file is no longer what it was). */
export interface BankFileOnDisk {
  size: number;
  readAt(buffer: Uint8Array, position: number): number;
}

/**
 * The file at `path` as a BankFileOnDisk (each read opens and closes it: nothing is left open
 * when a reading stops half-way). A large file is read twice (its SHA-256 and entries, then
 * each entry): a read finds the file as it was at the first (same file, size, modification
 * and change times), else it reads nothing, and the reader says the file changed while it
 * was read. A rewrite of the same size between the two passes is caught so.
 */
export function bankFileAt(path: string): BankFileOnDisk {
  const stat = (fd: number) => fstatSync(fd, { bigint: true });
  const stamp = (st: BigIntStats) => `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
  const fd = openSync(path, 'r');
  let size: number;
  let first: string;
  try {
    const st = stat(fd);
    size = Number(st.size);
    first = stamp(st);
  } finally {
    closeSync(fd);
  }
  return {
    size,
    readAt(buffer, position) {
      const fd = openSync(path, 'r');
      try {
        return stamp(stat(fd)) === first ? readSync(fd, buffer, 0, buffer.length, position) : 0;
      } finally {
        closeSync(fd);
      }
    },
  };
}

/** For the tests: the bytes of a window, and the size (bytes, and characters of text) above which a file is read in windows. */
export interface StreamTuning {
  window?: number;
  streamAbove?: number;
}

/** The window on a large file: a few entries of 600 bytes each read from one read. */
const WINDOW = 4 * 2 ** 20;

function changed(name: string): never {
  fail(name, 'the file changed while it was read', 'import it again once it is completely written');
}

/** The bytes [position, position + n) of the file into buffer[0, n). */
function readFully(name: string, file: BankFileOnDisk, buffer: Uint8Array, position: number, n: number): void {
  let got = 0;
  while (got < n) {
    const k = file.readAt(buffer.subarray(got, n), position + got);
    if (!(k > 0)) changed(name);
    got += k;
  }
}

function readAll(name: string, file: BankFileOnDisk): Uint8Array {
  const b = Buffer.allocUnsafe(file.size);
  readFully(name, file, b, 0, file.size);
  return b;
}

/** A window on a file's bytes, reused from read to read: the file's [base, base + len) in buf. */
class Window {
  buf: Buffer = Buffer.alloc(0);
  base = 0;
  len = 0;
  constructor(
    private readonly name: string,
    private readonly file: BankFileOnDisk,
    private readonly size: number,
  ) {}

  /** Reads the window from `pos` on: at least n bytes (the buffer grows for more), or to the end of the file. */
  load(pos: number, n: number): void {
    if (n > this.buf.length || this.buf.length === 0) this.buf = Buffer.allocUnsafe(Math.max(n, this.buf.length * 2, Math.min(this.size, this.file.size)));
    const len = Math.min(this.buf.length, this.file.size - pos);
    readFully(this.name, this.file, this.buf, pos, len);
    this.base = pos;
    this.len = len;
  }

  /** The index in buf of the file's byte `pos`, the n bytes from it (or those to the end of the file) in the window. */
  at(pos: number, n: number): number {
    const end = Math.min(pos + n, this.file.size);
    if (pos < this.base || end > this.base + this.len) this.load(pos, end - pos);
    return pos - this.base;
  }

  /** The file's byte at pos (-1 outside the file). */
  byte(pos: number): number {
    return pos < 0 || pos >= this.file.size ? -1 : this.buf[this.at(pos, 1)]!;
  }

  /** The file's bytes [from, to): a view of the window, until its next read. */
  bytes(from: number, to: number): Buffer {
    const k = this.at(from, to - from);
    return this.buf.subarray(k, k + to - from);
  }

  startsWith(p: Buffer, pos: number): boolean {
    if (pos + p.length > this.file.size) return false;
    const k = this.at(pos, p.length);
    return this.buf.compare(p, 0, p.length, k, k + p.length) === 0;
  }

  /** Where p first is in the file at or after `from`, or -1. */
  indexOf(p: Buffer, from: number): number {
    if (from + p.length > this.file.size) return -1;
    let k = this.at(from, p.length);
    for (;;) {
      const j = this.buf.indexOf(p, k);
      if (j >= 0 && j + p.length <= this.len) return this.base + j;
      const end = this.base + this.len;
      if (end >= this.file.size) return -1;
      // the next window overlaps this one by the length of p less one (a match across both)
      this.load(end - p.length + 1, p.length);
      k = 0;
    }
  }
}

const LT = Buffer.from('<');
const LT_BANG = Buffer.from('<!');
const NTRY_GT = Buffer.from('Ntry>');
const nameStart = (c: number) => c === 95 || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
/** [\w.-] */
const nameByte = (c: number) => nameStart(c) || (c >= 48 && c <= 57) || c === 46 || c === 45;

/**
 * Pass 1 over a large file, window by window: its SHA-256, whether its text is longer than
 * `limit` characters (UTF-16 code units, as a string's length), its first 4000 characters (for
 * the namespace) and where the text starts (after a byte order mark), or undefined when it is
 * not read in windows but as today, from its whole text: a ZIP, not UTF-8, not XML from its
 * first character (MT940), or with a comment, CDATA or DOCTYPE (`<!`, which makes
 * fast-xml-parser read the whole document, or the reader refuse it). (Exported for its test.)
 */
export function firstPass(name: string, file: BankFileOnDisk, window: number, limit: number): { sha256: string; skip: number; longer: boolean; start: string } | undefined {
  const buf = Buffer.allocUnsafe(Math.max(16, Math.min(window, file.size)));
  const hash = createHash('sha256');
  // Whether the bytes are UTF-8 is told by isUtf8 (isAscii for a window of ASCII, the usual
  // camt file), many times faster than decoding them: a character cut by the window's end is
  // carried to the next. The length of the text is counted from the bytes, and only while it
  // could still be within the limit (past it by one: a second byte order mark is taken off at
  // the end). Only the first 4000 characters are decoded.
  let carry: Buffer | undefined;
  let utf8: InstanceType<typeof TextDecoder> | undefined;
  let length = 0;
  let start = '';
  let lt = false;
  let skip = 0;
  for (let pos = 0; pos < file.size; ) {
    const n = Math.min(buf.length, file.size - pos);
    readFully(name, file, buf, pos, n);
    const chunk = buf.subarray(0, n);
    let from = 0;
    if (pos === 0) {
      if (chunk[0] === 0x50 && chunk[1] === 0x4b && chunk[2] === 0x03 && chunk[3] === 0x04) return undefined;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) from = skip = 3;
    }
    // (a "<!" across two windows: "<" ends one, "!" starts the next)
    if ((lt && chunk[0] === 0x21) || chunk.indexOf(LT_BANG) >= 0) return undefined;
    lt = chunk[n - 1] === 0x3c;
    hash.update(chunk);
    if (carry === undefined && isAscii(chunk)) {
      if (length <= limit + 1) length += n;
    } else {
      // (the bytes of a character the window cuts, at most 3, wait for the next)
      const cut = cutAt(chunk);
      let whole = chunk.subarray(0, cut);
      if (carry !== undefined) whole = Buffer.concat([carry, whole]);
      if (!isUtf8(whole)) return undefined;
      if (length <= limit + 1) length += utf16Length(whole, pos === 0 ? from : 0);
      carry = cut < n ? Buffer.from(chunk.subarray(cut)) : undefined;
    }
    if (start.length <= 4000) {
      // (4 bytes at most a character: the bytes that give the characters still wanted)
      const take = Math.min(n, 4 * (4001 - start.length) + 3);
      utf8 ??= new TextDecoder('utf-8', { fatal: true, ignoreBOM: pos > 0 });
      try {
        start += utf8.decode(chunk.subarray(0, take), { stream: true });
      } catch {
        return undefined;
      }
    }
    pos += n;
  }
  // (a character cut short at the end of the file)
  if (carry !== undefined) return undefined;
  // readFile leaves out a second one
  if (start.charCodeAt(0) === 0xfeff) {
    start = start.slice(1);
    length--;
    skip += 3;
  }
  if (!/^\s*</.test(start)) return undefined;
  return { sha256: hash.digest('hex'), skip, longer: length > limit, start: start.slice(0, 4000) };
}

/** Where the last character of `b` that is whole ends: b.length, or the start of a character cut short (its lead byte). */
function cutAt(b: Buffer): number {
  const n = b.length;
  for (let k = n - 1; k >= 0 && k >= n - 4; k--) {
    const c = b[k]!;
    if ((c & 0xc0) === 0x80) continue; // a continuation byte
    const size = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    return k + size > n ? k : n;
  }
  return n;
}

/** The length as a string (UTF-16 code units) of valid UTF-8 bytes from `from`: a unit per character, two for one of four bytes. */
function utf16Length(b: Buffer, from: number): number {
  let units = 0;
  for (let i = from; i < b.length; i++) {
    const c = b[i]!;
    if ((c & 0xc0) !== 0x80) units += c >= 0xf0 ? 2 : 1;
  }
  return units;
}

/**
 * entrySpans over the bytes of a file from `from` (its text's start): the same entries, as
 * offsets of their content in the file, with where the first starts and the last ends; 'cut'
 * when an entry does not close (the file is cut short); undefined when entrySpans gives up.
 */
function fileSpans(w: Window, from: number): { starts: number[]; ends: number[]; first: number; end: number } | 'cut' | undefined {
  // the first /<([A-Za-z_][\w.-]*:)?Ntry>/
  let first = -1;
  let prefix = '';
  for (let q = w.indexOf(NTRY_GT, from); q >= 0; q = w.indexOf(NTRY_GT, q + 1)) {
    const b = w.byte(q - 1);
    if (b === 0x3c && q - 1 >= from) {
      first = q - 1;
      break;
    }
    if (b !== 0x3a) continue;
    let k = q - 2;
    while (k >= from && nameByte(w.byte(k))) k--;
    if (k >= from && k + 1 <= q - 2 && w.byte(k) === 0x3c && nameStart(w.byte(k + 1))) {
      first = k;
      prefix = w.bytes(k + 1, q).toString('latin1');
      break;
    }
  }
  if (first < 0) return undefined;
  const open = Buffer.from(`<${prefix}Ntry>`, 'latin1');
  const close = Buffer.from(`</${prefix}Ntry>`, 'latin1');
  const starts: number[] = [];
  const ends: number[] = [];
  let at = first;
  let end = at;
  for (;;) {
    const c = w.indexOf(close, at);
    if (c < 0) return 'cut';
    starts.push(at + open.length);
    ends.push(c);
    end = c + close.length;
    const next = w.indexOf(LT, end);
    if (next < 0 || !w.startsWith(open, next)) break;
    // (white space beyond ASCII between entries: as today, from the whole text)
    for (let k = end; k < next; k++) {
      const b = w.byte(k);
      if (b !== 32 && (b < 9 || b > 13)) return undefined;
    }
    at = next;
  }
  if (w.indexOf(open, end) >= 0) return undefined;
  return { starts, ends, first, end };
}

/**
 * A large camt file on disk (above VALIDATE_MAX_BYTES), read in windows and never held whole:
 * pass 1 (firstPass) and the entries found (fileSpans); the document without its entries
 * (the header before the first, the end after the last) parsed as openCamt parses it; and each
 * entry decoded from a window when the iteration reaches it, read by openCamt's reader of one
 * entry. Anything else is read as today, from the whole text: small files, ZIPs, MT940, a
 * comment, CDATA or DOCTYPE, text between entries. A file cut short (an entry that does not
 * close, or the document after the last entry) is read from its whole text too, and its
 * well-formedness checked there (the validator says where it ends), as for a smaller file.
 */
function openOnDisk(name: string, file: BankFileOnDisk, tune: StreamTuning): BankStatementStream[] {
  const above = tune.streamAbove ?? VALIDATE_MAX_BYTES;
  const window = Math.max(16, tune.window ?? WINDOW);
  const whole = (validate = false) => readFile<BankStatementStream>(name, () => readAll(name, file), validate ? (n, h, t) => openCamt(n, h, t, { validate }) : openCamt);
  if (file.size <= above) return whole();
  const p = firstPass(name, file, window, above);
  // (a large file read whole is checked for well-formedness whatever its size: fast-xml-parser
  // alone would read damage past it)
  if (!p) return whole(true);
  if (!p.longer) return whole();
  const w = new Window(name, file, window);
  const spans = fileSpans(w, p.skip);
  if (spans === undefined) return whole(true);
  if (spans === 'cut') return whole(true);
  const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let rest: string;
  try {
    rest = utf8.decode(w.bytes(p.skip, spans.first)) + utf8.decode(w.bytes(spans.end, file.size));
  } catch {
    changed(name);
  }
  // An entry left in the rest (one with attributes, say): as today.
  if (NTRY_TAG.test(rest)) return whole(true);
  if (XMLValidator.validate(rest) !== true) return whole(true);
  const head = camtHead(name, parseTop(name, rest), p.start);
  return [camtStatement(name, p.sha256, head, { stream: new StreamedEntries(name, file, window, spans.starts, spans.ends) }, 'scan')];
}

/** The entries of a large file on disk (the offsets of their content), each decoded from a window on the file when it is read. */
class StreamedEntries {
  private readonly w: Window;
  /** (an entry's content may start with U+FEFF: kept) */
  private readonly utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

  constructor(
    private readonly name: string,
    private readonly file: BankFileOnDisk,
    window: number,
    private readonly starts: number[],
    private readonly ends: number[],
  ) {
    this.w = new Window(name, file, window);
  }

  get count(): number {
    return this.starts.length;
  }

  /** The content of entry i (0-based): its own string, not a view of a larger one. Entries are ASCII at their ends: no character is cut. */
  entry(i: number): string {
    const b = this.w.bytes(this.starts[i]!, this.ends[i]!);
    try {
      return this.utf8.decode(b);
    } catch {
      changed(this.name);
    }
  }

  /**
   * Where the n-th (1-based) entry starts, or that element of it, for a problem: found in the
   * entry's own text, then placed in the file by its bytes (the lines before it counted window
   * by window, the file never decoded whole). Empty if the file has changed since.
   */
  where(n: number, element?: string): Partial<Problem> {
    try {
      const content = this.entry(n - 1);
      // (the entry's own tag, of 6 bytes or more with a prefix: placed at its content's start)
      const at = entryAt(`<Ntry>${content}</Ntry>`, 1, element);
      if (!at) return {};
      const start = this.starts[n - 1]!;
      let pos: number;
      if (at.offset >= 6) pos = start + Buffer.byteLength(content.slice(0, at.offset - 6));
      else {
        // the entry itself: at its tag (<Ntry>, or with a prefix), the last "<" before its content
        const before = this.w.bytes(Math.max(0, start - 256), start);
        pos = start - before.length + before.lastIndexOf(0x3c);
      }
      const w = this.w;
      // The line: line feeds before pos. The column: characters (UTF-16 units, as the text's)
      // from the line's start, without decoding: bytes that start a character, and one more
      // for each of four bytes (a surrogate pair). A byte order mark is no character.
      let line = 1;
      let lineStart = 0;
      let column = 1;
      for (let p = 0; p < pos; ) {
        const end = Math.min(pos, p + WINDOW);
        const b = w.bytes(p, end);
        let from = 0;
        for (let k = b.indexOf(0x0a); k >= 0; k = b.indexOf(0x0a, k + 1)) {
          line++;
          lineStart = p + k + 1;
          column = 1;
          from = k + 1;
        }
        for (let k = from; k < b.length; k++) {
          const c = b[k]!;
          if (c < 0x80 || c >= 0xc0) column += c >= 0xf0 ? 2 : 1;
        }
        p = end;
      }
      const bom = lineStart === 0 && pos >= 3 && w.byte(0) === 0xef && w.byte(1) === 0xbb && w.byte(2) === 0xbf;
      if (bom) column--;
      if (column > EXCERPT_MAX) return { line, column, width: at.width };
      // The excerpt: the line to 120 characters past the column (4 bytes each at most), cut at
      // a character's end.
      const lineEnd = Math.min(this.file.size, pos + 4 * 120 + 4 * Math.max(0, 200 - column));
      const rest = w.bytes(lineStart + (bom ? 3 : 0), lineEnd);
      const nl = rest.indexOf(0x0a, pos - lineStart - (bom ? 3 : 0));
      let to = nl >= 0 ? nl : rest.length;
      while (to > 0 && to < rest.length && (rest[to]! & 0xc0) === 0x80) to--;
      const excerpt = excerptOf(this.utf8.decode(rest.subarray(0, to)), column);
      return { line, column, ...(excerpt === undefined ? {} : { excerpt }), width: at.width };
    } catch {
      return {};
    }
  }
}

// ---------------------------------------------------------------------------------------------
// MT940

/** MT940 amounts are written with a decimal comma: "1234,5" is 1234.50. */
function mtAmount(s: string): Cents | undefined {
  const m = /^(\d{1,15}),(\d{0,2})$/.exec(s);
  return m ? BigInt(m[1]! + m[2]!.padEnd(2, '0')) : undefined;
}

function mtDate(yymmdd: string): string | undefined {
  const yy = Number(yymmdd.slice(0, 2));
  const d = `${yy < 80 ? 2000 + yy : 1900 + yy}-${yymmdd.slice(2, 4)}-${yymmdd.slice(4, 6)}`;
  const p = parseDate(d);
  return p.ok ? p.value : undefined;
}

/** The entry date (MMDD) of a statement line of value date `value`: 0101 of a value date in December is of the next year, 1231 of one in January of the year before. */
function mtEntryDate(value: string, mmdd: string): string | undefined {
  let y = Number(value.slice(0, 4));
  const vm = Number(value.slice(5, 7));
  const bm = Number(mmdd.slice(0, 2));
  if (vm === 12 && bm === 1) y++;
  else if (vm === 1 && bm === 12) y--;
  const d = parseDate(`${y}-${mmdd.slice(0, 2)}-${mmdd.slice(2, 4)}`);
  return d.ok ? d.value : undefined;
}

/**
 * Why LINE61 refused a statement line (its first line `s`), or its dates are not dates: the
 * sub-fields read one by one as LINE61 reads them (value date, entry date, debit/credit mark,
 * funds code, amount, transaction type), and the first that is wrong, at `at` (0-based in `s`).
 * Only an explanation: LINE61 alone says what is accepted. Undefined when nothing is found.
 */
function line61Fault(s: string): { at: number; width: number; what: string; expected: string } | undefined {
  const fault = (at: number, text: string, what: string, expected: string) => ({ at, width: Math.max(1, text.length), what: `${what} "${text}"`, expected });
  const vd = /^\d{0,6}/.exec(s)![0];
  if (vd.length < 6) return fault(0, s.slice(0, 6), 'value date', '6 digits expected, YYMMDD');
  const value = mtDate(vd);
  if (!value) return fault(0, vd, 'value date', 'not a date (YYMMDD)');
  let i = 6;
  const ed = /^\d*/.exec(s.slice(i))![0];
  // Digits with no mark after them are the amount, not an entry date: the mark is missing.
  const marked = /^(?:RC|RD|C|D)/.test(s.slice(i + ed.length));
  if (ed.length > 0 && !marked && (ed.length !== 4 || !mtEntryDate(value, ed))) return fault(i, s.slice(i, i + 1), 'debit/credit mark', 'C (credit), D (debit), RC or RD (their reversals), after the value date or an entry date (MMDD)');
  if (ed.length > 0) {
    if (ed.length !== 4) return fault(i, ed, 'entry date', '4 digits expected (MMDD), or none before the debit/credit mark');
    if (!mtEntryDate(value, ed)) return fault(i, ed, 'entry date', 'not a date (MMDD)');
    i += 4;
  }
  const mark = /^(?:RC|RD|C|D)/.exec(s.slice(i))?.[0];
  if (!mark) return fault(i, s.slice(i, i + (s[i] === 'R' ? 2 : 1)), 'debit/credit mark', 'C (credit), D (debit), RC or RD (their reversals)');
  i += mark.length;
  if (/^[A-Z]/.test(s.slice(i))) i++; // the funds code (the third letter of the currency)
  const amount = /^[\d.,']*/.exec(s.slice(i))![0];
  if (!/^\d{1,15},\d{0,2}$/.test(amount)) {
    const expected =
      amount === '' ? 'digits and a decimal comma expected, e.g. 1234,50'
      : /^\d+\.\d{1,2}$/.test(amount) ? `MT940 amounts use a decimal comma, e.g. ${amount.replace('.', ',')}`
      : /^\d+$/.test(amount) ? `MT940 amounts have a decimal comma, a whole one too, e.g. ${amount},00`
      : /^\d+,\d{3,}$/.test(amount) ? 'at most two decimals'
      : /^\d{16,},\d{0,2}$/.test(amount) ? 'at most 15 digits before the decimal comma'
      : 'digits and one decimal comma, without thousands separators, e.g. 1234,50';
    return fault(i, amount === '' ? s.slice(i, i + 1) : amount, 'amount', expected);
  }
  i += amount.length;
  const type = s.slice(i, i + 4);
  if (!/^[SNF][A-Z0-9]{3}$/.test(type)) return fault(i, type, 'transaction type', 'S, N or F and 3 letters or digits, e.g. NTRF');
  return undefined;
}

/**
 * The subfields of a structured :86: that are the remittance text (Verwendungszweck), in order:
 * ?20…?29, then ?60…?63 where the text goes on. Not text a payer wrote, so left out: ?00 (the
 * bank's booking text, "GUTSCHRIFT"), ?10 (its primanota), ?30/?31 (the payer's bank code and
 * account), ?34 (the text key addition).
 */
const MT_REMITTANCE = ['20', '21', '22', '23', '24', '25', '26', '27', '28', '29', '60', '61', '62', '63'];

/**
 * The payer's name from ?32 and ?33 (27 characters each). Banks cut the name at the 27th
 * character wherever it falls ("Permanent Mission of Austri" / "a to the UN…"), and the readers
 * of this format join the two without a separator: python mt940 (wolph/mt940, `?33` appended to
 * `?32` with ''.join unless asked for spaces), jejik/mt940 (GermanBank: `?32` . `?33`). A space
 * there would split a word, and the State's name would not be found in it (normName matches
 * whole words). But a ?32 shorter than its 27 characters was ended at a word (or its trailing
 * space trimmed): then a space, or two words would be glued ("…Republic of" / "Austria"). The
 * rule of free :86: lines (65 characters), for the name's fields. The remittance text keeps its
 * space between subfields: the matcher finds an invoice number or an RF across a space, not one
 * glued to the word before it.
 */
function mtName(n32: string, n33: string): string {
  return n32.length >= 27 ? oneLine([n32 + n33]) : oneLine([n32, n33]);
}

/**
 * The account of `:25:` as a camt file names it: its IBAN, when `:25:` holds one after a BIC
 * and "/" or with the currency after it (UBSWCHZH80A/CH9300762011623852957CHF), so that the
 * MT940 and the camt.053 of one account give their transactions one identity; else as
 * written, blanks left out. (Books imported before keep their keys: see `accountAliases`.)
 */
export function mtAccount(value: string): string {
  const raw = value.trim().replace(/\s+/g, '');
  const tail = raw.slice(raw.lastIndexOf('/') + 1).toUpperCase();
  for (const c of [tail, tail.replace(/[A-Z]{3}$/, '')]) if (c !== raw && isValidIBAN(c)) return c;
  return raw;
}

const LINE61 = /^(\d{6})(\d{4})?(RC|RD|C|D)([A-Z])?(\d{1,15},\d{0,2})([SNF][A-Z0-9]{3})([^\n]*?)(?:\/\/([^\n]*))?(?:\n([\s\S]*))?$/;

export function readMt940(name: string, sha256: string, text: string): (BankStatement & Pick<BankStatementStream, 'where'>)[] {
  const norm = text.replace(/\r\n?/g, '\n');
  const lines = norm.split('\n');
  // Fields: ":tag:" at the start of a line, continued on the following lines.
  // (column: where the value begins in its first line, 1-based)
  const fields: { tag: string; value: string; line: number; column: number }[] = [];
  for (let i = 0; i < lines.length; i++) {
    let l = lines[i]!;
    let from = 0;
    if (/^\{[1-5]:/.test(l)) {
      // SWIFT blocks: keep what follows "{4:" on the same line, if anything.
      const b4 = l.indexOf('{4:');
      if (b4 < 0) continue;
      l = l.slice(b4 + 3);
      from = b4 + 3;
      if (l.trim() === '') continue;
    }
    if (/^-\}?\s*$/.test(l)) {
      fields.push({ tag: '-', value: '', line: i + 1, column: from + 1 });
      continue;
    }
    const m = /^:(\d\d[A-Z]?):(.*)$/.exec(l);
    if (m) fields.push({ tag: m[1]!, value: m[2]!, line: i + 1, column: from + m[1]!.length + 3 });
    else if (fields.length > 0 && l.trim() !== '') fields[fields.length - 1]!.value += `\n${l}`;
  }
  const out: BankStatement[] = [];
  let cur: BankStatement | undefined;
  let entry: BankEntry | undefined;
  const fallbacks = new Map<string, number>();
  // Entries are numbered through the file, not per statement: entry k is the file's k-th :61:,
  // so (file, entry) names one entry even when the file holds several statements (:20:). The
  // keys do not depend on it (entryKey: the bank reference, else the dates, direction, amount
  // and rank among identical entries of the file).
  let entries = 0;
  /**
   * Where each entry's bank reference is (its :61: line, after "//"; the whole line without
   * one), for a problem found while it is planned: line, column and width per entry; the
   * excerpt is made only when asked (the few conflicts placed), from the lines of the text.
   */
  const places: number[] = [];
  const bad = (line: number, msg: string, hint: string, column = 1, width = 1): never => fail(name, msg, hint, { line, column, excerpt: lines[line - 1] ?? '', width });
  const balance = (f: { value: string; line: number }): { b: BankBalance; ccy: string } => {
    const m = /^([CD])(\d{6})([A-Z]{3})(\d{1,15},\d{0,2})$/.exec(f.value.trim());
    const date = m ? mtDate(m[2]!) : undefined;
    const amt = m ? mtAmount(m[4]!) : undefined;
    if (!m || !date || amt === undefined) return bad(f.line, `balance "${f.value.trim()}" is not D/C, YYMMDD, currency, amount`, 'the file is damaged: download it again');
    return { b: { amount: m[1] === 'D' ? -amt : amt, date }, ccy: m[3]! };
  };
  const finishEntry = () => {
    if (!entry || !cur) return;
    let fb = '';
    if (entry.ref === '') {
      fb = `${entry.txs[0]!.endToEndId}`;
      const base = entryKey(cur.account, { ...entry, reversal: false }, fb); // (the rank as before reversals had their own identity)
      const k = (fallbacks.get(base) ?? 0) + 1;
      fallbacks.set(base, k);
      fb = `${fb}|n${k}`;
    }
    entry.txs[0]!.key = txKey(entryKey(cur.account, entry, fb), true, entry.txs[0]!);
    cur.entries.push(entry);
    entry = undefined;
  };
  for (const f of fields) {
    switch (f.tag) {
      case '20':
        finishEntry();
        cur = { name, sha256, format: 'mt940', version: 'MT940', account: '', currency: '', id: f.value.trim(), entries: [] };
        out.push(cur);
        break;
      case '25':
        if (cur) cur.account = mtAccount(f.value);
        break;
      case '60F':
      case '60M':
      case '62F':
      case '62M': {
        finishEntry();
        if (!cur) break;
        const { b, ccy } = balance(f);
        // The balances give the account's currency: both the same, or the file is not what it says.
        if (cur.currency === '') cur.currency = ccy;
        else if (ccy !== cur.currency) bad(f.line, `balance "${f.value.trim()}" is in ${ccy}, the ${cur.opening ? 'opening' : 'closing'} balance in ${cur.currency}`, 'the file is damaged: download it again');
        if (f.tag.startsWith('60')) cur.opening = b;
        else cur.closing = b;
        break;
      }
      case '61': {
        finishEntry();
        if (!cur) bad(f.line, ':61: before any :20:', 'the file is damaged: download it again');
        const m = LINE61.exec(f.value);
        const value = m ? mtDate(m[1]!) : undefined;
        // An entry date written but not a date: refused, never replaced by the value date.
        const booked = value && m![2] ? mtEntryDate(value, m![2]) : value;
        const amount = m ? mtAmount(m[5]!) : undefined;
        if (!m || !booked || amount === undefined) {
          // Refused: said at the first sub-field that is wrong, with what was expected there.
          const first = f.value.split('\n')[0]!;
          const fault = line61Fault(first);
          if (fault) bad(f.line, `statement line "${first}": ${fault.what} at column ${f.column + fault.at}: ${fault.expected}`, 'the file is damaged: download it again', f.column + fault.at, fault.width);
          bad(f.line, `statement line "${first}" is not value date, D/C mark, amount, type, references`, 'the file is damaged: download it again');
        }
        const mark = m![3]!;
        const custRef = m![7]!.trim();
        const bankRef = (m![8] ?? '').trim();
        const supplementary = (m![9] ?? '').trim();
        const line0 = f.value.split('\n')[0]!;
        const slash = line0.indexOf('//');
        // (the reference as read: trimmed of the blanks after "//")
        const lead = slash >= 0 ? /^\s*/.exec(line0.slice(slash + 2))![0].length : 0;
        places.push(f.line, f.column + (slash >= 0 ? slash + 2 + lead : 0), Math.max(1, slash >= 0 ? bankRef.length : line0.length));
        entry = {
          index: ++entries,
          ref: bankRef === 'NONREF' ? '' : bankRef,
          amount: amount!,
          currency: cur!.currency,
          direction: mark === 'C' || mark === 'RD' ? 'CRDT' : 'DBIT',
          reversal: mark.startsWith('R'),
          status: 'BOOK',
          booked: booked!,
          value: value!,
          info: '',
          count: undefined,
          charges: undefined,
          txs: [{ key: '', tx: 0, txRef: '', endToEndId: custRef === 'NONREF' ? '' : custRef, amount: undefined, charges: undefined, instructed: undefined, debtor: '', reference: '', referenceType: '', text: oneLine([supplementary]) }],
        };
        break;
      }
      case '86':
        if (entry) {
          const t = entry.txs[0]!;
          const info = f.value.replace(/\n/g, '');
          // Structured :86: (?20…?29 and ?60…?63 remittance, ?32/?33 name), else free text.
          const structured = /^\d{3}\?/.test(info) || info.includes('?2');
          // Free text is cut into lines of 65 characters: a shorter line ended at a space
          // ("facture" / "ISU-2026-002"), a full one may end inside a word.
          const text = structured ? info : f.value.split('\n').reduce((a, l, i, all) => (i === 0 ? l : `${a}${all[i - 1]!.length >= 65 ? '' : ' '}${l}`), '');
          if (structured) {
            const sub = new Map<string, string>();
            for (const p of info.split('?').slice(1)) sub.set(p.slice(0, 2), (sub.get(p.slice(0, 2)) ?? '') + p.slice(2));
            t.debtor = mtName(sub.get('32') ?? '', sub.get('33') ?? '');
            t.text = oneLine([t.text, ...MT_REMITTANCE.map((k) => sub.get(k) ?? '')]);
          } else {
            const name = /\/(?:ORDP|NAME)\/([^/]*)/.exec(text);
            if (name) t.debtor = oneLine([name[1]!]);
            const rf = /\/(?:REMI|RREF)\/([^/]*)/.exec(text);
            t.text = oneLine([t.text, rf ? rf[1]! : text]);
          }
        }
        break;
      case '-':
        finishEntry();
        break;
      default:
        break;
    }
  }
  finishEntry();
  if (out.length === 0) fail(name, 'an MT940 file with no statement (:20:)', 'give the MT940 file as the bank delivers it', { line: 1, column: 1 });
  for (const s of out) {
    if (s.account === '') fail(name, `statement ${s.id} names no account (:25:)`, 'the file is damaged: download it again');
    if (s.currency === '') s.currency = 'CHF';
    for (const e of s.entries) e.currency = s.currency;
  }
  const at = Int32Array.from(places);
  const where = (n: number): Place => {
    if (n < 1 || 3 * n > at.length) return {};
    const line = at[3 * n - 3]!;
    // (the line found again in the text, not kept as a list of lines through the planning)
    let from = 0;
    for (let k = 1; k < line && from >= 0; k++) from = norm.indexOf('\n', from) + 1 || -1;
    const to = from < 0 ? -1 : norm.indexOf('\n', from);
    return { line, column: at[3 * n - 2]!, excerpt: from < 0 ? '' : norm.slice(from, to < 0 ? undefined : to), width: at[3 * n - 1]! };
  };
  return out.map((st) => ({ ...st, where }));
}
