/**
 * finproc bank import (docs/bank.md): camt.053/054 in three versions, MT940, ZIP; the cases
 * real files contain; idempotence; the review file; the round trip to arrears and statements
 * against a hand-worked expectation.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { isQrr, isRf, matchContext, matchTx, qrrOf } from '../src/core/bank.js';
import { readBankFile, readCamt, simpleXml, splitEntries } from '../src/io/bankfile.js';
import { sha256hex } from '../src/io/bank.js';
import { bankBooks, rf, spaced } from './bank-books.js';
import { camt, cents, entriesSum, IBAN, VERSIONS, type GEntry, type GStmt, type Version } from './bank-gen.js';
import { run } from './helpers.js';

const enc = (s: string) => new TextEncoder().encode(s);
const parse = (xml: string, name = 'x.xml') => readBankFile(name, enc(xml));

function stmt(entries: GEntry[], extra: Partial<GStmt> = {}): GStmt {
  const opening = '10000.00';
  return { id: 'STMT-1', iban: IBAN, date: '2026-03-02', opening, closing: cents(BigInt(opening.replace('.', '')) + entriesSum(entries)), entries, ...extra };
}

async function importJson(dir: string, files: string[], apply = false) {
  const r = await run(['bank', 'import', ...files, '--books', dir, '--format', 'json', ...(apply ? ['--apply'] : [])], { cwd: dir });
  if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.stderr}`);
  return { ...r, json: JSON.parse(r.stdout) as { counts: Record<string, number>; lines: { action: string; reason: string; chf: string; amount: string; currency: string; fx_rate: string | null; match: { iso3: string | null; invoice: string | null; how: string; confidence: number } | null; payment_id: string | null; entry: number; tx: number }[] } };
}

const write = (dir: string, name: string, text: string | Uint8Array) => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('payment ids', () => {
  it('the one-call SHA-256 gives the hex of a Hash object (the ids in the books stay what they were)', () => {
    for (const s of ['', 'CH9300762011623852957|BNK-1|1', 'CH93|~2026-03-02|2026-03-02|CRDT|10.00||n1', 'é€😀', 'x'.repeat(1000)]) expect(sha256hex(s)).toBe(createHash('sha256').update(s).digest('hex'));
  });
});

describe('references', () => {
  it('RF (ISO 11649) and QRR (mod 10 recursive) are validated', () => {
    expect(isRf(rf('ISU-2026-001'))).toBe(true);
    expect(isRf('RF18539007547034')).toBe(true); // the example of ISO 11649
    expect(isRf('RF19539007547034')).toBe(false);
    expect(isQrr('210000000003139471430009017')).toBe(true); // the example of the Swiss QR-bill guidelines
    expect(isQrr('210000000003139471430009018')).toBe(false);
    expect(qrrOf('21000000000313947143000901')).toBe('210000000003139471430009017');
  });

  const ctx = matchContext(
    [
      { number: 'ISU-2026-001', iso3: 'AUT', year: 2026, purpose: 'isu', due: 300000n, outstanding: 300000n, rf: rf('ISU-2026-001') },
      { number: 'ISU-2026-002', iso3: 'NER', year: 2026, purpose: 'isu', due: 5000n, outstanding: 5000n, rf: rf('ISU-2026-002') },
      { number: 'ISU-2026-003', iso3: 'NGA', year: 2026, purpose: 'isu', due: 7000n, outstanding: 7000n, rf: rf('ISU-2026-003') },
    ],
    [
      { name: 'Austria', iso3: 'AUT' },
      { name: 'Niger', iso3: 'NER' },
      { name: 'Nigeria', iso3: 'NGA' },
    ],
  );
  const m = (x: Partial<{ chf: bigint; reference: string; text: string; debtor: string }>) => matchTx(ctx, { chf: 1n, reference: '', referenceType: '', text: '', debtor: '', ...x });

  it('a structured RF, with or without spaces, in any case', () => {
    for (const r of [rf('ISU-2026-001'), spaced(rf('ISU-2026-001')), spaced(rf('ISU-2026-001')).toLowerCase()]) expect(m({ reference: r })).toMatchObject({ iso3: 'AUT', invoice: 'ISU-2026-001', how: 'reference', confidence: 100 });
  });
  it('an RF in the free text, spaced', () => {
    expect(m({ text: `contribution ${spaced(rf('ISU-2026-001'))} thanks` })).toMatchObject({ invoice: 'ISU-2026-001', how: 'reference', confidence: 95 });
  });
  it('a QR reference carrying the digits of the invoice number, with spaces', () => {
    const q = qrrOf('2026001');
    expect(m({ reference: q.replace(/(\d{5})/g, '$1 ') })).toMatchObject({ invoice: 'ISU-2026-001', how: 'reference', confidence: 95 });
  });
  it('the invoice number in the text, however it is written', () => {
    for (const t of ['ISU-2026-001', 'isu 2026 001', 'ISU2026001', 'Inv. ISU-2026-1']) expect(m({ text: `payment ${t}` }), t).toMatchObject({ invoice: 'ISU-2026-001', how: 'invoice number', confidence: 90 });
  });
  it('a State name: Niger is not found inside Nigeria', () => {
    expect(m({ debtor: 'Federal Republic of Nigeria', chf: 7000n })).toMatchObject({ iso3: 'NGA', invoice: 'ISU-2026-003', how: 'name and amount', confidence: 85 });
    expect(m({ debtor: 'Republique du Niger', chf: 1n })).toMatchObject({ iso3: 'NER', how: 'name', confidence: 60 });
  });
  it('a unique amount alone goes to review', () => {
    expect(m({ chf: 5000n, debtor: 'Treasury' })).toMatchObject({ iso3: 'NER', invoice: 'ISU-2026-002', how: 'amount', confidence: 60 });
  });
  it('an RF with a typo is not a reference; one typo away is proposed for review', () => {
    const bad = rf('ISU-2026-001').replace(/01$/, '10'); // two digits swapped
    const r = m({ reference: bad, debtor: 'Treasury', chf: 12n });
    expect(r).toMatchObject({ invoice: 'ISU-2026-001', how: 'reference typo', confidence: 50 });
    expect(r.notes.join(' ')).toContain('not a valid RF reference');
  });
  it('a reference whose payer names another State drops to review', () => {
    expect(m({ reference: rf('ISU-2026-001'), debtor: 'Embassy of Nigeria' }).confidence).toBe(70);
  });
  it('EndToEndId plays no part in matching or identity', () => {
    const a = parse(camt('054', '08', stmt([{ ref: 'A1', amount: '1.00', dir: 'CRDT', date: '2026-03-02', txs: [{ e2e: 'SAME', amount: '1.00' }] }])));
    const b = parse(camt('054', '08', stmt([{ ref: 'A2', amount: '1.00', dir: 'CRDT', date: '2026-03-02', txs: [{ e2e: 'SAME', amount: '1.00' }] }])));
    expect(a[0]!.entries[0]!.txs[0]!.key).not.toBe(b[0]!.entries[0]!.txs[0]!.key);
  });
});

describe.each(VERSIONS)('camt.053/054 version .001.%s', (v: Version) => {
  it('reads amounts as exact text, the account, balances and the version', () => {
    const s = parse(camt('053', v, stmt([{ ref: 'E1', amount: '0.10', dir: 'CRDT', date: '2026-03-02', txs: [{ amount: '0.10', debtor: 'X' }] }])))[0]!;
    expect(s.version).toBe(`camt.053.001.${v}`);
    expect(s.account).toBe(IBAN);
    expect(s.opening).toEqual({ amount: 1000000n, date: '2026-03-02' });
    expect(s.closing).toEqual({ amount: 1000010n, date: '2026-03-02' });
    expect(s.entries[0]!.amount).toBe(10n);
    expect(s.entries[0]!.txs[0]!.debtor).toBe('X');
  });

  it('a batch: several TxDtls in one entry, each its own payment', async () => {
    const dir = bankBooks();
    const f = write(dir, 'batch.xml', camt('053', v, stmt([{ ref: 'B1', amount: '4000.00', dir: 'CRDT', date: '2026-03-02', count: 2, txs: [{ ref: 'B1-1', amount: '3000.00', debtor: 'Republic of Austria', scor: rf('ISU-2026-001') }, { ref: 'B1-2', amount: '1000.00', debtor: 'Kingdom of Belgium', ustrd: 'ISU-2026-006' }] }])));
    const { json } = await importJson(dir, [f], true);
    expect(json.lines.map((l) => [l.entry, l.tx, l.chf, l.match?.invoice, l.action])).toEqual([
      [1, 1, '3000.00', 'ISU-2026-001', 'book'],
      [1, 2, '1000.00', 'ISU-2026-006', 'book'],
    ]);
    const pay = readFileSync(path.join(dir, 'payments.csv'), 'utf8');
    expect(pay.split('\n')[0]).toBe('payment_id,iso3,received,amount,currency,chf,purpose,earmark_year,earmark_category,earmark_invoice,pledge,reference,bank_key,bank_file,bank_ref,bank_entry,bank_tx,fx_rate');
    // the existing row keeps its bytes, with empty cells for the new columns
    expect(pay.split('\n')[1]).toBe('PAY-2025-00001,NOR,2025-03-03,200.00,CHF,200.00,isu,,,,,ISU-2025-010,,,,,,');
    expect(pay).toMatch(new RegExp(`^BNK-20260302-[0-9A-F]{6},AUT,2026-03-02,3000\\.00,CHF,3000\\.00,isu,,,ISU-2026-001,,${rf('ISU-2026-001')},${IBAN}\\|B1\\|r:B1-1,[0-9a-f]{64},B1-1,1,1,$`, 'm'));
  });

  it('an entry without details, then its camt.054 breakdown; the same again adds nothing', async () => {
    const dir = bankBooks();
    const f53 = write(dir, 's.xml', camt('053', v, stmt([{ ref: 'C1', amount: '4000.00', dir: 'CRDT', date: '2026-03-02', count: 2, txs: [] }])));
    const f54 = write(dir, 'n.xml', camt('054', v, stmt([{ ref: 'C1', amount: '4000.00', dir: 'CRDT', date: '2026-03-02', count: 2, txs: [{ ref: 'C1-1', amount: '3000.00', scor: rf('ISU-2026-001') }, { ref: 'C1-2', amount: '1000.00', scor: rf('ISU-2026-006') }] }])));
    const a = await importJson(dir, [f53], true);
    expect(a.json.lines.map((l) => l.action)).toEqual(['await']);
    expect(readFileSync(path.join(dir, 'bank-review.csv'), 'utf8')).toContain(`${IBAN}|C1|*`);
    const b = await importJson(dir, [f54], true);
    expect(b.json.lines.map((l) => l.action)).toEqual(['book', 'book']);
    // the batch left the review file once broken down
    expect(readFileSync(path.join(dir, 'bank-review.csv'), 'utf8')).not.toContain('C1|*');
    const both = await importJson(bankBooks(), [f53, f54]);
    expect(both.json.lines.map((l) => [l.action, l.reason])).toEqual([
      ['skip', expect.stringMatching(/^broken down by .*n\.xml entry 1 in this import$/)],
      ['book', 'reference, confidence 100'],
      ['book', 'reference, confidence 100'],
    ]);
    const before = readFileSync(path.join(dir, 'payments.csv'), 'utf8');
    const c = await importJson(dir, [f53, f54], true);
    expect(c.json.lines.map((l) => [l.action, l.reason])).toEqual([
      ['skip', 'a batch whose transactions are already booked from its breakdown (camt.054)'],
      ['skip', expect.stringMatching(/^already booked as BNK-/)],
      ['skip', expect.stringMatching(/^already booked as BNK-/)],
    ]);
    expect(readFileSync(path.join(dir, 'payments.csv'), 'utf8')).toBe(before);
  });

  it('a reversal (RvslInd, sign from CdtDbtInd) cancels its credit; a debit is listed and ignored', async () => {
    const dir = bankBooks();
    const f = write(dir, 'r.xml', camt('053', v, stmt([
      { ref: 'R1', amount: '1000.00', dir: 'CRDT', date: '2026-03-02', txs: [{ e2e: 'BEL-1', amount: '1000.00', scor: rf('ISU-2026-006') }] },
      { ref: 'R2', amount: '1000.00', dir: 'DBIT', rvsl: true, date: '2026-03-02', txs: [{ e2e: 'BEL-1', amount: '1000.00', scor: rf('ISU-2026-006') }] },
      { ref: 'R3', amount: '25.00', dir: 'DBIT', date: '2026-03-02', txs: [{ amount: '25.00', ustrd: 'Account fees' }] },
    ])));
    const { json, stderr } = await importJson(dir, [f], true);
    expect(json.lines.map((l) => l.action)).toEqual(['reversed', 'reversed', 'debit']);
    expect(stderr).not.toContain('bank-balance'); // 10000 + 1000 - 1000 - 25 = 9975 = closing
    expect(readFileSync(path.join(dir, 'payments.csv'), 'utf8').split('\n').filter((l) => l.startsWith('BNK'))).toEqual([]);
  });

  it('bank charges: the entry credits less than the transfer; a batch whose details do not add up is a warning', async () => {
    const dir = bankBooks();
    const f = write(dir, 'c.xml', camt('053', v, stmt([
      { ref: 'K1', amount: '2980.00', dir: 'CRDT', date: '2026-03-02', charges: '20.00', txs: [{ amount: '3000.00', charges: '20.00', scor: rf('ISU-2026-001') }] },
      { ref: 'K2', amount: '1990.00', dir: 'CRDT', date: '2026-03-02', count: 2, txs: [{ ref: 'K2-1', amount: '1000.00', charges: '10.00', scor: rf('ISU-2026-006') }, { ref: 'K2-2', amount: '1000.00', scor: rf('ISU-2026-002') }] },
      { ref: 'K3', amount: '1995.00', dir: 'CRDT', date: '2026-03-02', count: 2, txs: [{ ref: 'K3-1', amount: '1000.00', scor: rf('ISU-2026-003') }, { ref: 'K3-2', amount: '1000.00', scor: rf('ISU-2026-002') }] },
    ])));
    const { json, stderr } = await importJson(dir, [f]);
    expect(json.lines.map((l) => [l.chf, l.action])).toEqual([['2980.00', 'book'], ['990.00', 'book'], ['1000.00', 'book'], ['1000.00', 'book'], ['1000.00', 'book']]);
    expect(json.lines[0]!.reason).toContain('charges 20.00');
    expect(stderr).toContain('entry 3: its 2 transactions add up to 2000.00, the entry to 1995.00: the difference of -5.00');
  });

  it('another currency: the CHF credited counts, the amount sent and the rate are kept', async () => {
    const dir = bankBooks();
    const f = write(dir, 'fx.xml', camt('054', v, stmt([{ ref: 'F1', amount: '4700.00', dir: 'CRDT', date: '2026-03-02', txs: [{ amount: '4700.00', instd: { amount: '5000.00', ccy: 'EUR', rate: '0.94' }, debtor: 'Department of Foreign Affairs, Ireland', scor: rf('ISU-2026-005') }] }])));
    const { json } = await importJson(dir, [f], true);
    expect(json.lines[0]).toMatchObject({ chf: '4700.00', amount: '5000.00', currency: 'EUR', fx_rate: '0.94', action: 'book' });
    expect(readFileSync(path.join(dir, 'payments.csv'), 'utf8')).toMatch(/,IRL,2026-03-02,5000\.00,EUR,4700\.00,isu,,,ISU-2026-005,.*,0\.94\n$/);
  });

  it('QRR and SCOR references, with and without spaces', async () => {
    const dir = bankBooks();
    const f = write(dir, 'q.xml', camt('054', v, stmt([
      { ref: 'Q1', amount: '3000.00', dir: 'CRDT', date: '2026-03-02', txs: [{ amount: '3000.00', qrr: qrrOf('2026001').replace(/^(\d\d)(\d{5})(\d{5})/, '$1 $2 $3 ') }] },
      { ref: 'Q2', amount: '8000.00', dir: 'CRDT', date: '2026-03-02', txs: [{ amount: '8000.00', scor: spaced(rf('ISU-2026-002')) }] },
      { ref: 'Q3', amount: '9000.00', dir: 'CRDT', date: '2026-03-02', txs: [{ amount: '9000.00', scor: rf('ISU-2026-003') }] },
    ])));
    const { json } = await importJson(dir, [f]);
    expect(json.lines.map((l) => [l.match?.invoice, l.match?.how, l.match?.confidence])).toEqual([
      ['ISU-2026-001', 'reference', 95],
      ['ISU-2026-002', 'reference', 100],
      ['ISU-2026-003', 'reference', 100],
    ]);
  });

  it('opening + entries ≠ closing is a warning, never a silent pass; no balances is said too', async () => {
    const dir = bankBooks();
    const entries: GEntry[] = [{ ref: 'X1', amount: '3000.00', dir: 'CRDT', date: '2026-03-02', txs: [{ amount: '3000.00', scor: rf('ISU-2026-001') }] }];
    const f = write(dir, 'b.xml', camt('053', v, stmt(entries, { closing: '13000.05' })));
    const r = await importJson(dir, [f]);
    expect(r.stderr).toMatch(/warning.*\[bank-balance\] opening balance 10000\.00 \+ entries 3000\.00 = 13000\.00, but the closing balance is 13000\.05/);
    const g = write(dir, 'nb.xml', camt('053', v, stmt(entries, { opening: undefined, closing: undefined })));
    expect((await importJson(dir, [g])).stderr).toContain('no opening balance: the entries could not be checked against the balances');
  });

  it('pending entries are not booked', async () => {
    const dir = bankBooks();
    const f = write(dir, 'p.xml', camt('054', v, stmt([{ ref: 'P1', amount: '3000.00', dir: 'CRDT', status: 'PDNG', date: '2026-03-02', txs: [{ amount: '3000.00', scor: rf('ISU-2026-001') }] }])));
    expect((await importJson(dir, [f])).json.lines[0]!.action).toBe('ignore');
  });
});

describe('the fast reading of entries is fast-xml-parser\'s', () => {
  const all: GEntry[] = [
    { ref: 'A&B <1>', amount: '4000.00', dir: 'CRDT', date: '2026-03-02', count: 2, charges: '1.00', info: 'batch "x" & \'y\'', txs: [{ ref: 'T1', e2e: 'E&2', amount: '3000.00', debtor: 'Côte d\'Ivoire <Trésor>', ultimate: 'Ministère', scor: spaced(rf('ISU-2026-001')), charges: '0.50' }, { ref: 'T2', amount: '1000.00', qrr: qrrOf('2026001'), ustrd: 'Ref: ISU-2026-006 &amp; more', instd: { amount: '1063.83', ccy: 'EUR', rate: '0.94' } }] },
    { ref: 'R', amount: '5.00', dir: 'DBIT', rvsl: true, status: 'PDNG', date: '2026-03-02', value: '2026-03-03', txs: [] },
  ];
  it.each(VERSIONS)('every sample of version .001.%s reads the same both ways', (v) => {
    for (const kind of ['053', '054'] as const) {
      const xml = camt(kind, v, stmt(all));
      expect(readCamt('a', 'h', xml)).toEqual(readCamt('a', 'h', xml, { plain: true }));
    }
  });
  it('a large file is cut into entries, and reads the same as a whole', () => {
    const many: GEntry[] = Array.from({ length: 2500 }, (_, i) => ({ ref: `E${i}`, amount: '1.00', dir: 'CRDT', date: '2026-03-02', txs: [{ amount: '1.00', debtor: `Payer ${i} &amp;`, scor: rf('ISU-2026-001') }] }));
    const xml = camt('053', '08', stmt(many)).replace(/<(\/?)([A-Z][A-Za-z]*)/g, '<$1c:$2').replace('xmlns=', 'xmlns:c=');
    expect(xml.length).toBeGreaterThan(1 << 20);
    expect(splitEntries(xml)?.entries).toHaveLength(2500);
    const fast = readCamt('a', 'h', xml);
    expect(fast.entries).toHaveLength(2500);
    expect(fast).toEqual(readCamt('a', 'h', xml, { plain: true }));
    // a comment anywhere: the whole document goes to fast-xml-parser
    expect(splitEntries(xml.replace('<c:Ntry>', '<!-- x --><c:Ntry>'))).toBeUndefined();
  });
  it('anything but plain elements is left to fast-xml-parser', () => {
    for (const x of ['<A><!-- c --></A>', '<A><![CDATA[x]]></A>', '<A>x<B/>y</A>', '<A><B></A>', '<A b="1>', '<?p?><A/>']) expect(simpleXml(x), x).toBeUndefined();
    expect(simpleXml('<p:A x="1" xmlns:p="u">t &lt; &#65;&#x42;</p:A><B/><B>2</B>')).toEqual({ A: { '@_x': '1', '#text': 't < AB' }, B: ['', '2'] });
  });
});

describe('the same transaction in a camt.053 and a camt.054', () => {
  it('is booked once, whichever file comes first, in one run or two', async () => {
    const e: GEntry = { ref: 'D1', amount: '3000.00', dir: 'CRDT', date: '2026-03-02', txs: [{ ref: 'D1-T', e2e: 'AUT-E2E', amount: '3000.00', scor: rf('ISU-2026-001') }] };
    const dir = bankBooks();
    const f53 = write(dir, 'a.xml', camt('053', '04', stmt([e])));
    const f54 = write(dir, 'b.xml', camt('054', '08', stmt([e])));
    const one = await importJson(dir, [f54, f53]);
    expect(one.json.lines.map((l) => l.action)).toEqual(['book', 'skip']);
    expect(one.json.lines[1]!.reason).toBe('the same transaction as b.xml entry 1 transaction 1');
    await importJson(dir, [f53], true);
    const again = await importJson(dir, [f54], true);
    expect(again.json.lines[0]!.reason).toMatch(/^already booked as BNK-20260302-/);
    expect(again.stdout).toContain('"written": []');
  });
});

describe('MT940 and ZIP', () => {
  it('a ZIP with two damaged members: the first damage in the archive\'s order is the one reported', async () => {
    const dir = bankBooks();
    const good = camt('053', '08', stmt([{ ref: 'A1', amount: '7.77', dir: 'CRDT', date: '2026-03-02', txs: [] }]));
    const a = good.replace('<Amt Ccy="CHF">7.77</Amt><CdtDbtInd>CRDT</CdtDbtInd>', '<Amt Ccy="CHF">7.77</Amt><CdtDbtInd>XXXX</CdtDbtInd>');
    expect(a).not.toBe(good);
    const b = camt('053', '08', stmt([])).replace(/Document/g, 'Dokument');
    const z = write(dir, 'ab.zip', zipSync({ 'a-badentry.xml': enc(a), 'b-badhead.xml': enc(b) }));
    const r = await run(['bank', 'import', z, '--books', dir], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('ab.zip!a-badentry.xml:');
    expect(r.stderr).toContain('entry 1: CdtDbtInd "XXXX" is neither CRDT nor DBIT');
    expect(r.stderr).not.toContain('b-badhead.xml');
  });

  const mt940 = [
    '{1:F01EXAMPLEBANKXXX0000000000}{2:O9401200260302EXAMPLEBANKXXX00000000002603021200N}{4:',
    ':20:STMT-2026-03-02',
    ':25:CH9300762011623852957',
    ':28C:61/1',
    ':60F:C260302CHF10000,00',
    ':61:2603020302C3000,00NTRFNONREF//MT-0001',
    ':86:/ORDP/Republic of Austria/REMI/' + spaced(rf('ISU-2026-001')),
    ':61:2603020302C8000,NTRFFRA-E2E-1//MT-0002',
    ':86:Contribution ISU-2026-002',
    ':86:France',
    ':61:2603020302RC1000,00NTRFNONREF//MT-0003',
    ':86:Return',
    ':61:2603020302D25,00NCHGNONREF//MT-0004',
    ':86:Fees',
    ':62F:C260302CHF19975,00',
    '-}',
    '',
  ].join('\r\n');

  it('reads an MT940 statement: decimal comma, marks C/D/RC, bank references, balances', () => {
    const [s] = readBankFile('s.sta', enc(mt940));
    expect(s!.format).toBe('mt940');
    expect(s!.opening).toEqual({ amount: 1000000n, date: '2026-03-02' });
    expect(s!.entries.map((e) => [e.ref, e.amount, e.direction, e.reversal])).toEqual([
      ['MT-0001', 300000n, 'CRDT', false],
      ['MT-0002', 800000n, 'CRDT', false],
      ['MT-0003', 100000n, 'DBIT', true],
      ['MT-0004', 2500n, 'DBIT', false],
    ]);
    expect(s!.entries[0]!.txs[0]!.debtor).toBe('Republic of Austria');
  });

  it('imports an MT940 and a ZIP holding it and a camt.054 (the same transaction once)', async () => {
    const dir = bankBooks();
    const f = write(dir, 's.sta', mt940);
    const a = await importJson(dir, [f]);
    expect(a.json.lines.map((l) => [l.action, l.match?.invoice ?? null])).toEqual([
      ['book', 'ISU-2026-001'],
      ['book', 'ISU-2026-002'],
      ['review', null],
      ['debit', null],
    ]);
    expect(a.stderr).not.toContain('bank-balance');
    const x54 = camt('054', '08', stmt([{ ref: 'Z1', amount: '3000.00', dir: 'CRDT', date: '2026-03-02', txs: [{ amount: '3000.00', scor: rf('ISU-2026-001') }] }]));
    const z = write(dir, 'day.zip', zipSync({ 'camt054.xml': enc(x54), 'again/camt054-copy.xml': enc(x54), 'mt940.sta': enc(mt940) }));
    const b = await importJson(dir, [z]);
    expect(b.json.lines.filter((l) => l.action === 'book')).toHaveLength(3);
    expect(b.json.lines.filter((l) => l.action === 'skip')).toHaveLength(1);
  });

  it('refuses a file that is neither, and a damaged XML, with its place', async () => {
    const dir = bankBooks();
    const r1 = await run(['bank', 'import', write(dir, 'x.txt', 'hello\n'), '--books', dir], { cwd: dir });
    expect(r1.code).toBe(1);
    expect(r1.stderr).toContain('x.txt:1:1: error [bank-file] not a camt.053, camt.054 or MT940 file');
    const bad = camt('053', '08', stmt([])).replace('</Stmt>', '');
    const r2 = await run(['bank', 'import', write(dir, 'y.xml', bad), '--books', dir], { cwd: dir });
    expect(r2.code).toBe(1);
    expect(r2.stderr).toMatch(/y\.xml:\d+:\d+: error \[bank-file\] not well-formed XML/);
    const r4 = await run(['bank', 'import', write(dir, 'd.xml', camt('053', '08', stmt([])).replace('<Document', '<!DOCTYPE d [<!ENTITY a "aaaa">]>\n<Document')), '--books', dir], { cwd: dir });
    expect(r4.stderr).toMatch(/d\.xml:2:1: error \[bank-file\] an XML file with a DOCTYPE/);
    // A bad amount is located at the amount itself (line and column of "1.005"), not at its entry.
    const zx = camt('053', '08', stmt([{ ref: 'A', amount: '1.005', dir: 'CRDT', date: '2026-03-02', txs: [] }]));
    const zl = zx.split('\n').findIndex((l) => l.includes('>1.005<'));
    const r3 = await run(['bank', 'import', write(dir, 'z.xml', zx), '--books', dir], { cwd: dir });
    expect(r3.stderr).toContain(`z.xml:${zl + 1}:${zx.split('\n')[zl]!.indexOf('1.005') + 1}: error [bank-file] entry 1: "1.005" is not an amount with at most two decimals`);
    expect(r3.stderr).toMatch(/\n\s*\d+ \|.*1\.005.*\n.*\^{5}/);
    // A file of one line (as many banks write them): the carets under the amount, far into the line.
    const one = camt('053', '08', stmt([1, 2, 3, 4].map((k) => ({ ref: `A${k}`, amount: k === 4 ? '1.005' : `${k}.00`, dir: 'CRDT' as const, date: '2026-03-02', txs: [{ amount: k === 4 ? '1.005' : `${k}.00`, debtor: 'Ministry of Foreign Affairs of a State with a long name', ustrd: 'Contribution to the Implementation Support Unit' }] })))).replace(/\n/g, '');
    const r5 = await run(['bank', 'import', write(dir, 'one.xml', one), '--books', dir], { cwd: dir });
    const col = one.indexOf('>1.005<') + 2;
    expect(col).toBeGreaterThan(1000);
    expect(r5.stderr).toContain(`one.xml:1:${col}: error [bank-file] entry 4: "1.005"`);
    const lines = r5.stderr.split('\n');
    const at = lines.findIndex((l) => /^\s*1 \|/.test(l));
    expect(lines[at]).toContain('1.005');
    expect(lines[at + 1]!.indexOf('^')).toBe(lines[at]!.indexOf('1.005'));
  });
});

// Hand-worked (docs/bank.md, "Worked example"): seven 2026 invoices, NOR owing 300.00 of 2025.
const day = '2026-03-02';
const entries: GEntry[] = [
  { ref: 'BK-1001', amount: '3000.00', dir: 'CRDT', date: day, txs: [{ ref: 'T1', amount: '3000.00', debtor: 'Republic of Austria', scor: spaced(rf('ISU-2026-001')) }] },
  { ref: 'BK-1002', amount: '5000.00', dir: 'CRDT', date: day, txs: [{ ref: 'T2', amount: '5000.00', debtor: 'Ambassade de France', ustrd: 'Contribution 2026, facture ISU-2026-002' }] },
  // a typo in the RF (one character changed): the payer's name is a treasury, not a State
  { ref: 'BK-1003', amount: '9000.00', dir: 'CRDT', date: day, txs: [{ ref: 'T3', amount: '9000.00', debtor: 'Bundeskasse', scor: rf('ISU-2026-003').replace(/3$/, '8') }] },
  // overpaid: 4000.00 against 3000.00
  { ref: 'BK-1004', amount: '4000.00', dir: 'CRDT', date: day, txs: [{ ref: 'T4', amount: '4000.00', debtor: 'Royal Norwegian Embassy', scor: rf('ISU-2026-004') }] },
  // EUR 5000.00 at 0.94: CHF 4700.00 credited
  { ref: 'BK-1005', amount: '4700.00', dir: 'CRDT', date: day, txs: [{ ref: 'T5', amount: '4700.00', instd: { amount: '5000.00', ccy: 'EUR', rate: '0.94' }, debtor: 'Department of Foreign Affairs', scor: rf('ISU-2026-005') }] },
  // paid, then reversed by the bank
  { ref: 'BK-1006', amount: '1000.00', dir: 'CRDT', date: day, txs: [{ ref: 'T6', e2e: 'BE-2026-77', amount: '1000.00', debtor: 'SPF Affaires etrangeres', scor: rf('ISU-2026-006') }] },
  { ref: 'BK-1007', amount: '1000.00', dir: 'DBIT', rvsl: true, date: day, txs: [{ ref: 'T7', e2e: 'BE-2026-77', amount: '1000.00', debtor: 'SPF Affaires etrangeres', scor: rf('ISU-2026-006') }] },
];

describe('round trip: invoices → a camt.054 → import → review → arrears and statements', () => {
  it('books, reviews and reconciles exactly as worked by hand', async () => {
    const dir = bankBooks();
    const f = write(dir, 'camt054-2026-03-02.xml', camt('054', '08', stmt(entries)));
    const a = await importJson(dir, [f], true);
    expect(a.json.lines.map((l) => [l.match?.iso3 ?? null, l.match?.invoice ?? null, l.match?.how ?? null, l.match?.confidence ?? null, l.action])).toEqual([
      ['AUT', 'ISU-2026-001', 'reference', 100, 'book'],
      ['FRA', 'ISU-2026-002', 'invoice number', 90, 'book'],
      ['DEU', 'ISU-2026-003', 'amount', 60, 'review'],
      ['NOR', 'ISU-2026-004', 'reference', 100, 'book'],
      ['IRL', 'ISU-2026-005', 'reference', 100, 'book'],
      ['BEL', 'ISU-2026-006', 'reference', 100, 'reversed'],
      [null, null, null, null, 'reversed'],
    ]);
    // The officer confirms DEU in bank-review.csv and imports it again.
    const rp = path.join(dir, 'bank-review.csv');
    const review = readFileSync(rp, 'utf8').split('\n');
    // (the credit and its reversal recorded as not a contribution: BK-1006 is not booked when it comes again alone)
    expect(review).toHaveLength(5);
    expect(review[1]).toContain(',DEU,ISU-2026-003,amount,60,');
    expect(review.slice(2, 4).map((l) => [l.split(',')[0], l.endsWith(',not a contribution')])).toEqual([
      [`${IBAN}|BK-1006|1`, true],
      [`${IBAN}|BK-1007|reversal|1`, true],
    ]);
    const chk = await run(['check', '--books', dir], { cwd: dir });
    expect(chk.stderr).toMatch(/bank-review\.csv:2:\d+: warning \[bank-review\] decision: a bank entry awaiting review: CHF 9000\.00 received 2026-03-02 from Bundeskasse \(proposed: DEU ISU-2026-003\)/);
    writeFileSync(rp, review.map((l, i) => (i === 1 ? l.replace(/,,,,$/, ',DEU,ISU-2026-003,,') : l)).join('\n'));
    const b = await importJson(dir, [rp], true);
    expect(b.json.lines.map((l) => [l.action, l.match?.iso3])).toEqual([['book', 'DEU']]);
    expect(readFileSync(rp, 'utf8').split('\n').filter((l) => l !== '')).toEqual([review[0], review[2], review[3]]); // the DEU row out
    expect((await run(['check', '--books', dir], { cwd: dir })).stderr).not.toContain('bank-review');
    // Importing everything again adds nothing.
    const before = readFileSync(path.join(dir, 'payments.csv'), 'utf8');
    const c = await importJson(dir, [f], true);
    expect(c.json.counts).toMatchObject({ book: 0, review: 0, skip: 7, reversed: 0 });
    expect(readFileSync(path.join(dir, 'payments.csv'), 'utf8')).toBe(before);

    // Arrears as of 2026-03-31, by hand:
    //   AUT 3000.00 paid 3000.00 → 0; FRA 8000.00 − 5000.00 = 3000.00; DEU 9000.00 paid → 0;
    //   NOR: 4000.00 earmarked to ISU-2026-004 (3000.00), the rest 1000.00 settles the 2025
    //   line (300.00) and 700.00 stays as credit → balance −700.00; IRL 4700.00 paid → 0;
    //   BEL reversed → 1000.00; SEN nothing → 123.45.
    const ar = await run(['arrears', '--as-of', '2026-03-31', '--books', dir, '--format', 'json'], { cwd: dir });
    const states = (JSON.parse(ar.stdout) as { states: { iso3: string; outstanding: string; arrears: string; credit: string; balance: string; last_payment_bank_ref: string | null }[] }).states;
    const by = Object.fromEntries(states.map((s) => [s.iso3, [s.outstanding, s.arrears, s.credit, s.balance, s.last_payment_bank_ref]]));
    expect(by).toEqual({
      AUT: ['0.00', '0.00', '0.00', '0.00', 'T1'],
      BEL: ['1000.00', '0.00', '0.00', '1000.00', null],
      DEU: ['0.00', '0.00', '0.00', '0.00', 'T3'],
      FRA: ['3000.00', '0.00', '0.00', '3000.00', 'T2'],
      IRL: ['0.00', '0.00', '0.00', '0.00', 'T5'],
      NOR: ['0.00', '0.00', '700.00', '-700.00', 'T4'],
      SEN: ['123.45', '0.00', '0.00', '123.45', null],
    });
    // Norway's statement, by hand: opening 300.00 (2025), +3000.00 assessed, −4000.00 paid.
    const st = await run(['statement', 'NOR', '--as-of', '2026-03-31', '--books', dir, '--format', 'json'], { cwd: dir });
    const sj = JSON.parse(st.stdout) as { opening_balance: string; closing_balance: string; rows: { date: string; kind: string; text: string; debit: string; credit: string; balance: string | null }[] };
    expect(sj.opening_balance).toBe('300.00');
    expect(sj.closing_balance).toBe('-700.00');
    expect(sj.rows.map((r) => [r.date, r.kind, r.debit, r.credit, r.balance])).toEqual([
      ['2026-01-15', 'assessment', '3000.00', '0.00', '3300.00'],
      ['2026-03-02', 'payment', '0.00', '4000.00', '-700.00'],
      ['2026-03-02', 'allocation', '0.00', '0.00', null],
      ['2026-03-02', 'allocation', '0.00', '0.00', null],
    ]);
    expect(sj.rows[1]!.text).toBe(`payment received, earmarked ISU-2026-004, ref. ${rf('ISU-2026-004')}, bank ref. T4`);
    expect(sj.rows.slice(2).map((r) => r.text)).toEqual(['3000.00 applied to ISU-2026-004 scale', '300.00 applied to ISU-2025-010 scale']);
    const irl = await run(['statement', 'IRL', '--as-of', '2026-03-31', '--books', dir], { cwd: dir });
    expect(irl.stdout).toContain('payment received (5000.00 EUR sent), earmarked ISU-2026-005');
    expect(irl.stdout).toContain('bank ref. T5');
  });

  it('"not a contribution" in the review is remembered: the entry is not proposed again', async () => {
    const dir = bankBooks();
    const f = write(dir, 'n.xml', camt('054', '04', stmt([{ ref: 'N1', amount: '77.00', dir: 'CRDT', date: day, txs: [{ amount: '77.00', debtor: 'Insurance refund' }] }])));
    await importJson(dir, [f], true);
    const rp = path.join(dir, 'bank-review.csv');
    const lines = readFileSync(rp, 'utf8').split('\n');
    writeFileSync(rp, lines.map((l, i) => (i === 1 ? l.replace(/,$/, ',not a contribution') : l)).join('\n'));
    const b = await importJson(dir, [rp, f], true);
    expect(b.json.lines.map((l) => [l.action, l.reason])).toEqual([['skip', 'marked "not a contribution" in bank-review.csv']]);
    expect((await run(['check', '--books', dir], { cwd: dir })).stderr).not.toContain('bank-review');
  });

  it('a completed review naming an invoice of another State is refused at its cell, nothing written', async () => {
    const dir = bankBooks();
    const f = write(dir, 'n.xml', camt('054', '02', stmt([{ ref: 'N1', amount: '77.00', dir: 'CRDT', date: day, txs: [{ amount: '77.00', debtor: 'Someone' }] }])));
    await importJson(dir, [f], true);
    const rp = path.join(dir, 'bank-review.csv');
    const lines = readFileSync(rp, 'utf8').split('\n');
    writeFileSync(rp, lines.map((l, i) => (i === 1 ? l.replace(/,,,,$/, ',AUT,ISU-2026-002,,') : l)).join('\n'));
    const before = readFileSync(path.join(dir, 'payments.csv'), 'utf8');
    const r = await run(['bank', 'import', rp, '--books', dir, '--apply'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bank-review\.csv:2:\d+: error \[ledger-reference\] invoice: invoice ISU-2026-002 was issued to FRA, not to AUT/);
    expect(readFileSync(path.join(dir, 'payments.csv'), 'utf8')).toBe(before);
  });

  it('without --apply nothing is written', async () => {
    const dir = bankBooks();
    const f = write(dir, 'camt.xml', camt('054', '08', stmt(entries)));
    const before = readFileSync(path.join(dir, 'payments.csv'), 'utf8');
    const r = await run(['bank', 'import', f, '--books', dir], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Nothing written: run again with --apply');
    expect(readFileSync(path.join(dir, 'payments.csv'), 'utf8')).toBe(before);
  });
});

describe('check --today', () => {
  it('warns on a payment dated after today; by default, on a date a year beyond all others', async () => {
    const dir = bankBooks();
    writeFileSync(path.join(dir, 'payments.csv'), `${readFileSync(path.join(dir, 'payments.csv'), 'utf8')}PAY-2026-00009,AUT,2042-01-18,10.00,CHF,,isu,,,,,\n`);
    const a = await run(['check', '--books', dir], { cwd: dir });
    expect(a.stderr).toMatch(/payments\.csv:3:\d+: warning \[date-future\] received: dated 2042-01-18, after today \(the latest date of the books \(2026-01-15\)/);
    const b = await run(['check', '--books', dir, '--today', '2042-12-31'], { cwd: dir });
    expect(b.stderr).not.toContain('date-future');
    const c = await run(['check', '--books', dir, '--today', '2025-12-31'], { cwd: dir });
    const future = c.stderr.split('\n').filter((l) => l.includes('[date-future]'));
    expect(future.filter((l) => !l.startsWith('expenditure.csv')).length).toBe(9); // 8 invoices issued 2026-01-15 + the payment
    // and each row of actual spending for a month of 2026
    const spent = readFileSync(path.join(dir, 'expenditure.csv'), 'utf8').split('\n').filter((l) => l.startsWith('2026-')).length;
    // (the first 20 alike shown, the others counted in one line: docs/errors.md)
    const more = Number(/^expenditure\.csv: (\d+) more warnings \[date-future\]/m.exec(c.stderr)?.[1] ?? 0);
    expect(future.filter((l) => /^expenditure\.csv:\d+:/.test(l)).length + more).toBe(spent);
    expect(spent).toBeGreaterThan(20);
  });
});

describe('sample files (test/fixtures/bank)', () => {
  // Written by the generator above; kept in the repository for people to read and to try:
  //   finproc bank import test/fixtures/bank/camt054-worked-example.001.08.xml --books <books of test/bank-books.ts>
  // UPDATE_GOLDEN=1 rewrites them after a deliberate change.
  const dir = path.join(__dirname, 'fixtures', 'bank');
  const samples: Record<string, string> = {
    'camt054-worked-example.001.08.xml': camt('054', '08', stmt(entries)),
    'camt053-batch-and-breakdown.001.02.xml': camt('053', '02', stmt([{ ref: 'C1', amount: '4000.00', dir: 'CRDT', date: day, count: 2, txs: [] }, { ref: 'C2', amount: '25.00', dir: 'DBIT', date: day, txs: [{ amount: '25.00', ustrd: 'Account fees' }] }])),
    'camt054-batch-breakdown.001.04.xml': camt('054', '04', stmt([{ ref: 'C1', amount: '4000.00', dir: 'CRDT', date: day, count: 2, txs: [{ ref: 'C1-1', amount: '3000.00', debtor: 'Republic of Austria', scor: rf('ISU-2026-001') }, { ref: 'C1-2', amount: '1000.00', debtor: 'Royaume de Belgique', qrr: qrrOf('2026006') }] }])),
  };
  for (const [name, text] of Object.entries(samples)) {
    it(name, () => {
      const p = path.join(dir, name);
      if (process.env.UPDATE_GOLDEN) {
        mkdirSync(dir, { recursive: true });
        writeFileSync(p, text);
      }
      expect(existsSync(p), `${name}: run UPDATE_GOLDEN=1 npx vitest run test/bank.test.ts`).toBe(true);
      expect(readFileSync(p, 'utf8')).toBe(text);
      expect(readBankFile(name, readFileSync(p))[0]!.entries.length).toBeGreaterThan(0);
    });
  }
});

describe('the terminal', () => {
  it('a progress bar while a large file is read, on a terminal only; the output is the same', async () => {
    const dir = bankBooks();
    const es: GEntry[] = Array.from({ length: 6000 }, (_, k) => ({ ref: `BNK-${k + 1}`, amount: `${(k % 97) + 1}.00`, dir: 'CRDT', date: '2026-03-02', txs: [{ ref: `TX-${k + 1}`, debtor: 'Ministry', ustrd: 'donation' }] }));
    const f = write(dir, 'large.xml', camt('053', '08', stmt(es)));
    const tty = await run(['bank', 'import', f, '--books', dir, '--format', 'json'], { cwd: dir, tty: true });
    expect(tty.code).toBe(0);
    expect(tty.stderr).toContain('/6000 entries of large.xml');
    const piped = await run(['bank', 'import', f, '--books', dir, '--format', 'json'], { cwd: dir });
    expect(piped.code).toBe(0);
    expect(piped.stderr).toBe('');
    expect(piped.stdout).toBe(tty.stdout);
    expect(JSON.parse(piped.stdout).lines.length).toBe(6000);
    // a small file: no bar
    const small = write(dir, 'small.xml', camt('053', '08', stmt(es.slice(0, 50))));
    expect((await run(['bank', 'import', small, '--books', dir, '--format', 'json'], { cwd: dir, tty: true })).stderr).not.toContain('entries of');
  }, 60_000);

  it('the table on a terminal of 100 columns: laid out for it up to thousands of rows (6,000 stopped with "Maximum call stack size exceeded", after --apply had written the books); beyond, printed as it comes, with a note', async () => {
    const dir = bankBooks();
    const es = (n: number): GEntry[] => Array.from({ length: n }, (_, k) => ({ ref: `BNK-${k + 1}`, amount: `${(k % 97) + 1}.00`, dir: 'CRDT', date: '2026-03-02', txs: [{ ref: `TX-${k + 1}`, debtor: `Ministry of Foreign Affairs and International Cooperation ${k}`, ustrd: `donation number ${k} of the year, with thanks` }] }));
    const six = write(dir, 'six.xml', camt('053', '08', stmt(es(6000))));
    const r = await run(['bank', 'import', six, '--books', dir, '--apply'], { cwd: dir, tty: true });
    expect(r.stderr).not.toContain('RangeError');
    expect(r.code, r.stderr.slice(0, 2000)).toBe(0);
    const lines = r.stdout.split('\n');
    // laid out for the terminal: no line wider than it, every transaction there (its entry number)
    expect(lines.every((l) => [...l.replace(/\x1b\[[0-9;]*m/g, '')].length <= 100)).toBe(true);
    expect(lines.filter((l) => /^\S+\s+\d+\.1\s/.test(l)).length).toBe(6000);
    expect(r.stdout).toContain('0 to book (CHF 0.00), 6000 to review');
    // far more: the table as wide as its cells, printed as it comes, the same as piped, and a note
    const many = write(dir, 'many.xml', camt('053', '08', stmt(es(12000))));
    const t = await run(['bank', 'import', many, '--books', dir], { cwd: dir, tty: true, env: { NO_COLOR: '1' } });
    expect(t.code).toBe(0);
    expect(t.stderr).toContain("note: the output is too long to be laid out for the terminal's width");
    const piped = await run(['bank', 'import', many, '--books', dir], { cwd: dir });
    expect(t.stdout).toBe(piped.stdout);
  }, 120_000);
});
