/**
 * Property: the scanner of camt entries (src/io/camt-entry.ts, the default way of reading
 * them) gives exactly what fast-xml-parser's tree gives (readCamt with `plain`), entries or
 * error, for generated entries: namespace prefixes, attributes in either quote style, the
 * XML entities, batches, charges in the .001.02 and .001.04+ shapes, InstdAmt, several Ustrd,
 * fields missing or repeated or empty, white space and new lines between tags, now and then a
 * comment or CDATA (read through the tree). Also: openBankFile reads the entries as they are
 * iterated, a damaged one throwing there what readBankFile throws.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BankFileError, openBankFile, readBankFile, readCamt, splitEntries } from '../src/io/bankfile.js';
import { scanEntry } from '../src/io/camt-entry.js';

let withRefs = false;

interface X {
  n: string;
  a?: [string, string][];
  c?: X[];
  t?: string;
  self?: boolean;
}
interface Style {
  prefix: string;
  ws: string;
  q: string;
}

function render(x: X, st: Style): string {
  const name = `${st.prefix}${x.n}`;
  const attrs = (x.a ?? []).map(([k, v]) => ` ${k}=${st.q}${v}${st.q}`).join('');
  if (x.c) return `<${name}${attrs}>${x.c.map((c) => st.ws + render(c, st)).join('')}${st.ws}</${name}>`;
  if ((x.t ?? '') === '' && x.self) return `<${name}${attrs}/>`;
  return `<${name}${attrs}>${x.t ?? ''}</${name}>`;
}

const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 3 });
const defined = <T>(xs: (T | undefined)[]): T[] => xs.filter((x): x is T => x !== undefined);
/** Text as written in the file: entities, white space, a character or two beyond ASCII. */
const TOKENS = ['a', 'Z', '7', '-', ' ', '  ', '\n', '&amp;', '&lt;', '&gt;', '&quot;', '&apos;', 'é', '\u00a0', 'ISU-2026-001', 'RF18 ISU 2026 001', '\t', "'", '"', '>'];
/**
 * Character references (&#65;) are decoded by simpleXml and the scanner, as XML has them, but
 * not by fast-xml-parser as finproc configures it (processEntities decodes the five named
 * entities only): with them, the scanner is compared with simpleXml's tree (the way of
 * reading entries before the scanner), without them with fast-xml-parser.
 */
const REFS = ['&#x41;', '&#65;', '&#32;', '&#xE9;', '&#1234567;'];
const text = fc.array(fc.constantFrom(...TOKENS, ...REFS), { maxLength: 6 }).map((a) => (withRefs ? a : a.filter((t) => !REFS.includes(t))).join(''));
const leaf = (n: string, t: fc.Arbitrary<string> = text): fc.Arbitrary<X> => fc.record({ t, self: fc.boolean() }).map(({ t, self }) => ({ n, t, self }));
const node = (n: string, kids: fc.Arbitrary<(X | undefined)[]>): fc.Arbitrary<X> => kids.map((c) => ({ n, c: defined(c) }));
const amountText = fc.constantFrom('1.00', '12.5', '0.10', '1000000.00', '3', ' 2.00 ', '\n4.50\n', '1.005', '1.000', 'x', '', '-1.00', '1,00');
const ccy = fc.constantFrom('CHF', 'EUR', ' CHF ', '', 'C&amp;F', '&#x43;HF').map((c) => (!withRefs && c.includes('&#') ? 'CHF' : c));
const extraAttr = fc.constantFrom<[string, string][]>([], [], [['xmlns:x', 'urn:x']], [['x:Ccy', 'USD']], [['Foo', '1']], [['Ccy', 'GBP']]);
const amt = (n = 'Amt'): fc.Arbitrary<X> =>
  fc.record({ t: amountText, c: ccy, extra: extraAttr, self: fc.boolean() }).map(({ t, c, extra, self }) => ({ n, t, self, a: [...(c !== '' ? ([['Ccy', c]] as [string, string][]) : []), ...extra] }));
