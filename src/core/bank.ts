/**
 * Bank statements in (docs/bank.md): the transactions of camt.053 / camt.054 / MT940 files,
 * their identity across files, and their matching to the States and invoices of the books.
 * Pure: the files are read and parsed in src/io/camt.ts; amounts are CHF centimes (BigInt).
 *
 *   a credit of CHF 7974.95 quoting RF53ISU2026006 → AUT, invoice ISU-2026-006, by reference, 100
 */
import { centsToString, type Cents } from './ledger.js';
import { cmp } from './problem.js';
import { creditorReference } from './invoice.js';

export type BankFormat = 'camt.053' | 'camt.054' | 'mt940';

/** One transaction: a detail of an entry (TxDtls), or the entry itself when it has none. */
export interface BankTx {
  /** Identity across files (see `txKey`); never the EndToEndId alone. */
  key: string;
  /** Transaction index within the entry, 1-based; 0 for an entry without details. */
  tx: number;
  /** The bank's reference of the transaction (TxDtls/Refs/AcctSvcrRef), or ''. */
  txRef: string;
  endToEndId: string;
  /** Amount of the transaction in the account currency, as given (TxDtls/Amt), or undefined. */
  amount: Cents | undefined;
  /** Its own direction (TxDtls/CdtDbtInd), when given: in an entry of several, a debit among credits, or the other way round. */
  direction?: 'CRDT' | 'DBIT';
  /** Charges the bank took on this transaction (TxDtls/Chrgs), if given. */
  charges: Cents | undefined;
  /** The amount the payer instructed, when it is in another currency than the account's. */
  instructed: { amount: string; currency: string; rate?: string } | undefined;
  debtor: string;
  /** Structured creditor reference, spaces removed, upper case, and its type (SCOR, QRR or ''). */
  reference: string;
  referenceType: string;
  /** Unstructured remittance information and additional information, one line. */
  text: string;
}

export interface BankEntry {
  /** 1-based position in its file. */
  index: number;
  /** The bank's reference of the entry (Ntry/AcctSvcrRef; MT940: the bank reference of :61:). */
  ref: string;
  amount: Cents;
  currency: string;
  direction: 'CRDT' | 'DBIT';
  reversal: boolean;
  /** BOOK, PDNG, INFO … (camt); BOOK for MT940. */
  status: string;
  booked: string;
  value: string;
  /** Number of transactions the bank says the entry holds (NtryDtls/Btch/NbOfTxs), if given. */
  count: number | undefined;
  charges: Cents | undefined;
  /** The entry's own information (AddtlNtryInf). */
  info: string;
  txs: BankTx[];
}

export interface BankBalance {
  /** Signed: a debit balance is negative. */
  amount: Cents;
  date: string;
}

export interface BankStatement {
  /** Name as shown (the file, or zip!member). */
  name: string;
  sha256: string;
  format: BankFormat;
  /** Schema version, e.g. camt.053.001.08; '' for MT940. */
  version: string;
  /** IBAN or other account identification. */
  account: string;
  currency: string;
  id: string;
  opening?: BankBalance;
  closing?: BankBalance;
  entries: BankEntry[];
  /**
   * A member of a ZIP left out as plainly not a bank file (docs/bank.md): what it is (`a PDF
   * document`). It has no entries, and its other fields say nothing (format: a placeholder);
   * the plan says it in a warning note.
   */
  leftOut?: string;
}

/**
 * A statement whose entries are read one at a time as they are iterated, so that a file of
 * 100,000 entries is never held as objects (src/io/bankfile.ts `openBankFile`). Iterating may
 * throw the reader's error for a damaged entry. An array is a stream too.
 */
export interface BankStatementStream extends Omit<BankStatement, 'entries'> {
  entries: Iterable<BankEntry>;
  /** How many entries it holds, when that is known before they are read (for a progress bar). */
  count?: number;
  /**
   * Where entry n (1-based) is in the file, for a problem found while it is planned (two
   * transactions under one identity): with `element`, that element of it (`AcctSvcrRef`,
   * `NtryDtls/TxDtls[2]/Refs/AcctSvcrRef`). Empty when the reader cannot tell any more.
   */
  where?: (entry: number, element?: string) => Place;
}

/** A place in a file (as a Problem gives it). */
export interface Place {
  line?: number;
  column?: number;
  excerpt?: string;
  width?: number;
}

/** Conflicts given a place in their file (each may read the file again): the first ones. */
const PLACED_CONFLICTS = 10;

/** Any reference text in a canonical form: no spaces, upper case. */
export function compactRef(s: string): string {
  // Most references come canonical already (the bank files give them so): no copy then.
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 32 || c >= 127 || (c >= 97 && c <= 122)) return s.replace(/\s+/g, '').toUpperCase();
  }
  return s;
}

/** ISO 11649: RF, two check digits, 1 to 21 letters and digits, mod 97 = 1. */
export function isRf(ref: string): boolean {
  // /^RF\d\d[A-Z0-9]{1,21}$/ and mod97(body + "RFkk") = 1, without the regex nor a BigInt.
  const n = ref.length;
  if (n < 5 || n > 25 || ref.charCodeAt(0) !== 82 || ref.charCodeAt(1) !== 70) return false;
  const k1 = ref.charCodeAt(2) - 48;
  const k2 = ref.charCodeAt(3) - 48;
  if (k1 < 0 || k1 > 9 || k2 < 0 || k2 > 9) return false;
  let r = 0;
  for (let i = 4; i < n; i++) {
    const c = ref.charCodeAt(i);
    if (c >= 48 && c <= 57) r = (r * 10 + c - 48) % 97;
    else if (c >= 65 && c <= 90) r = (r * 100 + c - 55) % 97;
    else return false;
  }
  // "R" = 27, "F" = 15, then the check digits
  r = (r * 100 + 27) % 97;
  r = (r * 100 + 15) % 97;
  r = (r * 10 + k1) % 97;
  r = (r * 10 + k2) % 97;
  return r === 1;
}

const MOD10 = [0, 9, 4, 6, 8, 2, 7, 1, 3, 5];
/** Swiss QR reference (QRR): 27 digits, the last a check digit (mod 10, recursive). */
export function isQrr(ref: string): boolean {
  if (!isDigits27(ref)) return false;
  let carry = 0;
  for (let i = 0; i < 26; i++) carry = MOD10[(carry + ref.charCodeAt(i) - 48) % 10]!;
  return (10 - carry) % 10 === ref.charCodeAt(26) - 48;
}

