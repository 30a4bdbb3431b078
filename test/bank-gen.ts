/**
 * Sample bank files for the tests, written from the ISO 20022 message definitions
 * (camt.053 BankToCustomerStatement, camt.054 BankToCustomerDebitCreditNotification) in
 * versions .001.02, .001.04 and .001.08, with the Swiss Payment Standards' usage: IBAN of
 * the account, OPBD/CLBD balances, AcctSvcrRef on the entry and the transaction, batch
 * bookings with NtryDtls/Btch/NbOfTxs, the creditor reference in RmtInf/Strd/CdtrRefInf
 * (SCOR for ISO 11649, Prtry QRR for the Swiss QR reference), instructed amount and
 * exchange rate in AmtDtls. Where the versions differ, each is written as its schema says:
 *   .001.02  Sts as text, Dbtr/Nm, the transaction amount only in AmtDtls/TxAmt
 *   .001.04  Sts as text, Dbtr/Nm, TxDtls/Amt and TxDtls/CdtDbtInd
 *   .001.08  Sts/Cd, Dbtr/Pty/Nm, TxDtls/Amt and TxDtls/CdtDbtInd
 */
export type Version = '02' | '04' | '08';
export const VERSIONS: Version[] = ['02', '04', '08'];

export interface GTx {
  ref?: string;
  /** TxDtls/CdtDbtInd when it is not the entry's (.001.04 and .001.08) */
  dir?: 'CRDT' | 'DBIT';
  e2e?: string;
  amount?: string;
  debtor?: string;
  ultimate?: string;
  scor?: string;
  qrr?: string;
  ustrd?: string;
  instd?: { amount: string; ccy: string; rate: string };
  charges?: string;
}

export interface GEntry {
  ref?: string;
  amount: string;
  dir: 'CRDT' | 'DBIT';
  rvsl?: boolean;
  status?: 'BOOK' | 'PDNG';
  date: string;
  value?: string;
  /** NtryDtls/Btch/NbOfTxs */
  count?: number;
  charges?: string;
  info?: string;
  txs: GTx[];
}