const code = (n: string, values: string[]) => leaf(n, fc.constantFrom(...values));
const date = (n: string) => node(n, fc.tuple(opt(code('Dt', ['2026-03-02', ' 2026-03-03 ', '2026-02-30', '02.03.2026', ''])), opt(code('DtTm', ['2026-03-04T10:00:00', '2026-03-05', 'x']))));
const rate = (n: string) => node(n, fc.tuple(opt(leaf('SrcCcy')), opt(code('XchgRate', ['0.94', '1.0825', '']))));
/** .001.02: Chrgs/Amt; .001.04+: TtlChrgsAndTaxAmt and Rcrd/Amt. */
const charges: fc.Arbitrary<X> = fc.oneof(
  node('Chrgs', fc.tuple(amt(), opt(code('CdtDbtInd', ['DBIT'])))),
  node('Chrgs', fc.tuple(opt(amt('TtlChrgsAndTaxAmt')), fc.array(node('Rcrd', fc.tuple(opt(amt()), opt(code('CdtDbtInd', ['DBIT'])))), { maxLength: 3 }).map((r) => r as (X | undefined)[])).map(([t, r]) => [t, ...r])),
  leaf('Chrgs'),
);
const party = (n: string) => fc.oneof(node(n, fc.tuple(node('Pty', fc.tuple(opt(leaf('Nm')), opt(leaf('PstlAdr')))))), node(n, fc.tuple(opt(leaf('Nm')))), leaf(n));
const cdtrRefInf = node('CdtrRefInf', fc.tuple(opt(node('Tp', fc.tuple(node('CdOrPrtry', fc.tuple(opt(code('Cd', ['SCOR', ''])), opt(code('Prtry', ['QRR', 'ISR']))))))), opt(leaf('Ref', fc.oneof(text, fc.constantFrom('RF18ISU2026001', ' 21 00000 00003 13947 14300 09017 '))))));
const rmtInf = node('RmtInf', fc.tuple(fc.array(leaf('Ustrd'), { maxLength: 3 }), fc.array(node('Strd', fc.tuple(fc.array(cdtrRefInf, { maxLength: 2 }), fc.array(leaf('AddtlRmtInf'), { maxLength: 2 })).map(([c, a]) => [...c, ...a])), { maxLength: 2 })).map(([u, s]) => [...u, ...s]));
const amtDtls = node('AmtDtls', fc.tuple(opt(node('InstdAmt', fc.tuple(opt(amt()), opt(rate('CcyXchg'))))), opt(node('TxAmt', fc.tuple(opt(amt()), opt(rate('CcyXchg'))))), opt(node('CntrValAmt', fc.tuple(opt(amt()), opt(rate('CcyXchg')))))));
const txDtls = node(
  'TxDtls',
  fc.tuple(
    opt(node('Refs', fc.tuple(opt(leaf('AcctSvcrRef')), opt(code('EndToEndId', ['E2E-1', 'NOTPROVIDED', '', ' E&amp;2 ']))))),
    opt(amt()),
    opt(code('CdtDbtInd', ['CRDT', 'DBIT'])),
    opt(amtDtls),
    opt(charges),
    opt(node('RltdPties', fc.tuple(opt(party('Dbtr')), opt(party('UltmtDbtr')), opt(party('Cdtr'))))),
    opt(rmtInf),
    opt(rmtInf),
    opt(leaf('AddtlTxInf')),
  ),
);
const ntryDtls = node('NtryDtls', fc.tuple(opt(node('Btch', fc.tuple(opt(code('NbOfTxs', ['1', '2', '3', 'x', ' 2 ']))))), fc.array(txDtls, { maxLength: 3 })).map(([b, t]) => [b, ...t]));
const entry: fc.Arbitrary<X> = node(
  'Ntry',
  fc.tuple(
    fc.oneof(amt(), amt()),
    opt(amt()),
    code('CdtDbtInd', ['CRDT', 'CRDT', 'DBIT', ' DBIT ', 'X']),
    opt(code('RvslInd', ['true', 'false', 'TRUE', '1'])),
    fc.oneof(code('Sts', ['BOOK', 'PDNG', '']), node('Sts', fc.tuple(opt(code('Cd', ['BOOK', 'INFO']))))),
    date('BookgDt'),
    opt(date('ValDt')),
    opt(date('ValDt')),
    opt(leaf('AcctSvcrRef')),
    opt(node('BkTxCd', fc.tuple(node('Domn', fc.tuple(code('Cd', ['PMNT']), node('Fmly', fc.tuple(code('Cd', ['RCDT']), code('SubFmlyCd', ['AUTT'])))))))),
    opt(charges),
    opt(charges),
    opt(ntryDtls),
    opt(ntryDtls),
    opt(leaf('NtryRef')),
    opt(leaf('AddtlNtryInf')),
  ),
);
/** Now and then what the scanner leaves to the tree: a comment, CDATA, a lone empty TxDtls. */
const unusual = fc.constantFrom('', '', '', '', '', '', '<!-- a comment -->', '<X><![CDATA[a<b]]></X>', '<NtryDtls><TxDtls/></NtryDtls>', '<Chrgs><Rcrd/><Amt Ccy="CHF">1.00</Amt></Chrgs>', '<NtryDtls><TxDtls></TxDtls><TxDtls/></NtryDtls>');
const style = fc.record({ prefix: fc.constantFrom('', 'c:', 'camt:'), ws: fc.constantFrom('', '', '\n', '\n    ', ' ', '\r\n\t'), q: fc.constantFrom('"', "'") });
const entries = fc.array(fc.tuple(entry, unusual, fc.nat(40)), { minLength: 1, maxLength: 5 });