/** /^\d{27}$/ */
function isDigits27(s: string): boolean {
  if (s.length !== 27) return false;
  for (let i = 0; i < 27; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** A QR reference for a payload of up to 26 digits (for tests and docs). */
export function qrrOf(digits: string): string {
  const body = digits.padStart(26, '0');
  let carry = 0;
  for (let i = 0; i < 26; i++) carry = MOD10[(carry + body.charCodeAt(i) - 48) % 10]!;
  return `${body}${(10 - carry) % 10}`;
}

// ---------------------------------------------------------------------------------------------
// Identity

/**
 * The identity of a transaction, the same in a camt.053 and in the camt.054 that details it:
 * the account, the entry's bank reference (AcctSvcrRef), and
 *  - `1` when the entry holds one transaction (with or without details);
 *  - the transaction's own bank reference when it has one, else its position, for a batch.
 * Without an entry reference, the entry is known by its dates, direction, amount, its
 * NtryRef and first EndToEndId, and its rank among identical entries of the file.
 * A reversal's ends `|reversal` (before its transaction's part): a reversal may repeat the
 * reference of the entry it takes back, and is another transaction than that entry's.
 */
export function entryKey(account: string, e: Pick<BankEntry, 'ref' | 'booked' | 'value' | 'direction' | 'amount' | 'reversal'>, fallback: string): string {
  // Joined, not templates: one flat string, half the memory of a tree of pieces (every line keeps its key).
  const k = e.ref !== '' ? [account, e.ref].join('|') : [account, `~${e.booked}`, e.value, e.direction, centsToString(e.amount), fallback].join('|');
  return e.reversal ? [k, REVERSAL].join('|') : k;
}

const REVERSAL = 'reversal';

/** The key a reversal had before reversals had their own identity (…|X|reversal|1 → …|X|1). */
function olderKey(key: string): string {
  return key.replace(`|${REVERSAL}|`, '|');
}

/** A key of a reversal's row written before reversals had their own identity (…|X|1), as it is now (…|X|reversal|1). */
export function reversalKey(key: string): string {
  const entry = entryOf(key);
  return entry.endsWith(`|${REVERSAL}`) ? key : [entry, REVERSAL, key.slice(entry.length + 1)].join('|');
}

export function txKey(entry: string, single: boolean, t: Pick<BankTx, 'tx' | 'txRef'>): string {
  return [entry, single ? '1' : t.txRef !== '' ? `r:${t.txRef}` : `#${t.tx}`].join('|');
}

/**
 * Payment ids for `booking`, from each line's identity, in the order of the keys (so that a
 * collision resolves the same way whatever the order of the files), each added to `taken`.
 * Only the lines whose shortest id is another's too, or taken, need that order: a longer id
 * begins with its line's shortest (BNK-day-6 digits), so it can only meet the ids of lines
 * that share that shortest, and a line whose shortest is its own gets it whatever the order
 * (of 85,000 payments of one day, some 200 collide: they alone are sorted and given longer
 * ids). test/bank-ids.property.test.ts holds it to the plain way (every line sorted).
 */
export function assignPaymentIds(booking: ProposalLine[], hash: (s: string) => string, taken: Set<string>): void {
  const short = booking.map((l) => paymentIdFor(l.key, l.received, hash, () => false));
  const count = new Map<string, number>();
  for (const id of short) count.set(id, (count.get(id) ?? 0) + 1);
  const clash: ProposalLine[] = [];
  booking.forEach((l, i) => {
    const id = short[i]!;
    if (count.get(id) === 1 && !taken.has(id)) {
      l.paymentId = id;
      taken.add(id);
    } else clash.push(l);
  });
  clash.sort((a, b) => cmp(a.key, b.key));
  for (const l of clash) {
    l.paymentId = paymentIdFor(l.key, l.received, hash, (id) => taken.has(id));
    taken.add(l.paymentId);
  }
}

/** A payment id from a transaction's identity: the same whatever the order of the imports. */
export function paymentIdFor(key: string, received: string, hash: (s: string) => string, taken: (id: string) => boolean): string {
  const h = hash(key);
  const day = received.replace(/-/g, '');
  for (let n = 6; n <= h.length; n += 2) {
    const id = ['BNK', day, h.slice(0, n).toUpperCase()].join('-');
    if (!taken(id)) return id;
  }
  throw new Error(`internal: no free payment id for ${key}`);
}

// ---------------------------------------------------------------------------------------------
// Matching

export interface InvoiceInfo {
  number: string;
  iso3: string;
  year: number;
  purpose: 'isu' | 'meeting';
  /** Due (after adjustments) and still outstanding, all lines of the invoice. */
  due: Cents;
  outstanding: Cents;
  /** ISO 11649 reference (from the number, or the register). */
  rf: string;
}

export interface MatchContext {
  invoices: Map<string, InvoiceInfo>;
  /** RF (compact) → invoice number. */
  byRf: Map<string, string>;
  /** Invoice number without separators, upper case → invoice number. */
  byBody: Map<string, string>;
  /** Invoice number as groups (letters, digits without leading zeros) → invoice number. */
  byGroups: Map<string, string>;
  /** QR reference payload (digits of the number, no leading zeros) → invoice number. */
  byDigits: Map<string, string>;
  /** Normalised names (States in three languages, missions) → ISO3, longest first. */
  names: { name: string; iso3: string }[];
  /** Open invoices by outstanding amount (for the unique-amount rule). */
  byOutstanding: Map<Cents, string[]>;
}

export type MatchHow = 'reference' | 'invoice number' | 'name and amount' | 'name' | 'amount' | 'reference typo' | 'none';

export interface Match {
  iso3?: string;
  invoice?: string;
  how: MatchHow;
  /** 0–100; `AUTO` and above is booked by --apply, below it goes to review. */
  confidence: number;
  /** Why, in words (every rule that fired or failed). */
  notes: string[];
}

/** Matches at or above this confidence are booked; the others go to bank-review.csv. */
export const AUTO = 80;

export function invoiceGroups(s: string): string {
  // (s.toUpperCase().match(/[A-Z]+|\d+/g) ?? []), leading zeros off the digit groups, joined by
  // '|': one pass over an ASCII text; another text is upper-cased first, as the regex saw it.
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 127) return groupsOfAscii(s.toUpperCase());
  return groupsOfAscii(s);
}

function groupsOfAscii(s: string): string {
  let out = '';
  let i = 0;
  const n = s.length;
  while (i < n) {
    const k = kindOf(s.charCodeAt(i));
    if (k === 0) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < n && kindOf(s.charCodeAt(j)) === k) j++;
    if (k === 2) while (i < j - 1 && s.charCodeAt(i) === 48) i++;
    const g = s.slice(i, j);
    out = out === '' ? (k === 1 ? g.toUpperCase() : g) : `${out}|${k === 1 ? g.toUpperCase() : g}`;
    i = j;
  }
  return out;
}

/** 1 for a letter (A–Z, a–z), 2 for a digit, 0 for anything else (ASCII). */
function kindOf(c: number): number {
  if (c >= 48 && c <= 57) return 2;
  if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) return 1;
  return 0;
}

/** Lower case, no accents, letters and digits separated by single spaces. */
export function normName(s: string): string {
  // An ASCII text needs no decomposition: its words, lower-cased, in one pass.
  let out = ' ';
  let i = 0;
  const n = s.length;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c >= 128) return normNameOf(s);
    if (kindOf(c) === 0) {
      i++;
      continue;
    }
    let j = i + 1;
    for (; j < n; j++) {
      const d = s.charCodeAt(j);
      if (d >= 128) return normNameOf(s);
      if (kindOf(d) === 0) break;
    }
    out += `${s.slice(i, j).toLowerCase()} `;
    i = j;
  }
  return out === ' ' ? '  ' : out;
}

function normNameOf(s: string): string {
  return ` ${s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()} `;
}

export function matchContext(invoices: InvoiceInfo[], names: { name: string; iso3: string }[]): MatchContext {
  const ctx: MatchContext = { invoices: new Map(), byRf: new Map(), byBody: new Map(), byGroups: new Map(), byDigits: new Map(), names: [], byOutstanding: new Map() };
  const sorted = [...invoices].sort((a, b) => cmp(a.number, b.number));
  for (const inv of sorted) {
    ctx.invoices.set(inv.number, inv);
    ctx.byRf.set(inv.rf, inv.number);
    ctx.byBody.set(inv.number.replace(/[^A-Za-z0-9]/g, '').toUpperCase(), inv.number);
    ctx.byGroups.set(invoiceGroups(inv.number), inv.number);
    const digits = inv.number.replace(/\D/g, '').replace(/^0+/, '');
    if (digits !== '') {
      // Two numbers with the same digits (ISU-2026-005, CN-2026-005) cannot be told by a QRR.
      ctx.byDigits.set(digits, ctx.byDigits.has(digits) ? '' : inv.number);
    }
    if (inv.outstanding > 0n) {
      const l = ctx.byOutstanding.get(inv.outstanding) ?? [];
      l.push(inv.number);
      ctx.byOutstanding.set(inv.outstanding, l);
    }
  }
  const seen = new Set<string>();
  for (const n of names) {
    const full = normName(n.name);
    // Each name also without its articles, as payers write it: "Democratic Republic of Congo"
    // is the DRC's, not the Republic of the Congo's (whose Spanish name, "Congo", it holds).
    for (const name of [full, full.replace(/ the (?=\S)/g, ' ')]) {
      if (name.trim().length < 4 || seen.has(`${name}|${n.iso3}`)) continue;
      seen.add(`${name}|${n.iso3}`);
      ctx.names.push({ name, iso3: n.iso3 });
    }
  }
  ctx.names.sort((a, b) => b.name.length - a.name.length || cmp(a.name, b.name) || cmp(a.iso3, b.iso3));
  return ctx;
}

/** The transaction as the matcher sees it. */
export interface MatchInput {
  chf: Cents;
  reference: string;
  referenceType: string;
  text: string;
  debtor: string;
}

const RF_IN_TEXT = /RF\s?\d\s?\d(?:\s?[A-Z0-9]){1,21}/g;
const QRR_IN_TEXT = /(?<!\d)(?:\d\s?){26}\d(?!\d)/g;

/** The States named in a text (a longer name hides the shorter names inside it: Guinea-Bissau, not Guinea). */
export function statesNamed(ctx: MatchContext, text: string): string[] {
  // Payers' names repeat from one statement to the next: remember the answers (a bounded cache).
  let cache = ctx === lastNamed.ctx ? lastNamed.cache : namedCache.get(ctx);
  if (!cache) namedCache.set(ctx, (cache = new Map()));
  lastNamed.ctx = ctx;
  lastNamed.cache = cache;
  const known = cache.get(text);
  if (known) return known;
  const found = namesIn(ctx, text);
  if (cache.size >= 50_000) cache.clear();
  cache.set(text, found);
  return found;
}
const namedCache = new WeakMap<MatchContext, Map<string, string[]>>();
// The context of the last call (an import matches against one context): no WeakMap look-up.
const lastNamed: { ctx?: MatchContext; cache?: Map<string, string[]> } = {};

function namesIn(ctx: MatchContext, text: string): string[] {
  const t = normName(text);
  if (t.length < 5) return [];
  // Candidates by the first word of each name: only names whose first word is in the text.
  let index = byFirstWord.get(ctx);
  if (!index) {
    index = new Map();
    for (const n of ctx.names) {
      const w = n.name.slice(1, n.name.indexOf(' ', 1));
      const l = index.get(w) ?? [];
      l.push(n);
      index.set(w, l);
    }
    byFirstWord.set(ctx, index);
  }
  const hits: { at: number; end: number; iso3: string }[] = [];
  let pos = 0;
  while (pos < t.length - 1) {
    const next = t.indexOf(' ', pos + 1);
    if (next < 0) break;
    const word = t.slice(pos + 1, next);
    for (const n of index.get(word) ?? []) if (t.startsWith(n.name, pos)) hits.push({ at: pos, end: pos + n.name.length, iso3: n.iso3 });
    pos = next;
  }
  if (hits.length === 0) return [];
  hits.sort((a, b) => b.end - b.at - (a.end - a.at) || a.at - b.at);
  const taken: [number, number][] = [];
  const found = new Set<string>();
  for (const h of hits) {
    if (taken.some(([a, b]) => h.at < b && h.end > a)) continue;
    taken.push([h.at, h.end]);
    found.add(h.iso3);
  }
  return [...found].sort();
}
const byFirstWord = new WeakMap<MatchContext, Map<string, { name: string; iso3: string }[]>>();

