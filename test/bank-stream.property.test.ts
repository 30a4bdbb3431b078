/**
 * A large camt file on disk is read in windows (src/io/bankfile.ts `openOnDisk`), never held
 * whole: property, it gives exactly what the whole text gives (readBankFile), statements,
 * sha256 and errors, with a window of 64 to 512 bytes and the size above which a file is
 * streamed set to 0, so that entries, tags, namespace prefixes and characters of two to four
 * bytes straddle windows; with and without a byte order mark, CRLF, prefixes, attributes in
 * either quote style, on the entries too. And the fallbacks: a comment, CDATA or DOCTYPE, text
 * between entries (read from the whole text, as today), a damaged entry (today's error and
 * place), a file cut short (an error that says where, never an entry silently left out).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { BankStatement, BankStatementStream } from '../src/core/bank.js';
import { BankFileError, bankFileAt, openBankFile, readBankFile, type BankFileOnDisk, type StreamTuning } from '../src/io/bankfile.js';
import { camt, cents, entriesSum, IBAN, VERSIONS, type GEntry, type GStmt, type GTx } from './bank-gen.js';

/** A file in memory, the reads made of it recorded (length asked, position). */
function memFile(bytes: Uint8Array): { file: BankFileOnDisk; reads: [number, number][] } {
  const reads: [number, number][] = [];
  const file: BankFileOnDisk = {
    size: bytes.length,
    readAt(buf, pos) {
      const n = Math.max(0, Math.min(buf.length, bytes.length - pos));
      buf.set(bytes.subarray(pos, pos + n));
      reads.push([buf.length, pos]);
      return n;
    },
  };
  return { file, reads };
}

// (a statement read whole has no reader left to say where an entry is: `where` is tested on its own below)
const materialize = (ss: BankStatementStream[]): BankStatement[] => ss.map(({ where: _where, ...s }) => ({ ...s, entries: [...s.entries] }));

function outcome(f: () => unknown): unknown {
  try {
    return { ok: f() };
  } catch (e) {
    return { error: e instanceof BankFileError ? e.problem : String(e) };
  }
}

/** The statements (or error) read in windows, and whether the file was read whole (the fallback). */
function streamed(bytes: Uint8Array, tune: StreamTuning): { out: unknown; whole: boolean; largest: number } {
  const { file, reads } = memFile(bytes);
  const out = outcome(() => materialize(openBankFile('f.xml', file, tune)));
  return { out, whole: reads.some(([n, pos]) => pos === 0 && n === bytes.length), largest: Math.max(...reads.map(([n]) => n)) };
}

const today = (bytes: Uint8Array) => outcome(() => readBankFile('f.xml', bytes));

// ---------------------------------------------------------------------------------------------
// generated statements

const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 2 });
/** Text with characters of one to four bytes in UTF-8, and what XML escapes. */
const words = fc.array(fc.constantFrom('a', 'Z', '7', ' ', '-', 'é', 'ü', '€', '😀', '\u00a0', '\ufeff', '&', '<', '>', '"', "'", 'RF18 ISU 2026', 'Ministère'), { minLength: 1, maxLength: 8 }).map((a) => a.join(''));
const amount = fc.bigInt({ min: 1n, max: 10n ** 9n }).map(cents);
const gtx: fc.Arbitrary<GTx> = fc.record(
  {
    ref: fc.stringMatching(/^[A-Z0-9]{1,12}$/),
    e2e: fc.constantFrom('E2E-1', 'NOTPROVIDED', 'ISU-2026-001'),
    amount,
    debtor: words,
    ultimate: words,
    scor: fc.constantFrom('RF18ISU2026001', 'RF18 ISU 2026 001'),
    ustrd: words,
    instd: fc.record({ amount, ccy: fc.constantFrom('EUR', 'USD'), rate: fc.constantFrom('0.94', '1.0825') }),
    charges: amount,
  },
  { requiredKeys: [] },
);
const gentry: fc.Arbitrary<GEntry> = fc.record(
  {
    ref: opt(fc.stringMatching(/^[A-Z0-9-]{1,14}$/)),
    amount,
    dir: fc.constantFrom('CRDT', 'CRDT', 'DBIT'),
    rvsl: opt(fc.boolean()),
    status: opt(fc.constantFrom('BOOK', 'PDNG')),
    date: fc.constantFrom('2026-03-02', '2026-03-03'),
    count: opt(fc.integer({ min: 1, max: 3 })),
    charges: opt(amount),
    info: opt(words),
    txs: fc.array(gtx, { maxLength: 3 }),
  },
  { requiredKeys: ['amount', 'dir', 'date', 'txs'] },
) as fc.Arbitrary<GEntry>;

