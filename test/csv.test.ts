/**
 * The CSV reader: delimiters, BOM, quotes, line breaks inside values, and the line and
 * column of every cell (checked by hand on the small texts below).
 */
import { describe, expect, it } from 'vitest';
import { detectDelimiter, readCsv } from '../src/io/csv.js';

const spec = { required: ['iso3', 'amount'], optional: ['note'] };

describe('readCsv', () => {
  it('detects "," or ";" from the header line only', () => {
    expect(detectDelimiter('iso3,amount')).toBe(',');
    expect(detectDelimiter('iso3;amount')).toBe(';');
    expect(detectDelimiter('"a;b",c')).toBe(',');
    expect(detectDelimiter('iso3;amount,x')).toBe('both');
  });

  it('reads the Excel dialect: BOM, ";" and CRLF', () => {
    const { table, problems } = readCsv('f.csv', '\uFEFFiso3;amount\r\nAUT;1.50\r\nBEL;"2;5"\r\n', spec);
    expect(problems).toEqual([]);
    expect(table!.rows.map((r) => [r.text('iso3'), r.text('amount')])).toEqual([
      ['AUT', '1.50'],
      ['BEL', '2;5'],
    ]);
  });

  it('knows the line and column of each cell, across quoted line breaks and empty lines', () => {
    //            line 1         line 2            lines 3-4 (one record)          5   line 6
    const text = 'iso3,amount,note\nAUT,1.00,plain\nBEL,2.00,"two\nlines"\n\nCHE, 3.00 ,x\n';
    const { table } = readCsv('f.csv', text, spec);
    const [aut, bel, che] = table!.rows;
    expect([aut!.line, bel!.line, che!.line]).toEqual([2, 3, 6]);
    expect(bel!.text('note')).toBe('two\nlines');
    expect(bel!.cell('note')).toMatchObject({ line: 3, column: 10 });
    expect(che!.cell('amount')).toMatchObject({ line: 6, column: 5, width: 6 });
  });

  it('warns of unknown columns and refuses missing ones, pointing at the header', () => {
    const unknown = readCsv('f.csv', 'iso3,amount,colour\nAUT,1,red\n', spec);
    expect(unknown.problems.map((p) => [p.code, p.severity, p.line, p.column])).toEqual([['column-unknown', 'warning', 1, 13]]);
    const missing = readCsv('f.csv', 'iso3,note\nAUT,x\n', spec);
    expect(missing.problems.map((p) => [p.code, p.line])).toEqual([['column-missing', 1]]);
    expect(missing.table).toBeUndefined();
  });

  it('reports a record with the wrong number of fields at its line, and keeps the others', () => {
    const { table, problems } = readCsv('f.csv', 'iso3,amount\nAUT,1\nBEL,2,3\nCHE,4\n', spec);
    expect(problems.map((p) => [p.code, p.line, p.column])).toEqual([['csv-syntax', 3, 7]]);
    expect(table!.rows.map((r) => r.text('iso3'))).toEqual(['AUT', 'CHE']);
  });

  it('reports an unclosed quote', () => {
    const { problems } = readCsv('f.csv', 'iso3,amount\nAUT,"1\n', spec);
    expect(problems[0]!.code).toBe('csv-syntax');
  });
});

describe('KeySet (duplicate keys)', () => {
  it('finds the first line of every repeated key, whatever the order, with or without recall', async () => {
    const fc = (await import('fast-check')).default;
    const { KeySet } = await import('../src/io/books.js');
    fc.assert(
      fc.property(fc.array(fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F', 'AA', 'AB'), { maxLength: 30 }), fc.boolean(), (keys, sorted) => {
        const list = sorted ? [...keys].sort() : keys;
        const naive = new Map<string, number>();
        const want = list.map((k, i) => {
          const f = naive.get(k);
          if (f === undefined) naive.set(k, i + 2);
          return f;
        });
        const plain = new KeySet();
        const recalled = new KeySet(function* (before) {
          for (let n = 2; n < before; n++) yield [list[n - 2]!, n];
        });
        expect(list.map((k, i) => plain.firstLine(k, i + 2))).toEqual(want);
        expect(list.map((k, i) => recalled.firstLine(k, i + 2))).toEqual(want);
      }),
    );
  });
});