function editDistanceAtMostOne(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      i++;
      j++;
      continue;
    }
    if (++edits > 1) return false;
    if (a.length > b.length) i++;
    else if (b.length > a.length) j++;
    else {
      // a swap of two neighbours counts as one typo
      if (a[i + 1] === b[j] && a[i] === b[j + 1]) {
        i += 2;
        j += 2;
        continue;
      }
      i++;
      j++;
    }
  }
  return edits + (a.length - i) + (b.length - j) <= 1;
}

/**
 * Match one credit transaction (docs/bank.md, "Matching"). Rules, strongest first:
 *  1. a valid RF (SCOR) or QR reference that is an invoice's (100; 95 when found in free text);
 *  2. an invoice number in the free text (90; several invoices of one State: that State, 85);
 *  3. the payer's or the text's State name and an amount equal to one of its open invoices (85),
 *     or the name alone (60);
 *  4. an amount equal to the outstanding amount of exactly one open invoice (60);
 *  5. a reference or number one typo away from an invoice's (50).
 * A match from 1 or 2 whose payer names another State drops to 70 (review); so does a match
 * from 1 whose text names another State's invoice.
 *
 * A hundred thousand credits go through here in one import: the text is scanned only for what
 * it can hold (no RF pattern without "RF", no QR reference without 27 digits, no invoice
 * number without a digit), each word's groups are made once, and what depends on an invoice
 * alone (its number without separators, the text of its outstanding amount) once per context.
 * test/bank-match.property.test.ts holds it to the matcher as it was (test/bank-match-oracle.ts),
 * with the text rule added there from the old matcher's own rule 2.
 */
export function matchTx(ctx: MatchContext, t: MatchInput): Match {
  const notes: string[] = [];
  let typos: string[] | undefined;

  const text = t.text;
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
  }
  const upper = text === '' ? '' : text.toUpperCase();
  // (an invoice number has digits: a text without any names none)
  const words = digits > 0 ? (upper.match(/[A-Z0-9]+/g) ?? []) : NO_WORDS;

  // 1. References: the structured one, then any in the free text.
  if (t.reference !== '') {
    const r = byReference(ctx, t, notes, compactRef(t.reference), true);
    if (typeof r === 'string') (typos ??= []).push(r);
    else if (r) return textAgrees(ctx, r, words, upper, digits);
  }
  if (upper.includes('RF')) {
    for (const m of upper.matchAll(RF_IN_TEXT)) {
      // The pattern may run on into the next word: the longest prefix that is a known or valid RF.
      const c = compactRef(m[0]);
      let pick = knownRf(ctx, c);
      for (let n = c.length; n >= 5 && pick === ''; n--) if (isRf(c.slice(0, n))) pick = c.slice(0, n);
      const r = byReference(ctx, t, notes, pick || (/^RF\d\d[A-Z0-9]+/.exec(compactRef(m[0].split(/\s{2,}/)[0]!))?.[0] ?? c), false);
      if (typeof r === 'string') (typos ??= []).push(r);
      else if (r) return textAgrees(ctx, r, words, upper, digits);
    }
  }
  if (digits >= 27) {
    for (const m of upper.matchAll(QRR_IN_TEXT)) {
      const r = byReference(ctx, t, notes, compactRef(m[0]), false);
      if (typeof r === 'string') (typos ??= []).push(r);
      else if (r) return textAgrees(ctx, r, words, upper, digits);
    }
  }

  // 2. Invoice numbers in the free text: windows of up to four words.
  if (words.length > 0) {
    const numbers = numbersIn(ctx, words);
    if (numbers && numbers.size === 1) {
      const n = numbers.values().next().value!;
      return finish(ctx, t, notes, ctx.invoices.get(n)!.iso3, n, 'invoice number', 90);
    }
    if (numbers && numbers.size > 1) {
      const states = new Set([...numbers].map((n) => ctx.invoices.get(n)!.iso3));
      const list = [...numbers].sort().join(', ');
      if (states.size === 1) {
        notes.push(`names ${numbers.size} invoices (${list}): booked without earmark, oldest first`);
        return finish(ctx, t, notes, [...states][0]!, undefined, 'invoice number', 85);
      }
      notes.push(`names invoices of several States (${list})`);
      return { how: 'none', confidence: 0, notes };
    }
  }

  // 3. The State's name, with the amount of one of its open invoices.
  // (a name is in "payer text" as in the payer alone when the text is empty, and conversely:
  // normName drops the space at either end)
  const named = statesNamed(ctx, t.text === '' ? t.debtor : t.debtor === '' ? t.text : `${t.debtor} ${t.text}`);
  const byAmount = ctx.byOutstanding.get(t.chf) ?? NO_INVOICES;
  if (named.length === 1) {
    const iso3 = named[0]!;
    const own = byAmount.filter((n) => ctx.invoices.get(n)!.iso3 === iso3);
    if (own.length === 1) {
      notes.push(`the amount is what ${own[0]} still owes`);
      return finish(ctx, t, notes, iso3, own[0]!, 'name and amount', 85);
    }
    notes.push(`the payer or the text names ${iso3}, but the amount is not what one of its invoices owes`);
    return finish(ctx, t, notes, iso3, undefined, 'name', 60);
  }
  if (named.length > 1) notes.push(`names several States (${named.join(', ')})`);

  // 4. An amount that only one open invoice owes.
  if (byAmount.length === 1) {
    notes.push(`the amount is what ${byAmount[0]} owes, and no other open invoice`);
    return finish(ctx, t, notes, ctx.invoices.get(byAmount[0]!)!.iso3, byAmount[0]!, 'amount', 60);
  }
  if (byAmount.length > 1) notes.push(`${byAmount.length} open invoices owe this amount`);

  // 5. One typo away from an RF or an invoice number: the references above that were not
  // valid, and the words and windows of up to four words of the text with letters and digits.
  if (words.length > 0) {
    // per word: 1 when it has a letter, 2 when it has a digit (3: both)
    const kinds = words.map((w) => {
      let k = 0;
      for (let j = 0; j < w.length && k !== 3; j++) k |= kindOf(w.charCodeAt(j));
      return k;
    });
    for (let i = 0; i < words.length; i++) {
      let body = words[i]!;
      let kind = kinds[i]!;
      for (let k = i + 1; k < Math.min(words.length, i + 4); k++) {
        body += words[k];
        kind |= kinds[k]!;
        if (body.length >= 6 && kind === 3) (typos ??= []).push(body);
      }
      if (words[i]!.length >= 6 && kinds[i] === 3) (typos ??= []).push(words[i]!);
    }
  }
  if (typos) {
    const near = new Set<string>();
    const all = prepared(ctx).invoices;
    for (const ty of new Set(typos)) {
      if (ty.startsWith('RF')) {
        const tail = ty.slice(4);
        for (const inv of all) if (editDistanceAtMostOne(ty, inv.rf) || editDistanceAtMostOne(tail, inv.rfTail)) near.add(inv.number);
      } else for (const inv of all) if (editDistanceAtMostOne(ty, inv.body)) near.add(inv.number);
    }
    if (near.size === 1) {
      const n = near.values().next().value!;
      notes.push(`one typo away from ${n} (${ctx.invoices.get(n)!.rf})`);
      return finish(ctx, t, notes, ctx.invoices.get(n)!.iso3, n, 'reference typo', 50);
    }
    if (near.size > 1) notes.push(`one typo away from several invoices (${[...near].sort().join(', ')})`);
  }
  if (notes.length === 0) notes.push('no reference, invoice number, State name or amount that the books know');
  return { how: 'none', confidence: 0, notes };
}

const NO_INVOICES: readonly string[] = [];
const NO_WORDS: readonly string[] = [];

/** The longest beginning of a compacted RF found in free text that is an invoice's RF (the pattern may run on into the next word), or ''. */
function knownRf(ctx: MatchContext, c: string): string {
  for (let n = c.length; n >= 5; n--) if (ctx.byRf.has(c.slice(0, n))) return c.slice(0, n);
  return '';
}

/** The invoice a valid QR reference names: its digits before the check digit, leading zeros left out ('' when two invoices share them). */
function qrrInvoice(ctx: MatchContext, ref: string): string | undefined {
  return ctx.byDigits.get(ref.slice(0, 26).replace(/^0+/, ''));
}