interface Style {
  kind: '053' | '054';
  version: (typeof VERSIONS)[number];
  prefix: string;
  q: '"' | "'";
  ws: string;
  crlf: boolean;
  bom: boolean;
  /** Attributes on the entries (<Ntry Id="…">): which. */
  ntryAttrs: 'none' | 'first' | 'last' | 'all';
}
const styleArb: fc.Arbitrary<Style> = fc.record({
  kind: fc.constantFrom('053', '054'),
  version: fc.constantFrom(...VERSIONS),
  prefix: fc.constantFrom('', 'c:', 'camt.x-1:'),
  q: fc.constantFrom('"', "'"),
  ws: fc.constantFrom('', '\n', '\n    ', ' ', '\t'),
  crlf: fc.boolean(),
  bom: fc.boolean(),
  ntryAttrs: fc.constantFrom('none', 'none', 'none', 'none', 'none', 'first', 'last', 'all'),
});

function statementOf(entries: GEntry[]): GStmt {
  const opening = '10000.00';
  return { id: 'STMT-1', iban: IBAN, date: '2026-03-02', opening, closing: cents(BigInt(opening.replace('.', '')) + entriesSum(entries)), entries };
}

/** A camt file of bank-gen in a style: prefix on every element, quotes, white space between tags, line ends, BOM. */
function fileOf(entries: GEntry[], st: Style): string {
  let xml = camt(st.kind, st.version, statementOf(entries));
  if (st.ws !== '') xml = xml.replace(/></g, `>${st.ws}<`);
  if (st.prefix !== '') {
    const ns = /xmlns="([^"]+)"/.exec(xml)![1]!;
    xml = xml.replace(/<(\/?)([A-Za-z]\w*)(?=[\s>/])/g, `<$1${st.prefix}$2`).replace(`xmlns="${ns}"`, `xmlns="${ns}" xmlns:${st.prefix.slice(0, -1)}="${ns}"`);
  }
  if (st.ntryAttrs !== 'none') {
    const open = `<${st.prefix}Ntry>`;
    const n = xml.split(open).length - 1;
    let k = 0;
    xml = xml.replace(new RegExp(open.replace(/[.]/g, '\\.'), 'g'), (m) => {
      k++;
      return st.ntryAttrs === 'all' || (st.ntryAttrs === 'first' && k === 1) || (st.ntryAttrs === 'last' && k === n) ? `<${st.prefix}Ntry Id="N${k}">` : m;
    });
  }
  if (st.q === "'") xml = xml.replace(/(\s[\w:.-]+)="([^"]*)"/g, "$1='$2'");
  if (st.crlf) xml = xml.replace(/\n/g, '\r\n');
  return (st.bom ? '\ufeff' : '') + xml;
}

const enc = (s: string) => new TextEncoder().encode(s);

