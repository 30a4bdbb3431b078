/**
 * The fields of a camt entry (<Ntry>) read straight from the text: one pass over its tags
 * with a path, no object tree (src/io/bankfile.ts builds the BankEntry from these fields, as
 * it does from the tree of fast-xml-parser). Anything unusual — a comment, CDATA, a
 * processing instruction, mixed content, a tag that does not close, a batch detail or charge
 * record without content — gives undefined, and the entry is read through the tree instead.
 *
 * The rules are those of reading the tree (`readEntry` over the object fast-xml-parser
 * builds, which `simpleXml` mimics): a path follows the first of each repeated element; the
 * text of an element with child elements is ''; a value is trimmed, its entities decoded and
 * trimmed again. The well-formedness checks are simpleXml's, so that both give up on the same
 * fragments. test/bank.test.ts and test/bank-scan.property.test.ts compare both ways.
 */
import { compactRef } from '../core/bank.js';

/** A charge (Chrgs): its TtlChrgsAndTaxAmt, and the Amt of each Rcrd (or its own Amt without Rcrd). */
export interface ChargeFields {
  total: string;
  amounts: string[];
}

export interface TxFields {
  /** TxDtls/Amt, TxDtls/AmtDtls/TxAmt/Amt, and their currencies (Ccy) */
  amt: string;
  /** TxDtls/CdtDbtInd: the transaction's own direction, or '' */
  dir: string;
  txAmt: string;
  amtCcy: string;
  txAmtCcy: string;
  /** AmtDtls/InstdAmt present; its Amt, Ccy and rate; the rates of TxAmt and CntrValAmt. */
  inst: boolean;
  instAmt: string;
  instCcy: string;
  instRate: string;
  txAmtRate: string;
  cntrRate: string;
  txRef: string;
  e2e: string;
  /** The first structured reference that is not blank (compacted), and its type. */
  reference: string;
  referenceType: string;
  ustrd: string[];
  /** Strd/AddtlRmtInf, each */
  addtl: string[];
  addtlTx: string;
  dbtrPtyNm: string;
  dbtrNm: string;
  ultPtyNm: string;
  ultNm: string;
  charges: ChargeFields[];
}

export interface EntryFields {
  amt: string;
  ccy: string;
  dir: string;
  rvsl: string;
  stsCd: string;
  sts: string;
  bookDt: string;
  bookDtTm: string;
  valDt: string;
  valDtTm: string;
  ref: string;
  ntryRef: string;
  info: string;
  /** NtryDtls[0]/Btch/NbOfTxs */
  count: string;
  charges: ChargeFields[];
  txs: TxFields[];
}

/** Lists not yet given (shared, never added to: the scanner makes a list at its first item). */
const NONE: string[] = [];
const NO_CHARGES: ChargeFields[] = [];

export function newTxFields(): TxFields {
  return { amt: '', dir: '', txAmt: '', amtCcy: '', txAmtCcy: '', inst: false, instAmt: '', instCcy: '', instRate: '', txAmtRate: '', cntrRate: '', txRef: '', e2e: '', reference: '', referenceType: '', ustrd: NONE, addtl: NONE, addtlTx: '', dbtrPtyNm: '', dbtrNm: '', ultPtyNm: '', ultNm: '', charges: NO_CHARGES };
}

export function newEntryFields(): EntryFields {
  return { amt: '', ccy: '', dir: '', rvsl: '', stsCd: '', sts: '', bookDt: '', bookDtTm: '', valDt: '', valDtTm: '', ref: '', ntryRef: '', info: '', count: '', charges: NO_CHARGES, txs: [] };
}

const ENTITY: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
/** The XML entities of a text (as fast-xml-parser decodes them). */
export function decode(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(lt|gt|amp|quot|apos|#\d{1,7}|#x[0-9A-Fa-f]{1,6});/g, (m, e: string) => {
    if (e[0] !== '#') return ENTITY[e]!;
    const cp = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
  });
}