/** The invoice numbers the words of a text name (rule 2): windows of up to four words, whole or as groups. */
function numbersIn(ctx: MatchContext, words: readonly string[]): Set<string> | undefined {
  const p = prepared(ctx);
  const groups = words.map(groupsOfAscii);
  let numbers: Set<string> | undefined;
  for (let i = 0; i < words.length; i++) {
    // A window that starts no invoice number (whole, or as groups) is not made longer.
    let body = '';
    let joined = '';
    let bodies = true;
    let grouped = true;
    for (let k = i; k < Math.min(words.length, i + 4) && (bodies || grouped); k++) {
      let n: string | undefined;
      if (bodies) {
        body += words[k];
        const v = p.bodies.get(body);
        if (v === undefined) bodies = false;
        else if (v !== null) n = v;
      }
      if (grouped) {
        joined = k === i ? groups[k]! : `${joined}|${groups[k]}`;
        const v = p.groups.get(joined);
        if (v === undefined) grouped = false;
        else if (v !== null) n ??= v;
      }
      if (n) (numbers ??= new Set()).add(n);
    }
  }
  return numbers;
}

/**
 * A match by a reference (rule 1) whose free text names an invoice of another State (its
 * number, or its RF or QR reference): the
 * reference may have been copied from another State's invoice, or the text is wrong; which
 * is not guessed: down to 70 (review), with a note naming those invoices.
 */
function textAgrees(ctx: MatchContext, m: Match, words: readonly string[], upper: string, digits: number): Match {
  if (words.length === 0) return m;
  const numbers = numbersIn(ctx, words) ?? new Set<string>();
  // and the invoices of the RF and QR references written in it (RF64ISU2026002 is one word, no number)
  if (upper.includes('RF'))
    for (const r of upper.matchAll(RF_IN_TEXT)) {
      const rf = knownRf(ctx, compactRef(r[0]));
      if (rf) numbers.add(ctx.byRf.get(rf)!);
    }
  if (digits >= 27)
    for (const r of upper.matchAll(QRR_IN_TEXT)) {
      const c = compactRef(r[0]);
      const number = isQrr(c) ? qrrInvoice(ctx, c) : undefined;
      if (number) numbers.add(number);
    }
  const others = [...numbers].filter((n) => ctx.invoices.get(n)!.iso3 !== m.iso3).sort();
  if (others.length === 0) return m;
  const states = [...new Set(others.map((n) => ctx.invoices.get(n)!.iso3))].sort();
  m.notes.push(`the text names ${others.join(', ')}, ${others.length === 1 ? 'an invoice' : 'invoices'} of ${states.join(', ')}, not of ${m.iso3}`);
  m.confidence = Math.min(m.confidence, 70);
  return m;
}

/**
 * Rule 1 for one reference: the match, or a reference to try against the typo rule (a string),
 * or undefined; the notes say why not.
 */
function byReference(ctx: MatchContext, t: MatchInput, notes: string[], ref: string, structured: boolean): Match | string | undefined {
  if (ref.startsWith('RF')) {
    if (!isRf(ref)) {
      notes.push(`${ref} is not a valid RF reference (check digits)`);
      return ref;
    }
    const number = ctx.byRf.get(ref);
    if (number) return finish(ctx, t, notes, ctx.invoices.get(number)!.iso3, number, 'reference', structured ? 100 : 95);
    notes.push(`${ref} is a valid RF reference but no invoice of the books has it`);
  } else if (isDigits27(ref)) {
    if (!isQrr(ref)) {
      notes.push(`${ref} is not a valid QR reference (check digit)`);
      return undefined;
    }
    const number = qrrInvoice(ctx, ref);
    if (number) return finish(ctx, t, notes, ctx.invoices.get(number)!.iso3, number, 'reference', 95);
    notes.push(`QR reference ${ref} names no invoice of the books`);
  } else if (structured) {
    // A structured reference that is neither: perhaps the invoice number itself.
    const number = ctx.byBody.get(ref.replace(/[^A-Z0-9]/g, ''));
    if (number) return finish(ctx, t, notes, ctx.invoices.get(number)!.iso3, number, 'invoice number', 90);
    notes.push(`reference "${ref}" is neither RF nor QRR`);
    return ref;
  }
  return undefined;
}

/** The match, with what the payer's name and the amount say about it (its key order is fixed: iso3, invoice, how, confidence, notes). */
function finish(ctx: MatchContext, t: MatchInput, notes: string[], iso3: string, invoice: string | undefined, how: MatchHow, confidence: number): Match {
  if (iso3 && t.debtor !== '' && (how === 'reference' || how === 'invoice number')) {
    const named = statesNamed(ctx, t.debtor);
    if (named.length > 0 && !named.includes(iso3)) {
      notes.push(`the payer "${t.debtor}" names ${named.join(', ')}, not ${iso3}`);
      confidence = Math.min(confidence, 70);
    }
  }
  if (invoice) {
    const inv = ctx.invoices.get(invoice)!;
    if (t.chf !== inv.outstanding) {
      const said = outstandingText(ctx, inv);
      if (t.chf > inv.outstanding) notes.push(inv.outstanding === 0n ? said.paid : ['overpays ', invoice, ' (outstanding ', said.amount, ') by ', centsToString(t.chf - inv.outstanding), ': the rest settles older years or stays as credit'].join(''));
      else notes.push(said.part);
    }
    return { iso3, invoice, how, confidence, notes };
  }
  return { iso3, how, confidence, notes };
}

/** An invoice's outstanding amount as text, and the note of a part payment, made once per invoice and amount. */
function outstandingText(ctx: MatchContext, inv: InvoiceInfo): { outstanding: Cents; amount: string; part: string; paid: string } {
  const cache = prepared(ctx).said;
  let s = cache.get(inv.number);
  if (s === undefined || s.outstanding !== inv.outstanding) {
    const amount = centsToString(inv.outstanding);
    // Joined, not templates: a template is a tree of pieces, twice the memory of the text, and
    // a note is kept by every line of the proposal that says it.
    s = { outstanding: inv.outstanding, amount, part: ['pays ', inv.number, ' in part (outstanding ', amount, ')'].join(''), paid: [inv.number, ' is already paid: the payment becomes credit (or settles older years)'].join('') };
    cache.set(inv.number, s);
  }
  return s;
}

/** What the matcher derives from a context, once (made again if its maps change). */
interface Prepared {
  of: [Map<string, InvoiceInfo>, number, Map<string, string>, number, Map<string, string>, number];
  /** For the typo rule, in the order of the invoices: the RF, the RF without "RFkk", the number without separators. */
  invoices: { number: string; rf: string; rfTail: string; body: string }[];
  /** `byBody` and every beginning of its keys (→ null), so that a window of words that begins no key is given up. */
  bodies: Map<string, string | null>;
  /** `byGroups` and every beginning of its keys made of whole groups (→ null). */
  groups: Map<string, string | null>;
  said: Map<string, { outstanding: Cents; amount: string; part: string; paid: string }>;
}
const preparedOf = new WeakMap<MatchContext, Prepared>();
const lastPrepared: { ctx?: MatchContext; p?: Prepared } = {};

function prepared(ctx: MatchContext): Prepared {
  let p = ctx === lastPrepared.ctx ? lastPrepared.p : preparedOf.get(ctx);
  const o = p?.of;
  if (p === undefined || o![0] !== ctx.invoices || o![1] !== ctx.invoices.size || o![2] !== ctx.byBody || o![3] !== ctx.byBody.size || o![4] !== ctx.byGroups || o![5] !== ctx.byGroups.size) {
    p = { of: [ctx.invoices, ctx.invoices.size, ctx.byBody, ctx.byBody.size, ctx.byGroups, ctx.byGroups.size], invoices: [], bodies: new Map(), groups: new Map(), said: new Map() };
    for (const inv of ctx.invoices.values()) p.invoices.push({ number: inv.number, rf: inv.rf, rfTail: inv.rf.slice(4), body: inv.number.replace(/[^A-Za-z0-9]/g, '').toUpperCase() });
    for (const key of ctx.byBody.keys()) for (let n = 1; n < key.length; n++) if (!p.bodies.has(key.slice(0, n))) p.bodies.set(key.slice(0, n), null);
    for (const [key, number] of ctx.byBody) p.bodies.set(key, number);
    for (const key of ctx.byGroups.keys()) for (let n = key.indexOf('|'); n >= 0; n = key.indexOf('|', n + 1)) if (!p.groups.has(key.slice(0, n))) p.groups.set(key.slice(0, n), null);
    for (const [key, number] of ctx.byGroups) p.groups.set(key, number);
    preparedOf.set(ctx, p);
  }
  lastPrepared.ctx = ctx;
  lastPrepared.p = p;
  return p;
}

/** The RF of an invoice number, or '' when the number cannot make one. */
export function rfOf(number: string): string {
  try {
    return creditorReference(number);
  } catch {
    return '';
  }
}

// ---------------------------------------------------------------------------------------------
// The proposal

export type Fate = 'book' | 'review' | 'skip' | 'debit' | 'ignore' | 'reversed' | 'await';

