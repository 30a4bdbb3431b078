/**
 * The output side of a bank import is written field by field for speed (src/render/bank.ts,
 * src/io/bank.ts). Property: whatever the strings of a proposal line (quotes, backslashes,
 * control characters, lone surrogates, blanks, formula starts), the JSON is exactly
 * JSON.stringify of the line, and the rows of payments.csv and bank-review.csv are exactly
 * those of the plain way of writing them (a record per row, RFC 4180 quoting).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ProposalLine } from '../src/core/bank.js';
import { centsToString } from '../src/core/ledger.js';
import { CONTROL } from '../src/io/books.js';
import { appendPayments, PAYMENT_ROW, paymentRow, REVIEW_COLUMNS, reviewCheck, reviewRow, writeReview } from '../src/io/bank.js';
import { BANK_COLUMNS } from '../src/io/ledger.js';
import { bankCsv, bankCsvParts, bankHeadline, bankJson, bankJsonParts, bankTable, bankTableParts, TABLE_COLUMNS, tableRow } from '../src/render/bank.js';
import type { Column } from '../src/render/text.js';
import { toCsv, type CsvColumn } from '../src/render/csv.js';

const tricky = fc.constantFrom('', ' ', 'a  b', ' lead', 'trail ', '"q"', 'back\\slash', 'tab\there', 'line\nbreak', 'cr\r', '\u0000\u0001', '\u007f\u0085', '\u2028', '\ud800', 'x\udfff', '😀', '=SUM(A1)', '+1', '-2', '@x', 'a,b', 'a;b', 'Côte d’Ivoire', '\u00a0nbsp', '\u1680', 'é'.repeat(200));
const str = fc.oneof(tricky, fc.string({ maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 20 }), fc.stringMatching(/^[A-Za-z0-9 .,-]{0,40}$/));
const opt = fc.option(str, { nil: undefined });

const line = fc.record({
  key: str,
  statement: str,
  sha256: fc.constantFrom('ab'.repeat(32), 'cd'.repeat(32)),
  format: fc.constantFrom('camt.053', 'camt.054', 'camt"'),
  entry: fc.oneof(fc.nat(100000), fc.constant(0), fc.constant(-0)),
  tx: fc.nat(10),
  bankRef: str,
  received: fc.constantFrom('2026-01-02', '2026-03-04'),
  direction: fc.constantFrom('CRDT' as const, 'DBIT' as const),
  reversal: fc.boolean(),
  chf: fc.bigInt({ min: -1000000000n, max: 1000000000n }),
  amount: str,
  currency: fc.constantFrom('CHF', 'EUR'),
  rate: fc.oneof(fc.constant(''), str),
  debtor: str,
  endToEndId: fc.oneof(fc.constant(''), str),
  reference: str,
  text: str,
  match: fc.option(fc.record({ iso3: opt, invoice: opt, how: fc.constantFrom('reference', 'none', 'name'), confidence: fc.nat(100), notes: fc.array(str, { maxLength: 3 }) }, { requiredKeys: ['how', 'confidence', 'notes'] }), { nil: undefined }),
  fate: fc.constantFrom('book' as const, 'review' as const, 'await' as const, 'skip' as const),
  reason: str,
  paymentId: opt,
  purpose: fc.constantFrom(undefined, 'isu' as const, 'meeting' as const),
}) as fc.Arbitrary<ProposalLine>;

/** The JSON of a line as the object it stands for. */
const lineJson = (l: ProposalLine) =>
  JSON.stringify({
    file: l.statement,
    sha256: l.sha256,
    format: l.format,
    entry: l.entry,
    tx: l.tx,
    key: l.key,
    bank_ref: l.bankRef,
    received: l.received,
    direction: l.direction,
    reversal: l.reversal,
    chf: centsToString(l.chf),
    amount: l.amount,
    currency: l.currency,
    fx_rate: l.rate || null,
    debtor: l.debtor,
    end_to_end_id: l.endToEndId || null,
    reference: l.reference,
    text: l.text,
    match: l.match ? { iso3: l.match.iso3 ?? null, invoice: l.match.invoice ?? null, how: l.match.how, confidence: l.match.confidence, notes: l.match.notes } : null,
    action: l.fate,
    payment_id: l.paymentId ?? null,
    purpose: l.purpose ?? null,
    reason: l.reason,
  });