// The states: where an element is on the paths that are read. IGN: anywhere else.
const enum S {
  IGN,
  E,
  E_AMT,
  E_DIR,
  E_RVSL,
  E_STS,
  E_STS_CD,
  E_BOOK,
  E_BOOK_DT,
  E_BOOK_DTTM,
  E_VAL,
  E_VAL_DT,
  E_VAL_DTTM,
  E_REF,
  E_NTRYREF,
  E_INFO,
  DTLS1,
  DTLS2,
  BTCH,
  BTCH_NB,
  CHRGS,
  CH_TTL,
  CH_AMT,
  RCRD,
  RCRD_AMT,
  TX,
  TX_AMT,
  TX_DIR,
  AMTDTLS,
  TXAMT,
  TXAMT_AMT,
  TXAMT_X,
  TXAMT_RATE,
  INSTD,
  INSTD_AMT,
  INSTD_X,
  INSTD_RATE,
  CNTR,
  CNTR_X,
  CNTR_RATE,
  REFS,
  REFS_REF,
  REFS_E2E,
  RMT,
  USTRD,
  STRD,
  CDTR,
  CDTR_REF,
  CDTR_TP,
  CDTR_CP,
  CDTR_CD,
  CDTR_PRTRY,
  ADDTLRMT,
  TX_ADDTL,
  RLTD,
  DBTR,
  DBTR_PTY,
  DBTR_PTY_NM,
  DBTR_NM,
  ULT,
  ULT_PTY,
  ULT_PTY_NM,
  ULT_NM,
}

/**
 * Per state, its children that are read: name, state of the first, state of the others
 * (IGN: only the first is read, as a path of fast-xml-parser's objects takes the first).
 */
interface Child {
  name: string;
  /** Its length and first character (compared before the name). */
  len: number;
  c0: number;
  first: S;
  later: S;
}
const CHILDREN: (readonly Child[] | undefined)[] = [];
const child = (name: string, first: S, later: S): Child => ({ name, len: name.length, c0: name.charCodeAt(0), first, later });
const first = (name: string, s: S): Child => child(name, s, S.IGN);
const all = (name: string, s: S): Child => child(name, s, s);
CHILDREN[S.E] = [first('Amt', S.E_AMT), first('CdtDbtInd', S.E_DIR), first('RvslInd', S.E_RVSL), first('Sts', S.E_STS), first('BookgDt', S.E_BOOK), first('ValDt', S.E_VAL), first('AcctSvcrRef', S.E_REF), first('NtryRef', S.E_NTRYREF), first('AddtlNtryInf', S.E_INFO), all('Chrgs', S.CHRGS), child('NtryDtls', S.DTLS1, S.DTLS2)];
CHILDREN[S.E_STS] = [first('Cd', S.E_STS_CD)];
CHILDREN[S.E_BOOK] = [first('Dt', S.E_BOOK_DT), first('DtTm', S.E_BOOK_DTTM)];
CHILDREN[S.E_VAL] = [first('Dt', S.E_VAL_DT), first('DtTm', S.E_VAL_DTTM)];
CHILDREN[S.DTLS1] = [all('TxDtls', S.TX), first('Btch', S.BTCH)];
CHILDREN[S.DTLS2] = [all('TxDtls', S.TX)];
CHILDREN[S.BTCH] = [first('NbOfTxs', S.BTCH_NB)];
CHILDREN[S.CHRGS] = [first('TtlChrgsAndTaxAmt', S.CH_TTL), all('Rcrd', S.RCRD), first('Amt', S.CH_AMT)];
CHILDREN[S.RCRD] = [first('Amt', S.RCRD_AMT)];
CHILDREN[S.TX] = [first('Refs', S.REFS), first('Amt', S.TX_AMT), first('CdtDbtInd', S.TX_DIR), first('AmtDtls', S.AMTDTLS), first('RltdPties', S.RLTD), first('RmtInf', S.RMT), first('AddtlTxInf', S.TX_ADDTL), all('Chrgs', S.CHRGS)];
CHILDREN[S.AMTDTLS] = [first('InstdAmt', S.INSTD), first('TxAmt', S.TXAMT), first('CntrValAmt', S.CNTR)];
CHILDREN[S.TXAMT] = [first('Amt', S.TXAMT_AMT), first('CcyXchg', S.TXAMT_X)];
CHILDREN[S.TXAMT_X] = [first('XchgRate', S.TXAMT_RATE)];
CHILDREN[S.INSTD] = [first('Amt', S.INSTD_AMT), first('CcyXchg', S.INSTD_X)];
CHILDREN[S.INSTD_X] = [first('XchgRate', S.INSTD_RATE)];
CHILDREN[S.CNTR] = [first('CcyXchg', S.CNTR_X)];
CHILDREN[S.CNTR_X] = [first('XchgRate', S.CNTR_RATE)];
CHILDREN[S.REFS] = [first('AcctSvcrRef', S.REFS_REF), first('EndToEndId', S.REFS_E2E)];
CHILDREN[S.RMT] = [all('Ustrd', S.USTRD), all('Strd', S.STRD)];
CHILDREN[S.STRD] = [all('CdtrRefInf', S.CDTR), all('AddtlRmtInf', S.ADDTLRMT)];
CHILDREN[S.CDTR] = [first('Tp', S.CDTR_TP), first('Ref', S.CDTR_REF)];
CHILDREN[S.CDTR_TP] = [first('CdOrPrtry', S.CDTR_CP)];
CHILDREN[S.CDTR_CP] = [first('Cd', S.CDTR_CD), first('Prtry', S.CDTR_PRTRY)];
CHILDREN[S.RLTD] = [first('Dbtr', S.DBTR), first('UltmtDbtr', S.ULT)];
CHILDREN[S.DBTR] = [first('Pty', S.DBTR_PTY), first('Nm', S.DBTR_NM)];
CHILDREN[S.DBTR_PTY] = [first('Nm', S.DBTR_PTY_NM)];
CHILDREN[S.ULT] = [first('Pty', S.ULT_PTY), first('Nm', S.ULT_NM)];
CHILDREN[S.ULT_PTY] = [first('Nm', S.ULT_PTY_NM)];