export interface ProposalLine {
  key: string;
  statement: string;
  sha256: string;
  format: BankFormat;
  entry: number;
  tx: number;
  /** The bank's reference shown to people: the transaction's AcctSvcrRef, else the entry's. */
  bankRef: string;
  received: string;
  direction: 'CRDT' | 'DBIT';
  reversal: boolean;
  /** CHF credited (or debited) for this transaction. */
  chf: Cents;
  /** As sent: the instructed amount and currency when not CHF, else the CHF amount. */
  amount: string;
  currency: string;
  rate: string;
  debtor: string;
  endToEndId: string;
  reference: string;
  text: string;
  match: Match | undefined;
  fate: Fate;
  reason: string;
  /** For `book`: the payment id it will have. */
  paymentId: string | undefined;
  purpose: 'isu' | 'meeting' | undefined;
}

export interface Known {
  /** Transaction keys already in payments.csv (→ payment id) or in bank-review.csv (→ its state). */
  payments: Map<string, string>;
  /** The CHF of each of those payments (a reference the bank gives again with another amount is not the same transaction). */
  amounts?: Map<string, Cents>;
  review: Map<string, 'awaiting' | 'dismissed'>;
  /** Entry keys some of whose transactions are in payments.csv. */
  entries: Set<string>;
  /** Entry keys some of whose transactions, one of several, await review in bank-review.csv. */
  reviewEntries?: Set<string>;
  /** Rows of bank-review.csv that are reversals (their reason says so): money taken back, in a group of their own for `ImportPlan.booked`. */
  reviewReversals?: Set<string>;
  /** The CHF of each row of bank-review.csv (as `amounts` for payments.csv). */
  reviewAmounts?: Map<string, Cents>;
  /** The date received of each of those payments, and of each row of bank-review.csv. */
  dates?: Map<string, string>;
  /**
   * The reversals recorded in bank-review.csv as paired by an import (dismissed), by key: the
   * key of the credit each took back, which its reason ends with.
   */
  reversalOf?: Map<string, string>;
  reviewDates?: Map<string, string>;
}

export interface Proposal {
  lines: ProposalLine[];
  /**
   * Per statement, what was checked and found (balances, batches, a reference given again),
   * and each member of a ZIP left out.
   */
  notes: ProposalNote[];
}

/** What the reading of a statement found; a warning also goes to stderr (as `code`, by default `bank-balance`), with its hint. */
export interface ProposalNote {
  statement: string;
  severity: 'warning' | 'info';
  message: string;
  /** Of a warning that is not about the amounts of the file: its problem code, and what to do. */
  code?: 'bank-file' | 'bank-reference';
  hint?: string;
}

export function entryOf(key: string): string {
  return key.slice(0, key.lastIndexOf('|'));
}

/** An entry's key, and whether it is a reversal: a reversal may repeat the reference of the credit it takes back. */
function groupOf(entry: string, reversal: boolean): string {
  return reversal ? `${entry}|reversal` : entry;
}

/** How one of several transactions of an entry is known: by its own bank reference (…|r:T1, 'r') or its position (…|#1, '#'). */
type Kind = 'r' | '#';
function kindOfKey(key: string): Kind | undefined {
  const at = key.lastIndexOf('|') + 1;
  const c = key.charCodeAt(at);
  // (…|#0: an entry without details, held whole or a reversal: not one of several)
  if (c === 35 /* # */) return key.length > at + 1 && key.charCodeAt(at + 1) !== 48 ? '#' : undefined;
  return c === 114 /* r */ && key.charCodeAt(at + 1) === 58 /* : */ ? 'r' : undefined;
}
/** The one kind of identity of all these transactions' keys, or undefined (none of several, or both kinds). */
function entryKind(txs: readonly { key: string }[]): Kind | undefined {
  const k = kindOfKey(txs[0]!.key);
  return k !== undefined && txs.every((t) => kindOfKey(t.key) === k) ? k : undefined;
}

/** The signed effect of an entry on the balance: the sign comes from CdtDbtInd alone. */
export function signed(e: Pick<BankEntry, 'amount' | 'direction'>): Cents {
  return e.direction === 'CRDT' ? e.amount : -e.amount;
}

/**
 * The plan of an import, built one statement and one entry at a time: the entries of a file
 * of 100,000 are read, decided and dropped one by one, and only the proposal lines are kept.
 * `finish` settles what needs every line of the import (a batch broken down by another file,
 * a reversal and the credit it takes back, the payment ids).
 */
export class ImportPlan {
  readonly lines: ProposalLine[] = [];
  readonly notes: Proposal['notes'] = [];
  /**
   * Two different transactions under one identity (the bank's reference given again with
   * another amount or direction): which is the real one is not guessed, and nothing of the
   * import may be written (the command refuses it, naming both).
   */
  readonly conflicts: { statement: string; message: string; hint: string; where?: Place }[] = [];
  /** Every transaction of this import by its key: the same one in two files is booked once. */
  private readonly seen = new Map<string, ProposalLine>();
  private readonly reversals: ProposalLine[] = [];
  /** Reversals skipped as recorded in bank-review.csv, whose credit's row is gone: each still takes back that credit (by its key), if it is in this import. */
  private readonly recorded = new Map<ProposalLine, string>();
  private awaiting = 0;
  /** Entries booked as a whole batch before (key without its last part → payment id). */
  private readonly wholeBatches = new Map<string, string>();
  /** Entries booked as one transaction without details (key without its last part → payment id). */
  private readonly wholeEntries = new Map<string, string>();
  /** Lines of this import for an entry given without details, alone (its breakdown may be in another file). */
  private undetailed = 0;
  /** "reference, confidence 100" and the like, made once. */
  private readonly reasons = new Map<string, string>();
  /** Equal matches, one object (see `shared`). */
  private readonly matches = new Map<string, Match[]>();
  /**
   * Entries of several transactions in the books (payments.csv, bank-review.csv), by entry
   * key: the CHF of those transactions in all, and the kinds of their identities. A file may
   * give an entry's transactions their own bank references (…|r:T1) where another gives none
   * (…|#1): the same transactions, under other identities.
   */
  private bookedEntries: Map<string, { chf: Cents; kinds: Set<Kind> }> | undefined;
  /** Lines of this import of an entry of several, by entry key (see `finish`). */
  private readonly several = new Map<string, ProposalLine[]>();

  constructor(
    private readonly ctx: MatchContext,
    private readonly known: Known,
    private readonly hash: (s: string) => string,
    /** Payment ids already used (the books'), and those this plan gives. */
    readonly takenIds: Set<string>,
  ) {
    for (const [k, id] of known.payments) {
      if (k.endsWith('|*')) this.wholeBatches.set(entryOf(k), id);
      else if (k.endsWith('|1')) this.wholeEntries.set(entryOf(k), id);
    }
  }

  /** An entry of several transactions in the books (undefined: none of it there). */
  private booked(entry: string): { chf: Cents; kinds: Set<Kind> } | undefined {
    if (this.bookedEntries === undefined) {
      const m = new Map<string, { chf: Cents; kinds: Set<Kind> }>();
      const add = (k: string, chf: Cents | undefined) => {
        const kind = kindOfKey(k);
        if (kind === undefined) return;
        const e = groupOf(entryOf(k), this.known.reviewReversals?.has(k) === true);
        const b = m.get(e) ?? { chf: 0n, kinds: new Set<Kind>() };
        b.chf += chf ?? 0n;
        b.kinds.add(kind);
        m.set(e, b);
      };
      for (const k of this.known.payments.keys()) add(k, this.known.amounts?.get(k));
      for (const k of this.known.review.keys()) add(k, this.known.reviewAmounts?.get(k));
      this.bookedEntries = m;
    }
    return this.bookedEntries.get(entry);
  }

  private note(s: BankStatementStream, severity: 'warning' | 'info', message: string): void {
    this.notes.push({ statement: s.name, severity, message });
  }

  /**
   * A line skipped as `other`, whose identity it has, received on another day: the same
   * booking has one value date in every file, so the bank may have given its reference to a
   * second transaction of the same amount (an instalment). It is still skipped (a date typed
   * again by hand in payments.csv would otherwise book a payment twice), but said, as a
   * warning on its statement and in its reason.
   */
  private otherDay(line: ProposalLine, statement: string, on: string | undefined, other: string): void {
    if (on === undefined || on === '' || on === line.received) return;
    const said = `but received on ${line.received}, there on ${on} (see the warning)`;
    line.reason = line.reason ? `${line.reason}; ${said}` : said;
    this.notes.push({
      statement,
      severity: 'warning',
      message: `entry ${line.entry}${line.tx ? ` transaction ${line.tx}` : ''} (CHF ${centsToString(line.chf)}, received ${line.received}) has the bank's identity of ${other}, received ${on} (${line.key}): skipped as the same transaction, though one booking has one date`,
      code: 'bank-reference',
      hint: 'if these are two transactions (a bank that gives a reference again), book this one by hand in payments.csv and tell the bank; if the date in the books was corrected by hand, nothing is to be done',
    });
  }