export interface GStmt {
  id: string;
  iban: string;
  date: string;
  opening?: string;
  closing?: string;
  entries: GEntry[];
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const amt = (a: string, ccy = 'CHF') => `<Amt Ccy="${ccy}">${a}</Amt>`;
const signOf = (a: string): [string, 'CRDT' | 'DBIT'] => (a.startsWith('-') ? [a.slice(1), 'DBIT'] : [a, 'CRDT']);

function party(v: Version, tag: string, name: string): string {
  return v === '08' ? `<${tag}><Pty><Nm>${esc(name)}</Nm></Pty></${tag}>` : `<${tag}><Nm>${esc(name)}</Nm></${tag}>`;
}

function charges(v: Version, a: string): string {
  if (v === '02') return `<Chrgs><Amt Ccy="CHF">${a}</Amt><CdtDbtInd>DBIT</CdtDbtInd></Chrgs>`;
  return `<Chrgs><TtlChrgsAndTaxAmt Ccy="CHF">${a}</TtlChrgsAndTaxAmt><Rcrd>${amt(a)}<CdtDbtInd>DBIT</CdtDbtInd></Rcrd></Chrgs>`;
}

function tx(v: Version, t: GTx, dir: string): string {
  const refs = `<Refs>${t.ref ? `<AcctSvcrRef>${esc(t.ref)}</AcctSvcrRef>` : ''}<EndToEndId>${esc(t.e2e ?? 'NOTPROVIDED')}</EndToEndId></Refs>`;
  const amount = t.amount && v !== '02' ? `${amt(t.amount)}<CdtDbtInd>${t.dir ?? dir}</CdtDbtInd>` : '';
  const ad: string[] = [];
  if (t.instd) ad.push(`<InstdAmt>${amt(t.instd.amount, t.instd.ccy)}<CcyXchg><SrcCcy>${t.instd.ccy}</SrcCcy><TrgtCcy>CHF</TrgtCcy><XchgRate>${t.instd.rate}</XchgRate></CcyXchg></InstdAmt>`);
  if (t.amount) ad.push(`<TxAmt>${amt(t.amount)}</TxAmt>`);
  const amtDtls = ad.length ? `<AmtDtls>${ad.join('')}</AmtDtls>` : '';
  const pties = t.debtor || t.ultimate ? `<RltdPties>${t.debtor ? party(v, 'Dbtr', t.debtor) : ''}${t.ultimate ? party(v, 'UltmtDbtr', t.ultimate) : ''}</RltdPties>` : '';
  const strd = t.scor
    ? `<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>${esc(t.scor)}</Ref></CdtrRefInf></Strd>`
    : t.qrr
      ? `<Strd><CdtrRefInf><Tp><CdOrPrtry><Prtry>QRR</Prtry></CdOrPrtry></Tp><Ref>${esc(t.qrr)}</Ref></CdtrRefInf></Strd>`
      : '';
  const rmt = t.ustrd || strd ? `<RmtInf>${t.ustrd ? `<Ustrd>${esc(t.ustrd)}</Ustrd>` : ''}${strd}</RmtInf>` : '';
  return `<TxDtls>${refs}${amount}${amtDtls}${t.charges ? charges(v, t.charges) : ''}${pties}${rmt}</TxDtls>`;
}

function entry(v: Version, e: GEntry): string {
  const sts = v === '08' ? `<Sts><Cd>${e.status ?? 'BOOK'}</Cd></Sts>` : `<Sts>${e.status ?? 'BOOK'}</Sts>`;
  const btch = e.count !== undefined ? `<Btch><NbOfTxs>${e.count}</NbOfTxs></Btch>` : '';
  const dtls = btch || e.txs.length ? `<NtryDtls>${btch}${e.txs.map((t) => tx(v, t, e.dir)).join('')}</NtryDtls>` : '';
  return `<Ntry>${amt(e.amount)}<CdtDbtInd>${e.dir}</CdtDbtInd>${e.rvsl ? '<RvslInd>true</RvslInd>' : ''}${sts}<BookgDt><Dt>${e.date}</Dt></BookgDt><ValDt><Dt>${e.value ?? e.date}</Dt></ValDt>${e.ref ? `<AcctSvcrRef>${esc(e.ref)}</AcctSvcrRef>` : ''}<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>${e.dir === 'CRDT' ? 'RCDT' : 'ICDT'}</Cd><SubFmlyCd>${e.count && e.count > 1 ? 'VCOM' : 'AUTT'}</SubFmlyCd></Fmly></Domn></BkTxCd>${e.charges ? charges(v, e.charges) : ''}${dtls}${e.info ? `<AddtlNtryInf>${esc(e.info)}</AddtlNtryInf>` : ''}</Ntry>`;
}

function balance(code: string, a: string, date: string): string {
  const [abs, dir] = signOf(a);
  return `<Bal><Tp><CdOrPrtry><Cd>${code}</Cd></CdOrPrtry></Tp>${amt(abs)}<CdtDbtInd>${dir}</CdtDbtInd><Dt><Dt>${date}</Dt></Dt></Bal>`;
}

export function camt(kind: '053' | '054', v: Version, s: GStmt): string {
  const ns = `urn:iso:std:iso:20022:tech:xsd:camt.${kind}.001.${v}`;
  const [root, item] = kind === '053' ? ['BkToCstmrStmt', 'Stmt'] : ['BkToCstmrDbtCdtNtfctn', 'Ntfctn'];
  const bals = kind === '053' ? `${s.opening !== undefined ? balance('OPBD', s.opening, s.date) : ''}${s.closing !== undefined ? balance('CLBD', s.closing, s.date) : ''}` : '';
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<Document xmlns="${ns}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`,
    `<${root}>`,
    `<GrpHdr><MsgId>${esc(s.id)}-MSG</MsgId><CreDtTm>${s.date}T18:00:00</CreDtTm></GrpHdr>`,
    `<${item}><Id>${esc(s.id)}</Id><ElctrncSeqNb>1</ElctrncSeqNb><CreDtTm>${s.date}T18:00:00</CreDtTm>`,
    `<Acct><Id><IBAN>${s.iban}</IBAN></Id><Ccy>CHF</Ccy><Ownr><Nm>GICHD - CCM Implementation Support Unit</Nm></Ownr></Acct>`,
    bals,
    ...s.entries.map((e) => entry(v, e)),
    `</${item}>`,
    `</${root}>`,
    '</Document>',
    '',
  ].join('\n');
}

/** The signed sum of the booked entries (for balances). */
export function entriesSum(entries: GEntry[]): bigint {
  let s = 0n;
  for (const e of entries) if ((e.status ?? 'BOOK') === 'BOOK') s += (e.dir === 'CRDT' ? 1n : -1n) * BigInt(e.amount.replace('.', ''));
  return s;
}

export function cents(c: bigint): string {
  const neg = c < 0n;
  const s = (neg ? -c : c).toString().padStart(3, '0');
  return `${neg ? '-' : ''}${s.slice(0, -2)}.${s.slice(-2)}`;
}

export const IBAN = 'CH9300762011623852957';