describe('a large camt file read in windows gives what its whole text gives', () => {
  let streams = 0;
  let runs = 0;
  it('statements (sha256 too) or error, the same, for generated files and windows of 64 to 512 bytes', () => {
    fc.assert(
      fc.property(fc.array(gentry, { minLength: 1, maxLength: 12 }), styleArb, fc.integer({ min: 64, max: 512 }), (es, st, window) => {
        const bytes = enc(fileOf(es, st));
        const s = streamed(bytes, { window, streamAbove: 0 });
        expect(s.out).toEqual(today(bytes));
        runs++;
        if (!s.whole) {
          streams++;
          // never more than a window at once (twice, once it has grown), or the longest entry, or the document without its entries
          const text = new TextDecoder().decode(bytes);
          const spans = [...text.matchAll(/<[\w.:-]*Ntry>[^]*?<\/[\w.:-]*Ntry>/g)].map((m) => enc(m[0]).length);
          const rest = enc(text).length - spans.reduce((a, b) => a + b, 0);
          expect(s.largest).toBeLessThanOrEqual(2 * Math.max(window, rest, ...spans));
        }
        // in windows unless an entry has attributes (then as today, from the whole text)
        if (st.ntryAttrs === 'none') expect(s.whole).toBe(false);
      }),
      { numRuns: 300, seed: 20261210 },
    );
    expect(streams).toBeGreaterThan(runs * 0.5);
  }, 120_000);

  it('a file of one entry, a window smaller than a tag; and without the tuning, a file at most 16 MB is read whole', () => {
    const bytes = enc(fileOf([{ amount: '1.00', dir: 'CRDT', date: '2026-03-02', txs: [{ debtor: 'République 😀' }] }], { kind: '054', version: '08', prefix: 'camt:', q: "'", ws: '\r\n', crlf: true, bom: true, ntryAttrs: 'none' }));
    const s = streamed(bytes, { window: 16, streamAbove: 0 });
    expect(s.whole).toBe(false);
    expect(s.out).toEqual(today(bytes));
    expect(streamed(bytes, {}).whole).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// fallbacks and errors

const tune: StreamTuning = { window: 128, streamAbove: 0 };
const base: GEntry[] = Array.from({ length: 8 }, (_, k) => ({ ref: `BNK-${k + 1}`, amount: `${k + 1}0.00`, dir: 'CRDT', date: '2026-03-02', info: `Entrée ${k + 1} €`, txs: [{ ref: `TX-${k + 1}`, debtor: 'Ministère des affaires étrangères', ustrd: 'ISU-2026-001' }] }));
const plain: Style = { kind: '053', version: '08', prefix: '', q: '"', ws: '\n', crlf: false, bom: false, ntryAttrs: 'none' };

describe('where an entry is, asked while it is planned (a problem found then: two transactions under one identity)', () => {
  it('read in windows or from the whole text, every entry, the last one too: at its own AcctSvcrRef, as found in the text here', () => {
    for (const st of [plain, { ...plain, prefix: 'camt:', ws: '\r\n', crlf: true, bom: true }]) {
      const xml = fileOf(base, st);
      const bytes = enc(xml);
      const lines = (st.bom ? xml.slice(1) : xml).split(/\r?\n/);
      const expected = base.map((e) => {
        const tag = `<${st.prefix}AcctSvcrRef>${e.ref}</${st.prefix}AcctSvcrRef>`;
        const line = lines.findIndex((l) => l.includes(tag));
        return { line: line + 1, column: lines[line]!.indexOf(tag) + tag.indexOf('>') + 2 };
      });
      for (const opened of [openBankFile('f.xml', bytes), openBankFile('f.xml', memFile(bytes).file, tune)]) {
        const [s] = opened;
        const got: unknown[] = [];
        for (const e of s!.entries) got.push(s!.where!(e.index, 'AcctSvcrRef'));
        expect(got).toMatchObject(expected);
        // once read to the end, the text is let go: nothing to say any more
        expect(s!.where!(1, 'AcctSvcrRef')).toEqual({});
      }
    }
  });
});

describe('fallbacks: a large file with anything unusual is read as today', () => {
  it('a comment, CDATA or DOCTYPE anywhere: today\'s result or today\'s error (read whole)', () => {
    const xml = fileOf(base, plain);
    const tags = [...xml.matchAll(/>(\s*)</g)].map((m) => m.index! + 1 + m[1]!.length);
    expect(tags.length).toBeGreaterThan(100);
    fc.assert(
      fc.property(fc.constantFrom('<!-- a comment -->', '<!-- <Ntry> -->', '<![CDATA[x]]>', '<!DOCTYPE Document>', '<!doctype x>', '<!ENTITY x "y">'), fc.nat(), fc.integer({ min: 16, max: 300 }), fc.boolean(), (extra, at, window, straddle) => {
        const k = tags[at % tags.length]!;
        // straddle: spaces before it, so that its "<" is the last byte of a window
        const pad = straddle ? (window - ((enc(xml.slice(0, k)).length + 1) % window)) % window : 0;
        const bytes = enc(xml.slice(0, k) + ' '.repeat(pad) + extra + xml.slice(k));
        const s = streamed(bytes, { window, streamAbove: 0 });
        expect(s.whole).toBe(true);
        expect(s.out).toEqual(today(bytes));
      }),
      { numRuns: 150, seed: 20261211 },
    );
  });

  it('text between two entries, an MT940 file, a ZIP signature, bytes that are not UTF-8: read whole, as today', () => {
    const xml = fileOf(base, plain);
    const cases = [
      xml.replace('</Ntry>\n<Ntry>', '</Ntry>\nx<Ntry>'),
      xml.replace('</Ntry>\n<Ntry>', '</Ntry>\u00a0<Ntry>'),
      ':20:STMT\n:25:CH9300762011623852957\n:60F:C260302CHF1000,00\n:61:2603020302C10,00NTRFNONREF//BNK-1\n:62F:C260302CHF1010,00\n-',
    ];
    for (const c of cases) {
      const bytes = enc(c);
      const s = streamed(bytes, tune);
      expect(s.whole).toBe(true);
      expect(s.out).toEqual(today(bytes));
    }
    const latin = enc(xml);
    latin[latin.indexOf(0xc3)] = 0xe9; // an "é" in Latin-1
    expect(streamed(latin, tune).out).toEqual(today(latin));
    expect(streamed(latin, tune).out).toMatchObject({ error: { message: 'the XML file is not valid UTF-8' } });
    // located at the byte that is not UTF-8: its line, and its column in characters
    const bad = latin.indexOf(0xe9);
    const lineStart = latin.lastIndexOf(0x0a, bad) + 1;
    const lineNo = [...latin.subarray(0, lineStart)].filter((b) => b === 0x0a).length + 1;
    const column = new TextDecoder().decode(latin.subarray(lineStart, bad)).length + 1;
    expect(today(latin)).toMatchObject({ error: { line: lineNo, column, width: 1 } });
    expect(lineNo).toBeGreaterThan(1);
    expect(column).toBeGreaterThan(1);
    // a character cut short (the lead byte of "é" followed by a plain letter), after "€" on its line
    const cut = enc(xml.replace('Entrée 3 €', 'Entrée 3 € \u0001'));
    const at = cut.indexOf(0x01);
    cut[at - 1] = 0xc3;
    cut[at] = 0x41;
    const ls = cut.lastIndexOf(0x0a, at) + 1;
    expect(today(cut)).toMatchObject({ error: { message: 'the XML file is not valid UTF-8', line: [...cut.subarray(0, ls)].filter((b) => b === 0x0a).length + 1, column: new TextDecoder().decode(cut.subarray(ls, at - 1)).length + 1 } });
    const zipLike = new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...enc('not a zip at all, only its signature')]);
    expect(streamed(zipLike, tune).out).toEqual(today(zipLike));
  });
});

describe('errors of a large file read in windows', () => {
  it('a damaged entry: today\'s error, at today\'s place (line, column, excerpt), after the entries before it', () => {
    for (const [damage, msg] of [
      [(x: string, p: string) => x.replace(`<${p}Amt Ccy="CHF">50.00</${p}Amt>`, `<${p}Amt Ccy="CHF">50.005</${p}Amt>`), 'entry 5: "50.005" is not an amount with at most two decimals'],
      [(x: string, p: string) => x.replace(`<${p}Amt Ccy="CHF">60.00</${p}Amt>`, `<${p}Amt Ccy="EUR">60.00</${p}Amt>`), 'entry 6 is in EUR, the account in CHF'],
      [(x: string, p: string) => x.replace(`<${p}Amt Ccy="CHF">80.00</${p}Amt><${p}CdtDbtInd>CRDT`, `<${p}Amt Ccy="CHF">80.00</${p}Amt><${p}CdtDbtInd>CRDX`), 'entry 8: CdtDbtInd "CRDX" is neither CRDT nor DBIT'],
    ] as const) {
      for (const st of [{ ...plain, ws: '' }, { ...plain, ws: '', crlf: true, bom: true, prefix: 'c:' }]) {
        const xml = fileOf(base, st);
        const damaged = damage(xml, st.prefix);
        expect(damaged).not.toBe(xml);
        const bytes = enc(damaged);
        const whole = today(bytes) as { error: { message: string; line: number; column: number; excerpt: string } };
        expect(whole.error.message).toBe(msg);
        expect(whole.error.line).toBeGreaterThan(4);
        for (const window of [64, 100, 4096]) expect(streamed(bytes, { window, streamAbove: 0 }).out).toEqual(whole);
        // the entries before it are given first, from windows; the error thrown when the
        // iteration reaches it (only then is the whole file read again, for the place)
        const m = memFile(bytes);
        const [stmt] = openBankFile('f.xml', m.file, tune);
        const seen: number[] = [];
        expect(() => {
          for (const e of stmt!.entries) {
            seen.push(e.index);
            expect(m.reads.every(([n]) => n < bytes.length)).toBe(true);
          }
        }).toThrow(msg);
        expect(seen.length).toBe(Number(/entry (\d+)/.exec(msg)![1]) - 1);
      }
    }
  });

  it('damage inside an entry that only fast-xml-parser would read (a tag closed by another name) is refused at that entry, read in windows or whole', () => {
    for (const st of [{ ...plain, ws: '' }, { ...plain, ws: '', prefix: 'c:' }]) {
      const p = st.prefix;
      const xml = fileOf(base, st);
      const damaged = xml.replace(`<${p}Amt Ccy="CHF">50.00</${p}Amt>`, `<${p}Amt Ccy="CHF">50.00</${p}Amx>`);
      expect(damaged).not.toBe(xml);
      const bytes = enc(damaged);
      const line = damaged.split('\n').findIndex((l) => l.includes('</' + p + 'Amx>')) + 1;
      for (const tuning of [{ window: 100, streamAbove: 0 }, { window: 4096, streamAbove: 0 }]) {
        // (read in windows; the whole file is read again only to say where)
        expect(streamed(bytes, tuning).out).toMatchObject({ error: { message: `entry 5 is not well-formed XML: Expected closing tag '${p}Amt' instead of closing tag '${p}Amx'.`, line } });
      }
    }
  });

  it('a bad amount is located at the entry\'s own Amt; an entry without one, at the entry', () => {
    const xml = fileOf(base, { ...plain, ws: '' });
    // the entry's own amount is 50.00; its details hold another Amt
    const bad = xml.replace('<Amt Ccy="CHF">50.00</Amt><CdtDbtInd>', '<Amt Ccy="CHF">5O.00</Amt><CdtDbtInd>');
    expect(bad).not.toBe(xml);
    const l = bad.split('\n').findIndex((x) => x.includes('>5O.00<'));
    expect(streamed(enc(bad), tune).out).toMatchObject({ error: { message: 'entry 5: "5O.00" is not an amount with at most two decimals', line: l + 1, column: bad.split('\n')[l]!.indexOf('5O.00') + 1, width: 5 } });
    const none = xml.replace('<Amt Ccy="CHF">50.00</Amt><CdtDbtInd>', '<CdtDbtInd>');
    expect(none).not.toBe(xml);
    const n = none.split('\n').findIndex((x) => x.includes('<AcctSvcrRef>BNK-5<'));
    const out = streamed(enc(none), tune).out as { error: { message: string; line: number; column: number } };
    expect(out.error.message).toMatch(/^entry 5: /);
    // at the start of entry 5, not at an Amt of its details
    expect(none.split('\n')[out.error.line - 1]!.slice(out.error.column - 1)).toMatch(/^<Ntry>/);
    expect(out.error.line).toBe(n + 1);
  });

  it('a file cut short, in an entry or after the last: an error that says so and where (never an entry left out)', () => {
    const xml = fileOf(base, plain);
    const last = xml.lastIndexOf('</Ntry>');
    const cuts = [xml.lastIndexOf('<Ntry>') + 40, last + 3, last + '</Ntry>'.length + 2, xml.indexOf('</Stmt>') + 3, xml.indexOf('</BkToCstmrStmt>'), xml.indexOf('</Document>')];
    for (const cut of cuts) {
      const bytes = enc(xml.slice(0, cut));
      const s = streamed(bytes, tune);
      expect(s.out).toEqual(today(bytes));
      const p = (s.out as { error: { message: string; line: number; excerpt: string } }).error;
      // (cut in a tag, the validator says what it finds there: "</N", "<" at the end)
      expect(p.message).toMatch(/^the file ends before its elements close \(Document > BkToCstmrStmt.*still open\): it is cut short$|^not well-formed XML: /);
      // (the validator says an unclosed Document is at its start tag)
      if (p.message.includes('cut short')) expect(p.line).toBe(xml.slice(0, cut).trimEnd().split('\n').length);
      else expect(p.line).toBeGreaterThan(1);
    }
  });
});

describe('a large file on disk (bankFileAt): above 16 MB, read in windows', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'finproc-stream-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const many: GEntry[] = Array.from({ length: 30_000 }, (_, k) => ({ ref: `BNK-${k + 1}`, amount: `${(k % 997) + 1}.${String(k % 100).padStart(2, '0')}`, dir: k % 7 === 0 ? 'DBIT' : 'CRDT', date: '2026-03-02', info: k % 3 === 0 ? 'Contribution 2026 – République' : undefined, txs: [{ ref: `TX-${k + 1}`, debtor: 'Ministère des affaires étrangères', ultimate: 'Embassy', ustrd: `ISU-2026-${String(k).padStart(5, '0')} contribution`, scor: k % 2 ? 'RF18ISU2026001' : undefined }] }));

  it('gives what the whole text gives (readBankFile), and reads nothing larger than its window', () => {
    const xml = fileOf(many, { ...plain, crlf: true, bom: true, prefix: 'camt:' });
    const bytes = enc(xml);
    expect(bytes.length).toBeGreaterThan(16 * 2 ** 20);
    const f = path.join(dir, 'large.xml');
    writeFileSync(f, bytes);
    const file = bankFileAt(f);
    const sizes: number[] = [];
    const watched: BankFileOnDisk = { size: file.size, readAt: (b, pos) => (sizes.push(b.length), file.readAt(b, pos)) };
    const s = materialize(openBankFile('f.xml', watched));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(4 * 2 ** 20);
    expect(s).toEqual(readBankFile('f.xml', bytes));
    expect(s[0]!.entries.length).toBe(30_000);
  }, 120_000);

  it('rewritten with the same size between its two passes: an error, never entries that do not match its SHA-256', () => {
    const xml = fileOf(many.slice(0, 28_000), plain);
    const f = path.join(dir, 'rewritten.xml');
    writeFileSync(f, xml);
    expect(xml.length).toBeGreaterThan(16 * 2 ** 20);
    // pass 1 (SHA-256, the entries found) is done when the statement is given
    const [st] = openBankFile('rewritten.xml', bankFileAt(f));
    const other = xml.replace('<Amt Ccy="CHF">1.00</Amt>', '<Amt Ccy="CHF">9.00</Amt>');
    expect(other).not.toBe(xml);
    expect(other.length).toBe(xml.length);
    // Put in its place by a rename (as an editor saves: another inode), with the first file's
    // modification time given back: only the inode and the change time tell them apart.
    const before = statSync(f, { bigint: true });
    writeFileSync(`${f}.new`, other);
    // (touch -r copies the times to the nanosecond, which utimes' seconds as a float cannot)
    expect(spawnSync('touch', ['-r', f, `${f}.new`]).status).toBe(0);
    renameSync(`${f}.new`, f);
    const after = statSync(f, { bigint: true });
    expect([after.mtimeNs, after.size]).toEqual([before.mtimeNs, before.size]);
    expect(after.ino).not.toBe(before.ino);
    expect(() => {
      for (const _ of st!.entries) void _;
    }).toThrow('the file changed while it was read');
  }, 120_000);

  it('cut after its last entry: an error (today, above 16 MB, fast-xml-parser would not say it)', () => {
    const xml = fileOf(many.slice(0, 28_000), plain);
    const cut = xml.slice(0, xml.indexOf('</Stmt>'));
    const f = path.join(dir, 'cut.xml');
    writeFileSync(f, cut);
    expect(cut.length).toBeGreaterThan(16 * 2 ** 20);
    let p: unknown;
    try {
      for (const st of openBankFile('cut.xml', bankFileAt(f))) for (const _ of st.entries) void _;
    } catch (e) {
      p = (e as BankFileError).problem;
    }
    expect(p).toMatchObject({ message: 'the file ends before its elements close (Document > BkToCstmrStmt > Stmt still open): it is cut short', line: cut.trimEnd().split('\n').length });
  }, 120_000);
});

describe('the whole text of a large file (above 1 MB, its entries found in the text)', () => {
  it('an entry with attributes after the last one found is not left out: read as a smaller file is', () => {
    const e = (r: string, a = '') => `<Ntry${a}><Amt Ccy="CHF">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-03-02</Dt></BookgDt><AcctSvcrRef>${r}</AcctSvcrRef></Ntry>`;
    const doc = (n: number) => enc(`<?xml version="1.0"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt><Stmt><Id>1</Id><Acct><Id><IBAN>${IBAN}</IBAN></Id><Ccy>CHF</Ccy></Acct>\n${[...Array.from({ length: n }, (_, k) => e(`R${k}`)), e('LAST', ' Id="x"')].join('\n')}\n</Stmt></BkToCstmrStmt></Document>`);
    const large = doc(8000);
    expect(large.length).toBeGreaterThan(2 ** 20);
    // (an Ntry with attributes is refused, as for a small file: no ISO 20022 entry has any)
    const refused = (n: number) => ({ error: { message: `entry ${n}: its <Ntry> tag has an attribute (Id), which an ISO 20022 entry never has` } });
    expect(today(large)).toMatchObject(refused(8001));
    expect(today(doc(2))).toMatchObject(refused(3));
    expect(streamed(large, { window: 4096, streamAbove: 0 }).out).toEqual(today(large));
  });
});