  /** Read and decide every entry of a statement (the reader's error for a damaged entry passes through). */
  statement(s: BankStatementStream): void {
    // A member of a ZIP left out: said, nothing else (`code`: a bank-file warning, not a balance).
    if (s.leftOut !== undefined) {
      this.notes.push({ statement: s.name, severity: 'warning', message: `not a bank statement (${s.leftOut}): left out`, code: 'bank-file', hint: 'nothing of it is read; if it holds payments, import them from the camt.053, camt.054 or MT940 file of the e-banking' });
      return;
    }
    // The statement's own notes come before those of its entries, but the balances can only
    // be checked once every entry has been read.
    const at = this.notes.length;
    let sum = s.opening?.amount ?? 0n;
    for (const e of s.entries) {
      if (e.status === 'BOOK') sum += signed(e);
      this.entry(e, s);
    }
    const entryNotes = this.notes.splice(at);
    // Opening + entries = closing (booked entries only).
    if (s.opening && s.closing) {
      if (sum !== s.closing.amount) this.note(s, 'warning', `opening balance ${centsToString(s.opening.amount)} + entries ${centsToString(sum - s.opening.amount)} = ${centsToString(sum)}, but the closing balance is ${centsToString(s.closing.amount)} (difference ${centsToString(s.closing.amount - sum)}): entries are missing or the file is damaged`);
      else this.note(s, 'info', `balances agree: ${centsToString(s.opening.amount)} + ${centsToString(sum - s.opening.amount)} = ${centsToString(s.closing.amount)}`);
    } else if (s.format === 'camt.054') this.note(s, 'info', 'a camt.054 carries no balances: nothing to check them against');
    else this.note(s, 'warning', `no ${s.opening ? 'closing' : 'opening'} balance: the entries could not be checked against the balances`);
    if (s.currency !== 'CHF') this.note(s, 'warning', `the account is in ${s.currency}: the ledger is kept in CHF, so no entry of this file is booked`);
    for (const n of entryNotes) this.notes.push(n);
  }

  private entry(e: BankEntry, s: BankStatementStream): void {
    const detailed = e.txs.length > 1 || e.txs[0]!.tx > 0;
    // What each was is not known (a 0.00 would be a guess, the entry's CHF given to the one
    // detailed would book the others' money to its payer): the entry is held whole, as a batch
    // without details, for its breakdown or the officer.
    const holdWhole = (why: string) => {
      this.note(s, 'warning', `entry ${e.index}: ${why}: held whole (CHF ${centsToString(e.amount)}) as a batch, awaiting its breakdown (a camt.054) or a decision in bank-review.csv`);
      const line = this.line(e, s, e.txs[0]!, e.amount);
      // (the entry's CHF, not what its first transaction was sent in)
      Object.assign(line, { tx: 0, amount: centsToString(e.amount), currency: s.currency, rate: '' });
      this.lines.push(this.decide(line, e, s, true));
    };
    // Details of part of a credit only: the bank counts more transactions than the file gives,
    // or its one transaction was less than the entry credited (the bank takes charges from a
    // transfer, it adds nothing to it).
    if (detailed && e.direction === 'CRDT' && !e.reversal) {
      if (e.count !== undefined && e.count > e.txs.length) return holdWhole(`the bank counts ${e.count} transactions, the file details ${e.txs.length}`);
      const one = e.txs.length === 1 ? e.txs[0]!.amount : undefined;
      if (one !== undefined && one < e.amount) return holdWhole(`its one transaction detailed is of ${centsToString(one)}, less than the entry`);
    }
    // Each transaction of several has its own direction when the file gives it (TxDtls/
    // CdtDbtInd): a debit among credits (a refund in a collective booking) is a debit, a credit
    // among debits a credit, and the entry's amount is their sum signed. (One alone is the
    // entry, whose CdtDbtInd tells its sign; so does a reversal's, whatever its transactions
    // repeat of the transfers they take back.)
    // (every transaction against its entry is a file at odds with itself: the entry's sign)
    const own = e.txs.length > 1 && !e.reversal && e.txs.some((t) => (t.direction ?? e.direction) === e.direction);
    const dirOf = (t: BankTx) => (own ? (t.direction ?? e.direction) : e.direction);
    const mixed = own && e.txs.some((t) => dirOf(t) !== e.direction);
    // Amounts per transaction: a single one gets the entry amount (what was credited).
    let credited: Cents[] | undefined;
    if (e.txs.length > 1) {
      credited = [];
      if (e.txs.some((t) => t.amount === undefined)) return holdWhole(`${e.txs.length} transactions, some without an amount`);
      else {
        const sum = e.txs.reduce<Cents>((a, t) => a + (dirOf(t) === e.direction ? t.amount! : -t.amount!), 0n);
        // (charges: taken from each transaction of an entry of one direction; in an entry of
        // both, taken from a credit and added to a debit)
        const netOf = (t: BankTx) => (mixed && dirOf(t) === 'DBIT' ? t.amount! + (t.charges ?? 0n) : t.amount! - (t.charges ?? 0n));
        const net = e.txs.reduce<Cents>((a, t) => a + (dirOf(t) === e.direction ? netOf(t) : -netOf(t)), 0n);
        if (sum === e.amount) for (const t of e.txs) credited.push(t.amount!);
        else if (net === e.amount) {
          for (const t of e.txs) credited.push(netOf(t));
          this.note(s, 'info', `entry ${e.index}: the bank's charges (${centsToString(sum - net)}) are taken from each transaction as the file gives them`);
        } else {
          for (const t of e.txs) credited.push(t.amount!);
          this.note(s, 'warning', `entry ${e.index}: its ${e.txs.length} transactions add up to ${centsToString(sum)}, the entry to ${centsToString(e.amount)}: the difference of ${centsToString(e.amount - sum)} (bank charges${e.charges !== undefined ? ` of ${centsToString(e.charges)} given` : ''}?) is booked to no State`);
        }
      }
    }
    if (e.count !== undefined && detailed && e.count !== e.txs.length) this.note(s, 'warning', `entry ${e.index}: the bank counts ${e.count} transactions, the file details ${e.txs.length}`);
    const batch = !detailed && (e.count ?? 1) > 1;
    // An entry of several transactions in the books under the other kind of identity (another
    // file gave every transaction its own bank reference, or none of them one): the same
    // entry, not booked again. (Only where each file gives one kind: a file that gives some
    // transactions their references and not others is compared key by key, as before.)
    const kind = e.txs.length > 1 ? entryKind(e.txs) : undefined;
    // (a reversal may repeat the reference of the entry it takes back: compared with reversals only)
    const entryKey = kind !== undefined ? entryOf(e.txs[0]!.key) : undefined;
    const several = entryKey !== undefined ? groupOf(entryKey, e.reversal) : undefined;
    const inBooks = several !== undefined ? this.booked(several) : undefined;
    const other = inBooks !== undefined && inBooks.kinds.size === 1 && !inBooks.kinds.has(kind!);
    if (other) {
      const here = credited!.reduce((a, c) => a + c, 0n);
      if (here !== inBooks.chf) this.note(s, 'warning', `entry ${e.index}: its transactions, CHF ${centsToString(here)} in all, are in the books under other identities (${entryKey}|…), CHF ${centsToString(inBooks.chf)} in all: not booked again; compare the two files with the e-banking`);
    }
    for (let i = 0; i < e.txs.length; i++) {
      const t = e.txs[i]!;
      const line = this.line(e, s, t, credited ? credited[i]! : e.amount);
      if (mixed) line.direction = dirOf(t);
      if (e.txs.length === 1 && t.amount !== undefined && t.amount !== e.amount && e.direction === 'CRDT') line.reason = `the payer's transfer was ${centsToString(t.amount)}; the bank credited ${centsToString(e.amount)} (charges ${centsToString(t.amount - e.amount)})`;
      if (other) {
        this.lines.push(fate(line, 'skip', `its entry is in the books under other identities of its transactions (${entryKey}|…: with their own bank references in one file, by their position in the other)`));
        continue;
      }
      const decided = this.decide(line, e, s, batch);
      this.lines.push(decided);
      // (every line of the entry, those skipped as the same as another file's too: see `finish`)
      if (several !== undefined) {
        const list = this.several.get(several);
        if (list) list.push(decided);
        else this.several.set(several, [decided]);
      }
    }
  }

  /** The line of transaction t of entry e, credited chf. */
  private line(e: BankEntry, s: BankStatementStream, t: BankTx, chf: Cents): ProposalLine {
    const foreign = t.instructed !== undefined && t.instructed.currency !== s.currency;
    // Every field in one fixed order: a hundred thousand lines share one object shape.
    return {
      key: t.key,
      statement: s.name,
      sha256: s.sha256,
      format: s.format,
      entry: e.index,
      tx: t.tx,
      bankRef: t.txRef || e.ref,
      received: e.value,
      direction: e.direction,
      reversal: e.reversal,
      chf,
      amount: foreign ? t.instructed!.amount : centsToString(chf),
      currency: foreign ? t.instructed!.currency : s.currency,
      rate: foreign ? (t.instructed!.rate ?? '') : '',
      debtor: t.debtor,
      endToEndId: t.endToEndId,
      reference: t.reference,
      text: t.text,
      match: undefined,
      fate: 'book',
      reason: '',
      paymentId: undefined,
      purpose: undefined,
    };
  }