// The plain way: a record per row, a regular expression per cell.
const cellText = (s: string, max = 140) => {
  const t = s.replace(new RegExp(CONTROL.source, 'g'), ' ').replace(/\s+/g, ' ').trim();
  return t.length > max ? t.slice(0, max) : t;
};
const guard = (s: string) => (/^'*(?:[=+\-@\t\r]|\d{12,}$|0\d+$)/.test(s) ? `'${s}` : s);
const csv = (rows: Record<string, string>[], columns: string[], d = ',') => rows.map((r) => columns.map((c) => ((v) => (v !== '' && (d === ';' ? /[;"\r\n]|^\s|\s$/ : /[,"\r\n]|^\s|\s$/).test(v) ? `"${v.replace(/"/g, '""')}"` : v))(r[c] ?? '')).join(d) + '\n').join('');
const PAYMENT_COLUMNS = ['payment_id', 'iso3', 'received', 'amount', 'currency', 'chf', 'purpose', 'earmark_year', 'earmark_category', 'earmark_invoice', 'pledge', 'reference', ...BANK_COLUMNS];
const paymentRecord = (l: ProposalLine): Record<string, string> => ({
  payment_id: l.paymentId!,
  iso3: l.match!.iso3!,
  received: l.received,
  amount: l.amount,
  currency: l.currency,
  chf: centsToString(l.chf),
  purpose: l.purpose ?? 'isu',
  earmark_invoice: (l.purpose === 'isu' || l.purpose === 'meeting') && l.match!.invoice ? l.match!.invoice : '',
  // (payments.csv is opened in Excel too: the payer's text and the bank's reference guarded)
  reference: guard(cellText(l.reference || l.text)),
  bank_key: l.key,
  bank_file: l.sha256,
  bank_ref: guard(cellText(l.bankRef, 64)),
  bank_entry: l.entry ? String(l.entry) : '',
  bank_tx: String(l.tx),
  fx_rate: l.rate,
});
const reviewRecord = (l: ProposalLine): Record<string, string> => {
  const m = l.match;
  return {
    key: l.key,
    received: l.received,
    chf: centsToString(l.chf),
    amount: l.amount,
    currency: l.currency,
    fx_rate: l.rate,
    debtor: guard(cellText(l.debtor)),
    reference: guard(cellText(l.reference)),
    text: guard(cellText(l.text, 280)),
    bank_file: l.sha256,
    bank_ref: guard(cellText(l.bankRef, 64)),
    bank_entry: String(l.entry),
    bank_tx: String(l.tx),
    statement: guard(l.statement),
    proposed_iso3: m?.iso3 ?? '',
    proposed_invoice: m?.invoice ?? '',
    how: m && m.how !== 'none' ? m.how : '',
    confidence: m ? String(m.confidence) : '',
    reason: guard(cellText([l.reason, ...(m?.notes ?? [])].filter((x) => x !== '').join('; '), 400)),
    // (what it seals is tested in test/bank-hunt3.test.ts; here, that it is written in its place)
    check: reviewCheck({ key: l.key, received: l.received, chf: centsToString(l.chf), amount: l.amount, currency: l.currency, fx_rate: l.rate, bank_file: l.sha256, bank_entry: String(l.entry), bank_tx: String(l.tx), reason: cellText([l.reason, ...(m?.notes ?? [])].filter((x) => x !== '').join('; '), 400) }),
  };
};

const CSV_COLUMNS: CsvColumn[] = ['file', 'sha256', 'format', 'entry', 'tx', 'key', 'bank_ref', 'received', 'direction', 'chf', 'amount', 'currency', 'fx_rate', 'debtor', 'reference', 'text', 'iso3', 'invoice', 'how', 'confidence', 'action', 'payment_id', 'reason'].map((t) => ({ title: t, kind: ['entry', 'tx', 'chf', 'amount', 'confidence'].includes(t) ? 'number' : 'text' }));
const csvRow = (l: ProposalLine) => [l.statement, l.sha256, l.format, String(l.entry), String(l.tx), l.key, l.bankRef, l.received, l.direction + (l.reversal ? ' reversal' : ''), `${l.direction === 'DBIT' ? '-' : ''}${centsToString(l.chf)}`, l.amount, l.currency, l.rate, l.debtor, l.reference, l.text, l.match?.iso3 ?? '', l.match?.invoice ?? '', l.match && l.match.how !== 'none' ? l.match.how : '', l.match ? String(l.match.confidence) : '', l.fate, l.paymentId ?? '', [l.reason, ...(l.match?.notes ?? [])].filter((x) => x).join('; ')];