const NS = 'urn:iso:std:iso:20022:tech:xsd:camt.054.001.08';
function documentOf(contents: string[], st: Style, withCcy: boolean): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<Document xmlns="${NS}" xmlns:c="${NS}" xmlns:camt="${NS}"><BkToCstmrDbtCdtNtfctn><GrpHdr><MsgId>M</MsgId></GrpHdr><Ntfctn><Id>N</Id><Acct><Id><IBAN>CH9300762011623852957</IBAN></Id>${withCcy ? '<Ccy>CHF</Ccy>' : ''}</Acct>`,
    ...contents.map((c) => `<${st.prefix}Ntry>${c}</${st.prefix}Ntry>`),
    '</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>',
    '',
  ].join('\n');
}

/** The content of an entry (inside <Ntry>), the unusual piece put among its children. */
function contentOf(e: X, extra: string, at: number, st: Style): string {
  const kids = e.c!.map((c) => st.ws + render(c, st));
  if (extra !== '') kids.splice(at % (kids.length + 1), 0, extra);
  return kids.join('') + st.ws;
}

function outcome(f: () => unknown): unknown {
  try {
    return { ok: f() };
  } catch (e) {
    return { error: e instanceof BankFileError ? e.problem : String(e) };
  }
}

describe('the scanner of camt entries reads what fast-xml-parser reads', () => {
  let scanned = 0;
  let plain = 0;
  it('entries or error, the same both ways, for generated entries', () => {
    fc.assert(
      fc.property(entries, style, fc.boolean(), (es, st, withCcy) => {
        const contents = es.map(([e, extra, at]) => contentOf(e, extra, at, st));
        for (const [k, c] of contents.entries())
          if (es[k]![1] === '') {
            plain++;
            if (scanEntry(c, 0, c.length)) scanned++;
          }
        const xml = documentOf(contents, st, withCcy);
        expect(outcome(() => readCamt('f.xml', 'h', xml))).toEqual(outcome(() => readCamt('f.xml', 'h', xml, { plain: true })));
      }),
      { numRuns: 400, seed: 20261204 },
    );
    // the scanner itself read most of them (not the tree it falls back to)
    expect(scanned).toBeGreaterThan(plain * 0.8);
  }, 120_000);

  it('with character references: the same as simpleXml\'s tree', () => {
    withRefs = true;
    try {
      fc.assert(
        fc.property(entries, style, fc.boolean(), (es, st, withCcy) => {
          const xml = documentOf(es.map(([e, extra, at]) => contentOf(e, extra, at, st)), st, withCcy);
          expect(outcome(() => readCamt('f.xml', 'h', xml))).toEqual(outcome(() => readCamt('f.xml', 'h', xml, { tree: true })));
        }),
        { numRuns: 300, seed: 20261206 },
      );
    } finally {
      withRefs = false;
    }
  }, 120_000);

  it('a large file (its entries found in the text) reads the same both ways', () => {
    fc.assert(
      fc.property(entries, style, (es, st) => {
        const contents = es.map(([e, extra, at]) => contentOf(e, extra.startsWith('<!--') || extra.includes('CDATA') ? '' : extra, at, st));
        const many: string[] = [];
        for (let size = 0; size < 1.1 * 2 ** 20; size += contents.reduce((s, c) => s + c.length + 14, 0)) many.push(...contents);
        const xml = documentOf(many, st, true);
        expect(splitEntries(xml)).toBeDefined();
        expect(outcome(() => readCamt('f.xml', 'h', xml))).toEqual(outcome(() => readCamt('f.xml', 'h', xml, { plain: true })));
      }),
      { numRuns: 8, seed: 20261205 },
    );
  }, 300_000);
});

describe('openBankFile', () => {
  const st: Style = { prefix: '', ws: '\n', q: '"' };
  const good = (ref: string) => `<Amt Ccy="CHF">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-03-02</Dt></BookgDt><AcctSvcrRef>${ref}</AcctSvcrRef>`;
  const bytes = (contents: string[], withCcy = true) => new TextEncoder().encode(documentOf(contents, st, withCcy));

  it('reads the entries as they are iterated; a damaged one throws there what readBankFile throws', () => {
    const b = bytes([good('A'), good('B'), good('C').replace('1.00', '1.005'), good('D')]);
    let whole: unknown;
    try {
      readBankFile('f.xml', b);
    } catch (e) {
      whole = (e as BankFileError).problem;
    }
    expect(whole).toMatchObject({ message: 'entry 3: "1.005" is not an amount with at most two decimals', line: 5 });
    const [s] = openBankFile('f.xml', b);
    expect(s!.account).toBe('CH9300762011623852957');
    const it = s!.entries[Symbol.iterator]();
    expect(it.next().value).toMatchObject({ index: 1, ref: 'A' });
    expect(it.next().value).toMatchObject({ index: 2, ref: 'B' });
    expect(() => it.next()).toThrow(BankFileError);
    let atThird: unknown;
    try {
      for (const _ of openBankFile('f.xml', b)[0]!.entries) void _;
    } catch (e) {
      atThird = (e as BankFileError).problem;
    }
    expect(atThird).toEqual(whole);
  });

  it('gives what readBankFile gives, once; without Acct/Ccy the currency of the first entry', () => {
    const b = bytes([good('A'), good('B').replace('CHF', 'EUR')], false);
    expect(() => readBankFile('f.xml', b)).toThrow('entry 2 is in EUR, the account in CHF');
    const c = bytes([good('A').replace('CHF', 'EUR'), good('B').replace('CHF', 'EUR')], false);
    const [s] = openBankFile('f.xml', c);
    expect(s!.currency).toBe('EUR');
    const { where, ...rest } = s!;
    expect(typeof where).toBe('function');
    expect({ ...rest, entries: [...s!.entries] }).toEqual(readBankFile('f.xml', c)[0]);
    expect(() => [...s!.entries]).toThrow('can be iterated once');
  });
});