  private decide(line: ProposalLine, e: BankEntry, s: BankStatementStream, batch: boolean): ProposalLine {
    const known = this.known;
    if (s.currency !== 'CHF') return fate(line, 'ignore', `account in ${s.currency}, not CHF`);
    if (e.status !== 'BOOK') return fate(line, 'ignore', `status ${e.status}, not booked: import the file again once the bank has booked it`);
    // Money out is never held as a batch of credits (a row of bank-review.csv that could be
    // completed and booked as one): a debit is listed, a debit given back ignored, and a batch
    // of reversals is held as one ("the reversal …", which bank-review.csv never books).
    // (the line's direction: the entry's, or its transaction's own among several)
    if (line.direction === 'DBIT' && !e.reversal) return fate(line, 'debit', 'a debit: money paid out, not a contribution');
    if (line.direction === 'CRDT' && e.reversal) return fate(line, 'ignore', 'the reversal of a debit: money back, not a contribution');
    if (batch) {
      line.key = [entryOf(line.key), '*'].join('|');
      if (known.entries.has(entryOf(line.key))) return fate(line, 'skip', 'a batch whose transactions are already booked from its breakdown (camt.054)');
      if (known.review.has(line.key)) return fate(line, 'skip', 'already in bank-review.csv, awaiting its breakdown');
      // (a batch of reversals an older finproc listed under its credit's key, …|X|*)
      if (e.reversal && known.review.has(olderKey(line.key))) return fate(line, 'skip', 'already in bank-review.csv, awaiting its breakdown (listed by an older finproc)');
      // (its transactions in the review, or the entry given whole: listed twice, the officer could book its CHF twice)
      if (known.reviewEntries?.has(entryOf(line.key))) return fate(line, 'skip', 'its breakdown (camt.054) is in bank-review.csv');
      if (known.review.has(`${entryOf(line.key)}|1`)) return fate(line, 'skip', 'its entry is in bank-review.csv, given whole');
      // (the same batch held whole by two files of this import: one row)
      const twin = this.seen.get(line.key);
      if (twin) return fate(line, 'skip', `the same batch as ${twin.statement} entry ${twin.entry}`);
      this.seen.set(line.key, line);
      this.awaiting++;
      const what = `a batch of ${e.count ?? e.txs.length} transactions ${e.txs.length > 1 || e.txs[0]!.tx > 0 ? 'not all detailed with their amounts' : 'without details'}`;
      return fate(line, 'await', e.direction === 'DBIT' ? `the reversal of ${what} (money taken back, never a contribution): import the camt.054 that breaks it down` : `${what}: import the camt.054 that breaks it down`);
    }
    // A credit of 0.00 (a notice, a rejected transfer): nothing to book, and the ledger refuses a payment of zero.
    if (line.direction === 'CRDT' && line.chf === 0n) return fate(line, 'ignore', 'a credit of 0.00: nothing to book');
    const id = known.payments.get(line.key);
    if (id !== undefined) {
      // (payments.csv holds credits only)
      const booked = known.amounts?.get(line.key);
      if (line.direction === 'DBIT' || otherChf(line, booked)) this.conflict(line, s, `payment ${id} of payments.csv${booked !== undefined ? `, a credit of CHF ${centsToString(booked)}` : ''}`, true);
      else this.otherDay(line, s.name, known.dates?.get(line.key), `payment ${id} of payments.csv`);
      return fate(line, 'skip', `already booked as ${id}`);
    }
    const whole = this.wholeBatches.size > 0 ? this.wholeBatches.get(entryOf(line.key)) : undefined;
    if (whole !== undefined) return fate(line, 'skip', `its batch was booked as a whole as ${whole}`);
    // An entry is booked once, from its details or as one transaction without them, whichever
    // came first: the camt.053 that gives it whole and the camt.054 that breaks it down.
    if (!line.key.endsWith('|1')) {
      const one = this.wholeEntries.get(entryOf(line.key));
      if (one !== undefined) return fate(line, 'skip', `its entry was booked whole, without details, as ${one}`);
    } else if (line.tx === 0 && known.entries.has(entryOf(line.key))) return fate(line, 'skip', 'its entry is already booked from its breakdown (camt.054)');
    else if (line.tx === 0 && known.reviewEntries?.has(entryOf(line.key))) return fate(line, 'skip', 'its breakdown (camt.054) is in bank-review.csv');
    // (an entry marked "not a contribution" given whole, or taken back whole by a reversal: its breakdown is neither)
    // (the row of that entry's credit, not of a reversal that repeats its reference)
    const dismissedWhole = (k: string) => known.review.get(k) === 'dismissed' && known.reviewReversals?.has(k) !== true;
    if (!line.key.endsWith('|1') && !e.reversal && (dismissedWhole(`${entryOf(line.key)}|1`) || dismissedWhole(`${entryOf(line.key)}|*`))) return fate(line, 'skip', 'its entry, given whole, is marked "not a contribution" in bank-review.csv');
    // (an entry held whole in the review, awaiting its breakdown, given whole again: listed once)
    if (line.key.endsWith('|1') && known.review.has(`${entryOf(line.key)}|*`)) return fate(line, 'skip', 'its entry is held whole in bank-review.csv, awaiting its breakdown or a decision');
    // (a reversal an older finproc listed under its credit's key: its row is this reversal's)
    const r = known.review.get(line.key) ?? (e.reversal ? known.review.get(olderKey(line.key)) : undefined);
    if (r !== undefined) {
      const listed = known.reviewAmounts?.get(line.key);
      if (line.direction === 'CRDT' && otherChf(line, listed)) this.conflict(line, s, `the row of bank-review.csv for CHF ${centsToString(listed!)}`, true);
      else this.otherDay(line, s.name, known.reviewDates?.get(line.key), 'a row of bank-review.csv');
      // (a reversal recorded so, with its credit: if the credit's row was deleted, the
      // credit, coming again in this file, is still taken back)
      const credit = r === 'dismissed' && e.reversal ? known.reversalOf?.get(line.key) : undefined;
      if (credit !== undefined && !known.payments.has(credit) && !known.review.has(credit)) {
        this.reversals.push(line);
        this.recorded.set(line, credit);
      }
      return fate(line, 'skip', r === 'dismissed' ? 'marked "not a contribution" in bank-review.csv' : 'already in bank-review.csv, awaiting review');
    }
    const twin = this.seen.get(line.key);
    if (twin) {
      const named = (l: ProposalLine) => `${l.statement} entry ${l.entry}${l.tx ? ` transaction ${l.tx}` : ''}`;
      const conflicting = twin.direction !== line.direction || otherChf(line, twin.chf);
      if (conflicting) this.conflict(line, s, `${named(twin)}, a ${twin.direction === 'CRDT' ? 'credit' : 'debit'} of CHF ${centsToString(twin.chf)}`, false);
      // The same transaction in two files of this import (a camt.053 and the camt.054 of one
      // booking): the first with details is kept, whatever the order of the files; another
      // date is said of the one skipped.
      if (line.tx > 0 && twin.tx === 0 && twin.fate !== 'skip') {
        Object.assign(twin, { fate: 'skip', reason: `the same transaction as ${line.statement} entry ${line.entry}, which has its details` });
        if (!conflicting) this.otherDay(twin, twin.statement, line.received, named(line));
        this.seen.set(line.key, line);
      } else {
        if (!conflicting) this.otherDay(line, s.name, twin.received, named(twin));
        return fate(line, 'skip', `the same transaction as ${named(twin)}`);
      }
    } else this.seen.set(line.key, line);
    if (line.tx === 0 && line.key.endsWith('|1')) this.undetailed++;
    if (line.direction === 'DBIT') {
      // A credit taken back: find it in this import (same account, amount and a reference, payer or EndToEndId in common).
      this.reversals.push(line);
      return fate(line, 'review', 'the reversal of a credit that is not in this import: if that credit was booked, correct it by hand (docs/bank.md, "Reversals")');
    }
    const m = matchTx(this.ctx, { chf: line.chf, reference: line.reference, referenceType: '', text: line.text, debtor: line.debtor });
    // Kept by the line, and the same for many lines (every payment of an invoice by its
    // reference): one Match object for all the lines with the same one, read-only.
    line.match = this.shared(m);
    if (m.iso3 && m.confidence >= AUTO) {
      const inv = m.invoice ? this.ctx.invoices.get(m.invoice) : undefined;
      line.purpose = inv?.purpose ?? 'isu';
      return fate(line, 'book', this.reason(m.how, m.confidence, ''));
    }
    return fate(line, 'review', m.iso3 ? this.reason(m.how, m.confidence, `: below ${AUTO}, to be confirmed`) : 'no match');
  }

  /** Line has the identity of another transaction (of the books, or of this import). */
  private conflict(line: ProposalLine, s: BankStatementStream, other: string, books: boolean): void {
    const what = `${line.direction === 'CRDT' ? 'a credit' : line.reversal ? 'a reversal' : 'a debit'} of CHF ${centsToString(line.chf)}`;
    const hint = books
      ? 'if payments.csv or bank-review.csv was corrected by hand, this file no longer matches it: compare the two; if the bank gave one reference to two transactions, book this one by hand and ask the bank'
      : 'the file is damaged or was edited: download it again from the e-banking; if it is as the bank sent it, ask the bank which transaction is meant';
    // At the bank reference that makes the identity: the transaction's when the key has it (r:…), else the entry's.
    const tail = line.key.slice(line.key.lastIndexOf('|') + 1);
    const where = this.conflicts.length < PLACED_CONFLICTS ? s.where?.(line.entry, tail.startsWith('r:') ? `NtryDtls/TxDtls[${line.tx}]/Refs/AcctSvcrRef` : 'AcctSvcrRef') : undefined;
    this.conflicts.push({ statement: line.statement, message: `entry ${line.entry}${line.tx ? ` transaction ${line.tx}` : ''} (${what}) has the bank's identity of ${other} (${line.key}): two different transactions under one bank reference`, hint, ...(where ? { where } : {}) });
  }

