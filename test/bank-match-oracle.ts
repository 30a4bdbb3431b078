/**
 * The matcher of src/core/bank.ts as it was before it was made faster (commit a225e89), kept
 * verbatim as the oracle of test/bank-match.property.test.ts and of the micro-benchmark in
 * bench/match.ts: the optimised matchTx must give the same Match objects, notes included.
 * Only the exports changed (`oldMatchContext`, `oldMatchTx`; the types are local), and mod97 is
 * the one of src/core/invoice.ts at that commit.
 */
import { centsToString, type Cents } from '../src/core/ledger.js';
import { cmp } from '../src/core/problem.js';

function mod97(s: string): bigint {
  let digits = '';
  for (const ch of s.toUpperCase()) {
    const c = ch.charCodeAt(0);
    if (c >= 48 && c <= 57) digits += ch;
    else if (c >= 65 && c <= 90) digits += String(c - 55);
    else throw new Error(`not alphanumeric: ${s}`);
  }
  return BigInt(digits) % 97n;
}

/** Any reference text in a canonical form: no spaces, upper case. */
function compactRef(s: string): string {
  return s.replace(/\s+/g, '').toUpperCase();
}

/** ISO 11649: RF, two check digits, 1 to 21 letters and digits, mod 97 = 1. */
function isRf(ref: string): boolean {
  if (!/^RF\d\d[A-Z0-9]{1,21}$/.test(ref)) return false;
  return mod97(`${ref.slice(4)}${ref.slice(0, 4)}`) === 1n;
}

const MOD10 = [0, 9, 4, 6, 8, 2, 7, 1, 3, 5];
/** Swiss QR reference (QRR): 27 digits, the last a check digit (mod 10, recursive). */
function isQrr(ref: string): boolean {
  if (!/^\d{27}$/.test(ref)) return false;
  let carry = 0;
  for (let i = 0; i < 26; i++) carry = MOD10[(carry + ref.charCodeAt(i) - 48) % 10]!;
  return (10 - carry) % 10 === ref.charCodeAt(26) - 48;
}