describe('bank import output: written field by field, the same bytes as the plain way', () => {
  it('CSV (both dialects): that of toCsv (csv-stringify)', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 8 }), fc.constantFrom('rfc4180' as const, 'excel' as const), fc.boolean(), (lines, dialect, odd) => {
        if (odd && lines.length) lines[0] = { ...lines[0]!, debtor: undefined as never, amount: 12 as never };
        expect(bankCsv({ lines, notes: [] }, dialect)).toBe(toCsv(CSV_COLUMNS, lines.map(csvRow), dialect));
      }),
      { numRuns: 300 },
    );
  });

  it('JSON: each line is JSON.stringify of its object', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 8 }), (lines) => {
        const text = bankJson({ lines, notes: [] }, { apply: false, written: [] });
        const at = text.indexOf('"lines": [');
        expect(text.slice(at)).toBe(`"lines": [${lines.length ? `\n    ${lines.map(lineJson).join(',\n    ')}\n  ` : ''}]\n}\n`);
        expect(JSON.parse(text).lines).toEqual(lines.map((l) => JSON.parse(lineJson(l))));
      }),
      { numRuns: 300 },
    );
  });

  it('hundreds of lines: printed in pieces below 128 kB (the size above which V8 keeps a string until a full collection), the same bytes', () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 300, maxLength: 500 }), fc.constantFrom('rfc4180' as const, 'excel' as const), (lines, dialect) => {
        const p = { lines, notes: [] };
        const json = [...bankJsonParts(p, { apply: false, written: [] })];
        const csv = [...bankCsvParts(p, dialect)];
        expect(json.join('')).toBe(bankJson(p, { apply: false, written: [] }));
        expect(JSON.parse(json.join('')).lines).toEqual(lines.map((l) => JSON.parse(lineJson(l))));
        expect(csv.join('')).toBe(toCsv(CSV_COLUMNS, lines.map(csvRow), dialect));
        for (const parts of [json, csv]) {
          expect(parts.length).toBeGreaterThan(2);
          // (in bytes as V8 keeps it: two a character when any is beyond Latin-1)
          for (const piece of parts) expect(piece.length * (/[^\u0000-\u00ff]/.test(piece) ? 2 : 1)).toBeLessThan(128 * 1024);
        }
      }),
      { numRuns: 15 },
    );
  });

  it('table: printed in pieces, the same text as the table laid out whole (textTable as it was before it was streamed)', () => {
    // textTable before the pieces, verbatim: every cell held, each column as wide as its widest cell.
    const wholeTable = (columns: Column[], rows: string[][], style?: (s: string) => string) => {
      const width = (x: string) => [...x].length;
      const w = columns.map((c, i) => Math.max(width(c.title), ...rows.map((r) => width(r[i] ?? ''))));
      const fmt = (cells: string[]) =>
        cells
          .map((c, i) => {
            const pad = ' '.repeat(Math.max(0, w[i]! - width(c)));
            return columns[i]!.align === 'right' ? pad + c : c + pad;
          })
          .join('  ')
          .trimEnd();
      const head = fmt(columns.map((c) => c.title));
      return [style ? style(head) : head, w.map((n) => '-'.repeat(n)).join('  '), ...rows.map(fmt)].join('\n') + '\n';
    };
    fc.assert(
      fc.property(fc.array(line, { maxLength: 400 }), fc.boolean(), fc.boolean(), (lines, bold, apply) => {
        const p = { lines, notes: [{ statement: 's.xml', severity: 'warning' as const, message: 'm' }] };
        const s = { apply, written: apply ? ['payments.csv'] : [] };
        const style = bold ? { bold: (x: string) => `<${x}>` } : undefined;
        const parts = [...bankTableParts(p, s, style)];
        const whole = [wholeTable(TABLE_COLUMNS, lines.map(tableRow), style?.bold), '', 'warning: s.xml: m', '', bankHeadline(p, s)].join('\n');
        expect(parts.join('')).toBe(whole);
        expect(bankTable(p, s, style)).toBe(whole);
        if (lines.length > 200) expect(parts.length).toBeGreaterThan(2);
        for (const piece of parts) expect(piece.length).toBeLessThan(64 * 1024);
      }),
      { numRuns: 40 },
    );
  });

  it('table: 250,000 transactions (a year of statements) print without running out of stack', () => {
    const l = { key: 'K|1', statement: 'a.xml', sha256: 'ab'.repeat(32), format: 'camt.053', entry: 1, tx: 1, bankRef: 'B', received: '2026-01-02', direction: 'CRDT', reversal: false, chf: 12345n, amount: '123.45', currency: 'CHF', rate: '', debtor: 'Ministry', endToEndId: '', reference: 'RF18ISU2026054', text: '', match: { iso3: 'LBN', invoice: 'ISU-2026-054', how: 'reference', confidence: 100, notes: [] }, fate: 'book', reason: 'reference, confidence 100', paymentId: 'BNK-20260102-ABCDEF', purpose: 'isu' } as ProposalLine;
    const wide = { ...l, debtor: 'Permanent Mission of the Plurinational State of Bolivia' };
    const lines = Array.from({ length: 250_000 }, (_, i) => (i === 123_456 ? wide : l));
    let n = 0;
    let last = '';
    for (const piece of bankTableParts({ lines, notes: [] }, { apply: true, written: ['payments.csv'] })) {
      n += piece.split('\n').length - 1;
      last = piece;
    }
    expect(n).toBe(2 + 250_000 + 3); // header, rule, rows, a blank line, the headline
    expect(last).toContain('250000 to book (CHF 30\'862\'500.00)');
  });

  it('JSON: a line with a value of an unexpected type is still that of JSON.stringify', () => {
    fc.assert(
      fc.property(line, fc.constantFrom('entry', 'tx', 'debtor', 'reason', 'paymentId', 'rate', 'reversal'), fc.constantFrom(undefined, null, Number.NaN, Infinity, 7, true), (l, field, v) => {
        const odd = { ...l, [field]: v } as ProposalLine;
        const text = bankJson({ lines: [odd], notes: [] }, { apply: false, written: [] });
        expect(text.slice(text.indexOf('"lines": ['))).toBe(`"lines": [\n    ${lineJson(odd)}\n  ]\n}\n`);
      }),
      { numRuns: 200 },
    );
  });

  it('free text in payments.csv and bank-review.csv loses every control character, not only the first', () => {
    fc.assert(
      fc.property(line, fc.constantFrom('\u0001', '\u007f', '\u202e', '\u2028', '\n'), (l, c) => {
        const dirty = { ...l, paymentId: 'P', bankRef: `A${c}B${c}C`, reference: `R${c}${c}F`, text: `t${c}x${c}`, debtor: `d${c}e${c}`, match: { how: 'reference' as const, confidence: 100, notes: [], iso3: 'AUT' } };
        const p = paymentRow(dirty);
        const r = reviewRow(dirty);
        const cells = [...['reference', 'bank_ref'].map((c) => p[PAYMENT_ROW.indexOf(c)]!), ...['debtor', 'reference', 'text', 'bank_ref'].map((c) => r[REVIEW_COLUMNS.indexOf(c)]!)];
        expect(cells.map((x) => x.replace(/ /g, ''))).toEqual(['RF', 'ABC', 'de', 'RF', 'tx', 'ABC']);
        for (const x of cells) expect(CONTROL.test(x), JSON.stringify(x)).toBe(false);
      }),
      { numRuns: 100 },
    );
  });

  it('payments.csv and bank-review.csv: the rows of a record each, quoted as RFC 4180 asks', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'finproc-bank-output-'));
    const header = ['payment_id', 'note', 'iso3', 'received', 'amount', 'currency', 'chf', 'purpose', 'earmark_invoice', 'reference', 'bank_key'];
    const file = path.join(dir, 'payments.csv');
    writeFileSync(file, `${header.join(',')}\nP-1,,AUT,2026-01-01,1.00,CHF,1.00,isu,,x,\n`);
    const semiFile = path.join(dir, 'payments-semi.csv');
    writeFileSync(semiFile, `${header.join(';')}\nP-1;;AUT;2026-01-01;1.00;CHF;1.00;isu;;x;\n`);
    fc.assert(
      fc.property(fc.array(line, { maxLength: 6 }), (lines) => {
        const book = lines.map((l) => ({ ...l, paymentId: l.paymentId ?? 'P', match: { how: 'reference' as const, confidence: 100, notes: [], ...l.match, iso3: l.match?.iso3 ?? 'AUT' } }));
        const fresh = appendPayments(path.join(dir, 'none.csv'), 'none.csv', book.map(paymentRow), [])!;
        expect(fresh.content).toBe(`${PAYMENT_COLUMNS.join(',')}\n${csv(book.map(paymentRecord), PAYMENT_COLUMNS)}`);
        if (book.length) {
          const more = appendPayments(file, 'payments.csv', book.map(paymentRow), [])!;
          const columns = [...header, ...BANK_COLUMNS.filter((c) => !header.includes(c))];
          expect(more.content.split('\n').slice(2).join('\n')).toBe(csv(book.map(paymentRecord), columns));
          // books kept with ";" (Excel in Geneva)
          const semi = appendPayments(semiFile, 'payments.csv', book.map(paymentRow), [])!;
          expect(semi.content.split('\n').slice(2).join('\n')).toBe(csv(book.map(paymentRecord), columns, ';'));
        }
        const review = writeReview({ rows: [], display: 'bank-review.csv', path: path.join(dir, 'bank-review.csv') }, new Set(), lines.map(reviewRow));
        if (lines.length) expect(review!.content).toBe(`${REVIEW_COLUMNS.join(',')}\n${csv(lines.map(reviewRecord), REVIEW_COLUMNS)}`);
      }),
      { numRuns: 300 },
    );
  });
});