  /** One object for equal matches (notes in an array of their own size, or one empty list). */
  private shared(m: Match): Match {
    // A few kept per invoice (or State): most lines of an invoice match it the same way.
    const k = m.invoice ?? m.iso3 ?? '';
    let list = this.matches.get(k);
    if (list) {
      for (const c of list) if (c.iso3 === m.iso3 && c.invoice === m.invoice && c.how === m.how && c.confidence === m.confidence && c.notes.length === m.notes.length && c.notes.every((n, i) => n === m.notes[i])) return c;
    } else this.matches.set(k, (list = []));
    m.notes = m.notes.length > 0 ? m.notes.slice() : NO_NOTES;
    if (list.length < 8) list.push(m);
    return m;
  }

  private reason(how: MatchHow, confidence: number, tail: string): string {
    const k = `${how}|${confidence}|${tail}`;
    let r = this.reasons.get(k);
    if (r === undefined) this.reasons.set(k, (r = `${how}, confidence ${confidence}${tail}`));
    return r;
  }

  /** What needs every line: batches broken down in this import, reversals, payment ids. */
  finish(): Proposal {
    const lines = this.lines;
    // A batch without details whose breakdown (a camt.054) is in this import too; and an
    // entry given whole without details, alone, whose breakdown into several is.
    if (this.awaiting > 0 || this.undetailed > 0) {
      // (by entry: its first line with details; for an entry given alone, one of several)
      const detailed = new Map<string, ProposalLine>();
      const several = new Map<string, ProposalLine>();
      for (const l of lines) {
        if (l.fate === 'await' || l.key.endsWith('|*')) continue;
        const k = entryOf(l.key);
        if (!detailed.has(k)) detailed.set(k, l);
        if (!l.key.endsWith('|1') && l.fate !== 'skip' && !several.has(k)) several.set(k, l);
      }
      for (const l of lines) {
        const d = l.fate === 'await' ? detailed.get(entryOf(l.key)) : l.tx === 0 && l.key.endsWith('|1') && l.fate !== 'skip' ? several.get(entryOf(l.key)) : undefined;
        if (d) Object.assign(l, { fate: 'skip', reason: `broken down by ${d.statement} entry ${d.entry} in this import` });
      }
    }

    // An entry of several transactions given by two files of this import, one giving every
    // transaction its own bank reference, the other none (each file its lines, those skipped
    // as another's twin too): booked from the file with the references (of several, the one
    // of the smallest SHA-256 and name), whatever the order; the other's skipped, their
    // totals compared. Files that give the same kind are compared key by key, as before.
    for (const lines of this.several.values()) {
      const entry = entryOf(lines[0]!.key);
      // (a file: its SHA-256 and name, a ZIP's members having one SHA-256 and their own names)
      const fileOf = (l: ProposalLine) => `${l.sha256}|${l.statement}`;
      if (lines.every((l) => fileOf(l) === fileOf(lines[0]!))) continue;
      const files = new Map<string, ProposalLine[]>();
      for (const l of lines) {
        const list = files.get(fileOf(l));
        if (list) list.push(l);
        else files.set(fileOf(l), [l]);
      }
      const ordered = [...files.keys()].sort(cmp).map((f) => files.get(f)!);
      const withRefs = ordered.find((ls) => entryKind(ls) === 'r');
      if (!withRefs) continue;
      const kept = withRefs[0]!;
      const sum = (xs: ProposalLine[]) => xs.reduce((a, l) => a + l.chf, 0n);
      for (const ls of ordered) {
        if (entryKind(ls) !== '#') continue;
        if (sum(ls) !== sum(withRefs)) this.notes.push({ statement: ls[0]!.statement, severity: 'warning', message: `entry ${ls[0]!.entry}: its transactions, CHF ${centsToString(sum(ls))} in all, are those of ${kept.statement} entry ${kept.entry} under other identities (${entry}|…), CHF ${centsToString(sum(withRefs))} in all: booked from that file; compare the two with the e-banking` });
        for (const l of ls) if (l.fate !== 'skip') Object.assign(l, { fate: 'skip', reason: `the same entry as ${kept.statement} entry ${kept.entry}, whose transactions have their own bank references` });
      }
    }

    // A credit taken back: found anywhere in this import (same account and amount, and a
    // reference, payer, text or EndToEndId in common), the earliest first.
    if (this.reversals.length > 0) {
      const accountOf = (l: ProposalLine) => l.key.split('|', 1)[0]!;
      const credits = new Map<string, ProposalLine[]>();
      for (const o of lines) {
        if (o.direction !== 'CRDT' || o.reversal) continue;
        const k = `${accountOf(o)}|${o.chf}`;
        const l = credits.get(k);
        if (l) l.push(o);
        else credits.set(k, [o]);
      }
      // (in the order of their dates and identities, not of the files: the same pairs whatever the order of the import)
      const byDay = (a: ProposalLine, b: ProposalLine) => cmp(a.received, b.received) || cmp(a.key, b.key);
      for (const r of [...this.reversals].sort(byDay)) {
        // (a reversal skipped as the same as another of this import, its twin with details, pairs nothing: the twin does)
        const recorded = this.recorded.get(r);
        if (r.fate !== 'review' && recorded === undefined) continue;
        // The credit that has the most in common with it (EndToEndId, then reference, payer,
        // text), received no later. Of several alike, one is taken only when taking any other
        // would come to the same (same State, invoice and fate): the earliest, then the
        // smallest identity. Otherwise which was taken back is not guessed: the reversal
        // stays for review, naming them.
        let best: ProposalLine[] = [];
        let top = 0;
        for (const o of credits.get(`${accountOf(r)}|${r.chf}`) ?? []) {
          if ((o.fate !== 'book' && o.fate !== 'review') || o.received > r.received || (recorded !== undefined && o.key !== recorded)) continue;
          const k = inCommon(o, r);
          if (k === 0 || k < top) continue;
          if (k > top) best = [];
          top = k;
          best.push(o);
        }
        if (best.length === 0) continue;
        const same = (a: ProposalLine, b: ProposalLine) => a.fate === b.fate && a.match?.iso3 === b.match?.iso3 && a.match?.invoice === b.match?.invoice;
        if (!best.every((o) => same(o, best[0]!))) {
          if (recorded !== undefined) continue;
          const named = best.sort(byDay).map((o) => `${o.statement} entry ${o.entry}${o.tx ? ` transaction ${o.tx}` : ''} (${o.match?.iso3 ?? 'no State'})`);
          r.reason = `the reversal of a credit of this import, but it could be ${named.join(' or ')}, equally alike: which is not guessed (booked or listed as they are); correct the one it takes back by hand (docs/bank.md, "Reversals")`;
          continue;
        }
        const orig = best.sort(byDay)[0]!;
        Object.assign(orig, { fate: 'reversed', reason: `reversed by ${r.statement} entry ${r.entry}` });
        if (recorded !== undefined) continue; // (its row is there already)
        // ("the reversal …": as bank-review.csv tells a reversal, which is never booked as a
        // credit; ending with the credit's key, which a later import reads: see `recorded`)
        Object.assign(r, { fate: 'reversed', reason: `the reversal of ${orig.statement} entry ${orig.entry}${orig.tx ? ` transaction ${orig.tx}` : ''} (${orig.key})` });
      }
    }

    assignPaymentIds(lines.filter((l) => l.fate === 'book'), this.hash, this.takenIds);
    // What only the planning needed is let go (the lines stay with the proposal).
    this.seen.clear();
    this.several.clear();
    this.reasons.clear();
    this.matches.clear();
    return { lines, notes: this.notes };
  }
}

/**
 * Whether `chf`, of another transaction with the line's identity, tells them apart: only for
 * a transaction alone in its entry (key …|1), whose CHF is the entry's in every file; that of
 * one of several depends on how a file shares out the bank's charges.
 */
function otherChf(line: ProposalLine, chf: Cents | undefined): boolean {
  return chf !== undefined && chf !== line.chf && line.key.endsWith('|1');
}

const NO_NOTES: string[] = Object.freeze([]) as unknown as string[];

function fate(line: ProposalLine, f: Fate, reason: string): ProposalLine {
  line.fate = f;
  line.reason = line.reason ? `${reason}; ${line.reason}` : reason;
  return line;
}

/** What a credit and a reversal have in common, weighed: EndToEndId 8, structured reference 4, payer 2, text 1 (0: nothing). */
function inCommon(a: ProposalLine, b: ProposalLine): number {
  return (a.endToEndId !== '' && a.endToEndId === b.endToEndId ? 8 : 0) + (a.reference !== '' && a.reference === b.reference ? 4 : 0) + (a.debtor !== '' && normName(a.debtor) === normName(b.debtor) ? 2 : 0) + (a.text !== '' && a.text === b.text ? 1 : 0);
}