interface InvoiceInfo {
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

interface MatchContext {
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

type MatchHow = 'reference' | 'invoice number' | 'name and amount' | 'name' | 'amount' | 'reference typo' | 'none';

interface Match {
  iso3?: string;
  invoice?: string;
  how: MatchHow;
  /** 0–100; `AUTO` and above is booked by --apply, below it goes to review. */
  confidence: number;
  /** Why, in words (every rule that fired or failed). */
  notes: string[];
}

function invoiceGroups(s: string): string {
  return (s.toUpperCase().match(/[A-Z]+|\d+/g) ?? []).map((g) => (/^\d/.test(g) ? g.replace(/^0+(?=\d)/, '') : g)).join('|');
}

/** Lower case, no accents, letters and digits separated by single spaces. */
export function oldNormName(s: string): string {
  return ` ${s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()} `;
}

export function oldMatchContext(invoices: InvoiceInfo[], names: { name: string; iso3: string }[]): MatchContext {
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
    const name = oldNormName(n.name);
    if (name.trim().length < 4 || seen.has(`${name}|${n.iso3}`)) continue;
    seen.add(`${name}|${n.iso3}`);
    ctx.names.push({ name, iso3: n.iso3 });
  }
  ctx.names.sort((a, b) => b.name.length - a.name.length || cmp(a.name, b.name) || cmp(a.iso3, b.iso3));
  return ctx;
}

/** The transaction as the matcher sees it. */
interface MatchInput {
  chf: Cents;
  reference: string;
  referenceType: string;
  text: string;
  debtor: string;
}

const RF_IN_TEXT = /RF\s?\d\s?\d(?:\s?[A-Z0-9]){1,21}/g;
const QRR_IN_TEXT = /(?<!\d)(?:\d\s?){26}\d(?!\d)/g;

/** The States named in a text (a longer name hides the shorter names inside it: Guinea-Bissau, not Guinea). */
export function oldStatesNamed(ctx: MatchContext, text: string): string[] {
  // Payers' names repeat from one statement to the next: remember the answers (a bounded cache).
  let cache = namedCache.get(ctx);
  if (!cache) namedCache.set(ctx, (cache = new Map()));
  const known = cache.get(text);
  if (known) return known;
  const found = namesIn(ctx, text);
  if (cache.size >= 50_000) cache.clear();
  cache.set(text, found);
  return found;
}
const namedCache = new WeakMap<MatchContext, Map<string, string[]>>();

function namesIn(ctx: MatchContext, text: string): string[] {
  const t = oldNormName(text);
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
 * A match from 1 or 2 whose payer names another State drops to 70 (review).
 */
export function oldMatchTx(ctx: MatchContext, t: MatchInput): Match {
  const notes: string[] = [];
  const found = (number: string) => ctx.invoices.get(number)!;
  const done = (m: Omit<Match, 'notes'>): Match => {
    let { confidence } = m;
    if (m.iso3 && t.debtor !== '' && (m.how === 'reference' || m.how === 'invoice number')) {
      const named = oldStatesNamed(ctx, t.debtor);
      if (named.length > 0 && !named.includes(m.iso3)) {
        notes.push(`the payer "${t.debtor}" names ${named.join(', ')}, not ${m.iso3}`);
        confidence = Math.min(confidence, 70);
      }
    }
    if (m.invoice) {
      const inv = found(m.invoice);
      if (t.chf > inv.outstanding) notes.push(inv.outstanding === 0n ? `${m.invoice} is already paid: the payment becomes credit (or settles older years)` : `overpays ${m.invoice} (outstanding ${centsToString(inv.outstanding)}) by ${centsToString(t.chf - inv.outstanding)}: the rest settles older years or stays as credit`);
      else if (t.chf < inv.outstanding) notes.push(`pays ${m.invoice} in part (outstanding ${centsToString(inv.outstanding)})`);
    }
    return { ...m, confidence, notes };
  };

  // 1. References: the structured one, then any in the free text.
  const refs: { ref: string; structured: boolean }[] = [];
  if (t.reference !== '') refs.push({ ref: compactRef(t.reference), structured: true });
  const upper = t.text.toUpperCase();
  for (const m of upper.matchAll(RF_IN_TEXT)) {
    // The pattern may run on into the next word: the longest prefix that is a known or valid RF.
    const c = compactRef(m[0]);
    let pick = '';
    for (let n = c.length; n >= 5 && pick === ''; n--) if (ctx.byRf.has(c.slice(0, n))) pick = c.slice(0, n);
    for (let n = c.length; n >= 5 && pick === ''; n--) if (isRf(c.slice(0, n))) pick = c.slice(0, n);
    refs.push({ ref: pick || (/^RF\d\d[A-Z0-9]+/.exec(compactRef(m[0].split(/\s{2,}/)[0]!))?.[0] ?? c), structured: false });
  }
  for (const m of upper.matchAll(QRR_IN_TEXT)) refs.push({ ref: compactRef(m[0]), structured: false });
  const typos: string[] = [];
  for (const { ref, structured } of refs) {
    if (ref.startsWith('RF')) {
      if (!isRf(ref)) {
        notes.push(`${ref} is not a valid RF reference (check digits)`);
        typos.push(ref);
        continue;
      }
      const number = ctx.byRf.get(ref);
      if (number) return done({ iso3: found(number).iso3, invoice: number, how: 'reference', confidence: structured ? 100 : 95 });
      notes.push(`${ref} is a valid RF reference but no invoice of the books has it`);
    } else if (/^\d{27}$/.test(ref)) {
      if (!isQrr(ref)) {
        notes.push(`${ref} is not a valid QR reference (check digit)`);
        continue;
      }
      const number = ctx.byDigits.get(ref.slice(0, 26).replace(/^0+/, ''));
      if (number) return done({ iso3: found(number).iso3, invoice: number, how: 'reference', confidence: 95 });
      notes.push(`QR reference ${ref} names no invoice of the books`);
    } else if (structured) {
      // A structured reference that is neither: perhaps the invoice number itself.
      const number = ctx.byBody.get(ref.replace(/[^A-Z0-9]/g, ''));
      if (number) return done({ iso3: found(number).iso3, invoice: number, how: 'invoice number', confidence: 90 });
      notes.push(`reference "${ref}" is neither RF nor QRR`);
      typos.push(ref);
    }
  }

  // 2. Invoice numbers in the free text: windows of up to four words.
  // (an invoice number has digits: a text without any names none)
  const words = /\d/.test(upper) ? (upper.match(/[A-Z0-9]+/g) ?? []) : [];
  const numbers = new Set<string>();
  for (let i = 0; i < words.length; i++) {
    let body = '';
    const groups: string[] = [];
    for (let k = i; k < Math.min(words.length, i + 4); k++) {
      body += words[k];
      groups.push(invoiceGroups(words[k]!));
      const n = ctx.byBody.get(body) ?? ctx.byGroups.get(groups.join('|'));
      if (n) numbers.add(n);
      else if (k > i && body.length >= 6 && /[A-Z]/.test(body) && /\d/.test(body)) typos.push(body);
    }
    if (words[i]!.length >= 6 && /[A-Z]/.test(words[i]!) && /\d/.test(words[i]!)) typos.push(words[i]!);
  }
  if (numbers.size === 1) {
    const n = [...numbers][0]!;
    return done({ iso3: found(n).iso3, invoice: n, how: 'invoice number', confidence: 90 });
  }
  if (numbers.size > 1) {
    const states = new Set([...numbers].map((n) => found(n).iso3));
    const list = [...numbers].sort().join(', ');
    if (states.size === 1) {
      notes.push(`names ${numbers.size} invoices (${list}): booked without earmark, oldest first`);
      return done({ iso3: [...states][0]!, how: 'invoice number', confidence: 85 });
    }
    notes.push(`names invoices of several States (${list})`);
    return { how: 'none', confidence: 0, notes };
  }

  // 3. The State's name, with the amount of one of its open invoices.
  const named = oldStatesNamed(ctx, `${t.debtor} ${t.text}`);
  const byAmount = ctx.byOutstanding.get(t.chf) ?? [];
  if (named.length === 1) {
    const iso3 = named[0]!;
    const own = byAmount.filter((n) => found(n).iso3 === iso3);
    if (own.length === 1) {
      notes.push(`the amount is what ${own[0]} still owes`);
      return done({ iso3, invoice: own[0]!, how: 'name and amount', confidence: 85 });
    }
    notes.push(`the payer or the text names ${iso3}, but the amount is not what one of its invoices owes`);
    return done({ iso3, how: 'name', confidence: 60 });
  }
  if (named.length > 1) notes.push(`names several States (${named.join(', ')})`);

  // 4. An amount that only one open invoice owes.
  if (byAmount.length === 1) {
    notes.push(`the amount is what ${byAmount[0]} owes, and no other open invoice`);
    return done({ iso3: found(byAmount[0]!).iso3, invoice: byAmount[0]!, how: 'amount', confidence: 60 });
  }
  if (byAmount.length > 1) notes.push(`${byAmount.length} open invoices owe this amount`);

  // 5. One typo away from an RF or an invoice number.
  const near = new Set<string>();
  for (const ty of typos) {
    const isRfLike = ty.startsWith('RF');
    for (const inv of ctx.invoices.values()) {
      if (isRfLike ? editDistanceAtMostOne(ty, inv.rf) || editDistanceAtMostOne(ty.slice(4), inv.rf.slice(4)) : editDistanceAtMostOne(ty, inv.number.replace(/[^A-Za-z0-9]/g, '').toUpperCase())) near.add(inv.number);
    }
  }
  if (near.size === 1) {
    const n = [...near][0]!;
    notes.push(`one typo away from ${n} (${found(n).rf})`);
    return done({ iso3: found(n).iso3, invoice: n, how: 'reference typo', confidence: 50 });
  }
  if (near.size > 1) notes.push(`one typo away from several invoices (${[...near].sort().join(', ')})`);
  if (notes.length === 0) notes.push('no reference, invoice number, State name or amount that the books know');
  return { how: 'none', confidence: 0, notes };
}


export { compactRef as oldCompactRef, invoiceGroups as oldInvoiceGroups, isQrr as oldIsQrr, isRf as oldIsRf, mod97 as oldMod97 };

/**
 * The invoice numbers a text names, by rule 2 of the matcher above (its windows of up to four
 * words, whole or as groups), alone: for the rule added after it (a reference whose text names
 * another State's invoice, see test/bank-match.property.test.ts).
 */
export function oldNumbersIn(ctx: MatchContext, text: string): Set<string> {
  const upper = text.toUpperCase();
  const words = /\d/.test(upper) ? (upper.match(/[A-Z0-9]+/g) ?? []) : [];
  const numbers = new Set<string>();
  for (let i = 0; i < words.length; i++) {
    let body = '';
    const groups: string[] = [];
    for (let k = i; k < Math.min(words.length, i + 4); k++) {
      body += words[k];
      groups.push(invoiceGroups(words[k]!));
      const n = ctx.byBody.get(body) ?? ctx.byGroups.get(groups.join('|'));
      if (n) numbers.add(n);
    }
  }
  return numbers;
}

/** The invoices of the valid RF and QR references a text holds, as the matcher above resolves them (its rule 1 on the free text), all of them. */
export function oldRefsIn(ctx: MatchContext, text: string): Set<string> {
  const upper = text.toUpperCase();
  const out = new Set<string>();
  for (const m of upper.matchAll(RF_IN_TEXT)) {
    const c = compactRef(m[0]);
    let pick = '';
    for (let n = c.length; n >= 5 && pick === ''; n--) if (ctx.byRf.has(c.slice(0, n))) pick = c.slice(0, n);
    if (pick) out.add(ctx.byRf.get(pick)!);
  }
  for (const m of upper.matchAll(QRR_IN_TEXT)) {
    const ref = compactRef(m[0]);
    const number = /^\d{27}$/.test(ref) && isQrr(ref) ? ctx.byDigits.get(ref.slice(0, 26).replace(/^0+/, '')) : undefined;
    if (number) out.add(number);
  }
  return out;
}