// The open elements (reused: an entry is read in one call).
const MAX_DEPTH = 64;
const stState = new Int32Array(MAX_DEPTH);
const stRaw = new Int32Array(MAX_DEPTH);
const stRawLen = new Int32Array(MAX_DEPTH);
const stStart = new Int32Array(MAX_DEPTH);
const stKids = new Uint8Array(MAX_DEPTH);
const stSeen = new Int32Array(MAX_DEPTH);

const ATTR = /\s*([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')\s*/y;

/** Any character above the space between from and to (simpleXml's test for text). */
function nonBlank(s: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) if (s.charCodeAt(k) > 32) return true;
  return false;
}

const isWs = (c: number) => c === 32 || (c >= 9 && c <= 13);

/** The text between from and to as `txt` gives it: trimmed, entities decoded, trimmed. */
function value(s: string, from: number, to: number, amp = true): string {
  let a = from;
  let b = to;
  while (a < b && isWs(s.charCodeAt(a))) a++;
  while (b > a && isWs(s.charCodeAt(b - 1))) b--;
  let v = a === b ? '' : s.slice(a, b);
  // other white space (no-break space, line separator …): as String.prototype.trim
  if (a < b && (s.charCodeAt(a) >= 0xa0 || s.charCodeAt(b - 1) >= 0xa0)) v = v.trim();
  if (amp && v.includes('&')) v = decode(v).trim();
  return v.length >= COPY_MIN ? copy(v) : v;
}

/**
 * V8 keeps a longer substring as a view of the whole text (a sliced string: 13 characters
 * or more), which would keep the text of the file alive as long as any entry is: such a value
 * is copied.
 */
const COPY_MIN = 13;
export function copy(s: string): string {
  return (' ' + s).slice(1);
}

const NO_CHARGE: ChargeFields = { total: '', amounts: [] };

/** What is being read of one entry. */
class Scan {
  constructor(readonly f: EntryFields) {}
  tx: TxFields | undefined = undefined;
  charges: ChargeFields[] = NO_CHARGES;
  charge: ChargeFields = NO_CHARGE;
  chargeAmt = '';
  rcrds = 0;
  rcrdAmt = '';
  cdRef = '';
  cdCd = '';
  cdPrtry = '';
}

/**
 * The fields of the entry whose content (the text inside <Ntry>) is s[from, to), or
 * undefined when it is not plain elements, attributes in quotes, text and entities.
 */
export function scanEntry(s: string, from: number, to: number): EntryFields | undefined {
  const f = newEntryFields();
  const z = new Scan(f);
  let d = 0;
  stState[0] = S.E;
  stKids[0] = 1;
  stSeen[0] = 0;
  let i = from;
  // (String.prototype.indexOf and startsWith are calls that cost more than comparing the few
  // characters between two tags and of a name: both are done by hand where they are short.)
  for (;;) {
    let lt = i;
    /** An entity may be in the text before the '<' (false: there is none). */
    let amp = false;
    const near = to - i > 32 ? i + 32 : to;
    for (; lt < near; lt++) {
      const ch = s.charCodeAt(lt);
      if (ch === 60) break;
      if (ch === 38) amp = true;
    }
    if (lt === near && near < to) {
      lt = s.indexOf('<', near);
      if (lt < 0) lt = to;
      amp = true;
    }
    if (lt >= to) {
      if (nonBlank(s, i, to)) return undefined;
      break;
    }
    const c = lt + 1 < to ? s.charCodeAt(lt + 1) : -1;
    if (c === 47) {
      // </name>: the name of the element open, as written
      const rawLen = stRawLen[d]!;
      const gt = lt + 2 + rawLen;
      if (d < 1 || gt >= to || s.charCodeAt(gt) !== 62) return undefined;
      const raw = stRaw[d]!;
      for (let k = 0; k < rawLen; k++) if (s.charCodeAt(lt + 2 + k) !== s.charCodeAt(raw + k)) return undefined;
      let v = '';
      const leaf = stKids[d] === 0;
      if (!leaf) {
        if (nonBlank(s, i, lt)) return undefined;
      } else v = value(s, stStart[d]!, lt, amp);
      const st = stState[d]!;
      d--;
      i = gt + 1;
      if (st !== S.IGN && !close(z, st, v, leaf)) return undefined;
      continue;
    }
    if (c === 33 || c === 63) return undefined;
    // text before a child element: mixed content
    if (nonBlank(s, i, lt)) return undefined;
    // The name: first a child that is read, written without a prefix (the usual case), else
    // any name /^[A-Za-z_][\w.:-]*$/; then '>', '/>' or white space and attributes.
    const pst = stState[d]!;
    const kids = pst === S.IGN ? undefined : CHILDREN[pst];
    let st = S.IGN;
    let k = -1;
    if (kids !== undefined) {
      for (let j = 0; j < kids.length; j++) {
        const ch = kids[j]!;
        if (ch.c0 !== c) continue;
        const len = ch.len;
        // the character after the name first: Amt or AmtDtls, Cd or CdtDbtInd
        const q = s.charCodeAt(lt + 1 + len);
        if (!(q === 62 || q === 47 || q <= 32)) continue;
        let m = 1;
        while (m < len && s.charCodeAt(lt + 1 + m) === ch.name.charCodeAt(m)) m++;
        if (m === len) {
          k = lt + 1 + len;
          const bit = 1 << j;
          if (stSeen[d]! & bit) st = ch.later;
          else {
            stSeen[d] = stSeen[d]! | bit;
            st = ch.first;
          }
          break;
        }
      }
    }
    if (k < 0) {
      let local = lt + 1;
      k = lt + 1;
      let q = c;
      if (!((q >= 65 && q <= 90) || (q >= 97 && q <= 122) || q === 95)) return undefined;
      for (q = s.charCodeAt(++k); k < to; q = s.charCodeAt(++k)) {
        if ((q >= 65 && q <= 90) || (q >= 97 && q <= 122) || (q >= 48 && q <= 57) || q === 95 || q === 46 || q === 45) continue;
        if (q !== 58) break;
        if (local === lt + 1) local = k + 1;
      }
      if (k >= to) return undefined;
      const len = k - local;
      if (len === 9 && s.startsWith('__proto__', local)) return undefined;
      // a prefixed name: the child it names
      if (kids !== undefined && local !== lt + 1) {
        const c0 = s.charCodeAt(local);
        for (let j = 0; j < kids.length; j++) {
          const ch = kids[j]!;
          if (ch.len === len && ch.c0 === c0 && s.startsWith(ch.name, local)) {
            const bit = 1 << j;
            if (stSeen[d]! & bit) st = ch.later;
            else {
              stSeen[d] = stSeen[d]! | bit;
              st = ch.first;
            }
            break;
          }
        }
      }
    }
    const sp = k;
    const q = k < to ? s.charCodeAt(k) : -1;
    let gt: number;
    let self = false;
    let end: number;
    if (q === 62) gt = end = k;
    else if (q === 47 && k + 1 < to && s.charCodeAt(k + 1) === 62) {
      gt = k + 1;
      end = k;
      self = true;
    } else if (q <= 32 && q >= 0) {
      gt = s.indexOf('>', k);
      if (gt < 0 || gt >= to) return undefined;
      end = gt;
      self = s.charCodeAt(gt - 1) === 47;
      if (self) end--;
    } else return undefined;
    if (sp < end) {
      const ccy = attributes(s, sp, end);
      if (ccy === undefined) return undefined;
      if (st === S.E_AMT) f.ccy = ccy;
      else if (st === S.INSTD_AMT) z.tx!.instCcy = ccy;
      else if (st === S.TX_AMT) z.tx!.amtCcy = ccy;
      else if (st === S.TXAMT_AMT) z.tx!.txAmtCcy = ccy;
    }
    stKids[d] = 1;
    if (st !== S.IGN) open(z, st);
    if (self) {
      if (st !== S.IGN && !close(z, st, '', true)) return undefined;
    } else {
      if (++d >= MAX_DEPTH) return undefined;
      stState[d] = st;
      stRaw[d] = lt + 1;
      stRawLen[d] = sp - lt - 1;
      stStart[d] = gt + 1;
      stKids[d] = 0;
      stSeen[d] = 0;
    }
    i = gt + 1;
  }
  return d === 0 ? f : undefined;
}

/**
 * The attributes s[from, to) of a tag as simpleXml reads them (quotes in pairs, name =
 * "value" or 'value', xmlns left out): the value of Ccy ('' without), or undefined when they
 * are not plain attributes.
 */
function attributes(s: string, from: number, to: number): string | undefined {
  // the usual: ` Ccy="CHF"`
  if (to - from > 6 && s.charCodeAt(from) === 32 && s.charCodeAt(from + 1) === 67 && s.charCodeAt(from + 2) === 99 && s.charCodeAt(from + 3) === 121 && s.charCodeAt(from + 4) === 61 && s.charCodeAt(from + 5) === 34 && s.charCodeAt(to - 1) === 34) {
    let k = from + 6;
    while (k < to - 1) {
      const q = s.charCodeAt(k);
      if (q === 34 || q === 39) break;
      k++;
    }
    if (k === to - 1) return value(s, from + 6, to - 1);
  }
  let dq = 0;
  let sq = 0;
  for (let j = from; j < to; j++) {
    const ch = s.charCodeAt(j);
    if (ch === 34) dq++;
    else if (ch === 39) sq++;
  }
  if (dq % 2 !== 0 || sq % 2 !== 0) return undefined;
  const rest = s.slice(from, to);
  ATTR.lastIndex = 0;
  let a: RegExpExecArray | null;
  let used = 0;
  let ccy = '';
  while ((a = ATTR.exec(rest))) {
    used = ATTR.lastIndex;
    const an = a[1]!;
    if (an === 'xmlns' || an.startsWith('xmlns:')) continue;
    if (an === 'Ccy' || an.endsWith(':Ccy')) {
      const ac = an.indexOf(':');
      if (ac < 0 || an.slice(ac + 1) === 'Ccy') ccy = decode(a[2] ?? a[3] ?? '').trim();
    }
  }
  ATTR.lastIndex = 0;
  if (used !== rest.length && rest.trim() !== '') return undefined;
  return ccy;
}

function open(z: Scan, st: S): void {
  switch (st) {
    case S.TX:
      z.tx = newTxFields();
      z.f.txs.push(z.tx);
      break;
    case S.CHRGS:
      {
        const owner: { charges: ChargeFields[] } = z.tx ?? z.f;
        if (owner.charges === NO_CHARGES) owner.charges = [];
        z.charges = owner.charges;
      }
      z.charge = { total: '', amounts: [] };
      z.chargeAmt = '';
      z.rcrds = 0;
      break;
    case S.RCRD:
      z.rcrdAmt = '';
      break;
    case S.INSTD:
      z.tx!.inst = true;
      break;
    case S.CDTR:
      z.cdRef = '';
      z.cdCd = '';
      z.cdPrtry = '';
      break;
    default:
      break;
  }
}

/** An element closes with its text v ('' when it has children); false: read it through the tree. */
function close(z: Scan, st: S, v: string, leaf: boolean): boolean {
  switch (st) {
    case S.E_AMT:
      z.f.amt = v;
      break;
    case S.E_DIR:
      z.f.dir = v;
      break;
    case S.E_RVSL:
      z.f.rvsl = v;
      break;
    case S.E_STS:
      z.f.sts = v;
      break;
    case S.E_STS_CD:
      z.f.stsCd = v;
      break;
    case S.E_BOOK_DT:
      z.f.bookDt = v;
      break;
    case S.E_BOOK_DTTM:
      z.f.bookDtTm = v;
      break;
    case S.E_VAL_DT:
      z.f.valDt = v;
      break;
    case S.E_VAL_DTTM:
      z.f.valDtTm = v;
      break;
    case S.E_REF:
      z.f.ref = v;
      break;
    case S.E_NTRYREF:
      z.f.ntryRef = v;
      break;
    case S.E_INFO:
      z.f.info = v;
      break;
    case S.BTCH_NB:
      z.f.count = v;
      break;
    case S.CH_TTL:
      z.charge.total = v;
      break;
    case S.CH_AMT:
      z.chargeAmt = v;
      break;
    case S.RCRD_AMT:
      z.rcrdAmt = v;
      break;
    case S.RCRD:
      // a lone empty Rcrd is no Rcrd to fast-xml-parser's reader (arr of '')
      if (leaf) return false;
      z.rcrds++;
      z.charge.amounts.push(z.rcrdAmt);
      break;
    case S.CHRGS:
      if (z.rcrds === 0) z.charge.amounts.push(z.chargeAmt);
      z.charges.push(z.charge);
      break;
    case S.TX:
      // a lone empty TxDtls is no transaction (arr of ''), one of several is
      if (leaf) return false;
      z.tx = undefined;
      break;
    case S.TX_AMT:
      z.tx!.amt = v;
      break;
    case S.TX_DIR:
      z.tx!.dir = v;
      break;
    case S.TXAMT_AMT:
      z.tx!.txAmt = v;
      break;
    case S.TXAMT_RATE:
      z.tx!.txAmtRate = v;
      break;
    case S.INSTD_AMT:
      z.tx!.instAmt = v;
      break;
    case S.INSTD_RATE:
      z.tx!.instRate = v;
      break;
    case S.CNTR_RATE:
      z.tx!.cntrRate = v;
      break;
    case S.REFS_REF:
      z.tx!.txRef = v;
      break;
    case S.REFS_E2E:
      z.tx!.e2e = v;
      break;
    case S.USTRD:
      if (z.tx!.ustrd === NONE) z.tx!.ustrd = [v];
      else z.tx!.ustrd.push(v);
      break;
    case S.ADDTLRMT:
      if (z.tx!.addtl === NONE) z.tx!.addtl = [v];
      else z.tx!.addtl.push(v);
      break;
    case S.CDTR_REF:
      z.cdRef = v;
      break;
    case S.CDTR_CD:
      z.cdCd = v;
      break;
    case S.CDTR_PRTRY:
      z.cdPrtry = v;
      break;
    case S.CDTR:
      if (z.tx!.reference === '') {
        const r = compactRef(z.cdRef);
        if (r !== '') {
          z.tx!.reference = r;
          z.tx!.referenceType = z.cdCd || z.cdPrtry;
        }
      }
      break;
    case S.TX_ADDTL:
      z.tx!.addtlTx = v;
      break;
    case S.DBTR_PTY_NM:
      z.tx!.dbtrPtyNm = v;
      break;
    case S.DBTR_NM:
      z.tx!.dbtrNm = v;
      break;
    case S.ULT_PTY_NM:
      z.tx!.ultPtyNm = v;
      break;
    case S.ULT_NM:
      z.tx!.ultNm = v;
      break;
    default:
      break;
  }
  return true;
}

